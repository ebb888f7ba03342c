import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCheckReport, runCheck } from '../../src/verify/check.js';
import { buildAsyncApi } from '../../src/render/asyncapi.js';
import { PLAN } from './plan-core.js';

const PLANS = fileURLToPath(new URL('../fixtures/plans/', import.meta.url));

/** mermaid-cli style: each `*.expect-error.md` must fail with exactly these messages. */
const EXPECTED_ERRORS: Record<string, string[]> = {
  'broken-sequence.expect-error.md': ["broken-sequence.expect-error.md:100: sequenceDiagram: Parse error: Expecting '+', '-', '()', 'ACTOR', got 'TXT'"],
  'broken-state.expect-error.md': ["broken-state.expect-error.md:66: stateDiagram-v2: Parse error: Expecting 'ID', 'EDGE_STATE', got 'DESCR'"],
  'unclosed-node.expect-error.md': [
    "unclosed-node.expect-error.md:41: flowchart: Parse error: Expecting 'SQE', 'DOUBLECIRCLEEND', 'PE', '-)', " +
      "'STADIUMEND', 'SUBROUTINEEND', 'PIPE', 'CYLINDEREND', 'DIAMOND_STOP', 'TAGEND', 'TRAPEND', 'INVTRAPEND', " +
      "'UNICODE_TEXT', 'TEXT', 'TAGSTART', got 'SQS'",
  ],
  'unknown-type.expect-error.md': ['unknown-type.expect-error.md:96: unknown diagram type "sequenceDiagrm"'],
  'missing-section.expect-error.md': [
    'missing-section.expect-error.md:113: missing required section "## Security" (expected before "## Performance and scaling")',
  ],
};

describe('rt-plan check on plan fixtures', () => {
  it('passes the valid plan (four diagrams, one hand-written with a comment)', async () => {
    const report = await runCheck({ cwd: PLANS, files: ['valid.md'], stale: false });
    expect(report).toEqual({ ok: true, files: [{ file: 'valid.md', kind: 'plan', ok: true, errors: [], diagrams: 4 }] });
    expect(formatCheckReport(report)).toBe('valid.md: ok (4 diagrams)\n1 plan checked: all valid');
  });

  it('passes the ten-diagram benchmark plan', async () => {
    const report = await runCheck({ cwd: PLANS, files: ['ten-diagrams.md'], stale: false });
    expect(formatCheckReport(report)).toBe('ten-diagrams.md: ok (10 diagrams)\n1 plan checked: all valid');
  });

  it.each(Object.entries(EXPECTED_ERRORS))('%s fails with file:line messages', async (file, lines) => {
    const report = await runCheck({ cwd: PLANS, files: [file], stale: false });
    expect(report.ok).toBe(false);
    expect(formatCheckReport(report)).toBe([...lines, '1 plan checked: 1 file failed'].join('\n'));
  });

  it('gives per-file results for --json', async () => {
    const report = await runCheck({ cwd: PLANS, files: ['valid.md', 'broken-state.expect-error.md'], stale: false });
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      ok: false,
      files: [
        { file: 'valid.md', kind: 'plan', ok: true, errors: [], diagrams: 4 },
        {
          file: 'broken-state.expect-error.md',
          kind: 'plan',
          ok: false,
          errors: [{ line: 66, message: "stateDiagram-v2: Parse error: Expecting 'ID', 'EDGE_STATE', got 'DESCR'" }],
          diagrams: 4,
        },
      ],
    });
  });

  it('a named file that is missing or not a file is an input error (exit 3), not a failed check', async () => {
    await expect(runCheck({ cwd: PLANS, files: ['nope.md'], stale: false })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/^cannot check nope\.md: ENOENT/),
    });
    await expect(runCheck({ cwd: PLANS, files: ['.'], stale: false })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('not a regular file'),
    });
  });
});

describe('rt-plan check in a project', () => {
  let project: string | null = null;
  afterEach(async () => {
    if (project) await rm(project, { recursive: true, force: true });
    project = null;
  });

  async function makeProject(): Promise<string> {
    project = await mkdtemp(path.join(tmpdir(), 'rt-plan-check-'));
    await mkdir(path.join(project, '.claude', 'doc'), { recursive: true });
    await cp(path.join(PLANS, 'valid.md'), path.join(project, '.claude', 'doc', 'websocket-realtime-chat.md'));
    return project;
  }

  it('checks the plans in .claude/doc and a valid AsyncAPI file next to them', async () => {
    const root = await makeProject();
    const yaml = buildAsyncApi(PLAN, { projectName: 'chat-app' });
    await writeFile(path.join(root, '.claude', 'doc', 'websocket-realtime-chat.asyncapi.yaml'), yaml);
    const report = await runCheck({ cwd: root, files: [], stale: false });
    expect(report).toEqual({
      ok: true,
      files: [
        { file: '.claude/doc/websocket-realtime-chat.md', kind: 'plan', ok: true, errors: [], diagrams: 4 },
        { file: '.claude/doc/websocket-realtime-chat.asyncapi.yaml', kind: 'asyncapi', ok: true, errors: [] },
      ],
    });
  });

  it('fails on an invalid AsyncAPI file next to the plan', async () => {
    const root = await makeProject();
    await writeFile(path.join(root, '.claude', 'doc', 'websocket-realtime-chat.asyncapi.yaml'), 'asyncapi: 3.0.0\ninfo:\n  title: x\n');
    const report = await runCheck({ cwd: root, files: [], stale: false });
    expect(report.ok).toBe(false);
    expect(formatCheckReport(report)).toContain(
      '.claude/doc/websocket-realtime-chat.asyncapi.yaml:2: "info" property must have required property "version" (at info)',
    );
  });

  it('is an input error (exit 3) when there is nothing to check', async () => {
    project = await mkdtemp(path.join(tmpdir(), 'rt-plan-check-'));
    await expect(runCheck({ cwd: project, files: [], stale: false })).rejects.toMatchObject({
      exitCode: 3,
      message: 'no plans to check: cannot read .claude/doc (ENOENT: no such file or directory, scandir ' + `'${path.join(project, '.claude', 'doc')}')`,
    });
  });

  it('--stale compares the recorded digest with the recomputed one', async () => {
    const root = await makeProject();
    const asked: (string[] | null)[] = [];
    const fresh = await runCheck({
      cwd: root,
      files: [],
      stale: true,
      recompute: async (sessions) => (asked.push(sessions), 'sha256:0000'),
    });
    expect(fresh.ok).toBe(true);
    expect(asked).toEqual([null]);

    const stale = await runCheck({ cwd: root, files: [], stale: true, recompute: async () => 'sha256:1111' });
    expect(formatCheckReport(stale)).toBe(
      '.claude/doc/websocket-realtime-chat.md:3: inputs changed since the plan was written: regenerate with `rt-plan sync-architecture` (and the options it was made with)\n' +
        '1 plan checked: 1 file failed',
    );
  });

  it('--stale points a plan that records its options to `rt-plan plan --same-as`', async () => {
    const root = await makeProject();
    const file = path.join(root, '.claude', 'doc', 'websocket-realtime-chat.md');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace('task: sync-architecture\n', 'task: sync-architecture\ngenerated: "2026-11-21T10:15:00.000Z"\noptions: ["--offline"]\n'),
    );
    const stale = await runCheck({ cwd: root, files: [], stale: true, recompute: async () => 'sha256:1111' });
    expect(stale.files[0]?.errors).toEqual([
      {
        line: 5,
        message:
          'inputs changed since the plan was written: regenerate with `rt-plan plan --same-as .claude/doc/websocket-realtime-chat.md` (the task, date and options it recorded)',
      },
    ]);
    // A file name that is not plain text never goes into a command.
    const odd = path.join(root, '.claude', 'doc', 'websocket-realtime-a`b.md');
    await writeFile(odd, await readFile(file, 'utf8'));
    const report = await runCheck({ cwd: root, files: [odd], stale: true, recompute: async () => 'sha256:1111' });
    expect(report.files[0]?.errors.map((e) => e.message)).toEqual([
      'inputs changed since the plan was written: regenerate with `rt-plan plan --same-as <this plan>` (the task, date and options it recorded)',
    ]);
  });

  it('--stale fails a plan that records no digest', async () => {
    const root = await makeProject();
    const file = path.join(root, '.claude', 'doc', 'websocket-realtime-chat.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^---\n[\s\S]*?\n---\n/, ''));
    const report = await runCheck({ cwd: root, files: [], stale: true, recompute: async () => 'x' });
    expect(report.files[0]?.errors).toEqual([{ line: 1, message: 'no `task` and `inputs_digest` in the frontmatter: cannot tell whether the plan is stale' }]);
  });
});
