// Read-only file helpers for the docs stage. A bad file is reported as a reason string so
// callers can skip it with a notice; these helpers never throw for file content.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readLimitedText } from '../shared/read-limited.js';
import type { DocRef } from '../types.js';

/** A documentation snippet before ranking; ids are assigned only after selection. */
export interface Candidate extends Omit<DocRef, 'id'> {
  /** Source-specific prior, added to the relevance score (curated notes about the stack rank first). */
  weight: number;
}

/** Docs larger than this are skipped: they are generated or vendored, not written for readers. */
export const MAX_DOC_BYTES = 512 * 1024;

export type TextResult = { ok: true; text: string } | { ok: false; reason: string };

/** Reads a UTF-8 text file, refusing huge, binary and non-UTF-8 files with a reason. */
export async function readText(path: string, maxBytes = MAX_DOC_BYTES): Promise<TextResult> {
  const read = await readLimitedText(path, { maxBytes });
  return read.ok ? read : { ok: false, reason: read.reason };
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.claude', '.cache']);

/**
 * Lists files under `dir` (relative to `root`, '/'-separated, sorted) whose names pass `keep`,
 * down to `depth` levels, skipping dependency and build folders. Missing folders yield [].
 */
export async function listFiles(root: string, dir: string, keep: (name: string) => boolean, depth: number, limit = 400): Promise<string[]> {
  const found: string[] = [];
  const walk = async (abs: string, level: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (found.length >= limit) return;
      const path = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (level < depth && !SKIP_DIRS.has(entry.name)) await walk(path, level + 1);
      } else if (entry.isFile() && keep(entry.name)) {
        found.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  await walk(join(root, dir), 1);
  return found;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
