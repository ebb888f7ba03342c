// A provider's client protocol that the project's own server speaks (a self-hosted Pusher-compatible
// server, soketi's layout): its clients are the provider's SDKs, so the plan keeps that protocol on
// the wire, with no envelope, ack, ping or error event of ours, and no credential at the handshake.
// Decided once here from the events the server sends (their names are the protocol's), read by
// sections through protocolTraits and the runtime profile instead of comparing names.
// https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/
// https://pusher.com/docs/channels/library_auth_reference/auth-signatures/
import type { PlanInput } from '../types.js';
import { code } from '../md.js';

export interface ServedProtocol {
  id: string;
  label: string;
  /** The protocol's own events, by role, as its clients send and expect them. */
  events: { subscribe: string; unsubscribe: string; memberAdded: string; memberRemoved: string; ping: string; pong: string; error: string };
  /** The keys every frame names the event and carries the payload in. */
  frame: { nameKey: string; dataKey: string };
  /** What the implementation step for connection checks builds on this protocol. */
  authWhy: string;
  /** The Error handling section's signals line, in the protocol's own messages. */
  signalsMd: string;
  /** What each load-test virtual user presents. */
  loadCredentialMd: string;
  /** The Event protocol line: what the wire carries, so nothing of ours rides next to it. */
  conventionMd: string;
  /** Connection management: how a connection is admitted on this protocol. */
  handshakeAuthMd: string;
  /** Connection management: the anonymous handshake the code shows, said as the protocol's design. */
  todayMd: (at: string | undefined) => string;
  /** Security: who may read a room channel, decided per subscription by the protocol's own authorization. */
  roomRuleMd: string;
  /** Security: who may use the connection itself (no user on it: the protocol's handshake is anonymous). */
  connectionRuleMd: string;
  /** Security: what a malformed frame gets back, in the protocol's own error message. */
  invalidMd: string;
  /** Error handling: how a client catches up after a drop, on this protocol. */
  catchUpMd: string;
  /** Architecture: what the endpoint does at the upgrade and per frame. */
  endpointMd: string;
  /** Connection management's liveness row for the client's probe, in the protocol's own events. */
  clientPingRow: { label: string; valueMd: string; sourceMd: string };
}

const PUSHER: ServedProtocol = {
  id: 'pusher-protocol',
  label: 'the Pusher protocol',
  events: {
    subscribe: 'pusher:subscribe',
    unsubscribe: 'pusher:unsubscribe',
    memberAdded: 'pusher_internal:member_added',
    memberRemoved: 'pusher_internal:member_removed',
    ping: 'pusher:ping',
    pong: 'pusher:pong',
    error: 'pusher:error',
  },
  frame: { nameKey: 'event', dataKey: 'data' },
  authWhy: `the app-key check at the upgrade (no credential: the handshake stays anonymous), the ${code('auth')} signature check of every ${code('private-')} and ${code('presence-')} ${code('pusher:subscribe')}, Origin allow-list`,
  // pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/ (error codes 4000-4099 closed, same parameters will not succeed, 4001 app does not exist; 4100-4199 reconnect after backing off, 4100 over capacity; 4200-4299 reconnect at once; 4300-4399 other).
  signalsMd: `the Pusher protocol's own: a refused ${code('private-')} or ${code('presence-')} subscription gets ${code('pusher:subscription_error')} for that channel and the socket stays open; any other error is ${code('pusher:error')} with a code, 4000–4099 when the connection is closed and reconnecting with the same parameters cannot succeed (an unknown app key is 4001), 4100–4199 when the client reconnects after backing off (4100, over capacity), 4200–4299 when it reconnects at once, and 4300–4399 for other errors. No ${code('sys:error')} or HTTP 401 of ours.`,
  loadCredentialMd: `Virtual users connect with no credential, as Pusher clients do, on the path of a staging app key; a ${code('private-')} or ${code('presence-')} channel needs each subscribe's ${code('auth')} signed with the staging app secret for the ${code('socket_id')} that ${code('pusher:connection_established')} gave the virtual user.`,
  conventionMd: `The wire is the Pusher protocol and stays the only one on the socket, since its clients are Pusher SDKs (pusher-js, Laravel Echo): every frame is ${code('{ event, channel, data }')}; a client joins with ${code('pusher:subscribe')} (with ${code('auth')}, and ${code('channel_data')} on a ${code('presence-')} channel) and leaves with ${code('pusher:unsubscribe')}; the server answers ${code('pusher_internal:subscription_succeeded')} (on a presence channel with ${code('{ presence: { ids, hash, count } }')}) or ${code('pusher:subscription_error')}, announces members with ${code('pusher_internal:member_added')} and ${code('pusher_internal:member_removed')}, answers ${code('pusher:ping')} with ${code('pusher:pong')} (the client pings after the ${code('activity_timeout')} of ${code('pusher:connection_established')}) and reports errors with ${code('pusher:error')} and its 4xxx codes. No envelope, ${code('sys:ack')}, ${code('sys:ping')} or ${code('sys:error')} of ours rides next to it.`,
  // pusher-js: after activityTimeout without a message (the lower of its own and the server's
  // activity_timeout) it sends pusher:ping and reconnects if no pusher:pong arrives within pongTimeout.
  clientPingRow: {
    label: 'Client pusher:ping',
    valueMd: `sent by the Pusher SDK after the ${code('activity_timeout')} the server announces in ${code('pusher:connection_established')} passes without a message; the SDK reconnects if no ${code('pusher:pong')} comes back within its ${code('pongTimeout')}`,
    sourceMd: 'the Pusher protocol; browsers answer ping frames but cannot send them',
  },
  roomRuleMd: `a public channel (no ${code('private-')} or ${code('presence-')} prefix): anyone holding the app key; a ${code('private-')} or ${code('presence-')} channel: the ${code('auth')} signature of its ${code('pusher:subscribe')}, an HMAC-SHA256 by the app secret of ${code('socket_id:channel_name')} (with ${code(':channel_data')} on a presence channel) that the app's own auth endpoint signs for users it lets in, checked before the subscription succeeds; a wrong one gets ${code('pusher:subscription_error')}`,
  connectionRuleMd: `anyone holding the app key (the URL's ${code('/app/{key}')}): the Pusher protocol's handshake carries no user, so no user rule applies to the connection itself; who may read a channel is decided per subscription (below)`,
  invalidMd: `answered with ${code('pusher:error')} (a 4300–4399 code, the protocol's other errors) and the frame dropped; the connection stays open`,
  catchUpMd: `the SDK's own ${code('pusher:subscribe')} of every channel it had (a presence channel's ${code('pusher_internal:subscription_succeeded')} carries the current members); the protocol replays no missed event, so what the page shows is reloaded over the app's HTTP API`,
  endpointMd: `app-key check at the upgrade (the handshake stays anonymous, as the Pusher protocol has it), subscription signatures, frame validation, rate limits, routing to handlers`,
  todayMd: (at) =>
    `Today connections are anonymous at the handshake${at ? ` (${code(at)})` : ''}, as the Pusher protocol has them: the connection carries no user and no token, so nothing on it expires or needs a refresh; who may read a private or presence channel is decided per subscription.`,
  handshakeAuthMd: `Keep the handshake anonymous, as the Pusher protocol has it: Pusher clients connect to ${code('/app/{key}')} with no credential, so a credential check or a 401 at the upgrade would refuse every client. At the upgrade check only the app key (refuse an unknown one with ${code('pusher:error')} code 4001 and close); authorize each ${code('private-')} and ${code('presence-')} ${code('pusher:subscribe')} by its ${code('auth')} signature, an HMAC-SHA256 by the app secret of ${code('socket_id:channel_name')} (with ${code(':channel_data')} appended on a presence channel), and refuse a wrong one with ${code('pusher:subscription_error')}.`,
};

const PROTOCOLS: readonly { match: RegExp; protocol: ServedProtocol }[] = [{ match: /^pusher(_internal)?:/, protocol: PUSHER }];

/**
 * The provider protocol the project's own WebSocket server speaks: the repository runs a WebSocket
 * server that both handles and sends that protocol's events (a client app of the managed provider
 * only listens to some of them, and runs no server); null when it speaks none.
 */
export function servedProtocol(input: PlanInput): ServedProtocol | null {
  const a = input.analysis;
  if (!a.stack.entrypoints.some((e) => e.kind === 'ws-server')) return null;
  const own = a.events.filter((e) => !e.protocol && (e.transport ?? 'websocket') === 'websocket');
  return (
    PROTOCOLS.find(
      (p) =>
        own.some((e) => e.direction === 'server-to-client' && p.match.test(e.name)) &&
        own.some((e) => e.direction === 'client-to-server' && p.match.test(e.name)),
    )?.protocol ?? null
  );
}
