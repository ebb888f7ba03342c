// State-sync events for this project's objects, named in its own style: one catch-up event
// per sync scope (`board:sync` with the last seq), a snapshot, and the existing change events
// extended with `seq` (server to client) and `mutationId` plus an ack (client to server).
// Only where no existing event carries a change does it propose new change events.
import type { EventSpec, PayloadField } from '../../types.js';
import { ev, f } from '../scenarios/kit.js';
import { nameIn, reliableObjects, syncScope, type CoreDesign } from './index.js';
import { parseName } from './names.js';

export interface SyncNames {
  scope: string;
  /** The field naming one instance of the scope (`boardId`; `pin` where the code's rooms are keyed by it). */
  id: string;
  /** Catch-up request with the last applied seq; its ack says replay or snapshot. */
  sync: string;
  snapshot: string;
  /** Client-to-server change events (existing ones when the code has them). */
  mutations: string[];
  /** Server-to-client change events. */
  changes: string[];
}

function existingFields(events: readonly { name: string; payload?: PayloadField[] }[], name: string): PayloadField[] {
  return (events.find((e) => e.name === name)?.payload ?? []).map((p) => ({ ...p }));
}

export function syncNames(core: CoreDesign, entity: string): SyncNames {
  const scope = syncScope(core) ?? entity;
  const reliable = reliableObjects(core).filter((o) => o.origin === 'code');
  // A command the client sends is acked and carries an idempotency key like a change, though nothing of it is kept.
  // A query only reads: a retry runs it again, so it carries no key.
  const commands = core.objects.filter((o) => o.kind === 'command' && o.origin === 'code' && !o.query);
  const mutations = [...reliable, ...commands].flatMap((o) => o.events.filter((e) => e.direction !== 'server-to-client').map((e) => e.name));
  const changes = reliable.flatMap((o) => o.events.filter((e) => e.direction !== 'client-to-server').map((e) => e.name));
  return {
    scope,
    id: core.room && core.room.scope === scope ? core.room.param : `${scope}Id`,
    sync: joinOf(core, scope) ?? nameIn(core.style, scope, 'sync'),
    snapshot: nameIn(core.style, scope, 'snapshot'),
    mutations: mutations.length > 0 ? mutations : [nameIn(core.style, scope, 'update')],
    changes: changes.length > 0 ? changes : [nameIn(core.style, scope, 'changed')],
  };
}

/**
 * The code's own join of the scope (`board:join`, sent by the client): it becomes the catch-up request,
 * extended with the last seq and an ack, so a client has one way to join, never a second event beside it.
 */
function joinOf(core: CoreDesign, scope: string): string | null {
  for (const o of core.objects)
    for (const e of o.events) {
      const p = e.at !== null && e.direction !== 'server-to-client' ? parseName(e.name) : null;
      if (p && p.noun === scope && p.action === 'join') return e.name;
    }
  return null;
}

/** A payload field that names a thing by id (`pollId`, `id`), not state. */
const ID_FIELD = /^id$|[a-z]Id$/;

/** A field that gives away the right answer (`correct`, `answer`, `solution`): the code reveals it only when the change event carrying it is sent. */
const ANSWER_KEY = /^(?:correct|correctAnswer|correctChoice|isCorrect|answer|answerKey|solution)$/i;

/**
 * Where a change event of the scope carries the answer key (`question:end` with `correct`), the
 * code reveals it only then: a snapshot taken before must not carry it, or a late joiner reads it.
 */
function hiddenUntilMd(n: SyncNames, events: readonly { name: string; payload?: PayloadField[] }[], core: CoreDesign): string {
  for (const name of n.changes) {
    const key = existingFields(events, name).find((p) => ANSWER_KEY.test(p.name));
    // Open is said of the object whose event reveals the key (a question inside a game), not of the sync scope.
    const owner = core.objects.find((o) => o.events.some((e) => e.name === name))?.name ?? n.scope;
    if (key)
      return `; strips ${key.name} while the ${owner} is open: the code reveals it only with ${name}, so a snapshot sent before that (a late joiner, a reconnect) leaves it out`;
  }
  return '';
}

/**
 * `record`: the version the system of record sets on the events it names (ordering.ts
 * 'record-version'): they keep it as the order and resume key, and no seq of ours is added.
 */
export function syncEvents(
  core: CoreDesign,
  entity: string,
  events: readonly { name: string; payload?: PayloadField[] }[],
  channel: string,
  record?: { field: string; events: readonly { event: string }[] },
): EventSpec[] {
  const n = syncNames(core, entity);
  const versioned = new Set(record?.events.map((e) => e.event) ?? []);
  const last = record ? `last${record.field[0]!.toUpperCase()}${record.field.slice(1)}` : 'lastSeq';
  const id = n.id;
  const reliable = reliableObjects(core).filter((o) => o.origin === 'code');
  // Only where the code reveals an answer key later (`question:end` with `correct`) is there an answer to give away.
  const keyed = hiddenUntilMd(n, events, core) !== '';
  const camel = (name: string) => name.replace(/\s+(\w)/g, (_m, c: string) => c.toUpperCase());
  // One per user (a vote, an answer): a snapshot carries the receiver's own, never everyone's: who chose
  // what stays private, and while its question or poll is open the others' choices give the answer away.
  const snapshotFields = reliable.map((o) =>
    o.decision.conflict === 'once-per-user'
      ? f(
          `own${pascalOf(o.name)}`,
          'unknown',
          `the receiving ${o.oncePer?.by ?? 'user'}'s own ${o.name}, null before they send one; never the other ${o.oncePer?.by ?? 'user'}s': who chose what stays private${o.oncePer?.per && keyed ? `, and while the ${o.oncePer.per} is open their choices would give the answer away` : ''}`,
          true,
        )
      : f(`${camel(o.name)}s`, 'unknown[]', `every ${o.name} with its current fields`),
  );
  // State the server recomputes and sends on each change (`poll:results` with `counts`) is droppable
  // on the wire, but a client that resyncs has only the snapshot until the next one: it carries the
  // latest of each, as the existing update event does, so the client can draw it at once.
  const taken = new Set([id, 'seq', ...snapshotFields.map((x) => x.name)]);
  const derivedFields: PayloadField[] = [];
  const derivedNotes: string[] = [];
  for (const o of core.objects.filter((x) => x.kind === 'derived' && x.origin === 'code' && !x.snapshot && !reliable.includes(x))) {
    for (const e of o.events.filter((x) => x.direction !== 'client-to-server')) {
      const state = existingFields(events, e.name).filter((p) => !ID_FIELD.test(p.name) && !/^(?:seq|version|revision|ts|timestamp|at)$/i.test(p.name));
      if (state.length === 0) continue;
      // One per scope (its id is the scope's): its fields as they are; one per other id: the latest of each.
      if (o.id?.field === id) {
        const fresh = state.filter((p) => !taken.has(p.name));
        for (const p of fresh) {
          taken.add(p.name);
          derivedFields.push(f(p.name, p.type, `the latest ${p.name} that ${e.name} carried, absent before the first`, true));
        }
        if (fresh.length > 0)
          derivedNotes.push(`; it carries the latest ${fresh.map((p) => p.name).join(', ')} of ${e.name}, so a client that resyncs shows them at once`);
      } else {
        const key = `${camel(o.name)}s`;
        if (taken.has(key)) continue;
        taken.add(key);
        derivedFields.push(f(key, 'unknown[]', `the latest ${e.name} of each ${o.id?.field ?? o.name}`));
        derivedNotes.push(`; it carries the latest ${e.name} of each ${o.id?.field ?? o.name}, so a client that resyncs shows them at once`);
      }
    }
  }
  const out: EventSpec[] = [
    ev(
      n.sync,
      'client-to-server',
      channel,
      record
        ? `Join or rejoin a ${n.scope} with the last ${record.field} applied; the server answers with ${n.snapshot}, read from the system that sets ${record.field}`
        : `Join or rejoin a ${n.scope} with the last seq applied; the ack says whether changes are replayed or a snapshot follows`,
      `${pascalOf(n.sync)}Payload`,
      [f(id, 'string'), f(last, 'integer', 'omitted on first join', true)],
      record ? [f(record.field, 'integer')] : [f('mode', "'replay' | 'snapshot'"), f('headSeq', 'integer')],
    ),
    ev(
      n.snapshot,
      'server-to-client',
      channel,
      `The whole ${n.scope} at a ${record ? record.field : 'seq'}; replaces local state${hiddenUntilMd(n, events, core)}${reliable
        .filter((o) => o.decision.conflict === 'once-per-user')
        .map(
          (o) =>
            `; of the ${o.name}s it carries only the receiving ${o.oncePer?.by ?? 'user'}'s own (${`own${pascalOf(o.name)}`}), never the others': who chose what stays private${o.oncePer?.per && keyed ? `, and while the ${o.oncePer.per} is open theirs would give the answer away` : ''}`,
        )
        .join('')}${derivedNotes.join('')}`,
      `${pascalOf(n.snapshot)}Payload`,
      [
        f(id, 'string'),
        record ? f(record.field, 'integer', 'as the system of record answered it') : f('seq', 'integer'),
        ...(snapshotFields.length > 0 || derivedFields.length > 0
          ? snapshotFields
          : [f('state', `${pascalOf(entity)}State`, `the ${entity} as the server holds it`)]),
        ...derivedFields,
      ],
    ),
  ];
  for (const name of n.mutations) {
    const fields = existingFields(events, name);
    out.push(
      ev(
        name,
        'client-to-server',
        channel,
        fields.length > 0 ? 'Existing fields plus mutationId (idempotency key) and an ack' : `Change a ${n.scope}; acked`,
        `${pascalOf(name)}Payload`,
        [...(fields.length > 0 ? fields : [f(id, 'string')]), f('mutationId', 'string', 'UUID; a retry reuses it')],
        [
          f('mutationId', 'string'),
          f('status', "'applied' | 'rejected'"),
          record
            ? f(record.field, 'integer', `the ${record.field} the change was given, for a sender the broadcast leaves out`, true)
            : f('seq', 'integer', undefined, true),
        ],
      ),
    );
  }
  for (const name of n.changes) {
    const fields = existingFields(events, name);
    // The system of record's version already orders it: the event stays as the code sends it, with the mutationId added.
    const ordered = versioned.has(name);
    // The server sends the system of record's answer as it is: where no listener shows the field, the answer's type does.
    const carried = ordered && record && !fields.some((p) => p.name === record.field) ? [f(record.field, 'integer', 'set by the system of record')] : [];
    out.push(
      ev(
        name,
        'server-to-client',
        channel,
        ordered
          ? `Existing fields, ordered by their ${record?.field}, plus the mutationId that caused it`
          : fields.length > 0
            ? `Existing fields plus the per-${n.scope} seq and the mutationId that caused it`
            : `One applied change with its seq`,
        `${pascalOf(name)}Payload`,
        [
          ...(fields.length > 0 ? fields : [f(id, 'string')]),
          ...carried,
          ...(ordered ? [] : [f('seq', 'integer', `per ${n.scope}, assigned at write`)]),
          f('mutationId', 'string', undefined, true),
        ],
      ),
    );
  }
  return out;
}

function pascalOf(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
