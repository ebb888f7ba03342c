// Run the built CLI (dist/, made by `npm test`'s build step) in throwaway project copies.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin/rt-plan.js');
export const EXAMPLE = path.join(REPO, 'examples/chat-express-socketio');
export const FIXTURES = path.join(REPO, 'test/fixtures/projects');
export const DATE = '2026-11-21T10:15:00Z';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no colour forcing, no keys, no clock from the outside. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  // The run's temp folder (test/setup/tmp-root.ts), so the CLI's own temp files go there too.
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return { ...env, ...extra };
}

export function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    env: cleanEnv(opts.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like run(), without blocking this process: needed when the test also serves HTTP. */
export function runAsync(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: cleanEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * A throwaway copy of a fixture or example: only the files git knows (tracked, or new and not
 * ignored), never generated output such as the example's git-ignored `.claude/doc/` plans.
 * The copy lives under the run's TMPDIR, removed when the run ends (test/setup/tmp-root.ts).
 */
export function copyProject(source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rtp-e2e-'));
  for (const rel of projectFiles(source)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(path.join(source, rel), path.join(dir, rel));
  }
  return dir;
}

export function projectFiles(source: string): string[] {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], {
    cwd: source,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ls-files failed in ${source}: ${r.stderr}`);
  // A tracked file deleted in the working tree is listed too; it is not part of the fixture now.
  return [...new Set(r.stdout.split('\0').filter(Boolean))].filter((rel) => existsSync(path.join(source, rel)));
}

/** Every file under `dir` with its size and mtime, to prove a run wrote nothing else. */
export function treeState(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      if (skip(child)) continue;
      const st = statSync(path.join(dir, child));
      if (st.isDirectory()) visit(child);
      else out[child] = `${st.size}:${st.mtimeMs}`;
    }
  };
  visit('');
  return out;
}

export function planFiles(project: string): string[] {
  try {
    return readdirSync(path.join(project, '.claude/doc'))
      .filter((f) => f.endsWith('.md'))
      .sort();
  } catch {
    return [];
  }
}

export function readPlan(project: string, name: string): string {
  return readFileSync(path.join(project, '.claude/doc', name), 'utf8');
}
