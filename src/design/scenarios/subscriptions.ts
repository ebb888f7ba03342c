// Subscriptions: clients subscribe and unsubscribe per entity; the server keeps a subscription
// index both ways (entity → sockets, socket → entities) so a broadcast touches only
// subscribers and a closing socket cleans up in O(its subscriptions).
// On an EventSource wire nothing goes from client to server: the stream's URL is the
// subscription (opening it subscribes, closing it unsubscribes), so no subscribe event or POST
// is proposed (https://html.spec.whatwg.org/multipage/server-sent-events.html#the-eventsource-interface).
import { eventStreamPath, logOrdered, streamLogOf, streamResumeOf } from '../stream-resume.js';
import { sequenceDiagram } from '../../diagrams/builders.js';
import { streamPath, type DesignCtx } from '../context.js';
import { code, fmt, list } from '../md.js';
import { REPLAY_LOG_MD } from '../defaults.js';
import type { NumberRequirement } from '../../types.js';
import { parseName } from '../core/names.js';
import { protocolTraits } from '../profiles/protocol.js';
import type { EventSpec, RtEvent } from '../../types.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ManagedProvider, type ScenarioModule } from './kit.js';
import { managedRecoveryMd } from '../connection-providers.js';
import { roomChannel } from '../rooms.js';
import { grantGapMd, grantsLacking } from '../access.js';
import { coreOf } from '../core/context.js';
import { serverIsFixed } from '../constraints.js';
import { channelAuthCheck, channelLimitMd, channelPublish, entityNamespace, historyMd, serverConfigChanges, serverConfigFile } from '../profiles/servers.js';

/**
 * The entity's updates are a latest value (a price, a score: the core's droppable objects with no
 * versioning): the newest one supersedes the rest, so they are conflated and sent without a seq,
 * and a resubscribing client gets the current values, not a replay of the ones it missed.
 */
function latestWins(ctx: DesignCtx): boolean {
  // The entity's own object, or the one the project's update event belongs to (`price` carries a `symbol`).
  const own = ownUpdate(ctx);
  const o =
    coreOf(ctx).objects.find((x) => x.name === ctx.entity) ?? (own ? coreOf(ctx).objects.find((x) => x.events.some((e) => e.name === own.name)) : undefined);
  return o !== undefined && o.decision.delivery === 'droppable' && o.decision.versioning === 'none';
}

/**
 * The project's own server-to-client event that carries one entity's updates: named after it
 * (`symbol:tick`), or the one such event whose payload names the entity (`price` with `symbol`).
 */
function ownUpdate(ctx: DesignCtx): { name: string } | undefined {
  const e = ctx.entity;
  const out = ctx.input.analysis.events.filter(
    (x) => x.origin === 'existing' && x.direction === 'server-to-client' && !/^(subscribe|unsubscribe)/.test(x.name),
  );
  const named = out.find((x) => parseName(x.name)?.noun === e);
  if (named) return named;
  const keyed = out.filter((x) => (x.payload ?? []).some((p) => p.name === e || p.name === `${e}Id` || p.name === `${e}_id`));
  return keyed.length === 1 ? keyed[0] : undefined;
}

/** The wire only carries server → client (EventSource): a client follows an entity by the stream URL it opens. */
function urlSubscribed(ctx: DesignCtx): boolean {
  const t = protocolTraits(ctx);
  return !t.clientSends && t.lastEventId && !managedProvider(ctx.input);
}

/** A library protocol runs the socket (graphql-ws): a client follows an entity with a subscription operation of its API. */
function operationWire(ctx: DesignCtx) {
  return managedProvider(ctx.input) ? undefined : protocolTraits(ctx).operations;
}

/** The subscription field that carries the entity's updates: the project's own, else `<entity>Updated`. */
function updatesField(ctx: DesignCtx): string {
  const own = ctx.input.analysis.events.find((x) => x.origin === 'existing' && x.direction === 'server-to-client' && parseName(x.name)?.noun === ctx.entity);
  return own?.name ?? `${ctx.entity}Updated`;
}

/** The stream's path, and whether it already names one entity (`/matches/:matchId/events`). */
function entityStream(ctx: DesignCtx): { path: string; perEntity: boolean } {
  const path = eventStreamPath(ctx.input.analysis, streamPath(ctx.layout));
  return { path, perEntity: /\/:\w+|\[\w+\]|\{\w+\}/.test(path) };
}

/** The project's own server → client events on the stream: on a per-entity stream they are the entity's updates. */
function existingUpdates(ctx: DesignCtx): EventSpec[] {
  if (!urlSubscribed(ctx) || !entityStream(ctx).perEntity) return [];
  return ctx.input.analysis.events.filter((x) => x.origin === 'existing' && !x.protocol && x.direction === 'server-to-client') as EventSpec[];
}

/**
 * A server the context says cannot be changed: the client follows what it already subscribes to with the
 * project's own subscribe event (`fleet.subscribe`), re-sent on every open; no event, seq or index of ours.
 */
function fixedWire(ctx: DesignCtx): { sub: EventSpec | undefined } | undefined {
  if (!serverIsFixed(ctx) || urlSubscribed(ctx) || operationWire(ctx)) return undefined;
  const sub = ctx.input.analysis.events.find((x) => x.origin === 'existing' && x.direction === 'client-to-server' && /subscri|watch|join/i.test(x.name)) as
    | EventSpec
    | undefined;
  return { sub };
}

/**
 * A real-time server product's channel protocol carries the subscription (Centrifugo): a client
 * subscribes to the entity's channel with the server's own subscribe command, authorized by a
 * subscription token (or a subscribe proxy), and our server publishes to that channel. The entity's
 * channel is in the namespace the server's config names after it, when there is one.
 */
function channelWire(ctx: DesignCtx) {
  const server = protocolTraits(ctx).channels;
  if (!server) return undefined;
  const e = ctx.entity;
  const ns = entityNamespace(ctx.input, e)?.store ?? e;
  return {
    server,
    ns,
    channel: `${ns}${server.namespaceSep}{${e}Id}`,
    publish: channelPublish(ctx.input, ns),
    check: channelAuthCheck(ctx.input),
    history: historyMd(server, ctx.input, ns),
  };
}

/**
 * On a channel server: the client reloads what a subscription shows when the server could not
 * recover it, and the server's config gets what the context's figures need (a history window
 * longer than the stated absence, a shared engine for the stated nodes). Titled "… on <label>",
 * so no generic channel step is added next to it.
 */
function channelSteps(ctx: DesignCtx, cw: NonNullable<ReturnType<typeof channelWire>>, label: string) {
  const client = ctx.layout.clientEntry;
  const config = serverConfigFile(ctx.input);
  const changes = serverConfigChanges(cw.server, ctx.input, cw.ns);
  const steps: { title: string; files: { path: string; action: 'create' | 'change'; why: string }[]; detailMd: string }[] = [
    {
      title: `Per-${ctx.entity} channels on ${label}`,
      files: client
        ? [
            {
              path: client,
              action: 'change',
              why: `on each ${ctx.entity} subscription's ${code('subscribed')} event with ${code('wasRecovering')} and ${code('recovered: false')}, reload what it shows over HTTP before applying new publications`,
            },
          ]
        : [],
      detailMd: `Clients keep subscribing to ${code(cw.channel)} with ${label}'s own subscribe command; ${label} recovers what a client missed from the channel's history${cw.history ? ` (${cw.history})` : ''}, and only a subscription it could not recover reloads over HTTP.`,
    },
  ];
  if (config && changes.length > 0)
    steps.push({
      title: `${label} config for the stated figures`,
      files: [{ path: config.evidence.replace(/:\d+$/, ''), action: 'change', why: changes.join('; ') }],
      detailMd: `What the context's figures need of ${label}'s own config (see Reported problems and Performance and scaling).`,
    });
  return steps;
}

/** The project's subscribe event with its line, or what the server's documentation names. */
function fixedSubMd(ctx: DesignCtx): string {
  const sub = fixedWire(ctx)?.sub;
  return sub ? `${code(sub.name)}${sub.evidence ? ` (${code(sub.evidence)})` : ''}` : "the subscribe message the server's documentation names";
}

/**
 * A managed provider holds the sockets (Ably, Pusher, Supabase Realtime…): a client follows an entity
 * by attaching to the provider's channel, which the credential our route signs allows, so there is no
 * subscribe message, ack or index of ours; what travels is what the project publishes on the channel.
 */
function providerWire(ctx: DesignCtx): ManagedProvider | null {
  return fixedWire(ctx) ? null : managedProvider(ctx.input);
}

/** The project's own updates on the provider's channels: its server → client events, presence, typing and keep-alives aside. */
function publishedUpdates(ctx: DesignCtx): RtEvent[] {
  return ctx.input.analysis.events.filter((x) => x.origin === 'existing' && !x.protocol && x.direction === 'server-to-client' && !CONTROL.test(x.name));
}

/** `order-updated` (server/src/routes/orders.js:10) on `orders:{shopId}`: the project's updates with their lines and channels. */
function publishedMd(ctx: DesignCtx, own: RtEvent[]): string {
  const events = list(own.map((x) => `${code(x.name)}${x.evidence ? ` (${code(x.evidence)})` : ''}`));
  const channels = [...new Set(own.map((x) => x.room).filter((r): r is string => typeof r === 'string'))];
  return `${events}${channels.length > 0 ? ` on the ${channels.length === 1 ? 'channel' : 'channels'} ${list(channels.map((c) => code(c)))}` : ''}`;
}

/** Where a client module of the project uses the channel its updates are published on (`file:line`), when the code shows one. */
function channelClientSite(ctx: DesignCtx, own: RtEvent[]): string | null {
  const rooms = new Set(own.map((x) => x.room).filter((r): r is string => typeof r === 'string'));
  const publishers = new Set(own.map((x) => x.evidence?.replace(/:\d+$/, '')));
  const dir = ctx.layout.clientDir;
  const hit = ctx.input.analysis.events.find(
    (x) =>
      x.origin === 'existing' &&
      x.room !== undefined &&
      rooms.has(x.room) &&
      x.evidence &&
      !publishers.has(x.evidence.replace(/:\d+$/, '')) &&
      (!dir || x.evidence.startsWith(`${dir}/`)),
  );
  return hit?.evidence ?? null;
}

/** How a provider-wire client gets back what it missed: the provider's own recovery where it has one, else a refetch. */
function providerCatchUpMd(ctx: DesignCtx, p: ManagedProvider): string {
  return (
    managedRecoveryMd(ctx) ??
    `${p.label} reattaches the client's channels after a reconnect but replays nothing it missed: on reattach the client refetches what the screen shows ${p.catchUpReadMd}.`
  );
}

function plural(word: string): string {
  return /(s|x|ch|sh)$/.test(word) ? `${word}es` : /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`;
}

/** How a client follows one entity on an EventSource wire: the URL it opens. */
function followMd(ctx: DesignCtx): string {
  const e = ctx.entity;
  const { path, perEntity } = entityStream(ctx);
  return perEntity ? `one ${code('EventSource')} per ${e} at ${code(path)}` : `one ${code('EventSource')} per ${e} at ${code(`${path}?${e}Id=<id>`)}`;
}

/** This plan's own subscribe codes (LIMIT_EXCEEDED) apply: no fixed server, library wire or provider answers the subscribe. */
function ownCodes(ctx: DesignCtx): boolean {
  return !(fixedWire(ctx) || urlSubscribed(ctx) || operationWire(ctx) || channelWire(ctx) || providerWire(ctx));
}

export const subscriptions: ScenarioModule = {
  id: 'subscriptions',
  title: 'Per-entity subscriptions',
  features: ['subscriptions', 'live-updates'],
  words: ['subscribe', 'subscriptions', 'subscription', 'updates', 'feed', 'watch', 'events'],
  providers: [],
  eventHint: /subscri/i,
  // A per-entity index is a few lines of code: not a reason to want built-in rooms.
  needs: { bidirectional: true, binary: false, media: false, rooms: false },
  defaults: {
    connections: 5_000,
    msgRate: 500,
    payloadBytes: 512,
    fanout: 10,
    why: 'ten watchers per entity, one update per entity every few seconds',
    whyBy: {
      connections: '5,000 clients connected at peak',
      msgRate: 'one update per entity every few seconds',
      payloadBytes: 'updates of about 512 bytes',
      fanout: 'ten watchers per entity: every update goes to everyone watching it',
    },
  },
  resume: (ctx) =>
    channelWire(ctx)
      ? {
          event: 'subscribe',
          cursor: 'refetch',
          mutation: null,
          key: null,
          seq: false,
          catchUpMd: `A reconnecting client's SDK subscribes to ${code(channelWire(ctx)!.channel)} again by itself; ${channelWire(ctx)!.server.label} recovers what it missed from the channel's history${channelWire(ctx)!.history ? ` (${channelWire(ctx)!.history})` : ', where the namespace keeps one'}, and ${channelWire(ctx)!.server.history.clientMd}.`,
          offlineMd: `Nothing is queued offline: clients only read, and a resubscribe recovers from ${channelWire(ctx)!.server.label}'s history or reloads over HTTP.`,
        }
      : providerWire(ctx)
        ? {
            event: publishedUpdates(ctx)[0]?.name ?? names(ctx).updated,
            cursor: 'refetch',
            mutation: null,
            key: null,
            seq: false,
            catchUpMd: providerCatchUpMd(ctx, providerWire(ctx)!),
            recoverWithMd: `${providerWire(ctx)!.label}'s own recovery and the fallback in State synchronization`,
            offlineMd: `Nothing is queued offline: ${clientWriteOf(ctx) ? 'a change is sent only while connected' : 'clients only read the channels'}, and what they missed comes back as above.`,
          }
        : fixedWire(ctx)
          ? {
              event: fixedWire(ctx)!.sub?.name ?? 'subscribe',
              cursor: 'refetch',
              mutation: null,
              key: null,
              seq: false,
              catchUpMd: `A reconnecting client re-sends ${fixedSubMd(ctx)} on every open, before anything else. The server cannot be changed, so no seq or replay request is added: whether it replays what was missed is for its documentation to say; if it does not, what changed during the drop shows with the next updates, and until then what is shown is marked stale.`,
            }
          : operationWire(ctx)
            ? {
                event: updatesField(ctx),
                cursor: 'refetch',
                mutation: null,
                key: null,
                // The library re-subscribes after a reconnect and replays nothing: the refetch is the catch-up, so no seq of ours.
                seq: false,
                catchUpMd: operationWire(ctx)!.catchUpMd,
                offlineMd: 'Nothing is queued offline on the subscription: it only reads, and a reconnect refetches the current state.',
              }
            : urlSubscribed(ctx)
              ? {
                  event: 'Last-Event-ID',
                  cursor: streamResumeOf(ctx.input.analysis).client?.name ?? streamResumeOf(ctx.input.analysis).query?.name ?? 'lastEventId',
                  mutation: null,
                  key: null,
                }
              : latestWins(ctx)
                ? {
                    event: names(ctx).sub,
                    cursor: 'refetch',
                    mutation: null,
                    key: null,
                    seq: false,
                    catchUpMd: `A reconnecting client re-sends ${code(names(ctx).sub)} for what it follows and the server answers with the current values (${code(names(ctx).updated)}); only the newest ${ctx.entity} matters, so nothing missed is replayed and no seq or replay log is kept.`,
                    offlineMd: `Nothing is queued offline: ${clientWriteOf(ctx) ? 'a change is sent only while connected' : 'clients only read'}, and a resubscribe returns the current ${plural(ctx.entity)}.`,
                  }
                : { event: names(ctx).sub, cursor: 'sinceSeq', mutation: null, key: null },
  summaryMd: (ctx) => {
    const cw = channelWire(ctx);
    if (cw)
      return `Let clients follow individual ${plural(ctx.entity)} by subscribing to ${code(cw.channel)} on ${cw.server.label}'s own protocol (${cw.server.subscribeMd(cw.channel)}); our server publishes each change to the ${ctx.entity}'s channel${cw.publish ? ` (as it does today: ${code(cw.publish.evidence)})` : ''} and ${cw.server.label} delivers it to the channel's subscribers. No subscribe event of ours.`;
    const p = providerWire(ctx);
    if (p) {
      const own = publishedUpdates(ctx);
      const e = ctx.entity;
      return own.length > 0
        ? `Keep ${publishedMd(ctx, own)}: a client follows ${article(e)} ${e} by ${p.attachMd}, so there is no subscribe message, ack or socket server of ours, and each change reaches the clients attached to its channel.`
        : `Deliver ${code(names(ctx).updated)} on one ${p.label} channel per ${e} (${code(roomChannel(ctx, e, `${e}Id`))}), by ${p.changes}: a client follows ${article(e)} ${e} by ${p.attachMd}, so there is no subscribe message, ack or socket server of ours.`;
    }
    if (fixedWire(ctx))
      return `Keep the subscription the server already offers: the client sends ${fixedSubMd(ctx)} on every open and renders what the server sends; the context says the server cannot be changed, so the plan proposes no new events for it.`;
    const ops = operationWire(ctx);
    if (ops)
      return `Keep ${code(updatesField(ctx))} a GraphQL subscription: a client follows ${plural(ctx.entity)} with ${ops.followMd(updatesField(ctx))}; the server delivers each change only to the operations whose arguments select it, on ${ops.label}'s own protocol, with no second protocol next to it.`;
    if (urlSubscribed(ctx)) {
      const own = existingUpdates(ctx);
      const sends = own.length > 0 ? list(own.map((x) => code(x.name))) : code(names(ctx).updated);
      return `Let clients follow individual ${plural(ctx.entity)} with ${followMd(ctx)}: opening it subscribes and closing it unsubscribes, so nothing goes from client to server, and each stream carries ${sends} of its own ${ctx.entity} only.`;
    }
    return `Let clients subscribe to individual ${plural(ctx.entity)} (${code(names(ctx).sub)} / ${code(names(ctx).unsub)}) and send ${code(names(ctx).updated)} only to subscribers, with malformed messages answered by ${code('sys:error')}.`;
  },
  events: (ctx) => {
    if (fixedWire(ctx)) return [];
    const e = ctx.entity;
    const cw = channelWire(ctx);
    if (cw) {
      // What our server publishes today (its keys as written), else the change it would publish.
      const published: EventSpec = cw.publish
        ? {
            ...ev(
              cw.channel,
              'server-to-client',
              cw.channel,
              `A publication on one ${e}'s channel: what ${code(cw.publish.evidence)} publishes through ${cw.server.label}'s server API`,
              `${cap(e)}Publication`,
              (cw.publish.value ?? '')
                .split(', ')
                .filter(Boolean)
                .map((k) => f(k, 'unknown', 'as our publish sends it')),
            ),
            origin: 'existing',
            evidence: cw.publish.evidence,
          }
        : ev(
            cw.channel,
            'server-to-client',
            cw.channel,
            `A publication on one ${e}'s channel, published by our server through ${cw.server.label}'s server API`,
            `${cap(e)}Publication`,
            [f('change', 'string'), f('data', 'Record<string, unknown>')],
          );
      // A route that signs subscription tokens (its access check found) means clients already subscribe on the server's protocol.
      const subscribe: EventSpec = {
        ...ev(
          'subscribe',
          'client-to-server',
          cw.channel,
          `${cw.server.label}'s subscribe command for one ${e}'s channel, sent by its SDK${cw.check ? ` with the token our route signs (${code(cw.check.evidence)})` : ''}`,
          'SubscribeCommand',
          [f('channel', 'string'), f('token', 'string', 'the subscription token our route signs')],
        ),
        ...(cw.check ? { origin: 'existing' as const } : {}),
        protocol: cw.server.id,
      };
      return [subscribe, published];
    }
    // On a provider's channels attaching is the subscription: only the update itself is an event, and the project's own are kept.
    if (providerWire(ctx))
      return publishedUpdates(ctx).length > 0
        ? []
        : [
            ev(
              names(ctx).updated,
              'server-to-client',
              roomChannel(ctx, e, `${e}Id`),
              `A change to one ${e}, delivered to the clients attached to its channel`,
              `${cap(e)}UpdatedPayload`,
              [f(`${e}Id`, 'string'), f('change', 'string'), f('data', 'Record<string, unknown>')],
            ),
          ];
    // On an operation wire the subscription field is the event; subscribing is the protocol's own `subscribe` message.
    if (operationWire(ctx)) {
      if (ctx.input.analysis.events.some((x) => x.origin === 'existing' && x.name === updatesField(ctx))) return [];
      return [
        ev(updatesField(ctx), 'server-to-client', 'subscription', `Subscription field: a change to the ${e} its arguments select`, `${cap(e)}UpdatedPayload`, [
          f(`${e}Id`, 'string'),
          f('change', 'string'),
          f('data', 'Record<string, unknown>'),
        ]),
      ];
    }
    if (urlSubscribed(ctx)) {
      // The project's own events already carry the entity's updates on its stream: nothing to add.
      if (existingUpdates(ctx).length > 0) return [];
      // The SSE `id:` of each event is its position (the log's entry id, or the seq): the payload repeats no seq.
      return [
        ev(names(ctx).updated, 'server-to-client', 'stream', `A change to the ${e} the stream follows`, `${cap(e)}UpdatedPayload`, [
          f(`${e}Id`, 'string'),
          ...(logOrdered(ctx) ? [] : [f('seq', 'integer')]),
          f('change', 'string'),
          f('data', 'Record<string, unknown>'),
        ]),
      ];
    }
    const ch = roomChannel(ctx, e, `${e}Id`);
    const id = `${e}Id`;
    const { sub, unsub } = names(ctx);
    // A latest value carries no seq (no sinceSeq, no headSeq, no change kind), and the project's own
    // subscribe and update events need nothing added: they are kept, not proposed again.
    const latest = latestWins(ctx);
    const existing = new Set(latest ? ctx.input.analysis.events.filter((x) => x.origin === 'existing').map((x) => x.name) : []);
    return [
      ev(
        sub,
        'client-to-server',
        ch,
        `Start receiving updates of one ${e}`,
        `${cap(e)}SubscribePayload`,
        latest ? [f(id, 'string')] : [f(id, 'string'), f('sinceSeq', 'integer', 'replay updates after this seq', true)],
        latest
          ? [f('ok', 'boolean'), f('error', 'string', undefined, true)]
          : [f('ok', 'boolean'), f('headSeq', 'integer', undefined, true), f('error', 'string', undefined, true)],
      ),
      ev(unsub, 'client-to-server', ch, `Stop receiving updates of one ${e}`, `${cap(e)}UnsubscribePayload`, [f(id, 'string')], [f('ok', 'boolean')]),
      ev(
        names(ctx).updated,
        'server-to-client',
        ch,
        latest ? `The newest value of a subscribed ${e}` : `A change to a subscribed ${e}`,
        `${cap(e)}UpdatedPayload`,
        latest
          ? [f(id, 'string'), f('data', 'Record<string, unknown>')]
          : [f(id, 'string'), f('seq', 'integer'), f('change', 'string'), f('data', 'Record<string, unknown>')],
      ),
      ...namedFlowEvents(ctx, latest),
    ].filter((x) => !existing.has(x.name));
  },
  flows: (ctx) => {
    // A provider's channel attach (or a channel server's subscribe) is the SDK's own exchange: no subscribe flow of ours to draw.
    if (fixedWire(ctx) || channelWire(ctx) || providerWire(ctx)) return [];
    const e = ctx.entity;
    // Opening the EventSource is the subscription: no subscribe exchange to draw; an operation wire's subscribe is the library's.
    if (urlSubscribed(ctx) || operationWire(ctx)) return [];
    // The project's own subscribe message already runs a latest-value flow, with its own payload and reply: not
    // redrawn with ours. A sequenced one changes (access check, head seq in the ack), so the diagram stays.
    if (latestWins(ctx) && ctx.input.analysis.events.some((x) => x.origin === 'existing' && x.name === names(ctx).sub && x.direction === 'client-to-server'))
      return [];
    const parts = [...cs(ctx).filter((p) => p.key !== 'user'), { key: 'svc', label: `${e} service (domain events)` }];
    return [
      {
        title: `Subscribe to ${article(e)} ${e}`,
        opens: names(ctx).sub,
        summaryMd: latestWins(ctx)
          ? `The server checks that the user may read the ${e} before adding the socket to ${code(`${e}:{id}`)}, then sends its current value; later updates carry only the newest value.`
          : `The server checks that the user may read the ${e} before adding the socket to ${code(`${e}:{id}`)}; the ack carries the head seq so the client knows where live updates start.`,
        diagram: sequenceDiagram(`Subscribe to ${article(e)} ${e}`, {
          participants: parts,
          autonumber: true,
          steps: [
            {
              kind: 'message',
              from: 'client',
              to: 'server',
              text: send(ctx, names(ctx).sub, latestWins(ctx) ? subIdField(ctx) : `${subIdField(ctx)}, sinceSeq`),
            },
            {
              kind: 'block',
              type: 'alt',
              label: 'authorized',
              steps: [{ kind: 'message', from: 'server', to: 'client', text: latestWins(ctx) ? 'ack ok, current value' : 'ack ok, headSeq', style: 'reply' }],
              // One answer for both: a different code for an unknown id would let a client probe which ids exist.
              else: [
                {
                  label: 'not allowed or unknown id',
                  steps: [{ kind: 'message', from: 'server', to: 'client', text: 'error FORBIDDEN, the same for an id that does not exist', style: 'reply' }],
                },
              ],
            },
            { kind: 'message', from: 'svc', to: 'server', text: `${e} changed`, style: 'async' },
            {
              kind: 'message',
              from: 'server',
              to: 'client',
              text: latestWins(ctx) ? `${names(ctx).updated} (newest value)` : `${names(ctx).updated} with seq`,
              style: 'async',
            },
          ],
        }),
      },
    ];
  },
  sync: (ctx) => {
    const cw = channelWire(ctx);
    if (cw)
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: `Server-authoritative, in the order of ${cw.server.label}'s channel stream`,
          whyMd: `${onlyReadMd(ctx)}; ${cw.server.label} numbers the publications of a channel that keeps history and recovers them in order on resubscribe, so no seq of ours is added.`,
        },
      ];
    const p = providerWire(ctx);
    if (p)
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: `Server-authoritative, as delivered on the ${p.label} channel`,
          whyMd: `${onlyReadMd(ctx)}; ${p.label} delivers what reaches a channel to every client attached to it, and a drop is covered by the catch-up below, so no seq of ours is added.`,
        },
      ];
    if (fixedWire(ctx))
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: 'Server-authoritative, as the server sends them',
          whyMd: `${onlyReadMd(ctx)}; the server cannot be changed, so the client adds no seq: it applies what arrives and marks a value stale by its age.`,
        },
      ];
    if (operationWire(ctx))
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: 'Server-authoritative; the current state refetched after a reconnect',
          whyMd: `Clients only read over the subscription; ${operationWire(ctx)!.label} replays nothing after a drop, so the queries the screen shows are refetched on reconnect.`,
        },
      ];
    const log = logOrdered(ctx) ? streamLogOf(ctx.input.analysis) : null;
    if (log)
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: "Server-authoritative, in the order of the log's entry ids",
          whyMd: `${onlyReadMd(ctx)}; the entry id of the log written at ${code(log.evidence)} is each event's SSE ${code('id:')}, so it orders the events of one ${ctx.entity} and resumes the stream.`,
        },
      ];
    if (urlSubscribed(ctx))
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: 'Server-authoritative, seq per entity',
          whyMd: `${onlyReadMd(ctx)}; ordering per ${ctx.entity} is all they need, and the seq as the SSE ${code('id:')} makes a reconnect lossless through ${code('Last-Event-ID')}.`,
        },
      ];
    if (latestWins(ctx))
      return [
        {
          data: `${ctx.entity} updates`,
          strategy: 'Server-authoritative, newest value wins',
          whyMd: `${onlyReadMd(ctx)}, and only the newest ${ctx.entity} matters: updates are conflated and carry no seq, and a resubscribe returns the current values.`,
        },
      ];
    return [
      {
        data: `${ctx.entity} updates`,
        strategy: 'Server-authoritative, seq per entity',
        whyMd: `${onlyReadMd(ctx)}; ordering per entity is all they need, and ${code('sinceSeq')} makes resubscription lossless.`,
      },
    ];
  },
  risks: (ctx) =>
    fixedWire(ctx)
      ? []
      : channelWire(ctx)
        ? [
            {
              title: 'Subscription fan-in',
              riskMd: `One client subscribing to many ${plural(ctx.entity)} holds many channels on ${channelWire(ctx)!.server.label}.`,
              mitigationMd: channelLimitMd(channelWire(ctx)!.server, ctx.input)
                ? `${channelWire(ctx)!.server.label} caps channels per connection: ${channelLimitMd(channelWire(ctx)!.server, ctx.input)}; keep it above the most ${plural(ctx.entity)} one page follows.`
                : `Cap channels per connection with ${code(channelWire(ctx)!.server.channelLimitKey)} in ${channelWire(ctx)!.server.label}'s config.`,
            },
          ]
        : providerWire(ctx)
          ? [
              {
                title: 'Channels wider than the user',
                riskMd: `A client can attach to every channel its credential allows: one signed for more than the user may see (a wildcard channel name) lets them follow every ${ctx.entity}.`,
                mitigationMd: `Sign credentials for the user's own channels only (${providerWire(ctx)!.authMd}), and test that attaching to another ${ctx.entity}'s channel is refused.`,
              },
            ]
          : operationWire(ctx)
            ? [
                {
                  title: 'Subscription fan-in',
                  riskMd: 'One client opening thousands of subscription operations exhausts memory.',
                  mitigationMd: `Cap operations per socket in ${code('onSubscribe')} and return GraphQL errors over it: the client gets an ${code('error')} message for that operation id.`,
                },
              ]
            : urlSubscribed(ctx)
              ? [
                  {
                    title: 'Streams left in the fan-out',
                    riskMd: `A stream whose client has gone stays in its ${ctx.entity}'s fan-out until the server notices, and keeps receiving (and leaking) ${ctx.entity} updates.`,
                    mitigationMd: `Remove the stream from its ${ctx.entity}'s set in the stream's close or abort handler; a periodic sweep compares the sets with open streams and logs drift.`,
                  },
                ]
              : [
                  {
                    title: 'Stale subscriptions',
                    riskMd: `A socket that closes without cleanup keeps receiving (and leaking) ${ctx.entity} updates.`,
                    mitigationMd:
                      'Remove the socket from every index entry in the close handler; a periodic sweep compares the index with live sockets and logs drift.',
                  },
                  {
                    title: 'Subscription fan-in',
                    riskMd: 'One client subscribing to thousands of entities exhausts memory.',
                    mitigationMd: capMd(ctx),
                  },
                ],
  tests: (ctx) =>
    channelWire(ctx)
      ? channelWire(ctx)!.server.tests(channelWire(ctx)!.channel)
      : providerWire(ctx)
        ? [
            `two clients whose credentials allow different ${plural(ctx.entity)}: each receives only its own channel's messages, and attaching to the other's channel is refused`,
            'a client cut off longer than the recovery window catches up by the fallback in State synchronization',
          ]
        : fixedWire(ctx)
          ? [
              `after each reconnect the client re-sends ${fixedWire(ctx)!.sub ? code(fixedWire(ctx)!.sub!.name) : 'its subscribe message'} once, before any command`,
            ]
          : operationWire(ctx)
            ? operationWire(ctx)!.tests(updatesField(ctx))
            : urlSubscribed(ctx)
              ? [
                  `two streams on different ${plural(ctx.entity)}: each receives only its own ${ctx.entity}'s events`,
                  `closing a stream removes it from its ${ctx.entity}'s set (set size back to 0)`,
                ]
              : [
                  `two clients, one subscribed: only it receives ${names(ctx).updated}`,
                  'unsubscribe and close both remove index entries (index size back to 0)',
                  'malformed JSON, unknown type, oversized frame → sys:error with the exact code',
                ],
  steps: (ctx) => {
    // The project's own subscribe already runs on every open: no index, broadcast or manager of ours.
    if (fixedWire(ctx)) return [];
    const p = managedProvider(ctx.input);
    const cw = channelWire(ctx);
    if (p && cw) return channelSteps(ctx, cw, p.label);
    // The project already publishes its updates and a client module already uses their channel: only the catch-up is new.
    const own = p ? publishedUpdates(ctx) : [];
    const site = p ? channelClientSite(ctx, own) : null;
    if (p && site) {
      const asked = ctx.input.sessions.requirements.some((r) => r.kind === 'feature' && r.feature === 'presence');
      // Presence the code already enters (a client event named presence, with its line) is kept and said so.
      const entered = ctx.input.analysis.events.find(
        (x) => x.origin === 'existing' && x.direction === 'client-to-server' && /^presence(:|$)/.test(x.name) && x.evidence,
      );
      const presence = asked && !ctx.input.analysis.events.some((x) => x.origin === 'existing' && /^presence(:|$)/.test(x.name));
      // The catch-up call needs an operation the credential our route mints does not grant: add it there.
      const g = p.catchUpGrant;
      const lacking = g ? grantsLacking(ctx, g.op) : [];
      const grantFiles = [...new Set(lacking.map((x) => x.evidence.replace(/:\d+$/, '')))].map((path) => ({
        path,
        action: 'change' as const,
        why: `${list(lacking.filter((x) => x.evidence.startsWith(`${path}:`)).map((x) => grantGapMd(x, g!.op)))}: without it ${p.label} refuses ${g!.callMd} on the channel (${g!.refusedMd}) and the catch-up fails`,
      }));
      return [
        {
          title: `Catch-up after a drop on ${p.label}`,
          files: [
            {
              path: site.split(':')[0]!,
              action: 'change',
              why: `${p.catchUpStepMd ?? `on the SDK's reconnect, refetch what the screen shows ${p.catchUpReadMd}`}${presence ? `; who is present on the channel with ${p.presence}, which each client enters for itself` : ''}`,
            },
            ...grantFiles,
          ],
          detailMd: `The project already publishes ${publishedMd(ctx, own)} and its client uses that channel at ${code(site)}: no channel, publish or subscription is added, only the catch-up State synchronization describes.${asked && entered ? ` Who is present already uses ${p.presence}, which each client enters for itself (${code(entered.evidence!)}).` : ''} The refetch reads the current ${plural(ctx.entity)} from a read route of our API (add one if the API has none), under the same authorization as the page.`,
        },
      ];
    }
    if (p)
      return providerSteps(ctx, p, {
        title: `Per-${ctx.entity} channels`,
        // Presence asked for next to the entity (who is on shift at a board) is the provider's own, on the same channel.
        uses: `${ctx.entity} changes delivered by ${p.changes}${
          ctx.input.sessions.requirements.some((r) => r.kind === 'feature' && r.feature === 'presence')
            ? `; who is present on the channel with ${p.presence}, which each client enters for itself`
            : ''
        }`,
        clientName: 'subscriptions',
      });
    const ops = operationWire(ctx);
    if (ops) {
      const client = ctx.layout.clientEntry;
      return client
        ? [
            {
              title: 'Catch up after a reconnect',
              files: [{ path: client, action: 'change', why: `refetch the shown queries on ${ops.label}'s ${code('connected')} event` }],
              detailMd: ops.catchUpMd,
            },
          ]
        : [];
    }
    const broadcast = {
      title: 'Domain events → broadcasts',
      files: [
        { path: serverFile(ctx, 'broadcast'), action: 'create' as const, why: `turn ${ctx.entity} service events into ${names(ctx).updated} for subscribers` },
      ],
      // Where the code already appends to a capped log, its ids and its cap are the order and the replay buffer.
      detailMd: streamLogOf(ctx.input.analysis)
        ? `Appends to the log the code already writes (${code(streamLogOf(ctx.input.analysis)!.evidence)}): its ids are the order and the resume point, and its cap the replay window, so no seq or buffer of ours is added.`
        : latestWins(ctx)
          ? `Sends only the newest value of each ${ctx.entity} (conflated, see Performance and scaling), with no seq and no replay buffer: a resubscribe gets the current values.`
          : `Assigns the per-entity seq and keeps a bounded log (${REPLAY_LOG_MD}) for ${code('sinceSeq')} replay.`,
    };
    if (urlSubscribed(ctx))
      return [
        {
          title: `Streams per ${ctx.entity}`,
          files: [
            {
              path: serverFile(ctx, 'subscriptions'),
              action: 'create',
              why: `map ${ctx.entity}Id → open streams; a stream joins on open and leaves on close`,
            },
          ],
          detailMd: `Pure module with unit tests; a client follows a ${ctx.entity} with ${followMd(ctx)}, so the stream handler is the only caller.${
            streamLogOf(ctx.input.analysis)
              ? ` The events come from the log the code already writes (${code(streamLogOf(ctx.input.analysis)!.evidence)}): its ids are the order and the resume point, so no seq or buffer of ours is added.`
              : ''
          }`,
        },
        ...(existingUpdates(ctx).length > 0 ? [] : [broadcast]),
      ];
    return [
      {
        title: 'Subscription index',
        files: [
          {
            path: serverFile(ctx, 'subscriptions'),
            action: 'create',
            why: `two-way map ${ctx.entity}Id ↔ sockets, per-connection cap${statedCap(ctx) ? ` of ${fmt(statedCap(ctx)!.value)}` : ''}`,
          },
        ],
        detailMd: 'Pure module with unit tests; the socket layer only calls add/remove/dropSocket.',
      },
      broadcast,
      {
        title: 'Client subscription manager',
        files: [{ path: clientFile(ctx, 'subscriptions'), action: 'create', why: 'ref-counted subscribe/unsubscribe, resubscribe on reconnect' }],
        detailMd: 'Components subscribe through it; it sends one subscribe per entity however many components watch it.',
      },
    ];
  },
  errors: (ctx) =>
    !ownCodes(ctx)
      ? []
      : [
          {
            code: 'LIMIT_EXCEEDED',
            when: statedCap(ctx)
              ? `more than ${fmt(statedCap(ctx)!.value)} subscriptions on one connection (the stated maximum)`
              : 'more subscriptions than the per-connection cap',
            clientMd: 'unsubscribe from entities no longer on screen',
          },
          // No NOT_FOUND: an id that does not exist is answered FORBIDDEN, so which ids exist cannot be probed.
        ],
  // No index of ours on a provider's channels: the provider counts its own attachments.
  metrics: (ctx) =>
    providerWire(ctx)
      ? []
      : [{ name: 'subscriptions_active', type: 'gauge', labels: 'entity', whyMd: 'index size; drift from connections × average reveals leaks' }],
};

/** Projects already name these (`subscribe:agent`, `agent:output`); keep existing names over the convention. */
/**
 * The streams the context names that no event carries yet ("the agent's output and status changes;
 * workspace updates go to everyone watching the workspace"): one server event per stream of the
 * plan's entity on its channel, and for another entity clients follow its own subscribe and
 * unsubscribe pair and event on its channel, named as the plan's own pair is.
 */
function namedFlowEvents(ctx: DesignCtx, latest: boolean): EventSpec[] {
  const e = ctx.entity;
  const own = ctx.input.analysis.events.filter((x) => x.origin === 'existing' && x.direction === 'server-to-client').map((x) => x.name.toLowerCase());
  const updated = names(ctx).updated;
  // A stream is carried where an event of the project's names it (`agent:output`), or where it is the entity's plain update.
  const carried = (entity: string, flow: string) =>
    own.some((n) => n.includes(entity) && n.includes(flow)) || (entity === e && /^(?:update|change|event|state)$/.test(flow) && !!updated);
  const { sub, unsub } = names(ctx);
  const pair = (other: string) => ({ sub: sub.replace(e, other), unsub: unsub.replace(e, other) });
  const out: EventSpec[] = [];
  const flows = ctx.capacity.workload?.named ?? [];
  for (const x of flows) {
    if (carried(x.entity, x.flow)) continue;
    const id = `${x.entity}Id`;
    const ch = x.entity === e ? roomChannel(ctx, e, `${e}Id`) : roomChannel(ctx, x.entity, id);
    const value = x.flow === 'status' ? f('status', 'string') : f('data', 'Record<string, unknown>');
    const said = `(named in the context, ${x.evidence})`;
    if (x.entity !== e && !out.some((o) => o.name === pair(x.entity).sub)) {
      const p = pair(x.entity);
      // Subscribe and unsubscribe only where the plan's own pair names its entity; a bare `subscribe` takes another shape.
      if (p.sub !== sub)
        out.push(
          ev(
            p.sub,
            'client-to-server',
            ch,
            `Start receiving the ${x.entity}'s updates ${said}`,
            `${cap(x.entity)}SubscribePayload`,
            latest ? [f(id, 'string')] : [f(id, 'string'), f('sinceSeq', 'integer', 'replay updates after this seq', true)],
            latest
              ? [f('ok', 'boolean'), f('error', 'string', undefined, true)]
              : [f('ok', 'boolean'), f('headSeq', 'integer', undefined, true), f('error', 'string', undefined, true)],
          ),
          ev(
            p.unsub,
            'client-to-server',
            ch,
            `Stop receiving the ${x.entity}'s updates`,
            `${cap(x.entity)}UnsubscribePayload`,
            [f(id, 'string')],
            [f('ok', 'boolean')],
          ),
        );
    }
    out.push(
      ev(
        `${x.entity}:${x.flow}`,
        'server-to-client',
        ch,
        `The ${x.entity}'s ${x.flow}, to the clients that subscribed to it ${said}`,
        `${cap(x.entity)}${cap(x.flow)}Payload`,
        latest ? [f(id, 'string'), value] : [f(id, 'string'), f('seq', 'integer'), value],
      ),
    );
  }
  return out;
}

function names(ctx: DesignCtx): { sub: string; unsub: string; updated: string } {
  const e = ctx.entity;
  const events = ctx.input.analysis.events.filter((x) => x.origin === 'existing');
  const existing = new Set(events.map((x) => x.name));
  // The project's own server-to-client event about the entity already carries its updates.
  const own = ownUpdate(ctx);
  const updated = own?.name ?? `${e}:updated`;
  // The project's own `subscribe` / `unsubscribe` messages (a list of ids in the payload) already subscribe per entity.
  const bare = (n: string) => events.some((x) => x.name === n && x.direction === 'client-to-server');
  // So do a bare `watch` / `unwatch` or `follow` / `unfollow` pair: the plan extends them instead of adding a second pair beside them.
  for (const [on, off] of [
    ['subscribe', 'unsubscribe'],
    ['watch', 'unwatch'],
    ['follow', 'unfollow'],
  ] as const)
    if (bare(on) && bare(off)) return { sub: on, unsub: off, updated };
  return existing.has(`subscribe:${e}`)
    ? { sub: `subscribe:${e}`, unsub: existing.has(`unsubscribe:${e}`) ? `unsubscribe:${e}` : `${e}:unsubscribe`, updated }
    : { sub: `${e}:subscribe`, unsub: `${e}:unsubscribe`, updated };
}

/** The id field the subscribe message carries: the project's own (`watch`'s `symbol`) where it names one, else the catalog's. */
function subIdField(ctx: DesignCtx): string {
  const e = ctx.entity;
  const own = ctx.input.analysis.events.find((x) => x.origin === 'existing' && x.direction === 'client-to-server' && x.name === names(ctx).sub);
  const field = own?.payload?.find((p) => p.name === e || p.name === `${e}Id` || p.name === `${e}_id`);
  return field?.name ?? `${e}Id`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The most entities one connection may follow, as the context states it ("50 max", "up to 200"). */
function statedCap(ctx: DesignCtx): NumberRequirement | undefined {
  return ctx.input.sessions.requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'subscriptions' && r.bound === 'max');
}

/** The per-connection cap: the stated maximum with its sentence, else an example figure said to be one. */
function capMd(ctx: DesignCtx): string {
  const cap = statedCap(ctx);
  if (!cap) return 'Cap subscriptions per connection (e.g. 200; the context states no maximum) and answer `LIMIT_EXCEEDED`.';
  return `Cap subscriptions per connection at the stated maximum of ${fmt(cap.value)} ${cap.entity} ("${cap.sentence}", ${code(cap.evidence)}) and answer \`LIMIT_EXCEEDED\` above it.`;
}

/**
 * "Clients only read", unless the code shows a client event that asks the server to change
 * something (not a subscription, a join or a keep-alive): then the server is the only writer.
 */
export function onlyReadMd(ctx: DesignCtx): string {
  const w = clientWriteOf(ctx);
  return w
    ? `The server is the only writer: clients ask it for changes (${code(w.name)} at ${code(w.evidence)}) and render what it sends`
    : 'Clients only read';
}

// Subscription control, keep-alives and ephemeral signals (typing, cursors, presence) ask the server to change nothing.
const CONTROL = /(^|[:._-])(un)?(subscribe|watch|join|leave|sync|ping|pong|hello|auth|resume|ack|typing|cursor|presence|heartbeat)([:._-]|$)/i;

/** The first client event in the code that is not subscription control: a command or a write. */
export function clientWriteOf(ctx: DesignCtx): { name: string; evidence: string } | null {
  const e = ctx.input.analysis.events.find((x) => x.direction === 'client-to-server' && x.evidence && !CONTROL.test(x.name));
  return e?.evidence ? { name: e.name, evidence: e.evidence } : null;
}
