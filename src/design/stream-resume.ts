// How an EventSource stream resumes, as the project's code does it today (model facts with
// file:line) and what the plan adds only where the code lacks it. EventSource semantics:
// the browser's own reconnects send `Last-Event-ID`; a NEW EventSource (after close(), a
// non-200 answer, a reload) sends none, so the client carries the last id in the URL; any
// non-200 answer or another Content-Type closes the EventSource for good.
// https://html.spec.whatwg.org/multipage/server-sent-events.html#the-last-event-id-header
// https://html.spec.whatwg.org/multipage/server-sent-events.html#dom-eventsource (fail the connection)
import type { Analysis, ConstraintRequirement, Evidence, Requirement } from '../types.js';
import { code, fmt } from './md.js';
import { REPLAY_LOG_MD } from './defaults.js';
import type { DesignCtx } from './context.js';
import { protocolTraits } from './profiles/protocol.js';

export interface StreamResume {
  /** Where the stream writes `id:` on its events. */
  ids: Evidence | null;
  /** Where it reads the `Last-Event-ID` header. */
  header: Evidence | null;
  /** The query parameter it reads the id from (a new EventSource), and where. */
  query: { name: string; evidence: Evidence } | null;
  /** Where the client carries the last id in a new EventSource's URL, and the parameter's name. */
  client: { name: string; evidence: Evidence } | null;
  /** The comment line the stream writes as keep-alive, and where. */
  keepAliveComment: { text: string; evidence: Evidence } | null;
}

export function streamResumeOf(analysis: Analysis): StreamResume {
  const facts = analysis.modelFacts ?? [];
  const resume = facts.filter((f) => f.kind === 'sse-resume');
  const ids = resume.find((f) => f.name === 'id')?.evidence ?? null;
  const headerFact = resume.find((f) => f.name.startsWith('Last-Event-ID'));
  const queryFact = resume.find((f) => f.name !== 'id' && !f.name.startsWith('Last-Event-ID'));
  // `Last-Event-ID lastEventId:11`: the header and a query parameter read next to it.
  const both = headerFact ? /^Last-Event-ID (\S+):(\d+)$/.exec(headerFact.name) : null;
  const file = headerFact?.evidence.replace(/:\d+$/, '') ?? '';
  const query = queryFact ? { name: queryFact.name, evidence: queryFact.evidence } : both ? { name: both[1] ?? '', evidence: `${file}:${both[2]}` } : null;
  const client = facts.find((f) => f.kind === 'sse-client-resume');
  const comment = facts.find((f) => f.kind === 'sse-keepalive-comment');
  return {
    ids,
    header: headerFact?.evidence ?? null,
    query,
    client: client ? { name: client.name, evidence: client.evidence } : null,
    keepAliveComment: comment ? { text: comment.name, evidence: comment.evidence } : null,
  };
}

/** The code already resumes on both sides: ids on events, the id read back, and a new EventSource carrying it. */
export function resumeComplete(r: StreamResume): boolean {
  return r.ids !== null && (r.header !== null || r.query !== null) && (r.query === null || r.client !== null);
}

/** What the stream's resume does today and what the plan adds, one sentence each. */
export function resumeNoteMd(r: StreamResume, cursorMd: string): string {
  const at = (e: Evidence): string => code(e);
  const done: string[] = [];
  const todo: string[] = [];
  if (r.ids) done.push(`events carry ${code('id:')} (${at(r.ids)})`);
  else todo.push(`write ${code('id:')} (${cursorMd}) on every event`);
  const reads = [r.header ? `the ${code('Last-Event-ID')} header` : null, r.query ? `the ${code(r.query.name)} query parameter` : null].filter(
    (x): x is string => x !== null,
  );
  if (reads.length > 0) done.push(`the stream resumes from ${reads.join(' or ')} (${at((r.header ?? r.query?.evidence) as Evidence)})`);
  else
    todo.push(
      `read the id to resume from the ${code('Last-Event-ID')} header or a ${code('lastEventId')} query parameter, and replay later events before going live`,
    );
  if (r.client) done.push(`a new ${code('EventSource')} carries the last id in its URL (${code(`?${r.client.name}=`)}, ${at(r.client.evidence)})`);
  else
    todo.push(
      `when the client opens a new ${code('EventSource')} (after ${code('close()')}, a non-200 answer or a reload) it passes the last id in the URL itself, since only the browser's own reconnects send ${code('Last-Event-ID')}`,
    );
  const head = done.length > 0 ? `The code already resumes: ${done.join('; ')}.` : '';
  const tail =
    todo.length > 0
      ? ` ${done.length > 0 ? 'Add' : 'To resume'}: ${todo.join('; ')}.`
      : ` Keep it as it is; on the browser's own reconnects ${code('Last-Event-ID')} arrives by itself, and a new ${code('EventSource')} sends none, which the URL parameter covers.`;
  return `${head}${tail}`.trim();
}

/** The capped log the project appends its events to (a `stream-log` model fact), when a stream reads it. */
export function streamLogOf(analysis: Analysis): { cap: number | null; evidence: Evidence } | null {
  const facts = analysis.modelFacts ?? [];
  if (!facts.some((f) => f.kind === 'stream-source')) return null;
  const log = facts.find((f) => f.kind === 'stream-log');
  if (!log) return null;
  return { cap: /^\d+$/.test(log.name) ? Number(log.name) : null, evidence: log.evidence };
}

/**
 * The events are ordered and resumed by the ids of that log (an EventSource stream reading it),
 * so there is no consecutive seq of ours to check for gaps.
 */
export function logOrdered(ctx: DesignCtx): boolean {
  return streamLogOf(ctx.input.analysis) !== null && protocolTraits(ctx).lastEventId === true;
}

/** A must of the context about the log (`keep … as the log of …`), quoted where the plan keeps it. */
export function logMust(requirements: readonly Requirement[]): ConstraintRequirement | undefined {
  return requirements.find((r): r is ConstraintRequirement => r.kind === 'constraint' && r.polarity === 'must' && /\blog\b/i.test(r.sentence));
}

/**
 * State synchronization's catch-up for an EventSource stream: the last id, the log replayed
 * from (the project's own when the code has one, said with its line), and the context's must about it.
 */
export function eventSourceCatchUpMd(
  input: { analysis: Analysis; sessions: { requirements: Requirement[] } },
  quote: (r: ConstraintRequirement) => string,
): string {
  const r = streamResumeOf(input.analysis);
  const log = streamLogOf(input.analysis);
  const param = r.client?.name ?? r.query?.name ?? 'lastEventId';
  const how = `A reconnecting client resumes from the last event id it applied (${code('Last-Event-ID')} on the browser's own reconnects, ${code(`?${param}=`)} on a new ${code('EventSource')})`;
  if (!log)
    return `${how}; the server replays the events after it from a bounded log (${REPLAY_LOG_MD}) before going live, and a client whose id is older than the log reloads the current state over HTTP.`;
  const must = logMust(input.sessions.requirements);
  const cap = log.cap !== null ? `, capped near ${fmt(log.cap)} entries per key by ${code('MAXLEN ~')}` : '';
  return `${how}; the server replays the events after it from the Redis Stream the code already appends to (${code(log.evidence)}${cap}) and then goes live${must ? `, and that stream stays the log, as the context requires: ${quote(must)}` : ''}. Size the cap to the longest gap a client should survive: a client whose id was trimmed away reloads the current state over HTTP.`;
}

/** The path the project's SSE stream is registered at (a `sse-route` model fact), else the layout's default. */
export function eventStreamPath(analysis: Analysis, fallback: string): string {
  return (analysis.modelFacts ?? []).find((f) => f.kind === 'sse-route')?.name ?? fallback;
}
