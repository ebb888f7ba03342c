// The project model's module layer: built once per scan, queried by every detector. Files the
// prefilter kept are parsed anyway; the modules they import (their import closure, bounded)
// are parsed too, only so their constants, enums and options objects can be folded into the
// candidates' facts. Closure modules are not analysed as candidates: reading them must not
// create claims of its own.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspacePackage } from '../../types.js';
import type { FileFacts } from '../code/facts.js';
import { demandedSources } from './closure-demand.js';
import { unmountedRouterFiles } from './http-routes.js';
import { createResolver, pathsConfig, type PathsConfig, type Resolve } from './resolve.js';
import { ValueTable } from './values.js';

/** Import levels followed from the candidates, and most modules read for values. */
export const CLOSURE_DEPTH = 3;
export const CLOSURE_MAX_FILES = 400;
/** Modules read at most, per round, to find the one that mounts a router (its own and its parent folders' files). */
export const MOUNTER_MAX_FILES = 40;
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export interface ModuleModel {
  resolve: Resolve;
  values: ValueTable;
  /** Every parsed file's facts: candidates and closure modules. */
  facts: ReadonlyMap<string, FileFacts>;
}

/** tsconfig/jsconfig of the root and of every package directory. */
export async function readPathsConfigs(root: string, dirs: readonly string[]): Promise<PathsConfig[]> {
  const out: PathsConfig[] = [];
  for (const dir of [...new Set(['', ...dirs])]) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const text = await readFile(path.join(root, dir, name), 'utf8').catch(() => null);
      const cfg = text === null ? null : pathsConfig(dir, text);
      if (cfg) {
        out.push(cfg);
        break;
      }
    }
  }
  return out;
}

export interface ClosureInput {
  root: string;
  /** Every walked source file (what may be resolved to). */
  files: ReadonlySet<string>;
  packages: readonly WorkspacePackage[];
  /** Facts of the files already parsed. */
  parsed: Map<string, FileFacts>;
  /** Parse files the prefilter skipped; returns their facts. */
  load: (files: string[]) => Promise<FileFacts[]>;
}

/** Resolve imports, read the import closure (bounded) and build the value table. */
export async function buildModuleModel(input: ClosureInput): Promise<ModuleModel> {
  const configs = await readPathsConfigs(
    input.root,
    input.packages.map((p) => p.dir),
  );
  const resolve = createResolver(input.files, configs, input.packages);
  const facts = input.parsed;
  let frontier = [...facts.keys()];
  for (let level = 0; level < CLOSURE_DEPTH && frontier.length > 0 && facts.size < CLOSURE_MAX_FILES; level++) {
    const wanted = new Set<string>();
    for (const file of frontier) {
      const f = facts.get(file);
      for (const source of f ? demandedSources(f) : []) {
        const target = resolve(file, source);
        if (target !== null && !facts.has(target)) wanted.add(target);
      }
    }
    const list = [...wanted].sort().slice(0, Math.max(0, CLOSURE_MAX_FILES - facts.size));
    const loaded = list.length > 0 ? await input.load(list) : [];
    for (const f of loaded) facts.set(f.file, f);
    frontier = loaded.map((f) => f.file);
  }
  await readMounters(input, resolve, facts);
  return { resolve, values: new ValueTable(facts, resolve), facts };
}

/**
 * A router (`Router()`) that no parsed module mounts is mounted by a module that imports it, which
 * the prefilter skipped (an `app.use('/events', events)` has no real-time marker). Read the source
 * files of its own folder and of each parent folder (not their subfolders), bounded, so the route's
 * prefix can be joined; a router still unmounted after that keeps a prefix rt-plan could not read.
 */
async function readMounters(input: ClosureInput, resolve: Resolve, facts: Map<string, FileFacts>): Promise<void> {
  const tried = new Set<string>();
  for (let round = 0; round < 2; round++) {
    const dirs = new Set<string>();
    for (const file of unmountedRouterFiles(facts, resolve)) {
      for (let d = path.posix.dirname(file); ; d = path.posix.dirname(d)) {
        dirs.add(d);
        if (d === '.' || d === '/' || d === '') break;
      }
    }
    const list = [...input.files]
      .filter((f) => SOURCE.test(f) && !facts.has(f) && !tried.has(f) && dirs.has(path.posix.dirname(f)))
      .sort()
      .slice(0, MOUNTER_MAX_FILES);
    if (list.length === 0) return;
    for (const f of list) tried.add(f);
    for (const f of await input.load(list)) facts.set(f.file, f);
  }
}
