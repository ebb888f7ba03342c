// Mermaid's own parser, run in plain Node. Mermaid imports DOMPurify at module load and
// calls a few of its functions while parsing flowcharts and state diagrams; outside a
// browser DOMPurify has no DOM and those functions are missing, so we stub them on the
// shared dompurify instance before importing mermaid (see TOOLCHAIN.md). Parsing never
// sanitizes anything, so identity stubs are correct here.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { packagePath } from '../paths.js';
import { mapParserLine } from './source-lines.js';

export type MermaidResult = { valid: true } | { valid: false; line: number | null; message: string };

interface MermaidApi {
  parse(text: string, opts?: { suppressErrors?: boolean }): Promise<unknown>;
  initialize(config: Record<string, unknown>): void;
}

/**
 * Built by scripts/build.mjs: mermaid as one CommonJS file, and V8's code cache for it made
 * at build time after parsing each diagram type. Compiling the 5 MB file was most of a cold
 * `check`; with the cache V8 skips it (a cache from another Node version is rejected by V8
 * and the file is compiled as usual).
 */
const BUNDLE = packagePath('dist', 'vendor', 'mermaid.cjs');
const CODE_CACHE = packagePath('dist', 'vendor', 'mermaid.cjs.cache');

/**
 * The cache file starts with the SHA-256 of the bundle it was made from. V8 checks only that
 * a cache's source has the same length, so a bundle rebuilt or edited without its cache could
 * run code compiled from other source; a cache for other bytes is ignored instead.
 */
const KEY_BYTES = 32;

const bundleKey = (bundle: Buffer): Buffer => createHash('sha256').update(bundle).digest();

/** V8's data from a cache file, when the file was made for these bundle bytes. */
export function cachedDataFor(bundle: Buffer, cacheFile: Buffer | undefined): Buffer | undefined {
  if (!cacheFile || cacheFile.length <= KEY_BYTES) return undefined;
  return cacheFile.subarray(0, KEY_BYTES).equals(bundleKey(bundle)) ? cacheFile.subarray(KEY_BYTES) : undefined;
}

/** The cache file's bytes; one that cannot be read (missing, a directory, no permission) is no cache. */
function readCache(): Buffer | undefined {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

let bundleScript: { script: vm.Script; key: Buffer } | null = null;

/** Runs the bundle as CommonJS, its `require('dompurify')` answered with the stubbed instance. */
function runBundle(purify: Record<string, unknown>): MermaidApi {
  const bundle = readFileSync(BUNDLE);
  const cachedData = cachedDataFor(bundle, readCache());
  const wrapped = `(function (exports, require, module) {${bundle.toString('utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  bundleScript = { script, key: bundleKey(bundle) };
  const nodeRequire = createRequire(BUNDLE);
  const module = { exports: {} as unknown };
  const factory = script.runInThisContext() as (e: unknown, r: (id: string) => unknown, m: { exports: unknown }) => void;
  factory(module.exports, (id) => (id === 'dompurify' ? purify : nodeRequire(id)), module);
  return module.exports as MermaidApi;
}

/** The cache file for the bundle as compiled so far in this process (the build stores it). */
export function mermaidCodeCache(): Buffer | null {
  return bundleScript ? Buffer.concat([bundleScript.key, bundleScript.script.createCachedData()]) : null;
}

let loading: Promise<MermaidApi> | null = null;

async function loadMermaid(): Promise<MermaidApi> {
  const purifyModule = (await import('dompurify')) as unknown as { default: Record<string, unknown> };
  const purify = purifyModule.default;
  const noop = (): void => {};
  for (const name of ['addHook', 'removeHook', 'removeHooks', 'removeAllHooks']) {
    if (typeof purify[name] !== 'function') purify[name] = noop;
  }
  if (typeof purify['sanitize'] !== 'function') purify['sanitize'] = (text: unknown) => text;
  // From src/ before any build (a focused test run), the installed package.
  const mermaid = existsSync(BUNDLE) ? runBundle(purify) : ((await import('mermaid')) as unknown as { default: MermaidApi }).default;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  return mermaid;
}

/** Loads mermaid once per process; later calls reuse it. */
export function getMermaid(): Promise<MermaidApi> {
  loading ??= loadMermaid().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

interface ParseErrorShape {
  message?: unknown;
  str?: unknown;
  hash?: { loc?: { first_line?: unknown }; line?: unknown };
}

/** The 1-based line of the error in mermaid's preprocessed text, when the parser reports one. */
function parserLine(error: ParseErrorShape, message: string): number | null {
  const loc = error.hash?.loc?.first_line;
  if (typeof loc === 'number') return loc;
  const match = /on line (\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * One line of text: jison's excerpt and caret lines are dropped (the caller shows the
 * line), and "on line N" goes, since N counts lines of mermaid's reduced text.
 */
function cleanMessage(message: string): string {
  if (message.startsWith('No diagram type detected')) {
    const first = /for text:\s*(\S*)/.exec(message)?.[1];
    return first ? `No diagram type detected for "${first}"` : 'No diagram type detected (empty diagram)';
  }
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const kept = /^Parse error on line \d+:?$/.test(lines[0] ?? '') && lines.length >= 4 ? ['Parse error:', ...lines.slice(3)] : lines;
  return kept
    .join(' ')
    .replace(/\s*on line \d+(, column \d+)?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function validateMermaid(source: string): Promise<MermaidResult> {
  const mermaid = await getMermaid();
  try {
    await mermaid.parse(source);
    return { valid: true };
  } catch (raw) {
    const error = (typeof raw === 'object' && raw !== null ? raw : { message: String(raw) }) as ParseErrorShape;
    const message = typeof error.message === 'string' ? error.message : String(raw);
    const line = parserLine(error, message);
    return {
      valid: false,
      line: line === null ? null : mapParserLine(source, line),
      message: cleanMessage(message),
    };
  }
}
