// The core design of one plan's context, built once and shared by the sections that speak
// about its objects (protocol, state sync, edge cases, steps). Memoized per context object:
// the same inputs give the same design, so this stays pure.
import type { DesignCtx } from '../context.js';
import { coreDesign, type CoreDesign } from './index.js';
import { VOICE } from '../profiles/voice.js';
import { providersOf } from '../scenarios/voice-providers.js';
import { toolPolicy } from '../scenarios/voice-tools.js';
import { streamLogOf } from '../stream-resume.js';
import { streamSdk } from '../profiles/ai-streams.js';
import { protocolTraits } from '../profiles/protocol.js';
import { asksForChat } from '../scenarios/roles.js';
import { managedProvider } from '../scenarios/kit.js';
import { channelParts, projectRooms } from '../rooms.js';
import { audienceOf } from '../audience.js';
import { declaredDatabase } from '../profiles/stores.js';
import { tableFeedOf } from '../profiles/table-feed.js';

/** The first voice provider's tool-call id and events (one session speaks one provider's protocol). */
function toolCallOf(ctx: Pick<DesignCtx, 'input' | 'scenarios' | 'entity'>): { id: string; events: readonly string[]; direct: string[] } | null {
  if (!ctx.scenarios.includes('voice')) return null;
  const p = providersOf(ctx as DesignCtx)[0];
  const direct = (toolPolicy(ctx.input.analysis)?.direct ?? []).map((t) => t.name);
  return p ? { id: VOICE[p].toolCallId, events: VOICE[p].toolCallEvents, direct } : null;
}

/** The log whose entry ids order the events (stream-resume.ts), when the wire resumes by them. */
function logOrderOf(ctx: Pick<DesignCtx, 'input' | 'scenarios'> & Partial<Pick<DesignCtx, 'transport' | 'library'>>): { evidence: string } | null {
  if (!ctx.transport) return null;
  const log = streamLogOf(ctx.input.analysis);
  return log && protocolTraits({ transport: ctx.transport, library: ctx.library ?? null, scenarios: ctx.scenarios }).lastEventId ? log : null;
}

/** The room scope the code joins (`game:{pin}`), when every room it names has that one scope. */
function oneRoomScope(ctx: Pick<DesignCtx, 'input'>): { scope: string; param: string } | null {
  const parts = projectRooms(ctx).map((r) => channelParts(r.name));
  const first = parts[0];
  if (!first || parts.some((p) => !p || p.scope !== first.scope || p.param !== first.param)) return null;
  return { scope: first.scope, param: first.param };
}

/** The group the stream's delivery filter sends each notification to, when it keys on one (design/audience.ts). */
function notificationGroupOf(ctx: Pick<DesignCtx, 'input' | 'scenarios'>): string | null {
  if (!ctx.scenarios.includes('notifications')) return null;
  const a = audienceOf(ctx.input.analysis.modelFacts ?? []);
  return a.kind === 'group' ? a.group : null;
}

const built = new WeakMap<object, CoreDesign>();

export function coreOf(ctx: Pick<DesignCtx, 'input' | 'scenarios' | 'entity'> & Partial<Pick<DesignCtx, 'transport' | 'library'>>): CoreDesign {
  const hit = built.get(ctx);
  if (hit) return hit;
  const { input } = ctx;
  const core = coreDesign({
    events: input.analysis.events,
    findings: input.analysis.findings,
    requirements: input.sessions.requirements,
    scenarios: ctx.scenarios,
    entity: ctx.entity,
    // The collaborative-editing scenario proposes Yjs: its documents merge by the CRDT even before the package is installed.
    crdt: input.analysis.project.packages.some((p) => 'yjs' in p.dependencies) || ctx.scenarios.includes('collab-editing'),
    toolCall: toolCallOf(ctx),
    connectionKeyed: (input.analysis.modelFacts ?? [])
      .filter((f) => f.kind === 'connection-identity')
      .map((f) => ({ id: f.name, store: f.store ?? '', at: f.evidence })),
    processState: (input.analysis.modelFacts ?? []).filter((f) => f.kind === 'process-state').map((f) => ({ name: f.name, at: f.evidence })),
    recordVersions: (input.analysis.modelFacts ?? [])
      .filter((f) => f.kind === 'record-version' && f.store && f.value && f.answeredAt)
      .map((f) => ({ event: f.store as string, fn: f.value as string, at: f.answeredAt as string, field: f.name })),
    wholeWrites: (input.analysis.modelFacts ?? [])
      .filter((f) => f.kind === 'http-put')
      .map((f) => ({ url: f.name, body: f.value ?? null, at: f.evidence, route: f.answeredAt ?? null })),
    storageWrites: (input.analysis.modelFacts ?? [])
      .filter((f) => f.kind === 'storage-write')
      .map((f) => ({ call: f.name, store: f.store ?? '', verb: f.value ?? '', at: f.evidence }))
      // Writes through a Redis client the project creates: a store every instance shares.
      .concat(
        (input.analysis.modelFacts ?? [])
          .filter((f) => f.kind === 'redis-write' && f.store)
          .map((f) => ({ call: f.name, store: f.store ?? '', verb: f.value ?? '', at: f.evidence, shared: 'Redis' })),
      ),
    wholeSends: (input.analysis.modelFacts ?? [])
      .filter((f) => f.kind === 'whole-collection-send')
      .map((f) => ({
        event: f.name,
        field: f.value ?? '',
        store: f.store ?? '',
        storeAt: f.storeAt ?? '',
        at: f.evidence,
        onConnect: f.onConnect === true,
        toAll: (input.analysis.modelFacts ?? []).some((b) => b.kind === 'broadcast-all' && b.evidence === f.evidence),
      })),
    contextText: input.sessions.docs.map((d) => d.body).join('\n'),
    logOrder: logOrderOf(ctx),
    // A channel server (Centrifugo) numbers each channel's publications itself: that offset is the version.
    streamOrder: ctx.transport
      ? (protocolTraits({ transport: ctx.transport, library: ctx.library ?? null, scenarios: ctx.scenarios, input }).channels?.label ?? null)
      : null,
    // A library protocol that replays nothing (graphql-ws): the refetch after a reconnect is the catch-up, no seq of ours.
    refetchOrder: ctx.transport
      ? (protocolTraits({ transport: ctx.transport, library: ctx.library ?? null, scenarios: ctx.scenarios, input }).operations?.label ?? null)
      : null,
    // As ordering.ts's streamOrdered, read here directly: ordering.ts imports every scenario, which import this module.
    answerStream: streamSdk(ctx) !== null && ctx.scenarios.every((s) => s === 'ai-streaming'),
    clientPresence: managedProvider(input) !== null,
    ...(managedProvider(input) ? { providerPresenceMd: managedProvider(input)!.presence } : {}),
    // Per-entity subscriptions on a provider's channels add no seq (subscriptions.ts): the provider's delivery order is all there is.
    ...(managedProvider(input)?.peerOrderMd ? { peerOrder: { by: managedProvider(input)!.label, md: managedProvider(input)!.peerOrderMd! } } : {}),
    tableFeeds: input.analysis.events.flatMap((e) => {
      const feed = tableFeedOf(input, e.name);
      return feed ? [{ event: feed.event, by: feed.by, md: feed.orderMd, table: feed.table, deliveryMd: feed.deliveryMd }] : [];
    }),
    providerOrder: ctx.scenarios.length > 0 && ctx.scenarios.every((s) => s === 'subscriptions') ? managedProvider(input)?.label : undefined,
    room: oneRoomScope(ctx),
    notificationGroup: notificationGroupOf(ctx),
    noChat: ctx.scenarios.includes('chat-collab') && !asksForChat(input),
  });
  // A persisted object whose write rt-plan did not trace: the database a manifest declares is said, never that there is none.
  const database = declaredDatabase(ctx);
  const out = database ? { ...core, objects: core.objects.map((o) => (o.decision.unknowns.includes('store') ? { ...o, declaredStore: database } : o)) } : core;
  built.set(ctx, out);
  return out;
}
