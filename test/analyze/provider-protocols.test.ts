// Provider protocols over the app's own channels (model/provider-protocols.ts): events marked
// with the provider's protocol and the direction it fixes, whichever side of the app speaks them.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function events(files: Record<string, string>): Promise<string[]> {
  return (await analyzeTree(files)).events.map((e) => `${e.name} ${e.direction} ${e.protocol ?? '-'} ${e.evidence}`);
}

describe('provider protocols', () => {
  it('Gemini Live over a raw WebSocket: one top-level key per message', async () => {
    const live =
      "const URL = 'wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent';\nexport function open(key, onAudio) {\n  const ws = new WebSocket(`${URL}?key=${key}`);\n  ws.onopen = () => ws.send(JSON.stringify({ setup: { model: 'models/gemini-live-2.5-flash' } }));\n  ws.onmessage = (e) => {\n    const msg = JSON.parse(e.data);\n    if (msg.serverContent) onAudio(msg.serverContent);\n    if (msg.goAway) ws.close();\n  };\n  return (chunk) => ws.send(JSON.stringify({ realtimeInput: { audio: chunk } }));\n}\n";
    expect(await events({ 'package.json': '{"name":"g"}', 'src/live.js': live })).toEqual([
      'goAway server-to-client gemini-live src/live.js:8',
      'realtimeInput client-to-server gemini-live src/live.js:10',
      'serverContent server-to-client gemini-live src/live.js:7',
      'setup client-to-server gemini-live src/live.js:4',
    ]);
  });

  it('the same keys in a file that does not talk to Gemini are nothing', async () => {
    const other = 'export function save(ws, setup) {\n  ws.send(JSON.stringify({ setup }));\n  return (m) => m.serverContent;\n}\n';
    expect(await events({ 'package.json': '{"name":"g"}', 'src/other.js': other })).toEqual([]);
  });

  it('OpenAI Realtime relayed by a Node server over ws keeps the protocol direction', async () => {
    const relay =
      "import WebSocket from 'ws';\nexport function relay() {\n  const ws = new WebSocket('wss://api.openai.com/v1/realtime?model=gpt-realtime', { headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` } });\n  ws.on('open', () => ws.send(JSON.stringify({ type: 'response.create' })));\n  ws.on('message', (raw) => {\n    const ev = JSON.parse(raw);\n    if (ev.type === 'response.done') ws.close();\n  });\n}\n";
    const out = await events({ 'package.json': JSON.stringify({ name: 'r', type: 'module', dependencies: { ws: '8.18.0' } }), 'src/relay.js': relay });
    expect(out).toEqual(['response.create client-to-server openai-realtime src/relay.js:4', 'response.done server-to-client openai-realtime src/relay.js:7']);
  });
});
