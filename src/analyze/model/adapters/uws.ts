// uWebSockets.js: `uWS.App().ws(pattern, behavior)` (or SSLApp) where behavior holds the
// handlers (`upgrade`, `open`, `message`, `close`) and the limits (`idleTimeout`,
// `maxPayloadLength`, `sendPingsAutomatically`, default true: idle sockets are pinged before
// idleTimeout). The literal-object form is a row of code/entrypoints.ts and its heartbeat is read
// in code/signals.ts; this adapter adds a behavior passed by name (built in another module), and
// the `upgrade` handler as the handshake gate when it checks a token before `res.upgrade`.
// Topics: `ws.subscribe(topic)` and `app.publish(topic, message)` fan out inside the process.
// https://unetworking.github.io/uWebSockets.js/generated/interfaces/WebSocketBehavior.html
// https://github.com/uNetworking/uWebSockets.js/blob/master/examples/Upgrade.js
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import { findProp, firstString } from '../../code/file-context.js';
import { VERIFY_CALL } from '../../code/signals.js';
import { type AddedSignals, type Adapter } from './types.js';

const BY_NAME = new Set(['ident', 'member', 'call']);

export const UWS_ADAPTER: Adapter = {
  name: 'uwebsockets',
  modules: ['uWebSockets.js'],
  applies: (ctx) => ctx.sources.has('uWebSockets.js'),
  entries: (ctx) =>
    ctx.facts.calls.flatMap((c): EntryHit[] =>
      !c.isNew && c.method === 'ws' && BY_NAME.has(c.args[1]?.kind ?? '')
        ? [{ file: ctx.file, line: c.line, kind: 'ws-server', side: 'server', transport: 'websocket', provider: null, call: c }]
        : [],
    ),
  // `app.publish(topic, JSON.stringify({ type }))`: the envelope (read in code/events.ts) goes to a topic's subscribers.
  events: (ctx) =>
    ctx.facts.calls.flatMap((c): RawEvent[] => {
      const topic = c.method === 'publish' ? firstString(c.args[0]) : null;
      const body = c.args[1];
      const type = body?.kind === 'call' && body.path === 'JSON.stringify' ? body.args?.[0]?.props?.type : undefined;
      if (!topic || type?.kind !== 'string' || !type.str) return [];
      // A topic built from a template is a family of topics: `prices/${symbol}` → `prices/*`.
      return [{ name: type.str, act: 'emit', side: 'server', transport: 'websocket', file: ctx.file, line: c.line, room: topic.replaceAll('${}', '*') }];
    }),
  signals: (ctx, entries) => {
    const out: Required<Pick<AddedSignals, 'heartbeat' | 'authGate'>> = { heartbeat: [], authGate: [] };
    const verifies = ctx.facts.calls.some((c) => VERIFY_CALL.test(c.method));
    for (const e of entries) {
      if (e.kind !== 'ws-server' || e.call?.method !== 'ws') continue;
      // A behavior passed by name keeps uWS's default: automatic pings.
      if (BY_NAME.has(e.call.args[1]?.kind ?? '')) out.heartbeat.push({ line: e.line, side: 'server' });
      const upgrade = findProp(e.call.args.slice(1), 'upgrade');
      if (upgrade?.kind === 'function' && verifies) out.authGate.push(upgrade.line);
    }
    return out;
  },
};
