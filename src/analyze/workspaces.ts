import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { Warning } from '../types.js';
import { isObject } from './manifest.js';

export type Monorepo = 'npm' | 'yarn' | 'pnpm' | 'turbo' | 'lerna';
export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** Folders that never hold a workspace: dependencies, VCS data and build output. */
export const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.output',
  '.turbo',
  '.svelte-kit',
  '.cache',
  '.vercel',
  '.netlify',
  '.yarn',
  '.pnpm-store',
  'bower_components',
  'jspm_packages',
  'tmp',
  '.claude',
]);

/**
 * Where to look when the project declares no workspaces. Many client/server repositories keep
 * one package.json per app and install each separately (no workspaces field); their real-time
 * libraries live only in those nested manifests, so ignoring them would report no stack at all.
 */
export const FALLBACK_PATTERNS = ['apps/*', 'packages/*', 'services/*', 'server', 'client', 'web', 'frontend', 'backend', 'api'];

const MAX_GLOBSTAR_DEPTH = 6;

export interface WorkspaceConfig {
  patterns: string[];
  /** The tool whose config declared the workspaces; turbo wins because it names the layout. */
  monorepo: Monorepo | null;
  warnings: Warning[];
}

/** `packages:` of pnpm-workspace.yaml. */
export function parsePnpmWorkspace(text: string): string[] {
  const data: unknown = parseYaml(text);
  if (!isObject(data) || !Array.isArray(data.packages)) return [];
  return data.packages.filter((p): p is string => typeof p === 'string');
}

/** `packages` of lerna.json; lerna's own default when it has none. */
export function parseLernaJson(text: string): string[] {
  const data: unknown = JSON.parse(text);
  if (!isObject(data)) return [];
  if (!Array.isArray(data.packages)) return ['packages/*'];
  return data.packages.filter((p): p is string => typeof p === 'string');
}

export async function readWorkspaceConfig(root: string, manifestWorkspaces: string[] | null, packageManager: PackageManager | null): Promise<WorkspaceConfig> {
  const warnings: Warning[] = [];
  const patterns: string[] = [];
  let monorepo: Monorepo | null = null;

  const pnpmText = await readText(path.join(root, 'pnpm-workspace.yaml'));
  if (pnpmText !== null) {
    try {
      patterns.push(...parsePnpmWorkspace(pnpmText));
      monorepo = 'pnpm';
    } catch (err) {
      warnings.push({ file: 'pnpm-workspace.yaml', message: `invalid YAML: ${firstLine(err)}` });
    }
  }
  if (manifestWorkspaces !== null) {
    patterns.push(...manifestWorkspaces);
    monorepo ??= packageManager === 'yarn' ? 'yarn' : 'npm';
  }
  const lernaText = await readText(path.join(root, 'lerna.json'));
  if (lernaText !== null) {
    try {
      patterns.push(...parseLernaJson(lernaText));
      monorepo = 'lerna';
    } catch (err) {
      warnings.push({ file: 'lerna.json', message: `invalid JSON: ${firstLine(err)}` });
    }
  }
  if ((await readText(path.join(root, 'turbo.json'))) !== null) monorepo = 'turbo';
  return { patterns: [...new Set(patterns)], monorepo, warnings };
}

/**
 * Directories (relative, posix, sorted, never '') that match the patterns and hold a
 * package.json. Globs are matched against a directory listing rather than the file system's
 * glob so the skip list applies and symlinked folders cannot loop.
 */
export async function expandWorkspaces(root: string, patterns: string[]): Promise<string[]> {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const p = normalisePattern(negated ? raw.slice(1) : raw);
    if (p === '' || p === '.') continue;
    // A workspace is inside the project: '../x' or '/x' would read other projects' files.
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').includes('..')) continue;
    (negated ? exclude : include).push(p);
  }
  if (include.length === 0) return [];
  const isIncluded = picomatch(include);
  const isExcluded = exclude.length > 0 ? picomatch(exclude) : () => false;

  const candidates = new Set<string>();
  for (const pattern of include) {
    const { base, isGlob } = picomatch.scan(pattern);
    if (!isGlob) {
      candidates.add(base);
      continue;
    }
    const baseDepth = base === '' ? 0 : base.split('/').length;
    const depth = pattern.includes('**') ? MAX_GLOBSTAR_DEPTH : pattern.split('/').length - baseDepth;
    for (const dir of await listDirs(root, base, depth)) candidates.add(dir);
  }

  const found: string[] = [];
  for (const dir of [...candidates].sort()) {
    if (dir === '' || !isIncluded(dir) || isExcluded(dir)) continue;
    if (dir.split('/').some((seg) => SKIP_DIRS.has(seg))) continue;
    if (!(await insideRoot(root, dir))) continue;
    if (await isFile(path.join(root, dir, 'package.json'))) found.push(dir);
  }
  return found;
}

/** A symlinked folder that resolves outside the project is not one of its workspaces. */
async function insideRoot(root: string, dir: string): Promise<boolean> {
  const [realRoot, real] = await Promise.all([realpath(root).catch(() => root), realpath(path.join(root, dir)).catch(() => null)]);
  return real !== null && (real === realRoot || real.startsWith(realRoot + path.sep));
}

function normalisePattern(p: string): string {
  return p.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Every directory under `base` down to `depth` levels, relative to root. */
async function listDirs(root: string, base: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string, left: number): Promise<void> => {
    if (left <= 0) return;
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || SKIP_DIRS.has(e.name)) continue;
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      out.push(child);
      await walk(child, left - 1);
    }
  };
  await walk(base, depth);
  return out;
}

export async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}
