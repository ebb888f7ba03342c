// Throwaway projects written file by file (never copies of untracked output), removed after each test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after the current test. */
export function tempDir(prefix = 'rtp-sec-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export const SESSION = '.claude/tasks/context_session_1.md';

/** A minimal project: a package.json plus the given files. */
export function makeProject(files: Record<string, string | Buffer> = {}): string {
  const dir = tempDir();
  const all: Record<string, string | Buffer> = {
    'package.json': JSON.stringify({ name: 'hostile-app', version: '1.0.0', dependencies: { 'socket.io': '^4.7.0' } }),
    ...files,
  };
  for (const [rel, content] of Object.entries(all)) put(dir, rel, content);
  return dir;
}

export function put(dir: string, rel: string, content: string | Buffer): string {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}
