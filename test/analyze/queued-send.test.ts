// model fact queued-send: react-use-websocket queues a message sent while the socket is not
// open (its `keep` argument defaults to true) and sends it on the next open.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { react: '^18.3.0', 'react-use-websocket': '^4.13.0' } });

async function facts(send: string) {
  const hook = [
    "import useWebSocket from 'react-use-websocket';",
    'export function useLive(url: string) {',
    '  const { sendJsonMessage, lastJsonMessage } = useWebSocket(url, { shouldReconnect: () => true });',
    `  const send = (type: string, payload: unknown) => ${send};`,
    '  return { send, last: lastJsonMessage };',
    '}',
    '',
  ].join('\n');
  const a = await analyzeTree({ 'package.json': PKG, 'src/useLive.ts': hook });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'queued-send').map((f) => [f.name, f.evidence, f.value]);
}

describe('queued-send', () => {
  it('sendJsonMessage with the default keep', async () => {
    expect(await facts('sendJsonMessage({ type, payload })')).toEqual([['sendJsonMessage', 'src/useLive.ts:4', 'keep = false']]);
  });
  it('not with keep = false', async () => {
    expect(await facts('sendJsonMessage({ type, payload }, false)')).toEqual([]);
  });
});
