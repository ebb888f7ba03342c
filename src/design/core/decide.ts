// The decisions per object, from its kind and the facts next to it. A kind fixes the policy;
// the facts say what the code already has and what it does not show, never guessed.
import type { Decision, DomainObject } from './types.js';

type Facts = Omit<DomainObject, 'decision'>;

const POLICY: Record<DomainObject['kind'], Omit<Decision, 'unknowns'>> = {
  pointer: { lifetime: 'transient', delivery: 'droppable', versioning: 'none', conflict: 'latest-per-sender' },
  typing: { lifetime: 'transient', delivery: 'droppable', versioning: 'none', conflict: 'latest-per-sender' },
  presence: { lifetime: 'transient', delivery: 'reliable', versioning: 'none', conflict: 'server-only' },
  message: { lifetime: 'persisted', delivery: 'reliable', versioning: 'seq-per-parent', conflict: 'append-only' },
  notification: { lifetime: 'persisted', delivery: 'reliable', versioning: 'per-user', conflict: 'append-only' },
  document: { lifetime: 'persisted', delivery: 'reliable', versioning: 'seq-per-parent', conflict: 'field-lww-in-server-order' },
  movable: { lifetime: 'persisted', delivery: 'reliable', versioning: 'seq-per-parent', conflict: 'whole-move-in-server-order' },
  submission: { lifetime: 'persisted', delivery: 'reliable', versioning: 'per-user', conflict: 'once-per-user' },
  derived: { lifetime: 'transient', delivery: 'droppable', versioning: 'none', conflict: 'server-only' },
  stream: { lifetime: 'persisted', delivery: 'reliable', versioning: 'seq-per-parent', conflict: 'server-only' },
  participant: { lifetime: 'persisted', delivery: 'reliable', versioning: 'none', conflict: 'newest-connection-takes-over', identity: 'reclaim-token' },
  'tool-call': { lifetime: 'transient', delivery: 'reliable', versioning: 'lifecycle', conflict: 'first-decision-wins' },
  // A read marker only moves forward: two devices marking at once converge on the higher seq, with no conflict to resolve.
  'read-marker': { lifetime: 'persisted', delivery: 'reliable', versioning: 'per-user', conflict: 'highest-wins' },
  // A request that the server act: acked and run once per mutationId, never stored or replayed as state.
  command: { lifetime: 'transient', delivery: 'reliable', versioning: 'none', conflict: 'runs-once' },
  record: { lifetime: 'persisted', delivery: 'reliable', versioning: 'seq-per-parent', conflict: 'field-lww-in-server-order' },
};

/**
 * A context sentence saying the object is kept only while its room or session lives, with no
 * history ("kept for the session of the room only (no history needed)", "not persisted", "in
 * memory only"): it is held in memory, never written to a store.
 */
const SESSION_ONLY =
  /\b(?:no (?:history|persistence)\b|(?:not|never|no need to|don'?t need to) (?:be )?persist(?:ed)?\b|in[- ]memory only|only in memory|(?:kept|stored|held) (?:only )?(?:for|during|while) the (?:session|lifetime|life)\b|session[- ]only)/i;

/**
 * An explicit "no history" for the object ("no history needed", "history is not needed", "no need
 * to keep them"): only this lets a message go without a seq, relayed as it arrives. "Kept for the
 * lifetime of the room" or "in memory only" asks for history while the room lives.
 */
const NO_HISTORY = /\b(?:no (?:history|backlog)\b|(?:history|backlog) (?:is |are )?not (?:needed|required|kept)\b|no need (?:to|for) (?:keep|store|history))/i;

/** What a session-only object lives as long as: the parent it lives in, else what the sentence names. */
function sessionOnlyOf(o: Pick<Facts, 'parent' | 'sessionOnly'>): string | null {
  if (!o.sessionOnly) return null;
  if (o.parent) return o.parent.field;
  return /\broom\b/i.test(o.sessionOnly.sentence) ? 'room' : 'session';
}

/** The clause of a sentence that names the object (`named`) and keeps it for the session only, if any. */
export function sessionOnlyClause(sentence: string, named: RegExp): string | null {
  return sentence.split(/;|\.\s/).find((c) => named.test(c) && SESSION_ONLY.test(c)) ?? null;
}

export function decide(o: Facts, opts: { crdt?: boolean } = {}): Decision {
  const policy: Omit<Decision, 'unknowns'> = { ...POLICY[o.kind] };
  // The context keeps it only while its room or session lives: memory, not a store.
  const heldFor = policy.lifetime === 'persisted' ? sessionOnlyOf(o) : null;
  // With no history asked for, a message is relayed as it arrives and only the recent ones are kept for
  // late joiners: nothing is replayed from a position, so no seq is proposed for it.
  if (heldFor)
    Object.assign(
      policy,
      { lifetime: 'memory', heldFor },
      o.kind === 'message' && NO_HISTORY.test(o.sessionOnly?.sentence ?? '') ? { versioning: 'none' } : {},
    );
  // A snapshot (the state a server sends on connect) is sent once: a dropped one is never superseded,
  // so the client would start from nothing.
  if (o.snapshot) policy.delivery = 'reliable';
  // A document merged by a CRDT has state vectors, not a seq, and no conflicts to resolve.
  if (o.kind === 'document' && opts.crdt) Object.assign(policy, { versioning: 'state-vector', conflict: 'crdt-merge' });
  // An object the code only ever sends to clients (a match's cards on a read-only scoreboard)
  // has no concurrent client writes to resolve: over this channel only the server writes it.
  const serverSent = o.origin === 'code' && o.events.length > 0 && o.events.every((e) => e.direction === 'server-to-client');
  if (serverSent && ['field-lww-in-server-order', 'whole-move-in-server-order'].includes(policy.conflict)) policy.conflict = 'server-only';
  // A client that sends the version its change is based on (`baseVersion`) has an optimistic
  // check already: a change made on an old version is refused, not written over a newer one.
  if (o.version && /^(base|expected)/.test(o.version.field) && policy.conflict === 'field-lww-in-server-order') policy.conflict = 'version-check';
  const unknowns: string[] = [];
  if (o.origin === 'code') {
    // No payload shown: whether it carries an id or its author is unknown, not absent.
    const unseen = o.payloadShown === false;
    const kept = policy.lifetime !== 'transient';
    if (unseen && kept) unknowns.push('payload');
    if (!unseen && !o.id && o.kind !== 'presence' && o.kind !== 'derived' && kept) unknowns.push('id');
    if (o.kind === 'movable' && o.order) unknowns.push('order-meaning');
    if (policy.lifetime === 'persisted' && !o.store) unknowns.push('store');
    if (!unseen && !o.owner && kept) unknowns.push('owner');
  }
  return { ...policy, unknowns };
}
