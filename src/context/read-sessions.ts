// I/O: find the project's session context files and read them safely. A bad file is
// skipped with a warning naming it; only files the user named explicitly are fatal.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { InputError, UsageError, describeError } from '../errors.js';
import type { SessionContext, Warning } from '../types.js';
import { readLimitedText } from '../shared/read-limited.js';
import { FrontmatterError, parseSession } from './parse-session.js';

/** Session files above this size are not prose a person wrote; they are skipped. */
export const MAX_SESSION_BYTES = 1024 * 1024;

const SESSION_DIRS = ['.claude/tasks', '.claude/sessions'];
const SESSION_NAME = /^context[_-]session[_-][\w.-]*\.md$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt']);

export interface ReadSessionsOptions {
  /** --context globs, relative to the project root. Empty: the default locations. */
  globs?: string[];
}

export async function readSessions(root: string, options: ReadSessionsOptions = {}): Promise<SessionContext> {
  const realRoot = await fs.realpath(root).catch((error: unknown) => {
    throw new InputError(`cannot read project ${root}: ${describeError(error)}`, { cause: error });
  });
  const globs = options.globs ?? [];
  const explicit = globs.length > 0;
  const warnings: Warning[] = [];
  const files = explicit ? await findByGlobs(realRoot, globs) : await findDefault(realRoot, warnings);
  const context: SessionContext = { files: [], docs: [], requirements: [], warnings };
  const failures: string[] = [];
  for (const rel of files) {
    const problem = await readOne(realRoot, rel, context);
    if (problem) {
      warnings.push({ file: rel, message: `${problem}; skipped` });
      failures.push(`${rel}: ${problem}`);
    }
  }
  if (explicit && context.files.length === 0) {
    const why = failures.length ? failures.join('; ') : `no file matches ${globs.join(', ')}`;
    throw new InputError(`no usable session context: ${why}`, {
      hint: 'fix the file, or run without --context to use .claude/tasks/context_session_*.md',
    });
  }
  return context;
}

/** Returns a problem description, or null when the file was read. */
async function readOne(realRoot: string, rel: string, context: SessionContext): Promise<string | null> {
  const read = await readLimitedText(path.join(realRoot, rel), { maxBytes: MAX_SESSION_BYTES, within: realRoot });
  if (!read.ok) return read.reason === 'binary file, not text' ? 'binary file, not Markdown' : read.reason;
  const text = read.text;
  try {
    const parsed = parseSession(rel, text);
    context.files.push(rel);
    context.docs.push(parsed.doc);
    context.requirements.push(...parsed.requirements);
    return null;
  } catch (error) {
    if (error instanceof FrontmatterError) return error.message;
    throw error;
  }
}

async function findDefault(realRoot: string, warnings: Warning[]): Promise<string[]> {
  const active: string[] = [];
  const archived: string[] = [];
  for (const dir of SESSION_DIRS) {
    active.push(...(await listSessionFiles(realRoot, dir)));
    archived.push(...(await listSessionFiles(realRoot, `${dir}/archived`)));
  }
  if (active.length > 0) return sortSessions(active);
  if (archived.length > 0) {
    warnings.push({ file: null, message: 'no active session context; using the archived session files' });
  }
  return sortSessions(archived);
}

async function listSessionFiles(realRoot: string, dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(realRoot, dir), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && SESSION_NAME.test(e.name)).map((e) => `${dir}/${e.name}`);
}

/** Numbered sessions in numeric order, then `_latest`, so the newest context reads last. */
export function sortSessions(files: string[]): string[] {
  const rank = (f: string) => (/[_-]latest\.md$/i.test(f) ? 1 : 0);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

async function findByGlobs(realRoot: string, globs: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const glob of globs) {
    const normal = glob.replace(/\\/g, '/').replace(/^\.\//, '');
    if (path.isAbsolute(normal) || normal.split('/').includes('..')) {
      throw new UsageError(`--context ${glob}: the glob must be relative to the project and stay inside it`);
    }
    const { base } = picomatch.scan(normal);
    const isMatch = picomatch(normal, { dot: true });
    for (const rel of await walk(realRoot, base, 6)) if (isMatch(rel)) found.add(rel);
  }
  return sortSessions([...found]);
}

async function walk(realRoot: string, base: string, depth: number): Promise<string[]> {
  const out: string[] = [];
  const start = path.join(realRoot, base);
  const stat = await fs.lstat(start).catch(() => null);
  if (stat?.isFile() || stat?.isSymbolicLink()) return [base];
  const visit = async (relDir: string, left: number): Promise<void> => {
    const entries = await fs.readdir(path.join(realRoot, relDir), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && left > 0) await visit(rel, left - 1);
      else if (e.isFile() || e.isSymbolicLink()) out.push(rel);
    }
  };
  await visit(base, depth);
  return out;
}
