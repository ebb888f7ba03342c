// A cheap lexical guard run before the native parser. oxc recurses on nesting: about 8,000
// nested brackets or 200,000 chained operators overflow its native stack (SIGSEGV, no output),
// and a few thousand overflow the JS stack while the AST is read back. No hand-written module
// nests that deep, so such a file is skipped with a warning instead of parsed.

/** Brackets open at once. Real code stays well under 100. */
export const MAX_NESTING = 1000;
/** Operator runs in one expression (no `;`, `,`, `{` or `}` between them); a call or index right after a closing bracket (`a()()`, `a[0][1]`) counts as one. */
export const MAX_CHAIN = 2500;

/** What each ASCII character is to the guard, by code: bits below. */
const KIND = new Uint8Array(128);
const OPERATOR = 1;
const OPEN = 2;
const CLOSE = 4;
const RESET = 8;
const mark = (chars: string, bit: number): void => {
  for (const c of chars) KIND[c.charCodeAt(0)]! |= bit;
};
mark('+-*/%&|^<>?:=!.~', OPERATOR);
mark('([{', OPEN);
mark(')]}', CLOSE);
mark(';,{}', RESET);
const [DQ, SQ, BT, SLASH, STAR, NL, BACKSLASH] = ['"', "'", '`', '/', '*', '\n', '\\'].map((c) => c.charCodeAt(0)) as number[];

/**
 * Why `code` is too deeply nested to parse safely, or null. Strings and comments are skipped.
 * Character codes, not one-character strings: this runs over every candidate before its parse.
 */
export function nestingProblem(code: string): string | null {
  let depth = 0;
  let chain = 0;
  let inOperator = false;
  // The last significant character closed a bracket: an opening one now chains a call or an index.
  let afterClose = false;
  const n = code.length;
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i);
    if (c === DQ || c === SQ || c === BT) {
      i = skipString(code, i, c);
      inOperator = false;
      continue;
    }
    if (c === SLASH) {
      const next = code.charCodeAt(i + 1);
      if (next === SLASH || next === STAR) {
        const end = next === SLASH ? code.indexOf('\n', i) : code.indexOf('*/', i + 2) + 1;
        i = end <= 0 ? n : end;
        continue;
      }
    }
    const kind = c < 128 ? (KIND[c] as number) : 0;
    if (kind & OPEN) {
      if (++depth > MAX_NESTING) return `nested more than ${MAX_NESTING} levels deep`;
    } else if (kind & CLOSE) depth = Math.max(0, depth - 1);
    if (kind & RESET) chain = 0;
    const chained = afterClose && (kind & OPEN) !== 0;
    if (c > 32) afterClose = (kind & CLOSE) !== 0;
    if (chained && ++chain > MAX_CHAIN) return `an expression chains more than ${MAX_CHAIN} calls or operators`;
    const operator = (kind & OPERATOR) !== 0;
    if (operator && !inOperator && ++chain > MAX_CHAIN) return `an expression chains more than ${MAX_CHAIN} calls or operators`;
    inOperator = operator;
  }
  return null;
}

function skipString(code: string, start: number, quote: number): number {
  for (let i = start + 1; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === quote) return i;
    else if (c === NL && quote !== BT) return i;
  }
  return code.length;
}
