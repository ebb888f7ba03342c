// Frontmatter is data, never code. Every Markdown file rt-plan reads (session files, plans under
// `check --stale`, knowledge notes) goes through this one parser: the `yaml` core schema (no
// custom tags, no JS engine: a `---js` opening line is not frontmatter at all), duplicate keys
// refused, and no aliases, so a few hundred bytes cannot expand into gigabytes.
import { LineCounter, isAlias, isCollection, isScalar, parseDocument, visit } from 'yaml';

export class FrontmatterError extends Error {}

export interface Frontmatter {
  /** The parsed mapping; `{}` when the file has no frontmatter. */
  data: Record<string, unknown>;
  /** The text after the closing delimiter (the whole text without frontmatter). */
  body: string;
  /** 1-based line of the file where `body` starts. */
  bodyStartLine: number;
}

/** Frontmatter is a handful of keys; a larger block is not something a person wrote. */
export const MAX_FRONTMATTER_BYTES = 64 * 1024;

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*\r?$/m;

/** `label` names the kind of file in messages ("session", "plan"). */
export function parseFrontmatter(text: string, label = 'Markdown'): Frontmatter {
  const source = text.replace(/^\uFEFF/, '');
  const open = OPEN.exec(source);
  if (!open) return { data: {}, body: source, bodyStartLine: 1 };
  const rest = source.slice(open[0].length);
  const close = closingLine(rest);
  if (!close) return { data: {}, body: source, bodyStartLine: 1 };
  const block = rest.slice(0, close.start);
  if (block.length > MAX_FRONTMATTER_BYTES) throw new FrontmatterError(`YAML frontmatter is larger than 64 KB`);
  const data = parseBlock(block, label);
  const body = rest.slice(close.end);
  return { data, body, bodyStartLine: countLines(source.slice(0, source.length - body.length)) + 1 };
}

function closingLine(rest: string): { start: number; end: number } | null {
  // The closing delimiter may be the very first line (empty frontmatter).
  const match = CLOSE.exec(rest);
  if (!match) return null;
  let end = match.index + match[0].length;
  if (rest[end] === '\n') end++;
  return { start: match.index, end };
}

function parseBlock(block: string, label: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  // The block starts on the file's line 2 (after the opening `---`).
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const doc = parseDocument(block, { schema: 'core', uniqueKeys: true, prettyErrors: false, lineCounter });
  const error = doc.errors[0];
  if (error) {
    const line = fileLine(error.pos[0]);
    throw new FrontmatterError(`invalid YAML frontmatter: ${error.message.split('\n')[0]} (line ${line})`);
  }
  let aliasAt: number | null = null;
  visit(doc, (_key, node) => {
    const marked = isAlias(node) || ((isScalar(node) || isCollection(node)) && node.anchor);
    if (!marked) return undefined;
    aliasAt = node.range?.[0] ?? 0;
    return visit.BREAK;
  });
  if (aliasAt !== null) {
    throw new FrontmatterError(`YAML anchors and aliases are not supported in ${label} frontmatter (line ${fileLine(aliasAt)})`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (cause) {
    throw new FrontmatterError(`unsupported YAML frontmatter: ${(cause as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FrontmatterError('YAML frontmatter must be a mapping of keys to values (line 2)');
  }
  return value as Record<string, unknown>;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
