// The core design's data: the domain objects a plan is about, and what the plan decides for
// each (identity, versioning, ownership, conflict policy, lifetime). Pure data: the words
// live in templates/partials/core-design.hbs.
import type { Direction, Evidence } from '../../types.js';

/**
 * What kind of thing an object is, read from its event names and payload fields. The kind
 * fixes the decisions: a dragged card and a chat message must not get the same policy.
 */
export type ObjectKind =
  | 'pointer' // cursor, pointer, selection, awareness, a moving vehicle's position: superseded many times a second
  | 'typing'
  | 'presence' // who is here: members, online state
  | 'message' // append-only entries: chat messages, comments
  | 'notification'
  | 'document' // a text or note edited as a whole by several people
  | 'movable' // an item with a container and a position: a card in a column
  | 'submission' // one per user: a vote, an answer
  | 'derived' // computed by the server: results, scores, prices, leaderboards
  | 'stream' // a server-produced stream: tokens, agent output
  | 'participant' // who a connection is (a player, a member), kept across reconnects by a reclaim token
  | 'tool-call' // a model's tool call awaiting the user's approval: pending → approved or rejected → output sent
  | 'read-marker' // how far one user has read in one room: the seq of the last message seen, which unread counts and mentions follow
  | 'command' // a client's request that the server act (`command`, `cmd`, an event every site of which is a request the server answers through its acknowledgement): nothing is kept of it once acted on
  | 'record'; // anything else: a row edited field by field

/** A fact about the object and where the code shows it; `at` null when the context or scenario gives it. */
export interface Fact {
  field: string;
  at: Evidence | null;
}

export interface DomainObject {
  /** A client's request for updates about something (`watch` / `unwatch`): it changes only what its own connection receives, and is resent on every open, never acked. */
  subscription?: true;
  /** A command that only reads (`getDatabaseSize`, `listMonitors`): it changes nothing, so a retry runs it again and needs no idempotency key. */
  query?: true;
  /** The database a manifest declares, where rt-plan did not trace which write stores this object (its client package's line). */
  declaredStore?: { label: string; evidence: string };
  /** Another system the server writes it through, whose answer carries its version (ordering.ts 'record-version'): the function, where it returns the answer, the field. */
  recordedBy?: { calls: { fn: string; at: Evidence }[]; field: string };
  /** Singular, lower case: "card", "message". */
  name: string;
  kind: ObjectKind;
  /** `code` when existing events show it, `context` when only the session or the scenario does. */
  origin: 'code' | 'context';
  events: { name: string; direction: Direction; at: Evidence | null }[];
  /** The object it lives in ("board" from `boardId`), when a payload names one. */
  parent: Fact | null;
  id: Fact | null;
  /** Who made the change: stamped by the server (safe) or sent by the client (spoofable). */
  owner: (Fact & { by: 'server' | 'client'; via?: string; connection?: true }) | null;
  /** Column, status, lane: where a movable sits. */
  container: Fact | null;
  /** Position, index, rank: its order inside the container. */
  order: Fact | null;
  /** A seq, version or revision field the code already carries. */
  version: Fact | null;
  /** A time the payload says it last changed (`updatedAt`), where it carries one: set only where found. */
  updated?: Fact;
  /**
   * Where the code keeps it: module-level state the audit found (a Map in one process), or, with
   * `write`, the table or key of the storage kept with the room's own object that the call writes.
   */
  store: (Fact & { write?: { call: string; verb: string; shared?: string } }) | null;
  /** Findings at the object's own events (e.g. a volatile emit of a persisted change). */
  findings: { id: string; at: Evidence; readAt?: Evidence[] }[];
  /**
   * A droppable object the code does not send on every change (a roster count sent on joins only,
   * analyze/rules/roster.ts): until that finding is fixed, nothing supersedes a stale one.
   */
  notSuperseded?: {
    id: string;
    at: Evidence;
    /** Where clients read it (Finding.readAt): the finding's fix counts on each client there, and nothing of ours sends it any more. */
    readAt?: Evidence[];
  };
  /** A tool call only: the declared tools that only read and run at once, never pending (scenarios/voice-tools.ts). */
  direct?: string[];
  /** A tool call: the provider's own events that move it (its call, its result, its cancellation), wherever the catalog lists them. */
  providerEvents?: readonly string[];
  /** State keyed by the connection id (`socket.id`) the audit found for a participant: what a reclaim token replaces. */
  keyedBy?: { id: string; store: string; at: Evidence; join: string | null } | null;
  /**
   * How long a participant's entry outlives its connection: the context's figure for a drop it must
   * survive ("loses connection for under 30 s keeps their score"), null when none is stated.
   */
  reclaimWindow?: { seconds: number; sentence: string; at: Evidence } | null;
  /**
   * A context sentence saying the object happens once per someone per something ("Every player
   * answers once per question"): `by` is who ("player"), `per` what it is once in ("question"),
   * null when the sentence names none. The first one the server receives wins.
   */
  oncePer?: { by: string | null; per: string | null; sentence: string; at: Evidence } | null;
  /** A context sentence giving the object a time limit ("open for 20 s"): the server's clock decides it. */
  deadline?: { sentence: string; at: Evidence } | null;
  /**
   * The whole state the server sends a client at once (`sync` on connect): derived, never stored as
   * such, but not droppable either, since no later message replaces it.
   */
  snapshot?: boolean;
  /**
   * Every message of it the server sends carries the whole of a module-level collection (`state` with
   * `builds: builds.all()`): a snapshot of every item, versioned as one, caught up by sending it again.
   */
  /**
   * Where the one `version` of a whole snapshot comes from (scenarios/state-sync.ts
   * `snapshotVersionSource`): `store` null for a counter in the one server process. Set by the plan,
   * which knows the topology; the core design alone does not.
   */
  versionSource?: { store: { name: string; counterMd: string } | null; instances: number };
  whole?: {
    field: string;
    store: string;
    storeAt: Evidence;
    at: Evidence[];
    /** The sends in a connection handler: each client gets the snapshot as it connects. */
    onConnect: Evidence[];
    /** The sends in a loop over every connection the process holds (model fact 'broadcast-all'). */
    toAll: Evidence[];
  } | null;
  /** The context clause keeping it only while its room or session lives ("kept for the session of the room only"). */
  sessionOnly?: { sentence: string; at: Evidence } | null;
  /** False when no event of the object shows its payload (`JSON.stringify(order)`): its fields are unknown, not absent. */
  payloadShown?: boolean;
  /** Context sentences that name the object, quoted with their evidence. */
  context: { sentence: string; at: Evidence }[];
  decision: Decision;
  /** Every catalog event that moves it, existing and proposed (set once the event catalog is built). */
  moves?: string[];
  /**
   * A document the CRDT merges that the code also writes whole over HTTP (a client PUT of its text):
   * a second writer the plan removes, so the CRDT's persistence is the only one.
   */
  wholeWrites?: { url: string; body: string | null; at: Evidence; route: Evidence | null }[];
  /** What moves it when no event of ours does: a managed provider's own presence (Markdown). */
  movedByMd?: string;
  /** Something to say about it under the table (an owner, a store, a finding, an unknown, a context sentence). */
  noted?: boolean;
}

export interface Decision {
  /**
   * `memory`: kept by the server in memory while its room (or session) lives, never written to a
   * store, because the context says so ("kept for the session of the room only, no history needed").
   */
  lifetime: 'transient' | 'memory' | 'persisted';
  /** For 'memory': what it lives as long as ("room", or the parent's name). */
  heldFor?: string;
  delivery: 'droppable' | 'reliable';
  /** How the object is versioned: one version on a whole snapshot (`snapshot-version`), a seq per parent, a CRDT state vector, none (superseded). */
  versioning:
    | 'snapshot-version'
    | 'seq-per-parent'
    | 'log-id'
    | 'state-vector'
    | 'none'
    | 'per-user'
    | 'lifecycle'
    | 'provider-order'
    | 'server-stream'
    | 'stream-order'
    | 'refetch';
  /** For 'log-id': where the code appends to the log whose entry ids version (order) the object. */
  logAt?: Evidence;
  /** For 'provider-order': the managed provider whose channel delivers the changes, with no seq of ours. */
  orderBy?: string;
  /** For 'provider-order': what that provider promises about the order, where it says more than its name (Markdown). */
  orderMd?: string;
  /** For rows of a table the provider feeds: what it promises about delivery while joined, replacing "persisted; every change delivered" (Markdown). */
  deliveryMd?: string;
  /** For rows of a table the provider feeds: that table, whose own key identifies each row (rt-plan reads no SQL). */
  rowsOf?: string;
  /** The server product whose stream offsets version the object (`server-stream`). */
  streamBy?: string;
  /** For 'refetch': the library protocol that re-subscribes after a reconnect and replays nothing (graphql-ws). */
  refetchBy?: string;
  /** How a participant is identified across connections: a server-issued reclaim token, not the connection id. */
  identity?: 'reclaim-token';
  conflict:
    | 'latest-per-sender'
    | 'append-only'
    | 'crdt-merge'
    | 'whole-move-in-server-order'
    | 'once-per-user'
    | 'server-only'
    | 'own-entry'
    | 'field-lww-in-server-order'
    | 'version-check'
    | 'first-decision-wins'
    | 'newest-connection-takes-over'
    | 'highest-wins'
    | 'runs-once'
    | 'as-delivered'
    /** Rows of a table the provider feeds that no server of ours writes: the table's own constraints decide. */
    | 'table-writes';
  /** What the code does not show and the plan will not guess. */
  unknowns: string[];
}
