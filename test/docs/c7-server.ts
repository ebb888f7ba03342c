// A local stand-in for the Context7 API on 127.0.0.1 (port 0), answering with the documented
// response shapes. Tests script the answers and read back every request it received.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  path: string;
  params: Record<string, string>;
  authorization: string | undefined;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export interface FakeContext7 {
  /** Base URL to put in CONTEXT7_API_URL. */
  url: string;
  hits: Hit[];
  connections: () => number;
  close: () => Promise<void>;
}

export const SEARCH_OK = {
  results: [
    {
      id: '/websockets/ws',
      title: 'ws',
      description: 'Simple to use, blazing fast and thoroughly tested WebSocket client and server for Node.js',
      branch: 'master',
      lastUpdateDate: '2026-10-01T08:00:00.000Z',
      state: 'finalized',
      totalTokens: 52310,
      totalSnippets: 131,
      stars: 22100,
      trustScore: 9,
      versions: ['v8.17.1', 'v8.18.0'],
    },
    {
      id: '/heineiuo/isomorphic-ws',
      title: 'isomorphic-ws',
      description: 'ws for Node and browsers',
      branch: 'master',
      lastUpdateDate: '2025-01-01T00:00:00.000Z',
      state: 'finalized',
      totalTokens: 900,
      totalSnippets: 4,
      versions: [],
    },
  ],
};

export const CONTEXT_OK = {
  codeSnippets: [
    {
      codeTitle: 'Detect and close broken connections',
      codeDescription: 'Ping every client on an interval and terminate the ones that did not answer the previous ping.',
      codeLanguage: 'javascript',
      codeList: [
        {
          language: 'javascript',
          code: 'const interval = setInterval(() => {\n  for (const ws of wss.clients) {\n    if (ws.isAlive === false) { ws.terminate(); continue; }\n    ws.isAlive = false;\n    ws.ping();\n  }\n}, 30000);',
        },
      ],
      codeId: 'https://github.com/websockets/ws/blob/master/README.md#how-to-detect-and-close-broken-connections',
      codeTokens: 120,
      pageTitle: 'ws README',
    },
  ],
  infoSnippets: [
    {
      content: 'The permessage-deflate extension is disabled by default on the server and enabled by default on the client.',
      breadcrumb: 'ws > WebSocket compression',
      pageId: 'https://github.com/websockets/ws/blob/master/README.md#websocket-compression',
      contentTokens: 40,
    },
  ],
};

function send(res: ServerResponse, reply: Exclude<Reply, 'hang'>): void {
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
  res.end(body);
}

/** `answer` gets each request and how many requests for the same path came before it. */
export async function startContext7(answer: (hit: Hit, nth: number) => Reply): Promise<FakeContext7> {
  const hits: Hit[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const hit: Hit = { path: url.pathname, params: Object.fromEntries(url.searchParams), authorization: req.headers.authorization };
    const nth = hits.filter((h) => h.path === hit.path).length;
    hits.push(hit);
    const reply = answer(hit, nth);
    if (reply !== 'hang') send(res, reply);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    hits,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The usual happy path: search, then context. */
export const okAnswer = (hit: Hit): Reply => (hit.path.endsWith('/libs/search') ? { status: 200, body: SEARCH_OK } : { status: 200, body: CONTEXT_OK });
