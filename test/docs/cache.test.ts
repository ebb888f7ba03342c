import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_TTL_MS, cacheDir, cacheFile, newEntry, readCache, writeCache } from '../../src/docs/cache.js';

describe('cacheDir', () => {
  it('uses XDG_CACHE_HOME, else the platform default', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'linux')).toBe(join('/x/cache', 'rt-plan', 'context7'));
    expect(cacheDir({ HOME: '/home/u' }, 'linux')).toBe(join('/home/u', '.cache', 'rt-plan', 'context7'));
    expect(cacheDir({ HOME: '/Users/u' }, 'darwin')).toBe(join('/Users/u', 'Library', 'Caches', 'rt-plan', 'context7'));
    expect(cacheDir({ HOME: '/h', LOCALAPPDATA: '/h/AppData/Local' }, 'win32')).toBe(join('/h/AppData/Local', 'rt-plan', 'Cache', 'context7'));
  });
});

describe('readCache and writeCache', () => {
  let dir = '';
  const key = { library: 'ws', version: '8.18.0', query: 'ws: heartbeat' };
  const now = Date.parse('2026-11-21T10:00:00Z');
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'rtplan-cache-')), 'nested', 'context7');
  });
  afterEach(async () => {
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('round-trips an entry, creating the folder and leaving no temporary file', async () => {
    const entry = newEntry(key, '/websockets/ws', [{ title: 't', excerpt: 'e', reference: 'https://example.org' }], now);
    expect(await writeCache(dir, entry)).toBe(true);
    expect(await readdir(dir)).toEqual([cacheFile(dir, key).split('/').pop()]);
    expect(await readCache(dir, key, now + 1000)).toEqual(entry);
  });

  it('misses on expiry, another key, a wrong shape or bad JSON', async () => {
    await writeCache(dir, newEntry(key, null, [], now));
    expect(await readCache(dir, key, now + CACHE_TTL_MS)).toBeNull();
    expect(await readCache(dir, { ...key, version: '8.17.0' }, now)).toBeNull();
    await writeFile(cacheFile(dir, key), JSON.stringify({ format: 1, key, fetchedAt: 'x', snippets: [] }));
    expect(await readCache(dir, key, now)).toBeNull();
    await writeFile(cacheFile(dir, key), '\u0000garbage');
    expect(await readCache(dir, key, now)).toBeNull();
  });

  it('reports a failed write without throwing', async () => {
    await mkdir(join(dir, '..'), { recursive: true });
    await writeFile(dir, 'a file where the folder should be');
    expect(await writeCache(dir, newEntry(key, null, [], now))).toBe(false);
  });
});
