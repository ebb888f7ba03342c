// State sync: clients (web UIs, and a terminal CLI where the project has one) see the same state. The server is the
// single writer of a per-resource sequence; clients hold a snapshot plus ordered deltas and
// resync whenever they see a gap.
import { handlerCheckMd } from '../access.js';
import { sequenceDiagram, type SeqStep } from '../../diagrams/builders.js';
import { code, list } from '../md.js';
import type { Flow, StepFile } from '../types.js';
import { coreOf } from '../core/context.js';
import type { DomainObject } from '../core/types.js';
import { snapshotSync } from '../core/index.js';
import { syncEvents, syncNames, type SyncNames } from '../core/sync-events.js';
import { cs, ev, f, managedProvider, providerSteps, send, serverFile, clientFile, type ScenarioModule } from './kit.js';
import type { DesignCtx } from '../context.js';
import { roomChannel } from '../rooms.js';
import { defaultChannel, unsentByClients } from '../protocol.js';
import { GAP_WAIT, gapRuleMd, recordOrdered, recordVersionOf } from '../ordering.js';
import { ATOMIC_COUNTER, SEQ_IN_WRITE, stateStoreOf, type StoreKind } from '../profiles/stores.js';
import { VENDOR_CLIS } from '../profiles/vendor-clis.js';
import { overlapOf, recordCatchUpMd, recordCursor, recordEventsMd, serializeMd } from '../record-version.js';

const CLI_DEPS = ['commander', 'yargs', 'ink', '@oclif/core', 'cac', 'meow', 'clipanion'];

const SERVER_ENTRY = new Set(['socket-server', 'ws-server', 'sse-endpoint']);
const CLIENT_ENTRY = new Set(['socket-client', 'ws-client', 'sse-client']);

/**
 * The project has a terminal client: a cli/ or bin/ source that connects, a CLI framework dependency of a
 * package that runs no real-time server (in the server's own package it parses the server's
 * command line), or a session that names a CLI. Without it the second client in the flows is
 * another browser tab: a CLI actor in a browser-only app is a claim about the project that is
 * not true. A session's "terminal" alone is not one: a web terminal is the product, not a client.
 */
export function hasCli(ctx: Pick<DesignCtx, 'input'>): boolean {
  const { project, stack } = ctx.input.analysis;
  // A cli/ or bin/ source that opens a real-time connection itself; one that only starts the
  // server (a launcher script) is no client.
  const cliFile = (file: string): boolean => /(^|\/)(cli|bin)(\/|\.[cm]?[jt]sx?$)/.test(file);
  if (stack.entrypoints.some((e) => CLIENT_ENTRY.has(e.kind) && cliFile(e.file))) return true;
  const packageOf = (file: string): string =>
    project.packages
      .map((pk) => pk.dir)
      .filter((dir) => dir === '' || file.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length)[0] ?? '';
  const serverDirs = new Set(stack.entrypoints.filter((e) => SERVER_ENTRY.has(e.kind)).map((e) => packageOf(e.file)));
  const clientDirs = new Set(stack.entrypoints.filter((e) => CLIENT_ENTRY.has(e.kind)).map((e) => packageOf(e.file)));
  // A CLI parser counts only in a package that also connects (a migration package's `commander` is no client).
  if (project.packages.some((pk) => !serverDirs.has(pk.dir) && clientDirs.has(pk.dir) && CLI_DEPS.some((d) => d in pk.dependencies))) return true;
  return ctx.input.sessions.docs.some((d) => d.body.split(/(?<=[.!?])\s+|\n+/).some(namesCliClient));
}

/**
 * What the CLI does as a client of the live feature, read in the words that follow it: it syncs or stays
 * in sync, connects, subscribes, listens, watches, streams, tails, receives, opens a socket, or shows
 * something live. "Updates" and "client" are not among them: "update boards with the CLI" and "the
 * client reads the schema" say nothing about the CLI taking part.
 */
const LIVE_VERB =
  /\b(?:sync(?:s|ed|ing)?|in sync|subscribes?|subscribed|connects?|connected|listens?|watch(?:es)?|streams?|tails?|receives?|opens? an? (?:websocket|web socket|socket|event ?stream|sse (?:stream|connection))|(?:shows?|prints?|displays?|renders?|gets?|sees?) (?:[\w'-]+ ){0,4}?(?:live|in real[- ]time|real-?time|as (?:they|it) happens?))\b/i;

/**
 * Where the CLI's own clause ends: a clause mark, or a word that starts a clause with another subject
 * ("with the CLI before the server connects", "the CLI, then the client connects").
 */
const CLAUSE_END = /[,;:!?()]|\.(?:\s|$)|\b(?:before|after|when|whenever|while|once|until|so|because|then|but|whereas|if|unless|where|and then)\b/i;

/** The vendor or framework whose tool a `<name> CLI` is, from the one or two words before it. */
function vendorTool(before: string): boolean {
  const words = before
    .toLowerCase()
    .replace(/['\u2019]s\s*$/, ' ')
    .trim()
    .split(/\s+/);
  const last = words.at(-1) ?? '';
  const two = words.slice(-2).join(' ');
  return VENDOR_CLIS.includes(last) || VENDOR_CLIS.includes(two);
}

/**
 * A session sentence names a CLI as a client of the real-time feature: a CLI that is not a vendor's
 * tool ("deploy with the Supabase CLI", "run the AWS CLI" are tooling the project uses) is the subject
 * of a live verb in its own clause, within a few words after it ("Our Go CLI subscribes to board
 * changes", "the terminal CLI and the web dashboard must stay in sync"). A CLI named only as the
 * means of an action ("update boards with the CLI") is no client.
 */
export function namesCliClient(sentence: string): boolean {
  const mentions = [
    ...[...sentence.matchAll(/\bCLI\b/gi)].filter((m) => !vendorTool(sentence.slice(0, m.index))),
    ...sentence.matchAll(/\bcommand[- ]line (?:client|tool|app)\b/gi),
  ];
  return mentions.some((m) => {
    const rest = sentence.slice(m.index + m[0].length);
    const clause = rest.slice(0, rest.search(CLAUSE_END) >= 0 ? rest.search(CLAUSE_END) : rest.length);
    // A few words after the CLI: the verb of a short compound subject ("CLI and the web dashboard … sync").
    const near = clause.split(/\s+/).filter(Boolean).slice(0, 10).join(' ');
    return LIVE_VERB.test(near);
  });
}

function names(ctx: DesignCtx): SyncNames {
  return syncNames(coreOf(ctx), ctx.entity);
}

function peer(ctx: Pick<DesignCtx, 'input'>): { key: string; label: string } {
  return { key: 'cli', label: hasCli(ctx) ? 'Terminal CLI' : 'Another viewer (same client)' };
}

/** The whole-collection snapshot the code already sends on connect and on every change, when that is how this project syncs. */
function snapshotOf(ctx: DesignCtx): DomainObject | null {
  return managedProvider(ctx.input) ? null : snapshotSync(coreOf(ctx));
}

/**
 * Where the one snapshot `version` comes from, decided once from the topology so that every section
 * names the same source: with one instance, a counter in its process (it sends every snapshot); with
 * several, one counter in the shared store that holds the state, raised atomically with each write,
 * since two processes counting on their own would number independently and a client would drop a
 * newer snapshot from the other instance. `store` is null for the process counter.
 */
export interface SnapshotVersionSource {
  store: { name: string; counterMd: string } | null;
  instances: number;
}

export function snapshotVersionSource(ctx: DesignCtx): SnapshotVersionSource {
  const instances = ctx.capacity.result.instances;
  if (instances <= 1) return { store: null, instances };
  const s = sharedStoreOf(ctx);
  return { store: { name: s.name, counterMd: ATOMIC_COUNTER[s.kind] }, instances };
}

/**
 * The store that holds the shared state and its counter, named as the architecture diagram draws it
 * (stateStoreOf, with the Core design's persisted objects picking the Redis write that holds them).
 */
export function sharedStoreOf(ctx: DesignCtx): { name: string; kind: StoreKind } {
  const nouns = [
    ...new Set(
      coreOf(ctx)
        .objects.filter((o) => o.decision.lifetime === 'persisted')
        .map((o) => o.name),
    ),
  ];
  const s = stateStoreOf(ctx, nouns);
  return { name: s.evidence ? `${s.label} (${s.evidence})` : `the ${s.allowedAt ? s.label : 'database'} this plan proposes`, kind: s.kind };
}

/** Which side a file is on, from the entrypoints found in it; an event's evidence may be either end. */
function fileSide(ctx: DesignCtx, file: string): 'server' | 'client' | null {
  const kinds = ctx.input.analysis.stack.entrypoints.filter((x) => x.file === file).map((x) => x.kind);
  if (kinds.some((k) => k.endsWith('-client'))) return kinds.some((k) => !k.endsWith('-client')) ? null : 'client';
  return kinds.length > 0 ? 'server' : null;
}

/**
 * Where the client sends the project's existing join today, when the event's evidence is a line of
 * client code: that component knows the room id, so it stays the one place that sends the join on
 * every (re)connect, and no other file (the connection provider, a sync store) adds a second.
 */
export function clientJoinSite(ctx: DesignCtx, name: string | undefined): { name: string; path: string; line: string } | null {
  const join = name ? ctx.input.analysis.events.find((e) => e.name === name && e.origin === 'existing' && e.direction !== 'server-to-client') : undefined;
  if (!join) return null;
  // A join sent once per mount is a no-room-rejoin finding at its emit (it names the event it emits),
  // where the event's own evidence may be the server's handler: that emit is the client's send site.
  const once = ctx.input.analysis.findings.find((f) => f.id === 'no-room-rejoin' && f.event === join.name);
  if (once) return { name: join.name, path: once.evidence.replace(/:\d+$/, ''), line: once.evidence.replace(/^.*:/, '') };
  if (!join.evidence) return null;
  const path = join.evidence.replace(/:\d+$/, '');
  // A file with no entrypoint of its own (a component using the connection) is the client's when it lies in the client directory.
  const side = fileSide(ctx, path) ?? (ctx.layout.clientDir && path.startsWith(`${ctx.layout.clientDir}/`) ? 'client' : null);
  return side === 'client' ? { name: join.name, path, line: join.evidence.replace(/^.*:/, '') } : null;
}

/**
 * The client sync store's files: where the existing join is sent from another client file, that file
 * adds the cursor to it and the store sends no join of its own; otherwise the store sends it.
 */
function syncStoreFiles(ctx: DesignCtx, n: SyncNames, cursorMd: string, alreadyMd: string): StepFile[] {
  const storePath = ctx.layout.clientEntry ?? clientFile(ctx, 'sync-store');
  const action = ctx.layout.clientEntry ? ('change' as const) : ('create' as const);
  const site = clientJoinSite(ctx, n.sync);
  if (site && site.path !== storePath)
    return [
      {
        path: site.path,
        action: 'change',
        why: `${code(site.name)} send (line ${site.line}): the one place that sends it, since this component knows which ${n.scope} it shows: add ${cursorMd} and make it go out once after every connect, the first included`,
        lines: [site.line],
      },
      {
        path: storePath,
        action,
        why: `keep pending mutations by ${code('mutationId')}; it sends no ${code(site.name)} of its own (${code(`${site.path}:${site.line}`)} does)`,
      },
    ];
  return [
    {
      path: storePath,
      action,
      why: `send ${code(n.sync)} with ${cursorMd} on every ${code('connect')}${alreadyMd}; keep pending mutations by ${code('mutationId')}`,
    },
  ];
}

/** The summary's words for where the snapshot `version` comes from. */
function versionFromMd(v: SnapshotVersionSource): string {
  return v.store
    ? `one counter in ${v.store.name}, raised with every write of the state, so every instance numbers from the same one`
    : 'a single counter in the server process, raised on every change: one instance sends every snapshot';
}

/** The catalog type's comment on `version`. */
function versionCommentOf(v: SnapshotVersionSource): string {
  return v.store ? `the counter in ${v.store.name}, raised with every write of the state` : 'one counter in the server process, raised on every change';
}

/** How the code sends the snapshot: to each client as it connects, to every connection, elsewhere; each with its lines. */
function sentHowMd(o: DomainObject): string {
  const w = o.whole!;
  const other = w.at.filter((a) => !w.onConnect.includes(a) && !w.toAll.includes(a));
  return list([
    ...(w.onConnect.length > 0 ? [`to each client as it connects (${list(w.onConnect.map((a) => code(a)))})`] : []),
    ...(w.toAll.length > 0 ? [`to every connection the process holds (${list(w.toAll.map((a) => code(a)))})`] : []),
    ...(other.length > 0 ? [`at ${list(other.map((a) => code(a)))}`] : []),
  ]);
}

/** How a reconnecting client catches up: the snapshot sent on connect, or, where the code sends none then, the step that adds it. */
function snapshotCatchUpMd(o: DomainObject, event: string): string {
  const w = o.whole!;
  return w.onConnect.length > 0
    ? `A reconnecting client needs nothing of its own to catch up: the server sends the current ${code(event)} snapshot (every item of ${code(w.store)}) to each client as it connects (${list(w.onConnect.map((a) => code(a)))}), and the client replaces its list with it; nothing is replayed and no change log is kept.`
    : `A reconnecting client catches up by the current ${code(event)} snapshot (every item of ${code(w.store)}), which the server must send to each client as it connects: rt-plan found no such send in a connection handler, so add one. Nothing is replayed and no change log is kept.`;
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
    const snap = snapshotOf(ctx);
    if (snap) {
      const ev0 = snap.events.find((e) => e.direction === 'server-to-client')!.name;
      return {
        event: ev0,
        cursor: 'version',
        mutation: n.mutations[0] ?? null,
        key: n.mutations[0] ? 'mutationId' : null,
        seq: false,
        catchUpLabel: `Loading the current ${ev0} snapshot`,
        catchUpMd: snapshotCatchUpMd(snap, ev0),
        recoverWithMd: `the current ${code(ev0)} snapshot`,
      };
    }
    // The system of record's version is the cursor; the catch-up is its snapshot, with no log of ours.
    // Read from the analysis, not orderingOf: the ordering asks every scenario's resume first (seqless).
    const record = recordVersionOf(ctx.input.analysis);
    if (record)
      return {
        event: n.sync,
        cursor: recordCursor(record),
        mutation: n.mutations[0] ?? null,
        key: 'mutationId',
        catchUpMd: recordCatchUpMd(record, n.sync, n.snapshot),
      };
    return { event: n.sync, cursor: 'lastSeq', mutation: n.mutations[0] ?? null, key: 'mutationId' };
  },
  summaryMd: (ctx) => {
    const p = managedProvider(ctx.input);
    if (p)
      return `Keep every client of a ${ctx.entity} on the same state on the existing ${p.label} client: the database row is the source of truth, changes arrive by ${p.changes}, and a client refetches the row after every (re)subscribe because missed changes are not replayed. No WebSocket server of our own.`;
    const n = names(ctx);
    const snap = snapshotOf(ctx);
    if (snap) {
      const ev0 = snap.events.find((e) => e.direction === 'server-to-client')!.name;
      return `Keep every viewer on the same state: the server already sends the whole collection (${code(snap.whole!.store)}, ${code(snap.whole!.storeAt)}) as one ${code(ev0)} message, ${sentHowMd(snap)}. Number those snapshots with one server ${code('version')} (${versionFromMd(snapshotVersionSource(ctx))}), and let a reconnecting client take the current snapshot${snap.whole!.onConnect.length > 0 ? ' the server sends as it connects' : ', sent as it connects'}: no per-${ctx.entity} channel, seq or replay log.`;
    }
    const record = recordOrdered(ctx);
    if (record)
      return `Keep every viewer of a ${n.scope} on the same state: ${recordEventsMd(record)} already carry the ${code(record.field)} the system of record sets (its answers at ${list([...new Set(record.events.map((e) => e.answeredAt))].map((a) => code(a)))}); it orders them and is what a client resumes from, with ${code(n.sync)} and a snapshot read from that system on every (re)join, gap detection and resync. No seq, log or database of ours beside it.`;
    return `Keep every viewer of a ${n.scope} on the same state: ${code(n.sync)} with the last applied ${code('seq')} on every (re)join, a snapshot or a replay in answer, then ${list(n.changes.map((e) => code(e)))} numbered by a per-${n.scope} ${code('seq')}, with gap detection and resync.`;
  },
  events: (ctx) =>
    snapshotOf(ctx)
      ? snapshotEvents(ctx, snapshotOf(ctx)!)
      : syncEvents(coreOf(ctx), ctx.entity, ctx.input.analysis.events, roomChannel(ctx, names(ctx).scope, names(ctx).id), recordOrdered(ctx) ?? undefined),
  flows: (ctx) => {
    const n = names(ctx);
    if (snapshotOf(ctx)) return [];
    const parts = [peer(ctx), ...cs(ctx).filter((p) => p.key !== 'user'), { key: 'store', label: `${n.scope} store + change log` }];
    const change = n.changes[0] ?? '';
    const mutation = n.mutations[0] ?? '';
    const movable = coreOf(ctx).objects.find((o) => o.kind === 'movable' && o.origin === 'code');
    const title = `${n.sync} and catch-up`;
    const record = recordOrdered(ctx);
    const recordCatchUp: Flow | null = record
      ? {
          title,
          opens: n.sync,
          summaryMd: `A client sends ${code(n.sync)} with its ${code(recordCursor(record))}; the server reads the ${n.scope} from the system of record and sends ${code(n.snapshot)} with its ${code(record.field)}.`,
          diagram: sequenceDiagram(title, {
            participants: [
              ...parts.filter((p) => p.key !== 'store'),
              { key: 'store', label: `system of record (${record.events[0]!.answeredAt.replace(/:\d+$/, '')})` },
            ],
            autonumber: true,
            steps: [
              { kind: 'message', from: 'cli', to: 'server', text: send(ctx, n.sync, recordCursor(record)) },
              { kind: 'message', from: 'server', to: 'store', text: `read the ${n.scope}` },
              { kind: 'message', from: 'store', to: 'server', text: `${n.scope} at its ${record.field}`, style: 'reply' },
              { kind: 'message', from: 'server', to: 'cli', text: `${n.snapshot} with its ${record.field}`, style: 'reply' },
            ],
          }),
        }
      : null;
    const catchUp: Flow = recordCatchUp ?? {
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
    // A change the code sends to everyone but its sender (\`socket.to(room)\`): each client takes the seq
    // of its own move from the ack and receives only the other's move (Conventions say so too).
    const senderOut = (ctx.input.analysis.modelFacts ?? []).some((f) => f.kind === 'sender-excluded' && f.name === change);
    const deliveries: SeqStep[] = senderOut
      ? [
          { kind: 'message', from: 'server', to: 'client', text: 'ack A: seq s', style: 'reply' },
          { kind: 'message', from: 'server', to: 'cli', text: `${change} seq s (A)`, style: 'async' },
          { kind: 'message', from: 'server', to: 'cli', text: 'ack B: seq s+1', style: 'reply' },
          { kind: 'message', from: 'server', to: 'client', text: `${change} seq s+1 (B)`, style: 'async' },
          { kind: 'note', over: ['client', 'cli'], text: `each applies its own move at the seq of its ack; both end on B; a gap in seq triggers ${n.sync}` },
        ]
      : [
          { kind: 'message', from: 'server', to: 'client', text: `${change} seq s (A), seq s+1 (B)`, style: 'async' },
          { kind: 'message', from: 'server', to: 'cli', text: `${change} seq s (A), seq s+1 (B)`, style: 'async' },
          { kind: 'note', over: ['client', 'cli'], text: `both end on B; a gap in seq triggers ${n.sync}` },
        ];
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
            ...deliveries,
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
  risks: (ctx) =>
    snapshotOf(ctx)
      ? [
          {
            title: 'Snapshots grow with the collection',
            riskMd: `The server sends every item of ${code(snapshotOf(ctx)!.whole!.store)} in one message, ${sentHowMd(snapshotOf(ctx)!)}, so each message grows with the number of items, and so does the egress of each change.`,
            mitigationMd: `Measure the snapshot's size in the load test; once it outgrows the payload cap or the egress budget, send a change per ${ctx.entity} with a seq instead, and keep the whole snapshot for connect.`,
          },
        ]
      : [
          {
            title: 'Change arrives before the snapshot finishes loading',
            riskMd: 'A change applied to a half-built state corrupts it silently.',
            mitigationMd: recordOrdered(ctx)
              ? `Buffer changes while the snapshot is in flight; then drop those with ${code(recordOrdered(ctx)!.field)} ≤ the snapshot's and apply the rest in order.`
              : `Buffer changes while the snapshot is in flight; then drop those with ${code('seq')} ≤ snapshot seq and apply the rest in order. Keep 10 minutes or 10,000 changes of log per scope; older clients get a snapshot.`,
          },
        ],
  tests: (ctx) =>
    snapshotOf(ctx)
      ? [
          'two snapshots delivered out of order: the client keeps the higher version',
          'a forced disconnect and reconnect ends on the snapshot the server sends on connect, equal to uninterrupted state',
        ]
      : [
          'property test: any interleaving of deltas, duplicates and gaps ends in the server state',
          recordOrdered(ctx)
            ? 'the snapshot after a forced disconnect equals uninterrupted state'
            : 'snapshot + replay after a forced disconnect equals uninterrupted state',
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
    const snap = snapshotOf(ctx);
    if (snap) return [...snapshotSteps(ctx, snap, n), ...senderSteps(ctx, n)];
    const record = recordOrdered(ctx);
    const handlers = core.objects
      .filter((o) => o.origin === 'code' && o.decision.delivery === 'reliable' && (o.decision.lifetime === 'persisted' || o.kind === 'command'))
      .flatMap((o) => o.events.filter((e) => e.at !== null).map((e) => ({ e, o })));
    const sideOf = (file: string) => fileSide(ctx, file);
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
            ? o.kind === 'command'
              ? `${code(e.name)} handler (line ${line}): ${keptCheck(e.name)}accept ${code('mutationId')} and ack; a repeat of one id gets the first result`
              : `${code(e.name)} handler (line ${line}): ${keptCheck(e.name)}accept ${code('mutationId')}, ${firstOnly(o)}${record ? `ack the sender with the ${code(record.field)} the system of record answered` : 'write through the change log, ack'}`
            : `${code(e.name)} emit (line ${line}): add the ${code('seq')}${volatile}`
          : side === 'client'
            ? inbound
              ? `${code(e.name)} emit (line ${line}): send a ${code('mutationId')} and wait for the ack`
              : `${code(e.name)} listener (line ${line}): apply by ${code(record?.field ?? 'seq')}, buffering one ahead of order and resyncing if the gap is still open after ${GAP_WAIT.seconds} s`
            : `${code(e.name)} (line ${line}): ${
                inbound
                  ? `carries a ${code('mutationId')} and is acked${record ? ` with the new ${code(record.field)}` : ''}`
                  : record?.events.some((x) => x.event === e.name)
                    ? `keeps its ${code(record.field)}, which orders it${volatile}`
                    : `carries the ${code('seq')}${volatile}`
              }`;
      return { path: file, action: 'change' as const, why, lines: [line] };
    });
    const merged = new Map<string, StepFile>();
    for (const c of changed) {
      const prev = merged.get(c.path);
      merged.set(c.path, prev ? { ...prev, why: `${prev.why}; ${c.why}`, ...linesOf(prev, c) } : c);
    }
    if (record) {
      // No seq, log or database of ours: the system of record's version orders, the server relays it and acks the author with it.
      const overlap = overlapOf(ctx.input.analysis);
      const mutation = n.mutations[0] ?? '';
      const writes = record.events.filter((x) => x.event !== n.snapshot);
      const author = record.events.find((x) => x.event !== n.snapshot);
      return [
        {
          title: `Order by the ${code(record.field)} the system of record sets`,
          files: [
            ...(author
              ? [
                  {
                    path: author.evidence.replace(/:\d+$/, ''),
                    action: 'change' as const,
                    why: `${code(mutation)} handler (line ${author.evidence.replace(/^.*:/, '')}): ack the sender with ${code('mutationId')} and the ${code(record.field)} ${code(author.fn)} returned (a sender the broadcast leaves out learns its new version only from that ack); keep passing that answer on as ${code(author.event)}; answer ${code(n.sync)} with ${code(n.snapshot)} as the existing join does`,
                    lines: [author.evidence.replace(/^.*:/, '')],
                  },
                ]
              : []),
            ...(overlap
              ? [
                  {
                    path: overlap.evidence.replace(/:\d+$/, ''),
                    action: 'change' as const,
                    why: `serialize each connection's messages (line ${overlap.evidence.replace(/^.*:/, '')})`,
                    lines: [overlap.evidence.replace(/^.*:/, '')],
                  },
                ]
              : []),
          ],
          detailMd: `${recordEventsMd(record)} already carry ${code(record.field)}; the server adds no ${code('seq')}, change log or database of its own, which could disagree with it.${overlap && writes.length > 0 ? ` ${serializeMd(overlap, mutation, { ...record, events: writes }, n.scope)}` : ''}`,
        },
        {
          title: merged.size > 0 ? `Existing change events carry mutationId; clients order by ${record.field}` : 'Change handlers',
          files:
            merged.size > 0
              ? [...merged.values()]
              : [{ path: serverFile(ctx, 'sync-handlers'), action: 'create', why: `${list(n.mutations.map((m) => code(m)))} handlers` }],
          detailMd: `Clients ${gapRuleMd(code(record.field), `sending ${code(n.sync)}`)}.`,
        },
        {
          title: 'Client sync store',
          files: syncStoreFiles(ctx, n, code(recordCursor(record)), ''),
          detailMd: hasCli(ctx) ? 'Shared by the CLI and the web UI: one reducer.' : 'One reducer: snapshot, ordered changes, pending mutations.',
        },
      ];
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
            ? `The only place that assigns ${code('seq')}. With ${ctx.capacity.result.instances} instances writing, it is kept in ${sharedStoreOf(ctx).name}, and ${SEQ_IN_WRITE[sharedStoreOf(ctx).kind](n.scope)}`
            : `The only place that assigns ${code('seq')}; writes are serialized per ${n.scope} (a promise chain per ${n.scope}: take the ${code('seq')}, write the state, append to the log, one change at a time).`,
      },
      {
        title: merged.size > 0 ? 'Existing change events carry seq and mutationId' : 'Change handlers',
        files:
          merged.size > 0
            ? [...merged.values()]
            : [{ path: serverFile(ctx, 'sync-handlers'), action: 'create', why: `${list(n.mutations.map((m) => code(m)))} handlers` }],
        detailMd: `Clients ${gapRuleMd(code('seq'), `sending ${code(n.sync)}`)}.`,
      },
      {
        title: 'Client sync store',
        files: syncStoreFiles(ctx, n, code('lastSeq'), joinAt !== null ? ' (the join the client already sends, not a second event)' : ''),
        detailMd: hasCli(ctx) ? 'Shared by the CLI and the web UI: one reducer.' : 'One reducer: snapshot, ordered changes, pending mutations.',
      },
      ...senderSteps(ctx, n),
    ];
  },
  // A stale base is refused only where an object's conflict policy checks versions: under "the
  // later change wins" nothing carries a base, so the code could never be sent.
  errors: (ctx) =>
    snapshotOf(ctx)
      ? []
      : [
          // With no log of ours nothing can be missing from it: a gap is the client's to see (Event protocol), not a server error.
          ...(recordOrdered(ctx)
            ? []
            : [
                {
                  code: 'SEQ_GAP',
                  when: 'resync asked for deltas the log no longer holds',
                  clientMd: 'discard local state and apply the snapshot that follows',
                },
              ]),
          ...(coreOf(ctx).objects.some((o) => o.decision.conflict === 'version-check') || coreOf(ctx).objects.length === 0
            ? [
                {
                  code: 'STALE_BASE',
                  when: `a change based on a ${recordOrdered(ctx)?.field ?? 'seq'} older than a conflicting change`,
                  clientMd: 'roll back, rebase on the latest state, retry once',
                },
              ]
            : []),
        ],
  metrics: (ctx) =>
    snapshotOf(ctx)
      ? [
          {
            name: 'sync_snapshot_bytes',
            type: 'histogram' as const,
            labels: '',
            whyMd: 'the size of each whole snapshot, which grows with the collection and goes to every connection',
          },
        ]
      : [
          { name: 'sync_resyncs_total', type: 'counter' as const, labels: 'reason', whyMd: 'gaps per minute reveal lost or reordered deltas' },
          // With the system of record's version there is no head seq of ours to trail.
          ...(recordOrdered(ctx) ? [] : [{ name: 'sync_seq_lag', type: 'gauge' as const, labels: 'scope', whyMd: 'how far clients trail the head seq' }]),
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

/**
 * The events of a whole-snapshot sync: the existing snapshot event gains one `version`, the existing
 * client events an idempotency key and an ack; no catch-up request or per-item channel is proposed.
 */
function snapshotEvents(ctx: DesignCtx, snap: DomainObject): ReturnType<ScenarioModule['events']> {
  const n = names(ctx);
  const events = ctx.input.analysis.events;
  const fields = (name: string) => (events.find((e) => e.name === name)?.payload ?? []).map((p) => ({ ...p }));
  const channel = defaultChannel(ctx.transport);
  const out: ReturnType<ScenarioModule['events']> = [];
  for (const e of snap.events.filter((x) => x.direction === 'server-to-client'))
    out.push(
      ev(e.name, 'server-to-client', channel, `The whole ${snap.whole!.store} at a version; replaces local state`, `${pascal(e.name)}Payload`, [
        ...fields(e.name),
        f('version', 'integer', versionCommentOf(snapshotVersionSource(ctx))),
      ]),
    );
  for (const m of n.mutations.filter((x) => events.some((e) => e.name === x)))
    out.push(
      ev(
        m,
        'client-to-server',
        channel,
        'Existing fields plus mutationId (idempotency key) and an ack',
        `${pascal(m)}Payload`,
        [...fields(m), f('mutationId', 'string', 'UUID; a retry reuses it')],
        [f('mutationId', 'string'), f('status', "'applied' | 'rejected'"), f('version', 'integer', undefined, true)],
      ),
    );
  return out;
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** Steps of a whole-snapshot sync: one counter on the snapshot where the server sends it, and clients that keep the higher version. */
function snapshotSteps(ctx: DesignCtx, snap: DomainObject, n: SyncNames): ReturnType<ScenarioModule['steps']> {
  const ev0 = snap.events.find((e) => e.direction === 'server-to-client')!.name;
  const sends = new Map<string, string[]>();
  for (const at of snap.whole!.at) {
    const file = at.replace(/:\d+$/, '');
    sends.set(file, [...(sends.get(file) ?? []), at.replace(/^.*:/, '')]);
  }
  const listeners = snap.events.filter((e) => e.direction === 'server-to-client' && e.at !== null);
  const source = snapshotVersionSource(ctx);
  return [
    {
      title: 'One version on the snapshot',
      files: mergeFiles([
        ...[...sends].map(([path, lines]) => ({
          path,
          action: 'change' as const,
          why: `${code(ev0)} ${lines.length === 1 ? 'send' : 'sends'} (${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}): add ${code('version')}, ${
            source.store
              ? `the number the counter in ${source.store.name} took with the last change of ${code(snap.whole!.store)}, read together with the state it numbers`
              : `one counter in the server process, raised on every change of ${code(snap.whole!.store)}`
          }`,
          lines,
        })),
        // The existing client events the server handles: an idempotency key and an ack, no change log.
        ...ctx.input.analysis.events
          .filter((e) => e.direction === 'client-to-server' && n.mutations.includes(e.name) && e.evidence && sends.has(e.evidence.replace(/:\d+$/, '')))
          .map((e) => ({
            path: e.evidence!.replace(/:\d+$/, ''),
            action: 'change' as const,
            why: `${code(e.name)} handler (line ${e.evidence!.replace(/^.*:/, '')}): accept ${code('mutationId')} and ack; a repeat of one id gets the first result`,
            lines: [e.evidence!.replace(/^.*:/, '')],
          })),
      ]),
      detailMd: `The snapshot is the whole of ${code(snap.whole!.store)} (${code(snap.whole!.storeAt)}), so one counter versions it: no per-${ctx.entity} ${code('seq')}, change log or replay. A client keeps the snapshot with the higher ${code('version')} and drops an older one that arrives late. ${
        source.store
          ? `With ${source.instances} instances the counter lives in ${source.store.name} (${source.store.counterMd}), never in a process: two processes would number their snapshots independently, and a client would drop a newer snapshot from the other instance as older. A restarted instance does not reset it, so a client that stays connected to another instance, and never sees that restart, keeps comparing numbers that continue.`
          : 'One instance sends every snapshot, so a counter in its process is enough; it starts again when the process restarts, which closes every connection, and the client step below applies the first snapshot after each connect whatever its number.'
      }`,
    },
    {
      title: 'Client snapshot store',
      files: [
        ...listeners.map((e) => ({
          path: (e.at as string).replace(/:\d+$/, ''),
          action: 'change' as const,
          why: `${code(e.name)} listener (line ${(e.at as string).replace(/^.*:/, '')}): apply the first snapshot after each connect whatever its ${code('version')} (${source.store ? 'it is the current state, whatever came before the drop' : 'a restarted server counts from its start again'}), then replace the list only with a snapshot whose ${code('version')} is higher than the one shown`,
          lines: [(e.at as string).replace(/^.*:/, '')],
        })),
        // The client entry listens too when the event's evidence is another client's line.
        ...(ctx.layout.clientEntry && !listeners.some((e) => (e.at as string).startsWith(`${ctx.layout.clientEntry}:`))
          ? [
              {
                path: ctx.layout.clientEntry,
                action: 'change' as const,
                why: `${list(listeners.map((e) => code(e.name)))} listener: the same rule, replace the list only with a higher ${code('version')}`,
              },
            ]
          : []),
      ],
      detailMd: hasCli(ctx) ? 'Shared by the CLI and the web UI: one reducer.' : 'One reducer: the latest snapshot by version.',
    },
  ];
}

/**
 * A change event the server handles and no client sends (its `event-name-mismatch` finding): no
 * client can make the change the task syncs, so the plan adds the sender rather than assume one.
 * Not where a client sends something no handler hears: that may be this event under another name.
 */
function senderSteps(ctx: DesignCtx, n: SyncNames): ReturnType<ScenarioModule['steps']> {
  const findings = ctx.input.analysis.findings.filter((f) => f.id === 'event-name-mismatch');
  if (findings.some((f) => / sends '[^']+' .* but no server handler/.test(f.message))) return [];
  const events = ctx.input.analysis.events.filter((e) => e.direction === 'client-to-server' && n.mutations.includes(e.name) && unsentByClients(ctx, e));
  if (events.length === 0) return [];
  const clients = [...new Set(ctx.input.analysis.stack.entrypoints.filter((x) => x.kind.endsWith('-client')).map((x) => x.file))];
  const asked = ctx.input.sessions.requirements.find((r) => r.kind === 'feature' && r.feature === 'state-sync');
  const names = list(events.map((e) => code(e.name)));
  return [
    {
      title: `A client that sends ${events.map((e) => e.name).join(', ')}`,
      files: clients.map((path) => ({
        path,
        action: 'change' as const,
        why: `send ${names} with a ${code('mutationId')} where the user changes a ${ctx.entity}, and show it pending until the ack`,
      })),
      detailMd: `The server handles ${list(events.map((e) => `${code(e.name)} (${code(e.evidence ?? '')})`))}, but no client code sends ${events.length === 1 ? 'it' : 'them'}, so no client can change a ${ctx.entity} today${asked ? `, which the context asks for ("${asked.sentence}", ${code(asked.evidence)})` : ''}.`,
    },
  ];
}

/** One entry per file, its reasons joined in order. */
/** The lines two changes of one file work at, together (none when neither names one). */
function linesOf(a: StepFile, b: StepFile): { lines?: string[] } {
  const lines = [...(a.lines ?? []), ...(b.lines ?? [])];
  return lines.length > 0 ? { lines } : {};
}

function mergeFiles(files: StepFile[]): StepFile[] {
  const merged = new Map<string, StepFile>();
  for (const c of files) {
    const prev = merged.get(c.path);
    merged.set(c.path, prev ? { ...prev, why: `${prev.why}; ${c.why}`, ...linesOf(prev, c) } : c);
  }
  return [...merged.values()];
}
