import { addVersion, assertNoConflict, emptyLock, LockfileSyntaxError, type LockData } from './types.js';

/**
 * yarn.lock, classic (v1, its own format) and berry (v2+, YAML). Both put one entry per
 * resolved version: a header of comma-separated `name@range` specs, then an indented
 * `version "x"` (v1) or `version: x` (berry). Reading that shape line by line handles both
 * without a YAML pass over what can be a very large file.
 */
export function parseYarnLock(text: string): LockData {
  assertNoConflict(text);
  const berry = /^__metadata:\s*$/m.test(text);
  const lock = emptyLock('yarn', berry ? berryVersion(text) : '1');
  let specs: string[] | null = null;
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      if (!line.endsWith(':')) {
        throw new LockfileSyntaxError(`unexpected text at line ${i + 1}: ${line.slice(0, 40)}`);
      }
      const header = line.slice(0, -1);
      specs = header === '__metadata' ? null : splitSpecs(header);
      continue;
    }
    if (specs === null) continue;
    const m = /^ {2}version:? +"?([^"\s]+)"?\s*$/.exec(line);
    if (!m) continue;
    const version = m[1]!;
    for (const spec of specs) recordSpec(lock, spec, version);
    specs = null;
  }
  return lock;
}

function berryVersion(text: string): string | null {
  return /^ {2}version: *"?(\d+)"?/m.exec(text.slice(text.indexOf('__metadata:')))?.[1] ?? null;
}

function splitSpecs(header: string): string[] {
  return header
    .replace(/"/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function recordSpec(lock: LockData, spec: string, version: string): void {
  const at = spec.indexOf('@', 1);
  if (at < 0) return;
  const name = spec.slice(0, at);
  const range = spec.slice(at + 1);
  if (range.startsWith('workspace:') || version.endsWith('-use.local')) return;
  lock.specs.set(`${name}@${range}`, version);
  if (range.startsWith('npm:') && !range.slice(4).includes('@')) {
    lock.specs.set(`${name}@${range.slice(4)}`, version);
  }
  addVersion(lock, name, version);
}

/** The entry whose spec matches the range the workspace declared. */
export function lookupYarn(lock: LockData, name: string, declared: string | null): string | null {
  if (declared === null) return null;
  return lock.specs.get(`${name}@${declared}`) ?? lock.specs.get(`${name}@npm:${declared}`) ?? null;
}
