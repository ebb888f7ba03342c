// What a managed provider counts against its plan, and what happens past a limit: data for the
// capacity table, which compares the context's load with the plan the context states. Every
// figure and rule here has a public source (the knowledge notes cite them in References):
// - Pusher: docs.bird.com/pusher/channels/channels/limits/how-is-my-message-count-calculated-in-channels
//   (1 per publish + 1 per subscriber delivered, member_added/member_removed counted),
//   …/what-happens-when-i-hit-my-channels-plan-limits (connections refused, trigger 403 over quota),
//   …/how-are-concurrent-connections-counted (one per Pusher instance, i.e. per tab).
// - Pusher presence: pusher.com/docs/channels/using_channels/presence-channels (100 members maximum).
// - Ably: ably.com/docs/platform/pricing/message-counting (1 inbound + 1 per subscriber, echo on by default).
// - Supabase: supabase.com/docs/guides/realtime/limits (per-plan table).
export interface PlanLimits {
  connections: number;
  messagesPerSecond: number;
  presencePerSecond: number;
}

export interface QuotaProfile {
  id: string;
  label: string;
  /** Messages counted per publish and per subscriber a message is delivered to; null where the provider's count is not documented as such. */
  counting: { perPublish: number; perDelivery: number; presence: boolean } | null;
  /** What the provider does with a connection past the plan's limit. */
  overConnectionsMd: string;
  /** What the provider does with messages past the plan's limit, when documented. */
  overMessagesMd: string | null;
  /** Why a user may hold more than one connection. */
  perConnectionMd: string;
  /** A per-connection limit on events the browser sends itself (Pusher client events), and what passing it does. */
  clientEvents?: { perSecond: number; overMd: string };
  /** The most members one presence channel may hold, and what the options are when a room is larger. */
  presenceMembers?: { max: number; optionsMd: string };
  /** The most channels one connection may join, on every plan (Supabase: "Channels per connection"). */
  channelsPerConnection?: number;
  /** Published per-plan limits, keyed by a lower-case word of the plan's name. */
  plans: Record<string, PlanLimits>;
}

export const QUOTA_PROFILES: Record<string, QuotaProfile> = {
  pusher: {
    id: 'pusher',
    label: 'Pusher Channels',
    counting: { perPublish: 1, perDelivery: 1, presence: true },
    overConnectionsMd: 'past the limit Pusher refuses new connections with an over-quota error, so those viewers get no live updates at all',
    overMessagesMd: 'past the daily limit every server `trigger()` is refused (HTTP 403, over quota) until the count resets at 00:00 UTC',
    perConnectionMd: 'each browser tab opens its own connection',
    // pusher.com/docs/channels/using_channels/events (10 per second per client), the protocol page (4301).
    clientEvents: { perSecond: 10, overMd: 'Pusher closes the connection with code 4301 and the whole live view drops until it reconnects' },
    // pusher.com/docs/channels/using_channels/presence-channels ("100 members maximum, 1KB limit
    // for user object, and maximum 128 characters for user id").
    presenceMembers: {
      max: 100,
      optionsMd:
        "a room this large cannot be one presence channel: deliver its events on a private channel (the member limit is a presence-channel limit) and keep the who's-here list on our server (joins recorded by the authorization route, leaves by a periodic heartbeat from the page; the server publishes the list or a count on that channel), or keep the presence channel for the first 100 and show a count beyond them",
    },
    plans: {},
  },
  ably: {
    id: 'ably',
    label: 'Ably',
    counting: { perPublish: 1, perDelivery: 1, presence: true },
    overConnectionsMd: "past the account's hard limit Ably refuses new connections",
    overMessagesMd: null,
    perConnectionMd: 'each ably-js client instance is one connection, so one per tab',
    plans: {},
  },
  'supabase-realtime': {
    id: 'supabase-realtime',
    label: 'Supabase Realtime',
    counting: null,
    overConnectionsMd: 'past the limit Supabase Realtime refuses new connections and reports the quota error on the WebSocket and in the Realtime logs',
    overMessagesMd: 'past the messages-per-second limit Realtime rejects messages and reports the quota error on the WebSocket',
    perConnectionMd: 'each browser tab opens its own connection',
    // "Channels per connection: 100" on Free, Pro and Team (supabase.com/docs/guides/realtime/limits).
    channelsPerConnection: 100,
    plans: {
      free: { connections: 200, messagesPerSecond: 100, presencePerSecond: 20 },
      pro: { connections: 500, messagesPerSecond: 500, presencePerSecond: 50 },
      team: { connections: 10_000, messagesPerSecond: 2_500, presencePerSecond: 1_000 },
    },
  },
};

export function quotaProfile(providers: readonly string[]): QuotaProfile | null {
  for (const p of providers) if (QUOTA_PROFILES[p]) return QUOTA_PROFILES[p]!;
  return null;
}

/** The published limits of the plan the context names ("Supabase Pro plan"), if known. */
export function planLimits(q: QuotaProfile, planName: string): PlanLimits | null {
  const words = planName.toLowerCase().split(/\s+/);
  for (const [key, limits] of Object.entries(q.plans)) if (words.includes(key)) return limits;
  return null;
}
