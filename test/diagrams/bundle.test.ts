// dist/vendor/mermaid.cjs and its V8 code cache, as scripts/build.mjs writes them: the cache
// must be one this Node accepts (a rejected cache silently compiles the 5 MB file again).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/helpers.js';

describe('the bundled mermaid', () => {
  it('ships a code cache that this Node accepts', () => {
    const bundle = path.join(REPO, 'dist/vendor/mermaid.cjs');
    const script = new vm.Script(`(function (exports, require, module) {${readFileSync(bundle, 'utf8')}\n})`, {
      filename: bundle,
      cachedData: readFileSync(`${bundle}.cache`),
    });
    expect(script.cachedDataRejected).toBe(false);
  });
});
