// Domain objects from the project's own facts: the nouns of its event names, the fields of
// their payloads (with the file:line the analyzer read them from), module-level state the
// audit found, and the session sentences that name them. Pure: no fs, no clock.
import { onePerName } from '../same-event.js';
import type { Direction, Evidence, Finding, PayloadField, Requirement, RtEvent } from '../../types.js';
import { decide, sessionOnlyClause } from './decide.js';
import { protocolTraits } from '../profiles/protocol.js';
import { parseName, words } from './names.js';
import type { DomainObject, Fact, ObjectKind } from './types.js';

/** Nouns that name a request for the server to act, not a thing kept: `command`, `cmd`. */
export const COMMAND_NOUN = /^(command|commands|cmd)$/;
const MEMBERSHIP = new Set(['join', 'joined', 'leave', 'left', 'members', 'member', 'subscribe', 'unsubscribe']);
/**
 * Bare verbs by which a client asks for (or stops) updates about something: `watch` / `unwatch`.
 * `follow` / `unfollow` is left out: in a social app it is the persisted follower relation, and
 * the event name alone cannot tell that from a per-connection subscription.
 */
const WATCH_VERB = /^(?:un)?watch$/;
/**
 * Bare imperative verbs of control a client sends (`open` / `close` a port, `start` / `stop` a job):
 * a request for the server to act on what the payload names, not a thing kept under that name.
 * The state it changes is the server's to announce (`serialport:open`), never the verb's own record.
 */
const CONTROL_VERB = /^(open|close|start|stop|pause|resume|reset|restart|reboot|shutdown|halt|abort|cancel|run|execute|exec)$/;
/** First words of an event name that ask the server to read, not change: a command named so is a query. */
const READ_VERB = /^(get|list|fetch|load|find|read|query|search|count|check)$/;
const DERIVED_ACTIONS = new Set(['results', 'result', 'leaderboard', 'tick', 'stats']);

/** Object kinds by the noun of an event name; the first match wins. */
const KIND_BY_NOUN: readonly [RegExp, ObjectKind][] = [
  [/^(cursor|pointer|selection|awareness|viewport|position|location)$/, 'pointer'],
  [/^typing$/, 'typing'],
  [/^(presence|online|member)$/, 'presence'],
  [/^(notification|mention|alert|inbox)$/, 'notification'],
  [/^(message|chat|comment|reply|post)$/, 'message'],
  [/^(note|doc|document|text|page)$/, 'document'],
  [/^(vote|answer|ballot|rating|guess)$/, 'submission'],
  [/^(result|score|leaderboard|price|quote|stat|count|headcount|total|metric|period)$/, 'derived'],
  [/^(token|output|completion|tool|agent)$/, 'stream'],
];

/** Actions that name an ephemeral signal about their noun (`note:cursor`, `room:typing`, `doc:presence`). */
const EPHEMERAL_ACTION: readonly [RegExp, ObjectKind][] = KIND_BY_NOUN.filter(([, k]) => k === 'pointer' || k === 'typing' || k === 'presence');

const OWNER = /^(by|userId|authorId|senderId|ownerId|createdBy|from|author|user)$/;
const CONTAINER = /^(column|columnId|status|lane|list|listId|stage|bucket)$/;
const ORDER = /^(position|index|order|rank|sortKey|pos)$/;
const VERSION = /^(seq|version|rev|revision|lastSeq|baseSeq|baseVersion|expectedVersion|baseRev|baseRevision)$/;
/** A field naming when the record last changed: not a seq, but what tells two copies of one record apart by age. */
const UPDATED = /^(updatedAt|updated_at|modifiedAt|modified_at|lastModified|last_modified|updatedOn|changedAt)$/;

export interface ObjectInputs {
  events: readonly RtEvent[];
  findings: readonly Finding[];
  requirements: readonly Requirement[];
  /** State the project model found in one process's memory on the real-time path (`polls` at polls.js:2). */
  processState?: readonly { name: string; at: Evidence }[];
  /** Writes to the storage kept with the room's own object (`storage.sql.exec('INSERT INTO messages …')`, plan-facts.ts). */
  storageWrites?: readonly StorageWrite[];
}

/** A write to the storage a platform keeps with the room's object: the call, the table or key, the SQL verb or `put`. */
export interface StorageWrite {
  call: string;
  store: string;
  verb: string;
  at: Evidence;
  /** A store every instance shares (Redis), not one kept with the room's object: its name (`Redis`). */
  shared?: string;
}

interface Draft {
  name: string;
  kind: ObjectKind;
  /** `bare`: the payload is one value the code shows (an id, an array), not an object. */
  events: { name: string; direction: Direction; at: Evidence | null; payload: PayloadField[]; bare?: true }[];
  /** The whole state the server sends at once (`sync` on connect): nothing later replaces it. */
  snapshot?: boolean;
  /** How the provider delivers each of its events, as the sending call sets it (null: not set, or not one of ours). */
  deliveries?: ('reliable' | 'lossy' | null)[];
  /** Events a client sends and waits to have answered (Socket.IO's acknowledgement, RtEvent.acked). */
  asked?: number;
}

/** Where the analyzer read payload fields (their description says `inferred from a.ts:3, b.ts:9`). */
function inferredFrom(fields: readonly PayloadField[]): string[] {
  return fields.flatMap((p) => /^inferred from (.+)$/.exec(p.description ?? '')?.[1]?.split(', ') ?? []);
}

/** A payload that is only a point (`{ x, y }`, with the sender's id at most): where someone is, not a stored thing. */
const COORD = /^(x|y|z|dx|dy|lat|lng|lon)$/;
/** Bare names of the whole state a server sends a client at once (on connect or on request). */
const SNAPSHOT = /^(sync|snapshot|init|welcome|hello)$/;

/** A bare `sync` / `snapshot` / `init` the server sends: the whole current state, sent once (on connect or on request). */
function isSnapshot(noun: string, action: string | null, direction?: Direction): boolean {
  return action === null && SNAPSHOT.test(noun) && direction === 'server-to-client';
}

function kindOf(noun: string, action: string | null, fields: readonly string[], membership: boolean, direction?: Direction): ObjectKind {
  if (membership) return 'presence';
  // A bare `left` / `joined` is a membership notice about whoever it names, not an object of its own.
  if (action === null && MEMBERSHIP.has(noun)) return 'presence';
  // A payload of coordinates alone (`move { x, y }`) is a position, superseded by the next one.
  const own = fields.filter((f) => f !== 'id');
  if (own.length > 0 && own.every((f) => COORD.test(f))) return 'pointer';
  // A bare `sync` the server sends is a snapshot of current state, rebuilt on every connect: derived, never stored as such.
  if (isSnapshot(noun, action, direction)) return 'derived';
  if (action && DERIVED_ACTIONS.has(action)) return 'derived';
  // A bare `command` a client sends asks the server to act (sections.ts says the same of its sync).
  if (action === null && COMMAND_NOUN.test(noun) && direction === 'client-to-server') return 'command';
  // A bare `watch` / `unwatch` a client sends changes what its own connection receives: a subscription request, not a stored object.
  if (action === null && WATCH_VERB.test(noun) && direction === 'client-to-server') return 'command';
  // So does a bare verb of control (`open`, `close`, `stop`): it acts once, it is not stored, replayed or merged.
  if (action === null && CONTROL_VERB.test(noun) && direction === 'client-to-server') return 'command';
  for (const [re, kind] of KIND_BY_NOUN) if (re.test(noun)) return kind;
  if (fields.some((f) => ORDER.test(f)) && (fields.some((f) => CONTAINER.test(f)) || action === 'move' || action === 'moved')) return 'movable';
  return 'record';
}

/** Objects the existing events show, one per noun (membership and derived results apart from their parent). */
export function objectsFromCode(inp: ObjectInputs): DomainObject[] {
  const drafts = new Map<string, Draft>();
  // The same event read on both sides (client and server) is one event, with the payload either side shows.
  for (const e of onePerName(inp.events)) {
    // A provider's protocol events (session.update, response.create) are the provider's, not objects of the app.
    if (e.protocol !== undefined) continue;
    // A bare `message` with no payload on a wire without named events is the socket's own frame callback (onmessage), not a chat message.
    if (e.name === 'message' && e.transport && !protocolTraits({ transport: e.transport }).namedEvents && (e.payload ?? []).length === 0) continue;
    // A provider message the project names only by its topic (`data:reactions`): the topic is the object, one per topic.
    const parsed = parseName(e.topic ?? e.name);
    if (!parsed) continue;
    const membership = parsed.action !== null && MEMBERSHIP.has(parsed.action);
    const fields = (e.payload ?? []).map((p) => p.name);
    // `note:cursor`, `doc:typing`: an ephemeral signal about the noun (superseded by the next one,
    // never queued or acked), not a change to it.
    const ephemeral = !membership && parsed.action !== null ? EPHEMERAL_ACTION.find(([re]) => re.test(parsed.action!))?.[1] : undefined;
    const kind = ephemeral ?? kindOf(parsed.noun, parsed.action, fields, membership, e.direction);
    const name = membership
      ? `${parsed.noun} membership`
      : ephemeral
        ? `${parsed.noun} ${parsed.action}`
        : kind === 'derived' && parsed.action && DERIVED_ACTIONS.has(parsed.action)
          ? `${parsed.noun} ${parsed.action}`
          : parsed.noun;
    const d: Draft = drafts.get(name) ?? { name, kind, events: [] };
    if (isSnapshot(parsed.noun, parsed.action, e.direction)) d.snapshot = true;
    // A later event with clearer fields (a move) can sharpen a record into a movable.
    if (d.kind === 'record' && kind !== 'record') d.kind = kind;
    d.events.push({ name: e.name, direction: e.direction, at: e.evidence, payload: e.payload ?? [], ...(e.bare ? { bare: true as const } : {}) });
    if (e.acked && e.direction === 'client-to-server') d.asked = (d.asked ?? 0) + 1;
    d.deliveries = [...(d.deliveries ?? []), e.delivery?.mode ?? null];
    drafts.set(name, d);
  }
  // Sent lossy by every call that sends it (LiveKit `reliable: false`): a lost one is gone, so the object is droppable whatever its kind.
  return [...drafts.values()].map((d) => {
    // Every event of a plain record is a client's request the server answers through its
    // acknowledgement (`getDatabaseSize`, `addProxy`) and none goes out to other clients: a
    // request and answer, a command, not a stored object whose changes are delivered.
    if (d.kind === 'record' && d.asked === d.events.length) d.kind = 'command';
    const f = finish(d, inp, 'code');
    const o =
      f.kind === 'command' && WATCH_VERB.test(f.name)
        ? { ...f, subscription: true as const }
        : f.kind === 'command' && d.events.every((e) => READ_VERB.test(words(e.name)[0] ?? ''))
          ? { ...f, query: true as const }
          : f;
    return d.deliveries?.every((m) => m === 'lossy') ? { ...o, decision: { ...o.decision, delivery: 'droppable' as const } } : o;
  });
}

/** Kinds whose own name a storage table may go by (`messages`, `notifications`, `documents`). */
const KEPT_KINDS = new Set<ObjectKind>(['message', 'notification', 'document', 'submission']);

/** Kinds with one object per sender: the sender's id is the object's own. */
const PER_SENDER = new Set<ObjectKind>(['pointer', 'typing', 'presence', 'participant']);

/**
 * The field the server stamps from the sending connection (`id: sender.id`), as the object's owner:
 * server-set, with the expression it reads. `connection` when it is the connection's own id
 * (`sender.id`, `socket.id`), which names a connection, not a signed-in user.
 */
function senderOwner(stamped: ReadonlyMap<string, NonNullable<PayloadField['sender']>>): DomainObject['owner'] {
  const [first] = stamped;
  if (!first) return null;
  const [field, s] = first;
  return { field, at: s.at, by: 'server', via: s.value, ...(/^[A-Za-z]+\.id$/.test(s.value) ? { connection: true } : {}) };
}

/** The key an envelope keeps its message body under. */
const ENVELOPE_BODY = /^(?:payload|data|body)$/;

function fieldFact(d: Draft, test: (f: string) => boolean, prefer?: Direction): Fact | null {
  const order = prefer ? [...d.events].sort((a, b) => Number(b.direction === prefer) - Number(a.direction === prefer)) : d.events;
  for (const e of order) for (const p of e.payload) if (test(p.name)) return { field: p.name, at: inferredFrom([p])[0] ?? e.at };
  // An envelope's body (`{ type, payload: { agentId } }`) carries the fields one level down.
  for (const e of order)
    for (const p of e.payload)
      if (ENVELOPE_BODY.test(p.name)) for (const q of p.fields ?? []) if (test(q.name)) return { field: q.name, at: inferredFrom([p])[0] ?? e.at };
  return null;
}

function finish(d: Draft, inp: ObjectInputs, origin: 'code' | 'context'): DomainObject {
  const base = d.name.split(' ')[0]!;
  // A field the server fills from the sending connection (`id: sender.id`) names who sent it; it
  // is the object's identity only where there is one object per sender (a cursor, a presence).
  const stamped = new Map(d.events.flatMap((e) => e.payload.flatMap((p) => (p.sender ? [[p.name, p.sender] as const] : []))));
  const perSender = PER_SENDER.has(d.kind);
  const idField = (f: string) => (f === `${base}Id` || f === 'id') && (perSender || !stamped.has(f));
  const parent = fieldFact(d, (f) => /^[a-z]+Id$/.test(f) && !idField(f) && !OWNER.test(f) && !CONTAINER.test(f), 'client-to-server');
  // A client's own message shows who it claims to be; look there first, so a server emit that
  // copies it (`author: dto.userId`) is not taken for a server-set author.
  const ownerSent = fieldFact(d, (f) => OWNER.test(f), 'client-to-server');
  // Only an event that goes client → server alone shows a client sending it: a two-way event's
  // payload merges what clients send with what they receive (a listener's typed `userId`).
  const clientSends = ownerSent !== null && d.events.some((e) => e.direction === 'client-to-server' && e.payload.some((p) => p.name === ownerSent.field));
  const at = new Set(d.events.flatMap((e) => [e.at, ...inferredFrom(e.payload)]).filter((x): x is string => x !== null));
  const plural = new RegExp(`\\b${base}s?\\b`, 'i');
  const obj: Omit<DomainObject, 'decision'> = {
    name: d.name,
    kind: d.kind,
    origin,
    events: d.events.map(({ name, direction, at: where }) => ({ name, direction, at: where })),
    parent: parent ? { field: parent.field.replace(/Id$/, ''), at: parent.at } : null,
    id: fieldFact(d, idField),
    owner: ownerSent ? { ...ownerSent, by: clientSends ? 'client' : 'server' } : d.kind === 'presence' || d.kind === 'derived' ? null : senderOwner(stamped),
    container: fieldFact(d, (f) => CONTAINER.test(f)),
    order: fieldFact(d, (f) => ORDER.test(f)),
    version: fieldFact(d, (f) => VERSION.test(f)),
    ...(() => {
      const updated = fieldFact(d, (f) => UPDATED.test(f));
      return updated ? { updated } : {};
    })(),
    // A derived object (poll results) is computed from its source's store, not held in one.
    store: d.kind === 'derived' ? null : storeOf(base, d.kind, inp),
    payloadShown: d.events.some((e) => e.payload.length > 0 || e.bare === true),
    sessionOnly: sessionOnlyOf(plural, inp.requirements),
    ...(d.snapshot ? { snapshot: true } : {}),
    findings: inp.findings.filter((f) => at.has(f.evidence)).map((f) => ({ id: f.id, at: f.evidence, ...(f.readAt ? { readAt: f.readAt } : {}) })),
    context: inp.requirements
      .filter((r) => plural.test(r.sentence))
      .map((r) => ({ sentence: r.sentence, at: r.evidence }))
      .filter((c, i, all) => all.findIndex((o) => o.sentence === c.sentence) === i)
      .slice(0, 2),
  };
  // The context saying it happens once per someone per something makes it a submission: the first wins, a repeat never overwrites.
  const once = ONCE_KINDS.has(obj.kind) ? oncePerOf(base, inp.requirements) : null;
  const shaped = once ? { ...obj, kind: 'submission' as const, oncePer: once } : obj;
  const decided = { ...shaped, decision: decide(shaped) };
  // Sent on some changes only: the next one may never come, so a lost or stale one is not superseded.
  const partial = decided.decision.delivery === 'droppable' ? decided.findings.find((f) => SENT_ON_SOME_CHANGES.has(f.id)) : undefined;
  const out = partial ? { ...decided, notSuperseded: partial } : decided;
  const deadline = deadlineOf(out);
  return deadline ? { ...out, deadline } : out;
}

/** Findings that say the code sends an object on some of its changes only (analyze/rules/roster.ts). */
const SENT_ON_SOME_CHANGES = new Set(['roster-count-on-join-only']);

/**
 * Where the code keeps the object: module-level state the audit names (`Module-level Map \`polls\``),
 * or process state the project model found, whose name is the noun or its plural (`polls` holds
 * polls, `game.players` players). Only a name that is the noun says so: `all` or `recent` may hold
 * anything, and the plan then says the store is not in the model.
 */
function storeOf(noun: string, kind: ObjectKind, inp: ObjectInputs): DomainObject['store'] {
  for (const f of inp.findings) {
    const m = /Module-level \w+ `([^`]+)`/.exec(f.message);
    if (m?.[1] && m[1].toLowerCase().includes(noun.toLowerCase())) return { field: m[1], at: f.evidence };
  }
  const named = new RegExp(`^${noun.replace(/[^A-Za-z0-9]/g, '')}(s|es)?$`, 'i');
  // A table (or key) of the object's own storage named after the noun, or after what the object is
  // (`messages` for a chat message): written there, it outlives the process.
  const kindNamed = new RegExp(`^${kind}(s|es)?$`, 'i');
  // A shared store's key names the object in its last written part (`board:{boardId}:cards` holds
  // cards; `board` there is the scope the cards are kept per, not what is kept).
  const parts = (w: StorageWrite): string[] => (w.shared ? [lastKeyPart(w.store)] : [w.store]);
  const write = (inp.storageWrites ?? []).find((w) => parts(w).some((x) => named.test(x) || (KEPT_KINDS.has(kind) && kindNamed.test(x))));
  if (write) return { field: write.store, at: write.at, write: { call: write.call, verb: write.verb, ...(write.shared ? { shared: write.shared } : {}) } };
  const state = (inp.processState ?? []).find((s) => named.test(s.name.split('.').pop() ?? ''));
  return state ? { field: state.name, at: state.at } : null;
}

/** The last literal part of a key as written: `cards` of `board:{boardId}:cards`, `cards` of `cards:{boardId}`. */
export function lastKeyPart(key: string): string {
  return (
    key
      .split(/[:/.#|]/)
      .filter((x) => x && !x.startsWith('{'))
      .pop() ?? ''
  );
}

/** The first context sentence keeping the object only for its room's or session's life. */
function sessionOnlyOf(named: RegExp, requirements: readonly Requirement[]): DomainObject['sessionOnly'] {
  const r = requirements.find((x) => sessionOnlyClause(x.sentence, named) !== null);
  return r ? { sentence: r.sentence, at: r.evidence } : null;
}

/** An object the session or the scenario names but no existing event shows yet. */
export function objectFromContext(name: string, kind: ObjectKind, inp: ObjectInputs): DomainObject {
  return finish({ name, kind, events: [] }, inp, 'context');
}

/**
 * A model's tool call awaiting the user's approval: identified by the provider's call id, it moves
 * pending → approved or rejected → output sent. The provider events that move it are the ones
 * the code already speaks; the app's own approval events are proposed by the scenario.
 */
export function toolCallObject(tc: { id: string; events: readonly string[]; direct?: string[] }, inp: ObjectInputs): DomainObject {
  const events = tc.events.flatMap((n) => inp.events.filter((e) => e.name === n).slice(0, 1));
  const draft: Draft = {
    name: 'tool call',
    kind: 'tool-call',
    events: events.map((e) => ({ name: e.name, direction: e.direction, at: e.evidence, payload: e.payload ?? [] })),
  };
  const idAt = events.flatMap((e) => (e.payload ?? []).filter((p) => p.name === tc.id).map((p) => inferredFrom([p])[0] ?? e.evidence))[0] ?? null;
  const obj = finish(draft, inp, 'context');
  return {
    ...obj,
    id: { field: tc.id, at: idAt },
    owner: null,
    parent: null,
    version: null,
    ...(tc.direct?.length ? { direct: tc.direct } : {}),
    ...(tc.events.length > 0 ? { providerEvents: tc.events } : {}),
  };
}

/**
 * The catalog events that move each object: its own events, then proposed ones whose noun is the
 * object's (or names the same kind), membership actions for a membership, and the ones carrying a
 * tool call's id for a tool call. An event moves at most one object.
 */
export function withMoves(
  objects: readonly DomainObject[],
  catalog: readonly { name: string; payload: readonly PayloadField[]; direction?: Direction }[],
): DomainObject[] {
  const taken = new Set(objects.flatMap((o) => o.events.map((e) => e.name)));
  // A noun the catalog also sends its own changes of (`workspace:update`) is an entity of its own: its subscribe is not another entity's membership.
  const ownNouns = new Set(
    catalog
      .filter((e) => e.direction === 'server-to-client')
      .flatMap((e) => {
        const p = parseName(e.name);
        return p && !(p.action != null && MEMBERSHIP.has(p.action)) ? [p.noun] : [];
      }),
  );
  const moves = new Map(objects.map((o) => [o, o.events.map((e) => e.name)]));
  for (const e of catalog) {
    if (taken.has(e.name)) continue;
    const parsed = parseName(e.name);
    const fields = e.payload.map((p) => p.name);
    const membership = parsed?.action != null && MEMBERSHIP.has(parsed.action);
    // A publication named by its channel (`parcel:{parcelId}` on a channel server) moves the object the channel is named after.
    const channelNoun = /^([A-Za-z][\w-]*)[:/.]\{[^}]+\}$/.exec(e.name)?.[1];
    const o =
      (channelNoun ? objects.find((x) => x.name.split(' ')[0] === channelNoun) : undefined) ??
      // y-protocols sync messages move the CRDT document.
      (parsed?.noun === 'sync' ? objects.find((x) => x.decision.versioning === 'state-vector') : undefined) ??
      objects.find((x) => x.kind === 'tool-call' && x.id && (fields.includes(x.id.field) || fields.includes('callId') || x.providerEvents?.includes(e.name))) ??
      (parsed
        ? (objects.find((x) => (membership ? x.name === `${parsed.noun} membership` : x.name.split(' ')[0] === parsed.noun)) ??
          (membership && ownNouns.has(parsed.noun) ? objects.find((x) => x.name === parsed.noun) : undefined) ??
          objects.find((x) => {
            if (membership && ownNouns.has(parsed.noun)) return false;
            const kind = membership ? 'presence' : kindOf(parsed.noun, parsed.action, fields, false);
            return kind !== 'record' && x.kind === kind;
          }))
        : undefined);
    if (!o) continue;
    taken.add(e.name);
    moves.get(o)!.push(e.name);
  }
  const noted = (o: DomainObject) =>
    o.kind === 'tool-call' ||
    !!o.keyedBy ||
    !!o.deadline ||
    o.owner !== null ||
    o.store !== null ||
    o.findings.length > 0 ||
    o.decision.unknowns.length > 0 ||
    (o.wholeWrites?.length ?? 0) > 0 ||
    o.context.length > 0;
  const direction = new Map(catalog.map((e) => [e.name, e.direction]));
  // Every event that moves it goes server → client (a publication on its channel): no client writes
  // it, so there are no concurrent client changes to resolve, as for an object the code only sends.
  const serverOnly = (o: DomainObject, names: readonly string[]) =>
    names.length > 0 &&
    names.every((n) => direction.get(n) === 'server-to-client') &&
    ['field-lww-in-server-order', 'whole-move-in-server-order'].includes(o.decision.conflict);
  return objects.map((o) => {
    const names = moves.get(o)!;
    const decided = serverOnly(o, names) ? { ...o, decision: { ...o.decision, conflict: 'server-only' as const } } : o;
    return { ...decided, moves: names, noted: noted(decided) };
  });
}

/**
 * The participant whose state the code keys by the connection id (`game.players` by `socket.id`):
 * a reconnect gets a new id and loses it. Named after the store's last segment ("players" →
 * "player"); it joins through the membership event that writes the store, when one is found.
 */
export function participantObject(k: { id: string; store: string; at: string }, fromCode: readonly DomainObject[], inp: ObjectInputs): DomainObject | null {
  const last = k.store.split('.').pop() ?? '';
  const noun = last.replace(/ies$/, 'y').replace(/s$/, '').toLowerCase();
  if (!/^[a-z]+$/.test(noun)) return null;
  const join = fromCode
    .filter((o) => o.kind === 'presence')
    .flatMap((o) => o.events)
    .find((e) => e.direction !== 'server-to-client' && /join/i.test(e.name));
  const obj = finish(
    { name: noun, kind: 'participant', events: join ? [{ name: join.name, direction: join.direction, at: join.at, payload: [] }] : [] },
    inp,
    'context',
  );
  return {
    ...obj,
    keyedBy: { id: k.id, store: k.store, at: k.at, join: join?.name ?? null },
    reclaimWindow: reclaimWindowOf(inp.requirements),
    owner: null,
    parent: null,
    version: null,
    id: null,
  };
}

const DROP = /\b(los(e|es|t|ing) (the |their |its )?(connection|signal|network)|disconnect\w*|reconnect\w*|drops? out|goes offline|offline)\b/i;
const SHORT_SPAN = /\b(?:under|within|less than|up to|for)\s+(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|min|mins|minutes?)\b/i;

/**
 * The span a context sentence says a dropped participant must get back within ("a player who
 * loses connection for under 30 s keeps their score"): how long the entry outlives its connection.
 */
export function reclaimWindowOf(requirements: readonly { sentence: string; evidence: Evidence }[]): DomainObject['reclaimWindow'] {
  for (const r of requirements) {
    for (const clause of r.sentence.split(/;|\.\s/)) {
      const m = SHORT_SPAN.exec(clause);
      if (!m || !DROP.test(clause)) continue;
      const seconds = Number(m[1]) * (/^m/i.test(m[2]!) ? 60 : 1);
      if (seconds > 0) return { seconds, sentence: r.sentence, at: r.evidence };
    }
  }
  return null;
}

/** Kinds a client writes and keeps: the ones a "once per" sentence can make a submission (not a cursor, a presence or a result). */
const ONCE_KINDS = new Set<ObjectKind>(['record', 'document', 'movable', 'submission']);
/** "Once per second" is a rate, not a one-per-something rule. */
const TIME_UNIT = /^(ms|millisecond|second|sec|s|minute|min|hour|day|week|month|year|tick|frame)$/;
/** Words between a subject and its verb that change neither: "every player can only answer once per question". */
const FILLER = /^(can|may|must|should|will|only|gets?|to|just)$/;
const singular = (w: string) =>
  w
    .replace(/ies$/, 'y')
    .replace(/(ss|sh|ch|x)es$/, '$1')
    .replace(/([^s])s$/, '$1');
/** A verb or noun that is the object's noun ("answers" and "answer" for answer, "votes" for vote, "guesses" for guess). */
const isNoun = (w: string, noun: string) => w === noun || singular(w) === noun || w === `${noun}s` || w === `${noun}es`;

/**
 * The context sentence saying an object happens once per someone per something: "Every player
 * answers once per question", "each user can vote only once per poll", "one vote per user per
 * poll". `by` is the someone (singular), `per` the something; either is null when not named.
 */
export function oncePerOf(noun: string, requirements: readonly { sentence: string; evidence: Evidence }[]): DomainObject['oncePer'] {
  const n = noun.toLowerCase();
  for (const r of requirements) {
    for (const clause of r.sentence.split(/[;,:]|\.\s/)) {
      const words = clause.toLowerCase().match(/[a-z][a-z-]*/g) ?? [];
      // "<subject> <verb> once per <x>": the verb is the object's noun.
      for (let i = 0; i < words.length; i++) {
        if (words[i] !== 'once') continue;
        const per = /^(per|each|every|a)$/.test(words[i + 1] ?? '') ? (words[i + 2] === 'each' ? words[i + 3] : words[i + 2]) : undefined;
        if (per && TIME_UNIT.test(singular(per))) continue;
        let v = i - 1;
        while (v >= 0 && FILLER.test(words[v]!)) v--;
        if (v < 0 || !isNoun(words[v]!, n)) continue;
        let s = v - 1;
        while (s >= 0 && FILLER.test(words[s]!)) s--;
        const subject = s >= 0 && !/^(every|each|the|a|an|and|or|so|then)$/.test(words[s]!) ? singular(words[s]!) : null;
        return { by: subject, per: per ? singular(per) : null, sentence: r.sentence, at: r.evidence };
      }
      // "one <noun> per <someone> (per <something>)".
      for (let i = 0; i + 3 < words.length; i++) {
        if (words[i] !== 'one' || !isNoun(words[i + 1]!, n) || words[i + 2] !== 'per') continue;
        const first = singular(words[i + 3]!);
        if (TIME_UNIT.test(first)) continue;
        const second = words[i + 4] === 'per' && words[i + 5] ? singular(words[i + 5]!) : null;
        return second ? { by: first, per: second, sentence: r.sentence, at: r.evidence } : { by: null, per: first, sentence: r.sentence, at: r.evidence };
      }
    }
  }
  return null;
}

const DEADLINE = /\b(open for|closes? after|deadline|time limit|times? out after)\b/i;

/** The first context sentence of an object that gives it a time limit. */
export function deadlineOf(o: DomainObject): DomainObject['deadline'] {
  const c = o.context.find((x) => DEADLINE.test(x.sentence));
  return c ? { sentence: c.sentence, at: c.at } : null;
}
