// The analyze stage: manifests and lockfiles (packages.ts), then the source walk, the code
// detectors and the audit. Same tree in, deep-equal Analysis out.
import { withDeclaredPayloads } from './model/message-unions.js';
import { withDeclaredTypes } from './model/declared-types.js';
import path from 'node:path';
import type { Analysis, WorkspacePackage } from '../types.js';
import type { Side } from './code/entrypoints.js';
import { buildStack, mergeEvents, workspaceOf } from './code/merge.js';
import { scanProject } from './code/scan.js';
import { detectFromPackages, readPackages } from './packages.js';
import { runAudit } from './rules/index.js';
import { unusedDependencies } from './model/packages.js';
import type { ModelView } from './model/consistency.js';
import { planFacts } from './model/plan-facts.js';
import {
  connectionParamsRead,
  readGraphqlDocuments,
  refetchesPerEvent,
  resolversWithoutContext,
  withSchemaFields,
  withSchemaPayloads,
} from './model/graphql-schema.js';
import { serverConfigFacts } from './model/server-config.js';
import { withProviderProtocols } from './model/provider-protocols.js';
import { isNonProduction } from './model/scope.js';
import { findUnmodelled, silenceUnknowns } from './model/unmodelled.js';
import type { PackagesResult } from './packages.js';
import { skippedGeneratedFiles } from '../shared/warnings.js';
import { pageSocketClients } from './code/page-clients.js';

const GRAPHQL_PACKAGES =
  /^(?:graphql|graphql-ws|subscriptions-transport-ws|graphql-subscriptions|graphql-tag|@apollo\/(?:server|client)|apollo-server(?:-[\w-]+)?|mercurius|graphql-yoga|@graphql-tools\/[\w-]+)$/;

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

/** The file's workspace declares `socket.io`: its `io.on('connection', …)` is the server's, whatever else it declares. */
function declaresSocketIoOf(packages: readonly WorkspacePackage[]): (file: string) => boolean {
  const byDir = new Map(packages.map((p) => [p.dir, p]));
  return (file) => 'socket.io' in (byDir.get(workspaceOf(file, packages))?.dependencies ?? {});
}

/** The manifests as the stack sees them: unused dependencies are not the project's stack. */
function withoutUnused(pkgs: PackagesResult, unused: readonly { name: string; evidence: string }[]): PackagesResult {
  if (unused.length === 0) return pkgs;
  const packages = pkgs.packages.map((p) => {
    const drop = new Set(unused.filter((u) => u.evidence === p.manifest || u.evidence.startsWith(`${p.manifest}:`)).map((u) => u.name));
    return drop.size === 0 ? p : { ...p, dependencies: Object.fromEntries(Object.entries(p.dependencies).filter(([n]) => !drop.has(n))) };
  });
  return { ...pkgs, packages };
}

export async function analyzeProject(root: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  return (await analyzeProjectModel(root, opts)).analysis;
}

/** The analysis and the per-file model it was built from (the consistency check reads both). */
export async function analyzeProjectModel(root: string, opts: AnalyzeOptions = {}): Promise<ModelView> {
  const abs = path.resolve(root);
  opts.onProgress?.('reading package manifests');
  const pkgs = await readPackages(abs);
  opts.onProgress?.('walking source files');
  const scan = await scanProject(abs, {
    socketIoSide: socketIoSideOf(pkgs.packages),
    declaresSocketIo: declaresSocketIoOf(pkgs.packages),
    packages: pkgs.packages,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const facts = scan.model?.facts ?? new Map();
  // A bundle skipped as generated code still requires what it does not inline (`require("ws")` in a
  // published build): its text confirms a dependency is used, though nothing else is read from it.
  const skippedBuilds = skippedGeneratedFiles(scan.warnings);
  const unused = await unusedDependencies(abs, pkgs.packages, facts, [...scan.scanned, ...skippedBuilds]);
  const detected = detectFromPackages(withoutUnused(pkgs, unused));
  const unmodelled = findUnmodelled(facts);
  // Tests, examples and demos are read but make no claim about the product.
  const analyses = scan.analyses.filter((a) => !isNonProduction(a.file));

  const stack = buildStack(analyses, detected, pkgs.packages);
  // A GraphQL schema types its subscription events' payloads (only read where a GraphQL package is in use).
  const graphqlDocs = stack.libraries.some((l) => GRAPHQL_PACKAGES.test(l.name)) ? await readGraphqlDocuments(abs, scan.graphql, facts) : [];
  const rawEvents = withSchemaPayloads(
    withProviderProtocols(
      analyses,
      analyses.flatMap((a) => a.events),
    ),
    graphqlDocs,
  );
  const entries = analyses.flatMap((a) => a.entries);
  const findings = silenceUnknowns(
    runAudit({ analyses, entries, rawEvents, stack, modules: facts, ...(scan.model ? { resolve: scan.model.resolve } : {}) }),
    unmodelled,
    pkgs.packages,
  );
  // Payloads typed by a declaration in another module (or one this file aliases): its fields, cited there.
  const typedEvents = scan.model ? withDeclaredTypes(rawEvents, facts, scan.model.resolve) : rawEvents;
  const rootPkg = pkgs.packages.find((p) => p.dir === '');
  const modelFacts = [
    ...planFacts(
      analyses,
      scan.model,
      new Set(rawEvents.map((e) => e.name)),
      pkgs.packages,
      // Pages are read only where a Socket.IO client could be websocket-only: their clients' transports are unknown.
      analyses.some((a) => a.entries.some((e) => e.kind === 'socket-client')) ? await pageSocketClients(abs, scan.pages) : [],
    ),
    // A Centrifugo the project runs: its own config file holds history, recovery and the engine.
    ...(stack.providers.includes('centrifugo') ? await serverConfigFacts(abs, facts) : []),
    // Resolvers that check nobody: only where a GraphQL package is in use.
    ...(stack.libraries.some((l) => GRAPHQL_PACKAGES.test(l.name)) ? [...resolversWithoutContext(facts, graphqlDocs), ...refetchesPerEvent(facts)] : []),
  ];

  const connectionParams = graphqlDocs.length > 0 || stack.libraries.some((l) => l.name === 'graphql-ws') ? connectionParamsRead(facts) : [];
  const handlerFiles = [...new Set(rawEvents.filter((e) => e.act === 'handle' && e.side === 'server' && !e.wildcard && !e.protocol).map((e) => e.file))].sort();
  const analysis: Analysis = {
    project: {
      name: rootPkg?.name ?? path.basename(abs),
      packageManager: pkgs.packageManager,
      packages: pkgs.packages,
      sourceFiles: scan.scanned,
      typescript: scan.scanned.some((f) => /\.[cm]?tsx?$/.test(f)) || pkgs.packages.some((p) => 'typescript' in p.dependencies),
    },
    stack,
    events: withSchemaFields(withDeclaredPayloads(mergeEvents(typedEvents), typedEvents, facts), graphqlDocs),
    findings,
    warnings: [...pkgs.warnings, ...scan.warnings],
    unused,
    unmodelled,
    ...(modelFacts.length > 0 ? { modelFacts } : {}),
    ...(connectionParams.length > 0 ? { connectionParams } : {}),
    ...(handlerFiles.length > 0 ? { handlerFiles } : {}),
  };
  return { analysis, files: analyses };
}
