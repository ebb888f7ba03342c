// A local stand-in for the Anthropic Messages API on 127.0.0.1 (port 0): POST /v1/messages
// answered from a script, in the documented response shapes. Tests read back every request
// body exactly as it arrived, with its headers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  authorization: string | undefined;
  apiKeyHeader: string | undefined;
  raw: string;
  body: Record<string, any>;
}

export type Reply =
  | { toolInput: unknown; model?: string; usage?: Record<string, number> }
  | { status: number; error: { type: string; message: string }; headers?: Record<string, string> }
  | 'hang';

export interface FakeMessages {
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/** One item the example project bears out, one that cites a line past the end of its file. */
export const GOOD_REVIEW = {
  summary: 'The reconnect path loses room membership.',
  items: [
    {
      kind: 'diagnosis',
      title: 'Rooms are not re-joined after a reconnect',
      detail: 'The client joins rooms once; after a reconnect the server has a new socket that is in no room.',
      evidence: ['client/src/chat.js:15', 'server/index.js:27'],
      confidence: 'high',
    },
    { kind: 'finding', title: 'Invented handler', detail: 'A handler that is not there.', evidence: ['server/index.js:999'] },
  ],
};

export const GOOD_USAGE = { input_tokens: 5123, output_tokens: 412, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0 };

function message(reply: { toolInput: unknown; model?: string; usage?: Record<string, number> }, n: number) {
  return {
    id: `msg_${n}`,
    type: 'message',
    role: 'assistant',
    model: reply.model ?? 'claude-sonnet-4-5-20250929',
    content: [{ type: 'tool_use', id: `toolu_${n}`, name: 'submit_design_review', input: reply.toolInput }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: reply.usage ?? GOOD_USAGE,
  };
}

/** Replies are used in order; past the end, the last one repeats. */
export async function startMessages(replies: Reply[]): Promise<FakeMessages> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        authorization: req.headers.authorization,
        apiKeyHeader: req.headers['x-api-key'] as string | undefined,
        raw,
        body: JSON.parse(raw || '{}'),
      });
      const reply = replies[Math.min(received.length - 1, replies.length - 1)]!;
      if (reply === 'hang') return;
      if ('toolInput' in reply) {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${received.length}` });
        res.end(JSON.stringify(message(reply, received.length)));
        return;
      }
      // retry-after-ms keeps the SDK's backoff short in tests.
      res.writeHead(reply.status, { 'content-type': 'application/json', 'retry-after-ms': '5', ...reply.headers });
      res.end(JSON.stringify({ type: 'error', error: reply.error }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
