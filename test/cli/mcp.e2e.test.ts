// rt-plan mcp spoken to as an MCP client would: newline-delimited JSON-RPC over stdio.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BIN, DATE, EXAMPLE, cleanEnv, copyProject, planFiles } from './helpers.js';

async function session(messages: object[], cwd: string): Promise<{ replies: Record<string, unknown>[]; stderr: string; status: number | null }> {
  const child = spawn(process.execPath, [BIN, 'mcp', '--cwd', cwd], { env: cleanEnv() });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const replies: Record<string, unknown>[] = [];
  const expected = messages.filter((m) => 'id' in m).length;
  const lines = createInterface({ input: child.stdout });
  const done = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      replies.push(JSON.parse(line) as Record<string, unknown>);
      if (replies.length === expected) resolve();
    });
  });
  for (const m of messages) child.stdin.write(`${JSON.stringify(m)}\n`);
  await done;
  child.stdin.end();
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { replies, stderr, status };
}

describe('rt-plan mcp', () => {
  it('initializes, lists its tools and writes a plan through plan_realtime', async () => {
    const project = copyProject(EXAMPLE);
    const { replies, status } = await session(
      [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'plan_realtime', arguments: { task: 'sync-architecture', date: DATE } } },
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'plan_realtime', arguments: { task: '../x' } } },
        { jsonrpc: '2.0', id: 5, method: 'nope' },
      ],
      project,
    );
    expect(status).toBe(0);
    expect(replies.map((r) => r['id'])).toEqual([1, 2, 3, 4, 5]);
    expect(replies[0]).toMatchObject({ result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'rt-plan' } } });
    const tools = (replies[1] as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(tools).toEqual(['plan_realtime', 'scan_realtime']);
    const call = (replies[2] as { result: { content: { text: string }[]; isError: boolean } }).result;
    expect(call.isError).toBe(false);
    expect(call.content[0]!.text).toMatch(
      /^I've created a detailed real-time communication plan at \.claude\/doc\/websocket-realtime-sync-architecture-20261121-101500\.md, please read that first/,
    );
    expect(planFiles(project)).toEqual(['websocket-realtime-sync-architecture-20261121-101500.md']);
    const bad = (replies[3] as { result: { content: { text: string }[]; isError: boolean } }).result;
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toMatch(/^error \(exit 2\): invalid task name/);
    expect(replies[4]).toMatchObject({ error: { code: -32601 } });
  });

  it('answers a line that is not JSON with a parse error and keeps serving', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp'], { env: cleanEnv() });
    const lines = createInterface({ input: child.stdout });
    const got: string[] = [];
    const two = new Promise<void>((resolve) => lines.on('line', (l) => got.push(l) === 2 && resolve()));
    child.stdin.write('not json\n');
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' })}\n`);
    await two;
    child.stdin.end();
    expect(got.map((l) => JSON.parse(l))).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } },
      { jsonrpc: '2.0', id: 7, result: {} },
    ]);
  });
});
