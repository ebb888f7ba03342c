// Where the events already carry a version the system of record sets (ordering.ts
// 'record-version'), that version orders them and is what a client resumes from: the server
// relays it and adds no seq, log or database of its own, which could disagree with it. What the
// code shows is cited at its line; what rt-plan cannot see (whether that system raises the
// version by exactly one, whether it can answer the changes after a version) is said as unknown.
import type { Analysis, Evidence } from '../types.js';
import { code, list } from './md.js';
import { gapRuleMd, type RecordVersion } from './ordering.js';

/** `lastVersion` for `version`: the resume cursor a client sends. */
export function recordCursor(r: RecordVersion): string {
  return `last${r.field[0]!.toUpperCase()}${r.field.slice(1)}`;
}

const fnsMd = (r: RecordVersion): string =>
  list([...new Map(r.events.map((e) => [e.fn, e])).values()].map((e) => `${code(e.fn)} (answered at ${code(e.answeredAt)}, bound at ${code(e.evidence)})`));

/** The events carrying it, as code spans. */
export const recordEventsMd = (r: RecordVersion): string => list([...new Set(r.events.map((e) => e.event))].map((e) => code(e)));

/** Event protocol's convention: the version is the order; the client's rule. */
export function recordRuleMd(r: RecordVersion): string {
  const f = code(r.field);
  return `${f} (on ${recordEventsMd(r)}) comes from the answers of the system the server writes to and reads from, ${fnsMd(r)}: it is the order and the resume key, and this plan adds no ${code('seq')} or counter of its own, which could disagree with it. Clients ${gapRuleMd(f, 'asking for the current state again')}; whether that system raises ${f} by exactly one per change is not in this code: confirm it there, or treat any jump as a gap.`;
}

/** State synchronization's catch-up: a snapshot read from that system, no log of ours. */
export function recordCatchUpMd(r: RecordVersion, sync: string, snapshot: string): string {
  const reads = r.events.find((e) => e.event === snapshot);
  return `A reconnecting client sends ${code(sync)} with the last ${code(r.field)} it applied; the server answers with ${code(snapshot)} read from the system of record${reads ? ` (${code(reads.fn)}, ${code(reads.evidence)})` : ''}, whose ${code(r.field)} replaces the client's; it keeps no log of its own to replay from. rt-plan sees no call in the code that asks that system for the changes after a ${code(r.field)}: if it has one, a client only a few versions behind can be sent those instead of the whole ${snapshot.replace(/^.*[:.]/, '')}.`;
}

/** The concurrency of one connection's messages, where the code shows it (`overlapping-messages`). */
export function overlapOf(analysis: Analysis): { evidence: Evidence; awaitLine: string } | null {
  const f = (analysis.modelFacts ?? []).find((x) => x.kind === 'overlapping-messages');
  return f ? { evidence: f.evidence, awaitLine: f.value ?? '' } : null;
}

/** The step's words on serializing one connection's changes (the author's writes reach that system in the order typed); `r` names only the writes. */
export function serializeMd(at: { evidence: Evidence; awaitLine: string }, mutation: string, r: RecordVersion, scope: string): string {
  const file = at.evidence.replace(/:\d+$/, '');
  return `${code(at.evidence)} runs each message's handler without waiting for the one before (it awaits at line ${at.awaitLine}, and the emitter does not await the listener), so two ${code(mutation)} from one typist can reach ${fnsMd(r)} out of order: chain each connection's messages in ${code(file)} (a promise per socket, the next handler starting when the last settles), or per ${scope}, so they are written in the order they were typed.`;
}
