// Domain objects from the project's own facts: the nouns of its event names, the fields of
// their payloads (with the file:line the analyzer read them from), module-level state the
// audit found, and the session sentences that name them. Pure: no fs, no clock.
import type { Direction, Evidence, Finding, PayloadField, Requirement, RtEvent } from '../../types.js';
import { decide } from './decide.js';
import { parseName } from './names.js';
import type { DomainObject, Fact, ObjectKind } from './types.js';

const MEMBERSHIP = new Set(['join', 'joined', 'leave', 'left', 'members', 'member', 'subscribe', 'unsubscribe']);
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
  [/^(result|score|leaderboard|price|quote|stat|count|metric|period)$/, 'derived'],
  [/^(token|output|completion|tool|agent)$/, 'stream'],
];

const OWNER = /^(by|userId|authorId|senderId|ownerId|createdBy|from|author|user)$/;
const CONTAINER = /^(column|columnId|status|lane|list|listId|stage|bucket)$/;
const ORDER = /^(position|index|order|rank|sortKey|pos)$/;
const VERSION = /^(seq|version|rev|revision|lastSeq|baseSeq)$/;

export interface ObjectInputs {
  events: readonly RtEvent[];
  findings: readonly Finding[];
  requirements: readonly Requirement[];
}

interface Draft {
  name: string;
  kind: ObjectKind;
  events: { name: string; direction: Direction; at: Evidence | null; payload: PayloadField[] }[];
}

/** Where the analyzer read payload fields (their description says `inferred from a.ts:3, b.ts:9`). */
function inferredFrom(fields: readonly PayloadField[]): string[] {
  return fields.flatMap((p) => /^inferred from (.+)$/.exec(p.description ?? '')?.[1]?.split(', ') ?? []);
}

function kindOf(noun: string, action: string | null, fields: readonly string[], membership: boolean): ObjectKind {
  if (membership) return 'presence';
  if (action && DERIVED_ACTIONS.has(action)) return 'derived';
  for (const [re, kind] of KIND_BY_NOUN) if (re.test(noun)) return kind;
  if (fields.some((f) => ORDER.test(f)) && (fields.some((f) => CONTAINER.test(f)) || action === 'move' || action === 'moved')) return 'movable';
  return 'record';
}

/** Objects the existing events show, one per noun (membership and derived results apart from their parent). */
export function objectsFromCode(inp: ObjectInputs): DomainObject[] {
  const drafts = new Map<string, Draft>();
  const seen = new Set<string>();
  for (const e of inp.events) {
    // The same event read on both sides (client and server) is one event.
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    const parsed = parseName(e.name);
    if (!parsed) continue;
    const membership = parsed.action !== null && MEMBERSHIP.has(parsed.action);
    const fields = (e.payload ?? []).map((p) => p.name);
    const kind = kindOf(parsed.noun, parsed.action, fields, membership);
    const name = membership
      ? `${parsed.noun} membership`
      : kind === 'derived' && parsed.action && DERIVED_ACTIONS.has(parsed.action)
        ? `${parsed.noun} ${parsed.action}`
        : parsed.noun;
    const d = drafts.get(name) ?? { name, kind, events: [] };
    // A later event with clearer fields (a move) can sharpen a record into a movable.
    if (d.kind === 'record' && kind !== 'record') d.kind = kind;
    d.events.push({ name: e.name, direction: e.direction, at: e.evidence, payload: e.payload ?? [] });
    drafts.set(name, d);
  }
  return [...drafts.values()].map((d) => finish(d, inp, 'code'));
}

function fieldFact(d: Draft, test: (f: string) => boolean, prefer?: Direction): Fact | null {
  const order = prefer ? [...d.events].sort((a, b) => Number(b.direction === prefer) - Number(a.direction === prefer)) : d.events;
  for (const e of order) for (const p of e.payload) if (test(p.name)) return { field: p.name, at: inferredFrom([p])[0] ?? e.at };
  return null;
}

function finish(d: Draft, inp: ObjectInputs, origin: 'code' | 'context'): DomainObject {
  const base = d.name.split(' ')[0]!;
  const idField = (f: string) => f === `${base}Id` || f === 'id';
  const parent = fieldFact(d, (f) => /^[a-z]+Id$/.test(f) && !idField(f) && !OWNER.test(f) && !CONTAINER.test(f), 'client-to-server');
  const ownerSent = fieldFact(d, (f) => OWNER.test(f));
  const clientSends = ownerSent !== null && d.events.some((e) => e.direction !== 'server-to-client' && e.payload.some((p) => p.name === ownerSent.field));
  const at = new Set(d.events.flatMap((e) => [e.at, ...inferredFrom(e.payload)]).filter((x): x is string => x !== null));
  const plural = new RegExp(`\\b${base}s?\\b`, 'i');
  const obj: Omit<DomainObject, 'decision'> = {
    name: d.name,
    kind: d.kind,
    origin,
    events: d.events.map(({ name, direction, at: where }) => ({ name, direction, at: where })),
    parent: parent ? { field: parent.field.replace(/Id$/, ''), at: parent.at } : null,
    id: fieldFact(d, idField),
    owner: ownerSent ? { ...ownerSent, by: clientSends ? 'client' : 'server' } : null,
    container: fieldFact(d, (f) => CONTAINER.test(f)),
    order: fieldFact(d, (f) => ORDER.test(f)),
    version: fieldFact(d, (f) => VERSION.test(f)),
    store: storeOf(base, inp.findings),
    findings: inp.findings.filter((f) => at.has(f.evidence)).map((f) => ({ id: f.id, at: f.evidence })),
    context: inp.requirements
      .filter((r) => plural.test(r.sentence))
      .map((r) => ({ sentence: r.sentence, at: r.evidence }))
      .filter((c, i, all) => all.findIndex((o) => o.sentence === c.sentence) === i)
      .slice(0, 2),
  };
  return { ...obj, decision: decide(obj) };
}

/** Module-level state the audit names (`Module-level Map \`polls\``) whose name holds the noun. */
function storeOf(noun: string, findings: readonly Finding[]): Fact | null {
  for (const f of findings) {
    const m = /Module-level \w+ `([^`]+)`/.exec(f.message);
    if (m?.[1] && m[1].toLowerCase().includes(noun.toLowerCase())) return { field: m[1], at: f.evidence };
  }
  return null;
}

/** An object the session or the scenario names but no existing event shows yet. */
export function objectFromContext(name: string, kind: ObjectKind, inp: ObjectInputs): DomainObject {
  return finish({ name, kind, events: [] }, inp, 'context');
}
