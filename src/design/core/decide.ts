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
  record: { lifetime: 'persisted', delivery: 'reliable', versioning: 'seq-per-parent', conflict: 'field-lww-in-server-order' },
};

export function decide(o: Facts, opts: { crdt?: boolean } = {}): Decision {
  const policy = { ...POLICY[o.kind] };
  // A document merged by a CRDT has state vectors, not a seq, and no conflicts to resolve.
  // A snapshot (the state a server sends on connect) is sent once: a dropped one is never superseded,
  // so the client would start from nothing.
  if (o.snapshot) policy.delivery = 'reliable';
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
    if (unseen && policy.lifetime === 'persisted') unknowns.push('payload');
    if (!unseen && !o.id && o.kind !== 'presence' && o.kind !== 'derived' && policy.lifetime === 'persisted') unknowns.push('id');
    if (o.kind === 'movable' && o.order) unknowns.push('order-meaning');
    if (policy.lifetime === 'persisted' && !o.store) unknowns.push('store');
    if (!unseen && !o.owner && policy.lifetime === 'persisted') unknowns.push('owner');
  }
  return { ...policy, unknowns };
}
