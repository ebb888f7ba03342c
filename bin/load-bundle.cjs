// Runs a CommonJS bundle through vm.Script with V8's code cache for it: dist/cli.cjs, the CLI
// as one file, whose cache scripts/cli-code-cache.mjs makes at build time after planning the
// example. Compiling the bundle's code was about a third of a short run (BENCHMARKS.md), and
// Node 20 has no code cache for ES modules. The cache file starts with the SHA-256 of the
// bundle it was made from, since V8 checks only the source's length: a cache for other bytes
// is never used, and one V8 rejects (another Node version, other V8 flags) costs a normal compile.
'use strict';
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const KEY_BYTES = 32;

/** V8's data from the cache file, when it was made for the bundle with this key. */
function cachedDataFor(key, cacheFile) {
  let data;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  return data.length > KEY_BYTES && data.subarray(0, KEY_BYTES).equals(key) ? data.subarray(KEY_BYTES) : undefined;
}

/**
 * Runs the bundle at `file` and returns its exports, whether V8 used the cache, and the bytes
 * of a cache file for what the process has compiled so far. esbuild writes ASCII (except in a
 * regular expression literal: src/ escapes those), which latin1 decodes several times faster.
 */
function loadBundle(file) {
  const bytes = readFileSync(file);
  const key = createHash('sha256').update(bytes).digest();
  const cachedData = cachedDataFor(key, `${file}.cache`);
  const script = new vm.Script(Module.wrap(isAscii(bytes) ? bytes.latin1Slice() : bytes.toString('utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    cacheFile: () => Buffer.concat([key, script.createCachedData()]),
  };
}

module.exports = { loadBundle, cachedDataFor };
