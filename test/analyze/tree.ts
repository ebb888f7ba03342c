// Small throwaway projects for the analyzer tests: write a tree of files, then analyze it.
// They live under os.tmpdir(), which test/setup/tmp-root.ts points at one folder per run and
// removes at the end.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeProject } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/types.js';

/** Writes `files` (relative path → text) into a new folder and returns its path. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-tree-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

export function analyzeTree(files: Record<string, string>): Promise<Analysis> {
  return analyzeProject(writeTree(files));
}
