// Reads the walked files with bounded concurrency, prefilters, parses candidates and runs the
// per-file detectors. The only I/O of the code analysis lives here.
import os from 'node:os';
import type { Warning, WorkspacePackage } from '../../types.js';
import { buildModuleModel, type ModuleModel } from '../model/index.js';
import { applyCompanions, findCompanions } from './companions.js';
import { detectEntrypoints, type EntryHit, type Side } from './entrypoints.js';
import { detectEvents, type RawEvent } from './events.js';
import type { FileFacts } from './facts.js';
import { type FileContext, fileContext } from './file-context.js';
import { loadParser, parseFile } from './parse.js';
import { detectProviderEvents } from './providers.js';
import { detectSignals, type FileSignals } from './signals.js';
import { blocksOf, type Triage } from './source.js';
import { TriagePool, triageHere } from './triage-pool.js';
import { byWarningFile, walkProject } from '../walk.js';

export interface FileAnalysis {
  file: string;
  ctx: FileContext;
  entries: EntryHit[];
  events: RawEvent[];
  signals: FileSignals;
  /** Set on companion modules: the server files that import them (companions.ts). */
  companionOf?: string[];
}

export interface ScanOptions {
  /** Socket.IO side of files that import neither package, from their workspace's dependencies. */
  socketIoSide?: (file: string) => Side | null;
  onProgress?: (msg: string) => void;
  concurrency?: number;
  /** Trees with at least this many files are read and prefiltered in worker threads. */
  workerThreshold?: number;
  workers?: number;
  /** Workspace packages, so imports of a shared package by name resolve (model/resolve.ts). */
  packages?: readonly WorkspacePackage[];
}

export interface ScanResult {
  analyses: FileAnalysis[];
  /** Files read and considered (minified, binary and huge files excluded), sorted. */
  scanned: string[];
  warnings: Warning[];
  /** The module layer of the project model (import graph and folded values). */
  model?: ModuleModel;
}

/** Files read at once on the main thread. */
const CONCURRENCY = 16;
/** Default of `workerThreshold`: below it, starting workers costs more than it saves. */
const WORKER_THRESHOLD = 2000;

/** Pure per-file analysis of already parsed facts. */
export function analyzeFacts(facts: FileFacts, socketIoSide: Side | null): FileAnalysis {
  const ctx = fileContext(facts);
  const entries = detectEntrypoints(ctx);
  const events = [...detectEvents(ctx, entries, socketIoSide), ...detectProviderEvents(ctx, entries)];
  return { file: facts.file, ctx, entries, events, signals: detectSignals(ctx, entries) };
}

/** Parse one file's text; a recovered parse error becomes a warning when the file is a candidate. */
function parseText(file: string, text: string, warnings: Warning[] | null): FileFacts {
  const { facts, error, skipped } = parseFile(file, blocksOf(file, text));
  if (skipped && warnings) warnings.push({ file, message: `${skipped}; skipped` });
  if (error !== null && warnings) warnings.push({ file, message: `parse error (${error}); analysed what could be parsed` });
  return facts;
}

/** Read and parse files whatever they contain (imported modules, companions). */
async function parseAll(root: string, list: string[], opts: ScanOptions, warnings: Warning[] | null): Promise<FileFacts[]> {
  const triaged = await triageHere(root, list, opts.concurrency ?? CONCURRENCY, () => true);
  const out: FileFacts[] = [];
  for (const file of list) {
    const t = triaged.get(file);
    if (t?.kind === 'warn') warnings?.push({ file, message: t.message });
    if (t?.kind !== 'candidate') continue;
    await loadParser();
    out.push(parseText(file, t.text, warnings));
  }
  return out;
}

/** Triage, parse, build the module model, fold values and analyse; `triaged` has an entry for every file that is not plain. */
async function finishScan(root: string, files: readonly string[], triaged: Map<string, Triage>, opts: ScanOptions): Promise<ScanResult> {
  const scanned: string[] = [];
  const warnings: Warning[] = [];
  const candidates = files.filter((f) => triaged.get(f)?.kind === 'candidate');
  if (candidates.length > 0) await loadParser();
  const parsed = new Map<string, FileFacts>();
  for (const file of files) {
    const t = triaged.get(file) ?? { kind: 'plain' };
    if (t.kind === 'warn') {
      warnings.push({ file, message: t.message });
      continue;
    }
    if (t.kind === 'minified') {
      warnings.push({ file, message: 'minified or generated code (most of its first lines are over 1,000 characters); skipped' });
      continue;
    }
    scanned.push(file);
    if (t.kind === 'candidate') parsed.set(file, parseText(file, t.text, warnings));
  }
  opts.onProgress?.(`parsed ${candidates.length} of ${files.length} source files`);
  const model = await buildModuleModel({
    root, files: new Set(scanned), packages: opts.packages ?? [], parsed: new Map(parsed),
    load: (list) => parseAll(root, list, opts, null),
  });
  // Files arrive sorted, so every list is already in a deterministic order.
  const analyses = [...parsed.values()].map((f) => analyzeFacts(model.values.foldFacts(f), opts.socketIoSide?.(f.file) ?? null));
  return { analyses, scanned, warnings, model };
}

/**
 * Add the modules server files import (companions.ts). The prefilter skipped most of them (a
 * rooms Map has no real-time marker), so they are read again here without it, with the same
 * size, binary and encoding guards.
 */
async function withCompanions(root: string, result: ScanResult, opts: ScanOptions): Promise<ScanResult> {
  const files = new Set(result.scanned);
  const warnings: Warning[] = [];
  const load = async (list: string[]): Promise<FileAnalysis[]> =>
    (await parseAll(root, list, opts, warnings)).map((f) => analyzeFacts(result.model ? result.model.values.foldFacts(f) : f, opts.socketIoSide?.(f.file) ?? null));
  const scan = await findCompanions(result.analyses, files, load);
  if (scan.companions.size === 0) return result;
  return { ...result, analyses: applyCompanions(scan, files), warnings: [...result.warnings, ...warnings].sort(byWarningFile) };
}

function threadCount(opts: ScanOptions): number {
  return opts.workers ?? Math.min(4, os.availableParallelism());
}

/** Scan a known list of files (sorted, relative to `root`). */
export async function scanFiles(root: string, files: readonly string[], opts: ScanOptions = {}): Promise<ScanResult> {
  const threads = threadCount(opts);
  const triaged =
    files.length >= (opts.workerThreshold ?? WORKER_THRESHOLD) && threads > 1
      ? await TriagePool.start(root, threads).addAll(files).finish()
      : await triageHere(root, files, opts.concurrency ?? CONCURRENCY);
  return withCompanions(root, await finishScan(root, files, triaged, opts), opts);
}

/**
 * Walk and scan in one pipeline: once the walk has found enough files to be worth it, worker
 * threads read and prefilter them while the walk goes on.
 */
export async function scanProject(root: string, opts: ScanOptions = {}): Promise<ScanResult & { files: string[] }> {
  const threads = threadCount(opts);
  const threshold = opts.workerThreshold ?? WORKER_THRESHOLD;
  let pool: TriagePool | null = null;
  let pending: string[] = [];
  const walked = await walkProject(root, {
    onFiles: (batch) => {
      if (pool) {
        pool.addAll(batch);
        return;
      }
      pending.push(...batch);
      if (threads > 1 && pending.length >= threshold) {
        pool = TriagePool.start(root, threads).addAll(pending);
        pending = [];
      }
    },
  });
  const started = pool as TriagePool | null;
  opts.onProgress?.(`scanning ${walked.files.length} source files`);
  const triaged = started ? await started.finish() : await triageHere(root, walked.files, opts.concurrency ?? CONCURRENCY);
  const result = await withCompanions(root, await finishScan(root, walked.files, triaged, opts), opts);
  return { ...result, files: walked.files, warnings: [...walked.warnings, ...result.warnings] };
}
