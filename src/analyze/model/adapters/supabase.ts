// Supabase Realtime through supabase-js: `supabase.channel(name).on('postgres_changes' |
// 'broadcast' | 'presence', filter, fn).subscribe()` (event rows in code/providers.ts),
// `channel.send({ type: 'broadcast', event, payload })`, `channel.track(state)` for presence,
// and `supabase.removeChannel(channel)` / `channel.unsubscribe()` to leave. realtime-js keeps
// the socket alive itself (a heartbeat every `heartbeatIntervalMs`, 25 s by default) and
// reconnects and rejoins every channel on its own schedule (1, 2, 5, then every 10 s).
// https://supabase.com/docs/guides/realtime/presence
// https://supabase.github.io/supabase-js/v2/types/index.RealtimeClientOptions.html
import { rootSegment } from '../../code/ast.js';
import type { RawEvent } from '../../code/events.js';
import { findProp, moduleOf } from '../../code/file-context.js';
import { argPayload } from '../../code/payloads.js';
import { roomOfVar } from '../../code/providers.js';
import { type AddedSignals, type Adapter, usesAny } from './types.js';

const MODULES = ['@supabase/supabase-js', '@supabase/realtime-js'];

export const SUPABASE_ADAPTER: Adapter = {
  name: 'supabase-realtime',
  modules: MODULES,
  applies: (ctx) => usesAny(ctx, MODULES) || ctx.facts.calls.some((c) => c.method === 'channel' && /supabase/i.test(c.path)),
  events: (ctx, entries) => {
    if (!entries.some((e) => e.provider === 'supabase-realtime') && !ctx.facts.vars.some((v) => v.init.endsWith('.channel()'))) return [];
    // `track` publishes this client's presence state; Supabase relays it to the other members.
    // Only on a channel (a variable made by `.channel()`, or the chain itself): `analytics.track({...})` is not presence.
    const channels = new Set(ctx.facts.vars.filter((v) => v.init.endsWith('.channel()')).map((v) => v.name));
    return ctx.facts.calls
      .filter((c) => c.method === 'track' && c.args[0]?.kind === 'object' && (channels.has(rootSegment(c.path)) || c.chain.some((k) => k.method === 'channel')))
      .map((c): RawEvent => {
        // `track(state)`: the state object is this member's presence payload.
        const payload = argPayload(c.args[0]);
        // The topic of the channel it tracks on, as the code names it.
        const link = c.chain.find((k) => k.method === 'channel')?.arg;
        const room = (link?.kind === 'string' ? link.str : undefined) ?? roomOfVar(ctx, rootSegment(c.path), /\.channel\(\)$/, true);
        return {
          name: 'presence:track',
          act: 'emit',
          side: 'client',
          transport: 'websocket',
          file: ctx.file,
          line: c.line,
          peer: true,
          sdk: `${c.path}()`,
          ...(room ? { room } : {}),
          ...(payload ? { payload } : {}),
        };
      });
  },
  signals: (ctx, entries) => {
    const out: Required<Pick<AddedSignals, 'heartbeat' | 'reconnect'>> = { heartbeat: [], reconnect: [] };
    for (const c of ctx.facts.calls) {
      if (moduleOf(ctx, c.path) !== '@supabase/supabase-js' || c.method !== 'createClient') continue;
      const hb = findProp(c.args, 'heartbeatIntervalMs');
      if (hb?.kind === 'number' && hb.num !== undefined) out.heartbeat.push({ line: hb.line, intervalMs: hb.num, side: 'client' });
    }
    const first = entries.find((e) => e.kind === 'provider-client' && e.provider === 'supabase-realtime');
    if (first) {
      out.heartbeat.push({ line: first.line, side: 'client' });
      out.reconnect.push({ line: first.line, backoff: true, jitter: false, builtin: true });
    }
    return out;
  },
};
