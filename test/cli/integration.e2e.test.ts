import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { okAnswer, startContext7, type FakeContext7 } from '../docs/c7-server.js';
import { DATE, EXAMPLE, FIXTURES, copyProject, planFiles, readPlan, run, runAsync } from './helpers.js';

describe('plans for the fixture stacks', () => {
  it.each([
    ['scan-socketio-express', ['socket.io']],
    ['scan-ws-server', ['websocket']],
    ['scan-fastify-ws', ['websocket']],
    ['scan-sse-express', ['sse']],
    ['scan-monorepo', ['socket.io']],
  ])('%s: a complete plan on its detected stack', (fixture, transports) => {
    const project = copyProject(path.join(FIXTURES, fixture));
    const r = run(['realtime-plan', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.stack.transports).toEqual(transports);
    const plan = readFileSync(path.join(project, result.plan), 'utf8');
    expect(plan).toContain('## 17. References');
    // The plan cites this project's own files.
    const cited = result.stack.entrypoints.map((e: { file: string }) => e.file);
    expect(cited.length).toBeGreaterThan(0);
    for (const file of cited) expect(plan).toContain(file);
  });

  it('a project with no real-time code says so and plans from scratch', () => {
    const project = copyProject(path.join(FIXTURES, 'scan-no-realtime'));
    const r = run(['live-updates', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.stack.transports).toEqual([]);
    expect(result.stack.libraries).toEqual([]);
    expect(result.events.every((e: { origin: string }) => e.origin === 'proposed')).toBe(true);
    const plan = readFileSync(path.join(project, result.plan), 'utf8');
    expect(plan).toMatch(/no real-time code/i);
  });
});

describe('a client-only repository', () => {
  it('says the server is elsewhere instead of inventing one', () => {
    const project = copyProject(path.join(FIXTURES, 'scan-react-client'));
    const r = run(['live-feed', '--cwd', project, '--date', DATE, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.stack.entrypoints.map((e: { kind: string }) => e.kind)).toEqual(['ws-client']);
    const plan = readFileSync(path.join(project, result.plan), 'utf8');
    const context = plan.slice(plan.indexOf('## 2. Context'), plan.indexOf('## 3. Current state'));
    expect(context).toContain('connects to a server that is not in this repository');
    expect(context).not.toContain('No server entry file was found');
  });
});

describe('project template overrides', () => {
  it('a project partial replaces the shipped one', () => {
    const project = copyProject(EXAMPLE);
    mkdirSync(path.join(project, '.claude/templates/rt-plan'), { recursive: true });
    writeFileSync(path.join(project, '.claude/templates/rt-plan/summary.hbs'), '## 1. Summary\n\nOur own summary for {{plan.task}}.\n');
    const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '-q']);
    expect(r.status, r.stderr).toBe(0);
    const plan = readPlan(project, planFiles(project)[0]!);
    expect(plan).toContain('Our own summary for sync-architecture.');
    expect(plan).toContain('## 2. Context');
  });

  it('a broken override is an input error naming the file', () => {
    const project = copyProject(EXAMPLE);
    mkdirSync(path.join(project, '.claude/templates/rt-plan'), { recursive: true });
    writeFileSync(path.join(project, '.claude/templates/rt-plan/security.hbs'), '## 10. Security\n{{#each plan.x}\n');
    const r = run(['sync-architecture', '--cwd', project]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('.claude/templates/rt-plan/security.hbs');
    expect(planFiles(project)).toEqual([]);
  });

  it('an override that drops a required section fails the plan check (exit 1) and writes nothing', () => {
    const project = copyProject(EXAMPLE);
    mkdirSync(path.join(project, '.claude/templates/rt-plan'), { recursive: true });
    writeFileSync(path.join(project, '.claude/templates/rt-plan/security.hbs'), 'nothing here\n');
    const r = run(['sync-architecture', '--cwd', project]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing required section "## Security"/);
    expect(planFiles(project)).toEqual([]);
  });
});

describe('Context7 through the CLI (local server)', () => {
  let server: FakeContext7 | undefined;
  afterAll(async () => server?.close());

  it('cites Context7 snippets, caches them, and --offline opens no connection', async () => {
    server = await startContext7(okAnswer);
    const cache = mkdtempSync(path.join(tmpdir(), 'rtp-c7-cache-'));
    const env = { CONTEXT7_API_URL: server.url, XDG_CACHE_HOME: cache };
    const project = copyProject(path.join(FIXTURES, 'scan-ws-server'));
    const first = await runAsync(['ws-plan', '--cwd', project, '--date', DATE, '--docs', 'context7', '--json'], { env });
    expect(first.status, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout);
    const c7 = result.docs.filter((d: { source: string }) => d.source === 'context7');
    expect(c7.length).toBeGreaterThan(0);
    const plan = readFileSync(path.join(project, result.plan), 'utf8');
    expect(plan).toContain(`[${c7[0].id}]`);
    const hits = server.hits.length;
    expect(hits).toBeGreaterThan(0);

    const second = await runAsync(['ws-plan', '--cwd', project, '--date', DATE, '--docs', 'context7', '--json'], { env });
    expect(second.status).toBe(0);
    expect(server.hits.length).toBe(hits); // answered from the cache

    const connections = server.connections();
    const offline = await runAsync(['ws-plan', '--cwd', project, '--docs', 'context7', '--offline', '--json'], {
      env: { ...env, XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'rtp-c7-empty-')) },
    });
    expect(offline.status).toBe(0);
    expect(server.connections()).toBe(connections);
  });

  it('.claude/rt-plan.json turns Context7 on for the project; --offline still wins', async () => {
    server ??= await startContext7(okAnswer);
    const project = copyProject(path.join(FIXTURES, 'scan-ws-server'));
    mkdirSync(path.join(project, '.claude'), { recursive: true });
    writeFileSync(path.join(project, '.claude/rt-plan.json'), JSON.stringify({ docs: 'context7' }));
    const env = { CONTEXT7_API_URL: server.url, XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'rtp-c7-cfg-')) };
    const before = server.hits.length;
    const r = await runAsync(['ws-plan', '--cwd', project, '--json', '--dry-run'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).docs.some((d: { source: string }) => d.source === 'context7')).toBe(true);
    expect(server.hits.length).toBeGreaterThan(before);
    const connections = server.connections();
    const offline = await runAsync(['ws-plan', '--cwd', project, '--json', '--dry-run', '--offline'], {
      env: { ...env, XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'rtp-c7-cfg2-')) },
    });
    expect(offline.status).toBe(0);
    expect(server.connections()).toBe(connections);
  });

  it('an invalid .claude/rt-plan.json is an input error naming it', () => {
    const project = copyProject(EXAMPLE);
    writeFileSync(path.join(project, '.claude/rt-plan.json'), '{"docs": "web"}');
    const r = run(['sync-architecture', '--cwd', project]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('.claude/rt-plan.json: unsupported value for "docs"');
    expect(planFiles(project)).toEqual([]);
  });

  it('an unreachable Context7 is one notice, and the plan is still made', async () => {
    const project = copyProject(path.join(FIXTURES, 'scan-ws-server'));
    const r = await runAsync(['ws-plan', '--cwd', project, '--docs', 'context7'], {
      env: { CONTEXT7_API_URL: 'http://127.0.0.1:9', XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'rtp-c7-x-')) },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => /^warning: .*context7/i.test(l))).toEqual([
      'warning: Context7 unreachable: fetch failed (plan made from local sources)',
    ]);
    expect(planFiles(project)).toHaveLength(1);
  });
});
