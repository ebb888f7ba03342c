// A cheap lexical guard run before the native parser. oxc recurses on nesting: about 8,000
// nested brackets or 200,000 chained operators overflow its native stack (SIGSEGV, no output),
// and a few thousand overflow the JS stack while the AST is read back. No hand-written module
// nests that deep, so such a file is skipped with a warning instead of parsed.

/** Brackets open at once. Real code stays well under 100. */
export const MAX_NESTING = 1000;
/** Operator runs in one expression (no `;`, `,`, `{` or `}` between them). */
export const MAX_CHAIN = 2500;

/** Why `code` is too deeply nested to parse safely, or null. Strings and comments are skipped. */
export function nestingProblem(code: string): string | null {
  let depth = 0;
  let chain = 0;
  let inOperator = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(code, i, c);
      inOperator = false;
      continue;
    }
    if (c === '/' && (code[i + 1] === '/' || code[i + 1] === '*')) {
      const end = code[i + 1] === '/' ? code.indexOf('\n', i) : code.indexOf('*/', i + 2) + 1;
      i = end <= 0 ? code.length : end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return `nested more than ${MAX_NESTING} levels deep`;
    } else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (c === ';' || c === ',' || c === '{' || c === '}') chain = 0;
    const operator = '+-*/%&|^<>?:=!.~'.includes(c);
    if (operator && !inOperator && ++chain > MAX_CHAIN) return `an expression chains more than ${MAX_CHAIN} operators`;
    inOperator = operator;
  }
  return null;
}

function skipString(code: string, start: number, quote: string): number {
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === quote) return i;
    else if (c === '\n' && quote !== '`') return i;
  }
  return code.length;
}
