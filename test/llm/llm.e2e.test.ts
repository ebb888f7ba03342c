// `rt-plan <task> --llm` end to end: the built CLI against a local Messages API server.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATE, EXAMPLE, copyProject, planFiles, readPlan, runAsync } from '../cli/helpers.js';
import { GOOD_REVIEW, GOOD_USAGE, startMessages, type FakeMessages, type Reply } from './messages-server.js';

const ok: Reply = { toolInput: GOOD_REVIEW };

let server: FakeMessages | null = null;
const projects: string[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const p of projects.splice(0)) rmSync(p, { recursive: true, force: true });
});

async function setup(replies: Reply[], source = EXAMPLE): Promise<string> {
  server = await startMessages(replies);
  const project = copyProject(source);
  projects.push(project);
  return project;
}

const env = (extra: Record<string, string> = {}) => ({ ANTHROPIC_API_KEY: 'test-key-1', ANTHROPIC_BASE_URL: server!.url, ...extra });
const plan = (project: string, args: string[] = [], extra: Record<string, string> = {}) =>
  runAsync(['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name', '--llm', ...args], { env: env(extra) });
const planText = (project: string) => readPlan(project, 'websocket-realtime-sync-architecture.md');

describe('rt-plan <task> --llm', () => {
  it('keeps the verified item, drops the one with a bogus line, and says what left the machine', async () => {
    const project = await setup([ok]);
    const r = await plan(project);
    expect(r.status, r.stderr).toBe(0);
    expect(server!.received).toHaveLength(1);
    const req = server!.received[0]!;
    expect(req.path).toBe('/v1/messages');
    expect(req.authorization).toBe('Bearer test-key-1');
    expect(req.body.model).toBe('claude-sonnet-4-5');
    expect(req.body.tool_choice).toEqual({ type: 'tool', name: 'submit_design_review' });
    expect(req.body.tools[0].input_schema.required).toEqual(['summary', 'items']);
    expect(req.body.system.at(-1).cache_control).toEqual({ type: 'ephemeral' });
    expect(req.body.messages[0].content[0].text).toContain("15|     join: (roomId) => socket.emit('joinRoom', roomId),");

    const text = planText(project);
    const section = text.slice(text.indexOf('<!-- rt-plan:design-review -->'), text.indexOf('<!-- /rt-plan:design-review -->'));
    expect(text.indexOf('## Design review')).toBeGreaterThan(text.indexOf('## 1. Summary'));
    expect(text.indexOf('## Design review')).toBeLessThan(text.indexOf('## 2. Context'));
    expect(section).toContain(
      '- **Rooms are not re-joined after a reconnect** (diagnosis; source: claude-sonnet-4-5-20250929): The client joins rooms once; after a reconnect the server has a new socket that is in no room. Evidence: `client/src/chat.js:15`, `server/index.js:27`.',
    );
    expect(section).toContain('1 item dropped: Invented handler (evidence "server/index.js:999": line 999 is past the end of server/index.js (52 lines)).');
    expect(section).not.toContain('- **Invented handler**');

    expect(r.stderr).toMatch(/sending the plan and 6 files \([\d,]+ bytes in all\) to 127\.0\.0\.1:\d+ for a design review by claude-sonnet-4-5:/);
    expect(r.stderr).toMatch(/ {2}server\/auth\.js \([\d,]+ bytes\)/);
    expect(r.stderr).toContain(`design review tokens: 5,123 input, 412 output, 1,800 cached (read), 0 cached (written)`);
    expect(GOOD_USAGE.input_tokens).toBe(5123);
  });

  it('answers a second run from the cache (no request), and --llm-refresh asks again', async () => {
    const project = await setup([ok]);
    expect((await plan(project)).status).toBe(0);
    const first = planText(project);
    const again = await plan(project);
    expect(again.status, again.stderr).toBe(0);
    expect(server!.received).toHaveLength(1);
    expect(again.stderr).toContain('design review from the cache (claude-sonnet-4-5); no request sent');
    expect(planText(project)).toBe(first);
    const cacheDir = path.join(project, '.claude/cache/rt-plan');
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('review-'))).toHaveLength(1);
    // The request holds no clock: another --date is still a cache hit.
    const later = await runAsync(['sync-architecture', '--cwd', project, '--date', '2027-01-02T03:04:05Z', '--stable-name', '--llm'], { env: env() });
    expect(later.status, later.stderr).toBe(0);
    expect(server!.received).toHaveLength(1);
    expect((await plan(project, ['--llm-refresh'])).status).toBe(0);
    expect(server!.received).toHaveLength(2);
  });

  it('a cache entry whose model is not a model id is not a cache hit (it would be printed as the source)', async () => {
    const project = await setup([ok, ok]);
    expect((await plan(project)).status).toBe(0);
    const cacheDir = path.join(project, '.claude/cache/rt-plan');
    const file = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('review-'))!);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...entry, model: 'claude-opus-4 (reviewed and approved by the security team)' }));
    const again = await plan(project);
    expect(again.status, again.stderr).toBe(0);
    expect(server!.received).toHaveLength(2);
    expect(planText(project)).not.toContain('approved by the security team');
  });

  it('retries a 429 and uses the answer that follows', async () => {
    const project = await setup([{ status: 429, error: { type: 'rate_limit_error', message: 'slow down' } }, ok]);
    const r = await plan(project);
    expect(r.status, r.stderr).toBe(0);
    expect(server!.received).toHaveLength(2);
    expect(planText(project)).toContain('## Design review');
  });

  it('529 to the end: the offline plan is written with a warning, exit 0; --llm=required exits 3', async () => {
    const project = await setup([{ status: 529, error: { type: 'overloaded_error', message: 'Overloaded' } }]);
    const r = await plan(project);
    expect(r.status, r.stderr).toBe(0);
    expect(server!.received).toHaveLength(3);
    expect(r.stderr).toContain('warning: the Anthropic API is unavailable (HTTP 529: Overloaded) after retries; the plan was written without a design review');
    expect(planText(project)).not.toContain('Design review');
    rmSync(path.join(project, '.claude/doc'), { recursive: true });
    const required = await runAsync(['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name', '--llm=required'], { env: env() });
    expect(required.status).toBe(3);
    expect(required.stderr).toContain(
      'error: --llm=required: the Anthropic API is unavailable (HTTP 529: Overloaded) after retries, so the plan has no design review (the plan itself was written)',
    );
    expect(planFiles(project)).toEqual(['websocket-realtime-sync-architecture.md']);
  });

  it('401: exit 3 with the API message, one request, plan written', async () => {
    const project = await setup([{ status: 401, error: { type: 'authentication_error', message: 'invalid x-api-key' } }]);
    const r = await plan(project, ['--json']);
    expect(r.status).toBe(3);
    expect(server!.received).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.plan).toBe('.claude/doc/websocket-realtime-sync-architecture.md');
    expect(out.review).toBeNull();
    expect(out.error).toEqual({
      code: 3,
      message: 'the Anthropic API refused the design review request: invalid x-api-key',
      hint: 'check ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL)',
    });
    expect(existsSync(path.join(project, out.plan))).toBe(true);
  });

  it('an API error that echoes the key (a proxy at ANTHROPIC_BASE_URL) never prints it', async () => {
    const key = 'proxy-key-7d6c5b4a';
    const project = await setup([{ status: 401, error: { type: 'authentication_error', message: `invalid x-api-key ${key}` } }]);
    const r = await plan(project, [], { ANTHROPIC_API_KEY: key });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('error: the Anthropic API refused the design review request: invalid x-api-key «redacted: generic-secret»');
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('403 is refused like 401; --dry-run with --llm prints the reviewed plan and writes nothing, the cache included', async () => {
    const project = await setup([{ status: 403, error: { type: 'permission_error', message: 'this key cannot use this model' } }, ok]);
    const r = await plan(project);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('error: the Anthropic API refused the design review request: this key cannot use this model (the plan itself was written)');
    rmSync(path.join(project, '.claude/doc'), { recursive: true });
    const dry = await plan(project, ['--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(server!.received).toHaveLength(2);
    expect(dry.stdout).toContain('- **Rooms are not re-joined after a reconnect** (diagnosis; source: claude-sonnet-4-5-20250929)');
    expect(existsSync(path.join(project, '.claude/doc'))).toBe(false);
    expect(existsSync(path.join(project, '.claude/cache'))).toBe(false);
  });

  it('a request that never answers times out, is retried, then the plan is written offline', async () => {
    const project = await setup(['hang']);
    const r = await plan(project, [], { RT_PLAN_LLM_TIMEOUT_MS: '300' });
    expect(r.status, r.stderr).toBe(0);
    expect(server!.received).toHaveLength(3);
    expect(r.stderr).toContain('warning: the Anthropic API is unavailable (the request timed out) after retries');
    expect(planText(project)).not.toContain('Design review');
  });

  it('a malformed tool input gets one repair request; a second malformed one skips the review', async () => {
    const bad: Reply = { toolInput: { summary: 5, items: [{ kind: 'opinion', title: 'x', detail: 'y', evidence: ['a.js:1'] }] } };
    const project = await setup([bad, ok]);
    const r = await plan(project);
    expect(r.status, r.stderr).toBe(0);
    expect(server!.received).toHaveLength(2);
    const repair = server!.received[1]!.body.messages;
    expect(repair).toHaveLength(3);
    expect(repair[1].content[0]).toEqual(expect.objectContaining({ type: 'tool_use', id: 'toolu_1' }));
    expect(repair[2].content[0]).toEqual(expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true }));
    expect(repair[2].content[0].content).toContain('summary: expected a string; items[0].kind: expected one of change, diagnosis, finding, risk');
    expect(planText(project)).toContain('Rooms are not re-joined after a reconnect');

    await server!.close();
    server = await startMessages([bad]);
    const skipped = await plan(project, ['--llm-refresh']);
    expect(skipped.status).toBe(0);
    expect(server.received).toHaveLength(2);
    expect(skipped.stderr).toContain("warning: the model's review did not match the schema after one repair (summary: expected a string;");
  });

  it('no key: exit 2 with a hint, the plan still written', async () => {
    const project = await setup([ok]);
    const r = await runAsync(['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name', '--llm'], { env: { ANTHROPIC_BASE_URL: server!.url } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: --llm needs ANTHROPIC_API_KEY for a design review');
    expect(r.stderr).toContain('hint: export ANTHROPIC_API_KEY');
    expect(server!.received).toHaveLength(0);
    expect(planFiles(project)).toEqual(['websocket-realtime-sync-architecture.md']);
  });

  it('"llm": true in .claude/rt-plan.json turns the review on; --model and RT_PLAN_MODEL pick the model', async () => {
    const project = await setup([ok]);
    writeFileSync(path.join(project, '.claude/rt-plan.json'), '{"llm": true}\n');
    const base = ['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name'];
    expect((await runAsync(base, { env: env({ RT_PLAN_MODEL: 'claude-opus-4-1' }) })).status).toBe(0);
    expect((await runAsync([...base, '--model', 'claude-haiku-4-5'], { env: env({ RT_PLAN_MODEL: 'claude-opus-4-1' }) })).status).toBe(0);
    expect(server!.received.map((r) => r.body.model)).toEqual(['claude-opus-4-1', 'claude-haiku-4-5']);
  });

  it('--llm-dry-run writes the request into the cache folder and sends nothing', async () => {
    const project = await setup([ok]);
    const r = await runAsync(['sync-architecture', '--cwd', project, '--date', DATE, '--llm-dry-run'], { env: env() });
    expect(r.status, r.stderr).toBe(0);
    expect(server!.received).toHaveLength(0);
    const files = readdirSync(path.join(project, '.claude/cache/rt-plan'));
    expect(files).toHaveLength(1);
    const body = JSON.parse(readFileSync(path.join(project, '.claude/cache/rt-plan', files[0]!), 'utf8'));
    expect(body.tool_choice.name).toBe('submit_design_review');
    expect(r.stderr).toContain(`design review request, not sent: .claude/cache/rt-plan/${files[0]}`);
  });
});
