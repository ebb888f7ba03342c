// The first two stages, context and analyze, on their own: all `scan` needs, and what every
// plan starts from. Kept apart from pipeline.ts so `scan` loads no design, docs or render code.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { analyzeProject } from './analyze/index.js';
import { readSessions } from './context/read-sessions.js';
import { InputError, describeError } from './errors.js';
import type { Logger } from './io/log.js';
import { locateProject, noProjectWarning } from './project-root.js';
import type { Warning } from './types.js';

/** Resolve --cwd to an existing directory, then to its project root (src/project-root.ts). */
export async function projectRoot(cwd: string): Promise<string> {
  return (await locateRoot(cwd)).root;
}

/** The project root, and a warning when no package.json or .git marks one. */
export async function locateRoot(cwd: string): Promise<{ root: string; warnings: Warning[] }> {
  const dir = path.resolve(cwd);
  const stat = await fs.stat(dir).catch((error: unknown) => {
    throw new InputError(`cannot read project directory ${dir}: ${describeError(error)}`, { cause: error });
  });
  if (!stat.isDirectory()) throw new InputError(`${dir} is not a directory`);
  const found = locateProject(dir);
  return { root: found.root, warnings: found.marker === 'none' ? [{ file: null, message: noProjectWarning(found.root) }] : [] };
}

/** Sessions and analysis: what `scan` shows and what every plan rests on. */
export async function readProject(root: string, contextGlobs: string[], log: Logger) {
  log.step('reading session context');
  const sessions = await readSessions(root, { globs: contextGlobs });
  log.step('analyzing project');
  const analysis = await analyzeProject(root, { onProgress: (m: string) => log.detail(m) });
  return { sessions, analysis };
}
