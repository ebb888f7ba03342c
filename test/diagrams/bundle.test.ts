// dist/vendor/mermaid.cjs and its V8 code cache, as scripts/build.mjs writes them: the cache
// must be one this Node accepts (a rejected cache silently compiles the 5 MB file again), and
// one made for other bundle bytes must never be used (V8 itself checks only the length).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { cachedDataFor } from '../../src/diagrams/validate.js';
import { REPO } from '../cli/helpers.js';

const bundlePath = path.join(REPO, 'dist/vendor/mermaid.cjs');
const wrap = (source: string) => `(function (exports, require, module) {${source}\n})`;

describe('the bundled mermaid', () => {
  it('ships a code cache keyed by the bundle, that this Node accepts', () => {
    const bundle = readFileSync(bundlePath);
    const file = readFileSync(`${bundlePath}.cache`);
    expect(file.subarray(0, 32).toString('hex')).toBe(createHash('sha256').update(bundle).digest('hex'));
    const cachedData = cachedDataFor(bundle, file);
    expect(cachedData?.length).toBe(file.length - 32);
    const script = new vm.Script(wrap(bundle.toString('utf8')), { filename: bundlePath, cachedData });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('ignores a cache made for other bundle bytes of the same length, a missing one and a truncated one', () => {
    const bundle = readFileSync(bundlePath);
    const file = readFileSync(`${bundlePath}.cache`);
    const edited = Buffer.from(bundle);
    const at = edited.indexOf('mermaid');
    edited[at] = 'M'.charCodeAt(0);
    expect([
      edited.length === bundle.length,
      cachedDataFor(edited, file),
      cachedDataFor(bundle, undefined),
      cachedDataFor(bundle, file.subarray(0, 32)),
    ]).toEqual([true, undefined, undefined, undefined]);
  });
});
