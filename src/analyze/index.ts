// The analyze stage: manifests and lockfiles (packages.ts), then the source walk, the code
// detectors and the audit. Same tree in, deep-equal Analysis out.
import path from 'node:path';
import type { Analysis, WorkspacePackage } from '../types.js';
import type { Side } from './code/entrypoints.js';
import { buildStack, mergeEvents, workspaceOf } from './code/merge.js';
import { scanProject } from './code/scan.js';
import { detectFromPackages, readPackages } from './packages.js';
import { runAudit } from './rules/index.js';

export interface AnalyzeOptions {
  onProgress?: (msg: string) => void;
}

/** Socket.IO side of a workspace from what it depends on, for handler modules that import neither package. */
function socketIoSideOf(packages: readonly WorkspacePackage[]): (file: string) => Side | null {
  const byDir = new Map(packages.map((p) => [p.dir, p]));
  return (file) => {
    const deps = byDir.get(workspaceOf(file, packages))?.dependencies ?? {};
    const server = 'socket.io' in deps;
    const client = 'socket.io-client' in deps;
    return server && !client ? 'server' : client && !server ? 'client' : null;
  };
}

export async function analyzeProject(root: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const abs = path.resolve(root);
  opts.onProgress?.('reading package manifests');
  const pkgs = await readPackages(abs);
  const detected = detectFromPackages(pkgs);
  opts.onProgress?.('walking source files');
  const scan = await scanProject(abs, { socketIoSide: socketIoSideOf(pkgs.packages), packages: pkgs.packages, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });

  const stack = buildStack(scan.analyses, detected, pkgs.packages);
  const rawEvents = scan.analyses.flatMap((a) => a.events);
  const entries = scan.analyses.flatMap((a) => a.entries);
  const findings = runAudit({ analyses: scan.analyses, entries, rawEvents, stack });
  const rootPkg = pkgs.packages.find((p) => p.dir === '');

  return {
    project: {
      name: rootPkg?.name ?? path.basename(abs),
      packageManager: pkgs.packageManager,
      packages: pkgs.packages,
      sourceFiles: scan.scanned,
      typescript: scan.scanned.some((f) => /\.[cm]?tsx?$/.test(f)) || pkgs.packages.some((p) => 'typescript' in p.dependencies),
    },
    stack,
    events: mergeEvents(rawEvents),
    findings,
    warnings: [...pkgs.warnings, ...scan.warnings],
  };
}
