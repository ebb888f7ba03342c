// A context sentence that bounds how long someone's live state outlives them ("a cursor
// disappears within 10 s of its owner going away"): a clean close removes it at once, but a
// sleeping laptop sends no close, so only a liveness check sized from the sentence's figure
// can meet it. Pure: reads the session's requirements only.
import type { Evidence, Requirement } from '../types.js';
import { fmt } from './md.js';

/** What the sentence is about: someone's live, per-connection state. */
const SUBJECT = /\b(cursors?|pointers?|presence|avatars?|online|participants?|members?|users?|players?|who(?:'s| is) (?:here|online))\b/i;
/** That it goes away. */
const GONE = /\b(disappear\w*|vanish\w*|removed?|go(?:es)? away|gone|cleared?|drop(?:s|ped)? (?:off|out)|(?:shows?|shown|marked|appears?) (?:as )?offline)\b/i;
/** The bound: "within 10 s", "in under 5 seconds", "after at most 30 s". */
const SPAN =
  /\b(?:within|in under|under|in less than|less than|at most|no later than|after at most)\s+(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|min|mins|minutes?)\b/i;

export interface RemovalBudget {
  ms: number;
  sentence: string;
  at: Evidence;
}

/** The first requirement bounding how soon a gone user's live state disappears, with its figure. */
export function removalBudgetOf(requirements: readonly Requirement[]): RemovalBudget | null {
  for (const r of requirements) {
    for (const clause of r.sentence.split(/;|\.\s/)) {
      const m = SPAN.exec(clause);
      if (!m || !SUBJECT.test(clause) || !GONE.test(clause)) continue;
      const ms = Number(m[1]) * (/^m/i.test(m[2]!) ? 60_000 : 1000);
      if (ms > 0) return { ms, sentence: r.sentence, at: r.evidence };
    }
  }
  return null;
}

/** The keep-alive interval when nothing bounds it. */
export const DEFAULT_KEEPALIVE_MS = 25_000;

/**
 * The liveness a removal bound asks for. A silent connection is closed once it has been silent
 * for 2 keep-alives, and the check runs once per keep-alive, so the last message is at most
 * 3 keep-alives old when it is removed; one keep-alive more is left for the removal to reach
 * everyone, and at most one for a presence grace. So: keep-alive = bound ÷ 5, rounded down to
 * half a second, never above the default.
 */
export function livenessFor(budget: RemovalBudget | null): { keepAliveMs: number; silentMs: number; sweepMs: number; worstMs: number; closeMs: number } {
  const keepAliveMs = budget ? Math.max(500, Math.min(DEFAULT_KEEPALIVE_MS, Math.floor(budget.ms / 5 / 500) * 500)) : DEFAULT_KEEPALIVE_MS;
  const silentMs = 2 * keepAliveMs;
  return { keepAliveMs, silentMs, sweepMs: keepAliveMs, worstMs: 3 * keepAliveMs, closeMs: Math.max(silentMs, HIDDEN_TAB_SILENCE_MS) };
}

/**
 * How long a client-timed keep-alive can go quiet on a healthy connection: browsers throttle the
 * timers of a page hidden for a while to about once a minute (Chrome's intensive throttling,
 * developer.chrome.com/blog/timer-throttling-in-chrome-88), so a socket is closed for silence
 * only after two such minutes; before that a silent connection's state is hidden, not its socket.
 */
export const HIDDEN_TAB_SILENCE_MS = 120_000;

/** "10 s", "2.5 s", "2 min": a span as the plan prints it. */
export function spanMd(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${fmt(ms / 60_000)} min` : `${fmt(ms / 1000)} s`;
}
