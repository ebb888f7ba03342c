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
// - 'none': no seq of ours (the newest value wins, or the server cannot be changed).
// - 'server-seq': otherwise, one writer per channel assigns a seq at write.
import type { DesignCtx } from './context.js';
import { seqless, stateVectors } from './scenarios/index.js';
import { streamSdk } from './profiles/ai-streams.js';
import { logOrdered, streamLogOf } from './stream-resume.js';
import type { Evidence } from '../types.js';

export interface Ordering {
  by: 'server-seq' | 'log-id' | 'state-vector' | 'stream' | 'none';
  /** The log whose entry ids order and resume the events (where the code appends to it), for 'log-id'. */
  log?: { evidence: Evidence; cap: number | null };
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
  return { by: 'server-seq' };
}

/** The log's entry ids order the events (never a seq of ours). */
export function logIdOrdered(ctx: DesignCtx): boolean {
  return orderingOf(ctx).by === 'log-id';
}
