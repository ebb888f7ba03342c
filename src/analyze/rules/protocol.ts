// Protocol rules: SSE resumability and keep-alive, WebRTC ICE, listener cleanup, event names.
import { directionOf } from '../code/merge.js';
import type { EntryHit } from '../code/entrypoints.js';
import type { RawEvent } from '../code/events.js';
import { STREAM_RESPONSE } from '../model/adapters/ai-sdk.js';
import type { AuditContext, AuditRule, RuleHit } from './types.js';
import { allModules, at } from './types.js';

const REALTIME_RECEIVER = /^(socket|ws|io|channel|eventSource|es|source|pc|peer|room|dc|dataChannel|pusher|ably|sub|subscription)$|Socket$|Channel$|Source$/;
const REALTIME_INIT =
  /^new (WebSocket|EventSource|RTCPeerConnection|Pusher|Room|ReconnectingWebSocket)\(\)$|^(io|connect)\(\)$|\.(channel|subscribe|createDataChannel)\(\)$|\.channels\.get\(\)$/;
const REGISTER = new Set(['on', 'addEventListener', 'bind', 'subscribe', 'onAny']);
const CLEANUP =
  /^(off|removeListener|removeEventListener|removeAllListeners|close|disconnect|unsubscribe|unbind|unbind_all|removeChannel|removeAllChannels|destroy|terminate|offAny|leave)$/;

export function listenerHits(ctx: AuditContext): RuleHit[] {
  const out: RuleHit[] = [];
  for (const a of ctx.analyses) {
    const realtimeVars = new Set(a.ctx.facts.vars.filter((v) => REALTIME_INIT.test(v.init)).map((v) => v.name));
    const isRealtime = (name: string): boolean => realtimeVars.has(name) || REALTIME_RECEIVER.test(name);
    for (const effect of a.ctx.facts.effects) {
      const reg = effect.calls.find(
        (c) => REGISTER.has(c.method) && c.path.includes('.') && isRealtime(c.path.startsWith('this.') ? (c.path.split('.')[1] ?? '') : c.root),
      );
      if (!reg) continue;
      const recv = reg.path.startsWith('this.') ? (reg.path.split('.')[1] ?? '') : reg.root;
      const cleaned = (effect.cleanup ?? []).some((p) => {
        const seg = p.replace(/\(\)$/, '').split('.');
        const method = seg[seg.length - 1] ?? '';
        return (
          // supabase-js's removeChannel / removeAllChannels, whatever the client variable is called (`db`).
          (CLEANUP.test(method) &&
            (seg.length === 1
              ? false
              : seg[0] === recv || realtimeVars.has(seg[0] ?? '') || /supabase/i.test(seg[0] ?? '') || /^remove(All)?Channels?$/.test(method))) ||
          (seg.length === 1 && realtimeVars.has(seg[0] ?? ''))
        );
      });
      if (!cleaned)
        out.push({
          evidence: `${a.file}:${reg.line}`,
          message: `Effect registers \`${reg.path}\` and ${effect.cleanup === null ? 'has no cleanup' : 'its cleanup never removes it'}; listeners pile up on every re-render and remount`,
        });
    }
  }
  return out;
}

/**
 * Socket.IO names a module emits or listens for on a receiver the analysis could not tie to a
 * socket (`this.$root.getSocket().emit('addProxy', …)` in a Vue component): a side may well send
 * or handle them, so their absence from the events proves no mismatch.
 */
function unattributedNames(ctx: AuditContext): { emitted: Set<string>; handled: Set<string> } {
  const seen = new Set(ctx.rawEvents.map((e) => `${e.file}:${e.line}:${e.name}`));
  const emitted = new Set<string>();
  const handled = new Set<string>();
  for (const m of allModules(ctx)) {
    for (const c of m.calls) {
      const name = c.args[0]?.kind === 'string' ? c.args[0].str : undefined;
      if (!name || !c.path.includes('.') || seen.has(`${m.file}:${c.line}:${name}`)) continue;
      if (c.method === 'emit' || c.method === 'emitWithAck') emitted.add(name);
      else if (c.method === 'on' || c.method === 'once') handled.add(name);
    }
  }
  return { emitted, handled };
}

function mismatchHits(ctx: AuditContext): RuleHit[] {
  const out: RuleHit[] = [];
  const unknown = unattributedNames(ctx);
  const byTransport = new Map<string, RawEvent[]>();
  for (const e of ctx.rawEvents) {
    // A provider's protocol event has its other end at the provider, not in this repository.
    if ((e.transport !== 'socket.io' && e.transport !== 'websocket') || e.peer || e.protocol) continue;
    const list = byTransport.get(e.transport) ?? [];
    list.push(e);
    byTransport.set(e.transport, list);
  }
  for (const [transport, list] of [...byTransport].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const sides = new Set(list.map((e) => e.side));
    if (!sides.has('server') || !sides.has('client')) continue;
    const sorted = [...list].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line));
    for (const dir of ['client-to-server', 'server-to-client'] as const) {
      const sent = sorted.filter((e) => directionOf(e) === dir && e.act === 'emit');
      const handled = sorted.filter((e) => directionOf(e) === dir && e.act === 'handle');
      const [from, to] = dir === 'client-to-server' ? ['client', 'server'] : ['server', 'client'];
      const reported = new Set<string>();
      // On Socket.IO, a name some module handles or emits on a receiver not read as a socket may be the other end.
      const maybeHandled = transport === 'socket.io' ? unknown.handled : new Set<string>();
      const maybeSent = transport === 'socket.io' ? unknown.emitted : new Set<string>();
      for (const e of sent) {
        if (handled.some((h) => h.name === e.name || h.wildcard) || reported.has(e.name) || maybeHandled.has(e.name)) continue;
        reported.add(e.name);
        out.push({ evidence: at(e), message: `The ${from} sends '${e.name}' (${transport}) but no ${to} handler listens for it` });
      }
      for (const h of handled) {
        if (h.wildcard) continue;
        if (sent.some((e) => e.name === h.name) || reported.has(h.name) || maybeSent.has(h.name)) continue;
        reported.add(h.name);
        out.push({ evidence: at(h), message: `The ${to} handles '${h.name}' (${transport}) but no ${from} code sends it` });
      }
    }
  }
  return out;
}

/**
 * An SSE endpoint whose framing the code writes itself. The AI SDK's UI message stream (and its
 * useChat reader) owns ids, keep-alive and resumption, so those rules do not apply to it.
 */
const ownSse = (e: EntryHit): boolean => e.kind === 'sse-endpoint' && !STREAM_RESPONSE.test(e.call?.method ?? '');

export const PROTOCOL_RULES: readonly AuditRule[] = [
  {
    id: 'sse-no-keepalive',
    severity: 'medium',
    title: 'SSE without keep-alive',
    why: 'Proxies and load balancers close HTTP responses that stay silent (often after 30–60 s); a quiet SSE stream is cut and the client reconnects over and over.',
    fix: 'Write a comment line (`: keep-alive\\n\\n`) every 15–30 s on each open stream and clear the timer when the request closes.',
    source: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) =>
        a.signals.sseKeepAlive.length > 0
          ? []
          : a.entries
              .filter(ownSse)
              .slice(0, 1)
              .map((e) => ({ evidence: at(e), message: 'SSE stream sends no keep-alive comments while idle' })),
      ),
  },
  {
    id: 'sse-no-event-id',
    severity: 'low',
    title: 'SSE without event ids',
    why: 'Without `id:` fields the browser has no Last-Event-ID to send when it reconnects, so every event sent during the gap is lost.',
    fix: 'Give each event a monotonically increasing `id:` and, on reconnect, replay events after the `Last-Event-ID` request header from a short buffer.',
    source: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) =>
        a.signals.sseIds.length > 0
          ? []
          : a.entries
              .filter(ownSse)
              .slice(0, 1)
              .map((e) => ({ evidence: at(e), message: 'SSE events carry no id, so a reconnecting client cannot resume' })),
      ),
  },
  {
    id: 'webrtc-no-ice-servers',
    severity: 'medium',
    title: 'WebRTC without STUN/TURN servers',
    why: 'Without ICE servers a peer only offers host candidates: calls between peers behind different NATs or corporate firewalls fail to connect (roughly 10–20% of real users need TURN).',
    fix: 'Pass `iceServers` with a STUN server and a TURN server with short-lived credentials minted by your backend.',
    source: 'https://developer.mozilla.org/en-US/docs/Web/API/RTCPeerConnection/RTCPeerConnection#iceservers',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) => {
        // A managed media server (OpenAI Realtime, LiveKit) has a public address: no NAT traversal needed.
        if (a.entries.some((e) => e.kind === 'provider-client')) return [];
        return a.signals.iceServersMissing.map((l) => ({ evidence: `${a.file}:${l}`, message: 'RTCPeerConnection is created without iceServers' }));
      }),
  },
  {
    id: 'listener-not-cleaned-up',
    severity: 'medium',
    title: 'Subscriptions or listeners never cleaned up',
    why: 'A React effect that subscribes without removing the subscription adds one more listener on every remount: duplicated messages, leaked sockets and updates to unmounted components.',
    fix: 'Return a cleanup from the effect that removes exactly what it added (`socket.off(event, handler)`, `channel.unsubscribe()` / `supabase.removeChannel(channel)`, `ws.close()`).',
    source: 'https://react.dev/reference/react/useEffect#connecting-to-an-external-system',
    detect: listenerHits,
  },
  {
    id: 'event-name-mismatch',
    severity: 'medium',
    title: 'Client and server event names do not match',
    why: 'An event one side sends and no side handles is silently dropped: usually a typo or a rename done on one side only.',
    fix: 'Share the event names (and payload types) from one module used by both sides, e.g. typed Socket.IO `ServerToClientEvents` / `ClientToServerEvents` interfaces.',
    source: 'https://socket.io/docs/v4/typescript/',
    detect: mismatchHits,
  },
  {
    id: 'client-only',
    severity: 'info',
    title: 'Client only; the server is elsewhere',
    why: 'This repository connects to a real-time server it does not contain, so server-side behaviour (auth, heartbeat, limits) cannot be checked here.',
    fix: 'Document the server the client talks to (URL, protocol, version) and review its configuration separately.',
    source: 'https://developer.mozilla.org/en-US/docs/Web/API/WebSockets_API',
    detect: (ctx) => {
      if (ctx.entries.some((e) => e.side === 'server')) return [];
      const first = ctx.entries
        .filter((e) => ['socket-client', 'ws-client', 'sse-client'].includes(e.kind))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))[0];
      return first ? [{ evidence: at(first), message: 'Client-side real-time code only: the server it connects to is not in this repository' }] : [];
    },
  },
];
