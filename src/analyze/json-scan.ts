// A small JSON scanner that does what JSON.parse cannot: it reports the line and column of a
// syntax error (V8's messages name only an offset, and their wording changes between Node
// versions) and the 1-based line of every key two levels deep, so a dependency claim can cite
// `package.json:9`. Values are still decoded by JSON.parse; this only walks the text.

export interface JsonScanOk {
  ok: true;
  /** "section\u0000key" → line of `key` inside the top-level object `section`. */
  keyLines: Map<string, number>;
}

export interface JsonScanError {
  ok: false;
  message: string;
  line: number;
  column: number;
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const MAX_DEPTH = 256;

export function scanJson(text: string): JsonScanOk | JsonScanError {
  const keyLines = new Map<string, number>();
  let pos = 0;
  let line = 1;

  const skipWs = (): void => {
    while (pos < text.length && WS.has(text[pos]!)) {
      if (text[pos] === '\n') line++;
      pos++;
    }
  };
  const unexpected = (): never => {
    if (pos >= text.length) throw new ScanError('Unexpected end of JSON input', pos);
    throw new ScanError(`Unexpected token ${text[pos]}`, pos);
  };
  const expect = (ch: string): void => {
    skipWs();
    if (text[pos] !== ch) unexpected();
    pos++;
  };

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return JSON.parse(text.slice(start, pos)) as string;
      }
      if (ch === '\\') {
        const next = text[pos + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
            throw new ScanError('Bad Unicode escape in string', pos);
          }
          pos += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) {
          throw new ScanError('Bad escaped character in string', pos);
        }
        pos += 2;
        continue;
      }
      if (ch < ' ') {
        throw new ScanError(ch === '\n' ? 'Unterminated string' : 'Bad control character in string', pos);
      }
      pos++;
    }
    throw new ScanError('Unterminated string', start);
  };

  const readLiteral = (): void => {
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 400));
    if (!m || m[0].length === 0) unexpected();
    pos += m![0].length;
  };

  // depth 0 = the document, 1 = top-level object's values, 2 = inside a section object.
  const readValue = (depth: number, section: string | null): void => {
    // Deep enough for any real manifest, shallow enough that recursion cannot blow the stack.
    if (depth > MAX_DEPTH) throw new ScanError('Nesting too deep', pos);
    skipWs();
    const ch = text[pos];
    if (ch === '{') readObject(depth, section);
    else if (ch === '[') readArray(depth);
    else if (ch === '"') readString();
    else readLiteral();
  };

  const readObject = (depth: number, section: string | null): void => {
    pos++;
    skipWs();
    if (text[pos] === '}') {
      pos++;
      return;
    }
    for (;;) {
      skipWs();
      if (text[pos] !== '"') unexpected();
      const keyLine = line;
      const key = readString();
      if (depth === 1 && section !== null) keyLines.set(`${section}\u0000${key}`, keyLine);
      expect(':');
      readValue(depth + 1, depth === 0 ? key : null);
      skipWs();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return;
      }
      unexpected();
    }
  };

  const readArray = (depth: number): void => {
    pos++;
    skipWs();
    if (text[pos] === ']') {
      pos++;
      return;
    }
    for (;;) {
      readValue(depth + 1, null);
      skipWs();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return;
      }
      unexpected();
    }
  };

  try {
    readValue(0, null);
    skipWs();
    if (pos < text.length) unexpected();
    return { ok: true, keyLines };
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    const { line: l, column } = lineColumn(text, err.pos);
    return { ok: false, message: err.message, line: l, column };
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
