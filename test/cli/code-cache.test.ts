// bin/rt-plan.js runs dist/cli.cjs with V8's code cache made at build time (bin/load-bundle.cjs):
// the shipped cache must be one this Node accepts, made for these bundle bytes, and a cache
// made for other bytes must never be used (V8 itself checks only the source's length).
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

interface Loaded {
  exports: { answer: string };
  cacheUsed: boolean;
  cacheFile(): Buffer;
}
const { loadBundle } = createRequire(import.meta.url)('../../bin/load-bundle.cjs') as { loadBundle(file: string): Loaded };
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

describe('the CLI bundle and its code cache', () => {
  // A checkout never built, or built before the CommonJS bundle existed, printed a raw ENOENT stack.
  it('a missing bundle is an internal error that says to build, without a stack trace', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rt-plan-bin-'));
    try {
      mkdirSync(path.join(root, 'bin'));
      for (const f of ['rt-plan.js', 'load-bundle.cjs']) copyFileSync(path.join(REPO, 'bin', f), path.join(root, 'bin', f));
      writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
      for (const args of [['--help'], ['--verbose', '--help']]) {
        const r = spawnSync(process.execPath, [path.join(root, 'bin/rt-plan.js'), ...args], { encoding: 'utf8' });
        expect(r.status).toBe(4);
        expect(r.stderr).toMatch(/^rt-plan: internal error: .*dist[\\/]cli\.c?js is missing; run `npm run build` in the rt-plan folder\n$/);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const bundlePath = path.join(REPO, 'dist/cli.cjs');

  it('is ASCII, decoded without a UTF-8 pass (escape a non-ASCII character in a regular expression of src/)', () => {
    expect(isAscii(readFileSync(bundlePath))).toBe(true);
  });

  it('ships a cache keyed by the bundle, that this Node accepts', () => {
    const bundle = readFileSync(bundlePath);
    const file = readFileSync(`${bundlePath}.cache`);
    expect(file.subarray(0, 32).toString('hex')).toBe(createHash('sha256').update(bundle).digest('hex'));
    const script = new vm.Script(wrap(bundle.toString('latin1')), { filename: bundlePath, cachedData: file.subarray(32) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('uses a cache only for the bytes it was made from', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rtp-code-cache-'));
    const file = path.join(dir, 'bundle.cjs');
    writeFileSync(file, "function pick() { return 'first'; }\nmodule.exports.answer = pick();\n");
    const cold = loadBundle(file);
    writeFileSync(`${file}.cache`, cold.cacheFile());
    const warm = loadBundle(file);
    // The same length, other code: a cache taken for it would run the old function.
    writeFileSync(file, "function pick() { return 'other'; }\nmodule.exports.answer = pick();\n");
    const edited = loadBundle(file);
    expect([cold, warm, edited].map((r) => [r.exports.answer, r.cacheUsed])).toEqual([
      ['first', false],
      ['first', true],
      ['other', false],
    ]);
  });
});
