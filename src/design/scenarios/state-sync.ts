// State sync: clients (web UIs, and a terminal CLI where the project has one) see the same state. The server is the
// single writer of a per-resource sequence; clients hold a snapshot plus ordered deltas and
// resync whenever they see a gap.
import { handlerCheckMd } from '../access.js';
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code, list } from '../md.js';
import type { Flow, StepFile } from '../types.js';
import { coreOf } from '../core/context.js';
import type { DomainObject } from '../core/types.js';
import { syncEvents, syncNames, type SyncNames } from '../core/sync-events.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ScenarioModule } from './kit.js';
import type { DesignCtx } from '../context.js';
import { roomChannel } from '../rooms.js';

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

function names(ctx: DesignCtx): SyncNames {
  return syncNames(coreOf(ctx), ctx.entity);
}

function peer(ctx: Pick<DesignCtx, 'input'>): { key: string; label: string } {
  return { key: 'cli', label: hasCli(ctx) ? 'Terminal CLI' : 'Another viewer (same client)' };
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
  resume: (ctx) => {
    const n = names(ctx);
    return { event: n.sync, cursor: 'lastSeq', mutation: n.mutations[0] ?? null, key: 'mutationId' };
  },
  summaryMd: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return `Keep every client of a ${ctx.entity} on the same state on the existing ${p.label} client: the database row is the source of truth, changes arrive by ${p.changes}, and a client refetches the row after every (re)subscribe because missed changes are not replayed. No WebSocket server of our own.`;
    const n = names(ctx);
    return `Keep every viewer of a ${n.scope} on the same state: ${code(n.sync)} with the last applied ${code('seq')} on every (re)join, a snapshot or a replay in answer, then ${list(n.changes.map((e) => code(e)))} numbered by a per-${n.scope} ${code('seq')}, with gap detection and resync.`;
  },
  events: (ctx) => syncEvents(coreOf(ctx), ctx.entity, ctx.input.analysis.events, roomChannel(ctx, names(ctx).scope, names(ctx).id)),
  flows: (ctx) => {
    const n = names(ctx);
    const parts = [peer(ctx), ...cs(ctx).filter((p) => p.key !== 'user'), { key: 'store', label: `${n.scope} store + change log` }];
    const change = n.changes[0] ?? '';
    const mutation = n.mutations[0] ?? '';
    const movable = coreOf(ctx).objects.find((o) => o.kind === 'movable' && o.origin === 'code');
    const title = `${n.sync} and catch-up`;
    const catchUp: Flow = {
      title,
      opens: n.sync,
      summaryMd: `A client sends ${code(n.sync)} with its ${code('lastSeq')}; the server replays missing changes from the log when it still holds them, otherwise sends ${code(n.snapshot)}.`,
      // The client that reconnects catches up itself: no second viewer takes part.
      diagram: sequenceDiagram(title, {
        participants: parts.filter((p) => p.key !== 'cli'),
        autonumber: true,
        steps: [
          { kind: 'message', from: 'client', to: 'server', text: send(ctx, n.sync, 'lastSeq') },
          { kind: 'message', from: 'server', to: 'store', text: 'changes after lastSeq?' },
          {
            kind: 'block',
            type: 'alt',
            label: 'log still holds lastSeq + 1 onward',
            steps: [{ kind: 'message', from: 'server', to: 'client', text: `ack replay, then ${change} up to the head seq`, style: 'reply' }],
            else: [
              { label: 'log truncated', steps: [{ kind: 'message', from: 'server', to: 'client', text: `${n.snapshot} at the head seq`, style: 'reply' }] },
            ],
          },
        ],
      }),
    };
    if (!movable) return [catchUp];
    const what = `the same ${movable.name}`;
    return [
      catchUp,
      {
        title: `Two moves of one ${movable.name}`,
        summaryMd: `Both moves are applied in the order the server receives them; each gets the next ${code('seq')}, every viewer applies both in seq order and ends on the later one, so no client keeps a move the others overwrote.`,
        diagram: sequenceDiagram(`Two moves of one ${movable.name}`, {
          participants: parts.filter((p) => p.key !== 'store'),
          steps: [
            { kind: 'message', from: 'client', to: 'server', text: send(ctx, mutation, `${what}, mutation A`) },
            { kind: 'message', from: 'cli', to: 'server', text: send(ctx, mutation, `${what}, mutation B`) },
            { kind: 'note', over: ['server'], text: `write A as seq s, B as seq s+1 (one writer per ${n.scope})` },
            { kind: 'message', from: 'server', to: 'client', text: `${change} seq s (A), seq s+1 (B)`, style: 'async' },
            { kind: 'message', from: 'server', to: 'cli', text: `${change} seq s (A), seq s+1 (B)`, style: 'async' },
            { kind: 'note', over: ['client', 'cli'], text: `both end on B; a gap in seq triggers ${n.sync}` },
          ],
        }),
      },
    ];
  },
  sync: (ctx) => {
    // One policy per object, the one Core design decided: a submission is first-wins, never last-writer-wins.
    const objs = coreOf(ctx).objects.filter((o) => o.decision.lifetime === 'persisted');
    if (objs.length === 0)
      return [
        {
          data: `${ctx.entity} fields`,
          strategy: 'Server-ordered last-writer-wins per field',
          whyMd: 'A single writer assigning `seq` gives a total order without OT/CRDT cost.',
        },
      ];
    return objs.map((o) => ({
      data: o.name,
      strategy: strategyOf(o),
      whyMd: `see Core design for ${code(o.name)}`,
    }));
  },
  risks: () => [
    {
      title: 'Change arrives before the snapshot finishes loading',
      riskMd: 'A change applied to a half-built state corrupts it silently.',
      mitigationMd: `Buffer changes while the snapshot is in flight; then drop those with ${code('seq')} ≤ snapshot seq and apply the rest in order. Keep 10 minutes or 10,000 changes of log per scope; older clients get a snapshot.`,
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
    const n = names(ctx);
    const core = coreOf(ctx);
    const handlers = core.objects
      .filter((o) => o.origin === 'code' && o.decision.delivery === 'reliable' && o.decision.lifetime === 'persisted')
      .flatMap((o) => o.events.filter((e) => e.at !== null).map((e) => ({ e, o })));
    // Which side a file is on, from the entrypoints found in it; an event's evidence may be either end.
    const sideOf = (file: string): 'server' | 'client' | null => {
      const kinds = ctx.input.analysis.stack.entrypoints.filter((x) => x.file === file).map((x) => x.kind);
      if (kinds.some((k) => k.endsWith('-client'))) return kinds.some((k) => !k.endsWith('-client')) ? null : 'client';
      return kinds.length > 0 ? 'server' : null;
    };
    // A check the handler makes of the connection (`ws.role === 'teacher'`) stays in front of what it now does.
    const keptCheck = (name: string): string => {
      const check = handlerCheckMd(ctx, name);
      return check ? `keep its check ${check} first, ` : '';
    };
    // The code's own join serves as the catch-up request (sync-events.ts): where its server handler is, when the evidence shows it.
    const join = ctx.input.analysis.events.find((e) => e.name === n.sync && e.origin === 'existing');
    const joinFile = join?.evidence ? join.evidence.replace(/:\d+$/, '') : null;
    const joinAt = join ? (joinFile && sideOf(joinFile) === 'server' ? ` (${code(join.evidence!)})` : '') : null;
    const changed = handlers.map(({ e, o }) => {
      const file = (e.at as string).replace(/:\d+$/, '');
      const line = (e.at as string).replace(/^.*:/, '');
      const side = sideOf(file);
      const volatile = o.findings.some((x) => x.id === 'volatile-critical-emit')
        ? `, and drop ${code('volatile')}: a persisted change must not be droppable`
        : '';
      const inbound = e.direction === 'client-to-server';
      const why =
        side === 'server'
          ? inbound
            ? `${code(e.name)} handler (line ${line}): ${keptCheck(e.name)}accept ${code('mutationId')}, ${firstOnly(o)}write through the change log, ack`
            : `${code(e.name)} emit (line ${line}): add the ${code('seq')}${volatile}`
          : side === 'client'
            ? inbound
              ? `${code(e.name)} emit (line ${line}): send a ${code('mutationId')} and wait for the ack`
              : `${code(e.name)} listener (line ${line}): apply by ${code('seq')}, resync on a gap`
            : `${code(e.name)} (line ${line}): ${inbound ? `carries a ${code('mutationId')} and is acked` : `carries the ${code('seq')}${volatile}`}`;
      return { path: file, action: 'change' as const, why };
    });
    const merged = new Map<string, StepFile>();
    for (const c of changed) {
      const prev = merged.get(c.path);
      merged.set(c.path, prev ? { ...prev, why: `${prev.why}; ${c.why}` } : c);
    }
    return [
      {
        title: `Per-${n.scope} seq and change log`,
        files: [
          {
            path: serverFile(ctx, 'change-log'),
            action: 'create',
            // The code's own join is the catch-up request: its handler stays where it is and calls the log.
            why: `per-${n.scope} ${code('seq')} and a bounded change log; ${joinAt ? `the replay or snapshot the existing ${code(n.sync)} handler${joinAt} answers with` : `${code(n.sync)} handler`}`,
          },
        ],
        // INCR alone orders nothing: two instances can take seq 7 and 8 and write the state in the other order.
        detailMd:
          ctx.capacity.result.instances > 1 && ctx.capacity.result.pubsubPublishedPerSecond > 0
            ? `The only place that assigns ${code('seq')}. With ${ctx.capacity.result.instances} instances writing, a Redis ${code('INCR')} alone does not order the writes: one Lua script (or ${code('MULTI')}/${code('EXEC')}) per change takes the ${code('seq')}, writes the ${n.scope}'s state and appends to its log together, so the stored state, the log and the ${code('seq')} agree; the snapshot reads state and ${code('seq')} in one script too.`
            : `The only place that assigns ${code('seq')}; writes are serialized per ${n.scope} (a promise chain per ${n.scope}: take the ${code('seq')}, write the state, append to the log, one change at a time).`,
      },
      {
        title: merged.size > 0 ? 'Existing change events carry seq and mutationId' : 'Change handlers',
        files:
          merged.size > 0
            ? [...merged.values()]
            : [{ path: serverFile(ctx, 'sync-handlers'), action: 'create', why: `${list(n.mutations.map((m) => code(m)))} handlers` }],
        detailMd: `Clients apply ${code('seq')} = local + 1, drop older ones and send ${code(n.sync)} on a gap.`,
      },
      {
        title: 'Client sync store',
        files: [
          {
            path: ctx.layout.clientEntry ?? clientFile(ctx, 'sync-store'),
            action: ctx.layout.clientEntry ? 'change' : 'create',
            why: `send ${code(n.sync)} with ${code('lastSeq')} on every ${code('connect')}${joinAt !== null ? ' (the join the client already sends, not a second event)' : ''}; keep pending mutations by ${code('mutationId')}`,
          },
        ],
        detailMd: hasCli(ctx) ? 'Shared by the CLI and the web UI: one reducer.' : 'One reducer: snapshot, ordered changes, pending mutations.',
      },
    ];
  },
  // A stale base is refused only where an object's conflict policy checks versions: under "the
  // later change wins" nothing carries a base, so the code could never be sent.
  errors: (ctx) => [
    { code: 'SEQ_GAP', when: 'resync asked for deltas the log no longer holds', clientMd: 'discard local state and apply the snapshot that follows' },
    ...(coreOf(ctx).objects.some((o) => o.decision.conflict === 'version-check') || coreOf(ctx).objects.length === 0
      ? [{ code: 'STALE_BASE', when: 'a change based on a seq older than a conflicting change', clientMd: 'roll back, rebase on the latest state, retry once' }]
      : []),
  ],
  metrics: [
    { name: 'sync_resyncs_total', type: 'counter', labels: 'reason', whyMd: 'gaps per minute reveal lost or reordered deltas' },
    { name: 'sync_seq_lag', type: 'gauge', labels: 'scope', whyMd: 'how far clients trail the head seq' },
  ],
};

/** The state-sync strategy of an object, in the words of its Core design decision (the Summary quotes it). */
export function strategyOf(o: DomainObject): string {
  const c = o.decision.conflict;
  if (c === 'whole-move-in-server-order') return 'Server-ordered, the later move wins whole';
  if (c === 'append-only') return 'Append-only with seq';
  if (c === 'version-check') return `Version check on ${o.version?.field ?? 'the base version'}: a stale change is refused and rebased`;
  if (c === 'once-per-user') {
    const by = o.oncePer?.by ?? 'user';
    const per = o.oncePer?.per ? ` per ${o.oncePer.per}` : '';
    return `First wins, one per ${by}${per}: a repeat is acked with the stored result, never written over it`;
  }
  if (c === 'newest-connection-takes-over') return `Kept under a server-issued ${o.name} token; the newest connection presenting it takes the entry over`;
  if (c === 'server-only') return o.decision.versioning === 'seq-per-parent' ? 'Written by the server only, in seq order' : 'Written by the server only';
  if (c === 'first-decision-wins') return 'The first decision wins; a repeat gets the first result';
  if (c === 'crdt-merge') return 'Merged by the CRDT';
  if (c === 'latest-per-sender') return 'The latest per sender replaces the previous one';
  if (c === 'own-entry') return 'Each client writes only its own entry';
  return 'Server-ordered last-writer-wins per field';
}

/** A once-per object's handler keeps the first per key and answers a repeat with it (Event protocol), before anything else. */
function firstOnly(o: DomainObject): string {
  if (o.decision.conflict !== 'once-per-user' || !o.oncePer) return '';
  const by = o.oncePer.by ?? 'user';
  return `keep only the first ${o.name} per ${o.oncePer.per ? `(${by}, ${o.oncePer.per})` : by} and ack a repeat with the stored result, `;
}
