// request-route-missing's `toolNameAt`: where the request's one interpolated path part is given
// the name of a provider's tool call, so the route is one per declared tool (design/tool-routes.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-tool-name-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

const PKG = JSON.stringify({ name: 'kiosk', type: 'module', dependencies: { express: '4.21.1', openai: '5.20.0' } });
const SERVER =
  "import express from 'express';\nimport OpenAI from 'openai';\nconst openai = new OpenAI();\nconst app = express();\napp.post('/api/token', (req, res) => res.json({ value: 'x' }));\napp.use(express.static('web/dist'));\napp.listen(3000);\n";
const TOOLS =
  "export const TOOLS = [{ type: 'function', name: 'find_slot', description: 'Find a free slot', parameters: { type: 'object', properties: { day: { type: 'string' } } } }];\nexport async function runTool(name, args) {\n  const res = await fetch(`/api/tools/${name}`, { method: 'POST', body: args });\n  return res.json();\n}\n";
const OPENAI = (arg: string): string =>
  `import { runTool } from './tools.js';\nexport function listen() {\n  const dc = new RTCPeerConnection().createDataChannel('oai-events');\n  dc.addEventListener('message', async (e) => {\n    const event = JSON.parse(e.data);\n    switch (event.type) {\n      case 'response.function_call_arguments.done': {\n        const out = await runTool(${arg}, event.arguments);\n        dc.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: event.call_id, output: JSON.stringify(out) } }));\n        break;\n      }\n      case 'response.done':\n        break;\n    }\n  });\n}\n`;
const GEMINI =
  "import { runTool } from './tools.js';\nexport function listen(key) {\n  const ws = new WebSocket(`wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContentConstrained?access_token=${key}`);\n  ws.addEventListener('message', async (e) => {\n    const msg = JSON.parse(e.data);\n    if (!msg.toolCall) return;\n    for (const fc of msg.toolCall.functionCalls) {\n      const out = await runTool(fc.name, JSON.stringify(fc.args));\n      ws.send(JSON.stringify({ toolResponse: { functionResponses: [{ id: fc.id, name: fc.name, response: out }] } }));\n    }\n  });\n}\n";

async function toolNameAt(session: string): Promise<(string | undefined)[]> {
  const root = path.join(tmp, String(n++));
  const files = { 'package.json': PKG, 'server/index.js': SERVER, 'web/tools.js': TOOLS, 'web/session.js': session };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return (await analyzeProject(root)).findings.filter((f) => f.id === 'request-route-missing').map((f) => f.toolNameAt);
}

describe('request-route-missing toolNameAt', () => {
  it("is the call passing an OpenAI Realtime tool call's name in that event's case", async () => {
    expect(await toolNameAt(OPENAI('event.name'))).toEqual(['web/session.js:8']);
  });

  it('is the call passing a Gemini Live function call name in a loop over toolCall.functionCalls', async () => {
    expect(await toolNameAt(GEMINI)).toEqual(['web/session.js:8']);
  });

  it('is absent when the part passed is not the tool call name', async () => {
    expect(await toolNameAt(OPENAI('event.call_id'))).toEqual([undefined]);
    expect(await toolNameAt(OPENAI("'find_slot'"))).toEqual([undefined]);
  });
});
