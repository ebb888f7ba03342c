// State sync: clients (web UIs, and a terminal CLI where the project has one) see the same state. The server is the
// single writer of a per-resource sequence; clients hold a snapshot plus ordered deltas and
// resync whenever they see a gap.
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code } from '../md.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ScenarioModule } from './kit.js';
import type { DesignCtx } from '../context.js';

const CLI_DEPS = ['commander', 'yargs', 'ink', '@oclif/core', 'cac', 'meow', 'clipanion'];

/**
 * The project has a terminal client: a cli/ or bin/ source, a CLI framework dependency, or a
 * session that names one. Without it the second client in the flows is another browser tab:
 * a CLI actor in a browser-only app is a claim about the project that is not true.
 */
export function hasCli(ctx: Pick<DesignCtx, 'input'>): boolean {
  const { project } = ctx.input.analysis;
  if (project.sourceFiles.some((file) => /(^|\/)(cli|bin)(\/|\.[cm]?[jt]sx?$)/.test(file))) return true;
  if (project.packages.some((pk) => CLI_DEPS.some((d) => d in pk.dependencies))) return true;
  return ctx.input.sessions.docs.some((d) => /\b(CLI|terminal)\b/i.test(d.body));
}

function peer(ctx: Pick<DesignCtx, 'input'>): { key: string; label: string } {
  return { key: 'cli', label: hasCli(ctx) ? 'Terminal CLI' : 'Second browser tab' };
}

export const stateSync: ScenarioModule = {
  id: 'state-sync',
  title: 'State synchronization',
  features: ['state-sync', 'live-updates'],
  words: ['sync', 'synchronization', 'state', 'mirror', 'live'],
  providers: [],
  // `presence:sync` (Supabase, Phoenix) is presence bookkeeping, not state synchronization.
  eventHint: /^(?!presence[:.])[\s\S]*(?:sync|state|snapshot|delta|patch)/i,
  needs: { bidirectional: true, binary: false, media: false, rooms: false },
  defaults: {
    connections: 2_000,
    msgRate: 200,
    payloadBytes: 1_024,
    fanout: 3,
    why: 'three clients (tabs, devices or a CLI) per resource, a delta every 10 s per connection',
    whyBy: {
      connections: '2,000 clients connected at peak',
      msgRate: 'a delta every 10 s per connection',
      payloadBytes: 'deltas of about 1 KiB',
      fanout: 'three clients (tabs, devices or a CLI) per resource',
    },
  },
  resume: () => ({ event: 'sync:hello', cursor: 'lastSeq', mutation: 'sync:mutate', key: 'mutationId' }),
  summaryMd: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return `Keep every client of a ${ctx.entity} on the same state on the existing ${p.label} client: the database row is the source of truth, changes arrive by ${p.changes}, and a client refetches the row after every (re)subscribe because missed changes are not replayed. No WebSocket server of our own.`;
    return `Keep every client of a ${ctx.entity} (terminal and web UI) on the same state: a snapshot on connect, then ordered deltas numbered by a per-${ctx.entity} ${code('seq')}, with gap detection and resync.`;
  },
  events: (ctx) => {
    const ch = `${ctx.entity}/{${ctx.entity}Id}`;
    const id = `${ctx.entity}Id`;
    return [
      ev(
        'sync:hello',
        'client-to-server',
        ch,
        'Client announces itself and the last seq it applied',
        'SyncHelloPayload',
        [f(id, 'string'), f('clientKind', "'cli' | 'web'"), f('lastSeq', 'integer', 'last applied seq; omitted on first connect', true)],
        [f('mode', "'snapshot' | 'replay'"), f('headSeq', 'integer')],
      ),
      ev('sync:snapshot', 'server-to-client', ch, 'Full state at a seq; replaces local state', 'SyncSnapshotPayload', [
        f(id, 'string'),
        f('seq', 'integer'),
        f('state', 'Record<string, unknown>'),
      ]),
      ev('sync:delta', 'server-to-client', ch, 'One ordered change; applied only when seq = local seq + 1', 'SyncDeltaPayload', [
        f(id, 'string'),
        f('seq', 'integer'),
        f('patch', 'Record<string, unknown>', 'JSON Merge Patch (RFC 7396)'),
        f('mutationId', 'string', 'echo of the mutation that caused it', true),
        f('origin', 'string', 'clientId of the writer'),
      ]),
      ev(
        'sync:mutate',
        'client-to-server',
        ch,
        'Client proposes a change against the seq it has seen',
        'SyncMutatePayload',
        [f(id, 'string'), f('mutationId', 'string', 'UUID, idempotency key'), f('baseSeq', 'integer'), f('patch', 'Record<string, unknown>')],
        [f('mutationId', 'string'), f('status', "'applied' | 'rejected'"), f('seq', 'integer', undefined, true), f('reason', 'string', undefined, true)],
      ),
      ev('sync:resync', 'client-to-server', ch, 'Client saw a gap; asks for deltas after fromSeq (or a snapshot)', 'SyncResyncPayload', [
        f(id, 'string'),
        f('fromSeq', 'integer'),
      ]),
    ];
  },
  flows: (ctx) => {
    const parts = [peer(ctx), ...cs(ctx).filter((p) => p.key !== 'user'), { key: 'store', label: `${ctx.entity} store + delta log` }];
    return [
      {
        title: 'Connect and catch up',
        summaryMd: `A client sends ${code('sync:hello')} with its ${code('lastSeq')}; the server replays missing deltas from the log when it still holds them, otherwise sends a snapshot.`,
        diagram: sequenceDiagram('Connect and catch up', {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'cli', to: 'server', text: send(ctx, 'sync:hello', '(lastSeq 41)') },
            { kind: 'message', from: 'server', to: 'store', text: 'deltas after 41?' },
            {
              kind: 'block',
              type: 'alt',
              label: 'log still holds seq 42 onward',
              steps: [{ kind: 'message', from: 'server', to: 'cli', text: 'ack mode replay, then sync:delta 42..head', style: 'reply' }],
              else: [{ label: 'log truncated', steps: [{ kind: 'message', from: 'server', to: 'cli', text: 'sync:snapshot (seq head)', style: 'reply' }] }],
            },
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, 'sync:hello', '(no lastSeq)') },
            { kind: 'message', from: 'server', to: 'client', text: 'sync:snapshot (seq head)', style: 'reply' },
          ],
        }),
      },
      {
        title: 'Gap detection and resync',
        summaryMd: `A client that receives ${code('seq')} greater than local + 1 buffers it, sends ${code('sync:resync')} and applies buffered deltas in order once the gap is filled.`,
        diagram: sequenceDiagram('Gap detection and resync', {
          participants: parts.filter((p) => p.key !== 'cli'),
          steps: [
            { kind: 'message', from: 'server', to: 'client', text: 'sync:delta seq 57', style: 'async' },
            { kind: 'note', over: ['client'], text: 'local seq is 55: gap, buffer 57' },
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, 'sync:resync', '(fromSeq 55)') },
            { kind: 'message', from: 'server', to: 'store', text: 'read deltas 56..57' },
            { kind: 'message', from: 'server', to: 'client', text: 'sync:delta 56, sync:delta 57', style: 'reply' },
            { kind: 'note', over: ['client'], text: 'apply 56 then 57, drop duplicates by seq' },
          ],
        }),
      },
      {
        title: 'Optimistic mutation with rollback',
        summaryMd: `The UI applies a change at once and keeps it pending under its ${code('mutationId')}; the authoritative ${code('sync:delta')} confirms it, a rejected ack rolls it back.`,
        diagram: sequenceDiagram('Optimistic mutation with rollback', {
          participants: cs(ctx).concat([peer(ctx)]),
          steps: [
            { kind: 'message', from: 'user', to: 'client', text: 'edit' },
            { kind: 'note', over: ['client'], text: 'apply locally, keep pending m1' },
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, 'sync:mutate', '(m1, baseSeq 60)') },
            {
              kind: 'block',
              type: 'alt',
              label: 'applied',
              steps: [
                { kind: 'message', from: 'server', to: 'client', text: 'ack applied seq 61', style: 'reply' },
                { kind: 'message', from: 'server', to: 'cli', text: 'sync:delta seq 61 (m1)', style: 'async' },
              ],
              else: [
                {
                  label: 'rejected',
                  steps: [
                    { kind: 'message', from: 'server', to: 'client', text: 'ack rejected (reason)', style: 'reply' },
                    { kind: 'note', over: ['client'], text: 'roll back m1, re-apply later deltas' },
                  ],
                },
              ],
            },
          ],
        }),
      },
    ];
  },
  sync: (ctx) => [
    {
      data: `${ctx.entity} fields (status, settings, selections)`,
      strategy: 'Server-ordered last-writer-wins per field',
      whyMd: 'Edits are small and rarely concurrent on the same field; a single writer assigning `seq` gives a total order without OT/CRDT cost.',
    },
    {
      data: 'append-only output (logs, events)',
      strategy: 'Append-only with seq',
      whyMd: 'Entries never conflict; order is the only invariant, and `seq` carries it.',
    },
  ],
  risks: (ctx) => [
    {
      title: 'Delta arrives before the snapshot finishes loading',
      riskMd: 'A delta applied to a half-built state corrupts it silently.',
      mitigationMd: `Buffer deltas while the snapshot is in flight; after it arrives drop those with ${code('seq')} ≤ snapshot seq and apply the rest in order.`,
    },
    {
      title: `Two writers on one ${ctx.entity} field`,
      riskMd: hasCli(ctx) ? 'CLI and web UI mutate the same field within one round trip.' : 'Two tabs or devices mutate the same field within one round trip.',
      mitigationMd: `Reject a ${code('sync:mutate')} whose ${code('baseSeq')} is older than the field's last change when the change is not commutative; the loser rolls back and re-applies.`,
    },
    {
      title: 'Delta log truncated during a long disconnect',
      riskMd: 'Replay is impossible for a client offline longer than the log retention.',
      mitigationMd: 'Keep at least 10 minutes or 10,000 deltas per resource; otherwise answer `sync:hello` with a snapshot.',
    },
  ],
  tests: () => [
    'property test: any interleaving of deltas, duplicates and gaps ends in the server state',
    'snapshot + replay after a forced disconnect equals uninterrupted state',
    'rejected mutation rolls the UI back and re-applies later deltas',
  ],
  steps: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return providerSteps(ctx, p, {
        title: `${ctx.entity} sync`,
        uses: `refetch on subscribe, then apply changes delivered by ${p.changes}, ignoring any older than the row version already held`,
        clientName: 'sync-store',
      });
    return [
      {
        title: 'Delta log and sequence numbers',
        files: [{ path: serverFile(ctx, 'delta-log'), action: 'create', why: `per-${ctx.entity} seq counter and bounded delta log` }],
        detailMd: 'The only place that assigns `seq`; writes are serialized per resource (a promise chain or a Redis `INCR`).',
      },
      {
        title: 'Sync handlers',
        files: [{ path: serverFile(ctx, 'sync-handlers'), action: 'create', why: '`sync:hello`, `sync:mutate`, `sync:resync`' }],
        detailMd: 'Validate every payload, answer hello with replay or snapshot, broadcast accepted mutations as deltas.',
      },
      {
        title: 'Client sync store',
        files: [{ path: clientFile(ctx, 'sync-store'), action: 'create', why: 'snapshot, seq, pending mutations, gap buffer' }],
        detailMd: hasCli(ctx)
          ? 'Shared by the CLI and the web UI: one reducer, two transports at most.'
          : 'One reducer for every tab: snapshot, deltas and pending mutations.',
      },
    ];
  },
  errors: [
    { code: 'SEQ_GAP', when: 'resync asked for deltas the log no longer holds', clientMd: 'discard local state and apply the snapshot that follows' },
    { code: 'STALE_BASE', when: '`sync:mutate` based on a seq older than a conflicting change', clientMd: 'roll back, rebase on the latest state, retry once' },
  ],
  metrics: [
    { name: 'sync_resyncs_total', type: 'counter', labels: 'reason', whyMd: 'gaps per minute reveal lost or reordered deltas' },
    { name: 'sync_seq_lag', type: 'gauge', labels: 'client_kind', whyMd: 'how far clients trail the head seq' },
  ],
};
