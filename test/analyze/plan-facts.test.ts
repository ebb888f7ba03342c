// The model facts Current state names (model/plan-facts.ts), each at its line, and the cases
// where the code does not show them.
import { describe, expect, it } from 'vitest';
import { noteMd } from '../../src/design/model-facts.js';
import { analyzeTree } from './tree.js';

async function facts(files: Record<string, string>): Promise<string[]> {
  return ((await analyzeTree(files)).modelFacts ?? []).map((f) => `${f.kind} ${f.evidence}`);
}

const WS = JSON.stringify({ name: 'w', type: 'module', dependencies: { ws: '8.18.0', ioredis: '5.4.1' } });
const SERVER = (body: string): string =>
  `import { WebSocketServer } from 'ws';\nimport { vote } from './polls.js';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws, req) => {\n${body}  ws.on('message', (m) => vote(String(m)));\n});\n`;

describe('model facts for Current state', () => {
  it('state a handler module changes, a token read from the URL, and no seeded constant', async () => {
    const server = SERVER("  const params = new URLSearchParams(req.url.split('?')[1]);\n  verifyToken(params.get('token'));\n");
    const polls =
      "const polls = new Map();\nconst ALLOWED = new Set(['a', 'b']);\nexport function vote(id) {\n  if (ALLOWED.has(id)) polls.set(id, (polls.get(id) ?? 0) + 1);\n}\n";
    expect(await facts({ 'package.json': WS, 'src/server.js': server, 'src/polls.js': polls })).toEqual([
      'process-state src/polls.js:1',
      'query-token src/server.js:6',
    ]);
  });

  it('a Redis client duplicated per connection, not one made at startup', async () => {
    const perConn = SERVER("  const sub = redis.duplicate();\n  ws.on('close', () => sub.quit());\n");
    const head = "import { Redis } from 'ioredis';\nconst redis = new Redis();\n";
    const polls = 'export function vote() {}\n';
    expect(await facts({ 'package.json': WS, 'src/server.js': head + perConn, 'src/polls.js': polls })).toEqual(['per-connection-client src/server.js:7']);
    const once = `${head}const sub = redis.duplicate();\n${SERVER('')}`;
    expect(await facts({ 'package.json': WS, 'src/server.js': once, 'src/polls.js': polls })).toEqual([]);
  });

  it('notes are inert Markdown: code spans fenced, the rest escaped', () => {
    expect(noteMd('`a|b` is *here*')).toBe('`a|b` is \\*here\\*');
  });
});
