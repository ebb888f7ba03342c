// The close codes a client's own reconnect loop stops on (model/plan-facts.ts `close-code-stop`):
// an auth refusal the client should stop on must be one of them, sent after the upgrade.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'web', dependencies: {} });
const CLIENT = (test: string, retry = 'setTimeout(() => connect(), 1000);'): string =>
  `let socket;\nexport function connect() {\n  socket = new WebSocket('wss://x.example/live');\n  socket.addEventListener('close', (event) => {\n    if (${test}) return;\n    ${retry}\n  });\n}\n`;

async function stopsOf(source: string): Promise<{ evidence: string; value: string | undefined }[]> {
  const a = await analyzeTree({ 'package.json': PKG, 'src/live.ts': source });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'close-code-stop').map((f) => ({ evidence: f.evidence, value: f.value }));
}

describe('close codes the reconnect loop stops on', () => {
  it('one code compared with event.code, either side', async () => {
    expect(await stopsOf(CLIENT('event.code === 4401'))).toEqual([{ evidence: 'src/live.ts:5', value: '4401' }]);
    expect(await stopsOf(CLIENT('4001 == event.code'))).toEqual([{ evidence: 'src/live.ts:5', value: '4001' }]);
  });

  it('several codes joined by ||, or listed in an includes', async () => {
    expect(await stopsOf(CLIENT('event.code === 4401 || event.code === 4403'))).toEqual([{ evidence: 'src/live.ts:5', value: '4401, 4403' }]);
    expect(await stopsOf(CLIENT('[4401, 1008].includes(event.code)'))).toEqual([{ evidence: 'src/live.ts:5', value: '4401, 1008' }]);
  });

  it('nothing for a test that is not only close codes, or a close handler that never reconnects', async () => {
    expect(await stopsOf(CLIENT('event.code === 4401 && stopped'))).toEqual([]);
    expect(await stopsOf(CLIENT('event.code >= 4000'))).toEqual([]);
    expect(await stopsOf(CLIENT('event.code === 4401', "console.log('closed');"))).toEqual([]);
  });
});
