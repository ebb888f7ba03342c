// rt-plan's own default targets, used where the session context states no figure. Their public
// sources are in templates/knowledge/rt-plan-defaults.md, which the docs stage adds to every
// plan's references; the plan cites that note, never a document the user has not seen.
import type { DesignCtx } from './context.js';

export const DEFAULT_TARGETS = {
  p95Ms: 100,
  averageMs: 50,
  recovery: '< 2 s for 95% of drops, counted from when the drop is noticed',
  deliverySuccess: '> 99.95% of acked messages',
  connectionsPerInstance: 10_000,
} as const;

/** The client throttle on typing events: at most one per sender in this interval. */
export const TYPING_THROTTLE_MS = 2_000;

/**
 * How long a receiver keeps showing a sender as typing after that sender's last typing event:
 * longer than the 2 s client throttle, so a steady typist stays shown, and short enough that
 * someone who stopped or left drops off on their own.
 */
export const TYPING_CLEAR_MS = 5_000;

/**
 * How many recent messages a room keeps in memory, where the context asks for no history: a
 * member who joins (or reconnects) is sent them, and nothing older is kept or replayed.
 */
export const RECENT_MESSAGES = 50;

/**
 * The replay log a reconnecting client catches up from, per channel: one figure every section
 * says (Connection management, State synchronization, the steps), so a plan names one window.
 */
export const REPLAY_LOG = { minutes: 10, entries: 10_000 } as const;
export const REPLAY_LOG_MD = `${REPLAY_LOG.minutes} minutes or ${REPLAY_LOG.entries.toLocaleString('en-US')} entries per channel`;

/** "rt-plan default [K3]": the label every defaulted figure carries. */
export function defaultSource(ctx: Pick<DesignCtx, 'cite'>, assumption = true): string {
  return `rt-plan default${ctx.cite.cite(['defaults'], 'rt-plan')}${assumption ? ' (assumption)' : ''}`;
}
