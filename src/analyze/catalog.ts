import type { LibraryKind, Role, Transport } from '../types.js';

export interface CatalogEntry {
  kind: LibraryKind;
  role: Role;
  transports: Transport[];
  /** Managed service the package talks to (PRODUCT.md's `providers` vocabulary). */
  provider?: string;
  /** A piece that lets the real-time layer run on several instances. */
  scaling?: boolean;
  /** General-purpose package: it means real time only when code uses it that way. */
  needsCode?: boolean;
  note?: string;
}

const WS: Transport[] = ['websocket'];
const SIO: Transport[] = ['socket.io'];
const SSE: Transport[] = ['sse'];
const RTC: Transport[] = ['webrtc'];
const ENGINE: Transport[] = ['websocket', 'long-polling'];
const NONE: Transport[] = [];

const lib = (role: Role, transports: Transport[], extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  kind: 'library',
  role,
  transports,
  ...extra,
});
const provider = (name: string, role: Role, transports: Transport[], extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  kind: 'provider',
  role,
  transports,
  provider: name,
  ...extra,
});
const scaling = (transports: Transport[], extra: Partial<CatalogEntry> = {}): CatalogEntry => ({
  kind: 'scaling',
  role: 'server',
  transports,
  scaling: true,
  ...extra,
});
const framework = (role: Role, note?: string): CatalogEntry => ({
  kind: 'framework',
  role,
  transports: NONE,
  ...(note === undefined ? {} : { note }),
});

/**
 * The real-time library catalog, keyed by exact npm package name. Lookups never match a
 * substring or a prefix: `jws`, `wsrun`, `ws-heartbeat` or a transitive `socket.io-parser`
 * are not real-time libraries of the project.
 */
export const CATALOG: Readonly<Record<string, CatalogEntry>> = {
  // Socket.IO and its transport layer
  'socket.io': lib('server', SIO),
  'socket.io-client': lib('client', SIO),
  'engine.io': lib('server', ENGINE, { note: 'the transport layer under Socket.IO' }),
  'engine.io-client': lib('client', ENGINE, { note: 'the transport layer under socket.io-client' }),
  // WebSocket servers and clients
  ws: lib('both', WS, { note: 'WebSocketServer and a Node WebSocket client' }),
  'isomorphic-ws': lib('client', WS),
  websocket: lib('both', WS, { note: 'websocket-node' }),
  'faye-websocket': lib('both', WS),
  sockjs: lib('server', ENGINE, { note: 'SockJS falls back to streaming and polling transports' }),
  'sockjs-client': lib('client', ENGINE),
  '@fastify/websocket': lib('server', WS),
  'fastify-websocket': lib('server', WS, { note: 'deprecated name of @fastify/websocket' }),
  'express-ws': lib('server', WS),
  'uWebSockets.js': lib('server', WS),
  '@nestjs/websockets': lib('server', NONE, {
    note: 'gateway abstraction; the wire protocol comes from the platform adapter',
  }),
  '@nestjs/platform-socket.io': lib('server', SIO),
  '@nestjs/platform-ws': lib('server', WS),
  '@hono/node-ws': lib('server', WS),
  'reconnecting-websocket': lib('client', WS),
  partysocket: lib('client', WS),
  partykit: lib('server', WS, { note: 'PartyKit rooms: each one a Cloudflare Durable Object' }),
  'react-use-websocket': lib('client', WS),
  '@microsoft/signalr': lib('client', ['websocket', 'sse', 'long-polling'], {
    note: 'SignalR client; the hub runs on ASP.NET Core',
  }),
  'graphql-ws': lib('both', WS, { note: 'GraphQL subscriptions over WebSocket' }),
  'subscriptions-transport-ws': lib('both', WS, { note: 'deprecated; replaced by graphql-ws' }),
  // GraphQL subscriptions and AI streaming: the transport comes from what the code does with them
  '@apollo/server': lib('server', NONE, { note: 'subscriptions run on graphql-ws next to it' }),
  '@apollo/client': lib('client', NONE, { note: 'subscriptions through GraphQLWsLink' }),
  'graphql-subscriptions': lib('server', NONE, { note: 'PubSub and asyncIterator behind Subscription resolvers' }),
  mercurius: lib('server', NONE, { note: 'Fastify GraphQL with subscriptions' }),
  ai: lib('server', NONE, { note: 'Vercel AI SDK: streamText answers over SSE' }),
  '@ai-sdk/react': lib('client', NONE, { note: 'useChat reads the AI SDK stream' }),
  // Server-Sent Events
  'better-sse': lib('server', SSE),
  'express-sse': lib('server', SSE),
  'sse-channel': lib('server', SSE),
  eventsource: lib('client', SSE, { note: 'EventSource for Node' }),
  '@microsoft/fetch-event-source': lib('client', SSE),
  'eventsource-parser': lib('client', SSE, { note: 'parses SSE streams read with fetch' }),
  // WebRTC
  'simple-peer': lib('client', RTC),
  peerjs: lib('client', RTC),
  mediasoup: lib('server', RTC, { note: 'SFU' }),
  'mediasoup-client': lib('client', RTC),
  // Managed providers
  'livekit-client': provider('livekit', 'client', RTC),
  'livekit-server-sdk': provider('livekit', 'server', RTC, { note: 'access tokens and room management' }),
  '@livekit/components-react': provider('livekit', 'client', RTC),
  '@supabase/supabase-js': provider('supabase-realtime', 'client', WS, {
    needsCode: true,
    note: 'real time only when code subscribes with .channel()',
  }),
  '@supabase/realtime-js': provider('supabase-realtime', 'client', WS),
  pusher: provider('pusher', 'server', WS, { note: 'server SDK: triggers events over HTTP' }),
  'pusher-js': provider('pusher', 'client', WS),
  ably: provider('ably', 'both', WS),
  firebase: provider('firebase', 'client', WS, {
    needsCode: true,
    note: 'real time only with Firestore onSnapshot or Realtime Database listeners',
  }),
  '@openai/agents-realtime': provider('openai-realtime', 'client', ['webrtc', 'websocket']),
  openai: provider('openai-realtime', 'client', WS, {
    needsCode: true,
    note: 'real time only when code uses the Realtime API',
  }),
  '@google/genai': provider('gemini-live', 'client', WS, {
    needsCode: true,
    note: 'real time only when code opens a Live API session',
  }),
  '@liveblocks/client': provider('liveblocks', 'client', WS),
  // centrifugal.dev/docs/transports/client_sdk: centrifuge-js speaks only the Centrifugo client protocol,
  // so the server it connects to is Centrifugo (or a server built on the Go Centrifuge library), a
  // process the project runs but does not write. It connects over WebSocket unless the code passes a
  // list of transports (`new Centrifuge([{ transport: 'sse', endpoint }, …])`): SSE and HTTP streaming
  // are opt-in fallbacks, so only code that lists them makes them transports of the project (entrypoints.ts).
  centrifuge: provider('centrifugo', 'client', WS, { note: 'client of a Centrifugo server' }),
  // Collaborative editing
  yjs: lib('both', NONE, { note: 'CRDT; the transport comes from a provider such as y-websocket' }),
  'y-websocket': lib('both', WS),
  '@hocuspocus/server': lib('server', WS),
  '@hocuspocus/provider': lib('client', WS),
  'y-webrtc': lib('client', RTC),
  // Scaling
  '@socket.io/redis-adapter': scaling(SIO),
  'socket.io-redis': scaling(SIO, { note: 'deprecated; replaced by @socket.io/redis-adapter' }),
  '@socket.io/redis-streams-adapter': scaling(SIO),
  '@socket.io/cluster-adapter': scaling(SIO),
  '@socket.io/sticky': scaling(SIO, { note: 'sticky sessions for the Node cluster module' }),
  '@socket.io/postgres-adapter': scaling(SIO),
  '@socket.io/mongo-adapter': scaling(SIO),
  ioredis: scaling(NONE, { needsCode: true, note: 'real-time fan-out only when code uses pub/sub' }),
  redis: scaling(NONE, { needsCode: true, note: 'real-time fan-out only when code uses pub/sub' }),
  nats: scaling(NONE, { needsCode: true, note: 'real-time fan-out only when code publishes socket traffic' }),
  // Frameworks and runtimes next to the real-time code
  express: framework('server'),
  fastify: framework('server'),
  koa: framework('server'),
  hono: framework('server'),
  '@nestjs/core': framework('server'),
  next: framework('both'),
  nuxt: framework('both'),
  '@sveltejs/kit': framework('both'),
  react: framework('client'),
  vue: framework('client'),
  svelte: framework('client'),
  vite: framework('client', 'build tool and dev server'),
  electron: framework('both', 'desktop runtime'),
};

/** The catalog entry for an exact package name. */
export function lookupCatalog(name: string): CatalogEntry | undefined {
  return Object.hasOwn(CATALOG, name) ? CATALOG[name] : undefined;
}
