// Finds the project's source files: JS/TS/JSX/TSX/MJS/CJS/Vue/Svelte, skipping dependencies,
// build output, VCS folders, what .gitignore files ignore (nested ones too), and symlinks that
// leave the project. Reading and classifying file contents is in code/source.ts.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { InputError } from '../errors.js';
import type { Warning } from '../types.js';
import { PAGE_EXTENSIONS } from './code/page-clients.js';

export const SOURCE_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte']);

/** Folders never worth entering, whatever .gitignore says. */
export const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  'coverage',
  '.turbo',
  '.vercel',
  '.cache',
  '.parcel-cache',
  'bower_components',
  '.claude',
]);

export interface WalkResult {
  /** Relative POSIX paths, sorted. */
  files: string[];
  /** GraphQL schema and operation files (`.graphql`, `.gql`): relative POSIX paths, sorted. */
  graphql: string[];
  /** Page and view files (`.html`, `.ejs`, `.hbs`, …; code/page-clients.ts): relative POSIX paths, sorted. */
  pages: string[];
  warnings: Warning[];
}

interface Scope {
  /** Directory of the .gitignore, relative to the root, '' for the root. */
  dir: string;
  ig: Ignore;
}

function ignoredBy(scopes: readonly Scope[], rel: string, isDir: boolean): boolean {
  for (const s of scopes) {
    const sub = s.dir === '' ? rel : rel.slice(s.dir.length + 1);
    if (s.ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

async function loadIgnore(absDir: string, relDir: string): Promise<Scope | null> {
  try {
    const text = await readFile(path.join(absDir, '.gitignore'), 'utf8');
    return { dir: relDir, ig: ignore().add(text) };
  } catch {
    return null;
  }
}

function isSourceName(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return SOURCE_EXTENSIONS.has(ext) && !name.endsWith('.d.ts') && !/\.min\.[cm]?js$/i.test(name);
}

export interface WalkOptions {
  /** Called with each directory's source files as they are found (the scan pipelines on it). */
  onFiles?: (files: string[]) => void;
}

export async function walkProject(root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const rootReal = await realpath(root).catch((cause: unknown) => {
    throw new InputError(`cannot read project folder ${root}`, { cause, hint: 'Check the --cwd path.' });
  });
  const files: string[] = [];
  const graphql: string[] = [];
  const pages: string[] = [];
  const warnings: Warning[] = [];

  async function walkDir(absDir: string, relDir: string, parentScopes: readonly Scope[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (error) {
      warnings.push({ file: relDir || '.', message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'}); skipped` });
      return;
    }
    let scopes = parentScopes;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const scope = await loadIgnore(absDir, relDir);
      if (scope) scopes = [...parentScopes, scope];
    }
    const subdirs: Promise<void>[] = [];
    const found: string[] = [];
    for (const e of entries) {
      const rel = relDir === '' ? e.name : `${relDir}/${e.name}`;
      const abs = path.join(absDir, e.name);
      if (e.isSymbolicLink()) {
        // Never follow links: a link inside the project is scanned at its real place, one
        // outside is reported so the user knows it was left out.
        const target = await realpath(abs).catch(() => null);
        if (target === null) continue;
        const inside = target === rootReal || target.startsWith(rootReal + path.sep);
        if (!inside && !ignoredBy(scopes, rel, false)) {
          warnings.push({ file: rel, message: 'symbolic link points outside the project; not followed' });
        }
        continue;
      }
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignoredBy(scopes, rel, true)) continue;
        subdirs.push(walkDir(abs, rel, scopes));
      } else if (e.isFile() && isSourceName(e.name) && !ignoredBy(scopes, rel, false)) {
        found.push(rel);
      } else if (e.isFile() && /\.(?:graphql|gql)$/i.test(e.name) && !ignoredBy(scopes, rel, false)) {
        graphql.push(rel);
      } else if (e.isFile() && PAGE_EXTENSIONS.test(e.name) && !ignoredBy(scopes, rel, false)) {
        pages.push(rel);
      }
    }
    if (found.length > 0) {
      files.push(...found);
      opts.onFiles?.(found);
    }
    await Promise.all(subdirs);
  }

  const st = await stat(rootReal);
  if (!st.isDirectory()) throw new InputError(`${root} is not a directory`, { hint: 'Pass the project folder with --cwd.' });
  await walkDir(rootReal, '', []);
  const built = await shippedBuild(rootReal);
  // Only when nothing else is source: every file found so far is one of the manifest's own
  // entries (a `bin` shim that requires the build) or the package's tooling around it (its tool
  // configs, tests, benchmarks, scripts). A checkout with sources in lib/, server/, app/ or at the
  // root next to a committed dist/ keeps skipping the build, so no event is read twice.
  if (built && files.every((f) => built.entries.has(f) || AUXILIARY.test(f))) {
    const rootScope = await loadIgnore(rootReal, '');
    const scopes = rootScope ? [rootScope] : [];
    if (!ignoredBy(scopes, built.dir, true)) {
      const before = files.length;
      await walkDir(path.join(rootReal, built.dir), built.dir, scopes);
      if (files.length > before) {
        warnings.push({
          file: built.dir,
          message: `read as the project's code although it is build output: the manifest's entry (${built.entry}) is there and no source file was found outside it but the manifest's entries and tooling (configs, tests, benchmarks, scripts); file:line refer to the built files`,
        });
      }
    }
  }
  files.sort();
  graphql.sort();
  pages.sort();
  // Relative paths are built with '/' above, on every platform.
  return { files, graphql, pages, warnings: warnings.sort(byWarningFile) };
}

/**
 * Files around a published package's build that are not its source: tool configs
 * (`babel.config.js`, `.eslintrc.js`, `Gruntfile.js`) and the test, benchmark, script, example and
 * docs folders. Their presence does not mean the package ships sources beside its build.
 */
const AUXILIARY =
  /^(?:[^/]*\.config\.[cm]?[jt]s|\.[^/]*rc\.[cm]?js|[Gg]runtfile\.[cm]?js|gulpfile\.[cm]?js)$|^(?:bench(?:mark)?s?|tests?|__tests__|spec|scripts|examples?|docs?)\//;

/** Build-output folders that a published package's manifest can point into. */
const BUILD_DIRS = new Set(['dist', 'build', 'out']);

function manifestEntries(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) manifestEntries(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) manifestEntries(v, out);
}

/**
 * The build folder a published package's code lives in: the root manifest's `main`, `module`,
 * `bin` or `exports` names a file in `dist/` (`build/`, `out/`) and there is no `src/` folder,
 * as in a package fetched from a registry. `entries`: every file the manifest names, normalized.
 * A checkout with its sources keeps skipping the build (the caller also checks no other source was found).
 */
async function shippedBuild(rootReal: string): Promise<{ dir: string; entry: string; entries: ReadonlySet<string> } | null> {
  let manifest: Record<string, unknown>;
  try {
    const text = await readFile(path.join(rootReal, 'package.json'), 'utf8');
    if (text.length > 1_000_000) return null;
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (manifest === null || typeof manifest !== 'object') return null;
  const src = await stat(path.join(rootReal, 'src')).catch(() => null);
  if (src?.isDirectory()) return null;
  const entries: string[] = [];
  for (const key of ['main', 'module', 'bin', 'exports']) manifestEntries(manifest[key], entries);
  const rels = new Set(entries.map((entry) => path.posix.normalize(entry.replace(/\\/g, '/')).replace(/^\.\//, '')));
  for (const rel of rels) {
    const dir = rel.split('/')[0] ?? '';
    if (!BUILD_DIRS.has(dir) || rel === dir) continue;
    // lstat: a linked build folder is not followed, as no link is.
    const st = await lstat(path.join(rootReal, dir)).catch(() => null);
    if (st?.isDirectory()) return { dir, entry: rel, entries: rels };
  }
  return null;
}

/** Code-unit order of the files warnings name (none first), the same on every machine. */
export function byWarningFile(a: Warning, b: Warning): number {
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}
