// How long a replay must reach back: the gap the context says a client may be gone and still get
// everything ("must not lose a notification when an agent's laptop sleeps for less than 10
// minutes", "up to 5 min offline"), and a retention that covers it with margin. Null when the
// context states no such gap: then the plan names no window of its own.
import type { Requirement } from '../types.js';
import { fmt } from './md.js';

const UNIT = String.raw`(minutes?|mins?|seconds?|secs?|s|hours?|h|days?)`;
/** A word for a client gone a while: asleep, offline, away, disconnected, in the background. */
const GONE = String.raw`(?:sleeps?|sleeping|asleep|suspend(?:s|ed)?|offline|away|disconnect(?:s|ed)?|in the background|loses? (?:the )?(?:connection|network|signal))`;
/** "sleeps for less than 10 minutes", "offline for up to 5 min". */
const GONE_THEN_SPAN = new RegExp(
  String.raw`\b${GONE}\b[^.;]{0,40}?\b(?:less than|under|up to|at most|no more than|shorter than)\s+(\d+(?:\.\d+)?)\s*${UNIT}\b`,
  'i',
);
/** "up to 10 minutes away", "for at most 5 min offline". */
const SPAN_THEN_GONE = new RegExp(String.raw`\b(?:less than|under|up to|at most|no more than)\s+(\d+(?:\.\d+)?)\s*${UNIT}\b[^.;]{0,20}\b${GONE}\b`, 'i');

export interface StatedGap {
  ms: number;
  /** As written: `10 minutes`. */
  md: string;
  sentence: string;
  evidence: string;
}

function unitMs(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('d')) return 86_400_000;
  if (u.startsWith('h')) return 3_600_000;
  if (u.startsWith('m')) return 60_000;
  return 1_000;
}

/** The longest absence the context says must lose nothing, from the first sentence that states one. */
export function statedGap(requirements: readonly Requirement[]): StatedGap | null {
  for (const r of requirements) {
    if (r.kind === 'problem' || !('sentence' in r)) continue;
    const m = GONE_THEN_SPAN.exec(r.sentence) ?? SPAN_THEN_GONE.exec(r.sentence);
    if (!m) continue;
    const n = Number(m[1]);
    return { ms: n * unitMs(m[2]!), md: `${m[1]} ${m[2]}`, sentence: r.sentence, evidence: r.evidence };
  }
  return null;
}

/** Margin over the stated gap: the wake-up, the reconnect and the clock between them come on top of it. */
export const GAP_MARGIN = 2;

/** The retention that covers a stated gap with margin, in ms and as words (`20 minutes`). */
export function retentionFor(gap: Pick<StatedGap, 'ms'>): { ms: number; md: string } {
  const ms = gap.ms * GAP_MARGIN;
  if (ms >= 86_400_000 && ms % 86_400_000 === 0) return { ms, md: `${fmt(ms / 86_400_000)} days` };
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return { ms, md: `${fmt(ms / 3_600_000)} hours` };
  if (ms >= 60_000) return { ms, md: `${fmt(Math.ceil(ms / 60_000))} minutes` };
  return { ms, md: `${fmt(Math.ceil(ms / 1_000))} seconds` };
}
