// Parses the script blocks of one file with oxc and collects its facts.
import type { parseSync as ParseSync } from 'oxc-parser';
import { LineIndex } from './ast.js';
import { collectFacts, emptyFacts, type FileFacts } from './facts.js';
import { firstMessageAuth } from './first-message-auth.js';
import { graphqlResolvers } from './graphql-resolvers.js';
import { refetchOnEvent } from './refetch-on-event.js';
import { normalizeInterop } from './interop.js';
import { nestingProblem } from './nesting.js';
import type { ScriptBlock } from './source.js';
import { collectModuleFacts } from '../model/module-facts.js';

export interface ParsedFile {
  facts: FileFacts;
  /** First parse error, when the parser had to recover. */
  error: string | null;
  /** Why the file was not parsed at all (nested too deeply to parse safely). */
  skipped?: string;
  /** Its markers are all in comments: no AST was read back (the file is plain). */
  commentsOnly?: true;
}

/** A comment's span in UTF-16 units, as oxc reports it. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Whether a prefiltered file still needs its AST once its comments are known: the prefilter
 * matched text, and a marker that appears only in comments (webpack's JSDoc mentions sockets)
 * cannot become a fact, since no detector reads comments.
 */
export type Recheck = (code: string, comments: readonly Span[]) => boolean;

let parseSync: typeof ParseSync | null = null;

/** Load the native parser once, only when some file needs parsing. */
export async function loadParser(): Promise<void> {
  parseSync ??= (await import('oxc-parser')).parseSync;
}

const EXT: Record<ScriptBlock['lang'], string> = { js: 'js', jsx: 'jsx', ts: 'ts', tsx: 'tsx' };

function merge(file: string, parts: FileFacts[]): FileFacts {
  const [first, ...rest] = parts;
  if (!first) return emptyFacts(file);
  for (const p of rest) {
    for (const key of Object.keys(first) as (keyof FileFacts)[]) {
      const a = first[key];
      const b = p[key];
      if (Array.isArray(a) && Array.isArray(b)) (a as unknown[]).push(...(b as unknown[]));
    }
  }
  return first;
}

/**
 * Parse `blocks` of `file` (relative path). Pure: no disk access; call loadParser() first.
 * `recheck` (single-block files only) may decide from the comments that the AST is not needed.
 */
export function parseFile(file: string, blocks: ScriptBlock[], recheck?: Recheck): ParsedFile {
  const parse = parseSync;
  if (parse === null) throw new Error('parseFile called before loadParser()');
  let error: string | null = null;
  for (const block of blocks) {
    const skipped = nestingProblem(block.code);
    if (skipped) return { facts: merge(file, []), error: null, skipped };
  }
  try {
    const parts = parseBlocks(file, blocks, parse, (e) => (error ??= e), blocks.length === 1 ? recheck : undefined);
    if (parts === null) return { facts: merge(file, []), error: null, commentsOnly: true };
    return { facts: merge(file, parts), error };
  } catch (cause) {
    // A JS stack overflow while reading back or walking a deep AST skips this file only.
    if (cause instanceof RangeError) return { facts: merge(file, []), error: null, skipped: 'nested too deeply to analyse' };
    throw cause;
  }
}

/** Facts of every block, or null when `recheck` finds the markers only in comments. */
function parseBlocks(file: string, blocks: ScriptBlock[], parse: typeof ParseSync, onError: (message: string) => void, recheck?: Recheck): FileFacts[] | null {
  const out: FileFacts[] = [];
  for (const block of blocks) {
    let result = parse(`source.${EXT[block.lang]}`, block.code, { lang: block.lang });
    if (result.errors.length > 0 && block.lang === 'jsx') {
      // Plain JS that a JSX reading rejects (rare: `a < b > c`) gets a second chance.
      const plain = parse('source.js', block.code, { lang: 'js' });
      if (plain.errors.length < result.errors.length) result = plain;
    }
    // A recovered parse may have read code as a comment: only a clean one is trusted to skip.
    if (recheck && result.errors.length === 0 && result.comments.length > 0 && !recheck(block.code, result.comments)) return null;
    if (result.errors.length > 0) onError(result.errors[0]?.message ?? 'parse error');
    const lines = new LineIndex(block.code, block.lineOffset);
    // Only CommonJS output (a `require`, or the `(0, f)(…)` call form) has interop to rewrite.
    if (block.code.includes('require') || block.code.includes('(0,') || block.code.includes('_this')) normalizeInterop(result.program);
    const facts = collectFacts(file, result.program, lines);
    facts.module = collectModuleFacts(result.program, lines);
    const firstAuth = firstMessageAuth(result.program, lines);
    if (firstAuth.length > 0) facts.firstMessageAuth = firstAuth;
    const resolvers = /\b(Query|Mutation|Subscription)\b/.test(block.code) ? graphqlResolvers(result.program, lines) : [];
    if (resolvers.length > 0) facts.resolvers = resolvers;
    const refetches = block.code.includes('useSubscription') ? refetchOnEvent(result.program, lines) : [];
    if (refetches.length > 0) facts.refetchOnEvent = refetches;
    out.push(facts);
  }
  return out;
}
