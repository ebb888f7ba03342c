// A client that subscribes again on every connection while every event it handles is a change of
// one thing, none the current state (model/plan-facts.ts `resubscribe-no-state`): what changed
// during a drop is never applied.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'console', type: 'module', dependencies: { 'reconnecting-websocket': '4.4.0' } });
const client = (cases: string, subscribe = "ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'fleet.subscribe', fleetId: 'f1' })));") =>
  `import ReconnectingWebSocket from 'reconnecting-websocket';\nconst ws = new ReconnectingWebSocket('wss://api.example.com/v2/stream');\n${subscribe}\nws.addEventListener('message', (e) => {\n  const msg = JSON.parse(e.data);\n  switch (msg.type) {\n${cases}  }\n});\nexport function assign(jobId) {\n  ws.send(JSON.stringify({ type: 'job.assign', jobId }));\n}\n`;
const CHANGES =
  "    case 'job.updated':\n      jobs.set(msg.payload.jobId, msg.payload);\n      break;\n    case 'vehicle.position':\n      positions.set(msg.payload.vehicleId, msg.payload);\n      break;\n";

async function facts(src: string): Promise<string[]> {
  const a = await analyzeTree({ 'package.json': PKG, 'src/stream.js': `const jobs = new Map();\nconst positions = new Map();\n${src}` });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'resubscribe-no-state').map((f) => `${f.name} ${f.evidence} ${f.value}`);
}

describe('resubscribe-no-state', () => {
  it('a subscribe sent on every open, and only change events handled: a change sent during a drop is lost', async () => {
    expect(await facts(client(CHANGES))).toEqual(['fleet.subscribe src/stream.js:5 job.updated, vehicle.position']);
  });

  it('a handled snapshot brings the current state back: nothing to say', async () => {
    expect(await facts(client(`${CHANGES}    case 'fleet.snapshot':\n      for (const j of msg.payload.jobs) jobs.set(j.jobId, j);\n      break;\n`))).toEqual(
      [],
    );
  });

  it('a subscribe sent only when the app asks is resubscribe-missing, not this', async () => {
    expect(await facts(client(CHANGES, "export function watch() {\n  ws.send(JSON.stringify({ type: 'fleet.subscribe', fleetId: 'f1' }));\n}"))).toEqual([]);
  });
});
