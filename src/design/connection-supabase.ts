// Connection management on a managed provider whose client SDK owns the socket: its heartbeat,
// reconnect schedule, channel states and auth replace the ones a server of our own would need,
// so no section invents a ping frame, a jitter loop or sys:* events for it.
import type { DesignCtx } from './context.js';
import type { Row } from './types.js';
import { code, fmt } from './md.js';

/** realtime-js (supabase-js v2): `heartbeatIntervalMs` default and the `reconnectAfterMs` schedule. */
export const SUPABASE_HEARTBEAT_MS = 25_000;
export const SUPABASE_RECONNECT_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000];

/**
 * The heartbeat interval realtime-js runs with: the project's own `realtime: { heartbeatIntervalMs }`
 * passed to `createClient` when the code sets one (read by the supabase adapter), else the
 * `RealtimeClient` default. https://supabase.github.io/supabase-js/v2/types/index.RealtimeClientOptions.html
 */
export function supabaseHeartbeatMs(ctx: Pick<DesignCtx, 'input'>): { ms: number; evidence: string | null } {
  const hb = ctx.input.analysis.stack.heartbeat;
  return hb.intervalMs !== undefined ? { ms: hb.intervalMs, evidence: hb.evidence } : { ms: SUPABASE_HEARTBEAT_MS, evidence: null };
}

// Which managed provider's client owns the socket is profile data (profiles/index.ts).
export { onSupabase } from './profiles/index.js';

/** Delay before attempt n: the schedule, then its last value for every later attempt. */
export function supabaseDelay(attempt: number): number {
  return SUPABASE_RECONNECT_MS[Math.min(attempt, SUPABASE_RECONNECT_MS.length - 1)] ?? 10_000;
}

export const SUPABASE_FORMULA_MD = `realtime-js's own schedule: ${SUPABASE_RECONNECT_MS.map((ms) => fmt(ms)).join(', ')} ms, then every ${fmt(SUPABASE_RECONNECT_MS[SUPABASE_RECONNECT_MS.length - 1] ?? 10_000)} ms, no jitter`;

export function supabaseHeartbeat(ctx: DesignCtx): Row[] {
  const cite = ctx.cite.cite(['heartbeat', 'reconnect'], 'supabase-realtime');
  const beat = supabaseHeartbeatMs(ctx);
  return [
    {
      label: 'realtime-js heartbeat',
      valueMd: `every ${fmt(beat.ms)} ms on the ${code('phoenix')} topic; one still unanswered when the next is due closes the socket`,
      sourceMd: beat.evidence
        ? `the project's ${code(`heartbeatIntervalMs: ${beat.ms}`)} (${code(beat.evidence)}; realtime-js default ${fmt(SUPABASE_HEARTBEAT_MS)} ms); watch it with ${code('heartbeatCallback')}${cite}`
        : `supabase-js default ${code('heartbeatIntervalMs')}; watch it with ${code('heartbeatCallback')}${cite}`,
    },
    {
      label: 'Channel states',
      valueMd: `${code('channel.subscribe((status, err) => …)')} reports ${code('SUBSCRIBED')}, ${code('CHANNEL_ERROR')}, ${code('TIMED_OUT')} and ${code('CLOSED')}`,
      sourceMd: `show "live" only in ${code('SUBSCRIBED')}; refetch from Postgres on every ${code('SUBSCRIBED')}`,
    },
    {
      label: 'Reconnect and rejoin',
      valueMd: `supabase-js reconnects the socket (${SUPABASE_RECONNECT_MS.map((ms) => fmt(ms)).join(', ')} ms, then every ${fmt(SUPABASE_RECONNECT_MS[SUPABASE_RECONNECT_MS.length - 1] ?? 10_000)} ms) and rejoins every channel itself`,
      sourceMd: 'no app-level ping or retry loop of our own',
    },
    {
      label: 'Message size',
      valueMd:
        "Broadcast and Presence payloads are capped by the Supabase plan's quota: keep them small; larger content goes to Postgres or Storage and travels as an id",
      sourceMd: 'provider quota, not a setting of ours',
    },
  ];
}

export function supabaseAuth(): string[] {
  return [
    `supabase-js sends the signed-in user's JWT when it joins a channel; a private channel (${code('config: { private: true }')}) is authorized by RLS policies on ${code('realtime.messages')} (${code('select')} to receive Broadcast and Presence, ${code('insert')} to send), checked at join, so a refused join ends in ${code('CHANNEL_ERROR')}.`,
    `Tokens expire: supabase-js refreshes the session and hands the new access token to Realtime (${code('supabase.realtime.setAuth()')}); a join after expiry is refused and the client re-subscribes once the session is refreshed. Postgres Changes rows are filtered by the table's RLS for the same user.`,
  ];
}

export function supabaseClientConfig(lang: string, heartbeatMs: number = SUPABASE_HEARTBEAT_MS): { lang: string; code: string } {
  return {
    lang,
    code: `// supabase-js owns the socket: heartbeat (${fmt(heartbeatMs)} ms), reconnect and channel rejoin are built in\nconst channel = supabase.channel(\`room:\${roomId}\`, {\n  config: { private: true, broadcast: { ack: true, self: false }, presence: { key: userId } },\n});\nchannel.subscribe(async (status, err) => {\n  if (status === 'SUBSCRIBED') {\n    await refetchSince(lastSeen); // Broadcast is not replayed: read what was missed from Postgres\n    await channel.track({ userId, onlineAt: Date.now() });\n  }\n  if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') setConnectionStatus('reconnecting', err);\n  if (status === 'CLOSED') setConnectionStatus('closed');\n});`,
  };
}

export function supabaseResume(): string[] {
  return [
    `Broadcast and Presence are not replayed: on every ${code('SUBSCRIBED')} (the first join and each rejoin after a drop) the client reads the rows it missed from Postgres (newer than the last one it shows) before marking the view live; Presence re-sends a full ${code('sync')} by itself.`,
  ];
}

export function supabaseAckRules(acked: string[]): string[] {
  return [
    `Acknowledged: ${acked.length > 0 ? acked.map((n) => code(n)).join(', ') : 'none'}; the ack of a write is the row the insert returns (supabase-js ${code('.insert(…).select()')}) under a unique idempotency key (the room and the client's message id): a retry after a lost answer inserts no second row, but its insert fails with PostgREST error ${code('23505')} (HTTP 409) and returns no row (an ${code('upsert')} that ignores duplicates returns none either), so on ${code('23505')} the client selects the row by that key and takes it as the ack.`,
    `Broadcast is fire-and-forget unless the channel sets ${code('config: { broadcast: { ack: true } }')}: then ${code('channel.send()')} resolves ${code("'ok'")} once the Realtime server received the message (not once other clients did); ${code('self: true')} echoes a sender's own broadcasts back to it.`,
    `Presence: ${code('channel.track()')} after ${code('SUBSCRIBED')}, ${code('channel.untrack()')} on leave; presence and typing are never acked or retried: they are superseded by the next one.`,
    'No sys:* events: errors reach the client as channel states and as PostgREST errors on writes (an RLS refusal included).',
  ];
}
