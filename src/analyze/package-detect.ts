import type { LibraryUse, Stack, Transport } from '../types.js';
import { lookupCatalog } from './catalog.js';
import type { PackagesResult } from './packages.js';

export interface PackageDetection {
  /** Real-time libraries, providers and scaling pieces the manifests declare. */
  libraries: LibraryUse[];
  frameworks: Stack['frameworks'];
  transports: Transport[];
  providers: string[];
  scaling: Stack['scaling'];
  /** General-purpose packages (catalog `needsCode`) the code analyzer must confirm. */
  candidates: LibraryUse[];
}

/**
 * Matches every declared dependency against the catalog by exact name. Frameworks go to
 * `frameworks`, not `libraries`; `needsCode` packages wait in `candidates` and add no
 * transport or provider until code confirms them.
 */
export function detectFromPackages(pkgs: PackagesResult): PackageDetection {
  const libraries: LibraryUse[] = [];
  const candidates: LibraryUse[] = [];
  const frameworks: (Stack['frameworks'][number] & { workspace: string })[] = [];
  const transports = new Set<Transport>();
  const providers = new Set<string>();
  const scaling: (Stack['scaling'][number] & { workspace: string })[] = [];

  for (const pkg of pkgs.packages) {
    for (const [name, declared] of Object.entries(pkg.dependencies)) {
      const entry = lookupCatalog(name);
      if (!entry) continue;
      const line = pkg.dependencyLines[name];
      const evidence = line === undefined ? pkg.manifest : `${pkg.manifest}:${line}`;
      const version = pkgs.resolved.get(pkg.dir, name) ?? declared;
      if (entry.kind === 'framework') {
        frameworks.push({ name, version, evidence, workspace: pkg.dir });
        // Hono ships its own SSE and WebSocket helpers: a library too once code serves a real-time route with it (merge.ts).
        if (name === 'hono') candidates.push({ name, version, declared, role: entry.role, evidence, kind: 'framework', workspace: pkg.dir });
        continue;
      }
      const use: LibraryUse = { name, version, declared, role: entry.role, evidence, kind: entry.kind, workspace: pkg.dir };
      if (entry.needsCode) {
        candidates.push(use);
        continue;
      }
      libraries.push(use);
      for (const t of entry.transports) transports.add(t);
      if (entry.provider !== undefined) providers.add(entry.provider);
      if (entry.scaling) scaling.push({ name, evidence, workspace: pkg.dir });
    }
  }

  return {
    libraries: libraries.sort(byWorkspaceThenName),
    frameworks: frameworks.sort(byWorkspaceThenName).map(({ name, version, evidence }) => ({ name, version, evidence })),
    transports: [...transports].sort(),
    providers: [...providers].sort(),
    scaling: scaling.sort(byWorkspaceThenName).map(({ name, evidence }) => ({ name, evidence })),
    candidates: candidates.sort(byWorkspaceThenName),
  };
}

// Plain code-unit comparison, not localeCompare: the order must not depend on the machine.
function byWorkspaceThenName(a: { workspace: string; name: string }, b: { workspace: string; name: string }): number {
  if (a.workspace !== b.workspace) return a.workspace < b.workspace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
