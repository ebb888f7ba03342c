// GraphQL subscriptions over graphql-ws: `useServer({ schema, onConnect, context }, wsServer)`
// on a ws server (it pings every 12 s by default and closes sockets on error), resolvers with a
// `Subscription` map (each field is a server-to-client event), and `createClient` in the
// browser (retries with randomised exponential backoff by default; `keepAlive` pings).
// https://the-guild.dev/graphql/ws/docs · https://www.apollographql.com/docs/apollo-server/data/subscriptions
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import { findProp, importedName, optionsArg } from '../../code/file-context.js';
import { type AddedSignals, type Adapter, usesAny } from './types.js';

const MODULES = ['graphql-ws', 'subscriptions-transport-ws', 'graphql-subscriptions', '@apollo/client', '@apollo/server', 'mercurius'];

export const GRAPHQL_ADAPTER: Adapter = {
  name: 'graphql-subscriptions',
  modules: MODULES,
  applies: (ctx) => usesAny(ctx, MODULES) || (ctx.facts.module?.constants ?? []).some((c) => c.value.props?.Subscription?.kind === 'object'),
  entries: (ctx) =>
    ctx.facts.calls.flatMap((c): EntryHit[] =>
      ctx.sources.has('graphql-ws') && importedName(ctx, c.path) === 'createClient'
        ? [{ file: ctx.file, line: c.line, kind: 'ws-client', side: 'client', transport: 'websocket', provider: null, call: c }]
        : [],
    ),
  events: (ctx) =>
    (ctx.facts.module?.constants ?? []).flatMap((k) =>
      Object.entries(k.value.props?.Subscription?.props ?? {}).map(
        ([name, v]): RawEvent => ({ name, act: 'emit', side: 'server', transport: 'websocket', file: ctx.file, line: v.line }),
      ),
    ),
  signals: (ctx, entries) => {
    const out: Required<Pick<AddedSignals, 'heartbeat' | 'reconnect' | 'auth' | 'authGate' | 'errorHandler'>> = {
      heartbeat: [],
      reconnect: [],
      auth: [],
      authGate: [],
      errorHandler: [],
    };
    for (const c of ctx.facts.calls) {
      if (importedName(ctx, c.path) !== 'useServer') continue;
      const keep = c.args[2];
      // No third argument: graphql-ws pings every 12 s by default, which is a heartbeat but not a configured interval.
      if (keep?.kind === 'number' && keep.num !== undefined) {
        if (keep.num !== 0) out.heartbeat.push({ line: c.line, intervalMs: keep.num, side: 'server' });
      } else out.heartbeat.push({ line: c.line, side: 'server' });
      out.errorHandler.push(c.line);
      const onConnect = findProp(c.args, 'onConnect');
      if (onConnect?.kind === 'function') {
        out.authGate.push(onConnect.line);
        if (ctx.facts.members.some((m) => /connectionParams/.test(m.path))) out.auth.push({ kind: 'jwt-header', line: onConnect.line, side: 'server' });
      }
    }
    for (const e of entries) {
      if (e.kind !== 'ws-client' || !e.call || importedName(ctx, e.call.path) !== 'createClient') continue;
      const opts = optionsArg(e.call);
      if (opts?.props?.retryAttempts?.num !== 0) out.reconnect.push({ line: opts?.props?.retryAttempts?.line ?? e.line, backoff: true, jitter: true });
      const ka = opts?.props?.keepAlive;
      if (ka?.kind === 'number' && (ka.num ?? 0) > 0) out.heartbeat.push({ line: ka.line, intervalMs: ka.num as number, side: 'client' });
    }
    return out;
  },
};
