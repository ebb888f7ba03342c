// A source file nested thousands of levels deep is skipped with a warning; the run goes on.
import { describe, expect, it } from 'vitest';
import { nestingProblem } from '../../src/analyze/code/nesting.js';
import { DATE, planFiles, run } from '../cli/helpers.js';
import { SESSION, makeProject } from './project.js';

const SERVER = "import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (s) => s.on('card:move', () => {}));\n";

// Short lines, so the files are not taken for minified code, and a real-time import each.
const HEAD = "import { Server } from 'socket.io';\nexport const io = new Server(3001);\n";
const DEEP: Record<string, string> = {
  'src/plus.js': `${HEAD}export const x = ${Array(100_000).fill('a').join(' +\n')};\n`,
  'src/arrays.js': `${HEAD}export const x = ${'[\n'.repeat(10_000)}${']\n'.repeat(10_000)};\n`,
  'src/parens.js': `${HEAD}export const x = ${'(\n'.repeat(10_000)}1${')\n'.repeat(10_000)};\n`,
};

describe('deep nesting', () => {
  it('10,000 levels and a 100,000-term + chain (under the 512 KB generated-file limit): exit 0, a named warning per file, plan written', () => {
    const project = makeProject({ ...DEEP, 'src/server.js': SERVER, [SESSION]: '# Board\n\nCards move live.\n' });
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const warnings = (JSON.parse(r.stdout) as { warnings: string[] }).warnings.filter((w) => /skipped$/.test(w));
    expect(warnings).toEqual([
      'src/arrays.js: nested more than 1000 levels deep; skipped',
      'src/parens.js: nested more than 1000 levels deep; skipped',
      'src/plus.js: an expression chains more than 2500 calls or operators; skipped',
    ]);
    expect(planFiles(project)).toEqual(['websocket-realtime-sync-architecture-20261121-101500.md']);
  });

  // oxc recursed on a 120,000-call chain and overflowed a scan worker's smaller native stack
  // (SIGSEGV, exit 139, no output); the main thread survived it by luck of a larger stack.
  it('counts a chain of calls or indexes like a chain of operators', () => {
    expect(nestingProblem(`s.emit("big", a${'()'.repeat(2502)});`)).toBe('an expression chains more than 2500 calls or operators');
    expect(nestingProblem(`x = m${'[0]'.repeat(2502)};`)).toBe('an expression chains more than 2500 calls or operators');
    expect(nestingProblem(`s.emit("ok", a${'()'.repeat(2501)});`)).toBeNull();
    expect(nestingProblem(`f(a)(b);\nif (x) { y(); }\n${'g(1); '.repeat(5000)}`)).toBeNull();
  });

  it('ignores brackets and operators inside strings and comments', () => {
    expect(nestingProblem(`const s = "${'['.repeat(5000)}"; // ${'('.repeat(5000)}\n/* ${'+ '.repeat(5000)} */`)).toBeNull();
    expect(nestingProblem(`const s = [${'[1],'.repeat(5000)}];`)).toBeNull();
  });
});
