import { afterEach, describe, expect, it } from 'vitest';
import { chooseLibrary, Context7Error, fetchContext7, parseRetryAfter, pinVersion, type Context7Settings } from '../../src/docs/context7.js';
import { CONTEXT_OK, okAnswer, startContext7, type FakeContext7, type Reply } from './c7-server.js';

let server: FakeContext7 | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const slept: number[] = [];
function settings(url: string, extra: Partial<Context7Settings> = {}): Context7Settings {
  slept.length = 0;
  return {
    baseUrl: url,
    timeoutMs: 5_000, // generous: a loaded machine must not turn a success into a timeout
    maxAttempts: 3,
    retryDelayMs: 2,
    maxRetryAfterMs: 40,
    maxSnippets: 6,
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...extra,
  };
}
const QUERY = 'ws: heartbeat for chat';
const paths = (): string[] => server?.hits.map((h) => h.path.replace(/^\/api/, '')) ?? [];

describe('fetchContext7 against a local server', () => {
  it('searches, pins the installed version, sends the bearer key and maps snippets', async () => {
    server = await startContext7(okAnswer);
    const result = await fetchContext7('ws', '8.18.0', QUERY, settings(server.url, { apiKey: 'ctx7sk-test' }));
    expect(paths()).toEqual(['/v2/libs/search', '/v2/context']);
    expect(server.hits[0]?.params).toEqual({ libraryName: 'ws', query: QUERY });
    expect(server.hits[1]?.params).toEqual({ libraryId: '/websockets/ws/v8.18.0', query: QUERY, type: 'json' });
    expect(server.hits.map((h) => h.authorization)).toEqual(['Bearer ctx7sk-test', 'Bearer ctx7sk-test']);
    expect(result.libraryId).toBe('/websockets/ws/v8.18.0');
    expect(result.snippets.map((s) => [s.title, s.reference])).toEqual([
      ['ws > WebSocket compression', 'https://github.com/websockets/ws/blob/master/README.md#websocket-compression'],
      ['Detect and close broken connections', 'https://github.com/websockets/ws/blob/master/README.md#how-to-detect-and-close-broken-connections'],
    ]);
    expect(result.snippets[1]?.excerpt).toMatch(/^Ping every client on an interval[^]*```javascript\nconst interval/);
  });

  it('sends no Authorization header without a key', async () => {
    server = await startContext7(okAnswer);
    await fetchContext7('ws', null, QUERY, settings(server.url));
    expect(server.hits.map((h) => h.authorization)).toEqual([undefined, undefined]);
    expect(server.hits[1]?.params.libraryId).toBe('/websockets/ws');
  });

  it('retries a 202 (library not finalized) and then succeeds', async () => {
    server = await startContext7((hit, nth) =>
      hit.path.endsWith('/context') && nth === 0
        ? { status: 202, body: { error: 'library_not_finalized', message: 'Library is being processed' } }
        : okAnswer(hit),
    );
    const result = await fetchContext7('ws', '8.18.0', QUERY, settings(server.url));
    expect(paths()).toEqual(['/v2/libs/search', '/v2/context', '/v2/context']);
    expect(slept).toEqual([2]);
    expect(result.snippets).toHaveLength(2);
  });

  it('follows a 301 to the library id in redirectUrl', async () => {
    server = await startContext7((hit) =>
      hit.path.endsWith('/context') && hit.params.libraryId === '/websockets/ws/v8.18.0'
        ? { status: 301, body: { error: 'library_redirected', message: 'Library moved', redirectUrl: '/websockets/ws-next' } }
        : okAnswer(hit),
    );
    const result = await fetchContext7('ws', '8.18.0', QUERY, settings(server.url));
    expect(server.hits.map((h) => h.params.libraryId ?? null)).toEqual([null, '/websockets/ws/v8.18.0', '/websockets/ws-next']);
    expect(result.libraryId).toBe('/websockets/ws-next');
  });

  it('honours Retry-After on 429, capped', async () => {
    const replies: Reply[] = [
      { status: 429, body: { error: 'Too many requests', status: 429 }, headers: { 'retry-after': '0.01' } },
      { status: 429, body: { error: 'Too many requests', status: 429 }, headers: { 'retry-after': '3600' } },
    ];
    server = await startContext7((hit, nth) => (hit.path.endsWith('/search') && nth < 2 ? (replies[nth] as Reply) : okAnswer(hit)));
    const result = await fetchContext7('ws', '8.18.0', QUERY, settings(server.url));
    expect(slept).toEqual([10, 40]);
    expect(result.snippets).toHaveLength(2);
  });

  it('gives up after three 500s', async () => {
    server = await startContext7(() => ({ status: 500, body: { error: 'internal_error', message: 'boom' } }));
    const error = await fetchContext7('ws', '8.18.0', QUERY, settings(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Context7Error);
    expect((error as Context7Error).kind).toBe('server-error');
    expect((error as Context7Error).message).toBe('HTTP 500 after 3 attempts');
    expect(paths()).toEqual(['/v2/libs/search', '/v2/libs/search', '/v2/libs/search']);
    expect(slept).toEqual([2, 4]);
  });

  it('times out on a hanging response', async () => {
    server = await startContext7(() => 'hang');
    const error = await fetchContext7('ws', '8.18.0', QUERY, settings(server.url, { timeoutMs: 150 })).catch((e: unknown) => e);
    expect((error as Context7Error).kind).toBe('timeout');
    expect((error as Context7Error).message).toBe('no answer within 150 ms');
    expect(paths()).toEqual(['/v2/libs/search']);
  });

  it('treats 402 as a failure and 404 as "no documentation"', async () => {
    server = await startContext7(() => ({ status: 402, body: { error: 'payment_required', message: 'Quota exceeded' } }));
    const paid = await fetchContext7('ws', null, QUERY, settings(server.url)).catch((e: unknown) => e);
    expect((paid as Context7Error).kind).toBe('payment-required');
    await server.close();
    server = await startContext7((hit) =>
      hit.path.endsWith('/context') ? { status: 404, body: { error: 'library_not_found', message: 'Library "/websockets/ws" not found.' } } : okAnswer(hit),
    );
    expect(await fetchContext7('ws', null, QUERY, settings(server.url))).toEqual({ libraryId: '/websockets/ws', snippets: [] });
  });

  it('refuses to follow a redirect to another host with the key', async () => {
    server = await startContext7((hit) =>
      hit.path.endsWith('/context') ? { status: 301, body: { redirectUrl: 'https://elsewhere.invalid/api/v2/context' } } : okAnswer(hit),
    );
    const error = await fetchContext7('ws', null, QUERY, settings(server.url, { apiKey: 'k' })).catch((e: unknown) => e);
    expect((error as Context7Error).message).toBe('redirect to another host (elsewhere.invalid)');
    expect(paths()).toEqual(['/v2/libs/search', '/v2/context']);
  });
});

describe('pure helpers', () => {
  it('chooses the exact library and pins versions', () => {
    const libs = [
      { id: '/other/websocket-thing', title: 'Thing', versions: [] },
      { id: '/socketio/socket.io', title: 'Socket.IO', versions: ['4.7.5', '4.8.1', '3.1.2'] },
    ];
    expect(chooseLibrary(libs, 'socket.io')?.id).toBe('/socketio/socket.io');
    expect(chooseLibrary(libs, 'nothing-like-it')?.id).toBe('/other/websocket-thing');
    expect(chooseLibrary([], 'ws')).toBeNull();
    const sio = libs[1]!;
    expect(pinVersion(sio, '4.7.5')).toBe('/socketio/socket.io/4.7.5');
    expect(pinVersion(sio, '4.6.0')).toBe('/socketio/socket.io/4.8.1');
    expect(pinVersion(sio, '2.4.1')).toBe('/socketio/socket.io');
    expect(pinVersion(sio, '^4.0.0')).toBe('/socketio/socket.io');
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', Date.parse('2026-11-21T10:00:00Z'))).toBe(5000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('keeps the documented context shape intact', () => {
    expect(Object.keys(CONTEXT_OK)).toEqual(['codeSnippets', 'infoSnippets']);
  });
});
