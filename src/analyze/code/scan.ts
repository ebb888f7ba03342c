// Reads the walked files (in worker threads on large trees), prefilters, parses candidates and runs the
// per-file detectors. The only I/O of the code analysis lives here.
import os from 'node:os';
import type { Warning, WorkspacePackage } from '../../types.js';
import { buildModuleModel, type ModuleModel } from '../model/index.js';
import { withHandedSockets } from '../model/handed-sockets.js';
import { sharedInstances } from '../model/instances.js';
import { checksUpgrade, importedCookieAuth, presenceOnlyGuards } from '../model/imported-auth.js';
import { links } from '../model/links.js';
import { openSseRoutes, ticketUrlAuth } from '../model/route-auth.js';
import { applyCompanions, findCompanions } from './companions.js';
import { detectEntrypoints, type EntryHit, type Side } from './entrypoints.js';
import { detectEvents, type RawEvent, servesSioConnection, socketIoSide as sioSideOf } from './events.js';
import type { FileFacts } from './facts.js';
import { type FileContext, fileContext } from './file-context.js';
import { type Outcome, outcomesHere } from './file-outcome.js';
import { detectProviderEvents } from './providers.js';
import { detectSignals, type FileSignals } from './signals.js';
import { type Classify, candidateClassifier } from './source.js';
import { ScanPool } from './triage-pool.js';
import { byWarningFile, walkProject } from '../walk.js';

export interface FileAnalysis {
  file: string;
  ctx: FileContext;
  entries: EntryHit[];
  events: RawEvent[];
  signals: FileSignals;
  /** Set on companion modules: the server files that import them (companions.ts). */
  companionOf?: string[];
  /** The Socket.IO side this file's sockets are on, where it has one (events.ts). */
  sioSide?: Side;
  /** Parameters that receive a Socket.IO socket another module hands over (model/handed-sockets.ts). */
  handed?: string[];
}

export interface ScanOptions {
  /** Socket.IO side of files that import neither package, from their workspace's dependencies. */
  socketIoSide?: (file: string) => Side | null;
  /** The file's workspace declares `socket.io` (with or without the client): an `io.on('connection')` there is its server. */
  declaresSocketIo?: (file: string) => boolean;
  onProgress?: (msg: string) => void;
  /** Trees with at least this many files are read, prefiltered and parsed in worker threads. */
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

/**
 * Default of `workerThreshold`: below it, starting workers costs more than it saves. Since
 * comment-only and gated candidates stopped being parsed, a 1k–5k-file tree parses a few dozen
 * files at most, and two workers' start-up (0.1–0.2 s of CPU together, each loading the parser) cost
 * more than they took off: on the corpus (2 shared cores), a threshold of 400 was slower than
 * this thread on every tree from 1,317 to 4,929 files (BENCHMARKS.md, session 4).
 */
const WORKER_THRESHOLD = 5000;

/** Pure per-file analysis of already parsed facts. */
export function analyzeFacts(facts: FileFacts, socketIoSide: Side | null, model?: ModuleModel, more: { declaresSocketIo?: boolean } = {}): FileAnalysis {
  const ctx = fileContext(facts, model ? sharedInstances(model.facts, model.resolve, facts) : undefined);
  const linked = model ? links(model.facts, model.resolve, facts) : null;
  if (linked) facts.wrappers.push(...linked.wrappers);
  const entries = detectEntrypoints(ctx);
  const fallback = socketIoSide ?? (more.declaresSocketIo && servesSioConnection(ctx) ? 'server' : null);
  const events = [...detectEvents(ctx, entries, fallback, linked?.clientHook ? 'client' : null), ...detectProviderEvents(ctx, entries)];
  const sioSide = sioSideOf(ctx, entries, fallback);
  const signals = detectSignals(ctx, entries);
  if (model && (entries.some((e) => e.side === 'server' && e.transport !== null) || checksUpgrade(facts))) {
    for (const a of importedCookieAuth(model.facts, model.resolve, facts)) signals.auth.push({ ...a, side: 'server' });
  }
  if (model && (entries.some((e) => e.side === 'server') || checksUpgrade(facts))) {
    const guards = presenceOnlyGuards(model.facts, model.resolve, facts);
    if (guards.length > 0) signals.presenceAuth = guards;
  }
  if (model) {
    // Cited where the credential is minted, which may be another module than this file.
    for (const t of ticketUrlAuth(model.facts, model.resolve, facts, entries))
      signals.auth.push({ kind: 'ephemeral-token', line: t.line, side: 'client', file: t.file });
    if (!signals.auth.some((h) => h.side === 'server') && signals.authGate.length === 0) signals.openRoutes = openSseRoutes(model.facts, facts, entries);
  }
  return { file: facts.file, ctx, entries, events, signals, ...(sioSide ? { sioSide } : {}) };
}

/** Parses files whatever they contain: in the workers when there are any, else on this thread. */
/** A read outcome's warning, with its kind where a later stage acts on it. */
function warningOf(file: string, o: { message: string; generated?: true }): Warning {
  return { file, message: o.message, ...(o.generated ? { kind: 'skipped-generated' as const } : {}) };
}

type Loader = (files: readonly string[]) => Promise<Map<string, Outcome>>;

/** Facts of the parsed ones among `list`; read warnings go to `warnings` when given. */
async function parseAll(load: Loader, list: string[], warnings: Warning[] | null): Promise<FileFacts[]> {
  const outcomes = await load(list);
  const out: FileFacts[] = [];
  for (const file of list) {
    const o = outcomes.get(file);
    if (o?.kind === 'warn') warnings?.push(warningOf(file, o));
    if (o?.kind !== 'parsed') continue;
    if (o.error !== null) warnings?.push({ file, message: `parse error (${o.error}); analysed what could be parsed` });
    out.push(o.facts);
  }
  return out;
}

/** Merge the outcomes, build the module model, fold values and analyse; `outcomes` has an entry for every file that is not plain. */
async function finishScan(root: string, files: readonly string[], outcomes: Map<string, Outcome>, opts: ScanOptions, load: Loader): Promise<ScanResult> {
  const scanned: string[] = [];
  const warnings: Warning[] = [];
  const parsed = new Map<string, FileFacts>();
  for (const file of files) {
    const o = outcomes.get(file) ?? { kind: 'plain' };
    if (o.kind === 'warn') {
      warnings.push(warningOf(file, o));
      continue;
    }
    if (o.kind === 'minified') {
      warnings.push({ file, message: 'minified or generated code (most of its first lines are over 1,000 characters); skipped', kind: 'skipped-generated' });
      continue;
    }
    scanned.push(file);
    if (o.kind !== 'parsed') continue;
    if (o.error !== null) warnings.push({ file, message: `parse error (${o.error}); analysed what could be parsed` });
    parsed.set(file, o.facts);
  }
  opts.onProgress?.(`parsed ${parsed.size} of ${files.length} source files`);
  const model = await buildModuleModel({
    root,
    files: new Set(scanned),
    packages: opts.packages ?? [],
    parsed: new Map(parsed),
    load: (list) => parseAll(load, list, null),
  });
  // Files arrive sorted, so every list is already in a deterministic order.
  const analyze = (f: FileFacts): FileAnalysis =>
    analyzeFacts(model.values.foldFacts(f), opts.socketIoSide?.(f.file) ?? null, model, { declaresSocketIo: opts.declaresSocketIo?.(f.file) ?? false });
  const analyses = await withHandedSockets([...parsed.values()].map(analyze), model.resolve, async (list) => (await parseAll(load, list, null)).map(analyze));
  return { analyses, scanned, warnings, model };
}

/**
 * Add the modules server files import (companions.ts). The prefilter skipped most of them (a
 * rooms Map has no real-time marker), so they are read again here without it, with the same
 * size, binary and encoding guards.
 */
async function withCompanions(result: ScanResult, opts: ScanOptions, load: Loader): Promise<ScanResult> {
  const files = new Set(result.scanned);
  const warnings: Warning[] = [];
  const loadAnalyses = async (list: string[]): Promise<FileAnalysis[]> =>
    (await parseAll(load, list, warnings)).map((f) =>
      analyzeFacts(result.model ? result.model.values.foldFacts(f) : f, opts.socketIoSide?.(f.file) ?? null, result.model),
    );
  const scan = await findCompanions(result.analyses, files, loadAnalyses);
  if (scan.companions.size === 0) return result;
  return { ...result, analyses: applyCompanions(scan, files), warnings: [...result.warnings, ...warnings].sort(byWarningFile) };
}

/** Finish a scan whose outcomes come from `pool` (or this thread), then close the pool. */
async function finishWith(root: string, files: readonly string[], pool: ScanPool | null, opts: ScanOptions): Promise<ScanResult> {
  const here: Loader = (list) => outcomesHere(root, list, null);
  if (pool === null) return withCompanions(await finishScan(root, files, await outcomesHere(root, files, classifier()), opts, here), opts, here);
  try {
    const outcomes = await pool.triaged();
    const load: Loader = (list) => pool.parse(list);
    return await withCompanions(await finishScan(root, files, outcomes, opts, load), opts, load);
  } catch {
    // A platform without working worker threads still gets a (slower) scan.
    return withCompanions(await finishScan(root, files, await outcomesHere(root, files, classifier()), opts, here), opts, here);
  } finally {
    await pool.close();
  }
}

let sharedClassifier: Classify | null = null;
function classifier(): Classify {
  return (sharedClassifier ??= candidateClassifier());
}

function threadCount(opts: ScanOptions): number {
  return opts.workers ?? Math.min(4, os.availableParallelism());
}

/** Scan a known list of files (sorted, relative to `root`). */
export async function scanFiles(root: string, files: readonly string[], opts: ScanOptions = {}): Promise<ScanResult> {
  const threads = threadCount(opts);
  const pool = files.length >= (opts.workerThreshold ?? WORKER_THRESHOLD) && threads > 1 ? ScanPool.start(root, threads) : null;
  return finishWith(root, files, pool?.addAll(files) ?? null, opts);
}

/**
 * Walk and scan in one pipeline: once the walk has found enough files to be worth it, worker
 * threads read, prefilter and parse them while the walk goes on.
 */
export async function scanProject(root: string, opts: ScanOptions = {}): Promise<ScanResult & { files: string[]; graphql: string[]; pages: string[] }> {
  const threads = threadCount(opts);
  const threshold = opts.workerThreshold ?? WORKER_THRESHOLD;
  let pool: ScanPool | null = null;
  let pending: string[] = [];
  let started = false;
  const walked = await walkProject(root, {
    onFiles: (batch) => {
      if (pool) {
        pool.addAll(batch);
        return;
      }
      pending.push(...batch);
      if (!started && threads > 1 && pending.length >= threshold) {
        started = true;
        pool = ScanPool.start(root, threads)?.addAll(pending) ?? null;
        if (pool) pending = [];
      }
    },
  });
  opts.onProgress?.(`scanning ${walked.files.length} source files`);
  // Files found before the pool started, when it could not start, are scanned here.
  const result = await finishWith(root, walked.files, pool, opts);
  return { ...result, files: walked.files, graphql: walked.graphql, pages: walked.pages, warnings: [...walked.warnings, ...result.warnings] };
}
