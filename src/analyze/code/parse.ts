// Parses the script blocks of one file with oxc and collects its facts.
import type { parseSync as ParseSync } from 'oxc-parser';
import { LineIndex } from './ast.js';
import { collectFacts, type FileFacts } from './facts.js';
import type { ScriptBlock } from './source.js';
import { collectModuleFacts } from '../model/module-facts.js';

export interface ParsedFile {
  facts: FileFacts;
  /** First parse error, when the parser had to recover. */
  error: string | null;
}

let parseSync: typeof ParseSync | null = null;

/** Load the native parser once, only when some file needs parsing. */
export async function loadParser(): Promise<void> {
  parseSync ??= (await import('oxc-parser')).parseSync;
}

const EXT: Record<ScriptBlock['lang'], string> = { js: 'js', jsx: 'jsx', ts: 'ts', tsx: 'tsx' };

function merge(file: string, parts: FileFacts[]): FileFacts {
  const [first, ...rest] = parts;
  if (!first) return collectFacts(file, { type: 'Program', body: [] }, new LineIndex(''));
  for (const p of rest) {
    for (const key of Object.keys(first) as (keyof FileFacts)[]) {
      const a = first[key];
      const b = p[key];
      if (Array.isArray(a) && Array.isArray(b)) (a as unknown[]).push(...(b as unknown[]));
    }
  }
  return first;
}

/** Parse `blocks` of `file` (relative path). Pure: no disk access; call loadParser() first. */
export function parseFile(file: string, blocks: ScriptBlock[]): ParsedFile {
  const parse = parseSync;
  if (parse === null) throw new Error('parseFile called before loadParser()');
  let error: string | null = null;
  const parts = blocks.map((block) => {
    let result = parse(`source.${EXT[block.lang]}`, block.code, { lang: block.lang });
    if (result.errors.length > 0 && block.lang === 'jsx') {
      // Plain JS that a JSX reading rejects (rare: `a < b > c`) gets a second chance.
      const plain = parse('source.js', block.code, { lang: 'js' });
      if (plain.errors.length < result.errors.length) result = plain;
    }
    if (result.errors.length > 0 && error === null) error = result.errors[0]?.message ?? 'parse error';
    const lines = new LineIndex(block.code, block.lineOffset);
    const facts = collectFacts(file, result.program, lines);
    facts.module = collectModuleFacts(result.program, lines);
    return facts;
  });
  return { facts: merge(file, parts), error };
}
