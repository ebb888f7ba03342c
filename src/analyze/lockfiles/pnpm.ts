import { parse as parseYaml } from 'yaml';
import { isObject } from '../manifest.js';
import { DEP_KINDS, scanImporters } from './pnpm-importers.js';
import { addVersion, assertNoConflict, emptyLock, LockfileSyntaxError, type LockData } from './types.js';

// Lockfiles of big monorepos run to megabytes, nearly all of it under `packages:` and
// `snapshots:`. Only the importer sections matter for versions; the package keys are read
// line by line, and the importers by a layout scanner with the YAML parser as its fallback.
const IMPORTER_SECTIONS = new Set(['importers', ...DEP_KINDS]);
const KEYED_SECTIONS = new Set(['packages', 'snapshots']);

/** pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x. */
export function parsePnpmLock(text: string): LockData {
  assertNoConflict(text);
  const lines = text.split(/\r?\n/);
  const sections = new Map<string, string[]>();
  const packageKeys: string[] = [];
  let lockfileVersion: string | null = null;
  let section: string | null = null;
  for (const [i, line] of lines.entries()) {
    if (line === '---') {
      // pnpm 9+ may put its own environment in a first YAML document; the project's is last.
      sections.clear();
      packageKeys.length = 0;
      lockfileVersion = null;
      section = null;
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const first = line.charCodeAt(0);
    if (first !== 32 && first !== 9) {
      const m = /^([A-Za-z][\w-]*):(?: +(.*))?$/.exec(line);
      if (!m) throw new LockfileSyntaxError(`unexpected text at line ${i + 1}: ${line.slice(0, 40)}`);
      section = m[1]!;
      if (section === 'lockfileVersion') lockfileVersion = (m[2] ?? '').replace(/^['"]|['"]$/g, '');
      if (IMPORTER_SECTIONS.has(section)) sections.set(section, [line]);
    } else if (section !== null && KEYED_SECTIONS.has(section)) {
      if (line.charCodeAt(2) === 32) continue; // a field of an entry, not its key
      const key = /^ {2}(?:'([^']+)'|"([^"]+)"|([^\s'"][^\s]*?)):(?:\s|$)/.exec(line);
      if (key) packageKeys.push(key[1] ?? key[2] ?? key[3]!);
    } else if (section !== null) {
      sections.get(section)?.push(line);
    }
  }
  if (!lockfileVersion) throw new LockfileSyntaxError('no lockfileVersion: not a pnpm lockfile');
  if (!/^\d+(\.\d+)?$/.test(lockfileVersion)) {
    throw new LockfileSyntaxError(`lockfileVersion ${JSON.stringify(lockfileVersion.slice(0, 20))} is not a version number`);
  }

  const lock = emptyLock('pnpm', lockfileVersion);
  const importerLines = sections.get('importers');
  const depLines = DEP_KINDS.flatMap((kind) => sections.get(kind) ?? []);
  const raw = importerLines
    ? (scanImporters(importerLines.slice(1), true) ?? importersFromYaml(importerLines))
    : (scanImporters(depLines, false) ?? importersFromYaml(depLines));
  for (const [dir, deps] of raw) {
    const clean = new Map<string, string>();
    for (const [name, version] of deps) {
      const v = cleanPnpmVersion(version);
      if (v !== null) clean.set(name, v);
    }
    lock.importers.set(normaliseImporter(dir), clean);
  }

  for (const key of packageKeys) {
    const parsed = parsePackageKey(key);
    if (parsed) addVersion(lock, parsed.name, parsed.version);
  }
  return lock;
}

function importersFromYaml(lines: string[]): Map<string, Map<string, string>> {
  let data: unknown;
  try {
    data = parseYaml(lines.join('\n'));
  } catch (err) {
    throw new LockfileSyntaxError(`invalid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const out = new Map<string, Map<string, string>>();
  if (!isObject(data)) return out;
  if (isObject(data.importers)) {
    for (const [dir, importer] of Object.entries(data.importers)) {
      if (isObject(importer)) out.set(dir, importerDeps(importer));
    }
  } else {
    // A single-project lockfile (v5, v6) keeps the root's dependencies at the top level.
    out.set('', importerDeps(data));
  }
  return out;
}

function importerDeps(importer: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of DEP_KINDS) {
    const deps = importer[kind];
    if (!isObject(deps)) continue;
    for (const [name, entry] of Object.entries(deps)) {
      const raw = isObject(entry) ? entry.version : entry;
      if ((typeof raw === 'string' || typeof raw === 'number') && !out.has(name)) out.set(name, String(raw));
    }
  }
  return out;
}

function normaliseImporter(dir: string): string {
  return dir === '.' ? '' : dir.replace(/^\.\//, '').replace(/\/+$/, '');
}

/**
 * `4.7.5(bufferutil@4.0.8)(utf-8-validate@5.0.10)` → `4.7.5`; v5's `4.7.5_bufferutil@4.0.8`
 * → `4.7.5`; an alias `string-width@4.2.3` → `4.2.3`; workspace links → null.
 */
export function cleanPnpmVersion(raw: string): string | null {
  const v = raw.split('(')[0]!.trim();
  if (v === '' || v.startsWith('link:') || v.startsWith('file:') || v.startsWith('workspace:')) return null;
  if (v.startsWith('/')) return parsePackageKey(v)?.version ?? null;
  if (/^\d/.test(v)) return v.split('_')[0]!;
  const at = v.lastIndexOf('@');
  return at > 0 ? (v.slice(at + 1).split('_')[0] ?? null) : v;
}

/** `/socket.io@4.7.5` (v6), `socket.io@4.7.5(...)` (v9), `/socket.io/4.7.5_x` (v5). */
export function parsePackageKey(key: string): { name: string; version: string } | null {
  const k = key.replace(/^\//, '').split('(')[0]!;
  // v5 first: its peer suffix (`_bufferutil@4.0.7`) holds an '@' of its own.
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/(\d[^/_]*)(?:_.*)?$/.exec(k);
  if (v5) return { name: v5[1]!, version: v5[2]! };
  const at = k.indexOf('@', 1);
  if (at <= 0) return null;
  const version = k.slice(at + 1);
  return /^\d/.test(version) ? { name: k.slice(0, at), version } : null;
}

export function lookupPnpm(lock: LockData, dir: string, name: string): string | null {
  return lock.importers.get(dir)?.get(name) ?? null;
}
