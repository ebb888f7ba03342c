// PartyKit: a room server is a class implementing `Party.Server` (from 'partykit/server') with
// `onConnect(conn, ctx)`, `onMessage(message, sender)`, `onClose(conn)` and `onError`; it sends
// with `conn.send` and fans out with `this.room.broadcast(msg, without?)`. The static
// `onBeforeConnect(req, lobby)` runs before the socket is accepted: the handshake gate. Each
// room is a Cloudflare Durable Object, so the platform owns the process (no SIGTERM to handle).
// The browser connects with partysocket (a row of code/entrypoints.ts), which reconnects by
// itself with growing, randomised delays.
// https://docs.partykit.io/reference/partyserver-api · https://docs.partykit.io/reference/partysocket-api
// https://docs.partykit.io/guides/authentication
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import type { FileContext } from '../../code/file-context.js';
import type { ClassFact } from '../module-facts.js';
import { type AddedSignals, type Adapter } from './types.js';

const HANDLERS = new Set(['onConnect', 'onMessage']);

function rooms(ctx: FileContext): ClassFact[] {
  return (ctx.facts.module?.classes ?? []).filter((c) => c.methods.some((m) => HANDLERS.has(m.name)));
}

export const PARTYKIT_ADAPTER: Adapter = {
  name: 'partykit',
  modules: ['partykit'],
  applies: (ctx) => ctx.sources.has('partykit'),
  entries: (ctx) =>
    rooms(ctx).map(
      (c): EntryHit => ({
        file: ctx.file,
        line: c.line,
        kind: 'ws-server',
        side: 'server',
        transport: 'websocket',
        provider: 'cloudflare-durable-objects',
        call: null,
      }),
    ),
  // A handler module the room delegates to (`handleMessage(this.room, …)`) imports the types
  // too: its `switch (msg.type)` cases and stringified `{ type }` broadcasts are the server's.
  events: (ctx, entries) => {
    if (entries.some((e) => e.side === 'server')) return [];
    const out: RawEvent[] = ctx.facts.typeCases.map((t) => ({
      name: t.name,
      act: 'handle',
      side: 'server',
      transport: 'websocket',
      file: ctx.file,
      line: t.line,
      ...(t.fields ? { payload: { fields: t.fields, complete: false } } : {}),
    }));
    for (const c of ctx.facts.calls) {
      const arg = c.path === 'JSON.stringify' ? c.args[0] : undefined;
      const type = arg?.props?.type;
      if (!(type?.kind === 'string' && type.str)) continue;
      const ev: RawEvent = { name: type.str, act: 'emit', side: 'server', transport: 'websocket', file: ctx.file, line: c.line };
      // The `type` key names the message; the other keys are its payload (`id: sender.id`, `text`).
      if (arg?.kind === 'object' && arg.payload) ev.payload = { ...arg.payload, fields: arg.payload.fields.filter((f) => f.name !== 'type') };
      out.push(ev);
    }
    return out;
  },
  signals: (ctx) => {
    const out: Required<Pick<AddedSignals, 'authGate' | 'errorHandler'>> = { authGate: [], errorHandler: [] };
    for (const c of rooms(ctx)) {
      for (const m of c.methods) {
        if (m.name === 'onBeforeConnect') out.authGate.push(m.line);
        if (m.name === 'onError') out.errorHandler.push(m.line);
      }
    }
    return out;
  },
};
