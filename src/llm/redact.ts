// The one gate between project text and the model: every value the analyzer's secret
// detector flags is replaced by a placeholder before anything leaves the machine. It runs on
// every text part of a request (code excerpts and session notes alike), and keeps line
// numbers intact so evidence the model cites still points at the right line.
import { findSecrets } from '../analyze/code/secrets.js';
import { redact, redacted } from '../shared/redact.js';

export interface Redacted {
  text: string;
  /** Values replaced. */
  count: number;
}

const placeholder = redacted;
const MARK = /\u00abredacted: /g;

// A string literal (single, double or backtick quotes, no interpolation) and the name it is
// assigned to, when there is one: `key: '…'`, `KEY = "…"`, `"key": "…"`.
const LITERAL = /(?:["'`]?([A-Za-z_$][\w$-]*)["'`]?\s*(?:[:=]|=>)\s*)?(["'`])((?:\\.|(?!\2)[^\\\n])*)\2/g;
// Unquoted assignment, as in .env files and shell snippets: KEY=value
const ASSIGNMENT = /^(\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*[=:]\s*)([^\s"'`#]+)/gm;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
// Bare tokens (a key pasted in prose): split on characters no credential format contains.
const TOKEN = /[^\s"'`,;()<>[\]{}]{16,}/g;

/** Replace every flagged value in `input`. Line count is preserved. */
export function redactForModel(input: string): Redacted {
  // Private keys first, keeping their line count (the shared pass folds them into one line,
  // which would shift every line number the model cites); then the pass every output gets
  // (token formats, URL credentials, values the analyzer flagged); then the literal-aware
  // passes below for what only a model request carries.
  let count = 0;
  const unkeyed = input.replace(PEM, (block) => {
    count++;
    return placeholder('private-key') + '\n'.repeat((block.match(/\n/g) ?? []).length);
  });
  let text = redact(unkeyed);
  count += (text.match(MARK) ?? []).length - (unkeyed.match(MARK) ?? []).length;
  text = text.replace(LITERAL, (whole, key: string | undefined, quote: string, value: string) => {
    const kinds = findSecrets(value, key ?? null);
    if (kinds.length === 0) return whole;
    count++;
    return whole.slice(0, whole.length - value.length - 2) + quote + placeholder(kinds[0]!) + quote;
  });
  text = text.replace(ASSIGNMENT, (whole, head: string, key: string, value: string) => {
    const kinds = findSecrets(value, key);
    if (kinds.length === 0) return whole;
    count++;
    return head + placeholder(kinds[0]!);
  });
  text = text.replace(TOKEN, (token) => {
    const kinds = findSecrets(token, null);
    if (kinds.length === 0) return token;
    count++;
    return placeholder(kinds[0]!);
  });
  return { text, count };
}

/**
 * Belt and braces for lines the analyzer itself flagged (`hard-coded-secret` at file:line):
 * whatever the text patterns above missed there, every string literal of 8+ characters on
 * that line goes.
 */
export function redactLine(line: string): string {
  return line.replace(/(["'`])((?:\\.|(?!\1)[^\\\n])*)\1/g, (whole, quote: string, value: string) =>
    value.length >= 8 && !/^\u00abredacted: [\w-]+\u00bb$/.test(value) ? `${quote}${placeholder('flagged')}${quote}` : whole,
  );
}
