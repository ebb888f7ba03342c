// Subscriptions: clients subscribe and unsubscribe per entity; the server keeps a subscription
// index both ways (entity → sockets, socket → entities) so a broadcast touches only
// subscribers and a closing socket cleans up in O(its subscriptions).
import { sequenceDiagram } from '../../diagrams/builders.js';
import type { DesignCtx } from '../context.js';
import { code } from '../md.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ScenarioModule } from './kit.js';

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
  resume: (ctx) => ({ event: names(ctx).sub, cursor: 'sinceSeq', mutation: null, key: null }),
  summaryMd: (ctx) =>
    `Let clients subscribe to individual ${ctx.entity}s (${code(names(ctx).sub)} / ${code(names(ctx).unsub)}) and send ${code(`${ctx.entity}:updated`)} only to subscribers, with malformed messages answered by ${code('sys:error')}.`,
  events: (ctx) => {
    const e = ctx.entity;
    const ch = `${e}/{${e}Id}`;
    const id = `${e}Id`;
    const { sub, unsub } = names(ctx);
    return [
      ev(
        sub,
        'client-to-server',
        ch,
        `Start receiving updates of one ${e}`,
        `${cap(e)}SubscribePayload`,
        [f(id, 'string'), f('sinceSeq', 'integer', 'replay updates after this seq', true)],
        [f('ok', 'boolean'), f('headSeq', 'integer', undefined, true), f('error', 'string', undefined, true)],
      ),
      ev(unsub, 'client-to-server', ch, `Stop receiving updates of one ${e}`, `${cap(e)}UnsubscribePayload`, [f(id, 'string')], [f('ok', 'boolean')]),
      ev(`${e}:updated`, 'server-to-client', ch, `A change to a subscribed ${e}`, `${cap(e)}UpdatedPayload`, [
        f(id, 'string'),
        f('seq', 'integer'),
        f('change', 'string'),
        f('data', 'Record<string, unknown>'),
      ]),
    ];
  },
  flows: (ctx) => {
    const e = ctx.entity;
    const parts = [
      ...cs(ctx).filter((p) => p.key !== 'user'),
      { key: 'other', label: 'Unsubscribed client' },
      { key: 'svc', label: `${e} service (domain events)` },
    ];
    return [
      {
        title: `Subscribe to ${article(e)} ${e}`,
        summaryMd: `The server checks that the user may read the ${e} before adding the socket to ${code(`${e}:{id}`)}; the ack carries the head seq so the client knows where live updates start.`,
        diagram: sequenceDiagram(`Subscribe to ${article(e)} ${e}`, {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, names(ctx).sub, `(${e}Id a1)`) },
            {
              kind: 'block',
              type: 'alt',
              label: 'authorized',
              steps: [{ kind: 'message', from: 'server', to: 'client', text: 'ack ok, headSeq 12', style: 'reply' }],
              else: [
                {
                  label: 'not allowed or unknown id',
                  steps: [{ kind: 'message', from: 'server', to: 'client', text: 'ack ok false, error FORBIDDEN', style: 'reply' }],
                },
              ],
            },
            { kind: 'message', from: 'svc', to: 'server', text: `${e} a1 changed`, style: 'async' },
            { kind: 'message', from: 'server', to: 'client', text: `${e}:updated seq 13`, style: 'async' },
            { kind: 'note', over: ['other'], text: 'receives nothing' },
          ],
        }),
      },
      {
        title: 'Malformed message rejected',
        summaryMd: `Every inbound frame is parsed and validated; failures answer ${code('sys:error')} with ${code('INVALID_PAYLOAD')} and the connection stays open (closed with 1008 after 10 in a minute).`,
        diagram: sequenceDiagram('Malformed message rejected', {
          participants: parts.slice(0, 2),
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: 'not JSON, or unknown type' },
            { kind: 'message', from: 'server', to: 'client', text: 'sys:error INVALID_PAYLOAD (ref: type)', style: 'reply' },
            {
              kind: 'block',
              type: 'opt',
              label: '10 invalid frames in 60 s',
              steps: [{ kind: 'message', from: 'server', to: 'client', text: 'close 1008 policy violation', style: 'reply' }],
            },
          ],
        }),
      },
    ];
  },
  sync: (ctx) => [
    {
      data: `${ctx.entity} updates`,
      strategy: 'Server-authoritative, seq per entity',
      whyMd: 'Clients only read; ordering per entity is all they need, and `sinceSeq` makes resubscription lossless.',
    },
  ],
  risks: (ctx) => [
    {
      title: 'Stale subscriptions',
      riskMd: `A socket that closes without cleanup keeps receiving (and leaking) ${ctx.entity} updates.`,
      mitigationMd: 'Remove the socket from every index entry in the close handler; a periodic sweep compares the index with live sockets and logs drift.',
    },
    {
      title: 'Resubscribe after reconnect',
      riskMd: 'A reconnected client silently receives nothing because subscriptions lived on the old socket.',
      mitigationMd: `The client keeps its subscription set and re-sends ${code(names(ctx).sub)} with ${code('sinceSeq')} on every open.`,
    },
    {
      title: 'Subscription fan-in',
      riskMd: 'One client subscribing to thousands of entities exhausts memory.',
      mitigationMd: 'Cap subscriptions per connection (e.g. 200) and answer `LIMIT_EXCEEDED`.',
    },
  ],
  tests: (ctx) => [
    `two clients, one subscribed: only it receives ${ctx.entity}:updated`,
    'unsubscribe and close both remove index entries (index size back to 0)',
    'malformed JSON, unknown type, oversized frame → sys:error with the exact code',
  ],
  steps: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return providerSteps(ctx, p, {
        title: `Per-${ctx.entity} channels`,
        uses: `${ctx.entity} changes delivered by ${p.changes}`,
        clientName: 'subscriptions',
      });
    return [
      {
        title: 'Subscription index',
        files: [{ path: serverFile(ctx, 'subscriptions'), action: 'create', why: `two-way map ${ctx.entity}Id ↔ sockets, per-connection cap` }],
        detailMd: 'Pure module with unit tests; the socket layer only calls add/remove/dropSocket.',
      },
      {
        title: 'Domain events → broadcasts',
        files: [{ path: serverFile(ctx, 'broadcast'), action: 'create', why: `turn ${ctx.entity} service events into ${ctx.entity}:updated for subscribers` }],
        detailMd: 'Assigns the per-entity seq and keeps the last 500 updates for `sinceSeq` replay.',
      },
      {
        title: 'Client subscription manager',
        files: [{ path: clientFile(ctx, 'subscriptions'), action: 'create', why: 'ref-counted subscribe/unsubscribe, resubscribe on reconnect' }],
        detailMd: 'Components subscribe through it; it sends one subscribe per entity however many components watch it.',
      },
    ];
  },
  errors: [
    { code: 'LIMIT_EXCEEDED', when: 'more subscriptions than the per-connection cap', clientMd: 'unsubscribe from entities no longer on screen' },
    { code: 'NOT_FOUND', when: 'subscribe to an entity that does not exist', clientMd: 'drop it from the subscription set' },
  ],
  metrics: [{ name: 'subscriptions_active', type: 'gauge', labels: 'entity', whyMd: 'index size; drift from connections × average reveals leaks' }],
};

/** Projects already name these `subscribe:agent`; keep existing names over the convention. */
function names(ctx: DesignCtx): { sub: string; unsub: string } {
  const e = ctx.entity;
  const existing = new Set(ctx.input.analysis.events.map((x) => x.name));
  return existing.has(`subscribe:${e}`)
    ? { sub: `subscribe:${e}`, unsub: existing.has(`unsubscribe:${e}`) ? `unsubscribe:${e}` : `${e}:unsubscribe` }
    : { sub: `${e}:subscribe`, unsub: `${e}:unsubscribe` };
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
