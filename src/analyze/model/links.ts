// Sends and listeners reached through another module: `broadcast(noteId, 'note:patched', …)`
// imported from rooms.ts, or `const { emit, subscribe } = useSocket()` where useSocket hands
// out a React context whose `emit` stringifies `{ event, data }` and whose `subscribe(event, fn)`
// keeps a listener registry. The wrappers found in the defining module (facts.ts) are lent to
// the caller under its local names; a hook of a module that owns a WebSocket client also makes
// the caller's `switch (msg.type)` cases client handlers (the messages come from that socket).
import type { FileFacts } from '../code/facts.js';
import type { Resolve } from './resolve.js';

type Wrapper = FileFacts['wrappers'][number];

export interface Links {
  wrappers: Wrapper[];
  /** The caller reads a WebSocket client's hook from another module. */
  clientHook: boolean;
}

const WS_CLIENT_MODULES = new Set(['react-use-websocket', 'reconnecting-websocket', 'partysocket']);

/** The module owns a plain WebSocket client (not Socket.IO, whose events are read elsewhere). */
function ownsWsClient(f: FileFacts): boolean {
  return f.calls.some((c) => c.isNew && /^(WebSocket|ReconnectingWebSocket)$/.test(c.path)) || f.imports.some((i) => WS_CLIENT_MODULES.has(i.source));
}

const exportsName = (f: FileFacts, name: string): boolean => f.module?.exportNames.some((e) => e.exported === name && e.local === name) ?? false;

export function links(files: ReadonlyMap<string, FileFacts>, resolve: Resolve, facts: FileFacts): Links {
  const out: Links = { wrappers: [], clientHook: false };
  const target = (local: string): { f: FileFacts; imported: string } | null => {
    for (const imp of facts.imports) {
      const l = imp.locals.find((x) => x.local === local);
      if (!l || l.imported === '*' || (!imp.source.startsWith('.') && !imp.source.startsWith('@/') && !imp.source.startsWith('~/'))) continue;
      const file = resolve(facts.file, imp.source);
      const f = file === null ? undefined : files.get(file);
      return f ? { f, imported: l.imported } : null;
    }
    return null;
  };
  // A function imported by name and called bare: its own wrapper, if it is one (never a listener).
  const called = new Set(facts.calls.filter((c) => c.path === c.method).map((c) => c.method));
  for (const local of called) {
    const t = target(local);
    if (!t || !exportsName(t.f, t.imported)) continue;
    for (const w of t.f.wrappers) if (w.name === t.imported && !w.handle) out.wrappers.push({ ...w, name: local, linked: true });
  }
  // Names picked from a hook of another module: that module's wrappers of the same names.
  for (const p of facts.picks ?? []) {
    const t = target(p.callee);
    if (!t || !/^use[A-Z]/.test(t.imported) || !exportsName(t.f, t.imported)) continue;
    const ws = ownsWsClient(t.f);
    if (ws) out.clientHook = true;
    for (const k of p.keys) {
      for (const w of t.f.wrappers) if (w.name === k.key && (!w.handle || ws)) out.wrappers.push({ ...w, name: k.local, linked: true });
    }
  }
  return out;
}
