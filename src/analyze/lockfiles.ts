import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import maxSatisfying from 'semver/ranges/max-satisfying.js';
import validRange from 'semver/ranges/valid.js';
import type { Warning } from '../types.js';
import { lookupNpm, parsePackageLock } from './lockfiles/npm.js';
import { lookupPnpm, parsePnpmLock } from './lockfiles/pnpm.js';
import { LockfileSyntaxError, type LockData } from './lockfiles/types.js';
import { lookupYarn, parseYarnLock } from './lockfiles/yarn.js';

export { parsePackageLock } from './lockfiles/npm.js';
export { parsePnpmLock, cleanPnpmVersion } from './lockfiles/pnpm.js';
export { parseYarnLock } from './lockfiles/yarn.js';
export { LockfileSyntaxError, type LockData } from './lockfiles/types.js';

export type LockKind = LockData['kind'];

/** Lockfile names in the order used when a folder has several and nothing says which. */
export const LOCKFILES: readonly { file: string; kind: LockKind }[] = [
  { file: 'pnpm-lock.yaml', kind: 'pnpm' },
  { file: 'yarn.lock', kind: 'yarn' },
  { file: 'npm-shrinkwrap.json', kind: 'npm' },
  { file: 'package-lock.json', kind: 'npm' },
];

const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;

const PARSERS: Record<LockKind, (text: string) => LockData> = {
  npm: parsePackageLock,
  pnpm: parsePnpmLock,
  yarn: parseYarnLock,
};

export function parseLockfile(kind: LockKind, text: string): LockData {
  return PARSERS[kind](text);
}

export interface LockfileRead {
  /** Path relative to the project root, posix. */
  file: string;
  kind: LockKind;
  /** null when the lockfile was present but could not be used (see warnings). */
  lock: LockData | null;
  warnings: Warning[];
}

/** Which lockfiles a folder holds, in LOCKFILES order. */
export async function findLockfiles(root: string, dir: string): Promise<{ file: string; kind: LockKind }[]> {
  const found: { file: string; kind: LockKind }[] = [];
  for (const entry of LOCKFILES) {
    const rel = dir === '' ? entry.file : `${dir}/${entry.file}`;
    try {
      if ((await stat(path.join(root, rel))).isFile()) found.push({ file: rel, kind: entry.kind });
    } catch {
      // absent
    }
  }
  return found;
}

/**
 * Reads the lockfile of `dir`, preferring the package manager the project names. A broken
 * lockfile is a warning, not an error: versions then come from node_modules or the ranges.
 */
export async function readLockfile(root: string, dir: string, preferred: LockKind | null): Promise<LockfileRead | null> {
  const found = await findLockfiles(root, dir);
  const chosen = found.find((f) => f.kind === preferred) ?? found[0];
  if (!chosen) return null;
  const warnings: Warning[] = [];
  if (found.length > 1) {
    const others = found.filter((f) => f !== chosen).map((f) => f.file);
    warnings.push({ file: chosen.file, message: `several lockfiles; using this one, not ${others.join(', ')}` });
  }
  const fallback = 'versions come from node_modules or the declared ranges';
  try {
    const full = path.join(root, chosen.file);
    const size = (await stat(full)).size;
    if (size > MAX_LOCKFILE_BYTES) {
      warnings.push({ file: chosen.file, message: `lockfile too large (${mb(size)} MB; limit ${mb(MAX_LOCKFILE_BYTES)} MB); ${fallback}` });
      return { ...chosen, lock: null, warnings };
    }
    const text = await readFile(full, 'utf8');
    return { ...chosen, lock: parseLockfile(chosen.kind, text), warnings };
  } catch (err) {
    const why = err instanceof LockfileSyntaxError ? err.message : `cannot read: ${(err as Error).message}`;
    warnings.push({ file: chosen.file, message: `invalid lockfile: ${why}; ${fallback}` });
    return { ...chosen, lock: null, warnings };
  }
}

/**
 * The version `dir` (relative to the lockfile's folder) gets for `name`. When the lockfile
 * has no direct answer but knows the package, the highest version in it that satisfies the
 * declared range (or its only version, when the range is not semver) is what was installed.
 */
export function lookupLock(lock: LockData, dir: string, name: string, declared: string | null): string | null {
  const direct = lock.kind === 'npm' ? lookupNpm(lock, dir, name) : lock.kind === 'pnpm' ? lookupPnpm(lock, dir, name) : lookupYarn(lock, name, declared);
  if (direct !== null) return direct;
  const versions = lock.versions.get(name);
  if (!versions || versions.length === 0) return null;
  if (declared !== null && validRange(declared) !== null) return maxSatisfying(versions, declared);
  return versions.length === 1 ? versions[0]! : null;
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
