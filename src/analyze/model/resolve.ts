// Module resolution over the walked files: relative specifiers (extensions, index files, the
// `.js` → `.ts` convention), tsconfig/jsconfig `paths` and `baseUrl`, and workspace package
// names (a shared package imported by name from an app). Pure: the tsconfig texts and the
// package list are read by the caller.
import path from 'node:path';
import type { WorkspacePackage } from '../../types.js';
import { resolveRelative } from '../code/companions.js';

export interface PathsConfig {
  /** Directory of the tsconfig, relative to the root ('' for the root). */
  dir: string;
  /** baseUrl relative to the root, or null. */
  baseUrl: string | null;
  paths: Record<string, string[]>;
}

export type Resolve = (from: string, spec: string) => string | null;

/** tsconfig files are JSON with comments and trailing commas; strings may contain `/*` (`"@/*"`). */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/** The `compilerOptions` of one tsconfig text that matter to resolution, or null. */
export function pathsConfig(dir: string, text: string): PathsConfig | null {
  let json: { compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  try {
    json = parseJsonc(text) as typeof json;
  } catch {
    return null;
  }
  const co = json?.compilerOptions;
  if (!co || (co.baseUrl === undefined && co.paths === undefined)) return null;
  const baseUrl = typeof co.baseUrl === 'string' ? path.posix.join(dir, co.baseUrl) : null;
  const paths: Record<string, string[]> = {};
  if (co.paths && typeof co.paths === 'object') {
    for (const [k, v] of Object.entries(co.paths as Record<string, unknown>))
      if (Array.isArray(v)) paths[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return { dir, baseUrl: baseUrl === '.' ? '' : baseUrl, paths };
}

/** `base` as a file: with an extension, `.js` written for `.ts`, or an index file. */
function probe(base: string, files: ReadonlySet<string>): string | null {
  const clean = base.replace(/^\.\//, '').replace(/\/$/, '');
  return resolveRelative('x', `./${clean}`, files);
}

function within(file: string, dir: string): boolean {
  return dir === '' || file === dir || file.startsWith(`${dir}/`);
}

function viaPaths(cfg: PathsConfig, spec: string, files: ReadonlySet<string>): string | null {
  const root = cfg.baseUrl ?? cfg.dir;
  for (const [pattern, targets] of Object.entries(cfg.paths)) {
    const star = pattern.indexOf('*');
    let rest: string | null = null;
    if (star === -1) rest = pattern === spec ? '' : null;
    else if (spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)))
      rest = spec.slice(star, spec.length - (pattern.length - star - 1));
    if (rest === null) continue;
    for (const t of targets) {
      const hit = probe(path.posix.join(root, t.replace('*', rest)), files);
      if (hit) return hit;
    }
  }
  return cfg.baseUrl !== null ? probe(path.posix.join(cfg.baseUrl, spec), files) : null;
}

function viaWorkspace(spec: string, packages: readonly WorkspacePackage[], files: ReadonlySet<string>): string | null {
  for (const p of packages) {
    if (!p.name || p.dir === '' || (spec !== p.name && !spec.startsWith(`${p.name}/`))) continue;
    const sub = spec.slice(p.name.length + 1);
    const bases = sub === '' ? [`${p.dir}/src/index`, `${p.dir}/index`, `${p.dir}/src`] : [`${p.dir}/${sub}`, `${p.dir}/src/${sub}`];
    for (const b of bases) {
      const hit = probe(b, files);
      if (hit) return hit;
    }
  }
  return null;
}

/** A resolver over `files`; the nearest enclosing tsconfig decides `paths`. */
export function createResolver(files: ReadonlySet<string>, configs: readonly PathsConfig[], packages: readonly WorkspacePackage[]): Resolve {
  const byDepth = [...configs].sort((a, b) => b.dir.length - a.dir.length);
  const cache = new Map<string, string | null>();
  return (from, spec) => {
    if (spec.startsWith('.')) return resolveRelative(from, spec, files);
    const key = `${from}\u0000${spec}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const cfg = byDepth.find((c) => within(from, c.dir));
    const out = (cfg ? viaPaths(cfg, spec, files) : null) ?? viaWorkspace(spec, packages, files);
    cache.set(key, out);
    return out;
  };
}
