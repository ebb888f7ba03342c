// Shared test helpers: a hand-built Analysis (the docs stage only reads it) and fixture paths.
import { fileURLToPath } from 'node:url';
import type { Analysis, LibraryUse, Requirement, Stack } from '../../src/types.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/projects/${name}`, import.meta.url));

export function lib(name: string, version: string | null, extra: Partial<LibraryUse> = {}): LibraryUse {
  return { name, version, declared: version, role: 'server', evidence: 'package.json:5', kind: 'library', workspace: '', ...extra };
}

export function makeAnalysis(libraries: LibraryUse[], stack: Partial<Stack> = {}): Analysis {
  return {
    project: {
      name: 'fixture',
      packageManager: 'npm',
      packages: [{ dir: '', name: 'fixture', manifest: 'package.json', dependencies: {}, dependencyLines: {} }],
      sourceFiles: [],
      typescript: false,
    },
    stack: {
      transports: [],
      providers: [],
      libraries,
      scaling: [],
      auth: [],
      heartbeat: { present: false, evidence: null },
      reconnect: { present: false, evidence: null },
      entrypoints: [],
      frameworks: [],
      ...stack,
    },
    events: [],
    findings: [],
    warnings: [],
  };
}

export const chatRequirements: Requirement[] = [
  { kind: 'feature', feature: 'chat', sentence: 'Users chat in rooms.', evidence: '.claude/tasks/context_session_1.md:3' },
  { kind: 'number', metric: 'concurrent-users', value: 5000, unit: 'users', sentence: 'Up to 5000 users.', evidence: '.claude/tasks/context_session_1.md:4' },
];

export const DATE = new Date('2026-11-21T10:15:00Z');
