// The reconnect delay a client's options compute (model/plan-facts.ts `reconnect-delay`): base,
// cap and jitter read from the shapes code writes, constants folded across modules.
import { describe, expect, it } from 'vitest';
import type { ReconnectDelay } from '../../src/types.js';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'web', dependencies: { 'react-use-websocket': '4.13.0', react: '18.3.1' } });
const HOOK = (opts: string, head = ''): string =>
  `import useWebSocket from 'react-use-websocket';\n${head}export function Live() {\n  useWebSocket('wss://x.example/ws', ${opts});\n  return null;\n}\n`;

async function delayOf(files: Record<string, string>): Promise<{ evidence: string; delay: ReconnectDelay | undefined }[]> {
  const a = await analyzeTree({ 'package.json': PKG, ...files });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'reconnect-delay').map((f) => ({ evidence: f.evidence, delay: f.delay }));
}

describe('reconnect delay read from the options', () => {
  it('a band of ±50% around a capped exponential, in an options object of another module', async () => {
    const options =
      'export const wsOptions = {\n  shouldReconnect: () => true,\n  reconnectInterval: (attempt) => Math.min(30_000, 1_000 * 2 ** attempt) * (0.5 + Math.random()),\n};\n';
    expect(await delayOf({ 'src/options.ts': options, 'src/Live.tsx': HOOK('wsOptions', "import { wsOptions } from './options';\n") })).toEqual([
      {
        evidence: 'src/options.ts:3',
        delay: { baseMs: 1000, factor: 2, capMs: 30000, capAt: 'before-jitter', jitter: 'band', bandLo: 0.5, bandWidth: 1 },
      },
    ]);
  });

  it('full jitter with constants imported from a third module, and the cap after the jitter', async () => {
    const consts = 'export const BASE_MS = 500;\nexport const CAP_MS = 20_000;\n';
    const inline = HOOK(
      '{\n    shouldReconnect: () => true,\n    reconnectInterval: (n) => Math.random() * Math.min(CAP_MS, BASE_MS * Math.pow(2, n)),\n  }',
      "import { BASE_MS, CAP_MS } from './backoff';\n",
    );
    expect(await delayOf({ 'src/backoff.ts': consts, 'src/Live.tsx': inline })).toEqual([
      { evidence: 'src/Live.tsx:6', delay: { baseMs: 500, factor: 2, capMs: 20000, capAt: 'before-jitter', jitter: 'full' } },
    ]);
    const after = HOOK(
      '{\n    shouldReconnect: () => true,\n    reconnectInterval: (n) => {\n      return Math.min(10000, 250 * 2 ** n * Math.random());\n    },\n  }',
    );
    expect(await delayOf({ 'src/Live.tsx': after })).toEqual([
      { evidence: 'src/Live.tsx:5', delay: { baseMs: 250, factor: 2, capMs: 10000, capAt: 'after-jitter', jitter: 'full' } },
    ]);
  });

  it('an additive random term, and no jitter at all', async () => {
    const add = HOOK('{\n    shouldReconnect: () => true,\n    reconnectInterval: (n) => Math.min(60000, 1000 * 2 ** n) + Math.random() * 1000,\n  }');
    expect(await delayOf({ 'src/Live.tsx': add })).toEqual([
      { evidence: 'src/Live.tsx:5', delay: { baseMs: 1000, factor: 2, capMs: 60000, capAt: 'before-jitter', jitter: 'add', addMaxMs: 1000 } },
    ]);
    const plain = HOOK('{\n    shouldReconnect: () => true,\n    reconnectInterval: (n) => 1000 * 3 ** n,\n  }');
    expect(await delayOf({ 'src/Live.tsx': plain })).toEqual([
      { evidence: 'src/Live.tsx:5', delay: { baseMs: 1000, factor: 3, capMs: null, capAt: 'before-jitter', jitter: 'none' } },
    ]);
  });

  it('a delay it cannot read is not modelled: a named function, an unknown constant, a lookup table', async () => {
    const named = HOOK('{\n    shouldReconnect: () => true,\n    reconnectInterval: backoff,\n  }', "import { backoff } from './backoff';\n");
    expect(await delayOf({ 'src/backoff.ts': 'export const backoff = (n) => 1000 * 2 ** n;\n', 'src/Live.tsx': named })).toEqual([]);
    const unknown = HOOK(
      '{\n    shouldReconnect: () => true,\n    reconnectInterval: (n) => Math.min(CAP, 1000 * 2 ** n),\n  }',
      "import { CAP } from './env';\n",
    );
    expect(await delayOf({ 'src/env.ts': 'export const CAP = Number(process.env.CAP);\n', 'src/Live.tsx': unknown })).toEqual([]);
    const table = HOOK('{\n    shouldReconnect: () => true,\n    reconnectInterval: (n) => [1000, 2000, 5000][Math.min(n, 2)],\n  }');
    expect(await delayOf({ 'src/Live.tsx': table })).toEqual([]);
  });

  it("the project's own retry timer in a close handler, its counter read as it is incremented", async () => {
    const pkg = JSON.stringify({ name: 'web', dependencies: {} });
    const cls =
      "export class Feed {\n  attempt = 0;\n  connect() {\n    this.ws = new WebSocket('wss://x.example/ws');\n    this.ws.onopen = () => { this.attempt = 0; };\n    this.ws.onclose = () => {\n      const delay = Math.min(30_000, 500 * 2 ** this.attempt++) * (0.5 + Math.random());\n      setTimeout(() => this.connect(), delay);\n    };\n  }\n}\n";
    const a = await analyzeTree({ 'package.json': pkg, 'src/feed.ts': cls });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'reconnect-delay').map((f) => [f.name, f.evidence, f.delay])).toEqual([
      ['setTimeout', 'src/feed.ts:8', { baseMs: 500, factor: 2, capMs: 30000, capAt: 'before-jitter', jitter: 'band', bandLo: 0.5, bandWidth: 1 }],
    ]);
    const fn =
      "let retries = 0;\nexport function connect(token) {\n  const ws = new WebSocket('wss://x.example/ws?t=' + token);\n  ws.addEventListener('close', () => {\n    setTimeout(() => connect(token), Math.min(20000, 1000 * 2 ** retries++) + Math.random() * 1000);\n  });\n}\n";
    const b = await analyzeTree({ 'package.json': pkg, 'src/live.ts': fn });
    expect((b.modelFacts ?? []).filter((f) => f.kind === 'reconnect-delay').map((f) => [f.evidence, f.delay])).toEqual([
      ['src/live.ts:5', { baseMs: 1000, factor: 2, capMs: 20000, capAt: 'before-jitter', jitter: 'add', addMaxMs: 1000 }],
    ]);
    // A counter incremented elsewhere: whether the first delay is n = 0 or 1 is not known.
    const elsewhere = fn
      .replace('retries++', 'retries')
      .replace("ws.addEventListener('close', () => {\n", "ws.addEventListener('close', () => {\n    retries += 1;\n");
    const c = await analyzeTree({ 'package.json': pkg, 'src/live.ts': elsewhere });
    expect((c.modelFacts ?? []).filter((f) => f.kind === 'reconnect-delay')).toEqual([]);
  });

  it('a delay written as a number is the same before every attempt; a variable is not read', async () => {
    const pkg = JSON.stringify({ name: 'web', dependencies: {} });
    const fixed =
      "let ws;\nfunction connect() {\n  ws = new WebSocket('wss://x.example/ws');\n  ws.addEventListener('close', () => {\n    setTimeout(connect, 2000);\n  });\n}\nconnect();\n";
    const a = await analyzeTree({ 'package.json': pkg, 'public/app.js': fixed });
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'reconnect-delay').map((f) => [f.name, f.evidence, f.delay])).toEqual([
      ['setTimeout', 'public/app.js:5', { baseMs: 2000, factor: 1, capMs: null, capAt: 'before-jitter', jitter: 'none' }],
    ]);
    // `let delay` may be doubled between attempts: not taken as fixed.
    const variable = fixed
      .replace('let ws;\n', 'let ws;\nlet delay = 1000;\n')
      .replace('setTimeout(connect, 2000);', 'setTimeout(connect, delay);\n    delay = Math.min(delay * 2, 30000);');
    const b = await analyzeTree({ 'package.json': pkg, 'public/app.js': variable });
    expect((b.modelFacts ?? []).filter((f) => f.kind === 'reconnect-delay')).toEqual([]);
  });
});
