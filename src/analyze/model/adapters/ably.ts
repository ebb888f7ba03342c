// Ably Pub/Sub. The server SDK (`new Ably.Rest({ key })`, or Realtime with a key) publishes and
// signs token requests (`auth.createTokenRequest` / `auth.requestToken`) in a route; the browser
// SDK (`new Ably.Realtime({ authUrl | authCallback })`) fetches those tokens and renews them.
// Channels: `channels.get(name)`, then `subscribe(name, fn)` / `publish(name, data)`; presence:
// `channel.presence.enter|update|leave()` and `channel.presence.subscribe([action,] fn)`.
// The Realtime connection is managed by the SDK: server heartbeats detect a dead transport
// (spec RTN23) and it reconnects with backoff and jitter (spec RTB1), resuming within 2 minutes.
// https://ably.com/docs/auth/token · https://ably.com/docs/connect/states
// https://ably.com/docs/presence-occupancy/presence · https://ably.com/docs/sdk/js/v2.0/interfaces/ably.ClientOptions.html
import { type ArgInfo, rootSegment } from '../../code/ast.js';
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import type { CallFact } from '../../code/facts.js';
import { type FileContext, firstString, moduleOf, optionsArg } from '../../code/file-context.js';
import { argPayload, type PayloadSite } from '../../code/payloads.js';
import { type AddedSignals, type Adapter, onServer } from './types.js';

const PRESENCE_ACTS = new Set(['enter', 'update', 'leave', 'enterClient', 'updateClient', 'leaveClient']);

const isAbly = (ctx: FileContext, c: CallFact): boolean => moduleOf(ctx, c.path) === 'ably';
const ctor = (c: CallFact): string => (c.isNew ? c.method : '');
/** A receiver rooted at an Ably SDK instance or channel, not any object of a file that imports ably (`redis.publish`, `keycloak.auth.requestToken`). */
function onAblyObject(ctx: FileContext, c: CallFact): boolean {
  if (isAbly(ctx, c) || c.path.includes('.channels.get')) return true;
  const v = ctx.facts.vars.find((x) => x.name === rootSegment(c.path));
  if (!v) return false;
  if (v.init.endsWith('.channels.get()')) return true;
  return v.init.startsWith('new ') && moduleOf(ctx, v.init.slice(4)) === 'ably';
}

/** Browser-style auth: the client never holds the key. */
const tokenAuth = (c: CallFact): boolean => {
  const o = optionsArg(c)?.props;
  return o?.authUrl !== undefined || o?.authCallback !== undefined || o?.token !== undefined;
};

/** A server SDK instance: REST, or Realtime holding the API key (not token auth). */
function serverInstance(ctx: FileContext, c: CallFact): boolean {
  if (!isAbly(ctx, c)) return false;
  if (ctor(c) === 'Rest') return true;
  return ctor(c) === 'Realtime' && optionsArg(c)?.props?.key !== undefined && !tokenAuth(c) && onServer(ctx);
}

/**
 * A channel name as the code writes it: a string, or a template literal whose expressions are plain
 * names, each shown by its last segment (`orders:${order.shopId}` and `orders:${shopId}` are both
 * `orders:{shopId}`), so the publishing server and the subscribing client name one channel alike.
 */
function channelName(a: ArgInfo | null | undefined): string | undefined {
  if (a?.kind === 'string') return a.str || undefined;
  if (a?.kind !== 'template' || !a.str || !a.exprs) return undefined;
  const names = a.exprs.map((e) => (e.kind === 'ident' || e.kind === 'member' ? e.path?.split('.').pop() : undefined));
  if (names.some((n) => !n)) return undefined;
  let i = 0;
  return a.str.replace(/\$\{\}/g, () => `{${names[i++]}}`);
}

/** Channel name a call's receiver was made from: `channels.get('x')` in the chain or a variable. */
function roomOf(ctx: FileContext, c: CallFact): string | undefined {
  const link = c.chain.find((k) => k.method === 'get');
  const named = channelName(link?.arg);
  if (named) return named;
  const v = ctx.facts.vars.find((x) => x.name === c.root);
  return v && v.init.endsWith('.channels.get()') ? channelName(v.arg.args?.[0]) : undefined;
}

export const ABLY_ADAPTER: Adapter = {
  name: 'ably',
  modules: ['ably'],
  applies: (ctx) => ctx.sources.has('ably'),
  entries: (ctx) =>
    ctx.facts.calls.flatMap((c): EntryHit[] => {
      if (c.isNew && serverInstance(ctx, c))
        return [{ file: ctx.file, line: c.line, kind: 'provider-server', side: 'server', transport: null, provider: 'ably', call: c }];
      // createTokenRequest is a row of code/entrypoints.ts; requestToken asks Ably for the token itself.
      if (!c.isNew && c.method === 'requestToken' && c.path.endsWith('.auth.requestToken') && onAblyObject(ctx, c))
        return [{ file: ctx.file, line: c.line, kind: 'token-route', side: 'server', transport: null, provider: 'ably', call: c }];
      return [];
    }),
  events: (ctx) => {
    const side = onServer(ctx) ? 'server' : 'client';
    const out: RawEvent[] = [];
    for (const c of ctx.facts.calls) {
      const presence = /\.presence\.\w+$/.test(c.path);
      const at = (name: string, act: RawEvent['act'], payload?: PayloadSite, sdk?: string): void => {
        const room = roomOf(ctx, c);
        // Ably itself relays presence between members: no server code sends or handles it.
        out.push({
          name,
          act,
          side,
          transport: 'websocket',
          file: ctx.file,
          line: c.line,
          ...(room ? { room } : {}),
          ...(presence ? { peer: true as const } : {}),
          ...(payload ? { payload } : {}),
          ...(sdk ? { sdk } : {}),
        });
      };
      // `presence.enter(data)` / `update(data)`; the *Client forms take the clientId first. Ably's presence
      // API, not event names of the project's: each is labelled with the call the code makes.
      if (presence && PRESENCE_ACTS.has(c.method))
        at(`presence:${c.method.replace(/Client$/, '')}`, 'emit', argPayload(c.args[c.method.endsWith('Client') ? 1 : 0]), `${c.path}()`);
      else if (presence && c.method === 'subscribe')
        at(firstString(c.args[0]) ? `presence:${firstString(c.args[0])}` : 'presence', 'handle', undefined, `${c.path}()`);
      else if (!presence && (c.method === 'subscribe' || c.method === 'publish') && c.args[0]?.kind === 'string' && c.args[0].str && onAblyObject(ctx, c))
        at(c.args[0].str, c.method === 'publish' ? 'emit' : 'handle', c.method === 'publish' ? argPayload(c.args[1]) : undefined);
    }
    return out;
  },
  signals: (ctx, entries) => {
    const out: Required<Pick<AddedSignals, 'heartbeat' | 'reconnect' | 'auth'>> = { heartbeat: [], reconnect: [], auth: [] };
    for (const e of entries) {
      if (e.kind !== 'provider-client' || e.provider !== 'ably' || !e.call) continue;
      out.heartbeat.push({ line: e.line, side: 'client' });
      out.reconnect.push({ line: e.line, backoff: true, jitter: true, builtin: true });
      const o = optionsArg(e.call)?.props;
      const via = o?.authUrl ?? o?.authCallback;
      if (via) out.auth.push({ kind: 'ephemeral-token', line: via.line, side: 'client' });
    }
    return out;
  },
};
