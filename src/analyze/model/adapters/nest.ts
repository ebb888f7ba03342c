// NestJS gateways: `@WebSocketGateway(port?, options?)` classes are Socket.IO servers (or ws
// ones on @nestjs/platform-ws), `@SubscribeMessage(name)` methods handle events, emits go
// through the `@WebSocketServer()` field or the handler's client parameter.
// https://docs.nestjs.com/websockets/gateways
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import type { FileContext } from '../../code/file-context.js';
import { firstString } from '../../code/file-context.js';
import { sioPayload } from '../../code/payloads.js';
import type { ClassFact } from '../module-facts.js';
import { type Adapter, usesAny } from './types.js';

const MODULES = ['@nestjs/websockets', '@nestjs/platform-socket.io', '@nestjs/platform-ws'];
const EMITS = new Set(['emit', 'emitWithAck']);

function gateways(ctx: FileContext): ClassFact[] {
  return (ctx.facts.module?.classes ?? []).filter((c) => c.decorators.some((d) => d.name === 'WebSocketGateway'));
}

function namespaceOf(g: ClassFact): string | null {
  const opts = g.decorators.find((d) => d.name === 'WebSocketGateway')?.args.find((a) => a.kind === 'object');
  return firstString(opts?.props?.namespace) ?? null;
}

const isWs = (ctx: FileContext): boolean => ctx.sources.has('@nestjs/platform-ws');

export const NEST_ADAPTER: Adapter = {
  name: 'nestjs',
  modules: MODULES,
  applies: (ctx) => usesAny(ctx, MODULES) && gateways(ctx).length > 0,
  entries: (ctx) =>
    gateways(ctx).map(
      (g): EntryHit => ({
        file: ctx.file,
        line: g.decorators.find((d) => d.name === 'WebSocketGateway')?.line ?? g.line,
        kind: isWs(ctx) ? 'ws-server' : 'socket-server',
        side: 'server',
        transport: isWs(ctx) ? 'websocket' : 'socket.io',
        provider: null,
        call: null,
      }),
    ),
  events: (ctx) => {
    const out: RawEvent[] = [];
    const transport = isWs(ctx) ? 'websocket' : 'socket.io';
    for (const g of gateways(ctx)) {
      const ns = namespaceOf(g);
      const at = (name: string, act: RawEvent['act'], line: number): RawEvent => ({
        name,
        act,
        side: 'server',
        transport,
        file: ctx.file,
        line,
        ...(ns && ns !== '/' ? { namespace: ns } : {}),
      });
      const receivers = new Set<string>();
      for (const m of g.methods) {
        if (m.decorators.some((d) => d.name === 'WebSocketServer')) receivers.add(m.name);
        for (const p of m.params) if (p) receivers.add(p);
        const sub = m.decorators.find((d) => d.name === 'SubscribeMessage');
        const name = firstString(sub?.args[0]);
        if (sub && name) out.push({ ...at(name, 'handle', sub.line), ...(m.body ? { payload: m.body } : {}) });
      }
      if (transport !== 'socket.io') continue;
      for (const c of ctx.facts.calls) {
        const root = c.path.startsWith('this.') ? (c.path.split('.')[1] ?? '') : c.root;
        const name = firstString(c.args[0]);
        if (!EMITS.has(c.method) || !receivers.has(root) || name === null || c.args[0]?.kind !== 'string') continue;
        // What the emit sends, as a Socket.IO emit: `server.to(room).emit(ChatEvents.New, { id, … })`.
        const payload = sioPayload(c, 'emit');
        out.push({ ...at(name, 'emit', c.line), ...(payload ? { payload } : {}) });
      }
    }
    return out;
  },
};
