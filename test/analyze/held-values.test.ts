// What a module-level collection holds (held-values.ts): live connections or registered callbacks
// cannot move to a shared store, so Current state keeps them per process and the step that moves
// process-local state moves only data. Read from the declared type (through the module's own
// interfaces and aliases) or, with no type, from how the values are used.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParser, parseFile } from '../../src/analyze/code/parse.js';

beforeAll(loadParser);

function topLevel(file: string, code: string) {
  const lang = file.endsWith('.tsx') ? 'tsx' : /\.[cm]?ts$/.test(file) ? 'ts' : 'jsx';
  return parseFile(file, [{ code, lang, lineOffset: 0 }]).facts.topLevel.map((t) =>
    [t.name, t.kind, t.line, t.holdsSockets ? 'sockets' : t.holdsCallbacks ? 'callbacks' : 'data'].join(' '),
  );
}

describe('held values', () => {
  it('a Map whose value interface has a socket field holds sockets', () => {
    expect(
      topLevel(
        'src/ws.ts',
        "import type { WebSocket } from 'ws';\ninterface Client {\n  ws: WebSocket;\n  agents: Set<string>;\n}\nconst clients = new Map<string, Client>();\nexport const add = (id: string, ws: WebSocket) => clients.set(id, { ws, agents: new Set() });\n",
      ),
    ).toEqual(['clients Map 6 sockets']);
  });

  it('a typed array of functions holds callbacks; a Map of records is data', () => {
    expect(
      topLevel(
        'src/builds.ts',
        "type Build = { id: string; status: string };\nconst all = new Map<string, Build>();\nconst listeners: (() => void)[] = [];\nexport const onChange = (l: () => void) => listeners.push(l);\nexport const run = (id: string) => { all.set(id, { id, status: 'running' }); listeners.forEach((l) => l()); };\n",
      ),
    ).toEqual(['all Map 2 data', 'listeners Array 3 callbacks']);
  });

  it('a Set of a function type alias holds callbacks', () => {
    expect(
      topLevel('src/bus.ts', 'type Listener = (e: string) => void;\nconst subs = new Set<Listener>();\nexport const on = (l: Listener) => subs.add(l);\n'),
    ).toEqual(['subs Set 2 callbacks']);
  });

  it('untyped: a value taken out and written to is a connection', () => {
    expect(
      topLevel(
        'src/notify.js',
        'const streams = new Map();\nfunction shipped(userId, order) {\n  const res = streams.get(userId);\n  if (!res) return;\n  res.write(`data: ${JSON.stringify(order)}\\n\\n`);\n}\nmodule.exports = { streams, shipped };\n',
      ),
    ).toEqual(['streams Map 1 sockets']);
  });

  it('untyped: values called in a loop are callbacks; a Map of Sets of ids is data', () => {
    expect(
      topLevel(
        'src/rooms.js',
        'const members = new Map();\nconst subs = [];\nfunction add(room, user) {\n  if (!members.has(room)) members.set(room, new Set());\n  members.get(room).add(user);\n  for (const fn of subs) fn(room);\n}\nmodule.exports = { add, members, subs };\n',
      ),
    ).toEqual(['members Map 1 data', 'subs Array 2 callbacks']);
  });
});
