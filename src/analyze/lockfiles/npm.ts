import { scanJson } from '../json-scan.js';
import { isObject } from '../manifest.js';
import { addVersion, assertNoConflict, emptyLock, LockfileSyntaxError, type LockData } from './types.js';

/**
 * package-lock.json / npm-shrinkwrap.json. v2 and v3 list install paths under `packages`
 * (hoisted `node_modules/x`, nested `apps/server/node_modules/x`); v1 has only the nested
 * `dependencies` tree, which is turned into the same install paths.
 */
export function parsePackageLock(text: string): LockData {
  assertNoConflict(text);
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const scan = scanJson(text);
    throw new LockfileSyntaxError(scan.ok ? (err as Error).message : `invalid JSON: ${scan.message} at line ${scan.line} column ${scan.column}`);
  }
  if (!isObject(data)) throw new LockfileSyntaxError('not a JSON object');
  const version = typeof data.lockfileVersion === 'number' ? String(data.lockfileVersion) : null;
  const lock = emptyLock('npm', version);

  if (isObject(data.packages)) {
    for (const [key, entry] of Object.entries(data.packages)) {
      if (!isObject(entry) || entry.link === true || typeof entry.version !== 'string') continue;
      const at = key.lastIndexOf('node_modules/');
      if (at < 0) continue; // the root or a workspace's own entry
      lock.installed.set(key, entry.version);
      addVersion(lock, key.slice(at + 'node_modules/'.length), entry.version);
    }
  } else if (isObject(data.dependencies)) {
    walkV1(lock, '', data.dependencies, 0);
  }
  return lock;
}

function walkV1(lock: LockData, prefix: string, deps: Record<string, unknown>, depth: number): void {
  if (depth > 64) return;
  for (const [name, entry] of Object.entries(deps)) {
    if (!isObject(entry) || typeof entry.version !== 'string') continue;
    const key = `${prefix}node_modules/${name}`;
    if (!entry.version.startsWith('file:')) {
      lock.installed.set(key, entry.version);
      addVersion(lock, name, entry.version);
    }
    if (isObject(entry.dependencies)) walkV1(lock, `${key}/`, entry.dependencies, depth + 1);
  }
}

/** Node's resolution: the nearest node_modules from `dir` up to the lockfile's folder. */
export function lookupNpm(lock: LockData, dir: string, name: string): string | null {
  let d = dir;
  for (;;) {
    const hit = lock.installed.get(`${d === '' ? '' : `${d}/`}node_modules/${name}`);
    if (hit !== undefined) return hit;
    if (d === '') return null;
    const slash = d.lastIndexOf('/');
    d = slash < 0 ? '' : d.slice(0, slash);
  }
}
