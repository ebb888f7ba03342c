// Where real-time connections start: servers, clients, provider sessions and token routes.
// Each pattern is a row: a call (or string) predicate and what it means.
import type { Entrypoint, Transport } from '../../types.js';
import { adapterEntries } from '../model/adapters/index.js';
import { onServer } from '../model/adapters/types.js';
import type { CallFact } from './facts.js';
import { type FileContext, findProp, firstString, importedName, moduleOf, optionsArg } from './file-context.js';

export type Side = 'server' | 'client';

export interface EntryHit extends Entrypoint {
  side: Side;
  transport: Transport | null;
  provider: string | null;
  /** The call that opened it, for option checks (null for string-based hits). */
  call: CallFact | null;
  /** Further transports the call itself lists (a client SDK's opt-in fallbacks). */
  alsoTransports?: Transport[];
}

interface CallPattern {
  kind: string;
  side: Side;
  transport: Transport | null;
  provider?: string;
  match: (c: CallFact, ctx: FileContext) => boolean;
  /** Transports the call lists beyond `transport`, read from its arguments. */
  also?: (c: CallFact) => Transport[];
}

const from = (ctx: FileContext, c: CallFact, ...mods: string[]): boolean => mods.includes(moduleOf(ctx, c.path) ?? '');
const isRequireOf = (c: CallFact, mod: string): boolean => c.path === 'require()' && firstString(c.calleeArgs?.[0]) === mod;
const WS_SERVER_NAMES = new Set(['WebSocketServer', 'Server']);

export const CALL_PATTERNS: readonly CallPattern[] = [
  {
    kind: 'socket-server',
    side: 'server',
    transport: 'socket.io',
    match: (c, ctx) =>
      (from(ctx, c, 'socket.io') && (c.isNew || c.path.split('.').length === 1) && importedName(ctx, c.path) !== 'Socket') || isRequireOf(c, 'socket.io'),
  },
  {
    kind: 'ws-server',
    side: 'server',
    transport: 'websocket',
    match: (c, ctx) =>
      c.isNew && from(ctx, c, 'ws') && (WS_SERVER_NAMES.has(c.method) || (WS_SERVER_NAMES.has(importedName(ctx, c.path) ?? '') && !c.path.includes('.'))),
  },
  {
    kind: 'ws-server',
    side: 'server',
    transport: 'websocket',
    match: (c) => !c.isNew && ['get', 'route', 'all'].includes(c.method) && findProp(c.args, 'websocket')?.bool === true,
  },
  {
    kind: 'ws-server',
    side: 'server',
    transport: 'websocket',
    match: (c, ctx) => !c.isNew && c.method === 'ws' && ctx.sources.has('uWebSockets.js') && c.args[1]?.kind === 'object',
  },
  {
    kind: 'ws-client',
    side: 'client',
    transport: 'websocket',
    match: (c, ctx) =>
      c.isNew && (c.path === 'WebSocket' || c.path === 'window.WebSocket') && (moduleOf(ctx, c.path) === null || from(ctx, c, 'ws', 'isomorphic-ws')),
  },
  { kind: 'ws-client', side: 'client', transport: 'websocket', match: (c, ctx) => c.isNew && from(ctx, c, 'reconnecting-websocket', 'partysocket') },
  {
    kind: 'ws-client',
    side: 'client',
    transport: 'websocket',
    match: (c, ctx) => !c.isNew && from(ctx, c, 'react-use-websocket') && /^useWebSocket$|^useSocketIO$|^default$/.test(importedName(ctx, c.path) ?? ''),
  },
  {
    kind: 'socket-client',
    side: 'client',
    transport: 'socket.io',
    match: (c, ctx) =>
      from(ctx, c, 'socket.io-client') && ['io', 'connect', 'default', 'Manager', '*'].includes(importedName(ctx, c.path) ?? '') && c.method !== 'on',
  },
  {
    // The browser bundle a Socket.IO server serves at /socket.io/socket.io.js defines a global
    // `io`: `const socket = io(...)` with no import of `io` is that client (reconnects by default).
    kind: 'socket-client',
    side: 'client',
    transport: 'socket.io',
    match: (c, ctx) => !c.isNew && c.path === 'io' && moduleOf(ctx, 'io') === null && ctx.facts.vars.some((v) => v.init === 'io()' && v.line === c.line),
  },
  {
    kind: 'sse-endpoint',
    side: 'server',
    transport: 'sse',
    match: (c, ctx) => !c.isNew && (c.method === 'streamSSE' || (c.method === 'createSession' && ctx.sources.has('better-sse'))),
  },
  {
    kind: 'sse-client',
    side: 'client',
    transport: 'sse',
    match: (c, ctx) => c.isNew && c.path === 'EventSource' && (moduleOf(ctx, c.path) === null || from(ctx, c, 'eventsource')),
  },
  { kind: 'sse-client', side: 'client', transport: 'sse', match: (c, ctx) => !c.isNew && from(ctx, c, '@microsoft/fetch-event-source') },
  {
    kind: 'webrtc-peer',
    side: 'client',
    transport: 'webrtc',
    match: (c) => c.isNew && (c.path === 'RTCPeerConnection' || c.path === 'window.RTCPeerConnection'),
  },
  { kind: 'webrtc-peer', side: 'client', transport: 'webrtc', match: (c, ctx) => c.isNew && from(ctx, c, 'simple-peer', 'peerjs') },
  {
    kind: 'provider-client',
    side: 'client',
    transport: 'websocket',
    provider: 'supabase-realtime',
    match: (c, ctx) =>
      !c.isNew && c.method === 'channel' && firstString(c.args[0]) !== null && (ctx.sources.has('@supabase/supabase-js') || /supabase/i.test(c.path)),
  },
  {
    kind: 'provider-client',
    side: 'client',
    transport: 'webrtc',
    provider: 'livekit',
    match: (c, ctx) => c.isNew && from(ctx, c, 'livekit-client') && c.method === 'Room',
  },
  {
    kind: 'token-route',
    side: 'server',
    transport: null,
    provider: 'livekit',
    match: (c, ctx) => c.isNew && from(ctx, c, 'livekit-server-sdk') && c.method === 'AccessToken',
  },
  { kind: 'provider-client', side: 'client', transport: 'websocket', provider: 'gemini-live', match: (c) => !c.isNew && /\.live\.connect$/.test(c.path) },
  { kind: 'token-route', side: 'server', transport: null, provider: 'gemini-live', match: (c) => !c.isNew && /\.authTokens\.create$/.test(c.path) },
  {
    kind: 'token-route',
    side: 'server',
    transport: null,
    provider: 'openai-realtime',
    match: (c) => !c.isNew && /realtime\.(clientSecrets|sessions|client_secrets)\.create$/.test(c.path),
  },
  {
    kind: 'provider-client',
    side: 'client',
    transport: 'webrtc',
    provider: 'openai-realtime',
    match: (c, ctx) => c.isNew && from(ctx, c, '@openai/agents', '@openai/agents-realtime') && c.method === 'RealtimeSession',
  },
  {
    kind: 'provider-client',
    side: 'client',
    transport: 'websocket',
    provider: 'openai-realtime',
    match: (c, ctx) => c.isNew && from(ctx, c, 'openai') && /^OpenAIRealtime(WebSocket|WS)$/.test(c.method),
  },
  { kind: 'provider-client', side: 'client', transport: 'websocket', provider: 'pusher', match: (c, ctx) => c.isNew && from(ctx, c, 'pusher-js') },
  // `new Pusher.Token(key, secret)` only signs strings (a Pusher-protocol server computes its own auth
  // signatures with it): it never talks to Pusher's service.
  {
    kind: 'provider-server',
    side: 'server',
    transport: null,
    provider: 'pusher',
    match: (c, ctx) => c.isNew && from(ctx, c, 'pusher') && c.method !== 'Token',
  },
  {
    kind: 'token-route',
    side: 'server',
    transport: null,
    provider: 'pusher',
    match: (c, ctx) => !c.isNew && ctx.sources.has('pusher') && /^(authorizeChannel|authenticateUser|authenticate)$/.test(c.method),
  },
  {
    kind: 'provider-client',
    side: 'client',
    transport: 'websocket',
    provider: 'ably',
    // A Realtime client holding the API key on the server is the server SDK (model/adapters/ably.ts).
    match: (c, ctx) => c.isNew && from(ctx, c, 'ably') && /Realtime/.test(c.path) && !(optionsArg(c)?.props?.key !== undefined && onServer(ctx)),
  },
  {
    kind: 'token-route',
    side: 'server',
    transport: null,
    provider: 'ably',
    match: (c, ctx) => !c.isNew && ctx.sources.has('ably') && c.method === 'createTokenRequest',
  },
  // centrifuge-js: `new Centrifuge(url, { getToken })` connects to a Centrifugo server (centrifugal.dev/docs/transports/client_sdk).
  // Its first argument is the URL, or a list of `{ transport, endpoint }` to try in order: only a listed
  // `sse` adds SSE (centrifugal.dev/docs/transports/client_sdk#bidirectional-emulation).
  {
    kind: 'provider-client',
    side: 'client',
    transport: 'websocket',
    provider: 'centrifugo',
    match: (c, ctx) => c.isNew && from(ctx, c, 'centrifuge'),
    also: (c) => (c.args[0]?.kind === 'array' && c.args[0].items?.some((i) => i.props?.transport?.str === 'sse') ? ['sse'] : []),
  },
];

const OPENAI_REALTIME_URL = /api\.openai\.com\/v1\/realtime/;
const ROUTE_FILE = /(^|\/)(app\/.*\/route|pages\/api\/.*)\.[cm]?[jt]sx?$/;

function stringHits(ctx: FileContext): EntryHit[] {
  const hits: EntryHit[] = [];
  const { facts, file } = ctx;
  for (const s of facts.strings) {
    if (s.value === 'text/event-stream' && !/^accept$/i.test(s.key ?? '')) {
      hits.push({ file, line: s.line, kind: 'sse-endpoint', side: 'server', transport: 'sse', provider: null, call: null });
    }
    if (OPENAI_REALTIME_URL.test(s.value)) {
      const minting = /client_secrets|\/sessions/.test(s.value);
      hits.push({
        file,
        line: s.line,
        kind: minting ? 'token-route' : 'provider-client',
        side: minting ? 'server' : 'client',
        transport: minting ? null : facts.calls.some((c) => c.path === 'RTCPeerConnection') ? 'webrtc' : 'websocket',
        provider: 'openai-realtime',
        call: null,
      });
    }
  }
  // An accept header of text/event-stream is a fetch-based SSE client, not a server.
  const accepting = facts.strings.find((s) => s.value === 'text/event-stream' && /^accept$/i.test(s.key ?? ''));
  if (accepting) hits.push({ file, line: accepting.line, kind: 'sse-client', side: 'client', transport: 'sse', provider: null, call: null });
  if (ROUTE_FILE.test(file) && !hits.some((h) => h.kind === 'sse-endpoint')) {
    const stream = facts.calls.find((c) => c.isNew && /^(ReadableStream|TransformStream)$/.test(c.path));
    if (stream && facts.calls.some((c) => c.isNew && c.path === 'Response')) {
      hits.push({ file, line: stream.line, kind: 'stream-route', side: 'server', transport: null, provider: null, call: stream });
    }
  }
  return hits;
}

/** Entrypoints of one file, deduplicated by line and kind. */
export function detectEntrypoints(ctx: FileContext): EntryHit[] {
  const hits: EntryHit[] = [];
  for (const c of ctx.facts.calls) {
    for (const p of CALL_PATTERNS) {
      if (!p.match(c, ctx)) continue;
      const also = p.also?.(c) ?? [];
      hits.push({
        file: ctx.file,
        line: c.line,
        kind: p.kind,
        side: p.side,
        transport: p.transport,
        provider: p.provider ?? null,
        call: c,
        ...(also.length > 0 ? { alsoTransports: also } : {}),
      });
      break;
    }
  }
  hits.push(...stringHits(ctx), ...adapterEntries(ctx));
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.line}:${h.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Options object for an entrypoint's call, if any. */
export function entryOptions(hit: EntryHit): ReturnType<typeof optionsArg> {
  return hit.call ? optionsArg(hit.call) : null;
}
