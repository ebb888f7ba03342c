// Handlebars helpers for the plan templates. Every helper returns a SafeString: it has
// already escaped what needs escaping for its Markdown position (table cell, prose, code
// span, fenced block), so templates use {{helper x}} and never raw user data.
import Handlebars from 'handlebars/runtime';
import type { Diagram, Direction, PayloadField } from '../types.js';
import { code, fenceSafe, fmt, text } from '../design/md.js';

const safe = (s: string) => new Handlebars.SafeString(s);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Pipes split GFM table cells even inside code spans, so escape the unescaped ones. */
function cellSafe(markdown: string): string {
  return markdown.replace(/[\r\n]+/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

const DIRECTION: Record<Direction, string> = {
  'client-to-server': 'client → server',
  'server-to-client': 'server → client',
  both: 'both',
};

function fieldsInline(fields: PayloadField[]): string {
  return `{ ${fields.map((f) => `${f.name}${f.optional ? '?' : ''}: ${f.type === 'integer' ? 'number' : f.type}`).join('; ')} }`;
}

export const helpers: Record<string, Handlebars.HelperDelegate> = {
  /** A builder's diagram in a mermaid fence; the source was escaped by src/diagrams/builders. */
  mermaid: (diagram: Diagram | undefined) => safe(diagram ? `\`\`\`mermaid\n${diagram.source.replace(/\n?$/, '\n')}\`\`\`` : ''),
  /** Plain user text in prose. */
  text: (value: unknown) => safe(text(str(value))),
  /** Plain user text in a table cell. */
  cell: (value: unknown) => safe(cellSafe(text(str(value)))),
  /** Markdown the design stage built (already escaped) in prose. */
  md: (value: unknown) => safe(str(value)),
  /** Markdown the design stage built, in a table cell. */
  mdcell: (value: unknown) => safe(cellSafe(str(value))),
  /** Inline code span; in tables use codecell. */
  code: (value: unknown) => safe(code(str(value))),
  codecell: (value: unknown) => safe(cellSafe(code(str(value)))),
  /** A fenced code block that its content cannot close. */
  codeblock: (lang: unknown, body: unknown) => safe(`\`\`\`${str(lang).replace(/[^a-z0-9-]/gi, '')}\n${fenceSafe(str(body)).replace(/\n?$/, '\n')}\`\`\``),
  fmt: (value: unknown) => safe(typeof value === 'number' ? fmt(value) : text(str(value))),
  inc: (value: unknown) => safe(String(Number(value) + 1)),
  eq: (a: unknown, b: unknown) => a === b,
  direction: (value: unknown) => safe(DIRECTION[value as Direction] ?? text(str(value))),
  fields: (value: unknown) => safe(Array.isArray(value) && value.length > 0 ? cellSafe(code(fieldsInline(value as PayloadField[]))) : '—'),
  /** "✔" for a chosen row, empty otherwise. */
  check: (value: unknown) => safe(value ? '✔' : ''),
  /** Scores joined into table cells: "| 3 | 2 | …". */
  scores: (value: unknown) => safe(Array.isArray(value) ? value.map((n) => ` ${str(n)} |`).join('') : ''),
  /** Header cells for the criteria of the decision matrix. */
  criteriaHeader: (value: unknown) =>
    safe(Array.isArray(value) ? value.map((c: { name: string; weight: number }) => ` ${cellSafe(text(c.name))} (×${c.weight}) |`).join('') : ''),
  criteriaRule: (value: unknown) => safe(Array.isArray(value) ? value.map(() => ' ---: |').join('') : ''),
  ms: (value: unknown) => safe(`${fmt(Number(value))} ms`),
};
