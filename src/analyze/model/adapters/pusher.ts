// Pusher Channels. The browser SDK (pusher-js) keeps its connection alive and reconnects by
// itself: after `activityTimeout` ms without a message it sends pusher:ping and drops the
// connection when no pong comes within `pongTimeout`, then reconnects with growing delays.
// https://pusher.com/docs/channels/using_channels/connection/#available-states
// https://github.com/pusher/pusher-js#configuration (activityTimeout 120000, pongTimeout 30000)
// The server SDK's channel authorization route (pusher.authorizeChannel / authenticateUser in
// an Express route) says who is asking from the request's session: express-session's
// `req.session` is read from its signed cookie.
// https://pusher.com/docs/channels/server_api/authorizing-users/
import { entryOptions } from '../../code/entrypoints.js';
import { type Adapter, type AddedSignals, usesAny } from './types.js';

const SESSION = /^(req|request)\.session\.\w+/;

export const PUSHER_ADAPTER: Adapter = {
  name: 'pusher',
  modules: ['pusher', 'pusher-js'],
  applies: (ctx) => usesAny(ctx, ['pusher', 'pusher-js']),
  signals: (ctx, entries) => {
    const out: Required<Pick<AddedSignals, 'heartbeat' | 'reconnect' | 'auth'>> = { heartbeat: [], reconnect: [], auth: [] };
    for (const e of entries) {
      if (e.kind !== 'provider-client' || e.provider !== 'pusher') continue;
      const activity = entryOptions(e)?.props?.activityTimeout;
      // Without `activityTimeout` pusher-js still pings on its own default (120,000 ms): a heartbeat,
      // but not an interval the project configured, so no intervalMs (as graphql-ws's keepAlive).
      out.heartbeat.push({ line: activity?.line ?? e.line, ...(activity?.num !== undefined ? { intervalMs: activity.num } : {}), side: 'client' });
      out.reconnect.push({ line: e.line, backoff: true, jitter: false, builtin: true });
    }
    const route = entries.find((e) => e.kind === 'token-route' && e.provider === 'pusher');
    const session = route ? ctx.facts.members.find((m) => SESSION.test(m.path)) : undefined;
    if (session) out.auth.push({ kind: 'session-cookie', line: session.line, side: 'server' });
    return out;
  },
};
