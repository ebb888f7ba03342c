import { expect, it } from 'vitest';
import { excerptTargets } from '../../src/llm/project-files.js';
import type { Analysis, SessionContext } from '../../src/types.js';

const analysis = {
  project: {
    name: 'p',
    packageManager: null,
    packages: [],
    sourceFiles: ['a/index.js', 'b/index.js', 'server/rooms.js', 'server/util.js', 'server/auth.js'],
    typescript: false,
  },
  stack: {
    transports: [],
    providers: [],
    libraries: [],
    scaling: [],
    auth: [],
    heartbeat: { present: false, evidence: null },
    reconnect: { present: false, evidence: null },
    entrypoints: [{ file: 'server/auth.js', line: 3, kind: 'socket-server' }],
    frameworks: [],
  },
  events: [],
  findings: [{ id: 'x', severity: 'high', message: 'm', evidence: 'server/auth.js:9', fix: 'f' }],
  warnings: [],
} as Analysis;
const sessions = (body: string) => ({ files: [], docs: [{ path: 's.md', data: {}, title: null, body }], requirements: [], warnings: [] }) as SessionContext;

it('sends the cited files with their lines, and the files the session names by path or by a unique file name', () => {
  const targets = excerptTargets(analysis, sessions('Fix rooms.js and b/index.js; index.js is ambiguous; myutil.js is not util.js-like.'));
  expect([...targets]).toEqual([
    ['b/index.js', []],
    ['server/auth.js', [3, 9]],
    ['server/rooms.js', []],
  ]);
});
