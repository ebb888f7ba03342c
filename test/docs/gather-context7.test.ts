import net from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_TTL_MS } from '../../src/docs/cache.js';
import { gatherDocs, type GatherDocsOptions } from '../../src/docs/index.js';
import { okAnswer, startContext7, type FakeContext7 } from './c7-server.js';
import { DATE, fixture, lib, makeAnalysis } from './helpers.js';

let server: FakeContext7 | null = null;
let cache = '';
const NOW = Date.parse('2026-11-21T10:15:00Z');

beforeEach(async () => {
  cache = await mkdtemp(join(tmpdir(), 'rtplan-c7-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = null;
  await rm(cache, { recursive: true, force: true });
});

const analysis = makeAnalysis([lib('ws', '8.18.0')], { transports: ['websocket'] });

function run(url: string, extra: Partial<GatherDocsOptions> = {}, now = NOW) {
  const options: GatherDocsOptions = {
    mode: 'context7',
    offline: false,
    budget: 24_000,
    date: DATE,
    env: { CONTEXT7_API_URL: url, CONTEXT7_API_KEY: 'ctx7sk-test', XDG_CACHE_HOME: cache },
    // Generous: a loopback answer can take over 300 ms while the whole suite loads both cores
    // (it failed that way in full runs). The hanging-server test sets its own short deadline.
    context7: { timeoutMs: 5_000, retryDelayMs: 1, maxRetryAfterMs: 20, now },
    ...extra,
  };
  return gatherDocs({ root: fixture('docs-installed'), task: 'sync-architecture', requirements: [], analysis, options });
}

const cacheFiles = async (): Promise<string[]> => readdir(join(cache, 'rt-plan', 'context7')).catch(() => []);

describe('gatherDocs with Context7', () => {
  it('adds Context7 snippets with C ids, the retrieval date and the query it asked', async () => {
    server = await startContext7(okAnswer);
    // The same spy the offline test relies on does see fetch's sockets.
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const docs = await run(server.url);
    expect(connect).toHaveBeenCalled();
    expect(server.connections()).toBeGreaterThan(0);
    expect(docs.notices).toEqual([]);
    const c7 = docs.refs.filter((r) => r.source === 'context7');
    expect(c7.map((r) => [r.id, r.title, r.library, r.version, r.retrieved])).toEqual([
      ['C1', 'ws: Detect and close broken connections', 'ws', '8.18.0', '2026-11-21'],
      ['C2', 'ws: ws > WebSocket compression', 'ws', '8.18.0', '2026-11-21'],
    ]);
    expect(server.hits[1]?.params).toEqual({
      libraryId: '/websockets/ws/v8.18.0',
      query: 'ws: auth, heartbeat, reconnect, resume for sync architecture',
      type: 'json',
    });
  });

  it('caches answers on disk: a miss asks the server, a hit does not, an expired entry does', async () => {
    server = await startContext7(okAnswer);
    const first = await run(server.url);
    expect(server.hits).toHaveLength(2);
    const files = await cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{32}\.json$/);
    const entry = JSON.parse(await readFile(join(cache, 'rt-plan', 'context7', files[0] ?? ''), 'utf8'));
    expect(entry.key).toEqual({ library: 'ws', version: '8.18.0', query: 'ws: auth, heartbeat, reconnect, resume for sync architecture' });
    expect(entry.libraryId).toBe('/websockets/ws/v8.18.0');

    const second = await run(server.url);
    expect(server.hits).toHaveLength(2);
    expect(second).toEqual(first);

    await run(server.url, {}, NOW + CACHE_TTL_MS + 1);
    expect(server.hits).toHaveLength(4);
  });

  it('ignores and replaces a corrupted cache entry', async () => {
    server = await startContext7(okAnswer);
    await run(server.url);
    const file = join(cache, 'rt-plan', 'context7', (await cacheFiles())[0] ?? '');
    await writeFile(file, '{"format":1,"key":{"library":"ws"');
    const docs = await run(server.url);
    expect(server.hits).toHaveLength(4);
    expect(docs.refs.filter((r) => r.source === 'context7')).toHaveLength(2);
    expect(JSON.parse(await readFile(file, 'utf8')).snippets).toHaveLength(2);
    expect((await cacheFiles()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('degrades to local sources with one notice when the server keeps failing', async () => {
    server = await startContext7(() => ({ status: 500, body: { error: 'internal_error' } }));
    const lines: string[] = [];
    const docs = await run(server.url, { onNotice: (l) => lines.push(l) });
    expect(lines).toEqual(['Context7 unavailable: HTTP 500 after 3 attempts (plan made from local sources)']);
    expect(docs.notices).toEqual(lines);
    expect(docs.refs.filter((r) => r.source === 'context7')).toEqual([]);
    expect(docs.refs.filter((r) => r.source === 'knowledge').map((r) => r.reference)).toEqual([
      'templates/knowledge/ws-8.md',
      'templates/knowledge/websocket-protocol.md',
      'templates/knowledge/rt-plan-protocol.md',
      'templates/knowledge/rt-plan-operations.md',
      'templates/knowledge/rt-plan-defaults.md',
    ]);
    expect(await cacheFiles()).toEqual([]);
  });

  it('reports a hanging server as unreachable after the timeout', async () => {
    server = await startContext7(() => 'hang');
    const docs = await run(server.url, { context7: { timeoutMs: 150, now: NOW } });
    expect(docs.notices).toEqual(['Context7 unreachable: no answer within 150 ms (plan made from local sources)']);
  });

  it('reports a closed port as unreachable', async () => {
    server = await startContext7(okAnswer);
    const url = server.url;
    await server.close();
    server = null;
    const docs = await run(url);
    expect(docs.notices).toEqual(['Context7 unreachable: ECONNREFUSED (plan made from local sources)']);
  });

  it('--offline opens no socket at all, even with CONTEXT7_API_URL set', async () => {
    server = await startContext7(okAnswer);
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const docs = await run(server.url, { offline: true });
    expect(connect).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(server.connections()).toBe(0);
    expect(docs.notices).toEqual(['Context7 skipped: --offline forbids network access (plan made from local sources)']);
    expect(docs.refs.some((r) => r.source === 'context7')).toBe(false);
    expect(await cacheFiles()).toEqual([]);
  });

  it('local mode never contacts Context7', async () => {
    server = await startContext7(okAnswer);
    const docs = await run(server.url, { mode: 'local' });
    expect(server.connections()).toBe(0);
    expect(docs.notices).toEqual([]);
  });
});

describe('gatherDocs with a bad CONTEXT7_API_URL', () => {
  it('skips Context7 with a notice instead of crashing', async () => {
    const docs = await run('not a url');
    expect(docs.notices).toEqual(['Context7 skipped: CONTEXT7_API_URL is not an http(s) URL (plan made from local sources)']);
    expect(docs.refs.length).toBeGreaterThan(0);
  });
});
