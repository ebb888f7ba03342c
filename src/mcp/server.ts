// `rt-plan mcp` on the official MCP SDK: stdio transport, zod-validated arguments (a bad call
// is an isError result, never a crash), requests served concurrently (a ping never waits for a
// scan), cancellation honoured before anything is written, and results as structuredContent
// with a one-paragraph text summary instead of kilobytes of JSON in the caller's context.
import { Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Scenario } from '../design/types.js';
import { describeFailure } from '../io/failure.js';
import { createLogger, type Logger } from '../io/log.js';
import { AGENT_LINE } from '../commands/result.js';
import { resolveClock } from '../task.js';
import { toolVersion } from '../version.js';
import { resolveProjectDir } from './cwd.js';
import { redact, redactDeep } from '../shared/redact.js';
import { inert } from '../shared/inert.js';
import { planInput, planOutput, scanInput, scanOutput, verifyInput, verifyOutput } from './schemas.js';
import { planSummary, scanSummary, verifySummary, type PlanJson, type ScanJson } from './summary.js';

export interface McpOptions {
  /** `rt-plan mcp --cwd`, when given. */
  serverCwd?: string;
  env: NodeJS.ProcessEnv;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export async function serveMcp(opts: McpOptions): Promise<void> {
  const server = new McpServer(
    { name: 'rt-plan', version: toolVersion() },
    {
      instructions:
        'Call plan_realtime before implementing real-time features, then read the plan file it names. Pass cwd (the project folder) unless the client shares its roots.',
    },
  );

  const projectDir = async (argument: string | undefined) => {
    let roots: string[] = [];
    if (server.server.getClientCapabilities()?.roots) {
      roots = (await server.server.listRoots()).roots.map((r) => r.uri);
    }
    return resolveProjectDir({
      ...(argument !== undefined ? { argument } : {}),
      roots,
      ...(opts.serverCwd !== undefined ? { serverCwd: opts.serverCwd } : {}),
      processCwd: process.cwd(),
    });
  };

  server.registerTool(
    'plan_realtime',
    {
      title: 'Write a real-time implementation plan',
      description:
        'Study the project (session context in .claude/tasks/, dependencies, WebSocket/Socket.IO/SSE/WebRTC/voice code) and write a real-time implementation plan to .claude/doc/. Returns the plan path and a short summary. Writes nothing but the plan.',
      inputSchema: planInput,
      outputSchema: planOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args, extra) =>
      guarded(async () => {
        const cwd = await projectDir(args.cwd);
        const captured: string[] = [];
        const { runPlan } = await import('../commands/plan.js');
        const code = await runPlan({
          cwd,
          task: args.task,
          now: resolveClock(args.date, opts.env, () => new Date()),
          json: true,
          dryRun: args.dryRun === true,
          contextGlobs: [],
          patterns: (args.patterns ?? []) as Scenario[],
          capacity: {},
          stableName: false,
          asyncapi: false,
          check: false,
          ...(args.llm === true ? { llm: { enabled: true, required: args.llmRequired === true, refresh: false, requestOnly: false } } : {}),
          env: opts.env,
          log: capturingLogger(captured),
          signal: extra.signal,
        });
        const json = JSON.parse(captured.join('')) as PlanJson;
        const structured = planSummary.structured(json, cwd);
        const body = json.plan ? `${AGENT_LINE(json.plan)}\n\n${planSummary.text(structured)}` : (json.markdown ?? '');
        // The reason comes first: a client may show only the start of an isError result.
        const text = json.error ? `${errorText(json.error)}\n\n${body}` : body;
        return { content: [{ type: 'text', text }], structuredContent: structured, isError: code !== 0 };
      }),
  );

  server.registerTool(
    'scan_realtime',
    {
      title: 'Show what rt-plan detects in the project',
      description: 'Detected real-time stack, events and audit findings with file:line evidence. Writes nothing.',
      inputSchema: scanInput,
      outputSchema: scanOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      guarded(async () => {
        const cwd = await projectDir(args.cwd);
        const captured: string[] = [];
        const { runScan } = await import('../commands/scan.js');
        await runScan({ cwd, json: true, contextGlobs: [], log: capturingLogger(captured) });
        const structured = scanSummary.structured(JSON.parse(captured.join('')) as ScanJson, cwd);
        return { content: [{ type: 'text', text: scanSummary.text(structured) }], structuredContent: structured };
      }),
  );

  server.registerTool(
    'verify_realtime',
    {
      title: 'Check the code against a plan',
      description:
        'Re-analyze the project and compare it with the contract of an rt-plan plan (`rt-plan verify`): each planned event and setting as done, partial, missing or manual with file:line evidence, and whether the findings the plan listed are fixed. Writes nothing.',
      inputSchema: verifyInput,
      outputSchema: verifyOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, extra) =>
      guarded(async () => {
        const cwd = await projectDir(args.cwd);
        const { runVerify } = await import('../commands/verify.js');
        const token = extra._meta?.progressToken;
        let step = 0;
        const onProgress = (message: string) => {
          if (token === undefined) return;
          void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++step, message } });
        };
        // Project text (event names, evidence) leaves the process: redacted and inert like --json.
        const report = redactDeep(await runVerify({ cwd, ...(args.plan !== undefined ? { plan: args.plan } : {}), onProgress }));
        return { content: [{ type: 'text', text: verifySummary.text(report) }], structuredContent: { ...report }, isError: false };
      }),
  );

  const transport = new StdioServerTransport((opts.input ?? process.stdin) as NodeJS.ReadStream, (opts.output ?? process.stdout) as NodeJS.WriteStream);
  await server.connect(transport);
  // The SDK drops a line that is not a JSON-RPC message (bad JSON, `null`, a batch array) with
  // no answer; JSON-RPC asks for an error with a null id, and the server keeps serving.
  server.server.onerror = (error: Error) => {
    const code = error instanceof SyntaxError ? -32700 : error.name === 'ZodError' ? -32600 : null;
    if (code === null) return;
    const message = code === -32700 ? 'parse error' : 'invalid request: not a single JSON-RPC message';
    void transport.send({ jsonrpc: '2.0', id: null, error: { code, message } } as never);
  };
  await new Promise<void>((resolve) => {
    const input = opts.input ?? process.stdin;
    input.once('end', resolve);
    input.once('close', resolve);
  });
}

/** A failure of our own (bad cwd, bad task name, a broken project file) as an isError result. */
async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return { content: [{ type: 'text', text: errorText(describeFailure(error, { verbose: false, version: toolVersion() })) }], isError: true };
  }
}

/**
 * A failure as text. Messages quote project text (a file name, a parse error, an API's answer),
 * so they get the redaction and terminal-safety pass every other output gets.
 */
function errorText(f: { code: number; message: string; hint?: string }): string {
  return inert(redact(`error (exit ${f.code}): ${f.message}${f.hint ? `\nhint: ${f.hint}` : ''}`));
}

function capturingLogger(into: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(chunk.toString());
      done();
    },
  });
  return createLogger({ verbosity: 'quiet', color: false, json: true, stdout: sink, stderr: process.stderr });
}
