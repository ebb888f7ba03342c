// Broadcasts every instance produces itself: the context says each instance consumes the whole
// upstream source ("every instance consumes the whole upstream feed"), and the code shows that what
// the socket index is sent comes from that source, never from a client's message, connection or
// request. Each instance then sends the same data to the sockets it holds: nothing crosses
// instances for those broadcasts, and state filled from the source is the same on every instance.
// Pure: reads the session requirements and the project model.
import type { ModelFact } from '../types.js';
import type { PlanInput } from './types.js';

/** The context says every instance reads the whole source of events ("every instance consumes the whole upstream feed"). */
export const WHOLE_FEED =
  /\b(?:every|each|all)\s+(?:\w+\s+)?(?:instances?|nodes?|servers?|pods?|replicas?)\b[^.]{0,40}\b(?:consumes?|reads?|receives?|subscribes? to|gets?)\b[^.]{0,30}\b(?:whole|entire|full|all|every)\b/i;

export interface InstanceFeed {
  /** The context sentence and where it is. */
  sentence: string;
  evidence: string;
  /** The functions that send the source's data to the sockets, each at its send. */
  broadcasts: ModelFact[];
}

/**
 * Only when every socket index is sent to from outside the connections (no handler reaches the
 * send) and no handler joins a room and sends to it: a broadcast a client causes arrives on one
 * instance and still has to reach the others.
 */
export function instanceFeed(input: PlanInput): InstanceFeed | null {
  const req = input.sessions.requirements.find((r) => WHOLE_FEED.test(r.sentence));
  if (!req) return null;
  const facts = input.analysis.modelFacts ?? [];
  const broadcasts = facts.filter((f) => f.kind === 'broadcast-source');
  if (broadcasts.length === 0 || broadcasts.some((b) => b.value === 'client')) return null;
  if (facts.some((f) => f.kind === 'join-broadcast')) return null;
  const indexes = facts.filter((f) => f.kind === 'socket-index');
  if (indexes.some((i) => !broadcasts.some((b) => b.store === i.name))) return null;
  return { sentence: req.sentence, evidence: req.evidence, broadcasts };
}
