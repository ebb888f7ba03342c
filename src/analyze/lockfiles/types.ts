/** What every lockfile parser returns: enough to answer "which version of X does dir D get". */
export interface LockData {
  kind: 'npm' | 'pnpm' | 'yarn';
  lockfileVersion: string | null;
  /** npm: install path ('node_modules/ws', 'apps/server/node_modules/ws') → version. */
  installed: Map<string, string>;
  /** pnpm: importer dir ('' for the root) → dependency name → version, peer suffix removed. */
  importers: Map<string, Map<string, string>>;
  /** yarn: "name@range" → version, berry ranges also stored without the `npm:` protocol. */
  specs: Map<string, string>;
  /** Every version of each package anywhere in the lockfile, sorted, deduplicated. */
  versions: Map<string, string[]>;
}

/** A lockfile that cannot be read; the message names where it broke. */
export class LockfileSyntaxError extends Error {}

export function emptyLock(kind: LockData['kind'], lockfileVersion: string | null): LockData {
  return {
    kind,
    lockfileVersion,
    installed: new Map(),
    importers: new Map(),
    specs: new Map(),
    versions: new Map(),
  };
}

export function addVersion(lock: LockData, name: string, version: string): void {
  const list = lock.versions.get(name);
  if (!list) lock.versions.set(name, [version]);
  else if (!list.includes(version)) {
    list.push(version);
    list.sort();
  }
}

/** Merge-conflict markers are the most common way a lockfile breaks; name their line. */
export function assertNoConflict(text: string): void {
  const m = /^(<{7}|={7}|>{7})(?: |$)/m.exec(text);
  if (!m) return;
  const line = text.slice(0, m.index).split('\n').length;
  throw new LockfileSyntaxError(`unresolved merge conflict marker at line ${line}`);
}
