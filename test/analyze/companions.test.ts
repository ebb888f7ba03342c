// Companion modules: resolution of relative imports, the bounded walk from server files, and
// what server context changes (auth kinds, io.use gates). Sources are strings: no disk.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCompanions, findCompanions, resolveRelative } from '../../src/analyze/code/companions.js';
import { loadParser, parseFile } from '../../src/analyze/code/parse.js';
import { analyzeFacts, type FileAnalysis } from '../../src/analyze/code/scan.js';
import { runAudit } from '../../src/analyze/rules/index.js';
import { SCALING_RULES } from '../../src/analyze/rules/scaling.js';
import type { Stack } from '../../src/types.js';

beforeAll(loadParser);

function analyze(file: string, code: string): FileAnalysis {
  const lang = /\.tsx$/.test(file) ? 'tsx' : /\.[cm]?ts$/.test(file) ? 'ts' : 'jsx';
  return analyzeFacts(parseFile(file, [{ code, lang, lineOffset: 0 }]).facts, null);
}

/** A project of source strings; `parsed` are the files the prefilter let through, the rest load on demand. */
async function project(sources: Record<string, string>, parsed: string[]) {
  const files = new Set(Object.keys(sources));
  const loads: string[][] = [];
  const load = async (list: string[]): Promise<FileAnalysis[]> => {
    loads.push(list);
    return list.map((f) => analyze(f, sources[f] ?? ''));
  };
  const scan = await findCompanions(
    parsed.map((f) => analyze(f, sources[f] ?? '')),
    files,
    load,
  );
  return { scan, loads, analyses: applyCompanions(scan, files) };
}

const SERVER = (imports: string, use: string): string =>
  [imports, "import { Server } from 'socket.io';", 'const io = new Server(3000);', use, "io.on('connection', (socket) => socket.emit('hi'));"].join('\n');

describe('resolveRelative', () => {
  const files = new Set(['src/a.js', 'src/b.ts', 'src/c.tsx', 'src/lib/index.ts', 'src/lib.d/x.mjs', 'src/m.mts', 'shared/s.cjs', 'src/exact.js']);
  it.each([
    ['src/server.js', './exact.js', 'src/exact.js'],
    ['src/server.js', './a', 'src/a.js'],
    ['src/server.ts', './b.js', 'src/b.ts'],
    ['src/server.ts', './c.js', 'src/c.tsx'],
    ['src/server.ts', './m.mjs', 'src/m.mts'],
    ['src/server.ts', './lib', 'src/lib/index.ts'],
    ['src/server.ts', './lib.d/x.mjs', 'src/lib.d/x.mjs'],
    ['src/deep/server.js', '../../shared/s.cjs', 'shared/s.cjs'],
    ['src/server.js', '../../outside.js', null],
    ['src/server.js', 'socket.io', null],
    ['src/server.js', './missing.js', null],
    ['src/server.js', './a.js?raw', 'src/a.js'],
  ])('%s imports %s → %s', (from, spec, expected) => {
    expect(resolveRelative(from, spec, files)).toBe(expected);
  });
});

describe('findCompanions', () => {
  it('follows server imports to depth 2 only, loading what the prefilter skipped', async () => {
    const { scan, loads } = await project(
      {
        'srv/index.js': SERVER("import { a } from './one.js';", ''),
        'srv/one.js': "import { b } from './two.js'; export const a = 1;",
        'srv/two.js': "import { c } from './three.js'; export const b = new Map();",
        'srv/three.js': 'export const c = new Map();',
      },
      ['srv/index.js'],
    );
    expect(loads).toEqual([['srv/one.js'], ['srv/two.js']]);
    expect([...scan.companions]).toEqual([
      ['srv/one.js', ['srv/index.js']],
      ['srv/two.js', ['srv/index.js']],
    ]);
    expect(scan.analyses.map((a) => a.file)).toEqual(['srv/index.js', 'srv/one.js', 'srv/two.js']);
  });

  it('never follows client code: a Map in a module only the browser imports is not a companion', async () => {
    const { scan, loads } = await project(
      {
        'web/chat.js': "import { io } from 'socket.io-client'; import { seen } from './cache.js'; const socket = io('/');",
        'web/cache.js': 'export const seen = new Map();',
        'srv/index.js': SERVER("import { relay } from './relay.js';", ''),
        'srv/relay.js': "import { io } from 'socket.io-client'; import { q } from './queue.js'; export const relay = io('https://upstream.example.com');",
        'srv/queue.js': 'export const q = [];',
      },
      ['web/chat.js', 'srv/index.js', 'srv/relay.js'],
    );
    expect(loads).toEqual([]);
    expect([...scan.companions]).toEqual([]);
  });
});

describe('server context', () => {
  it('counts io.use(name) as a gate when name comes from a companion that verifies', async () => {
    const { analyses } = await project(
      {
        'srv/index.js': SERVER("import { checkUser } from './users.js';", 'io.use(checkUser);'),
        'srv/users.js': 'export function checkUser(socket, next) { validateTicket(socket.data.ticket) ? next() : next(new Error("no")); }',
      },
      ['srv/index.js'],
    );
    const index = analyses.find((a) => a.file === 'srv/index.js');
    expect(index?.signals.authGate).toEqual([4]);
    expect(analyses.find((a) => a.file === 'srv/users.js')?.companionOf).toEqual(['srv/index.js']);
  });

  it('does not count io.use(name) from a companion that verifies nothing, nor a name from a package', async () => {
    const { analyses } = await project(
      {
        'srv/index.js': SERVER("import { logger } from './log.js'; import limiter from 'socket-limiter';", 'io.use(logger);\nio.use(limiter);'),
        'srv/log.js': 'export function logger(socket, next) { console.log(socket.id); next(); }',
      },
      ['srv/index.js'],
    );
    expect(analyses.find((a) => a.file === 'srv/index.js')?.signals.authGate).toEqual([]);
  });

  it('counts io.use(name) by its name alone when the name states authentication', () => {
    const a = analyze('srv/index.js', SERVER('', 'io.use(requireSession);\nio.use(rateLimit);'));
    expect(a.signals.authGate).toEqual([4]);
    expect(a.signals.gateIdents).toEqual([{ name: 'rateLimit', line: 5 }]);
  });

  it('reads a companion as server side: its query token is a server auth kind', async () => {
    const source =
      "import jwt from 'jsonwebtoken';\nexport function authenticate(s, next) {\n  const t = s.handshake.query.token;\n  s.data.user = jwt.verify(t, KEY);\n  next();\n}";
    expect(analyze('srv/auth.js', source).signals.auth).toEqual([]);
    const { analyses } = await project(
      { 'srv/index.js': SERVER("import { authenticate } from './auth.js';", 'io.use(authenticate);'), 'srv/auth.js': source },
      ['srv/index.js', 'srv/auth.js'],
    );
    expect(analyses.find((a) => a.file === 'srv/auth.js')?.signals.auth).toEqual([{ kind: 'jwt-query', line: 3, side: 'server' }]);
  });

  it('reports module-level state of companions, not constants, next to a multi-node adapter', async () => {
    const { analyses } = await project(
      {
        'srv/index.js': [
          "import { createAdapter } from '@socket.io/redis-adapter';",
          "import { rooms } from './rooms.js';",
          "import { LIMITS } from './config.js';",
          "import { Server } from 'socket.io';",
          'const io = new Server(3000);',
          'io.adapter(createAdapter(pub, sub));',
          "io.on('connection', (socket) => socket.on('join', (r) => rooms.set(r, LIMITS.size)));",
        ].join('\n'),
        'srv/rooms.js': '// presence\nexport const rooms = new Map();\nexport const users = new Set();',
        'srv/config.js': "export const LIMITS = Object.freeze({ size: 200 });\nexport const NAMES = ['a', 'b'];\nexport const PORT = 3000;",
      },
      ['srv/index.js'],
    );
    const stack = { reconnect: { present: false, evidence: null } } as unknown as Stack;
    const hits = runAudit(
      { analyses, entries: analyses.flatMap((a) => a.entries), rawEvents: analyses.flatMap((a) => a.events), stack },
      SCALING_RULES.filter((r) => r.id === 'in-process-state-multi-node'),
    );
    expect(hits.map((f) => [f.evidence, f.message])).toEqual([
      ['srv/rooms.js:2', 'Module-level Map `rooms` holds state that other nodes behind the adapter cannot see'],
      ['srv/rooms.js:3', 'Module-level Set `users` holds state that other nodes behind the adapter cannot see'],
    ]);
  });
});

describe('envelope events in companions', () => {
  const DB = [
    'export function connect(config) {',
    "  if (config.type === 'sqlite') return open(config.file);",
    "  else if (config.type === 'mariadb') return dial(config.host);",
    '}',
  ].join('\n');

  it('a module only a Socket.IO server imports handles no envelope: its config.type tests are not events', async () => {
    const { analyses } = await project({ 'server/server.js': SERVER("import { connect } from './database.js';", ''), 'server/database.js': DB }, [
      'server/server.js',
    ]);
    expect(analyses.map((a) => [a.file, a.events.map((e) => `${e.transport}:${e.name}:${e.line}`)])).toEqual([
      ['server/database.js', []],
      ['server/server.js', ['socket.io:hi:5']],
    ]);
  });

  it('a handler module a raw WebSocket server imports still handles its envelopes', async () => {
    const ws = [
      "import { WebSocketServer } from 'ws';",
      "import { handle } from './handlers.js';",
      'const wss = new WebSocketServer({ port: 8080 });',
      "wss.on('connection', (ws) => ws.on('message', (raw) => handle(ws, JSON.parse(raw))));",
    ].join('\n');
    const handlers = ['export function handle(ws, msg) {', '  switch (msg.type) {', "    case 'join': return join(ws, msg.room);", '  }', '}'].join('\n');
    const { analyses } = await project({ 'server/index.js': ws, 'server/handlers.js': handlers }, ['server/index.js']);
    expect(analyses.find((a) => a.file === 'server/handlers.js')?.events.map((e) => `${e.transport}:${e.side}:${e.name}:${e.line}`)).toEqual([
      'websocket:server:join:3',
    ]);
  });
});

describe('state in a class the framework creates once per process', () => {
  it('a NestJS provider field is process state; a request-scoped or undecorated class field is not', () => {
    const src = [
      "import { Injectable, Scope } from '@nestjs/common';",
      '@Injectable()',
      'export class PresenceService {',
      '  private readonly viewers = new Map<string, Set<string>>();',
      '  add(id: string, user: string) { this.viewers.set(id, new Set([user])); }',
      '}',
      '@Injectable({ scope: Scope.REQUEST })',
      'export class PerRequest {',
      '  private readonly seen = new Map<string, number>();',
      '  mark(id: string) { this.seen.set(id, 1); }',
      '}',
      'export class Connection {',
      '  pending = new Map<string, number>();',
      '  add(id: string) { this.pending.set(id, 1); }',
      '}',
    ].join('\n');
    const a = analyze('src/presence.service.ts', src);
    expect(a.ctx.facts.topLevel).toEqual([{ name: 'this.viewers', kind: 'Map', line: 4, owner: 'PresenceService' }]);
  });
});
