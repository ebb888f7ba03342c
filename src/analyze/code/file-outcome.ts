// What the scan learns from one file: a skip reason, "plain" (no marker), or the parsed facts.
// The same function runs on the main thread (small trees) and in the scan's worker threads, so
// a file's text and AST never leave the thread that read it; only facts do.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { FileFacts } from './facts.js';
import { loadParser, parseFile } from './parse.js';
import { blocksOf, type Classify, generatedWarning, MAX_FILE_BYTES, needsAstOutsideComments, type Triage, tooLarge, triageBytes } from './source.js';

export type Outcome =
  | { kind: 'warn'; message: string; generated?: true }
  | { kind: 'minified' }
  | { kind: 'plain' }
  | { kind: 'parsed'; facts: FileFacts; error: string | null };

/** Reads files into one reused buffer: no allocation (and no garbage) per file. */
export class FileReader {
  private readonly big = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  /** Triage one file; `classify` null reads it whatever it contains (imported modules, companions). */
  triage(abs: string, classify: Classify | null): Triage {
    let fd: number | null = null;
    try {
      fd = openSync(abs, 'r');
      let n = 0;
      for (let got = 1; got > 0 && n < this.big.length; n += got) got = readSync(fd, this.big, n, this.big.length - n, null);
      // A file that fills the buffer is over the limit: only then is its size asked for.
      if (n === this.big.length) return tooLarge(fstatSync(fd).size);
      return triageBytes(this.big.subarray(0, n), classify, MAX_FILE_BYTES, this.decoder);
    } catch (error) {
      return { kind: 'warn', message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'}); skipped` };
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }

  /** Triage and, for a candidate, parse: the text is dropped as soon as its facts exist. */
  async outcome(root: string, file: string, classify: Classify | null): Promise<Outcome> {
    const t = this.triage(path.join(root, file), classify);
    if (t.kind === 'generated') return { kind: 'warn', message: generatedWarning(t.reason), generated: true };
    if (t.kind !== 'candidate') return t;
    await loadParser();
    // A prefiltered file whose markers all sit in comments is plain after all.
    const recheck = classify
      ? (code: string, comments: readonly { start: number; end: number }[]) => needsAstOutsideComments(code, comments, classify)
      : undefined;
    const { facts, error, skipped, commentsOnly } = parseFile(file, blocksOf(file, t.text), recheck);
    // Nested too deeply to parse safely: nothing of the file was read, so it is named.
    if (skipped) return { kind: 'warn', message: `${skipped}; skipped` };
    if (commentsOnly) return { kind: 'plain' };
    return { kind: 'parsed', facts, error };
  }
}

/** Outcomes of `files` on this thread; files without a marker are left out ('plain'). */
export async function outcomesHere(root: string, files: readonly string[], classify: Classify | null): Promise<Map<string, Outcome>> {
  const reader = new FileReader();
  const out = new Map<string, Outcome>();
  for (const file of files) {
    const o = await reader.outcome(root, file, classify);
    if (o.kind !== 'plain') out.set(file, o);
  }
  return out;
}
