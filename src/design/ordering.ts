// What orders a channel's events and what a reconnecting client resumes from: one decision,
// made once and kept in the plan's data, so every section (Summary, Communication
// requirements, Core design, Event protocol, State synchronization, Testing) says the same.
// - 'log-id': the project appends its events to a log (a Redis Stream read with XREAD) and an
//   EventSource stream writes that log's entry ids as `id:`; the ids rise but are not
//   consecutive, and Last-Event-ID resumes from them, so no seq of ours is added.
//   https://redis.io/docs/latest/develop/data-types/streams/#entry-ids
//   https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header
// - 'state-vector': Yjs documents (updates commute; no seq).
// - 'stream': a library's own answer stream (AI SDK), ordered by the stream itself.
// - 'record-version': the events the server sends already carry a version the system of record
//   sets where the record is written (a field of another system's answer, model/record-version.ts):
//   it orders the events and is what a client resumes from; a counter of ours could disagree with it.
// - 'none': no seq of ours (the newest value wins, or the server cannot be changed).
// - 'server-seq': otherwise, one writer per channel assigns a seq at write.
import type { DesignCtx } from './context.js';
import { seqless, stateVectors } from './scenarios/index.js';
import { streamSdk } from './profiles/ai-streams.js';
import { logOrdered, streamLogOf } from './stream-resume.js';
import type { Analysis, Evidence } from '../types.js';

/**
 * What a client does with a change that skips ahead of the next one it expects: one policy, stated
 * in these words by every section that speaks of gaps (Event protocol, the steps, the risks), so the
 * plan never says both "resync at once" and "buffer first". A change can arrive ahead of an earlier
 * one that is still in flight (two instances, a replay racing live events), so it is held briefly;
 * a gap still open after the wait is a lost change, answered by asking for the current state.
 */
export const GAP_WAIT = { seconds: 2, messages: 100 };

/** `field` is Markdown (`` `seq` ``); `resyncMd` says how the client asks again ("asking for a resync"). */
export function gapRuleMd(field: string, resyncMd: string): string {
  return `apply ${field} = local + 1, drop ${field} ≤ local as duplicates, and buffer ${field} > local + 1, ${resyncMd} if the gap is still open after ${GAP_WAIT.seconds} s or ${GAP_WAIT.messages} buffered messages`;
}

/** A version the system of record sets, and the events the server sends that carry it. */
export interface RecordVersion {
  /** The field, as the answer's type names it (`version`). */
  field: string;
  /** Each event carrying it: the function returning the answer, where the handler binds it, and where the answer is returned. */
  events: { event: string; fn: string; evidence: Evidence; answeredAt: Evidence }[];
}

/** The version field the system of record sets on what the server sends (`record-version` model facts), when there is one. */
export function recordVersionOf(analysis: Analysis): RecordVersion | null {
  const facts = (analysis.modelFacts ?? []).filter((f) => f.kind === 'record-version' && f.store && f.value && f.answeredAt);
  const field = facts[0]?.name;
  if (!field) return null;
  const events = facts
    .filter((f) => f.name === field)
    .map((f) => ({ event: f.store as string, fn: f.value as string, evidence: f.evidence, answeredAt: f.answeredAt as string }));
  return { field, events };
}

export interface Ordering {
  by: 'server-seq' | 'log-id' | 'record-version' | 'state-vector' | 'stream' | 'none';
  /** The log whose entry ids order and resume the events (where the code appends to it), for 'log-id'. */
  log?: { evidence: Evidence; cap: number | null };
  /** The version the system of record sets on the events, for 'record-version'. */
  record?: RecordVersion;
}

/** An AI SDK's UI message stream orders each answer's parts itself: the plan adds no seq (Ordering, Core design). */
export function streamOrdered(ctx: Pick<DesignCtx, 'input' | 'scenarios'>): boolean {
  return streamSdk(ctx) !== null && ctx.scenarios.every((s) => s === 'ai-streaming');
}

export function orderingOf(ctx: DesignCtx): Ordering {
  if (stateVectors(ctx)) return { by: 'state-vector' };
  if (seqless(ctx)) return { by: 'none' };
  if (streamOrdered(ctx)) return { by: 'stream' };
  const log = streamLogOf(ctx.input.analysis);
  if (log && logOrdered(ctx)) return { by: 'log-id', log };
  const record = recordVersionOf(ctx.input.analysis);
  if (record && ctx.scenarios.includes('state-sync')) return { by: 'record-version', record };
  return { by: 'server-seq' };
}

/** The log's entry ids order the events (never a seq of ours). */
export function logIdOrdered(ctx: DesignCtx): boolean {
  return orderingOf(ctx).by === 'log-id';
}

/** The system of record's version orders the events: no seq or log of ours. */
export function recordOrdered(ctx: DesignCtx): RecordVersion | null {
  const o = orderingOf(ctx);
  return o.by === 'record-version' ? (o.record ?? null) : null;
}
