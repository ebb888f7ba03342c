// What the Implementation steps and the edge cases say per wire and per reconnect policy: the
// server module's contents, the auth module, the cross-node adapter, the load-test tool and how
// a reconnect storm is spread. steps.ts looks these up instead of comparing transport or
// library names (slow consumers and token expiry are edge-cases.ts's, from the protocol and
// transport profiles).
import type { Transport } from '../../types.js';
import type { PolicyKind } from '../connection-providers.js';
import type { DesignCtx } from '../context.js';
import { code, fmt } from '../md.js';

export interface StepTexts {
  /** What the inline setup is called when the plan moves it into the new server module. */
  setupNoun: string;
  /** The auth module's contents when the project has no auth to extend. */
  authWhy: string;
  /** The same where the requests it checks are the stream and the POST routes the plan names (`posts`, null when none). */
  authWhyPosts?: (posts: string | null) => string;
  /** The cross-node adapter module and the packages it adds. */
  adapterWhy: string;
  adapterPackages: string[];
  /** The load-test script and its tool. */
  loadFile: string;
  /** The server module holds SSE framing helpers rather than a socket library's setup. */
  sseHelpers?: true;
  /** How a server-initiated close adds a random delay, when the wire (not the client library) sets it. */
  stormDelayMd?: string;
}

export const STEP_TEXTS: Record<Transport, StepTexts> = {
  'socket.io': {
    setupNoun: 'socket',
    authWhy: 'the credential check at the handshake that Connection management names, Origin allow-list',
    adapterWhy: '`@socket.io/redis-adapter` (or the sharded adapter)',
    adapterPackages: ['@socket.io/redis-adapter', 'redis'],
    loadFile: 'load/realtime.artillery.yml',
  },
  websocket: {
    setupNoun: 'socket',
    authWhy: 'the credential check at the handshake that Connection management names, Origin allow-list',
    adapterWhy: 'Redis pub/sub fan-out per channel',
    adapterPackages: ['redis'],
    loadFile: 'load/realtime.k6.js',
  },
  sse: {
    setupNoun: 'stream',
    authWhy: 'session check on the stream request and on every POST, Origin check on POSTs',
    authWhyPosts: (posts) =>
      posts ? `session check on the stream request and on ${posts}, Origin check on the latter` : 'session check on the stream request',
    adapterWhy: 'Redis pub/sub fan-out per channel',
    adapterPackages: ['redis'],
    loadFile: 'load/realtime.k6.js',
    sseHelpers: true,
    stormDelayMd: `(the server sends a random ${code('retry:')} in that range before it ends a drained stream)`,
  },
  webrtc: {
    setupNoun: 'socket',
    authWhy: 'the credential check at the handshake that Connection management names, Origin allow-list',
    adapterWhy: 'Redis pub/sub fan-out per channel',
    adapterPackages: ['redis'],
    loadFile: 'load/realtime.k6.js',
  },
  'long-polling': {
    setupNoun: 'socket',
    authWhy: 'the credential check at the handshake that Connection management names, Origin allow-list',
    adapterWhy: 'Redis pub/sub fan-out per channel',
    adapterPackages: ['redis'],
    loadFile: 'load/realtime.k6.js',
  },
};

export function stepTexts(ctx: Pick<DesignCtx, 'transport'>): StepTexts {
  return STEP_TEXTS[ctx.transport];
}

/** Per reconnect policy: how its first attempt is spread, and how a server-initiated close adds a random delay. */
export const STORM: Record<PolicyKind, { firstMd: (lo: number, hi: number, baseMs: number) => string; delayMd: string; ownDelay?: true }> = {
  'socket.io': {
    firstMd: (lo, hi, base) => `Socket.IO's first attempt waits ${fmt(lo)}–${fmt(hi)} ms (±50% around ${fmt(base)} ms)`,
    delayMd: `on ${code('io server disconnect')}`,
    ownDelay: true,
  },
  'y-websocket': {
    firstMd: (_lo, hi) => `${code('WebsocketProvider')} retries after exactly ${fmt(hi)} ms, with no jitter at all`,
    delayMd: `(${code('WebsocketProvider')} has no jitter option: on ${code('connection-close')} call ${code('provider.disconnect()')}, then ${code('provider.connect()')} after the delay)`,
    ownDelay: true,
  },
  'sse-retry': {
    firstMd: (lo, hi) => `EventSource retries after the \`retry:\` value, ${fmt(lo)}–${fmt(hi)} ms`,
    delayMd: `(the server sends a random ${code('retry:')} in that range before it ends a drained stream)`,
    ownDelay: true,
  },
  'full-jitter': {
    firstMd: (_lo, hi) => `full jitter draws the first attempt from [0, ${fmt(hi)} ms]`,
    delayMd: 'on close codes 1001/1012',
  },
  supabase: {
    firstMd: (_lo, hi) => `full jitter draws the first attempt from [0, ${fmt(hi)} ms]`,
    delayMd: 'on close codes 1001/1012',
  },
};

/** A library version the plan upgrades before building on it (Socket.IO 2.x cannot talk to 4.x clients without `allowEIO3`). */
export const UPGRADES: readonly {
  library: string;
  from: RegExp;
  title: string;
  packagesMd: string;
  serverMd: string;
  detailMd: string;
}[] = [
  {
    library: 'socket.io',
    from: /^[\^~]?2\./,
    title: 'Upgrade Socket.IO 2.x to 4.x',
    packagesMd: '`socket.io` ^4, `socket.io-client` ^4',
    serverMd: '`new Server(httpServer, { allowEIO3: true, cors })`',
    detailMd: 'Ship the server first with `allowEIO3: true`, then the clients, then remove the flag.',
  },
];

/**
 * What a new library brings with it into the manifest, where adding its name alone would not run:
 * peer dependencies and the packages the plan's own code imports next to it. From the registry's
 * package.json of each version: y-websocket 3.x has `yjs ^13.5.6` as a peer dependency and ships only
 * the client; `@y/websocket-server` 0.1.1 takes `yjs ^13.5.6` as a peer (ws optional), while 0.1.5
 * depends on a `yjs` 14 pre-release (https://www.npmjs.com/package/@y/websocket-server?activeTab=versions).
 */
export const LIBRARY_PACKAGES_MD: Readonly<Record<string, string>> = {
  'y-websocket': `add ${code('y-websocket')} (3.x, the client provider) with ${code('yjs')} 13.x, its peer dependency; ${code('@y/websocket-server')} 0.1.1 for the server (its peer is ${code('yjs')} ^13.5.6: 0.1.5 depends on a ${code('yjs')} 14 pre-release, which would put two ${code('yjs')} versions on the two sides of one document); ${code('ws')}, which the upgrade routing and the load test import; and ${code('y-indexeddb')} for offline edits across reloads`,
};

/** Libraries whose server is a document server of their own (the handler registry and protocol are theirs). */
export const DOCUMENT_SERVERS: ReadonlySet<string> = new Set(['y-websocket']);

/**
 * A framework that creates the Socket.IO server itself: NestJS's IoAdapter builds it from the
 * `@WebSocketGateway` options, so server options go in the decorator and the Redis adapter in an
 * IoAdapter subclass registered in the bootstrap (https://docs.nestjs.com/websockets/adapter).
 */
export interface FrameworkSteps {
  /** The gateway change that replaces a server module of ours. */
  gatewayWhy: (capMd: string) => string;
  gatewayDetailMd: string;
  /** The adapter module's file name and contents. */
  adapterFile: string;
  adapterWhy: string;
  /** The bootstrap file, by its conventional name, and what changes in it. */
  bootstrap: RegExp;
  bootstrapWhy: string;
  bootstrapMissingMd: string;
  /**
   * Where the drain goes when the code only switches on the framework's shutdown hooks (`at`):
   * a hook the framework awaits, not a signal handler of ours.
   */
  shutdownHooksMd: (at: string) => string;
}

const NEST_STEPS: FrameworkSteps = {
  gatewayWhy: (cap) =>
    `the ${code('@WebSocketGateway')} options, which Nest's ${code('IoAdapter')} passes to the Socket.IO ${code('Server')} it creates: ${code('maxHttpBufferSize')} (${cap}) and the heartbeat (${code('pingInterval')}, ${code('pingTimeout')}); the ${code('@SubscribeMessage')} methods stay the handler registry`,
  gatewayDetailMd: `Nest creates the Socket.IO server from the gateway: no server module of ours and no ${code('new Server()')}.`,
  adapterFile: 'redis-io.adapter',
  adapterWhy: `${code('RedisIoAdapter extends IoAdapter')}: ${code('connectToRedis()')} connects the pub and sub clients and builds ${code('createAdapter(pubClient, subClient)')}; ${code('createIOServer(port, options)')} calls ${code('super.createIOServer')} and then ${code('server.adapter(…)')}`,
  bootstrap: /(^|\/)main\.[cm]?[jt]s$/,
  bootstrapWhy: `after ${code('NestFactory.create')}: ${code('const redisIoAdapter = new RedisIoAdapter(app); await redisIoAdapter.connectToRedis(); app.useWebSocketAdapter(redisIoAdapter);')} before ${code('app.listen')}`,
  bootstrapMissingMd: `The adapter is registered with ${code('app.useWebSocketAdapter(redisIoAdapter)')} in the file that calls ${code('NestFactory.create')}, after ${code('await redisIoAdapter.connectToRedis()')} and before ${code('app.listen')}; rt-plan found no ${code('main')} file to name.`,
  // https://docs.nestjs.com/fundamentals/lifecycle-events: on the signal Nest runs onModuleDestroy, then
  // beforeApplicationShutdown (awaited), then app.close() closes every connection, then onApplicationShutdown.
  shutdownHooksMd: (at) =>
    ` The code switches on Nest's shutdown hooks at ${code(at)} (${code('app.enableShutdownHooks()')}): that call is not a handler to put the drain in. The drain goes in a ${code('beforeApplicationShutdown()')} hook of the gateway (or of a provider that holds the server), which Nest awaits on SIGTERM before ${code('app.close()')} closes the Socket.IO server and with it every socket still open, all at once; so the drain must have closed them by the time that hook returns.`,
};

/** Libraries (by package) whose framework creates the socket server, riding on a wire. */
const FRAMEWORK_STEPS: Record<string, { rides: Transport; steps: FrameworkSteps }> = {
  '@nestjs/platform-socket.io': { rides: 'socket.io', steps: NEST_STEPS },
};

export function frameworkSteps(ctx: Pick<DesignCtx, 'transport' | 'input'>): FrameworkSteps | null {
  const names = new Set(
    ctx.input.analysis.stack.libraries.map((l) => l.name).concat(ctx.input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies))),
  );
  for (const [name, f] of Object.entries(FRAMEWORK_STEPS)) if (names.has(name) && f.rides === ctx.transport) return f.steps;
  return null;
}
