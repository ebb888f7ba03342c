// Connection lifecycle rules: liveness, reconnection, error handling and shutdown.
import { moduleOf } from '../code/file-context.js';
import { type AuditRule, allModules, at, signalEvidence } from './types.js';

/** Next.js route handlers run on a platform that owns the process: no signals to handle. */
const SERVERLESS_ROUTE = /(^|\/)(app\/.*\/route|pages\/api\/.*)\.[cm]?[jt]sx?$/;
/** Runtimes that own the process and its shutdown (Workers, Durable Objects). */
export const MANAGED_RUNTIME = new Set(['cloudflare-durable-objects', 'cloudflare-workers']);
/** Servers whose sockets emit no unhandled 'error' event: uWS (`app.ws`), Hono's helper. */
const NO_ERROR_EVENT = new Set(['ws', 'upgradeWebSocket']);
const RECONNECTING_LIBS = new Set(['reconnecting-websocket', 'partysocket']);

export const CONNECTION_RULES: readonly AuditRule[] = [
  {
    id: 'one-connection-per-user',
    severity: 'medium',
    title: 'One connection per user, deleted by key',
    why: 'Users open the app in two tabs or on two devices. A Map from user id to a single connection keeps only the newest one, so the older tab stops receiving without any error; and when either closes, deleting by user id removes the entry of the one still open, so that user receives nothing until they reconnect.',
    fix: "Keep a Set of connections per user (`Map<userId, Set<connection>>`): add on connect, remove only this connection on close, drop the user's entry when the set is empty, and deliver to every connection in the set.",
    source: 'https://socket.io/docs/v4/rooms/#sample-use-cases',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) =>
        (a.signals.oneSlotPerUser ?? []).map((h) => ({
          evidence: `${a.file}:${h.line}`,
          message: `\`${h.map}\` keeps one connection per \`${h.key}\`: a second tab or device replaces the first, which stops receiving, and \`${h.map}.delete(${h.key})\` (line ${h.deleteLine}) on close can remove the entry of the other connection, still open`,
        })),
      ),
  },
  {
    id: 'no-heartbeat',
    severity: 'high',
    title: 'No heartbeat',
    why: 'Without ping/pong, half-open TCP connections (a phone that lost signal, a NAT that dropped state) stay open for minutes: the server keeps their memory and fan-out, and the client shows stale data as if it were live.',
    fix: 'Ping every client on an interval (e.g. 30 s), terminate those that did not answer with a pong since the last round, and clear the interval on close.',
    source: 'https://github.com/websockets/ws#how-to-detect-and-close-broken-connections',
    detect: (ctx) => {
      const hb = ctx.analyses.flatMap((a) => a.signals.heartbeat);
      const servers = ctx.entries.filter((e) => e.kind === 'ws-server');
      if (servers.length > 0) {
        if (hb.some((h) => h.side === 'server')) return [];
        return servers.map((e) => ({ evidence: at(e), message: 'WebSocket server never pings its clients, so dead connections are not detected' }));
      }
      if (hb.length > 0) return [];
      return ctx.entries
        .filter((e) => e.kind === 'ws-client' && e.call?.method !== 'useWebSocket')
        .map((e) => ({ evidence: at(e), message: 'WebSocket client sends no heartbeat and cannot tell a silent server from a dead connection' }));
    },
  },
  {
    id: 'no-reconnect',
    severity: 'high',
    title: 'No reconnection',
    why: 'Connections drop on deploys, network changes and idle timeouts. A client that does not reconnect silently stops receiving updates until the page is reloaded.',
    fix: 'Reconnect on close with exponential backoff (e.g. 500 ms doubling to 30 s) plus random jitter, and resubscribe/resync state after reconnecting.',
    source: 'https://socket.io/docs/v4/client-options/#reconnection',
    detect: (ctx) => {
      const hits = ctx.entries
        .filter((e) => e.kind === 'socket-client' && e.call?.args.some((a) => a.props?.reconnection?.bool === false))
        .map((e) => ({ evidence: at(e), message: 'Socket.IO client is created with reconnection: false' }));
      if (ctx.stack.reconnect.present) return hits;
      for (const a of ctx.analyses) {
        for (const e of a.entries) {
          if (e.kind !== 'ws-client' || !e.call || RECONNECTING_LIBS.has(moduleOf(a.ctx, e.call.path) ?? '')) continue;
          hits.push({ evidence: at(e), message: 'WebSocket client never reconnects after the connection closes' });
        }
      }
      return hits;
    },
  },
  {
    id: 'reconnect-without-backoff',
    severity: 'medium',
    title: 'Reconnect without backoff and jitter',
    why: 'Clients that retry at a fixed delay reconnect in lockstep after an outage: thousands of simultaneous handshakes (a thundering herd) can take the recovering server down again.',
    fix: 'Grow the delay exponentially per attempt with a cap (e.g. min(30 s, 500 ms × 2^n)) and add random jitter; reset the attempt counter after a stable connection.',
    source: 'https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) =>
        a.signals.reconnect
          .filter((r) => !r.builtin && (!r.backoff || !r.jitter))
          .map((r) => ({
            evidence: `${a.file}:${r.line}`,
            message: `Reconnects ${!r.backoff ? 'at a fixed delay (no exponential backoff)' : 'with backoff but no random jitter'}`,
          })),
      ),
  },
  {
    id: 'unhandled-socket-error',
    severity: 'medium',
    title: "Socket 'error' events not handled",
    // uWebSockets.js sockets are not EventEmitters, Workers / Durable Objects (PartyKit rooms)
    // run no Node process to crash, and Hono's upgradeWebSocket on Node (@hono/node-ws) adds an
    // 'error' listener to every socket itself: the rule is about ws-style servers and clients.
    why: "In Node, an 'error' event with no listener is thrown: one malformed frame or reset connection crashes the whole server process and every connection on it.",
    fix: "Attach an 'error' listener to every server-side socket (and to the server itself), log it with the connection id, and close that socket.",
    source: 'https://nodejs.org/api/events.html#error-events',
    detect: (ctx) =>
      ctx.analyses.flatMap((a) => {
        // The handler module the server passes its sockets to (companions.ts) may hold the listener.
        const onPath = ctx.analyses.filter((b) => b.file === a.file || (b.companionOf ?? []).includes(a.file));
        if (onPath.some((b) => b.signals.errorHandler.length > 0)) return [];
        return a.entries
          .filter(
            (e) =>
              (e.kind === 'ws-server' && !NO_ERROR_EVENT.has(e.call?.method ?? '') && !MANAGED_RUNTIME.has(e.provider ?? '')) ||
              (e.kind === 'ws-client' && e.call && moduleOf(a.ctx, e.call.path) === 'ws'),
          )
          .map((e) => ({
            evidence: at(e),
            message: `${e.kind === 'ws-server' ? 'WebSocket server' : 'Node WebSocket client'} has no 'error' listener; an error event would crash the process`,
          }));
      }),
  },
  {
    id: 'webrtc-no-connection-state',
    severity: 'high',
    title: 'WebRTC connection state never watched',
    why: "When the network changes (a Wi-Fi drop, a switch to mobile data) ICE goes to 'disconnected' and, if the old path does not come back, to 'failed'; only an ICE restart or a new connection recovers it. A peer connection nobody watches stays silent with no error shown.",
    fix: "Listen for `connectionstatechange` (and `iceconnectionstatechange`): on 'disconnected' wait a few seconds, then call `pc.restartIce()` and renegotiate; on 'failed' close it and open a new connection (or session); tell the user while it recovers.",
    source: 'https://developer.mozilla.org/en-US/docs/Web/API/RTCPeerConnection/restartIce',
    detect: (ctx) => {
      const watched = allModules(ctx).some(
        (f) =>
          f.assigns.some((x) => /\.on(ice)?connectionstatechange$/.test(x.target)) ||
          f.calls.some(
            (c) => c.method === 'restartIce' || (/^(addEventListener|on)$/.test(c.method) && /^(ice)?connectionstatechange$/.test(c.args[0]?.str ?? '')),
          ),
      );
      if (watched) return [];
      // OpenAI Realtime's calls endpoint answers one SDP offer per session and documents no way to
      // send a second one (platform.openai.com/docs/guides/realtime-webrtc): an ICE restart's new
      // offer has nobody to answer it, so the recovery is a new session.
      const oneOffer = allModules(ctx).some((f) => f.strings.some((x) => /api\.openai\.com\/v1\/realtime\b/.test(x.value)));
      return ctx.entries
        .filter((e) => e.kind === 'webrtc-peer' && e.call?.isNew === true && /^(window\.)?RTCPeerConnection$/.test(e.call.path))
        .map((e) => ({
          evidence: at(e),
          message:
            'The RTCPeerConnection has no `connectionstatechange` or `iceconnectionstatechange` handler and nothing calls `restartIce()`: when the network drops and ICE fails, nothing notices it or recovers the connection',
          ...(oneOffer
            ? {
                fix: "Listen for `connectionstatechange`: on 'disconnected' wait a few seconds for ICE to recover by itself; if it does not, or on 'failed', close the peer connection and start a new session (a new client secret and a new SDP offer to `/v1/realtime/calls`, which takes one offer per session, so `restartIce()` has nothing to renegotiate with); tell the user, and re-send the instructions and what the app kept of the conversation, which the new session does not have.",
              }
            : {}),
        }));
    },
  },
  {
    id: 'no-graceful-shutdown',
    severity: 'medium',
    title: 'No graceful shutdown',
    why: 'On deploy the platform sends SIGTERM. Without a handler, open connections are cut mid-message instead of being told to reconnect elsewhere, and in-flight work is lost.',
    fix: "Handle SIGTERM/SIGINT: stop accepting connections, close sockets with a 1001 'going away' code (or io.close()), let clients reconnect to another instance, then exit.",
    source: 'https://nodejs.org/api/process.html#signal-events',
    detect: (ctx) => {
      if (signalEvidence(ctx, (a) => a.signals.shutdown).length > 0) return [];
      const first = ctx.entries
        .filter(
          (e) =>
            !MANAGED_RUNTIME.has(e.provider ?? '') &&
            (['socket-server', 'ws-server'].includes(e.kind) || (e.kind === 'sse-endpoint' && !SERVERLESS_ROUTE.test(e.file))),
        )
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))[0];
      if (!first) return [];
      const message = 'Real-time server has no SIGTERM/SIGINT handler to drain connections before exit';
      // An SSE stream has no close code: it is ended, and EventSource reconnects by itself after `retry:`.
      const sse = first.kind === 'sse-endpoint';
      return [
        {
          evidence: at(first),
          message,
          ...(sse
            ? {
                fix: 'Handle SIGTERM/SIGINT: stop accepting new streams (`server.close()`), end every open stream (`res.end()`; `stream.close()` with Hono `streamSSE`) so EventSource reconnects to another instance after its `retry:` delay (and resumes with `Last-Event-ID`), then exit; `server.close()` alone waits for streams that never end.',
              }
            : {}),
        },
      ];
    },
  },
];
