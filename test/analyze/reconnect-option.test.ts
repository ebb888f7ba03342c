// The delay options of a self-reconnecting client (model/plan-facts.ts `reconnect-option`): where the
// client sets one, the library's default schedule is not what runs, so the plan must not describe it.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function optionsOf(pkg: Record<string, string>, files: Record<string, string>) {
  const a = await analyzeTree({ 'package.json': JSON.stringify({ name: 'web', dependencies: pkg }), ...files });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'reconnect-option').map((f) => ({ name: f.name, value: f.value, evidence: f.evidence }));
}

describe('reconnect delay options read from a self-reconnecting client', () => {
  it('reconnecting-websocket options, inline, with a constant folded from another module', async () => {
    const src =
      "import ReconnectingWebSocket from 'reconnecting-websocket';\nimport { MIN_MS } from './consts';\nexport const socket = new ReconnectingWebSocket('wss://x.example/ws', [], {\n  minReconnectionDelay: MIN_MS,\n  maxReconnectionDelay: 8000,\n});\n";
    expect(await optionsOf({ 'reconnecting-websocket': '4.4.0' }, { 'src/consts.ts': 'export const MIN_MS = 500;\n', 'src/live.ts': src })).toEqual([
      { name: 'minReconnectionDelay', value: '500', evidence: 'src/live.ts:4' },
      { name: 'maxReconnectionDelay', value: '8000', evidence: 'src/live.ts:5' },
    ]);
  });

  it('partysocket options, one computed per client: the option is named, its value is not read', async () => {
    const src =
      "import PartySocket from 'partysocket';\nexport const socket = new PartySocket({\n  host: 'x.example',\n  room: 'r',\n  minReconnectionDelay: 500 + Math.random() * 1000,\n});\n";
    expect(await optionsOf({ partysocket: '1.3.0' }, { 'src/live.ts': src })).toEqual([
      { name: 'minReconnectionDelay', value: undefined, evidence: 'src/live.ts:5' },
    ]);
  });

  it('a client that sets none has no fact', async () => {
    const src = "import PartySocket from 'partysocket';\nexport const socket = new PartySocket({ host: 'x.example', room: 'r' });\n";
    expect(await optionsOf({ partysocket: '1.3.0' }, { 'src/live.ts': src })).toEqual([]);
  });
});
