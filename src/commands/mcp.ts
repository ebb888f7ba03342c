// `rt-plan mcp`: the planner as a Model Context Protocol server over stdio (newline-delimited
// JSON-RPC 2.0), for agents that call tools instead of shelling out. stdout carries protocol
// messages only; anything else goes to stderr.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { describeFailure } from '../io/failure.js';
import { createLogger, type Logger } from '../io/log.js';
import { SCENARIOS, type Scenario } from '../design/types.js';
import { AGENT_LINE } from './result.js';
import { resolveClock } from '../task.js';
import { toolVersion } from '../version.js';

const PROTOCOL_VERSIONS = ['2025-06-18', '2025-03-26', '2024-11-05'];

const TOOLS = [
  {
    name: 'plan_realtime',
    title: 'Write a real-time implementation plan',
    description:
      'Study the project (session context in .claude/tasks/, dependencies, WebSocket/Socket.IO/SSE/WebRTC/voice code) and write a real-time implementation plan to .claude/doc/. Returns the plan path and a JSON summary (stack, events, findings). Writes nothing but the plan.',
    inputSchema: {
      type: 'object',
      properties: {
        task: { type: 'string', description: 'Short task name, e.g. sync-architecture' },
        cwd: { type: 'string', description: 'Project directory (default: the server process working directory)' },
        patterns: { type: 'array', items: { type: 'string', enum: SCENARIOS }, description: 'Force scenarios' },
        date: { type: 'string', description: 'ISO date for deterministic output' },
        dryRun: { type: 'boolean', description: 'Return the plan text instead of writing it' },
      },
      required: ['task'],
    },
  },
  {
    name: 'scan_realtime',
    title: 'Show what rt-plan detects in the project',
    description: 'Detected real-time stack, events and audit findings with file:line evidence. Writes nothing.',
    inputSchema: { type: 'object', properties: { cwd: { type: 'string', description: 'Project directory' } } },
  },
];

interface Request {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
}

type Reply = { result: unknown } | { error: { code: number; message: string } };

export async function runMcp(opts: { cwd: string; env: NodeJS.ProcessEnv; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }): Promise<number> {
  const out = opts.output ?? process.stdout;
  const send = (message: unknown) => out.write(`${JSON.stringify(message)}\n`);
  const lines = createInterface({ input: opts.input ?? process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let request: Request;
    try {
      request = JSON.parse(line) as Request;
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
      continue;
    }
    const reply = await handle(request, opts);
    // Notifications (no id) get no answer.
    if (request.id !== undefined && reply) send({ jsonrpc: '2.0', id: request.id, ...reply });
  }
  return 0;
}

async function handle(request: Request, opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Reply | null> {
  switch (request.method) {
    case 'initialize': {
      const asked = String(request.params?.['protocolVersion'] ?? '');
      return {
        result: {
          protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: 'rt-plan', version: toolVersion() },
          instructions: 'Call plan_realtime before implementing real-time features; then read the plan file it names.',
        },
      };
    }
    case 'notifications/initialized':
    case 'notifications/cancelled':
      return null;
    case 'ping':
      return { result: {} };
    case 'tools/list':
      return { result: { tools: TOOLS } };
    case 'tools/call':
      return callTool(request.params ?? {}, opts);
    default:
      return { error: { code: -32601, message: `method not found: ${String(request.method)}` } };
  }
}

async function callTool(params: Record<string, unknown>, opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Reply> {
  const args = (params['arguments'] ?? {}) as Record<string, unknown>;
  const cwd = typeof args['cwd'] === 'string' ? args['cwd'] : opts.cwd;
  const captured: string[] = [];
  const log = capturingLogger(captured);
  try {
    let code: number;
    if (params['name'] === 'plan_realtime') {
      if (typeof args['task'] !== 'string') return { error: { code: -32602, message: 'plan_realtime needs a string "task"' } };
      const { runPlan } = await import('./plan.js');
      code = await runPlan({
        cwd,
        task: args['task'],
        now: resolveClock(typeof args['date'] === 'string' ? args['date'] : undefined, opts.env, () => new Date()),
        json: args['dryRun'] !== true,
        dryRun: args['dryRun'] === true,
        contextGlobs: [],
        patterns: Array.isArray(args['patterns']) ? args['patterns'].filter((p): p is Scenario => SCENARIOS.includes(p as Scenario)) : [],
        capacity: {},
        stableName: false,
        asyncapi: false,
        check: false,
        env: opts.env,
        log,
      });
    } else if (params['name'] === 'scan_realtime') {
      const { runScan } = await import('./scan.js');
      code = await runScan({ cwd, json: true, contextGlobs: [], log });
    } else {
      return { error: { code: -32602, message: `unknown tool: ${String(params['name'])}` } };
    }
    const text = captured.join('');
    const summary = params['name'] === 'plan_realtime' && args['dryRun'] !== true ? agentText(text) : text;
    return { result: { content: [{ type: 'text', text: summary }], isError: code !== 0 } };
  } catch (error) {
    const f = describeFailure(error, { verbose: false, version: toolVersion() });
    return { result: { content: [{ type: 'text', text: `error (exit ${f.code}): ${f.message}${f.hint ? `\nhint: ${f.hint}` : ''}` }], isError: true } };
  }
}

/** The plan's JSON result, led by the sentence a parent agent acts on. */
function agentText(json: string): string {
  const parsed = JSON.parse(json) as { plan: string };
  return `${AGENT_LINE(parsed.plan)}\n\n${json}`;
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
