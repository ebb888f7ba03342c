// Mermaid preprocesses a diagram before parsing: it drops the YAML frontmatter, `%%{…}%%`
// directives, `%%` comment lines and leading blank lines. Its parse errors count lines in
// that reduced text, so we replay the same steps while remembering, for every character,
// the source line it came from. The regexes are mermaid 11's own (src/preprocess.ts,
// src/diagram-api/comments.ts, frontmatter.ts, utils.ts).

const FRONTMATTER = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;
const DIRECTIVE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;
const COMMENT = /^\s*%%(?!{)[^\n]+\n?/gm;

interface Tracked {
  text: string;
  /** 1-based source line of each character of `text`. */
  lines: number[];
}

function track(source: string): Tracked {
  const text = source.replace(/\r\n?/g, '\n');
  const lines: number[] = [];
  let line = 1;
  for (const ch of text) {
    // Surrogate pairs are two UTF-16 units; keep one entry per unit to match string indexes.
    for (let i = 0; i < ch.length; i++) lines.push(line);
    if (ch === '\n') line++;
  }
  return { text, lines };
}

function remove(t: Tracked, regex: RegExp): Tracked {
  let text = '';
  const lines: number[] = [];
  let last = 0;
  for (const match of t.text.matchAll(regex)) {
    text += t.text.slice(last, match.index);
    lines.push(...t.lines.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[0].length === 0) break;
  }
  text += t.text.slice(last);
  lines.push(...t.lines.slice(last));
  return { text, lines };
}

function trimStart(t: Tracked): Tracked {
  const start = t.text.length - t.text.trimStart().length;
  return { text: t.text.slice(start), lines: t.lines.slice(start) };
}

/**
 * Maps a 1-based line of mermaid's preprocessed text back to the line of `source`.
 * Lines past the end (errors found at end of input) map to the last non-blank line.
 */
export function mapParserLine(source: string, parserLine: number): number {
  let t = track(source);
  const front = FRONTMATTER.exec(t.text);
  if (front) t = { text: t.text.slice(front[0].length), lines: t.lines.slice(front[0].length) };
  t = trimStart(remove(remove(t, DIRECTIVE), COMMENT));

  const lastContent = lastNonBlankLine(source);
  let index = 0;
  for (let line = 1; line < parserLine; line++) {
    const next = t.text.indexOf('\n', index);
    if (next === -1) return lastContent;
    index = next + 1;
  }
  const mapped = t.lines[index];
  return mapped === undefined ? lastContent : Math.min(mapped, lastContent);
}

function lastNonBlankLine(source: string): number {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) if ((lines[i] ?? '').trim() !== '') return i + 1;
  return 1;
}
