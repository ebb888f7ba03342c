// Where the events the server sends already carry a version another system sets (ordering.ts
// 'record-version'), the plan orders and resumes by it: no seq, change log or database of ours.
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan } from '../../src/design/types.js';
import { writeTree } from '../analyze/tree.js';
import { NOW } from './inputs.js';

const ROOMS = [
  "import type { WebSocket } from 'ws';",
  'const rooms = new Map<string, Set<WebSocket>>();',
  'export function join(id: string, ws: WebSocket): void {',
  '  const set = rooms.get(id) ?? new Set<WebSocket>();',
  '  set.add(ws);',
  '  rooms.set(id, set);',
  '}',
  'export function broadcast(id: string, event: string, data: unknown, except?: WebSocket): void {',
  '  const frame = JSON.stringify({ event, data });',
  '  for (const ws of rooms.get(id) ?? []) if (ws !== except) ws.send(frame);',
  '}',
  '',
].join('\n');
const SERVER = [
  "import { WebSocketServer } from 'ws';",
  "import { broadcast, join } from './rooms.js';",
  "import { saveDoc } from './docs-api.js';",
  'const wss = new WebSocketServer({ port: 8080, maxPayload: 65536 });',
  "wss.on('connection', (ws) => {",
  "  ws.on('message', async (raw) => {",
  '    const msg = JSON.parse(String(raw));',
  '    switch (msg.event) {',
  "      case 'doc:join':",
  '        join(msg.data.docId, ws);',
  '        break;',
  "      case 'doc:edit': {",
  '        const saved = await saveDoc(msg.data.docId, msg.data.baseRev, msg.data.ops);',
  "        broadcast(msg.data.docId, 'doc:patched', saved, ws);",
  '        break;',
  '      }',
  '    }',
  '  });',
  '});',
  '',
].join('\n');
const API = (type: string): string =>
  [
    type,
    'export async function saveDoc(docId: string, baseRev: number, ops: unknown[]): Promise<Saved> {',
    '  const res = await fetch(`${process.env.DOCS_API}/docs/${docId}`, { method: "POST", body: JSON.stringify({ baseRev, ops }) });',
    '  return res.json();',
    '}',
    '',
  ].join('\n');
const CONTEXT =
  '# Shared docs: keep every editor in sync\n\nThe docs API stores each document; this service relays the changes. 500 editors online, 2–4 per document.\n';

async function planOf(api: string): Promise<Plan> {
  const root = writeTree({
    'package.json': JSON.stringify({ name: 'docs-relay', type: 'module', dependencies: { ws: '^8.18.0' } }),
    'src/rooms.ts': ROOMS,
    'src/server.ts': SERVER,
    'src/docs-api.ts': API(api),
    '.claude/tasks/context_session_1.md': CONTEXT,
  });
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task: 'docs-sync', now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
}

describe('ordering by the version the system of record sets', async () => {
  const versioned = await planOf('export interface Saved { docId: string; rev: number; ops: unknown[] }');
  const unversioned = await planOf('export interface Saved { docId: string; ops: unknown[] }');

  it("orders by the answer's rev: the change event keeps it and gets no seq; the ack returns it", () => {
    expect(versioned.ordering).toEqual({
      by: 'record-version',
      record: { field: 'rev', events: [{ event: 'doc:patched', fn: 'saveDoc', evidence: 'src/server.ts:13', answeredAt: 'src/docs-api.ts:4' }] },
    });
    const row = (name: string) => versioned.protocol.rows?.find((r) => r.name === name);
    // The server sends the answer as it is, rev included: only the mutationId is added, never a seq.
    expect(row('doc:patched')?.payloadMd).toBe('as today (not shown by the code) + `{ mutationId?: string }`');
    // The project's own `doc:edit` and `doc:join` (its `switch (msg.event)`) are the update and the catch-up.
    expect(row('doc:edit')?.ackMd).toBe('`{ mutationId, status, rev? }`');
    expect(row('doc:join')?.payloadMd).toBe('as today (not shown by the code) + `{ lastRev?: number }`');
    expect(row('doc:snapshot')?.payloadMd).toBe('`{ docId: string; rev: number; docs: unknown[] }`');
    expect(versioned.protocol.conventionsMd.some((c) => c.includes('this plan adds no `seq` or counter of its own'))).toBe(true);
  });

  it('proposes no change log, seq or database of its own; without a version in the answer it still does', () => {
    const titles = (p: Plan) => p.steps.map((s) => s.title);
    expect(titles(versioned)).toContain('Order by the `rev` the system of record sets');
    expect(titles(versioned).some((t) => /seq and change log/.test(t))).toBe(false);
    expect(versioned.errors.codes.map((e) => e.code)).not.toContain('SEQ_GAP');
    expect(unversioned.ordering?.by).toBe('server-seq');
    expect(titles(unversioned)).toContain('Per-doc seq and change log');
  });
});
