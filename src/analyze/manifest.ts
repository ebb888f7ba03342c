import { scanJson } from './json-scan.js';

/** The dependency sections, in the order that decides which declaration wins for a name. */
export const DEPENDENCY_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

export type DependencySection = (typeof DEPENDENCY_SECTIONS)[number];

export interface Manifest {
  name: string | null;
  dependencies: Record<string, string>;
  dependencyLines: Record<string, number>;
  /** Which section each dependency came from. */
  dependencySections: Record<string, DependencySection>;
  /** `workspaces` as an array or `{ packages: [...] }`, normalised; null when absent. */
  workspaces: string[] | null;
  /** The corepack `packageManager` field, e.g. "pnpm@9.12.0". */
  packageManager: string | null;
}

export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; message: string };

/**
 * Parses package.json text. Never throws: a bad manifest is reported as a message that names
 * the line and column, because the caller turns it into a warning and keeps going.
 */
export function parseManifest(text: string): ManifestResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const scan = scanJson(body);
  if (!scan.ok) {
    return { ok: false, message: `invalid JSON: ${scan.message} at line ${scan.line} column ${scan.column}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    return { ok: false, message: `invalid JSON: ${(err as Error).message}` };
  }
  if (!isObject(data)) return { ok: false, message: 'not a JSON object' };

  const dependencies: Record<string, string> = {};
  const dependencyLines: Record<string, number> = {};
  const dependencySections: Record<string, DependencySection> = {};
  for (const section of DEPENDENCY_SECTIONS) {
    const deps = data[section];
    if (!isObject(deps)) continue;
    for (const [name, range] of Object.entries(deps)) {
      if (typeof range !== 'string' || Object.hasOwn(dependencies, name)) continue;
      dependencies[name] = range;
      dependencySections[name] = section;
      const line = scan.keyLines.get(`${section}\u0000${name}`);
      if (line !== undefined) dependencyLines[name] = line;
    }
  }

  return {
    ok: true,
    manifest: {
      name: typeof data.name === 'string' ? data.name : null,
      dependencies,
      dependencyLines,
      dependencySections,
      workspaces: workspacePatterns(data.workspaces),
      packageManager: typeof data.packageManager === 'string' ? data.packageManager : null,
    },
  };
}

function workspacePatterns(value: unknown): string[] | null {
  const list = Array.isArray(value) ? value : isObject(value) ? value.packages : undefined;
  if (!Array.isArray(list)) return null;
  return list.filter((p): p is string => typeof p === 'string');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
