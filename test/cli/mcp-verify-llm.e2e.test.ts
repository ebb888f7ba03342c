// The MCP tools that joined later: verify_realtime (the read-only `rt-plan verify` report) and
// plan_realtime's llm flag, spoken to by the SDK client over stdio against the built CLI. The
// design review goes to a local Messages API server; its address and key are given to the
// server process only.
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DATE, EXAMPLE, copyProject, planFiles, readPlan } from './helpers.js';
import { clients, connect, text } from './mcp-client.js';
import { cleanup, tempProject, writePlan } from '../verify/verify-helpers.js';
import { GOOD_REVIEW, startMessages, type FakeMessages } from '../llm/messages-server.js';

const dirs: string[] = [];
let server: FakeMessages | null = null;
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) cleanup(d);
});

describe('verify_realtime', () => {
  it('is listed read-only and returns the verify report with its counts line', async () => {
    const dir = tempProject('scan-socketio-modules');
    dirs.push(dir);
    const client = await connect();
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'verify_realtime');
    expect(tool?.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(['cwd', 'plan']);
    expect(tool?.outputSchema?.type).toBe('object');

    const none = (await client.callTool({ name: 'verify_realtime', arguments: { cwd: dir } })) as CallToolResult;
    expect(none.isError).toBe(true);
    expect(text(none)).toBe(
      'error (exit 3): no plan to verify: .claude/doc does not exist\nhint: run `rt-plan <task>` first, or name the plan: rt-plan verify <plan.md>',
    );

    await writePlan(dir, 'chat-presence');
    const progress: { progress: number; message?: string }[] = [];
    const r = (await client.callTool({ name: 'verify_realtime', arguments: { cwd: dir } }, undefined, {
      onprogress: (p) => progress.push(p),
    })) as CallToolResult;
    expect(r.isError).toBe(false);
    // The analysis reports its steps as MCP progress notifications, numbered from 1.
    expect(progress[0]).toEqual({ progress: 1, message: 'analyzing project' });
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    expect(text(r)).toBe(
      [
        'Verify .claude/doc/websocket-realtime-chat-presence.md (socket.io): 6 done, 1 partial, 6 missing, 2 manual; findings: 0 fixed, 8 still present.',
        'Not done yet (ok: false). structuredContent lists every item with its file:line evidence.',
      ].join('\n'),
    );
    expect(r.structuredContent).toMatchObject({
      plan: '.claude/doc/websocket-realtime-chat-presence.md',
      contract: '.claude/doc/websocket-realtime-chat-presence.contract.json',
      task: 'chat-presence',
      ok: false,
      counts: { done: 6, partial: 1, missing: 6, manual: 2, fixed: 0, stillPresent: 8 },
    });
    // A named plan is the same answer; a plan that is not there is an input error.
    const named = (await client.callTool({
      name: 'verify_realtime',
      arguments: { cwd: dir, plan: '.claude/doc/websocket-realtime-chat-presence.md' },
    })) as CallToolResult;
    expect(named.structuredContent).toEqual(r.structuredContent);
    const missing = (await client.callTool({ name: 'verify_realtime', arguments: { cwd: dir, plan: 'nope.md' } })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/^error \(exit 3\): cannot read nope\.md: /);
  });
});

describe('MCP error text', () => {
  it('is redacted and terminal-safe like every other output', async () => {
    const dir = tempProject('scan-socketio-modules');
    dirs.push(dir);
    const client = await connect();
    const token = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    const r = (await client.callTool({ name: 'verify_realtime', arguments: { cwd: dir, plan: `${token}\u001b[2J.md` } })) as CallToolResult;
    expect(r.isError).toBe(true);
    const safe = '«redacted: github-token»\\u001b[2J.md';
    expect(text(r)).toBe(`error (exit 3): cannot read ${safe}: no such file`);
    expect(text(r)).not.toContain(token);
  });
});

describe('plan_realtime with llm', () => {
  it('asks the Messages API for a design review and returns it with the plan', async () => {
    server = await startMessages([{ toolInput: GOOD_REVIEW }]);
    const project = copyProject(EXAMPLE);
    dirs.push(project);
    const client = await connect({ env: { ANTHROPIC_API_KEY: 'test-key-1', ANTHROPIC_BASE_URL: server.url } });
    const { tools } = await client.listTools();
    expect(Object.keys(tools.find((t) => t.name === 'plan_realtime')?.inputSchema.properties ?? {})).toEqual([
      'task',
      'cwd',
      'patterns',
      'date',
      'dryRun',
      'llm',
      'llmRequired',
    ]);

    const r = (await client.callTool({
      name: 'plan_realtime',
      arguments: { task: 'sync-architecture', cwd: project, date: DATE, llm: true },
    })) as CallToolResult;
    expect(r.isError).toBe(false);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.authorization).toBe('Bearer test-key-1');
    const name = 'websocket-realtime-sync-architecture-20261121-101500.md';
    expect(planFiles(project)).toEqual([name]);
    expect(readPlan(project, name)).toContain('- **Rooms are not re-joined after a reconnect** (diagnosis; source: claude-sonnet-4-5-20250929)');
    expect(r.structuredContent).toMatchObject({ review: { summary: 'The reconnect path loses room membership.', source: 'claude-sonnet-4-5-20250929' } });
    expect(text(r).split('\n').at(-1)).toBe('Design review by claude-sonnet-4-5-20250929: 1 item kept, 1 dropped for evidence that did not check out.');
  });

  it('without llm sends nothing, and llmRequired without a key is an error', async () => {
    server = await startMessages([{ toolInput: GOOD_REVIEW }]);
    const project = copyProject(EXAMPLE);
    dirs.push(project);
    const client = await connect({ env: { ANTHROPIC_BASE_URL: server.url } });
    const plain = (await client.callTool({ name: 'plan_realtime', arguments: { task: 'x', cwd: project, date: DATE, dryRun: true } })) as CallToolResult;
    expect(plain.isError).toBe(false);
    const required = (await client.callTool({
      name: 'plan_realtime',
      arguments: { task: 'x', cwd: project, date: DATE, dryRun: true, llm: true, llmRequired: true },
    })) as CallToolResult;
    expect(required.isError).toBe(true);
    expect(text(required).split('\n\n')[0]).toBe(
      'error (exit 2): --llm needs ANTHROPIC_API_KEY for a design review\nhint: export ANTHROPIC_API_KEY=…, or drop --llm; from Claude Code, have the subagent write the review and pipe it to `rt-plan review <plan> --input -`',
    );
    expect(server.received).toHaveLength(0);
  });
});
