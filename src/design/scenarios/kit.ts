// The shape every scenario module fills in, and small constructors that keep the modules
// as data. A scenario contributes events, flows, sync strategies, risks, tests, errors,
// metrics and implementation steps; buildPlan merges the selected ones in a fixed order.
import type { Direction, EventSpec, Feature, PayloadField } from '../../types.js';
import type { DesignCtx } from '../context.js';
import { protocolTraits } from '../profiles/protocol.js';
import type { CapacityInputs, EdgeCase, Flow, PlanInput, Scenario, StepFile } from '../types.js';

export interface ScenarioNeeds {
  bidirectional: boolean;
  binary: boolean;
  media: boolean;
  rooms: boolean;
}

export interface ScenarioDefaults {
  connections: number;
  msgRate: number;
  payloadBytes: number;
  fanout: number;
  why: string;
  /** Reason per input; a default taken for one input must not justify another that came from the context. */
  whyBy?: Partial<Record<keyof CapacityInputs, string>>;
  /**
   * The published messages are the server's reply to one request (an AI answer's chunks): each
   * open stream delivers `perStream` of them a second, so the message rate is streams open at
   * once × perStream, and clients send requests, not messages at that rate.
   */
  reply?: { perStream: number; unit: string };
}

export interface StepDraft {
  title: string;
  files: StepFile[];
  detailMd: string;
  /** Sets up, guards or scales a server of ours: dropped when the project is a client of someone else's server. */
  ourServer?: true;
}

/** How a client of this scenario catches up and what it may change, for the sync and lifecycle text. */
export interface ResumeSpec {
  /** Event (or header) a reconnecting client sends to catch up. */
  event: string;
  /** The position it sends: a seq, an index, a state vector. */
  cursor: string;
  /** Event that changes state from the client, or null when the client only reads. */
  mutation: string | null;
  /** Idempotency key of that change. */
  key: string | null;
  /** False when the channel has no server seq (Yjs: state vectors replace it); seq, log and gap text must skip it. */
  seq?: boolean;
  /** True when the channel converges by state vectors (Yjs updates commute), not by an order of ours. */
  stateVector?: boolean;
  /** Replaces the generic "replay from a bounded log or snapshot" catch-up sentence for this scenario. */
  catchUpMd?: string;
  /** Replaces the generic optimistic-update/ack-timeout/rollback sentence. */
  optimisticMd?: string;
  /** Lifecycle diagram's catch-up state, when "Catching up (event with cursor)" reads badly. */
  catchUpLabel?: string;
  /** Replaces the generic offline-queue sentence. */
  offlineMd?: string;
  /** What the client catches up with after real time comes back, in Error handling's fallback line, when not `event` (`cursor`). */
  recoverWithMd?: string;
}

export interface ScenarioModule {
  id: Scenario;
  title: string;
  /** The title for what this task asks, where it asks for less than the whole scenario (rooms with presence and no chat). */
  titleFor?: (input: PlanInput) => string;
  features: Feature[];
  /** Words in the task name that select the scenario. */
  words: string[];
  /** Stack providers that select it. */
  providers: string[];
  /**
   * Stack providers that select it only alongside other evidence of the scenario (a requirement,
   * a task word, a library): a LiveKit room carries data messages or a media call as often as a
   * voice agent, so the provider alone does not say which task this is.
   */
  sharedProviders?: string[];
  /** Dependencies that only exist for this scenario (e.g. yjs). */
  libraries?: string[];
  /**
   * Dependencies that confirm a tentative requirement of the scenario (a model SDK for "stream
   * the agent's output") without selecting it alone: a project may hold one for another feature.
   */
  corroboratedBy?: string[];
  /** Existing event names that reveal the scenario when nothing else selected one. */
  eventHint?: RegExp;
  needs: ScenarioNeeds;
  defaults: ScenarioDefaults;
  summaryMd(ctx: DesignCtx): string;
  resume(ctx: DesignCtx): ResumeSpec;
  events(ctx: DesignCtx): EventSpec[];
  flows(ctx: DesignCtx): Flow[];
  sync(ctx: DesignCtx): { data: string; strategy: string; whyMd: string }[];
  risks(ctx: DesignCtx): EdgeCase[];
  tests(ctx: DesignCtx): string[];
  steps(ctx: DesignCtx): StepDraft[];
  /** The scenario's own error codes; a function where they depend on the wire (none where nothing is inbound). */
  errors: ModuleError[] | ((ctx: DesignCtx) => ModuleError[]);
  /** The scenario's metrics; one with `onlyIf` only where that holds (a message-ack histogram only where messages are proposed). */
  metrics: ModuleMetric[] | ((ctx: DesignCtx) => ModuleMetric[]);
  /** Per-instance state that makes "any node, no sticky sessions" routing wrong: how to route instead. Null when none. */
  affinity?(ctx: DesignCtx): string | null;
  /** Scenario-specific SLOs (e.g. time to first token), shown next to the delivery SLOs. */
  slos?(ctx: DesignCtx): { name: string; target: string; sourceMd: string }[];
}

export interface ModuleMetric {
  name: string;
  type: string;
  labels: string;
  whyMd: string;
  onlyIf?: (ctx: DesignCtx) => boolean;
}

/** A module's metrics for this plan. */
export function moduleMetrics(m: ScenarioModule, ctx: DesignCtx): Omit<ModuleMetric, 'onlyIf'>[] {
  return (typeof m.metrics === 'function' ? m.metrics(ctx) : m.metrics).filter((x) => !x.onlyIf || x.onlyIf(ctx)).map(({ onlyIf: _onlyIf, ...x }) => x);
}

export interface ModuleError {
  code: string;
  when: string;
  clientMd: string;
  /** It arises on the stream itself (a resume the stream answers), never on a request of the client's. */
  onStream?: true;
}

/** A module's error codes for this plan. */
export function moduleErrors(m: ScenarioModule, ctx: DesignCtx): ModuleError[] {
  return typeof m.errors === 'function' ? m.errors(ctx) : m.errors;
}

export function f(name: string, type: string, description?: string, optional?: boolean): PayloadField {
  const field: PayloadField = { name, type };
  if (optional) field.optional = true;
  if (description !== undefined) field.description = description;
  return field;
}

export function ev(
  name: string,
  direction: Direction,
  channel: string,
  summary: string,
  payloadType: string,
  payload: PayloadField[],
  ack?: PayloadField[],
): EventSpec {
  const spec: EventSpec = { name, direction, origin: 'proposed', evidence: null, summary, payloadType, payload, channel };
  if (ack) spec.ack = ack;
  return spec;
}

/** Client and server participants every flow shares. */
export function cs(ctx: DesignCtx): { key: string; label: string; actor?: boolean }[] {
  return [
    { key: 'user', label: 'User', actor: true },
    { key: 'client', label: ctx.labels.client },
    { key: 'server', label: ctx.labels.server },
  ];
}

/** How a message is sent on the chosen transport, for flow arrows. */
export function send(ctx: DesignCtx, event: string, args: string): string {
  return protocolTraits(ctx).send(event, args);
}

/** The file a new server module goes to in this project's layout. */
export function serverFile(ctx: DesignCtx, name: string): string {
  return `${ctx.layout.realtimeDir}/${name}.${ctx.layout.ext}`;
}

export function clientFile(ctx: DesignCtx, name: string): string {
  if (ctx.layout.framework === 'next') return `${ctx.layout.realtimeDir}/client/${name}.${ctx.layout.ext}`;
  const dir = ctx.layout.clientDir ?? 'client/src';
  const ext = ctx.layout.clientExt ?? ctx.layout.ext;
  // A client folder already named for real-time code (web/src/realtime) takes the module itself.
  return /(^|\/)(realtime|sockets?|ws)$/i.test(dir) ? `${dir}/${name}.${ext}` : `${dir}/realtime/${name}.${ext}`;
}

/** What a managed real-time provider already gives, so scenarios build on it instead of adding a server. */
export interface ManagedProvider {
  id: string;
  label: string;
  /** Provider primitive per role: rooms, client-to-client events, presence, database changes. */
  channel: string;
  broadcast: string;
  presence: string;
  changes: string;
  /** How a user is authorized on a channel. */
  authMd: string;
  /**
   * How a client follows one channel: the SDK's own attach, allowed by the credential our route signs.
   * It is no message to a server of ours, so a plan on the provider proposes no subscribe event.
   */
  attachMd: string;
  /** How a guest authorized by a signed invite appears to other members, where the provider signs member data. */
  guestIdentityMd?: string;
  /** What our own code still needs (a server route, a trigger, …). */
  serverMd: string;
  /** The provider's size limit for one message, when documented. */
  messageLimitMd?: string;
  /**
   * Clients publish to each other through the provider (LiveKit data messages): no server of ours
   * receives what a client sends, so no handler of ours can answer it with an error event.
   */
  peerMessages?: true;
  /**
   * With peerMessages: what the provider promises about the order of data messages, which no server of
   * ours sees and so cannot number (Markdown, for the Versioning cell).
   */
  peerOrderMd?: string;
  /**
   * The client call that joins a room, where one connection is one room (LiveKit's `room.connect(url, token)` joins the room its
   * token grants and `room.disconnect()` leaves it): no join or leave event of ours is proposed.
   */
  connectJoins?: string;
  /** What the provider has built in for rooms of messages (delivery modes, membership events, webhooks), said once in its step. */
  builtInMd?: string;
  /** How a client's chat message is stored, when it writes straight to the provider's database (row policies); else through our API. */
  rowWriteMd?: string;
  /**
   * Database row changes the provider delivers to subscribers: the SDK call that receives them (as
   * rt-plan labels it, `RtEvent.sdk`), and who may read them, which the table's own row policy
   * decides for each subscriber and row, not the channel's authorization.
   */
  rowChanges?: { sdk: RegExp; readRuleMd: (table: string) => string };
  /** A migration of ours the provider's authorization needs (policies, triggers), when it has one. */
  migration?: { path: string; why: string };
  /** How a client reads the database it catches up from: under the provider's row policies, or through our API. */
  catchUpReadMd: string;
  /** What the provider itself recovers after a drop (its documented window), where it does: replaces a replay of ours. */
  recoveryMd?: string;
  /** What the client module adds to catch up past that recovery, in the SDK's own calls (an implementation step's why). */
  catchUpStepMd?: string;
  /**
   * The documented window of that recovery, counted from the drop, and what covers a drop that reaches it:
   * a stated drop as long as the window is not covered by the recovery alone, since reconnecting takes time too.
   */
  recoveryWindow?: { ms: number; beyondMd: string };
  /**
   * A server product the project runs itself (its image or binary and its config file) rather than a
   * hosted service: its nodes, their size and their settings are the project's, but not code rt-plan
   * reads, so the plan names the settings to check instead of a vendor's plan and quotas.
   */
  selfHosted?: { settingsMd: string; sizingMd: string };
  /**
   * A new room channel's name under the provider's own naming rule, when it has one (Pusher: only a
   * `presence-` channel carries members and client events), and the rule in words; else rt-plan's own
   * `scope/{id}` form. Used only where the project has no channel of its own for that role.
   */
  roomChannel?: { name: (scope: string, id: string) => string; ruleMd: string };
  /**
   * Where a per-channel `seq` is assigned at write in this topology (one writer per channel), said
   * beside the seq rule: our route's database write before it publishes, or the provider's own
   * database when the browser writes there directly.
   */
  seqMd?: string;
  /** The same in a few words, for the Ordering row. */
  seqShortMd?: string;
}

/** A provider our server publishes to after its own database write: our route is the one writer, the provider numbers nothing. */
const SERVER_WRITE_SEQ =
  "our route, in the database write it makes before it publishes: the insert's transaction takes the room's next number from a counter row (`update … set last_seq = last_seq + 1 … returning last_seq`), so requests on any of our instances get consecutive numbers per room; the provider numbers nothing, and two instances publishing at once may publish in an order other than the seq's, which the seq puts right";

/** Providers that run the connection tier themselves; a plan on them adds no WebSocket server. Same order as transport.ts's MANAGED, so both pick the same provider. */
export const MANAGED_PROVIDERS: readonly ManagedProvider[] = [
  {
    id: 'livekit',
    label: 'LiveKit',
    catchUpReadMd: 'through our API, under the same authorization as the page',
    channel: 'one LiveKit room per session',
    broadcast: 'data messages (`publishData` with a `topic`)',
    presence: 'room participants (`ParticipantConnected` and `ParticipantDisconnected`)',
    // docs.livekit.io/transport/data/packets (reliable and lossy delivery, size limits) and
    // docs.livekit.io/intro/basics/rooms-participants-tracks/webhooks-events (client room events, signed webhooks).
    builtInMd:
      'LiveKit has built in what rooms of data messages need: `publishData(payload, { reliable, topic })` sends to the whole room (or to `destinationIdentities`), reliable packets in order with retransmission and lossy ones once with no order, and neither is buffered for a participant who is disconnected when it is sent; the browser sees who is in the room from `room.remoteParticipants` and the `ParticipantConnected` and `ParticipantDisconnected` events, and our server from the `participant_joined`, `participant_left` and `room_finished` webhooks, each verified with `WebhookReceiver.receive(body, authorization)`, which checks the signed `Authorization` header against the API secret.',
    changes: 'server SDK sends data to the room after the database write',
    authMd:
      '`AccessToken` join tokens (`livekit-server-sdk`) minted by an authenticated route of ours, the identity from the session and a `roomJoin` grant for one room',
    attachMd: 'joining its LiveKit room (`room.connect(url, token)`) with the access token our route mints for that room',
    serverMd: 'the token route; media and signalling stay on LiveKit',
    messageLimitMd: "15 KiB of user data per reliable data packet (the 16 KiB protocol limit less LiveKit's routing headers)",
    connectJoins: 'room.connect (new join token)',
    peerMessages: true,
    // docs.livekit.io/transport/data/packets: "Reliable: Packets are delivered in order, with automatic retransmission";
    // "Lossy: Each packet is sent once, with no ordering guarantee"; "Packets are not buffered on the server".
    peerOrderMd:
      "none of ours: LiveKit delivers a sender's reliable data packets in the order sent (lossy ones in no set order), and buffers none for a participant who is away",
  },
  {
    id: 'supabase-realtime',
    label: 'Supabase Realtime',
    channel: "one channel per room or entity (`supabase.channel('room:<id>', { config: { private: true } })`)",
    broadcast: "Broadcast (`channel.send({ type: 'broadcast', event, payload })`)",
    presence: 'Presence (`channel.track()`, `presenceState()`)',
    changes: 'Postgres Changes under RLS, or for many subscribers a trigger calling `realtime.broadcast_changes` on a private channel',
    authMd: 'private channels with RLS policies on `realtime.messages`; the user JWT is checked at join, refreshed with `realtime.setAuth()`',
    attachMd: 'joining its channel (`supabase.channel(topic).subscribe()`), which the RLS policies on `realtime.messages` allow for a private channel',
    serverMd: 'no server process: writes go to Postgres through supabase-js under RLS, and SQL migrations hold the policies and triggers',
    migration: {
      path: 'supabase/migrations/<timestamp>_realtime_policies.sql',
      why: 'RLS policies on `realtime.messages` per channel topic, `select` policies on the tables whose changes clients receive, and the change triggers',
    },
    catchUpReadMd: 'from the database through supabase-js (RLS applies)',
    rowWriteMd: 'Insert the message row under RLS',
    // supabase.com/docs/guides/realtime/postgres-changes ("Private schemas" / RLS): Realtime checks the
    // table's RLS for each subscriber before it sends a change; Realtime Authorization (policies on
    // `realtime.messages`) covers Broadcast and Presence only.
    rowChanges: {
      sdk: /postgres_changes/,
      readRuleMd: (table) =>
        `each subscriber receives only the \`${table}\` rows that the RLS \`select\` policy on \`public.${table}\` lets it read: Postgres Changes checks that policy for each subscriber and row, and the policies on \`realtime.messages\` do not govern it. rt-plan reads no SQL, so it cannot tell whether that policy exists or whom it lets read: the migration has one that lets a user read a row only where they may see what the row belongs to (decide who that is, such as the room's members or everyone on the team, before writing it); with RLS off on the table, anyone who subscribes, signed in or not, receives every row`,
    },
    // The browser inserts the row itself (PostgREST under RLS): no route of ours is the writer, so Postgres
    // numbers the row. A sequence's values are shared by every room and may commit out of order
    // (postgresql.org/docs/current/functions-sequence.html), so a row's id is no gap-free seq per room.
    seqShortMd: 'a Postgres trigger on the insert (the browser writes the row itself)',
    seqMd:
      "a Postgres trigger: the browser inserts the row itself, so a `before insert` trigger on the messages table takes the room's next number from a counter row (`update … set last_seq = last_seq + 1 where id = new.room_id returning last_seq`), which serializes a room's inserts; the row's `id` is not it, since an identity sequence is shared by every room and its values can commit out of order",
  },
  {
    id: 'pusher',
    label: 'Pusher Channels',
    catchUpReadMd: 'through our API, under the same authorization as the page',
    channel: 'one private or presence channel per room or entity',
    broadcast: '`pusher.trigger()` from the server (client events only on private or presence channels)',
    presence: 'presence channels (`pusher:member_added`, `pusher:member_removed`, `channel.members`)',
    changes: 'server-side `trigger()` after the database write',
    authMd: 'an authenticated channel-authorization route of ours signs private and presence subscriptions',
    attachMd: 'subscribing to its channel (`pusher.subscribe(name)`), which our channel-authorization route signs for a private or presence channel',
    guestIdentityMd:
      'sign the presence data from it (a `user_id` of the invite, such as `guest:<invite id>`, and the name it was issued to), so members are still names the server knows',
    serverMd: 'the channel-authorization route and server-side triggers; no WebSocket server',
    // pusher.com/docs/channels/using_channels/channels (names: a-z A-Z 0-9 _ - = @ , . ;),
    // /presence-channels (members, the `presence-` prefix) and /events (client events on private or presence channels).
    roomChannel: {
      name: (scope, id) => `presence-${scope}-{${id}}`,
      ruleMd: 'Pusher channel names allow only letters, digits and `_ - = @ , . ;`, and only a `presence-` channel carries members and client events',
    },
    seqMd: SERVER_WRITE_SEQ,
    seqShortMd: 'our route, in the database write before it publishes',
    // pusher.com/docs/channels/server_api/http-api: event data is limited to 10 KB.
    messageLimitMd: '10 KB of event data per event',
  },
  {
    id: 'ably',
    label: 'Ably',
    catchUpReadMd: 'through our API, under the same authorization as the page',
    channel: 'one channel per room or entity (`ably.channels.get(name)`)',
    broadcast: '`channel.publish()`',
    presence: 'Ably presence (`channel.presence.enter()`)',
    changes: 'server-side publish after the database write',
    authMd: 'token auth: an authenticated route of ours issues capability-scoped tokens per channel',
    attachMd: 'attaching to its channel (`channels.get(name)`, then `subscribe`), which the capability of the token our route issues must list',
    serverMd: 'a token route and server-side publishes; no WebSocket server',
    seqMd: SERVER_WRITE_SEQ,
    seqShortMd: 'our route, in the database write before it publishes',
    // ably.com/docs/connect/states (connection state recovery, 2 minutes),
    // ably.com/docs/storage-history/history (untilAttach; 2 minutes of history by default, longer with persistence)
    // and ably.com/docs/channels/options/rewind (initial attach only, at most 100 messages).
    catchUpStepMd:
      "on the channel's `attached` or `update` event with `resumed: false`, apply `channel.history({ untilAttach: true })`; where history does not reach back far enough, refetch what the screen shows from our API",
    recoveryWindow: {
      ms: 120_000,
      beyondMd:
        "turn on persistence for the channel's namespace in the app's channel rules, so that `history({ untilAttach: true })` reaches back past it (https://ably.com/docs/storage-history/storage), and keep the refetch from our API as the last resort",
    },
    recoveryMd:
      "Ably recovers short drops itself: a client back within 2 minutes resumes its connection and receives the messages published meanwhile, in order, with no replay of ours (connection state recovery, https://ably.com/docs/connect/states). Past that the connection is `suspended` and each channel reattaches with `resumed: false`: on that `attached` or `update` event the client reads what it missed with `channel.history({ untilAttach: true })`, which holds only the last 2 minutes of messages unless persistence is turned on for the channel in the app's channel rules (https://ably.com/docs/storage-history/history). A page that loads or reloads attaches afresh and can take the latest messages with the `rewind` channel param (at most 100, on the first attach only; https://ably.com/docs/channels/options/rewind). What neither covers, the client refetches from our HTTP API: the final fallback, since a channel is not where the current state is kept.",
  },
  {
    // centrifugal.dev/docs/server/authentication (connection JWT, getToken refresh),
    // /docs/server/channel_token_auth (subscription JWT), /docs/server/server_api (HTTP publish),
    // /docs/server/history_and_recovery (history_size, history_ttl, force_recovery; `recovered` on subscribe),
    // /docs/server/engines (Memory engine: one node only; Redis engine: several nodes, history and presence shared).
    id: 'centrifugo',
    label: 'Centrifugo',
    catchUpReadMd: 'through our API, under the same authorization as the page',
    channel: 'one channel per room or entity in a namespace of the Centrifugo config (`newSubscription(channel)`)',
    broadcast: "server-side publish through Centrifugo's server API",
    presence: 'Centrifugo presence (`presence` in the namespace config)',
    changes: 'server API publish after the database write',
    authMd:
      "connection JWTs, and subscription JWTs for channels that require them, signed by authenticated routes of ours; the SDK's `getToken` fetches them and fetches a new one before expiry",
    serverMd: "the token routes and publishes through Centrifugo's server API; Centrifugo holds every connection",
    attachMd:
      'subscribing to its channel (`centrifuge.newSubscription(channel).subscribe()`), allowed by the connection token or a subscription token our route signs',
    recoveryMd:
      'Centrifugo recovers what a client missed during a drop from the channel\'s history, when the namespace keeps one (`history_size`, `history_ttl`) and recovery is on (`force_recovery`): the SDK resubscribes with its last stream position and receives the missed publications in order. A client away longer than the history window, or one whose position no longer matches the stream, is not recovered: the `subscribed` event then carries `recovered: false` (or the server disconnects it with "insufficient state" and the SDK reconnects), and the client must reload what the screen shows over HTTP (https://centrifugal.dev/docs/server/history_and_recovery).',
    selfHosted: {
      settingsMd: "Centrifugo's own config file",
      sizingMd:
        'Centrifugo is a Go server, not a Node process: rt-plan has no per-node capacity for it, so measure connections and memory per node on the target VM in the load test. Running more than one node needs a shared engine (the Redis engine, or a Redis-compatible server), which also keeps history and recovery working across nodes; the Memory engine works on one node only (https://centrifugal.dev/docs/server/engines).',
    },
  },
];

/** The detected managed provider the plan must build on, if any (first in table order). */
export function managedProvider(input: PlanInput): ManagedProvider | null {
  const found = new Set(input.analysis.stack.providers);
  return MANAGED_PROVIDERS.find((p) => found.has(p.id)) ?? null;
}

/** Steps that replace a scenario's own-server steps when a managed provider carries the channel. */
export function providerSteps(ctx: DesignCtx, p: ManagedProvider, what: { title: string; uses: string; clientName: string }): StepDraft[] {
  const migration = p.migration ? [{ path: p.migration.path, action: 'create' as const, why: p.migration.why }] : [];
  return [
    {
      title: `${what.title} on ${p.label}`,
      files: [...migration, { path: clientFile(ctx, what.clientName), action: 'create', why: `${p.channel}; ${what.uses}` }],
      detailMd: `Build on the existing ${p.label} client instead of adding a server: ${p.serverMd}. Authorization: ${p.authMd}.${p.builtInMd ? ` ${p.builtInMd}` : ''}`,
    },
  ];
}
