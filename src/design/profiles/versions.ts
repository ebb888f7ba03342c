// Library features a plan proposes, with the version that brought each one, checked with
// semver against the version the project has: a proposal that needs a newer release says so
// instead of advising a setting the installed library ignores.
import semver from 'semver';
import type { LibraryUse } from '../../types.js';
import { code, text } from '../md.js';

export interface Feature {
  library: string;
  /** What the plan calls the feature. */
  nameMd: string;
  /** The semver range the feature exists in. */
  range: string;
}

export const FEATURES = {
  connectionStateRecovery: { library: 'socket.io', nameMd: code('connectionStateRecovery'), range: '>=4.6.0' },
  socketIoV4: { library: 'socket.io', nameMd: 'Socket.IO v4 (2.x is end-of-life)', range: '>=3.0.0' },
  // pingTimeout 20,000 ms is engine.io 5's default (socket.io 4); before it the default moved between
  // engine.io releases (60,000 in 3.1, 5,000 in 3.2 and 4.0, 20,000 in 3.5), so a 2.x or 3.x project's is not known from its socket.io version.
  socketIoV4Heartbeat: { library: 'socket.io', nameMd: 'the Socket.IO v4 heartbeat defaults', range: '>=4.0.0' },
  genaiEphemeralTokens: { library: '@google/genai', nameMd: code('ai.authTokens.create'), range: '>=1.3.0' },
} as const satisfies Record<string, Feature>;

export type Gate = { kind: 'ok' } | { kind: 'unknown' } | { kind: 'too-old'; version: string; needMd: string };

/** The version the project has: installed, else the lowest the declared range allows. */
export function installedVersion(use: Pick<LibraryUse, 'version' | 'declared'> | null | undefined): string | null {
  if (!use) return null;
  const exact = use.version ? semver.valid(semver.coerce(use.version)) : null;
  if (exact) return exact;
  const range = use.declared && semver.validRange(use.declared) ? semver.minVersion(use.declared) : null;
  return range?.version ?? null;
}

/** Whether the project's version of the library has the feature; unknown when no version is known. */
export function gate(feature: Feature, use: Pick<LibraryUse, 'version' | 'declared'> | null | undefined): Gate {
  const version = installedVersion(use);
  if (!version) return { kind: 'unknown' };
  if (semver.satisfies(version, feature.range)) return { kind: 'ok' };
  return {
    kind: 'too-old',
    version,
    needMd: `${feature.nameMd} needs ${code(feature.library)} ${text(feature.range.replace(/^>=/, '≥ '))}; the project has ${text(version)}: upgrade first`,
  };
}
