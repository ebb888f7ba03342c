// The core design of a plan: the domain objects from the code (existing events and their
// payloads) and, where the code has none yet, from the session context and the selected
// scenarios; each with its decisions. Pure and synchronous.
import type { Feature, Finding, Requirement, RtEvent } from '../../types.js';
import type { Scenario } from '../types.js';
import { decide } from './decide.js';
import { nameIn, projectStyle, type NameStyle } from './names.js';
import { namedFlowsOf } from '../workload.js';
import { objectFromContext, objectsFromCode, participantObject, toolCallObject, type ObjectInputs, type StorageWrite } from './objects.js';
import type { DomainObject, ObjectKind } from './types.js';

export type { DomainObject, Decision, ObjectKind } from './types.js';
export { nameIn, parseName, projectStyle, type NameStyle } from './names.js';
export { withMoves } from './objects.js';

export interface CoreInputs {
  events: readonly RtEvent[];
  findings: readonly Finding[];
  requirements: readonly Requirement[];
  scenarios: readonly Scenario[];
  /** The entity the context names most ("board", "order"), or "resource" when none. */
  entity: string;
  /** A CRDT library (Yjs) merges documents: installed, or proposed by the plan's collaborative-editing scenario. */
  crdt: boolean;
  /** The voice provider's tool-call identity field and the provider events that move a call, when the plan has a voice agent. */
  toolCall?: { id: string; events: readonly string[]; direct?: string[] } | null;
  /** State the audit found keyed by a connection id (`socket.id` in `game.players`), with where. */
  connectionKeyed?: readonly { id: string; store: string; at: string }[];
  /** State in one process's memory on the real-time path (project model, plan-facts.ts). */
  processState?: readonly { name: string; at: string }[];
  /** Writes to the storage a platform keeps with the room's object (`storage.sql.exec('INSERT INTO messages …')`), with where. */
  storageWrites?: readonly StorageWrite[];
  /** Client PUTs of a whole resource (the analyzer's 'http-put' facts): a second writer of a CRDT document. */
  wholeWrites?: readonly { url: string; body: string | null; at: string; route: string | null }[];
  /** The log whose entry ids order the events (ordering.ts 'log-id'), where the code appends to it: it replaces a seq of ours. */
  logOrder?: { evidence: string } | null;
  /** Events carrying a version another system sets (model 'record-version' facts): event, the function returning it, where it returns, the field. */
  recordVersions?: readonly { event: string; fn: string; at: string; field: string }[];
  /** The server product that numbers each channel's publications (Centrifugo's stream offsets), replacing a seq of ours. */
  streamOrder?: string | null;
  /**
   * A library protocol that re-subscribes after a reconnect and replays nothing (graphql-ws): the
   * client refetches the current state, so no seq or log of ours; its label.
   */
  refetchOrder?: string | null;
  /** An SDK's answer stream orders the parts of one answer itself (ordering.ts `stream`): no seq of ours. */
  answerStream?: boolean;
  /** Presence entries are written by each client for itself (a managed provider's presence), not by a server of ours. */
  clientPresence?: boolean;
  /** That provider's own presence, as the plan names it (Pusher's `presence channels (…)`): it moves presence, not an event of ours. */
  providerPresenceMd?: string;
  /**
   * The managed provider whose channels carry the changes when the plan adds no seq to them (a client
   * follows by attaching to the channel, and the provider's own recovery covers a drop): its label.
   */
  providerOrder?: string;
  /**
   * Clients publish data messages to each other through the provider (LiveKit), which no server of ours
   * sees: what the provider promises about their order replaces a seq of ours.
   */
  peerOrder?: { by: string; md: string };
  /** Existing events that are a provider's feed of a table's rows (Postgres Changes): the table stores and orders them. */
  tableFeeds?: { event: string; by: string; md: string; table: string; deliveryMd?: string }[];
  /** The chat scenario was selected for presence alone (a head count): no message object. */
  noChat?: boolean;
  /** Sends whose payload is the whole of a module-level collection (model fact 'whole-collection-send'). */
  wholeSends?: readonly { event: string; field: string; store: string; storeAt: string; at: string; onConnect?: boolean; toAll?: boolean }[];
  /** The session text, to see whether it names tool calls. */
  contextText: string;
  /**
   * The one room scope the code's clients join (`game:{pin}` → game, pin), when it names rooms of
   * a single scope: a client catches up on what it joined, so that is the scope of a resync.
   */
  room?: { scope: string; param: string } | null;
  /** The group a stream delivers each notification to (the delivery filter's field, design/audience.ts): its seq is per group, not per user. */
  notificationGroup?: string | null;
}

export interface CoreDesign {
  objects: DomainObject[];
  /** Naming style of the existing events, which proposed names follow. */
  style: NameStyle;
  /** True when at least one object comes from the code. */
  fromCode: boolean;
  /** The one room scope the code's clients join, if any (CoreInputs.room). */
  room?: { scope: string; param: string } | null;
}

/** The sentence that asks for notifications. */
function noticeSentence(inp: CoreInputs): string {
  return inp.requirements.find((r) => r.kind === 'feature' && r.feature === 'notifications')?.sentence ?? '';
}

/** What each scenario is about when no existing event shows it yet. */
function scenarioObjects(s: Scenario, inp: CoreInputs, features: ReadonlySet<Feature>): [string, ObjectKind][] {
  if (s === 'chat-collab')
    return [
      ...(inp.noChat ? [] : ([['message', 'message']] as [string, ObjectKind][])),
      ...(features.has('presence') ? ([['presence', 'presence']] as [string, ObjectKind][]) : []),
      ...(features.has('typing') ? ([['typing', 'typing']] as [string, ObjectKind][]) : []),
    ];
  if (s === 'collab-editing') return [['document', 'document']];
  // Named as the context names what it delivers: "price alerts" are alerts, not generic notifications.
  if (s === 'notifications') return [[/\balerts?\b/i.test(noticeSentence(inp)) ? 'alert' : 'notification', 'notification']];
  if (s === 'ai-streaming') return [['response', 'stream'], ...(/\btool/i.test(inp.contextText) ? ([['tool call', 'stream']] as [string, ObjectKind][]) : [])];
  if (s === 'state-sync' || s === 'subscriptions') return inp.entity === 'resource' ? [] : [[inp.entity, 'record']];
  if (s === 'voice') return [['tool call', 'tool-call']];
  return [];
}

/**
 * A sentence about a user's read state in a chat: unread counts, read markers or receipts, what
 * was marked as read. "Mentions" alone is not one (a README mentions things); with "unread" it is.
 */
export const READ_STATE = /\b(?:unread|read (?:receipts?|markers?|state|positions?|status)|last[- ]read|mark(?:ed|s|ing)? (?:\w+ )?as read)\b/i;

/** The context sentences asking for a user's read state (READ_STATE), each once. */
export function readStateSentences(requirements: readonly Requirement[]): { sentence: string; at: string }[] {
  return requirements
    .filter((r) => READ_STATE.test(r.sentence))
    .map((r) => ({ sentence: r.sentence, at: r.evidence }))
    .filter((c, i, all) => all.findIndex((o) => o.sentence === c.sentence) === i)
    .slice(0, 2);
}

/** The context asks that a client who was away gets every event it missed (a scoreboard's goals and cards). */
const EVERY_MISSED = /\b(?:every|all(?: the)?) (?:events?|updates?|messages?|changes?)\b[^.;]{0,20}\bmissed\b/i;

export function coreDesign(inp: CoreInputs): CoreDesign {
  const oi: ObjectInputs = {
    events: inp.events,
    findings: inp.findings,
    requirements: inp.requirements,
    processState: inp.processState ?? [],
    storageWrites: inp.storageWrites ?? [],
  };
  const fromCode = objectsFromCode(oi);
  const features = new Set(inp.requirements.flatMap((r) => (r.kind === 'feature' ? [r.feature] : [])));
  const kinds = new Set(fromCode.map((o) => o.kind));
  const names = new Set(fromCode.map((o) => o.name));
  const extra: DomainObject[] = [];
  for (const s of inp.scenarios)
    for (const [name, kind] of scenarioObjects(s, inp, features)) {
      // The code already shows this kind of object (or any, for a generic entity): nothing to add.
      if (names.has(name) || kinds.has(kind) || (kind === 'record' && fromCode.length > 0)) continue;
      names.add(name);
      kinds.add(kind);
      extra.push(kind === 'tool-call' && inp.toolCall ? toolCallObject(inp.toolCall, oi) : objectFromContext(name, kind, oi));
    }
  // Another entity the context says clients follow, with a stream of its own ("workspace updates go to everyone watching the workspace").
  for (const f of namedFlowsOf(inp.requirements))
    if (!names.has(f.entity) && !fromCode.some((o) => o.name.split(' ')[0] === f.entity)) {
      names.add(f.entity);
      // Only the server writes it (its stream goes to the clients); a client's subscribe moves its membership.
      extra.push(objectFromContext(f.entity, 'record', oi), objectFromContext(`${f.entity} membership`, 'presence', oi));
    }
  // State keyed by the connection id loses its owner on every reconnect: the participant it holds gets a reclaim token.
  for (const k of inp.connectionKeyed ?? []) {
    const p = participantObject(k, fromCode, oi);
    if (p && !names.has(p.name)) {
      names.add(p.name);
      extra.unshift(p);
    }
  }
  // Unread counts and mentions in a chat follow one read marker per (user, room): how far that user has read.
  const read = readStateSentences(inp.requirements);
  const chatMessage = [...fromCode, ...extra].find((o) => o.kind === 'message');
  if (chatMessage && read.length > 0 && !names.has('read marker')) {
    names.add('read marker');
    const marker = objectFromContext('read marker', 'read-marker', oi);
    extra.push({ ...marker, parent: chatMessage.parent ? { field: chatMessage.parent.field, at: null } : null, context: read });
  }
  const log = inp.logOrder ?? null;
  const wholeSends = inp.wholeSends ?? [];
  // "Sees every event they missed": nothing the server sends may be dropped as superseded.
  const everyMissed = EVERY_MISSED.test(inp.contextText);
  const objects = [...fromCode, ...extra]
    .map((o) =>
      everyMissed &&
      o.origin === 'code' &&
      o.decision.delivery === 'droppable' &&
      o.events.length > 0 &&
      o.events.every((e) => e.direction === 'server-to-client')
        ? { ...o, decision: { ...o.decision, delivery: 'reliable' as const } }
        : o,
    )
    .map((o) => (o.kind === 'document' && inp.crdt ? { ...o, decision: decide(o, { crdt: true }) } : o))
    // Every message the server sends of it is the whole collection: one version on the snapshot, stored where the collection is.
    .map((o) => wholeSnapshot(o, wholeSends))
    // A whole-document PUT next to the CRDT is a second writer: the merged document's persistence replaces it.
    .map((o) =>
      o.decision.conflict === 'crdt-merge' && (inp.wholeWrites ?? []).length > 0
        ? { ...o, wholeWrites: (inp.wholeWrites ?? []).map((w) => ({ url: w.url, body: w.body ? `{ ${w.body} }` : null, at: w.at, route: w.route })) }
        : o,
    )
    // On a managed provider each client enters, updates and leaves its own presence entry: no server of ours writes it.
    .map((o) =>
      o.kind === 'presence' && inp.clientPresence
        ? { ...o, decision: { ...o.decision, conflict: 'own-entry' as const }, ...(inp.providerPresenceMd ? { movedByMd: inp.providerPresenceMd } : {}) }
        : o,
    )
    // The log's entry ids order every change of a persisted object: no seq of ours, and the existing version field is not replaced.
    .map((o) =>
      log && o.decision.versioning === 'seq-per-parent' && !o.version
        ? {
            ...o,
            // The log keeps every change: that is where it is stored.
            decision: { ...o.decision, versioning: 'log-id' as const, logAt: log.evidence, unknowns: o.decision.unknowns.filter((u) => u !== 'store') },
          }
        : o,
    )
    // Written through another system whose answer carries its version: that is where it is stored (the write, not the read, is cited).
    .map((o) => {
      const hits = (inp.recordVersions ?? []).filter((r) => o.events.some((e) => e.name === r.event));
      const field = hits[0]?.field;
      return field
        ? {
            ...o,
            recordedBy: { calls: hits.filter((r) => r.field === field).map((r) => ({ fn: r.fn, at: r.at })), field },
            decision: { ...o.decision, unknowns: o.decision.unknowns.filter((u) => u !== 'store') },
          }
        : o;
    })
    // A provider's channel carries the changes and the plan adds no seq to them: the object has no version of ours.
    .map((o) =>
      inp.providerOrder && o.decision.versioning === 'seq-per-parent' && !o.version
        ? { ...o, decision: { ...o.decision, versioning: 'provider-order' as const, orderBy: inp.providerOrder } }
        : o,
    )
    // Rows of a table the provider feeds to subscribers: the table stores them and their commit order is the order; no seq of ours.
    .map((o) => {
      const feed = (inp.tableFeeds ?? []).find((t) => o.events.some((e) => e.name === t.event));
      return feed && o.decision.versioning === 'seq-per-parent' && !o.version
        ? {
            ...o,
            decision: {
              ...o.decision,
              versioning: 'provider-order' as const,
              orderBy: feed.by,
              orderMd: feed.md,
              ...(feed.deliveryMd ? { deliveryMd: feed.deliveryMd } : {}),
              // Its rows are the table's: the table's own key identifies each one, not an id a server of ours assigns.
              rowsOf: feed.table,
              // No server of ours writes the table's rows: "only the server writes it" would be untrue.
              ...(o.decision.conflict === 'server-only' ? { conflict: 'table-writes' as const } : {}),
              unknowns: o.decision.unknowns.filter((u) => u !== 'store'),
            },
          }
        : o;
    })
    // Data messages clients publish through the provider reach no server of ours: nothing assigns a seq, keeps
    // them, or orders writes; each receiver applies them in the order the provider delivers.
    .map((o) =>
      inp.peerOrder && o.decision.versioning === 'seq-per-parent' && !o.version
        ? {
            ...o,
            decision: {
              ...o.decision,
              lifetime: 'transient' as const,
              versioning: 'provider-order' as const,
              orderBy: inp.peerOrder.by,
              orderMd: inp.peerOrder.md,
              conflict: 'as-delivered' as const,
              unknowns: o.decision.unknowns.filter((u) => u !== 'store'),
            },
          }
        : o,
    )
    // A stream that sends each notification to every connection of a group (a team) numbers it once per group.
    .map((o) =>
      inp.notificationGroup && o.kind === 'notification' && o.decision.versioning === 'per-user' && !o.version
        ? {
            ...o,
            parent: { field: inp.notificationGroup, at: o.parent?.field === inp.notificationGroup ? o.parent.at : null },
            decision: { ...o.decision, versioning: 'seq-per-parent' as const },
          }
        : o,
    )
    // A channel server numbers each channel's publications (its stream offsets): no seq of ours.
    .map((o) =>
      inp.streamOrder && o.decision.versioning === 'seq-per-parent' && !o.version
        ? { ...o, decision: { ...o.decision, versioning: 'server-stream' as const, streamBy: inp.streamOrder } }
        : o,
    )
    // A library protocol that replays nothing: a reconnect refetches the current state, so there is no seq or log of ours to resume from.
    .map((o) =>
      inp.refetchOrder && o.decision.versioning === 'seq-per-parent' && !o.version
        ? { ...o, decision: { ...o.decision, versioning: 'refetch' as const, refetchBy: inp.refetchOrder } }
        : o,
    )
    // An AI SDK's UI message stream carries one answer's parts in order, and the answer is saved whole: no seq of ours.
    .map((o) =>
      inp.answerStream && o.decision.versioning === 'seq-per-parent' && !o.version
        ? { ...o, decision: { ...o.decision, versioning: 'stream-order' as const } }
        : o,
    );
  // A tool call the provider's events already carry in the code counts as shown by the code.
  return {
    objects,
    // rt-plan's labels for a provider SDK's calls (`presence:enter`, `data:reactions`) and a provider's own events are no naming of the project's.
    style: projectStyle(inp.events.filter((e) => e.sdk === undefined && e.protocol === undefined).map((e) => e.name)),
    fromCode: objects.some((o) => o.events.some((e) => e.at !== null)),
    ...(inp.room ? { room: inp.room } : {}),
  };
}

/**
 * An object every server message of which carries the whole of one module-level collection: it is
 * that collection, kept where the code defines it, and one counter versions the whole snapshot;
 * no per-item id or seq applies to it.
 */
function wholeSnapshot(o: DomainObject, sends: NonNullable<CoreInputs['wholeSends']>): DomainObject {
  const out = o.origin === 'code' ? o.events.filter((e) => e.direction === 'server-to-client') : [];
  const mine = sends.filter((s) => out.some((e) => e.name === s.event));
  const stores = [...new Set(mine.map((s) => `${s.store}\u0000${s.storeAt}\u0000${s.field}`))];
  if (out.length === 0 || !out.every((e) => mine.some((s) => s.event === e.name)) || stores.length !== 1 || o.decision.versioning !== 'seq-per-parent')
    return o;
  const [first] = mine;
  return {
    ...o,
    whole: {
      field: first!.field,
      store: first!.store,
      storeAt: first!.storeAt,
      at: mine.map((s) => s.at),
      onConnect: mine.filter((s) => s.onConnect).map((s) => s.at),
      toAll: mine.filter((s) => s.toAll).map((s) => s.at),
    },
    store: { field: first!.store, at: first!.storeAt },
    decision: { ...o.decision, versioning: 'snapshot-version', unknowns: o.decision.unknowns.filter((u) => u !== 'store' && u !== 'id') },
  };
}

/**
 * The snapshot object the plan syncs by, when every object whose changes the server sends is one
 * whole-collection snapshot: catch-up is the current snapshot, and no per-item seq or log applies.
 */
export function snapshotSync(core: CoreDesign): DomainObject | null {
  const sent = reliableObjects(core).filter((o) => o.origin === 'code' && o.events.some((e) => e.direction !== 'client-to-server'));
  return sent.length === 1 && sent[0]!.whole ? sent[0]! : null;
}

/** The objects whose changes must reach everyone in order: the ones a resync must restore. */
export function reliableObjects(core: CoreDesign): DomainObject[] {
  return core.objects.filter((o) => o.decision.delivery === 'reliable' && o.decision.lifetime === 'persisted');
}

/** The parent most persisted objects live in ("board"), the scope of one seq; null when no payload names one. */
export function syncScope(core: CoreDesign): string | null {
  // Clients join rooms of one scope (a game by its PIN): a reconnecting client catches up on the
  // room it was in, whatever objects (questions, answers) live inside it.
  if (core.room) return core.room.scope;
  const counts = new Map<string, number>();
  for (const o of reliableObjects(core)) if (o.parent) counts.set(o.parent.field, (counts.get(o.parent.field) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

export { nameIn as eventName };
