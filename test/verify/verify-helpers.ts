// Project copies for the verify tests: only tracked files of a fixture (never a plan someone
// generated there), the plan written in-process with a fixed clock, and an implementation
// overlay copied on top. Every copy is removed by the caller through `cleanup`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, silentLogger, type Logger } from '../../src/io/log.js';
import { runPlan } from '../../src/commands/plan.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Copy the git-tracked files under `rel` (a repo-relative folder) into `dest`. */
export function copyTracked(rel: string, dest: string, skip: (file: string) => boolean = () => false): void {
  const files = execFileSync('git', ['ls-files', '-z', '--', rel], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  if (files.length === 0) throw new Error(`no tracked files under ${rel}`);
  for (const file of files) {
    const inner = path.relative(rel, file);
    if (skip(inner)) continue;
    mkdirSync(path.dirname(path.join(dest, inner)), { recursive: true });
    cpSync(path.join(REPO, file), path.join(dest, inner));
  }
}

export function tempProject(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rtp-verify-'));
  // expected.json is the scan fixtures' reviewed answer, not part of the project.
  copyTracked(`test/fixtures/projects/${fixture}`, dir, (f) => f === 'expected.json');
  return dir;
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function writePlan(cwd: string, task: string): Promise<void> {
  await runPlan({
    cwd,
    task,
    now: new Date('2026-11-21T10:15:00Z'),
    json: false,
    dryRun: false,
    contextGlobs: [],
    patterns: [],
    capacity: {},
    docs: 'local',
    offline: true,
    stableName: true,
    asyncapi: false,
    check: false,
    env: {},
    log: silentLogger,
  });
}

/** A logger that keeps what the command prints on stdout. */
export function capture(): { log: Logger; out: () => string } {
  let text = '';
  const sink = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  return {
    log: createLogger({ verbosity: 'quiet', color: false, stdout: sink, stderr: { write: () => true } as unknown as NodeJS.WritableStream }),
    out: () => text,
  };
}
