// rt-plan mcp spoken to by the official MCP SDK client over stdio, against the built
// bin/rt-plan.js, plus raw lines for what a client library would never send.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, DATE, EXAMPLE, cleanEnv, copyProject, planFiles } from './helpers.js';
import { clients, connect, text } from './mcp-client.js';

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('rt-plan mcp with the SDK client', () => {
  it('lists the tools with schemas and annotations, and writes a plan with a short summary', async () => {
    const project = copyProject(EXAMPLE);
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['plan_realtime', 'scan_realtime', 'verify_realtime']);
    expect(tools.map((t) => t.annotations?.readOnlyHint)).toEqual([false, true, true]);
    expect(Object.keys(tools[0]!.inputSchema.properties ?? {})).toEqual(['task', 'cwd', 'patterns', 'date', 'dryRun', 'llm', 'llmRequired']);
    expect(tools.every((t) => t.outputSchema?.type === 'object')).toBe(true);

    const r = (await client.callTool({ name: 'plan_realtime', arguments: { task: 'sync-architecture', cwd: project, date: DATE } })) as CallToolResult;
    expect(r.isError).toBe(false);
    const plan = '.claude/doc/websocket-realtime-sync-architecture-20261121-101500.md';
    expect(text(r).split('\n')[0]).toBe(
      `I've created a detailed real-time communication plan at ${plan}, please read that first before you proceed with implementation.`,
    );
    expect(text(r).length).toBeLessThan(1000);
    expect(r.structuredContent).toMatchObject({ plan, task: 'sync-architecture', project, transport: 'socket.io' });
    expect(planFiles(project)).toEqual([path.basename(plan)]);
  });

  it('refuses bad arguments as isError results and writes nothing', async () => {
    const project = copyProject(EXAMPLE);
    const client = await connect();
    const yes = (await client.callTool({ name: 'plan_realtime', arguments: { task: 'x', cwd: project, dryRun: 'yes' } })) as CallToolResult;
    expect(yes.isError).toBe(true);
    expect(text(yes)).toMatch(/^MCP error -32602: Input validation error: Invalid arguments for tool plan_realtime: [\s\S]*dryRun/);
    const bogus = (await client.callTool({ name: 'plan_realtime', arguments: { task: 'x', cwd: project, patterns: ['voice', 'bogus'] } })) as CallToolResult;
    expect(bogus.isError).toBe(true);
    expect(text(bogus)).toMatch(/patterns/);
    const slug = (await client.callTool({ name: 'plan_realtime', arguments: { task: '../x', cwd: project } })) as CallToolResult;
    expect(slug.isError).toBe(true);
    expect(text(slug)).toMatch(/^error \(exit 2\): invalid task name/);
    expect(planFiles(project)).toEqual([]);
  });

  it('refuses /, the home folder and a folder that is no project, saying how to pass cwd', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'rtp-mcp-empty-'));
    const client = await connect();
    for (const [cwd, why] of [
      ['/', 'it is the file system root, not a project'],
      [process.env.HOME!, 'it is the home folder, not a project'],
      [empty, 'no package.json or .git there or in any folder above'],
    ] as const) {
      const r = (await client.callTool({ name: 'scan_realtime', arguments: { cwd } })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(text(r)).toBe(
        `error (exit 3): refusing to plan ${cwd}: ${why}\nhint: pass "cwd" (the project folder, absolute or relative to the client's first root) in the tool arguments, or start the server with \`rt-plan mcp --cwd <project folder>\``,
      );
    }
    // Started from / with no cwd anywhere: refused, not a scan of the disk.
    const fromRoot = await connect({ cwd: '/' });
    const r = (await fromRoot.callTool({ name: 'scan_realtime', arguments: {} })) as CallToolResult;
    expect(text(r)).toMatch(/^error \(exit 3\): refusing to plan \/: it is the file system root/);
  });

  it("resolves cwd against the client's roots", async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'rtp-mcp-roots-'));
    const project = path.join(parent, 'app');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), '{"name":"app","dependencies":{"ws":"^8.0.0"}}\n');
    // A declared package that nothing imports is reported as unused, not as the stack.
    writeFileSync(path.join(project, 'server.js'), "import { WebSocketServer } from 'ws';\nnew WebSocketServer({ port: 8080 });\n");
    const client = await connect({ roots: [project], cwd: '/' });
    const r = (await client.callTool({ name: 'scan_realtime', arguments: {} })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ project, libraries: [{ name: 'ws' }] });
    const rootsClient = await connect({ roots: [parent], cwd: '/' });
    const rel = (await rootsClient.callTool({ name: 'scan_realtime', arguments: { cwd: 'app' } })) as CallToolResult;
    expect(rel.structuredContent).toMatchObject({ project });
  });
});

/** Raw newline-delimited JSON-RPC: every stdout line, parsed, until `until` says stop. */
async function rawSession(lines: string[], cwd: string, until: (replies: Record<string, unknown>[]) => boolean) {
  const child = spawn(process.execPath, [BIN, 'mcp', '--cwd', cwd], { env: cleanEnv() });
  const replies: Record<string, unknown>[] = [];
  const notJson: string[] = [];
  const out = createInterface({ input: child.stdout });
  const done = new Promise<void>((resolve) => {
    out.on('line', (line) => {
      try {
        replies.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        notJson.push(line);
      }
      if (until(replies)) resolve();
    });
  });
  for (const l of lines) child.stdin.write(`${l}\n`);
  await done;
  child.stdin.end();
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { replies, notJson, status };
}

const init = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

describe('rt-plan mcp on raw stdio', () => {
  it('answers null, a batch and bad JSON with errors and keeps serving', async () => {
    const project = copyProject(EXAMPLE);
    const { replies, notJson, status } = await rawSession(
      [init, initialized, 'null', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', 'not json', JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' })],
      project,
      (r) => r.some((m) => m['id'] === 9),
    );
    expect(status).toBe(0);
    expect(notJson).toEqual([]);
    expect(replies.filter((m) => m['id'] !== 0)).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request: not a single JSON-RPC message' } },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request: not a single JSON-RPC message' } },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } },
      { jsonrpc: '2.0', id: 9, result: {} },
    ]);
  });

  it('answers a ping while a plan runs, and a cancelled plan writes nothing', async () => {
    const project = copyProject(EXAMPLE);
    const call = (id: number, date: string) =>
      JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'plan_realtime', arguments: { task: 'sync-architecture', date } } });
    const cancel = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'test' } });
    const { replies } = await rawSession(
      [init, initialized, call(1, '2026-11-20T09:00:00Z'), cancel, call(2, DATE), JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' })],
      project,
      (r) => r.some((m) => m['id'] === 2),
    );
    // No answer to the cancelled call; the ping is answered before the plan that started first.
    expect(replies.map((m) => m['id'])).toEqual([0, 3, 2]);
    expect(planFiles(project)).toEqual(['websocket-realtime-sync-architecture-20261121-101500.md']);
  });

  it("keeps a template's {{log}} out of the protocol stream", async () => {
    const project = copyProject(EXAMPLE);
    const overrides = path.join(project, '.claude/templates/rt-plan');
    mkdirSync(overrides, { recursive: true });
    const summary = readFileSync(path.join(path.dirname(BIN), '../templates/partials/summary.hbs'), 'utf8');
    writeFileSync(path.join(overrides, 'summary.hbs'), `{{log "INJECTED"}}${summary}`);
    const dry = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'plan_realtime', arguments: { task: 'x', dryRun: true, date: DATE } },
    });
    const { replies, notJson } = await rawSession([init, initialized, dry], project, (r) => r.some((m) => m['id'] === 1));
    expect(notJson).toEqual([]);
    const result = replies.find((m) => m['id'] === 1)!['result'] as CallToolResult;
    expect(result.isError).toBe(false);
    expect(text(result)).toMatch(/^---\n/);
    expect(planFiles(project)).toEqual([]);
  });
});
