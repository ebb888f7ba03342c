// Installed packages: exact versions, README sections, shipped docs and key type definitions,
// read from node_modules (the workspace's own first, then the root's).
import { join } from 'node:path';
import type { LibraryUse, WorkspacePackage } from '../types.js';
import { clip, relevantBlocks, splitSections } from './markdown.js';
import { topicsOf } from './relevance.js';
import { isDirectory, listFiles, readText, type Candidate } from './files.js';

const MAX_SNIPPET_CHARS = 1800;
const MAX_SECTIONS_PER_FILE = 8;
/** Declarations worth quoting: the options a server takes and the events it emits. */
const KEY_TYPE = /^\s*(?:export\s+)?(?:declare\s+)?(?:interface|type|class)\s+([A-Za-z_$][\w$]*(?:Options|Events|EventsMap|EventMap|ServerOptions))\b/;

export interface TypeDeclaration {
  name: string;
  line: number;
  text: string;
}

/** Finds option and event-map declarations in a .d.ts file and cuts each at its closing brace. */
export function extractTypeDeclarations(text: string, limit = 4): TypeDeclaration[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const found: TypeDeclaration[] = [];
  for (let i = 0; i < lines.length && found.length < limit; i++) {
    const match = KEY_TYPE.exec(lines[i] ?? '');
    if (!match) continue;
    const start = i;
    let depth = 0;
    let opened = false;
    const body: string[] = [];
    for (let j = i; j < lines.length; j++) {
      const line = lines[j] ?? '';
      body.push(line);
      for (const ch of line) {
        if (ch === '{') depth++, (opened = true);
        else if (ch === '}') depth--;
      }
      i = j;
      if ((opened && depth <= 0) || (!opened && /;\s*$/.test(line))) break;
    }
    found.push({ name: match[1] ?? '', line: start + 1, text: clip(body.join('\n'), MAX_SNIPPET_CHARS) });
  }
  return found;
}

/** README or shipped doc of a package: its sections that cover a topic the plan can use. */
export function parsePackageDoc(library: string, version: string | null, path: string, text: string): Candidate[] {
  const sections = splitSections(text).filter((s) => s.level >= 2);
  const blocks = relevantBlocks(sections, (t) => topicsOf(t).length > 0);
  const kept: Candidate[] = [];
  for (const section of blocks) {
    const topics = topicsOf(`${section.heading}\n${section.body}`);
    kept.push({
      source: 'package',
      library,
      version,
      reference: `${path}:${section.line}`,
      title: `${library}: ${section.heading}`,
      excerpt: clip(section.body, MAX_SNIPPET_CHARS),
      topics,
      weight: 30,
    });
    if (kept.length >= MAX_SECTIONS_PER_FILE) break;
  }
  return kept;
}

export interface PackagesResult {
  candidates: Candidate[];
  notices: string[];
  /** Installed version per library name (the first workspace that has it), when node_modules had it. */
  installed: Record<string, string>;
  /** Installed version per detected use, keyed by installedKey(lib): monorepos may mix majors. */
  byUse: Record<string, string>;
}

export const installedKey = (lib: LibraryUse): string => `${lib.workspace}\u0000${lib.name}`;

function workspaceDir(lib: LibraryUse, packages: WorkspacePackage[]): string {
  const byDir = packages.find((p) => p.dir === lib.workspace);
  if (byDir) return byDir.dir;
  return packages.find((p) => p.name === lib.workspace)?.dir ?? '';
}

async function findPackage(root: string, dir: string, name: string): Promise<string | null> {
  for (const base of dir === '' ? [''] : [dir, '']) {
    const rel = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (await isDirectory(join(root, rel))) return rel;
  }
  return null;
}

async function readPackage(
  root: string,
  rel: string,
  lib: LibraryUse,
  dir: string,
  notices: string[],
): Promise<{ version: string | null; candidates: Candidate[] }> {
  const manifest = await readText(join(root, rel, 'package.json'));
  let pkg: Record<string, unknown> = {};
  if (manifest.ok) {
    try {
      pkg = JSON.parse(manifest.text) as Record<string, unknown>;
    } catch {
      notices.push(`Skipped ${rel}/package.json: invalid JSON`);
    }
  }
  const version = typeof pkg.version === 'string' ? pkg.version : lib.version;
  const candidates: Candidate[] = [];
  const docs = [
    ...(await listFiles(root, rel, (n) => /^readme\.(md|markdown)$/i.test(n), 1)),
    ...(await listFiles(root, `${rel}/doc`, (n) => /\.md$/i.test(n), 2)),
    ...(await listFiles(root, `${rel}/docs`, (n) => /\.md$/i.test(n), 2)),
  ];
  for (const path of docs) {
    const read = await readText(join(root, path));
    if (!read.ok) notices.push(`Skipped ${path}: ${read.reason}`);
    else candidates.push(...parsePackageDoc(lib.name, version, path, read.text));
  }
  const typesField = typeof pkg.types === 'string' ? pkg.types : typeof pkg.typings === 'string' ? pkg.typings : 'index.d.ts';
  const typesName = lib.name.startsWith('@') ? lib.name.slice(1).replace('/', '__') : lib.name;
  const typesPkg = await findPackage(root, dir, `@types/${typesName}`);
  const typeFiles = [`${rel}/${typesField.replace(/^\.\//, '')}`, ...(typesPkg ? [`${typesPkg}/index.d.ts`] : [])];
  for (const path of typeFiles) {
    const read = await readText(join(root, path));
    if (!read.ok) continue;
    for (const decl of extractTypeDeclarations(read.text)) {
      candidates.push({
        source: 'package',
        library: lib.name,
        version,
        reference: `${path}:${decl.line}`,
        title: `${lib.name}: ${decl.name} (type definitions)`,
        excerpt: decl.text,
        topics: topicsOf(`${decl.name}\n${decl.text}`),
        weight: 32,
      });
    }
    break;
  }
  return { version, candidates };
}

/** Reads each detected library's installed copy. A missing node_modules is one notice, not an error. */
export async function readInstalledPackages(root: string, libraries: LibraryUse[], packages: WorkspacePackage[]): Promise<PackagesResult> {
  const result: PackagesResult = { candidates: [], notices: [], installed: {}, byUse: {} };
  if (libraries.length === 0) return result;
  const dirs = [...new Set(['', ...packages.map((p) => p.dir)])];
  const anyModules = (await Promise.all(dirs.map((d) => isDirectory(join(root, d, 'node_modules'))))).some(Boolean);
  if (!anyModules) {
    result.notices.push('node_modules not found: installed package docs skipped, versions taken from the lockfile or package.json');
    return result;
  }
  const read = new Map<string, string | null>();
  const missing: string[] = [];
  for (const lib of libraries) {
    const dir = workspaceDir(lib, packages);
    const rel = await findPackage(root, dir, lib.name);
    if (rel === null) {
      missing.push(lib.name);
      continue;
    }
    // Two workspaces sharing the hoisted copy read it once.
    if (!read.has(rel)) {
      const { version, candidates } = await readPackage(root, rel, lib, dir, result.notices);
      read.set(rel, version);
      result.candidates.push(...candidates);
    }
    const version = read.get(rel) ?? null;
    if (version === null) continue;
    result.byUse[installedKey(lib)] = version;
    if (!(lib.name in result.installed)) result.installed[lib.name] = version;
  }
  if (missing.length > 0) result.notices.push(`Not installed in node_modules: ${[...new Set(missing)].sort().join(', ')} (versions from the lockfile)`);
  return result;
}
