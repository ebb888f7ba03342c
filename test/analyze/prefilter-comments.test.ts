// A prefiltered file whose markers sit only in comments needs no AST: the parser's comment spans
// are blanked and the prefilter looks again, so JSDoc that mentions sockets is not analysed.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseFile } from '../../src/analyze/code/parse.js';
import { candidateClassifier, needsAstOutsideComments } from '../../src/analyze/code/source.js';

const classify = candidateClassifier();
const recheck = (code: string, comments: readonly { start: number; end: number }[]): boolean => needsAstOutsideComments(code, comments, classify);
const outcome = (file: string, code: string): string => {
  const r = parseFile(file, [{ code, lang: file.endsWith('.ts') ? 'ts' : 'jsx', lineOffset: 0 }], recheck);
  return r.commentsOnly ? 'plain' : `parsed:${r.facts.calls.length} calls${r.error ? ', error' : ''}`;
};

beforeAll(loadParser);

describe('needsAstOutsideComments', () => {
  it('blanks the comment spans, and keeps markers in code and strings', () => {
    const at = (code: string): boolean => {
      const spans: { start: number; end: number }[] = [];
      for (const m of code.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)) spans.push({ start: m.index, end: m.index + m[0].length });
      return needsAstOutsideComments(code, spans, classify);
    };
    expect([at('// a socket\nconst a = 1;'), at('/** @param {Socket} s */ f();'), at('const é = "日本"; /* socket */ x();')]).toEqual([false, false, false]);
    expect([at('// x\nconst s = socket;'), at('const u = "text/event-stream"; // y'), at('// socket\ncors({ origin: allowed });')]).toEqual([true, true, true]);
  });
});

describe('parseFile with a comment recheck', () => {
  it('returns plain for a file whose markers are only in comments (webpack lib/fs/fs.js shape)', () => {
    expect(
      outcome(
        'lib/fs.js',
        '/**\n * @typedef {import("net").Socket} Socket\n * @returns {ReadableStream}\n */\nexport function read(p) {\n  return fs.readFile(p);\n}\n',
      ),
    ).toBe('plain');
    expect(outcome('lib/a.ts', '// TODO: a socket per tab\n/* the origin: the server */\nexport const a = call();\n')).toBe('plain');
  });

  it('parses a file with a marker in code (not one whose only marker is a comment beside its code), or one the parser had to recover from', () => {
    expect(outcome('src/chat.js', "// connects\nconst s = connect('/chat'); // socket\ns.emit('hi');\n")).toBe('plain');
    expect(outcome('src/chat.js', "// connects\nconst s = new WebSocket(url);\ns.send('hi');\n")).toBe('parsed:2 calls');
    expect(outcome('src/broken.js', '// socket\nf();\nconst = 1;\n')).toBe('parsed:0 calls, error');
  });

  it("keeps the AST for what has no marker of its own: the served bundle's global io(), a prefixed credential", () => {
    expect(outcome('public/client.js', "// the socket server's bundle\nconst conn = io({ query: { room: 'a' } });\n")).toBe('parsed:1 calls');
    expect(outcome('src/aws.js', "// the secret\nconst id = 'AKIAIOSFODNN7EXAMPLE';\n")).toBe('parsed:0 calls');
    expect(outcome('src/radio.js', '// socket\nconst r = radio(1);\n')).toBe('plain');
  });

  it('leaves files with several script blocks (Vue, Svelte) to the full parse', () => {
    const blocks = [
      { code: '// socket\nexport default {}', lang: 'ts' as const, lineOffset: 0 },
      { code: 'const a = 1', lang: 'ts' as const, lineOffset: 3 },
    ];
    expect(parseFile('a.vue', blocks, recheck).commentsOnly).toBeUndefined();
  });
});
