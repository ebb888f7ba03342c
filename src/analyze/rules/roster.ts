// Rules on what a server derives from a room's roster: a count pushed from a provider's webhook
// on the event that adds a member but not on the one that removes a member, so after someone
// leaves nothing corrects it. The webhook event names are the providers' documented ones:
// LiveKit `participant_joined` / `participant_left` (docs.livekit.io/home/server/webhooks),
// Pusher Channels `member_added` / `member_removed` and `channel_occupied` / `channel_vacated`
// (pusher.com/docs/channels/server_api/webhooks).
import type { AuditRule, RuleHit } from './types.js';

/** Webhook events that add to a roster, each with the one that takes away from it. */
export const ROSTER_EVENT_PAIRS: readonly { up: string; down: string }[] = [
  { up: 'participant_joined', down: 'participant_left' },
  { up: 'member_added', down: 'member_removed' },
  { up: 'channel_occupied', down: 'channel_vacated' },
];

/** A payload field or topic that carries a figure derived from the roster. */
const COUNT = /count|total|occupancy|online|size|members|participants|roster/i;

function joinOnlyHits(ctx: Parameters<AuditRule['detect']>[0]): RuleHit[] {
  return ctx.analyses.flatMap((a) => {
    const strings = a.ctx.facts.strings;
    return ROSTER_EVENT_PAIRS.flatMap(({ up, down }) => {
      const upAt = strings.find((s) => s.value === up);
      if (!upAt || strings.some((s) => s.value === down)) return [];
      // What this file sends after it tests for the event that adds a member.
      return a.events
        .filter(
          (e) =>
            e.act === 'emit' &&
            e.side === 'server' &&
            e.line >= upAt.line &&
            (COUNT.test(e.topic ?? e.name) || (e.payload?.fields ?? []).some((f) => COUNT.test(f.name))),
        )
        .slice(0, 1)
        .map((e) => {
          // The clients that read it: another file with client-side real-time code that names the same topic or event (`topic === 'headcount'`).
          const name = e.topic ?? e.name;
          const readAt = ctx.analyses
            .filter((o) => o.file !== a.file && o.events.some((x) => x.side === 'client'))
            .flatMap((o) =>
              o.ctx.facts.strings
                .filter((s) => s.value === name)
                .slice(0, 1)
                .map((s) => `${o.file}:${s.line}`),
            );
          const label = e.sdk ? `The \`${e.topic ?? e.name}\` message` : `'${e.name}'`;
          return {
            evidence: `${a.file}:${e.line}`,
            message: `${label} is sent only when the webhook is \`${up}\` (line ${upAt.line}): nothing sends it on \`${down}\`, so after someone leaves the figure receivers show stays too high until the next \`${up}\``,
            ...(readAt.length > 0 ? { readAt } : {}),
            fix: `Let each client count from the room's own member list, which the provider keeps through joins, leaves and reconnects. Sending it on \`${down}\` too, with the figure read again from the provider, is not enough on its own: two webhooks handled at once can finish in either order, so an older figure can be sent last.`,
          };
        });
    });
  });
}

export const ROSTER_RULES: readonly AuditRule[] = [
  {
    id: 'roster-count-on-join-only',
    severity: 'medium',
    title: 'A count sent when members join but not when they leave',
    why: 'A figure derived from who is in the room is pushed on the webhook event that adds a member only: the provider sends a separate event when a member leaves or drops, and nothing handles it, so the figure is wrong from the first departure until someone joins.',
    fix: 'Derive it on each client from the room member list the provider keeps. A push from the server on both events, read again from the provider, still races: webhooks handled at once can finish in either order, so an older figure can be sent last.',
    source: 'https://docs.livekit.io/home/server/webhooks',
    detect: joinOnlyHits,
  },
];
