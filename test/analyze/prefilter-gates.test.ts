// What the prefilter sends to the parser: word-bounded markers, gated classes that get a text
// check instead of an AST, bundled or generated files skipped, and the import closure limited
// to modules that bind a folded name.
import { describe, expect, it } from 'vitest';
import { AST_CLASS, COMMON_PAIRS, compileMarkers, markerClass } from '../../src/analyze/code/prefilter.js';
import { classifySource, generatedSign, mayHoldCredential } from '../../src/analyze/code/source.js';
import { emptyFacts, type FileFacts } from '../../src/analyze/code/facts.js';
import { demandedSources } from '../../src/analyze/model/closure-demand.js';

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
const kind = (text: string): string => {
  const c = classifySource('a.ts', enc(text));
  return c.kind === 'skip' ? c.reason : c.kind === 'warn' ? c.message : 'parse';
};

describe('markerClass', () => {
  const m = compileMarkers(
    ['socket', 'origin\\b', 'secret'],
    COMMON_PAIRS,
    new Map([
      ['origin\\b', 2],
      ['secret', 4],
    ]),
  );
  const cls = (s: string): number => markerClass(enc(s), m);

  it('bounds a marker written with a trailing \\b on its right only', () => {
    expect([cls('original'), cls('origins'), cls('origin_x'), cls('origin$'), cls('origin'), cls('origin:'), cls('crossorigin ')]).toEqual([
      0, 0, 0, 0, 2, 2, 2,
    ]);
  });

  it('returns the gated classes found, or the AST class as soon as one of its markers is seen', () => {
    expect([cls('secret'), cls('secret origin'), cls('origin secret socket'), cls('nothing here')]).toEqual([4, 6, AST_CLASS, 0]);
  });
});

describe('gated classes in classifySource', () => {
  it('parses "origin" files only where an origin key, header or member read is written', () => {
    expect(kind('const original = 1; // the origin story\n')).toBe('not-candidate');
    expect(kind("app.use(cors({ origin: '*' }));\n")).toBe('parse');
    expect(kind('const { origin } = x; use({ origin });\n')).toBe('parse');
    expect(kind('if (req.headers.origin !== allowed) reject();\n')).toBe('parse');
    expect(kind("const o = request.getHeader('Origin');\n")).toBe('parse');
  });

  it('leaves out "origin" as a list element, a plain variable or part of a CSS word (webpack), and keeps object keys and header reads', () => {
    expect(kind('hooks.log = new SyncBailHook(["origin", "logEntry"]);\n')).toBe('not-candidate');
    expect(kind('for (const [origin, used] of map) set(origin, used);\nconst h = { href: origin };\n')).toBe('not-candidate');
    expect(kind('const css = "background-origin:border-box";\n')).toBe('not-candidate');
    expect(kind('trace.push({ origin, module: current });\n')).toBe('parse');
    expect(kind("const o = req.headers['origin'];\n")).toBe('parse');
    expect(kind("cors({ 'origin': allowed });\n")).toBe('parse');
    expect(kind('const ORIGIN = "origin";\n')).toBe('parse');
    expect(kind('cors({\n  methods,\n  origin(o, cb) { cb(null, true); },\n});\n')).toBe('parse');
  });

  it('parses credential-name files only when a string could be a credential', () => {
    expect(kind('const password = prompt();\nconst secretName = "x";\n')).toBe('not-candidate');
    expect(kind("const apiKey = 'aB3dE5gH7jK9mN1pQ3sT';\n")).toBe('parse');
    expect(kind('const key = `-----BEGIN RSA PRIVATE KEY-----\nMIIB`;\n')).toBe('parse');
    expect(mayHoldCredential("secret: 'long-but-no-digits-here'")).toBe(false);
    expect(mayHoldCredential("secret: 'sk-ant-abcdefghijklmnopqrstuvwxyz'")).toBe(true);
  });

  it('reads a long random-looking string as a possible generic secret only where a secret-like name is its key', () => {
    expect(kind('const reserved = "parseInt,password,pkcs11,plugin";\n')).toBe('not-candidate');
    expect(kind('// the secret\nconst suite = [{ pair: ["example://a/b/c/%7Bfoo%7D"] }];\n')).toBe('not-candidate');
    expect(kind("const accessToken: string | undefined = 'aB3dE5gH7jK9mN1pQ3sT';\n")).toBe('parse');
    expect(kind('const cfg = { "client_secret": "aB3dE5gH7jK9mN1pQ3sT" };\n')).toBe('parse');
    expect(kind("const password =\n  'aB3dE5gH7jK9mN1pQ3sT';\n")).toBe('parse');
  });

  it('parses env-marker files only when a client-exposed env variable is read', () => {
    expect(kind('const PUBLIC_DIR = "static";\n')).toBe('not-candidate');
    expect(kind('const k = import.meta.env.VITE_OPENAI_KEY;\n')).toBe('parse');
    expect(kind('const k = process.env.NEXT_PUBLIC_API_KEY;\n')).toBe('parse');
  });
});

describe('generatedSign', () => {
  it('names the sign of bundled or generated output, and leaves hand-written code alone', () => {
    expect(generatedSign(enc('new WebSocket(u);\n//# sourceMappingURL=a.js.map\n'))).toBe('it ends with a source map comment');
    expect(
      generatedSign(
        enc(
          "/*! lib v1 | MIT license */\n(function (g, f) { typeof exports === 'object' && typeof module !== 'undefined' ? f(exports) : 0 })(this, function () {});\n",
        ),
      ),
    ).toBe('a licence banner and a UMD or webpack wrapper');
    expect(generatedSign(Buffer.alloc(512 * 1024 + 1, 32))).toBe('larger than 512 KB (524289 bytes)');
    expect(generatedSign(enc(`/** @license React */\n${' '.repeat(300 * 1024)}`))).toBe('a bundler licence tag on 307222 bytes');
    expect(generatedSign(enc('/* MIT License */\nconst ws = new WebSocket(url);\n'))).toBe(null);
  });

  it('turns into a named warning instead of a parse', () => {
    expect(kind('const s = new WebSocket(u);\n//# sourceMappingURL=a.js.map\n')).toBe('bundled or generated code (it ends with a source map comment); skipped');
  });
});

describe('demandedSources', () => {
  const facts = (over: Partial<FileFacts>): FileFacts => ({ ...emptyFacts('a.ts'), ...over });

  it('follows only the imports whose names the file folds, and every re-export', () => {
    const f = facts({
      imports: [
        { source: './events', line: 1, locals: [{ local: 'EVENTS', imported: 'EVENTS' }] },
        { source: 'lodash', line: 2, locals: [{ local: '_', imported: 'default' }] },
        { source: './prefix', line: 3, locals: [{ local: 'PREFIX', imported: 'PREFIX' }] },
      ],
      calls: [
        {
          args: [
            { kind: 'member', path: 'EVENTS.JOIN', line: 5 },
            { kind: 'template', line: 5, exprs: [{ kind: 'ident', path: 'PREFIX', line: 5 }] },
          ],
          chain: [],
        } as never,
      ],
      module: { constants: [], exportNames: [], reexports: [{ source: './types', names: [] }], classes: [] } as never,
    });
    expect(demandedSources(f)).toEqual(['./events', './prefix', './types']);
  });

  it('follows the module that makes a value the file then sends, not one whose result stays local', () => {
    const f = facts({
      imports: [
        { source: '../orders.js', line: 3, locals: [{ local: 'updateStatus', imported: 'updateStatus' }] },
        { source: '../audit.js', line: 4, locals: [{ local: 'countOrders', imported: 'countOrders' }] },
      ],
      vars: [
        { name: 'order', init: 'updateStatus()', line: 11, arg: { kind: 'call', path: 'updateStatus', line: 11 } },
        { name: 'n', init: 'countOrders()', line: 12, arg: { kind: 'call', path: 'countOrders', line: 12 } },
      ],
      calls: [
        {
          args: [
            { kind: 'ident', path: 'ORDER_UPDATED', line: 13 },
            { kind: 'object', line: 13, props: { orderUpdated: { kind: 'ident', path: 'order', line: 13 } } },
          ],
          chain: [],
        } as never,
      ],
    });
    expect(demandedSources(f)).toEqual(['../orders.js']);
  });
});
