// Cloudflare Workers and Durable Objects: `new WebSocketPair()` accepted with
// `server.accept()` or `this.ctx.acceptWebSocket(server)` is a WebSocket server; the
// hibernation API's `setWebSocketAutoResponse` answers pings without waking the object.
// https://developers.cloudflare.com/durable-objects/best-practices/websockets/
import type { EntryHit } from '../../code/entrypoints.js';
import type { FileContext } from '../../code/file-context.js';
import type { Adapter } from './types.js';

const GATE_CALL = /auth|session|member|user|verify|jwt|token/i;
const DO_METHODS = new Set(['webSocketMessage', 'webSocketClose', 'webSocketError']);

function isDurableObject(ctx: FileContext): boolean {
  return (
    (ctx.facts.module?.classes ?? []).some((c) => c.superClass === 'DurableObject' || c.methods.some((m) => DO_METHODS.has(m.name))) ||
    ctx.facts.calls.some((c) => c.method === 'acceptWebSocket')
  );
}

export const CLOUDFLARE_ADAPTER: Adapter = {
  name: 'cloudflare-workers',
  modules: ['cloudflare:workers'],
  applies: (ctx) => ctx.facts.calls.some((c) => (c.isNew && c.path === 'WebSocketPair') || c.method === 'idFromName'),
  entries: (ctx) => {
    const pair = ctx.facts.calls.find((c) => c.isNew && c.path === 'WebSocketPair');
    if (!pair) return [];
    const hit: EntryHit = {
      file: ctx.file,
      line: pair.line,
      kind: 'ws-server',
      side: 'server',
      transport: 'websocket',
      provider: isDurableObject(ctx) ? 'cloudflare-durable-objects' : 'cloudflare-workers',
      call: null,
    };
    return [hit];
  },
  signals: (ctx) => ({
    // The Worker that routes to the object checks the user before forwarding (`stub.fetch`):
    // that check is the handshake gate of the object's sockets.
    authGate: ctx.facts.calls.some((c) => c.method === 'idFromName')
      ? ctx.facts.calls
          .filter((c) => GATE_CALL.test(c.method))
          .slice(0, 1)
          .map((c) => c.line)
      : [],
    heartbeat: ctx.facts.calls.filter((c) => c.method === 'setWebSocketAutoResponse').map((c) => ({ line: c.line, side: 'server' as const })),
    errorHandler: (ctx.facts.module?.classes ?? []).flatMap((c) => c.methods.filter((m) => m.name === 'webSocketError').map((m) => m.line)),
  }),
};
