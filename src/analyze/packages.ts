import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError, InputError } from '../errors.js';
import type { Warning, WorkspacePackage } from '../types.js';
import { findLockfiles, lookupLock, readLockfile, type LockData } from './lockfiles.js';
import { parseManifest, type Manifest } from './manifest.js';
import { expandWorkspaces, FALLBACK_PATTERNS, isFile, readWorkspaceConfig, type Monorepo, type PackageManager } from './workspaces.js';

export { detectFromPackages, type PackageDetection } from './package-detect.js';

export interface ResolvedVersions {
  /** Version installed for `name` as seen from workspace `dir` ('' = root); null if unknown. */
  get(dir: string, name: string): string | null;
  /** The root lockfile, relative to the project; null when there is none. */
  lockfile: string | null;
  /** Every lockfile used, the root's first (nested apps may carry their own). */
  lockfiles?: string[];
}

export interface PackagesResult {
  packages: WorkspacePackage[];
  packageManager: PackageManager | null;
  monorepo: Monorepo | null;
  resolved: ResolvedVersions;
  warnings: Warning[];
}

const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;
const PACKAGE_MANAGERS = new Set<string>(['npm', 'pnpm', 'yarn']);

/** Reads every package.json of the project, its workspaces and the versions its lockfiles pin. */
/**
 * Without workspaces, the nested apps: the usual folder names, plus any folder one or two
 * levels down whose package.json has a lockfile beside it (an app installed on its own, such
 * as `app/` or `mobile/`). A vendored copy of dependencies has no lockfiles, so it stays out.
 */
async function appDirs(root: string, usual: string[]): Promise<string[]> {
  const [named, nearby] = await Promise.all([expandWorkspaces(root, usual), expandWorkspaces(root, ['*', '*/*'])]);
  const installed = await Promise.all(nearby.map(async (dir) => ((await findLockfiles(root, dir)).length > 0 ? dir : null)));
  return [...new Set([...named, ...installed.filter((d): d is string => d !== null)])].sort();
}

export async function readPackages(root: string): Promise<PackagesResult> {
  try {
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
    await readdir(root);
  } catch (err) {
    throw new InputError(`cannot read project directory ${root}: ${describeError(err)}`, {
      hint: 'pass an existing, readable project folder with --cwd',
      cause: err,
    });
  }
  const warnings: Warning[] = [];
  const rootRead = await readManifestFile(root, '');
  if (rootRead.warning) warnings.push(rootRead.warning);
  const rootManifest = rootRead.manifest;

  const rootLocks = await readLockfile(root, '', declaredManager(rootManifest));
  const packageManager = declaredManager(rootManifest) ?? rootLocks?.kind ?? ((await isFile(path.join(root, 'pnpm-workspace.yaml'))) ? 'pnpm' : null);

  const config = await readWorkspaceConfig(root, rootManifest?.workspaces ?? null, packageManager);
  warnings.push(...config.warnings);
  const patterns = config.patterns.length > 0 ? config.patterns : FALLBACK_PATTERNS;
  const dirs = config.patterns.length > 0 ? await expandWorkspaces(root, patterns) : await appDirs(root, patterns);

  const reads = await Promise.all(dirs.map((dir) => readManifestFile(root, dir)));
  const packages: WorkspacePackage[] = [];
  if (rootManifest) packages.push(toPackage('', rootManifest));
  for (const [i, read] of reads.entries()) {
    if (read.warning) warnings.push(read.warning);
    if (read.manifest) packages.push(toPackage(dirs[i]!, read.manifest));
  }

  // A nested app without workspaces usually installs on its own, with its own lockfile.
  const locks = new Map<string, LockData>();
  const lockfiles: string[] = [];
  const nested = await Promise.all(dirs.map((dir) => (config.patterns.length > 0 ? null : readLockfile(root, dir, packageManager))));
  for (const read of [rootLocks, ...nested]) {
    if (!read) continue;
    warnings.push(...read.warnings);
    lockfiles.push(read.file);
    if (read.lock) locks.set(path.posix.dirname(read.file).replace(/^\.$/, ''), read.lock);
  }

  const nestedKind = nested.find((n) => n !== null)?.kind ?? null;
  const resolved = await buildResolver(root, packages, locks, rootLocks?.file ?? null, lockfiles);
  return {
    packages,
    packageManager: packageManager ?? nestedKind,
    monorepo: config.monorepo,
    resolved,
    warnings,
  };
}

function declaredManager(manifest: Manifest | null): PackageManager | null {
  const name = manifest?.packageManager?.split('@')[0];
  return name !== undefined && PACKAGE_MANAGERS.has(name) ? (name as PackageManager) : null;
}

function toPackage(dir: string, m: Manifest): WorkspacePackage {
  return {
    dir,
    name: m.name,
    manifest: dir === '' ? 'package.json' : `${dir}/package.json`,
    dependencies: m.dependencies,
    dependencyLines: m.dependencyLines,
  };
}

interface ManifestRead {
  manifest: Manifest | null;
  warning: Warning | null;
}

/** Never throws: a bad manifest becomes a warning naming the file and the problem. */
async function readManifestFile(root: string, dir: string): Promise<ManifestRead> {
  const file = dir === '' ? 'package.json' : `${dir}/package.json`;
  const full = path.join(root, file);
  const skip = (message: string): ManifestRead => ({ manifest: null, warning: { file, message } });
  let bytes: Buffer;
  try {
    const info = await stat(full);
    if (!info.isFile()) return { manifest: null, warning: null };
    if (info.size > MAX_MANIFEST_BYTES) {
      return skip(`file too large (${(info.size / 1048576).toFixed(1)} MB; the limit is 5 MB)`);
    }
    bytes = await readFile(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { manifest: null, warning: null };
    return skip(`cannot read: ${describeError(err)}`);
  }
  if (bytes.includes(0)) return skip('binary file, not JSON');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return skip('not valid UTF-8');
  }
  const parsed = parseManifest(text);
  return parsed.ok ? { manifest: parsed.manifest, warning: null } : skip(parsed.message);
}

/**
 * Resolution order: the nearest lockfile, then the installed node_modules/<name>/package.json.
 * node_modules is read up front for declared dependencies the lockfile did not answer, so
 * `get` stays synchronous for the code analyzer.
 */
async function buildResolver(
  root: string,
  packages: WorkspacePackage[],
  locks: Map<string, LockData>,
  lockfile: string | null,
  lockfiles: string[],
): Promise<ResolvedVersions> {
  const declaredIn = new Map(packages.map((p) => [p.dir, p.dependencies]));
  const fromLock = (dir: string, name: string): string | null => {
    const declared = declaredIn.get(dir)?.[name] ?? null;
    for (let d: string | null = dir; d !== null; d = parentDir(d)) {
      const lock = locks.get(d);
      if (!lock) continue;
      const rel = d === '' ? dir : dir.slice(d.length + 1);
      return lookupLock(lock, rel, name, declared);
    }
    return null;
  };

  const installed = new Map<string, string>();
  await Promise.all(
    packages.flatMap((p) =>
      Object.keys(p.dependencies)
        .filter((name) => isPackageName(name) && fromLock(p.dir, name) === null)
        .map(async (name) => {
          const version = await installedVersion(root, p.dir, name);
          if (version !== null) installed.set(`${p.dir}\u0000${name}`, version);
        }),
    ),
  );

  return {
    get(dir: string, name: string): string | null {
      const d = normaliseDir(dir);
      return fromLock(d, name) ?? installed.get(`${d}\u0000${name}`) ?? null;
    },
    lockfile,
    lockfiles,
  };
}

async function installedVersion(root: string, dir: string, name: string): Promise<string | null> {
  for (let d: string | null = dir; d !== null; d = parentDir(d)) {
    try {
      const text = await readFile(path.join(root, d, 'node_modules', name, 'package.json'), 'utf8');
      const data: unknown = JSON.parse(text);
      const version = (data as { version?: unknown } | null)?.version;
      if (typeof version === 'string') return version;
    } catch {
      // not installed here (or unreadable): keep walking up, as Node's resolution does
    }
  }
  return null;
}

function parentDir(dir: string): string | null {
  if (dir === '') return null;
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? '' : dir.slice(0, slash);
}

function normaliseDir(dir: string): string {
  const d = dir
    .replace(/\\/g, '/')
    .replace(/^(?:\.\/)+/, '')
    .replace(/\/+$/, '');
  return d === '.' ? '' : d;
}

/** Guards the node_modules path: a dependency key must not walk out of the folder. */
function isPackageName(name: string): boolean {
  return /^(?:@[^/\\]+\/)?[^/\\]+$/.test(name) && !name.split('/').some((s) => s === '.' || s === '..');
}
