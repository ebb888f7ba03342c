// The first two stages, context and analyze, on their own: all `scan` needs, and what every
// plan starts from. Kept apart from pipeline.ts so `scan` loads no design, docs or render code.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { analyzeProject } from './analyze/index.js';
import { readSessions } from './context/read-sessions.js';
import { InputError, describeError } from './errors.js';
import type { Logger } from './io/log.js';

/** Resolve --cwd to an existing directory, or fail with an input error. */
export async function projectRoot(cwd: string): Promise<string> {
  const root = path.resolve(cwd);
  const stat = await fs.stat(root).catch((error: unknown) => {
    throw new InputError(`cannot read project directory ${root}: ${describeError(error)}`, { cause: error });
  });
  if (!stat.isDirectory()) throw new InputError(`${root} is not a directory`);
  return root;
}

/** Sessions and analysis: what `scan` shows and what every plan rests on. */
export async function readProject(root: string, contextGlobs: string[], log: Logger) {
  log.step('reading session context');
  const sessions = await readSessions(root, { globs: contextGlobs });
  log.step('analyzing project');
  const analysis = await analyzeProject(root, { onProgress: (m: string) => log.detail(m) });
  return { sessions, analysis };
}

