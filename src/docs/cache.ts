// Disk cache for Context7 answers: the one place rt-plan writes outside the project
// (PRODUCT.md allows a documentation cache in the user's cache directory).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Library docs change rarely and entries are keyed by version, so a day is fresh enough. */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;
const FORMAT = 1;

export interface CacheKey {
  library: string;
  version: string | null;
  query: string;
}

export interface CachedSnippet {
  title: string;
  excerpt: string;
  reference: string;
}

export interface CacheEntry {
  format: number;
  key: CacheKey;
  /** Context7 library id used, e.g. "/websockets/ws/8.18.0"; null when Context7 had no docs. */
  libraryId: string | null;
  fetchedAt: string;
  snippets: CachedSnippet[];
}

/**
 * `$XDG_CACHE_HOME/rt-plan/context7` when set, else the platform's user cache folder:
 * ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows, ~/.cache elsewhere.
 */
export function cacheDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'rt-plan', 'context7');
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'rt-plan', 'context7');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'rt-plan', 'Cache', 'context7');
  return join(home, '.cache', 'rt-plan', 'context7');
}

export function cacheFile(dir: string, key: CacheKey): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([key.library, key.version, key.query]))
    .digest('hex');
  return join(dir, `${hash.slice(0, 32)}.json`);
}

function isEntry(value: unknown, key: CacheKey): value is CacheEntry {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Partial<CacheEntry>;
  return (
    entry.format === FORMAT &&
    entry.key?.library === key.library &&
    entry.key?.version === key.version &&
    entry.key?.query === key.query &&
    typeof entry.fetchedAt === 'string' &&
    Array.isArray(entry.snippets) &&
    entry.snippets.every((s) => s && typeof s.title === 'string' && typeof s.excerpt === 'string' && typeof s.reference === 'string')
  );
}

/** A fresh, well-formed entry, or null. Corrupted or stale entries count as a miss and are overwritten later. */
export async function readCache(dir: string, key: CacheKey, now: number): Promise<CacheEntry | null> {
  let text: string;
  try {
    text = await readFile(cacheFile(dir, key), 'utf8');
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isEntry(value, key)) return null;
  const age = now - Date.parse(value.fetchedAt);
  return Number.isFinite(age) && age >= 0 && age < CACHE_TTL_MS ? value : null;
}

/** Writes atomically (temporary file, then rename). A failed write only loses the cache, so it is swallowed. */
export async function writeCache(dir: string, entry: CacheEntry): Promise<boolean> {
  const file = cacheFile(dir, entry.key);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(tmp, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}

export function newEntry(key: CacheKey, libraryId: string | null, snippets: CachedSnippet[], now: number): CacheEntry {
  return { format: FORMAT, key, libraryId, fetchedAt: new Date(now).toISOString(), snippets };
}
