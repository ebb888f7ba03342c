// What each wire gives the event protocol by itself, as data the Event protocol section and the
// scenarios read instead of comparing transport names: the channel an event without a room
// travels on, how a flow arrow sends, whether events are named in typed maps or framed in an
// envelope, which system events it lacks (acks, liveness), and how an ack travels.
import type { Transport } from '../../types.js';
import { code, fmt } from '../md.js';
import { platformServesSockets } from './index.js';
import { sseServerApi } from './sse-server.js';
import { type Framing, statedFraming } from '../constraints.js';
import { type ChannelServer, channelServer } from './servers.js';
import { type ServedProtocol, servedProtocol } from './served-protocols.js';

export interface ProtocolTraits {
  /** The channel an event travels on when the code names no room or namespace. */
  defaultChannel: string;
  /** That default is a namespace every event travels in (Socket.IO's `/`), not a channel of its own: a join stays in it. */
  namespaceDefault?: true;
  /** A flow arrow's text for sending `event`. */
  send: (event: string, args: string) => string;
  /** Events are named by the library's own API (typed event maps), not framed in our JSON envelope. */
  namedEvents: boolean;
  /**
   * An event carries several arguments (Socket.IO's `emit(event, ...args)`): fields added to an
   * existing event whose payload is one bare value travel as one more argument, not inside it.
   */
  extraArgs: boolean;
  /**
   * Where more arguments would not reach the handler as they do on the wire (NestJS's IoAdapter hands
   * an emit of several arguments to `@MessageBody()` as one array), a bare payload grows into an
   * object instead: the handler accepts it beside today's bare value. Why, in words.
   */
  bareGrowsMd?: string;
  /**
   * A framework that answers a handler's return value itself: NestJS calls the client's ack with a
   * plain return value, but emits `event` to the sender when the handler returns `{ event, data }`
   * (a `WsResponse`) and then never calls the ack. What an acked event whose handler returns
   * `{ event, data }` today must change, in words.
   */
  returnedAckMd?: (o: { handled: string; returned: string; evidence: string; ack: string }) => string;
  /** The wire has no acknowledgement: a plan that acks adds `sys:ack` to the envelope. */
  needsAckEvent: boolean;
  /** Browsers cannot probe liveness on this wire: a plan adds `sys:ping`/`sys:pong` unless the runtime answers pings itself. */
  needsPingEvent: boolean;
  /** What the wire brings itself, so the plan adds no event for it. */
  builtInMd?: string;
  /** How an acknowledgement travels. */
  ackHowMd: string;
  /** How y-protocols messages travel on it. */
  yjsHowMd: string;
  /** The stream resumes by itself with the last event id (EventSource's Last-Event-ID): no replay request of ours. */
  lastEventId: boolean;
  /** Clients send on this wire; false for EventSource, which only receives: client actions are HTTP POSTs. */
  clientSends: boolean;
  /** How a slow consumer is noticed and shed on this wire, given the buffer limits sized from the payload. */
  /** `fetchStream`: the stream is read with fetch (no EventSource), so a shed client resumes with the app's own request. */
  slowMd: (limits: {
    softPackets: number;
    hardPackets: number;
    framework?: string | null;
    softMd?: string;
    hardMd?: string;
    fetchStream?: boolean;
    /** Some event may be dropped under load; false: none is skipped (see BufferLimits). */
    droppable: boolean;
  }) => string;
  /** A library's own application protocol runs on the socket (graphql-ws): it is the envelope, acks, liveness and errors. */
  operations?: OperationWire;
  /** A managed provider's wire (Ably, Pusher): its own event framing, liveness and errors, and no socket of ours. */
  provider?: string;
  /**
   * A real-time server product's channel protocol runs the socket (Centrifugo): clients subscribe
   * to channels on it and receive what our server publishes; it has its own subscribe command,
   * errors and liveness, so no subscribe, ack, ping or error event of ours rides next to it.
   */
  channels?: ChannelServer;
  /**
   * A provider's client protocol our own server speaks (a self-hosted Pusher-compatible server):
   * its SDKs are the clients, so its own subscribe, member, ping and error events carry everything,
   * and no envelope or event of ours rides next to it.
   */
  served?: ServedProtocol;
}

/**
 * A library protocol whose messages are operations of the project's API (GraphQL over graphql-ws):
 * the project's events are its subscription fields and mutations, and the protocol's own messages
 * carry the handshake, liveness and errors. A plan on it adds no envelope, no `sys:*` event and no
 * subscribe event of ours: that would be a second protocol on the same socket.
 */
export interface OperationWire {
  label: string;
  /** The Event protocol line: what the wire carries, so nothing of ours rides next to it. */
  conventionMd: string;
  /** How a client follows one entity's updates (a subscription field with arguments). */
  followMd: (field: string) => string;
  /** How a client action is sent and acknowledged. */
  actionMd: string;
  /** The Error handling section's signals line. */
  signalsMd: string;
  /** How one operation's failure reaches the client, for the error table's Signal column. */
  operationErrorMd: string;
  /** How the client catches up after a reconnect. */
  catchUpMd: string;
  /** The library's call that closes every socket at once, which a drain replaces in a SIGTERM handler. */
  closeAllMd: string;
  /** What a client past the per-connection rate limit gets, in the library's own messages. */
  overLimitMd: string;
  /** The Security section's rule for the socket, given the subscription fields the code declares (`name at file:line`). */
  channelRuleMd: (fields: string[]) => string;
  /** Tests in the library's own terms. */
  tests: (field: string) => string[];
  /** A load-test virtual user that speaks the library's protocol (k6/ws): the script and what it rests on. */
  loadScript: (a: WireLoad) => { code: string; md: string };
}

/** What a load script in the library's protocol needs from the project and the capacity model. */
export interface WireLoad {
  /** The subscription field the virtual users follow, with its arguments as the schema declares them. */
  field: { name: string; args: { name: string; type: string }[]; schema?: string } | null;
  /** The client's subscription document that selects it, where the code has one. */
  document: { text: string; name?: string; variables: { name: string; type: string }[]; evidence: string } | null;
  /** Scalar fields of the payload the schema declares, to select when the code has no document. */
  selection: string[];
  /** The keys the server reads from the handshake payload, each where it is read. */
  params: { name: string; evidence: string }[];
  /** Sends an Origin the server allows (the code checks it at the upgrade). */
  origin: boolean;
  /** How long each virtual user stays connected, in ms. */
  lifetimeMs: number;
  /** Where the room id goes in the variables. */
  roomMark: string;
}

/** A sample value of a GraphQL input type for a required variable: the room id for an ID or String, else a neutral value, null when none fits. */
function sampleVariable(type: string, roomMark: string): unknown {
  const named = type.replace(/[[\]!]/g, '');
  const list = type.startsWith('[');
  const one = named === 'ID' || named === 'String' ? roomMark : named === 'Int' || named === 'Float' ? 0 : named === 'Boolean' ? true : null;
  return one === null ? null : list ? [one] : one;
}

// The graphql-transport-ws messages, from github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md:
// the client opens with the subprotocol, sends ConnectionInit (its payload is `connectionParams`)
// before the server's connectionInitWaitTimeout (3 s by default) or is closed with 4408, waits for
// ConnectionAck, then sends Subscribe with a unique id and { query, variables }; results arrive as
// Next for that id, Error or Complete end it; either side may send Ping and the other must answer Pong.
function graphqlWsLoad(a: WireLoad): { code: string; md: string } {
  const doc = a.document;
  const built =
    !doc && a.field && a.selection.length > 0
      ? `subscription Load${
          a.field.args.some((x) => x.type.endsWith('!'))
            ? `(${a.field.args
                .filter((x) => x.type.endsWith('!'))
                .map((x) => `$${x.name}: ${x.type}`)
                .join(', ')})`
            : ''
        } { ${a.field.name}${
          a.field.args.some((x) => x.type.endsWith('!'))
            ? `(${a.field.args
                .filter((x) => x.type.endsWith('!'))
                .map((x) => `${x.name}: $${x.name}`)
                .join(', ')})`
            : ''
        } { ${a.selection.join(' ')} } }`
      : null;
  const query = doc?.text ?? built;
  const variables = doc ? doc.variables : (a.field?.args ?? []).filter((x) => x.type.endsWith('!'));
  const required = variables.filter((x) => x.type.endsWith('!'));
  const values = Object.fromEntries(required.map((x) => [x.name, sampleVariable(x.type, a.roomMark)]));
  const unfilled = required.filter((x) => values[x.name] === null).map((x) => x.name);
  const params =
    a.params.length > 0 ? `{ ${a.params.map((p) => `${p.name}: __ENV.${p.name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`).join(', ')} }` : '{}';
  const headers = `{ 'Sec-WebSocket-Protocol': 'graphql-transport-ws'${a.origin ? ', Origin: __ENV.ORIGIN' : ''} }`;
  const vars = JSON.stringify(values).replaceAll(JSON.stringify(a.roomMark), 'room');
  const codeText = [
    `import ws from 'k6/ws';`,
    `import { check } from 'k6';`,
    `const ROOMS = Number(__ENV.ROOMS), TARGET = Number(__ENV.TARGET);`,
    `// ${doc ? `The subscription the client sends (${doc.evidence}).` : built ? `Built from the schema's ${a.field!.name} field${a.field!.schema ? ` (${a.field!.schema})` : ''}: the code shows no subscription document.` : 'The code shows no subscription document: put the one the client sends here.'}`,
    `const QUERY = ${JSON.stringify(query ?? '__DOCUMENT__')};`,
    `export const options = {`,
    `  stages: [{ duration: '10m', target: TARGET }, { duration: '10m', target: TARGET }, { duration: '2m', target: 0 }],`,
    `  thresholds: { ws_connecting: ['p(95)<1000'], checks: ['rate>0.9995'] },`,
    `};`,
    `export default function () {`,
    `  const room = 'load-room-' + ((__VU % ROOMS) + 1);`,
    `  const res = ws.connect(__ENV.BASE + __ENV.WS_PATH, { headers: ${headers} }, (socket) => {`,
    `    // connection_init first: the server closes a socket that sends nothing within its init timeout (4408).`,
    `    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: ${params} })));`,
    `    socket.on('message', (raw) => {`,
    `      const msg = JSON.parse(raw);`,
    `      if (msg.type === 'connection_ack') {`,
    `        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { ${doc?.name ? `operationName: ${JSON.stringify(doc.name)}, ` : ''}query: QUERY, variables: ${vars} } }));`,
    `      } else if (msg.type === 'ping') {`,
    `        socket.send(JSON.stringify({ type: 'pong' }));`,
    `      } else if (msg.type === 'next') {`,
    `        check(msg, { 'result without errors': (m) => m.id === '1' && !m.payload.errors });`,
    `      } else if (msg.type === 'error' || msg.type === 'complete') {`,
    `        check(msg, { 'subscription kept': () => false });`,
    `      }`,
    `    });`,
    `    socket.setTimeout(() => {`,
    `      socket.send(JSON.stringify({ id: '1', type: 'complete' }));`,
    `      socket.close();`,
    `    }, ${a.lifetimeMs});`,
    `  });`,
    `  check(res, { 'upgraded (101)': (r) => r && r.status === 101 });`,
    `}`,
  ].join('\n');
  const paramsMd =
    a.params.length > 0
      ? `its payload carries the ${a.params.map((p) => `${code(p.name)} the server reads from ${code('connectionParams')} (${p.evidence})`).join(', ')}, a staging value in ${a.params.map((p) => code(`__ENV.${p.name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`)).join(', ')}`
      : `the code shows no ${code('connectionParams')} key the server reads, so its payload is empty`;
  const md = `Each virtual user speaks graphql-ws's ${code('graphql-transport-ws')} protocol: it opens the socket with that subprotocol, sends ${code('connection_init')} at once (${paramsMd}), waits for ${code('connection_ack')}, then sends one ${code('subscribe')} with id ${code('1')} and ${doc ? `the client's ${code(doc.name ?? 'subscription')} document (${doc.evidence})` : built ? `a document built from the schema's ${code(a.field!.name)} field${a.field!.schema ? ` (${a.field!.schema})` : ''}, since the code shows none` : `the subscription document the client sends (the code shows none: fill in ${code('QUERY')})`}${required.length > 0 ? `, its ${required.map((x) => code(`$${x.name}`)).join(', ')} set to the virtual user's room, spread over ${code('ROOMS')}` : ''}${unfilled.length > 0 ? ` (set ${unfilled.map((x) => code(`$${x}`)).join(', ')} by hand: no sample value fits its type)` : ''}; it answers every ${code('ping')} with ${code('pong')}, counts each ${code('next')} without ${code('errors')}, and ends with ${code('complete')} before closing. ${code('WS_PATH')} is the path the server upgrades on.${a.params.length > 0 && required.length > 0 ? ` One staging credential for every virtual user holds only while the server lets any credential follow any room: once it checks the room against the credential (Security), mint one per room in ${code('setup()')} and pick the virtual user's by its room.` : ''}`;
  return { code: codeText, md };
}

// github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md (message types and close codes) and
// the-guild.dev/graphql/ws/docs (ServerOptions.onSubscribe: returned GraphQLErrors go to the client as an `error` message;
// an operation that fails while executing, a resolver that throws, comes back as `next` with `errors`, then `complete`).
const GRAPHQL_WS: OperationWire = {
  label: 'graphql-ws',
  conventionMd: `The wire is graphql-ws's ${code('graphql-transport-ws')} protocol and stays the only one on this socket: ${code('connection_init')} / ${code('connection_ack')} open it, ${code('ping')} / ${code('pong')} keep it alive, a ${code('subscribe')} message carries a GraphQL operation, ${code('next')} delivers its results, ${code('error')} reports its GraphQL errors and ${code('complete')} ends it. Server events are fields of the schema's ${code('Subscription')} type, client actions are mutations; no envelope, ${code('sys:ack')}, ${code('sys:ping')} or ${code('sys:error')} of ours rides next to it.`,
  followMd: (field) =>
    `a graphql-ws ${code('subscribe')} message carrying the ${code(field)} subscription with the id it follows as an argument; ${code('complete')} (or closing the socket) ends it`,
  actionMd: `a GraphQL mutation, acknowledged by its result`,
  signalsMd: `graphql-ws's own signals: ${code('onConnect')} returning ${code('false')} closes the socket with ${code('4403 Forbidden')}, a malformed message with ${code('4400')}, a ${code('subscribe')} before ${code('connection_ack')} with ${code('4401')}, a repeated operation id with ${code('4409')} and a second ${code('connection_init')} with ${code('4429')}; one operation refused before it runs (a validation error, or GraphQL errors returned from ${code('onSubscribe')}) gets an ${code('error')} message for its id, one that fails while it runs (a ${code('subscribe')} resolver that throws, a bad variable) a ${code('next')} with ${code('errors')} and then ${code('complete')}; the socket stays open either way.`,
  operationErrorMd: '`error` message for the operation id (refused in `onSubscribe`), or `next` with `errors` then `complete` (failed while running)',
  // github.com/enisdenjo/graphql-ws/blob/v5.16.0/src/use/ws.ts: dispose() closes every client with 1001 'Going away', then the server.
  closeAllMd: `the ${code('dispose()')} of ${code('useServer')}'s result, which closes every socket with 1001 at once and which Apollo Server's ${code('stop()')} runs where a ${code('drainServer')} hook calls it`,
  // github.com/enisdenjo/graphql-ws/blob/v5.16.0/src/client.ts isFatalInternalCloseCode: a 1008 close ends the client without a retry.
  overLimitMd: `over limit → GraphQL errors returned from ${code('onSubscribe')} (an ${code('error')} message for that operation id; the protocol has no message of its own for it), 10 violations in a minute → close with 1008, which graphql-ws's client takes as fatal and does not retry`,
  catchUpMd: `graphql-ws re-sends ${code('connection_init')} and re-subscribes every active operation after a reconnect, but replays nothing: on the client's ${code('connected')} event the screen refetches the queries it shows, so what changed while it was away arrives without a page reload.`,
  // graphql-ws hands the value `context` returns to every operation (the resolver's third argument, withFilter's third).
  channelRuleMd: (fields) =>
    `a verified token at ${code('connection_init')} (${code('onConnect')}); then every ${code('Subscription')} field whose arguments name what it follows (a store, an entity id) must compare them with the identity ${code('context')} built from that token, in ${code('onSubscribe')} or its ${code('subscribe')} resolver (refusing the operation: a ${code('withFilter')} filter runs per event and can only skip it), or any authenticated user can follow anything by changing an argument${fields.length > 0 ? `; rt-plan's reading of the code shows no such comparison for ${fields.join(', ')}: add it there` : ''}`,
  tests: (field) => [
    `two clients subscribed to ${code(field)} with different arguments: each receives only the changes its arguments select`,
    `${code('complete')} and closing the socket both end the operation (the resolver's async iterator is returned)`,
    `a ${code('subscribe')} before ${code('connection_ack')} closes with 4401, a malformed message with 4400, a refused token with 4403`,
  ],
  loadScript: graphqlWsLoad,
};

/** Libraries whose protocol runs the socket, by package name. */
export const OPERATION_WIRES: Readonly<Record<string, OperationWire>> = { 'graphql-ws': GRAPHQL_WS };

const BUFFERED = (l: { softMd?: string; hardMd?: string; droppable: boolean }) =>
  l.droppable
    ? `Watch ${code('ws.bufferedAmount')}: above ${l.softMd ?? '1 MiB'} drop droppable events, above ${l.hardMd ?? '4 MiB'} disconnect so the client reconnects and resyncs.`
    : `Watch ${code('ws.bufferedAmount')}: above ${l.hardMd ?? '4 MiB'} disconnect so the client reconnects and resyncs; this plan has no droppable events, so none is skipped before that.`;

const WS: ProtocolTraits = {
  defaultChannel: 'ws',
  send: (event, args) => `{type: ${event}} ${args}`,
  namedEvents: false,
  extraArgs: false,
  needsAckEvent: true,
  needsPingEvent: true,
  builtInMd: 'a plain WebSocket has no acks, and browsers cannot send ping frames',
  ackHowMd: `a client ${code('id')} in the envelope and a ${code('sys:ack')} with ${code('replyTo')}; the client times out after 5 s`,
  yjsHowMd: 'binary frames on our own document endpoint',
  lastEventId: false,
  clientSends: true,
  slowMd: BUFFERED,
};

const BY_TRANSPORT: Record<Transport, ProtocolTraits> = {
  'socket.io': {
    defaultChannel: '/',
    namespaceDefault: true,
    send: (event, args) => `emit ${event} ${args}`,
    namedEvents: true,
    // https://socket.io/docs/v4/emitting-events/: "You can send any number of arguments".
    extraArgs: true,
    needsAckEvent: false,
    needsPingEvent: false,
    builtInMd: 'acks and heartbeats are Socket.IO’s own',
    ackHowMd: `Socket.IO acknowledgements with a timeout: ${code('socket.timeout(5000).emit(event, payload, (err, res) => …)')}`,
    yjsHowMd: 'binary Socket.IO events on the document room',
    lastEventId: false,
    clientSends: true,
    slowMd: (l) =>
      l.droppable
        ? `Watch ${code('socket.conn.writeBuffer.length')} (queued Engine.IO packets, not bytes): above ${fmt(l.softPackets)} packets (≈ ${l.softMd ?? '1 MiB'} at the average payload) send droppable events with ${code('socket.volatile.emit')}, above ${fmt(l.hardPackets)} disconnect so the client reconnects and resyncs.`
        : `Watch ${code('socket.conn.writeBuffer.length')} (queued Engine.IO packets, not bytes): above ${fmt(l.hardPackets)} packets (≈ ${l.hardMd ?? '4 MiB'} at the average payload) disconnect so the client reconnects and resyncs; this plan has no droppable events, so none is sent volatile.`,
  },
  websocket: WS,
  sse: {
    defaultChannel: 'stream',
    send: (event, args) => `event: ${event} ${args}`,
    namedEvents: false,
    extraArgs: false,
    needsAckEvent: false,
    needsPingEvent: false,
    builtInMd: 'client actions are POSTs answered by their HTTP response, and EventSource reconnects by itself',
    ackHowMd: 'the HTTP response of the POST that carries the client action',
    yjsHowMd: 'binary frames on our own document endpoint',
    lastEventId: true,
    clientSends: false,
    // In the project's web framework's own API: Node's res.write()/'drain', Hono's awaited stream.writeSSE().
    slowMd: (l) =>
      sseServerApi(l.framework ?? null).slowMd(
        l.fetchStream ? 'with the explicit resume request from the last chunk index' : 'with Last-Event-ID',
        l.droppable,
      ),
  },
  webrtc: {
    ...WS,
    defaultChannel: 'data-channel',
    needsAckEvent: false,
    needsPingEvent: false,
    builtInMd: undefined,
    ackHowMd: 'the reply event named in the table',
  },
  'long-polling': {
    ...WS,
    defaultChannel: 'ws',
    needsAckEvent: false,
    needsPingEvent: false,
    builtInMd: undefined,
    ackHowMd: 'the reply event named in the table',
  },
};

/**
 * A framing the context keeps (`{ event, data }`): frames are drawn in its keys, and an ack's id
 * rides inside its payload key, so the envelope keeps exactly the keys the team stated.
 */
function withFraming(base: ProtocolTraits, framing: Framing | undefined): ProtocolTraits {
  if (!framing) return base;
  const { nameKey, dataKey } = framing;
  return {
    ...base,
    send: (event, args) => `{${nameKey}: ${event}} ${args}`,
    ackHowMd: `a client ${code('id')} inside ${code(dataKey)} and a ${code('sys:ack')} whose ${code(dataKey)} carries ${code('replyTo')}; the client times out after 5 s`,
  };
}

/** Server libraries that carry their own protocol on the wire: no envelope of ours rides next to it. */
const OWN_PROTOCOL_LIBRARIES = new Set(['y-websocket']);

/**
 * Managed pub/sub providers with their own wire protocol: every message is an event name plus its
 * data, published by our server's SDK call and delivered by the provider's SDK, which also keeps
 * the connection alive. No envelope, ack event or ping of ours rides on it; a client action goes
 * to one of our HTTP routes, whose response is its acknowledgement.
 */
const PROVIDER_WIRES: Record<string, { label: string; publishMd: string }> = {
  // pusher.com/docs/channels/server_api/http-api (trigger), …/using_channels/events (bind, client events).
  pusher: { label: 'Pusher Channels', publishMd: `${code('pusher.trigger(channel, event, data)')} from our server` },
  // ably.com/docs/pub-sub (channel.publish(name, data)).
  ably: { label: 'Ably', publishMd: `${code('channel.publish(name, data)')}` },
};

function providerWire(base: ProtocolTraits, w: { label: string; publishMd: string }): ProtocolTraits {
  return {
    ...base,
    provider: w.label,
    send: (event, args) => `trigger ${event} ${args}`,
    needsAckEvent: false,
    needsPingEvent: false,
    builtInMd: `${w.label} carries each event as its name and data (${w.publishMd}), with no envelope of ours, and its SDK keeps the connection alive; no socket of ours carries an error event: what a client sends on a channel goes to ${w.label}, and a change to our data is an HTTP request to our routes, answered by its status`,
    ackHowMd: 'the HTTP response of our route that takes the client action; the client times out after 5 s',
    slowMd: () => `${w.label} delivers to each subscriber and sheds slow ones itself: our servers hold no socket buffer to watch.`,
  };
}

export function protocolTraits(ctx: {
  transport: Transport;
  library?: string | null;
  scenarios?: readonly string[];
  input?: Parameters<typeof statedFraming>[0]['input'];
}): ProtocolTraits {
  const base = withFraming(BY_TRANSPORT[ctx.transport] ?? WS, ctx.transport === 'websocket' && ctx.input ? statedFraming({ input: ctx.input }) : undefined);
  const ops =
    ctx.transport === 'websocket'
      ? [ctx.library, ...(ctx.input?.analysis.stack.libraries.map((l) => l.name) ?? [])]
          .map((n) => (n ? OPERATION_WIRES[n] : undefined))
          .find((w) => w !== undefined)
      : undefined;
  if (ops)
    return {
      ...BY_TRANSPORT.websocket,
      send: (event, args) => `subscribe ${event}(${args})`,
      needsAckEvent: false,
      needsPingEvent: false,
      builtInMd: undefined,
      ackHowMd: 'the result of the mutation (or the `next` / `error` message for the operation id)',
      operations: ops,
    };
  const wire = ctx.transport === 'websocket' ? ctx.input?.analysis.stack.providers.map((p) => PROVIDER_WIRES[p]).find((w) => w !== undefined) : undefined;
  if (wire) return providerWire(base, wire);
  const served = ctx.transport === 'websocket' && ctx.input ? servedProtocol(ctx.input) : null;
  if (served)
    return {
      ...base,
      send: (event, args) => `{event: ${event}} ${args}`,
      needsAckEvent: false,
      needsPingEvent: false,
      builtInMd: `${served.label} has its own subscribe reply, ${code(served.events.ping)} / ${code(served.events.pong)} and ${code(served.events.error)}`,
      ackHowMd: `the protocol's own reply to ${code(served.events.subscribe)} (${code('pusher_internal:subscription_succeeded')} or ${code('pusher:subscription_error')})`,
      served,
    };
  const server = ctx.transport === 'websocket' && ctx.input ? channelServer(ctx.input) : null;
  if (server)
    return {
      ...base,
      send: (event, args) => `publish ${event} ${args}`,
      needsAckEvent: false,
      needsPingEvent: false,
      builtInMd: undefined,
      ackHowMd: `the HTTP response of ${server.label}'s server API to our publish, and ${server.label}'s own reply to each subscribe command`,
      slowMd: () => `${server.label} holds every socket and its per-client queue (a setting in its config file): our servers hold no socket buffer to watch.`,
      channels: server,
    };
  // An AI answer is a text/event-stream read with fetch from the POST (EventSource cannot POST): nothing reconnects by itself.
  if (ctx.transport === 'sse' && ctx.scenarios?.includes('ai-streaming'))
    return {
      ...base,
      builtInMd: 'client actions are POSTs answered by their HTTP response; the answer stream is read with `fetch`, which does not reconnect by itself',
    };
  if (ctx.library && OWN_PROTOCOL_LIBRARIES.has(ctx.library)) return { ...base, needsAckEvent: false, needsPingEvent: false, builtInMd: undefined };
  // https://github.com/nestjs/nest/blob/master/packages/platform-socket.io/adapters/io-adapter.ts (mapPayload)
  if (ctx.transport === 'socket.io' && ctx.input?.analysis.stack.libraries.some((l) => l.name === '@nestjs/websockets'))
    return {
      ...base,
      bareGrowsMd: `Nest's ${code('IoAdapter')} hands an emit of several arguments to ${code('@MessageBody()')} as one array, so the handler would read ${code('[value, { … }]')} where it reads the bare value today`,
      // bindMessageHandlers: `if (response.event) return socket.emit(response.event, response.data); isFunction(ack) && ack(response);`
      // (same file; docs.nestjs.com/websockets/gateways, "Multiple responses").
      returnedAckMd: ({ handled, returned, evidence, ack }) =>
        `The ${code(handled)} handler returns ${code('{ event, data }')} today (${code(evidence)}): Nest then emits ${code(returned)} back to the sender and never calls the client's ack callback, so the ack this plan adds would never arrive and every send would time out. Return the plain ack value (${code(ack)}) instead: Nest passes a return value without ${code('event')} to the ack callback. The sender then learns that its message was stored from the ack, not from ${code(returned)}: ship this with the client change that shows its own message from the ack (pending until it arrives); the others keep receiving ${code(returned)} from the room emit.`,
    };
  return base;
}

/**
 * The runtime gives each room its own object (a Durable Object, a PartyKit room) and a socket
 * connects to its room's URL: opening the socket is the join and closing it the leave, so no
 * join or leave event exists to propose, and a catch-up cursor rides on the URL.
 */
export function roomPerConnection(ctx: { input: Parameters<typeof platformServesSockets>[0] }): boolean {
  return platformServesSockets(ctx.input);
}
