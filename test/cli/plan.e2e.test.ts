import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATE, EXAMPLE, copyProject, planFiles, readPlan, run, runAsync, treeState } from './helpers.js';

const SECTIONS = [
  'Summary',
  'Context',
  'Current state',
  'Communication requirements',
  'Transport and library decision',
  'Architecture',
  'Connection management',
  'Event protocol',
  'State synchronization',
  'Security',
  'Performance and scaling',
  'Error handling and fallbacks',
  'Observability',
  'Testing strategy',
  'Implementation steps',
  'Race conditions and edge cases',
  'References',
];
const AGENT_LINE =
  /^I've created a detailed real-time communication plan at (\.claude\/doc\/websocket-realtime-[a-z0-9-]+-\d{8}-\d{6}(?:-\d+)?\.md), please read that first before you proceed with implementation\.$/;
const outsideClaude = (rel: string) => rel === '.claude' || rel.startsWith('.claude/');

describe('rt-plan <task> on the example project', () => {
  it('writes a complete plan and ends stdout with the agent line', () => {
    const project = copyProject(EXAMPLE);
    const before = treeState(project, outsideClaude);
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const match = AGENT_LINE.exec(lines[0]!);
    expect(match?.[1]).toBe('.claude/doc/websocket-realtime-sync-architecture-20261121-101500.md');
    const plan = readFileSync(path.join(project, match![1]!), 'utf8');
    const headings = [...plan.matchAll(/^## (?:\d+\. )?(.+)$/gm)].map((m) => m[1]);
    for (const s of SECTIONS) expect(headings).toContain(s);
    expect(headings.filter((h) => SECTIONS.includes(h!))).toEqual(SECTIONS);
    // Specific to this project: its files, library versions, events and flaws.
    expect(plan).toContain('4.8.4');
    expect(plan).toMatch(/server\/index\.js:\d+/);
    expect(plan).toMatch(/server\/auth\.js:\d+/);
    expect(plan).toContain('joinRoom');
    expect(plan).toContain('.claude/tasks/context_session_1.md');
    expect(plan).not.toContain('team-chat-dev-secret');
    expect(treeState(project, outsideClaude)).toEqual(before);
    expect(r.stderr).not.toMatch(/\u001b\[/);
  });

  it('--json prints exactly one object following the contract', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.plan).toBe('.claude/doc/websocket-realtime-sync-architecture-20261121-101500.md');
    expect(result.task).toBe('sync-architecture');
    expect(result.sessions).toEqual(['.claude/tasks/context_session_1.md']);
    expect(result.stack.transports).toContain('socket.io');
    expect(result.stack.libraries).toContainEqual(
      expect.objectContaining({ name: 'socket.io', version: '4.8.4', role: 'server', evidence: 'package.json:16' }),
    );
    expect(result.stack.scaling).toContainEqual(expect.objectContaining({ name: '@socket.io/redis-adapter' }));
    expect(result.events).toContainEqual(expect.objectContaining({ name: 'joinRoom', direction: 'client-to-server', origin: 'existing' }));
    expect(result.events.some((e: { origin: string }) => e.origin === 'proposed')).toBe(true);
    for (const f of result.findings)
      expect(f).toEqual(
        expect.objectContaining({ id: expect.any(String), severity: expect.any(String), evidence: expect.stringMatching(/:\d+$/), fix: expect.any(String) }),
      );
    expect(result.diagrams.length).toBe(3);
    for (const d of result.diagrams) expect(['flowchart', 'state', 'sequence']).toContain(d.kind);
    expect(Array.isArray(result.warnings)).toBe(true);
    expect(r.stdout).not.toContain('team-chat-dev-secret');
  });

  it('is byte-identical for the same inputs and --date, and never overwrites (-2)', () => {
    const a = copyProject(EXAMPLE);
    const b = copyProject(EXAMPLE);
    expect(run(['sync-architecture', '--cwd', a, '--date', DATE, '-q']).status).toBe(0);
    expect(run(['sync-architecture', '--cwd', b, '--date', DATE, '-q']).status).toBe(0);
    expect(run(['sync-architecture', '--cwd', a, '--date', DATE, '-q']).status).toBe(0);
    const names = planFiles(a);
    expect(names).toEqual(['websocket-realtime-sync-architecture-20261121-101500-2.md', 'websocket-realtime-sync-architecture-20261121-101500.md']);
    const first = readPlan(a, names[1]!);
    expect(readPlan(a, names[0]!)).toBe(first);
    expect(readPlan(b, names[1]!)).toBe(first);
  });

  it('SOURCE_DATE_EPOCH sets the clock like --date', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['sync-architecture', '--cwd', project, '--json'], { env: { SOURCE_DATE_EPOCH: '1763720100' } });
    expect(JSON.parse(r.stdout).plan).toBe('.claude/doc/websocket-realtime-sync-architecture-20251121-101500.md');
  });

  it('two runs at once give two distinct complete files', async () => {
    const project = copyProject(EXAMPLE);
    const args = ['sync-architecture', '--cwd', project, '--date', DATE, '--json'];
    const [x, y] = await Promise.all([runAsync(args), runAsync(args)]);
    expect([x.status, y.status]).toEqual([0, 0]);
    const paths = [JSON.parse(x.stdout).plan, JSON.parse(y.stdout).plan].sort();
    expect(paths).toEqual([
      '.claude/doc/websocket-realtime-sync-architecture-20261121-101500-2.md',
      '.claude/doc/websocket-realtime-sync-architecture-20261121-101500.md',
    ]);
    const [p, q] = planFiles(project).map((n) => readPlan(project, n));
    expect(p).toBe(q);
    expect(p!.endsWith('\n')).toBe(true);
  });

  it('--dry-run prints the plan and writes nothing', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^---\n/);
    expect(r.stdout).toContain('## 1. Summary');
    expect(planFiles(project)).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([['../x'], ['/etc/passwd'], [''], ['a/b'], ['..'], ['x'.repeat(300)], ['🎉🚀']])(
    'task name %j is a usage error (exit 2) and writes nothing',
    (task) => {
      const project = copyProject(EXAMPLE);
      const r = run([task, '--cwd', project]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/invalid task name/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(planFiles(project)).toEqual([]);
    },
  );

  it('unknown options are usage errors', () => {
    expect(run(['sync', '--nope']).status).toBe(2);
    expect(run(['sync', '--pattern', 'nope']).status).toBe(2);
    expect(run(['sync', '--connections', '-5']).status).toBe(2);
    expect(run(['sync', '--date', 'yesterday']).status).toBe(2);
  });

  it('skips invalid frontmatter, broken package.json, binary and huge session files with warnings', () => {
    const project = copyProject(EXAMPLE);
    writeFileSync(path.join(project, '.claude/tasks/context_session_2.md'), '---\ntitle: [oops\n---\nbody\n');
    writeFileSync(path.join(project, '.claude/tasks/context_session_3.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    writeFileSync(path.join(project, '.claude/tasks/context_session_4.md'), Buffer.alloc(20 * 1024 * 1024, 'a'));
    mkdirSync(path.join(project, 'packages/broken'), { recursive: true });
    writeFileSync(path.join(project, 'packages/broken/package.json'), '{ "name": "broken", }');
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.sessions).toEqual(['.claude/tasks/context_session_1.md']);
    const warnings = result.warnings.join('\n');
    expect(warnings).toMatch(/context_session_2\.md: invalid YAML frontmatter/);
    expect(warnings).toMatch(/context_session_3\.md: binary file/);
    expect(warnings).toMatch(/context_session_4\.md: too large/);
    expect(r.stderr).toMatch(/context_session_2\.md: invalid YAML frontmatter/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('skips binary, huge and linked-out source files with warnings, and still plans', () => {
    const project = copyProject(EXAMPLE);
    writeFileSync(path.join(project, 'server/blob.js'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    writeFileSync(path.join(project, 'server/huge.ts'), `// socket\n${'x'.repeat(3 * 1024 * 1024)}\n`);
    const outside = mkdtempSync(path.join(tmpdir(), 'rtp-outside-src-'));
    writeFileSync(path.join(outside, 'secret.js'), "import { Server } from 'socket.io';\n");
    symlinkSync(path.join(outside, 'secret.js'), path.join(project, 'server/linked.js'));
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const warnings: string[] = JSON.parse(r.stdout).warnings;
    expect(warnings).toContainEqual(expect.stringMatching(/^server\/blob\.js: binary/));
    expect(warnings).toContainEqual(expect.stringMatching(/^server\/huge\.ts: file is larger than 2 MB/));
    expect(warnings).toContainEqual(expect.stringMatching(/^server\/linked\.js: symbolic link points outside the project/));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an explicit --context file that cannot be used is an input error (exit 3)', () => {
    const project = copyProject(EXAMPLE);
    writeFileSync(path.join(project, 'ctx.md'), '---\n: : [\n---\n');
    const r = run(['sync-architecture', '--cwd', project, '--context', 'ctx.md']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/ctx\.md: invalid YAML frontmatter/);
    expect(planFiles(project)).toEqual([]);
  });

  it.each(['.claude', '.claude/doc'])('%s as a symlink out of the project: exit 3, nothing written outside', (link) => {
    const project = copyProject(EXAMPLE);
    const outside = mkdtempSync(path.join(tmpdir(), 'rtp-outside-'));
    if (link === '.claude') {
      rmSync(path.join(project, '.claude'), { recursive: true });
      symlinkSync(outside, path.join(project, '.claude'));
    } else {
      symlinkSync(outside, path.join(project, '.claude/doc'));
    }
    const before = treeState(outside);
    const r = run(['sync-architecture', '--cwd', project]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/outside \.claude\/ of the project/);
    expect(treeState(outside)).toEqual(before);
  });

  it('a read-only .claude/doc: exit 3, no partial file', () => {
    const project = copyProject(EXAMPLE);
    mkdirSync(path.join(project, '.claude/doc'));
    chmodSync(path.join(project, '.claude/doc'), 0o555);
    try {
      const r = run(['sync-architecture', '--cwd', project]);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/read-only/);
      expect(planFiles(project)).toEqual([]);
    } finally {
      chmodSync(path.join(project, '.claude/doc'), 0o755);
    }
  });

  it('a missing project directory is an input error', () => {
    const r = run(['sync-architecture', '--cwd', path.join(tmpdir(), 'rtp-does-not-exist')]);
    expect(r.status).toBe(3);
  });

  it('--json errors are one JSON object too', () => {
    const r = run(['../x', '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: expect.objectContaining({ code: 2, message: expect.stringMatching(/invalid task name/) }) });
  });
});
