// Security: who may do what per channel, and the controls every inbound frame passes
// through. Limits are numbers derived from the capacity inputs, not adjectives.
import { protocolTraits, roomPerConnection } from './profiles/protocol.js';
import { channelPermissionMd } from './profiles/servers.js';
import { sharedProtocolPackage } from './step-facts.js';
import { sdkOwned, sdkSecurity } from './profiles/ai-sdk-ops.js';
import { runsOwnFleet } from './profiles/fleet.js';
import { clientsSend, quoteOf, rulesOut, statedMust } from './constraints.js';
import type { AuthKind, EventSpec } from '../types.js';
import { coreOf } from './core/context.js';
import { type DesignCtx, noSignInFound } from './context.js';
import type { Plan } from './types.js';
import { authMd, code, fmt, list, text } from './md.js';
import { CONNECTION_FLOOR, KIND_FLOOR, OCCASIONAL, RATE_HEADROOM, rateBuckets, type KindBucket, type Together } from './rate-buckets.js';
import type { Stream } from './workload.js';
import { formatBytes } from './capacity.js';
import { isYProtocolMessage } from './protocol.js';
import { onSupabase } from './connection-supabase.js';
import { profileOf, projectServerOption, type ProfileCtx } from './profiles/index.js';
import { traitsOf } from './profiles/transports.js';
import { agentOnly, voiceByChannel } from './profiles/voice.js';
import { providersOf } from './scenarios/voice-providers.js';
import { managedProvider } from './scenarios/kit.js';
import { replyOf } from './scenarios/index.js';
import { docWriteRuleMd } from './scenarios/collab-editing.js';
import { channelParts, projectRooms } from './rooms.js';
import { sharedSecretAt } from './sites.js';
import { opsKind } from './ops.js';
import { opsProfile } from './profiles/ops.js';
import { toolRouteGaps, toolRoutesWhyMd } from './tool-routes.js';
import { callerMust, codeAccessMd, eventChecksMd, openGrantMd, openGrants, scopedSendMd } from './access.js';
import { clientActions, postRoutes, type PostRoutes, routeMd } from './routes.js';

const VALIDATORS = ['zod', 'valibot', 'ajv', '@sinclair/typebox', 'joi', 'yup'];

/** Headroom over the average payload: the cap must pass the largest normal message, not the mean. */
const CAP_HEADROOM = 32;

/** Room over the largest stated message for the envelope around it. */
const ENVELOPE = 1.25;

/**
 * Smallest power of two ≥ 16 KiB, ≥ 32× the average payload and ≥ the largest message the
 * context states plus its envelope (a cap below what the app sends breaks it); 1 MiB for
 * document sync unless a stated document is larger.
 */
export function payloadCap(ctx: Pick<DesignCtx, 'scenarios' | 'capacity'>): number {
  const largest = (ctx.capacity.largestPayload?.value ?? 0) * ENVELOPE;
  let cap = ctx.scenarios.includes('collab-editing') ? 1024 * 1024 : 16 * 1024;
  while (cap < Math.max(capBasis(ctx).bytes * CAP_HEADROOM, largest)) cap *= 2;
  return cap;
}

/**
 * The average the cap is sized from. An average estimated from the code covers only the events
 * of the stated streams (cursor moves, ticks), not the snapshots and other messages the app also
 * sends, so it never lowers the cap below what the default average gives.
 */
function capBasis(ctx: Pick<DesignCtx, 'capacity'>): { bytes: number; md: string } {
  const v = ctx.capacity.values.payloadBytes;
  // Callers that size a cap from bare values pass no sources: the value is then the average.
  const src = ctx.capacity.sources?.payloadBytes;
  if (src?.kind === 'code' && src.fallback > v)
    return {
      bytes: src.fallback,
      md: `rt-plan's ${fmt(src.fallback)}-byte default average payload (the ${fmt(v)}-byte estimate from the code covers only the stated streams' events, not snapshots or other messages)`,
    };
  return { bytes: v, md: `the ${fmt(v)}-byte average payload` };
}

/** Libraries the `no-payload-limit` audit rule inspects; for others its silence proves nothing. */
const AUDITED_CAP_LIBRARIES = new Set(['ws', '@fastify/websocket']);

/**
 * The project already caps payloads: the audit checks ws-style servers for `maxPayload` and
 * found no `no-payload-limit` there. The analysis does not carry the value or its line.
 */
export function hasExistingPayloadCap(ctx: ProfileCtx): boolean {
  const a = ctx.input.analysis;
  // Only a runtime with a maxPayload option can have it set; on the edge the audit never looked.
  return (
    profileOf(ctx).payloadCap?.option === 'maxPayload' &&
    AUDITED_CAP_LIBRARIES.has(ctx.library ?? '') &&
    a.stack.entrypoints.some((e) => e.kind === 'ws-server') &&
    !a.findings.some((f) => f.id === 'no-payload-limit')
  );
}

/** A handshake server exists and the audit raised no `no-origin-check` against it. */
export function hasExistingOriginCheck(ctx: Pick<DesignCtx, 'input'>): boolean {
  const a = ctx.input.analysis;
  return a.stack.entrypoints.some((e) => e.kind === 'ws-server' || e.kind === 'socket-server') && !a.findings.some((f) => f.id === 'no-origin-check');
}

/**
 * How rooms are named, for the protocol section (protocol.ts should print this instead of its
 * "one room per channel" line). `/` is a namespace, not a room; existing room keys are kept.
 */
export function roomNamingMd(ctx: DesignCtx, events: EventSpec[]): string {
  const all = [...new Set(events.filter((e) => e.origin === 'proposed').map((e) => e.channel))].filter((c) => channelParts(c) !== null);
  // The per-user channel (read markers, notifications) is said once, as the per-user room, in the catalog's own spelling.
  const userCh = all.find((c) => channelParts(c)?.scope === 'user');
  const proposed = all.filter((c) => c !== userCh);
  const channels = proposed.length > 0 ? list(proposed.slice(0, 4).map((c) => code(c))) : 'none';
  const namespaces = [...new Set(events.map((e) => e.namespace ?? (e.channel === '/' ? '/' : null)).filter((n): n is string => n !== null))];
  const ns =
    namespaces.length === 1
      ? ` ${code(namespaces[0]!)} is a namespace, not a room: every event travels in it.`
      : namespaces.length > 1
        ? ` ${list(namespaces.map((n) => code(n)))} are namespaces, not rooms.`
        : '';
  if (!traitsOf(ctx).nativeRooms) {
    return `Channels: ${channels}; the server keeps a map from channel to its subscribed connections, plus one entry per user so every connection of a user can be reached.${ns}`;
  }
  const rooms = projectRooms(ctx);
  if (rooms.length > 0) {
    const named = rooms.map((r) => `${code(r.name)} (${code(r.value ?? r.name)} at ${text(r.evidence)})`);
    const own = proposed.filter((c) => !rooms.some((r) => r.name === c));
    const sep = channelParts(rooms[0]!.name)?.sep ?? ':';
    const user = userCh ?? `user${sep}{userId}`;
    const userRoom = sharedSecretAt(ctx)
      ? 'and no per-user room is added: the shared secret names no user.'
      : `and ${code(user)} is added so every connection of a user can be reached.`;
    return `Rooms: the code already names its Socket.IO rooms ${list(named)}; the plan keeps that naming: ${
      own.length > 0 ? `new room channels take the same form (${list(own.slice(0, 4).map((c) => code(c)))}), ` : 'no new room name is needed, '
    }${userRoom}${ns}`;
  }
  const keyed = ctx.input.analysis.events.filter(
    (e) => e.origin === 'existing' && e.evidence && (e.payload ?? []).some((p) => /^(room|roomId|room_id|channel|channelId)$/.test(p.name)),
  );
  const existing = keyed[0];
  if (!existing || !existing.evidence) {
    return `Rooms: one Socket.IO room per channel instance (${channels}, e.g. ${code('room:42')}) plus ${code(userCh ?? 'user:{userId}')} so every connection of a user can be reached.${ns}`;
  }
  const key = (existing.payload ?? []).find((p) => /^(room|roomId|room_id|channel|channelId)$/.test(p.name))?.name ?? 'roomId';
  return `Rooms: the existing handlers address Socket.IO rooms by the bare ${code(key)} they receive (${code(existing.name)} at ${text(existing.evidence)}); keep that name for the room channels (${channels})${sharedSecretAt(ctx) ? '; no per-user room is added: the shared secret names no user' : ` and add ${code(userCh ?? 'user:{userId}')} for per-user delivery`}.${ns}${sharedSecretAt(ctx) ? '' : ` Prefixed names (${code(`room:{${key}}`)}) are only a proposal, to keep room ids from colliding with user ids: rooms live on the server only, so no client changes: during the rolling deploy new nodes join both names and emit to both (${code(`io.to([${key}, \`room:\${${key}}\`])`)} delivers once per socket), and the bare name is dropped once every node runs the new code.`}`;
}

/** A room key in a payload: `room`, `roomId`, `channel`. */
const ROOM_KEY = /^(room|roomId|room_id|channel|channelId)$/;

/** The inbound event that joins a room in this plan's catalog (the existing one first): `room:join`, `ticket:join`. */
function joinEvent(events: EventSpec[]): string | null {
  const joins = events.filter((e) => e.direction !== 'server-to-client' && /(^|[:._/-])join$|^join([A-Z]|$)/.test(e.name));
  return (joins.find((e) => e.origin === 'existing') ?? joins[0])?.name ?? null;
}

/**
 * The room rule with what the code does today: where the audit found the join handler joining a
 * client-named room unchecked, the rule says the check is still to be added there, not that it runs.
 */
function roomRuleMd(ctx: DesignCtx, events: EventSpec[]): string {
  const join = joinEvent(events);
  const unchecked = ctx.input.analysis.findings.filter((f) => f.id === 'join-without-access-check');
  const who = join ? `the ${code(join)} handler checks it before ${code('socket.join')}` : `a check before ${code('socket.join')} decides it`;
  const today =
    unchecked.length > 0
      ? `; today nothing checks it (${list(unchecked.map((f) => `${code('join-without-access-check')} at ${text(f.evidence)}`))}): until that fix any connected client can join any room`
      : '';
  return `the user is a member of ${code('roomId')}: ${who}, caches it on the socket and re-checks it when membership changes${today}`;
}

/**
 * Inbound events on a namespace-wide channel that name their room in the payload (`chat:send`
 * with `room`): the room rule applies to them too, or any socket could send into any room.
 */
function roomAddressedMd(ctx: DesignCtx, names: string[], hasRoomRow: boolean): string {
  if (!hasRoomRow || !ctx.scenarios.includes('chat-collab')) return '';
  const named = ctx.input.analysis.events.filter(
    (e) => e.direction === 'client-to-server' && names.includes(e.name) && (e.payload ?? []).some((p) => ROOM_KEY.test(p.name)),
  );
  const uniq = [...new Set(named.map((e) => e.name))];
  if (uniq.length === 0) return '';
  return `; ${list(uniq.map((n) => code(n)))} name${uniq.length === 1 ? 's' : ''} a room in the payload: refused with ${code('NOT_A_MEMBER')} unless the socket has joined that room (${code('socket.rooms.has(room)')}), the rule of the room channels below`;
}

/** Findings of a handler that acts on the room its payload names with no check of the connection, and what each says it does. */
const NAMED_ROOM_ACTS: ReadonlyArray<{ id: string; md: string }> = [
  { id: 'write-to-client-named-room', md: 'changes its state' },
  { id: 'emit-to-client-named-room', md: 'sends to it' },
];

/**
 * What the existing handlers of a channel's inbound events do today to the room their payload
 * names with nothing checked of the connection first, each at its line, from the findings that
 * say so: every such handler, not only the first a rule met.
 */
function namedRoomTodayMd(ctx: DesignCtx, names: readonly string[]): string {
  const acts = names.flatMap((n) => {
    const parts = NAMED_ROOM_ACTS.flatMap((a) => {
      const fs = ctx.input.analysis.findings.filter((f) => f.id === a.id && f.event === n);
      return fs.length > 0 ? [`${a.md} (${list(fs.map((f) => code(f.evidence)))})`] : [];
    });
    return parts.length > 0 ? [`${code(n)} ${list(parts)}`] : [];
  });
  if (acts.length === 0) return '';
  return `; today nothing checks the connection before ${acts.length === 1 ? 'this handler acts' : 'these handlers act'} on the room ${acts.length === 1 ? 'its' : 'their'} payload names: ${list(acts)}, so any connected client can do this to any room it names; the fix (Findings) checks ${code('socket.rooms.has(room)')} and the user's right to the room in ${acts.length === 1 ? 'that handler' : 'each of these handlers'} before it acts`;
}

/**
 * A channel on which the provider delivers database row changes (the code's own subscription): who
 * may read them is the table's row policy, for each table the channel's changes come from.
 */
function rowReadRuleMd(channel: string, ctx: DesignCtx): string | null {
  const rows = managedProvider(ctx.input)?.rowChanges;
  if (!rows) return null;
  const tables = [
    ...new Set(
      ctx.input.analysis.events
        .filter((e) => e.room === channel && e.direction !== 'client-to-server' && e.topic && e.sdk && rows.sdk.test(e.sdk))
        .map((e) => e.topic!),
    ),
  ].sort();
  return tables.length > 0 ? tables.map((t) => rows.readRuleMd(t)).join('; ') : null;
}

function ruleFor(channel: string, ctx: DesignCtx, events: EventSpec[] = []): string {
  const rows = rowReadRuleMd(channel, ctx);
  if (rows) return rows;
  const scope = channelParts(channel)?.scope;
  // A provider holds the sockets: membership is checked by its channel authorization when the channel is joined, on no socket of ours.
  const host = profileOf(ctx).socketHost;
  if (scope === 'room' && host) return `the user is a member of ${code('roomId')}, checked by ${host.label} when the channel is joined (${host.authMd})`;
  // A channel the project's code already uses on the provider: who may attach is what the credential our route signs allows.
  // Where the model shows what that route decides (codeAccessMd), the rule says that instead (securitySection).
  const route = host && !codeAccessMd(ctx) ? ctx.input.analysis.stack.entrypoints.find((x) => x.kind === 'token-route') : undefined;
  if (host && route && events.some((e) => e.channel === channel && e.origin === 'existing'))
    return `whoever ${host.label} lets attach with the credential our route signs (${host.authMd}, at ${code(`${route.file}:${route.line}`)}): no socket of ours checks it`;
  // A provider protocol the server speaks authorizes per subscription, with its own signature.
  const served = protocolTraits(ctx).served;
  if (scope === 'room') return served?.roomRuleMd ?? profileOf(ctx).roomRuleMd ?? roomRuleMd(ctx, events);
  if (served && channel === protocolTraits(ctx).defaultChannel) return served.connectionRuleMd;
  // One connection per room (its URL names the room): the existing events' own channel is the room, under the runtime's room rule.
  if (roomPerConnection(ctx) && channel === protocolTraits(ctx).defaultChannel && profileOf(ctx).roomRuleMd) return profileOf(ctx).roomRuleMd!;
  if (scope === 'user') return `${code('userId')} comes from the verified token, never from the payload`;
  if (scope === 'conversation') return `the conversation belongs to the user; per-user quota on concurrent generations (${fmt(CONCURRENT_GENERATIONS)})`;
  // An AI chat's id comes from the client: every read or write by id must also match the signed-in user.
  if (scope === 'chat' && ctx.scenarios.includes('ai-streaming'))
    return `the chat belongs to the signed-in user: the client chooses the id, so the POST, the saved-chat load and the resume each look the chat up by id and user together and answer 404 otherwise`;
  if (scope === 'doc') return `the user may open ${code('docId')}, checked at the handshake before any sync message; ${docWriteRuleMd(ctx)}`;
  if (scope === 'topic') return 'topic allow-list per role';
  if (channel === 'app/actions') return `${code('callId')} belongs to this user's live voice session; approval only from the same session`;
  // The plan's entity, or another the context says clients follow ("everyone watching the workspace"): read per entity.
  if (scope && (scope === ctx.entity || (ctx.capacity.workload?.named ?? []).some((f) => f.entity === scope)))
    return `the user may read this ${scope}, checked before joining its channel with the app's existing read rule for it, or a new one if it has none`;
  const voice = voiceByChannel(channel);
  if (voice) return voice.channelRuleMd;
  const operations = protocolTraits(ctx).operations;
  if (operations && channel === protocolTraits(ctx).defaultChannel)
    return operations.channelRuleMd(
      ctx.input.analysis.events
        .filter((e) => e.origin === 'existing' && e.direction === 'server-to-client' && e.evidence)
        .map((e) => `${code(e.name)} (${code(e.evidence!)})`),
    );
  // A stream the context keeps public ("no login for viewers") and the code authenticates no one
  // on: anyone may read it, and no rule of this plan adds a login.
  const open = ctx.input.analysis.stack.auth.some((a) => a.kind !== 'none') ? undefined : rulesOut(ctx, 'login', true);
  if (open) return `anyone: the context rules out a login for it, ${quoteOf(open)}; limits are per connection, never per user`;
  return OPEN_RULE;
}

/** Generations one user may run at once (rt-plan's default): each is paid for, so a client loop cannot start more. */
const CONCURRENT_GENERATIONS = 2;

const OPEN_RULE = 'any authenticated user (assumption: tighten when the handler is touched)';

/**
 * Clients the context keeps without accounts ("no account sign-up for players") who still send on
 * the channel get a guest identity of ours (Connection management): that identity, not a login, is
 * what the rule checks. Null where the context says nothing of the kind.
 */
function guestRuleMd(ctx: DesignCtx): string | null {
  const guests = clientsSend(ctx) ? rulesOut(ctx, 'login') : undefined;
  return guests
    ? `any client holding the signed guest identity our server issues when it joins (no account, as the context requires: ${quoteOf(guests)}); inbound events are checked against that identity`
    : null;
}

/**
 * A rule with what the code already decides about who reaches channels: it replaces the
 * assumption, and follows a room's or an entity's rule (and a provider room's) as what holds today.
 */
function withCodeAccess(channel: string, rule: string, access: string | null, ctx: DesignCtx): string {
  if (!access) return rule === OPEN_RULE ? (guestRuleMd(ctx) ?? rule) : rule;
  if (rule === OPEN_RULE) return `as the code decides it today: ${access}`;
  const scope = channelParts(channel)?.scope;
  if (scope === 'room' || scope === ctx.entity || voiceByChannel(channel)) return `${rule}; today ${access}`;
  return rule;
}

/**
 * A channel whose handlers already check the connection (`ws.role === 'teacher'` before
 * `poll:open`): the rule is those checks, kept in each handler wherever it moves, then what holds
 * for the channel's other inbound events: the existing ones show no check in rt-plan's reading,
 * the ones this plan adds follow the channel's rule.
 */
function checkedRuleMd(channel: string, rule: string, access: string | null, ctx: DesignCtx, events: EventSpec[]): string {
  const inbound = events.filter((e) => e.channel === channel && e.direction !== 'server-to-client');
  const checks = eventChecksMd(
    ctx,
    inbound.filter((e) => e.origin === 'existing').map((e) => e.name),
  );
  const base = withCodeAccess(channel, rule, access, ctx);
  if (!checks) return base;
  const existing = [...new Set(inbound.filter((e) => e.origin === 'existing' && !checks.checked.includes(e.name)).map((e) => e.name))];
  const added = [...new Set(inbound.filter((e) => e.origin !== 'existing').map((e) => e.name))];
  const kept = `as the code decides it today, each check kept in its handler wherever the handler moves: ${checks.md}`;
  if (rule !== OPEN_RULE) return `${base}; ${kept}`;
  // An unchecked handler that sends to the sender's own group says what it binds (`ws.classId`) and what it does not (the payload's `pollId`).
  const bound = existing.map((n) => ({ n, md: scopedSendMd(ctx, n) }));
  const plain = bound.filter((b) => !b.md).map((b) => b.n);
  const open = [
    ...(plain.length > 0
      ? [
          `${list(plain.map((n) => code(n)))}: any authenticated user, rt-plan's reading of ${plain.length === 1 ? 'its handler' : 'their handlers'} shows no check of the connection`,
        ]
      : []),
    ...bound.filter((b) => b.md).map((b) => `${code(b.n)}: any authenticated user, rt-plan's reading of its handler shows no check of the connection${b.md}`),
  ]
    .map((x) => `; ${x}`)
    .join('');
  const fresh = added.length > 0 ? `; ${list(added.map((n) => code(n)))}, which this plan adds: ${base}` : '';
  return `${kept}${open}${fresh}`;
}

/**
 * Where the schemas live when the event names come from a shared workspace package: in that
 * package, beside the names, so the server parses and the clients type with one definition.
 */
function sharedSchemaWhereMd(ctx: DesignCtx, inbound: number, validator: string | undefined): string {
  const shared = sharedProtocolPackage(ctx);
  if (!shared || inbound === 0) return '';
  const dep = validator ? '' : ` (the new dependency goes into ${code(shared.manifest)})`;
  return `; the schemas are defined in the shared ${code(shared.name)} package (${code(shared.file)}), next to the event names${dep}, and ${list(shared.users.map((u) => code(u)))} import them from there`;
}

/** A must about malformed or invalid messages ("must get an error back instead of being dropped"): the validation row meets it by answering each failure. */
const MALFORMED =
  /^(?=.*\b(?:errors?|repl(?:y|ies)|answer(?:s|ed)?|reject(?:s|ed)?|silent(?:ly)?)\b).*\b(?:malformed|invalid|bad|unparseable|broken)\b[^.;]{0,40}\b(?:messages?|payloads?|frames?|events?|requests?|input)\b/i;

function meetsMalformedMd(ctx: DesignCtx): string {
  const must = statedMust(ctx, MALFORMED);
  return must ? `; this is how the plan meets ${quoteOf(must)}` : '';
}

function validationMd(events: EventSpec[], inbound: number, validator: string | undefined, ctx: DesignCtx): string {
  const parser = validator ? `${code(validator)} (already a dependency)` : `${code('zod')} (new dependency; the project has no validator)`;
  const yjs = events.filter((e) => isYProtocolMessage(e) && e.direction !== 'server-to-client');
  // A provider holds the sockets: what clients send goes to it, not to a handler of ours that could answer INVALID_PAYLOAD.
  const host = profileOf(ctx).socketHost;
  if (host && inbound > 0 && yjs.length === 0)
    return `what clients send goes to ${host.label}, not to a server of ours, so no handler of ours can reject it: each receiving client parses a message inside ${code('try')}/${code('catch')} and checks its shape against the catalog types, ignoring one that fails; our own routes parse their request bodies with ${parser}${meetsMalformedMd(ctx)}`;
  const json =
    inbound > 0
      ? `${inbound === 1 ? 'the one' : inbound === 2 ? 'both' : `all ${fmt(inbound)}`} inbound JSON event${inbound === 1 ? '' : 's'} parsed with ${parser} against the catalog types; unknown fields stripped, failures ${protocolTraits(ctx).served?.invalidMd ?? `answered with ${code('INVALID_PAYLOAD')}`}${meetsMalformedMd(ctx)}`
      : '';
  if (yjs.length > 0) {
    const doc = `the document channel carries binary y-protocols messages (${list(yjs.map((e) => code(e.name)))}), not JSON: check the message type byte (0 sync, 1 awareness) and the size before decoding, drop any other type, and authorize per document at the handshake`;
    return json ? `${json}; ${doc}` : `${doc.charAt(0).toUpperCase()}${doc.slice(1)}`;
  }
  if (json) return json;
  return `no inbound events on a channel of ours: provider messages are decoded by the provider SDK; whatever our handlers read from them (RPC payloads, tool arguments) is parsed with ${parser} before use`;
}

/** EventSource only receives: the stream has no inbound events, and client actions are POST bodies. */
function postValidationMd(inbound: number, validator: string | undefined, ctx: DesignCtx, posts: PostRoutes | null): string {
  const parser = validator ? `${code(validator)} (already a dependency)` : `${code('zod')} (new dependency; the project has no validator)`;
  return inbound > 0
    ? `nothing inbound on the stream (EventSource only receives); the ${fmt(inbound)} client action${inbound === 1 ? '' : 's'} arrive${inbound === 1 ? 's' : ''} as POST bodies, each parsed with ${parser} against the catalog types, unknown fields stripped, failures answered with HTTP 400 and ${code('INVALID_PAYLOAD')}${meetsMalformedMd(ctx)}`
    : posts
      ? `nothing inbound on the stream (EventSource only receives); ${posts.md} ${posts.plural ? 'parse their bodies' : 'parses its body'} with ${parser} and ${posts.plural ? 'answer' : 'answers'} HTTP 400 on failure${meetsMalformedMd(ctx)}`
      : `nothing inbound on the stream (EventSource only receives)${meetsMalformedMd(ctx)}`;
}

/**
 * Who checks `Origin` where viewers read a public stream: a write route authenticated by an
 * `Authorization` header gets no such header from another site's page, so it needs no check;
 * one authenticated by a cookie, or by nothing the code shows, rejects a missing or foreign one.
 */
function publicStreamOriginMd(posts: PostRoutes | null): string {
  const base = 'the public stream is read from any site (it carries no cookie and nothing private)';
  if (!posts) return base;
  const header = posts.existing.filter((r) => r.guardHeader);
  const others = posts.existing.filter((r) => !r.guardHeader);
  const byHeader =
    header.length > 0
      ? `${list(header.map((r) => `${routeMd(r)} is authenticated by an ${code('Authorization')} header (${code(r.value ?? '')} at ${code(r.guardAt ?? r.evidence)})`))}, which a browser never adds to another site's request, so ${header.length === 1 ? 'it needs' : 'they need'} no Origin check`
      : '';
  const rest = [
    ...(others.length > 0 ? [list(others.map(routeMd))] : []),
    ...(posts.proposed.length > 0 ? [`the proposed POST route${posts.proposed.length === 1 ? '' : 's'} for ${list(posts.proposed.map((a) => code(a)))}`] : []),
  ];
  const checked =
    rest.length > 0
      ? `${rest.join(' and ')}: where authenticated by a cookie, or by nothing, reject a missing or foreign ${code('Origin')}; one authenticated by an ${code('Authorization')} bearer header needs no Origin check (a browser never adds that header to another site's request)`
      : '';
  return [base, byHeader, checked].filter((x) => x !== '').join('; ');
}

/** Supabase Realtime runs the socket: the controls are RLS, the plan's quotas and what clients check, not server settings of ours. */
function supabaseControls(ctx: DesignCtx, validator: string | undefined): Plan['security']['controls'] {
  const parser = validator ? `${code(validator)} (already a dependency)` : `${code('zod')} (new dependency; the project has no validator)`;
  const cite = ctx.cite.cite(['auth'], 'supabase-realtime');
  return [
    {
      label: 'Channel authorization',
      valueMd: `private channels only (${code('config: { private: true }')}); RLS policies on ${code('realtime.messages')} decide who may join a topic (${code('select')}) and send on it (${code('insert')}); the anon key is public, so a public channel is open to anyone`,
      sourceMd: `Supabase Realtime Authorization${cite}`,
    },
    {
      label: 'Writes',
      valueMd: 'every write goes to Postgres through supabase-js under RLS, with table constraints (unique idempotency keys, length checks) as the schema',
      sourceMd: 'no server of ours validates frames',
    },
    {
      label: 'Schema validation',
      valueMd: `Broadcast and Presence payloads come from other clients: parse each with ${parser} on receipt and drop what fails`,
      sourceMd: 'anyone allowed to send on a topic can send any shape',
    },
    {
      label: 'Payload cap',
      valueMd: `no setting of ours: Supabase caps Broadcast and Presence payloads by plan quota; the client checks size before ${code('channel.send()')} and sends anything larger as a Postgres row or a Storage object referenced by id`,
      sourceMd: 'Supabase Realtime quotas',
    },
    {
      label: 'Rate limits',
      valueMd:
        "the plan's quotas (messages per second, channel joins, concurrent connections) are enforced by Supabase; clients throttle typing to 1 per 2 s; alert at 80% of each quota",
      sourceMd: 'Supabase Realtime quotas',
    },
    {
      label: 'Secrets',
      // With no server in the repository there is no server environment for the key to stay in.
      valueMd: profileOf(ctx).noServer
        ? 'only the anon key reaches the browser; the service-role key is never in this repository or the browser bundle (no server of ours uses it) and is never used for user traffic'
        : 'only the anon key reaches the browser; the service-role key stays in server environment variables and is never used for user traffic',
      sourceMd: 'the service role bypasses RLS',
    },
  ];
}

export function securitySection(ctx: DesignCtx, events: EventSpec[]): Plan['security'] {
  const channels = [...new Set(events.map((e) => e.channel))];
  const roomRow = channels.some((ch) => channelParts(ch)?.scope === 'room' && !profileOf(ctx).socketHost);
  const access = codeAccessMd(ctx);
  const authz = channels.map((ch) => {
    const names = events.filter((e) => e.channel === ch && e.direction !== 'server-to-client' && !e.overHttp).map((e) => e.name);
    const room = projectRooms(ctx).find((r) => r.name === ch);
    const where = room ? `; the room the code already joins (${code(room.value ?? ch)} at ${text(room.evidence)})` : '';
    // A channel server (Centrifugo) lets a client in by a subscription token or a subscribe proxy: our route's check is the rule.
    const server = protocolTraits(ctx).channels;
    const rule =
      server && events.some((e) => e.channel === ch && e.protocol !== undefined)
        ? channelPermissionMd(server, ctx.input, ctx.entity, channelParts(ch)?.scope ?? ctx.entity)
        : ruleFor(ch, ctx, events);
    const addressed = rule === OPEN_RULE ? roomAddressedMd(ctx, names, roomRow) : '';
    return {
      target: ch,
      ruleMd: `${checkedRuleMd(ch, rule, access, ctx, events)}${where}${names.length > 0 ? `; inbound: ${list(names.map((n) => code(n)))}` : ''}${namedRoomTodayMd(ctx, [...new Set(names)])}${addressed}`,
    };
  });
  const deps = new Set(ctx.input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies)));
  const validator = VALIDATORS.find((v) => deps.has(v));
  const cap = payloadCap(ctx);
  const keepCap = hasExistingPayloadCap(ctx);
  // On a receive-only wire the request bodies are the POST routes': those the code registers and those this plan proposes.
  const posts = postRoutes(ctx, clientActions(events));
  // The message handler's own size check (`raw.length > 4096` in webSocketMessage), where the runtime has no cap option.
  const sizeCheck = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'message-size-check');
  const profile = profileOf(ctx);
  // A cap the project already sets (uWebSockets.js `maxPayloadLength` in a shared behaviour) is kept, not replaced by ours.
  const projectCap = Number.isFinite(Number(projectServerOption(ctx.input, profile.payloadCap?.option)?.value))
    ? projectServerOption(ctx.input, profile.payloadCap?.option)
    : null;
  const capSetting = ctx.providerDirect
    ? 'tool-call arguments rejected above'
    : profile.payloadCap
      ? `${code(`${profile.payloadCap.option}: ${cap}`)} (${profile.payloadCap.defaultMd})`
      : profile.capWhereMd
        ? `${profile.capWhereMd} ${fmt(cap)} bytes`
        : `request body limit ${fmt(cap)} bytes on ${profile.receiveOnly && posts ? posts.md : 'POST routes'}`;
  // Fetch standard, 'append a request Origin header' (https://fetch.spec.whatwg.org/#origin-header): a browser
  // sends Origin on every request whose method is neither GET nor HEAD, and on a cross-origin GET; only a
  // same-origin GET or HEAD goes without it.
  const origin = noSignInFound(ctx)
    ? `the token route rejects a missing or foreign ${code('Origin')} (its POST always carries one from a browser) and is rate-limited per IP; with no sign-in in the project this only keeps other sites' pages from using it, not a script that forges the header`
    : ctx.providerDirect
      ? `the token route rejects a foreign ${code('Origin')}, and a missing one on a POST (a browser sends ${code('Origin')} on every POST, same-origin or not; only a same-origin GET or HEAD goes without it, so only there is a missing one let through), and requires the user's session credential (a ${code('SameSite=Lax')} cookie, or an ${code('Authorization')} header, which another site's page cannot add), so another site cannot mint tokens for a signed-in user`
      : rulesOut(ctx, 'login') && !clientsSend(ctx)
        ? // An Origin check stops a browser sending the user's cookie cross-site (CSRF, CSWSH); a request
          // authenticated by an Authorization header gets no such header from another site, so it needs none.
          publicStreamOriginMd(posts)
        : (profile.originMd ?? traitsOf(ctx).originMd(hasExistingOriginCheck(ctx), profile.receiveOnly ? (posts?.md ?? null) : undefined));
  const perConn = modelledRate(ctx).rate;
  const peak = statedSendPeak(ctx);
  // y-websocket sets its own: frames per transaction and cursor move, and no close for rate (profiles/ops.ts).
  const libraryRateLimit = opsProfile(opsKind(ctx)).rateLimit;
  // A dotted name the code itself sends (`chat.send`) is ours to validate; a provider's protocol messages are not.
  const inbound = events.filter((e) => e.direction !== 'server-to-client' && (!e.name.includes('.') || (e.origin === 'existing' && e.protocol === undefined)));
  const secretFindings = ctx.input.analysis.findings.filter((fd) => /secret|key|token/i.test(fd.id));
  if (onSupabase(ctx)) return { authz, controls: supabaseControls(ctx, validator) };
  const scheme = traitsOf(ctx).scheme === 'HTTPS' ? 'HTTPS' : code(traitsOf(ctx).scheme);
  const tls = tlsTermination(ctx, profile.tlsMd);
  if (profile.external) return { authz, controls: externalControls(ctx, events, validator, profile.external.askMd) };
  const controls = [
    { label: 'Origin check (CSWSH)', valueMd: origin, sourceMd: ctx.cite.cite(['auth', 'origin', 'security']).trim() || 'OWASP WebSocket guidance' },
    {
      label: 'Schema validation',
      // EventSource only receives: whatever clients send arrives as POST bodies, not as events on the stream.
      valueMd: !profileOf(ctx).receiveOnly
        ? ctx.providerDirect && !agentOnly(providersOf(ctx))
          ? `no message of the provider connection reaches a server of ours: the page parses each tool call's arguments with ${validator ? `${code(validator)} (already a dependency)` : `${code('zod')} (new dependency; the project has no validator)`} against that tool's parameters schema before any preview, and a call whose arguments fail is answered to the model with an error result, never previewed or applied`
          : protocolTraits(ctx).operations
            ? `${protocolTraits(ctx).operations!.label} validates every operation a ${code('subscribe')} message carries against the GraphQL schema before it runs, so the schema types every argument: no JSON schema of ours next to it`
            : `${validationMd(events, inbound.length, validator, ctx)}${sharedSchemaWhereMd(ctx, inbound.length, validator)}`
        : postValidationMd(inbound.length, validator, ctx, posts),
      sourceMd: 'Event protocol types',
    },
    {
      label: 'Payload cap',
      valueMd:
        profile.id === 'managed'
          ? managedCapMd(ctx)
          : profile.receiveOnly && !posts && !profile.capWhereMd
            ? `no request body to cap: nothing arrives on the stream, and this plan names no POST route; keep each event the stream writes under ${formatBytes(cap)} (the smallest power of two ≥ 16 KiB and ≥ ${CAP_HEADROOM}× ${capBasis(ctx).md}) and send larger content over HTTP`
            : projectCap && profile.payloadCap
              ? `keep the project's ${code(`${profile.payloadCap.option}: ${projectCap.value}`)} (${formatBytes(Number(projectCap.value))}, set at ${code(projectCap.evidence)}; ${profile.payloadCap.defaultMd})${
                  ctx.capacity.largestPayload
                    ? Number(projectCap.value) < ctx.capacity.largestPayload.value
                      ? `; raise it: the context states messages of ${fmt(ctx.capacity.largestPayload.value)} bytes (${code(ctx.capacity.largestPayload.evidence)})`
                      : `; it admits the largest message the context states, ${fmt(ctx.capacity.largestPayload.value)} bytes (${code(ctx.capacity.largestPayload.evidence)})`
                    : ''
                }; larger content goes over HTTP`
              : sizeCheck && !profile.payloadCap
                ? `keep the project's own check, ${code(`${sizeCheck.name} > ${sizeCheck.value}`)} in the message handler (${code(sizeCheck.evidence)}), as the cap rather than adding a second one${
                    ctx.capacity.largestPayload
                      ? Number(sizeCheck.value) < ctx.capacity.largestPayload.value
                        ? `; raise it: the context states messages of ${fmt(ctx.capacity.largestPayload.value)} bytes (${code(ctx.capacity.largestPayload.evidence)})`
                        : `; it admits the largest message the context states, ${fmt(ctx.capacity.largestPayload.value)} bytes (${code(ctx.capacity.largestPayload.evidence)})`
                      : ''
                  }; answer a frame it refuses with a 1009 close (message too big), so the client can tell; larger content goes over HTTP`
                : keepCap
                  ? ctx.capacity.largestPayload
                    ? `keep the existing ${code('maxPayload')} (the audit found it set; no ${code('no-payload-limit')} finding) and check it admits the largest message the context states, ${fmt(ctx.capacity.largestPayload.value)} bytes (${code(ctx.capacity.largestPayload.evidence)}) with its envelope: ${formatBytes(cap)} or more`
                    : `keep the existing ${code('maxPayload')} (the audit found it set; no ${code('no-payload-limit')} finding) and check it is ≥ the largest message in the catalog; the ${fmt(ctx.capacity.values.payloadBytes)}-byte average needs far less than a ${formatBytes(cap)} cap`
                  : ctx.scenarios.includes('collab-editing')
                    ? `${capSetting}: ${formatBytes(cap)}, because a Yjs sync reply carries the whole document state in one message; larger documents need a higher cap or an HTTP snapshot`
                    : ctx.capacity.largestPayload && ctx.capacity.largestPayload.value * ENVELOPE > capBasis(ctx).bytes * CAP_HEADROOM
                      ? `${capSetting}: ${formatBytes(cap)}, the smallest power of two above the largest message the context states (${fmt(ctx.capacity.largestPayload.value)} bytes, ${code(ctx.capacity.largestPayload.evidence)}) with its envelope; anything larger goes over HTTP`
                      : `${capSetting}: ${formatBytes(cap)}, the smallest power of two ≥ 16 KiB and ≥ ${CAP_HEADROOM}× ${capBasis(ctx).md} (${fmt(Math.floor(cap / Math.max(1, capBasis(ctx).bytes)))}× here), room for the largest expected message; larger content goes over HTTP`,
      sourceMd: ctx.cite.cite(['payload-limit'], ctx.docLibrary).trim() || 'capacity inputs',
    },
    // A per-connection bucket needs connections of ours; elsewhere the per-user limits on our routes remain.
    ...(!runsOwnFleet(ctx)
      ? []
      : [
          // A request that starts a reply stream (an AI answer) is a paid generation: what is limited is how many run at once, not the chunks out.
          replyOf(ctx) && !libraryRateLimit
            ? {
                label: 'Rate limit',
                valueMd: `on the requests that start a stream: a user runs at most ${fmt(CONCURRENT_GENERATIONS)} at once (the channel rule above), a further one is answered HTTP 429 with ${code('RATE_LIMITED')} until one ends, and the POST route keeps per-IP limits; the ${replyOf(ctx)!.unit} of a running stream are paced by the generation and not limited`,
                sourceMd: `each request starts a paid generation; TLS only and secrets as in rt-plan's baseline${ctx.cite.cite(['baseline-security'], 'rt-plan')}`,
              }
            : !profileOf(ctx).receiveOnly
              ? {
                  label: 'Rate limit per connection',
                  ...(libraryRateLimit
                    ? { valueMd: libraryRateLimit.valueMd, sourceMd: `${libraryRateLimit.sourceMd}${ctx.cite.cite(['baseline-security'], 'rt-plan')}` }
                    : peak
                      ? peakRateLimit(ctx, peak, inbound)
                      : {
                          valueMd: `token bucket ${fmt(inbound.length === 0 ? 10 : perConn)} messages/s, burst ${fmt((inbound.length === 0 ? 10 : perConn) * 2)}; ${overLimitMd(ctx)}`,
                          // The modelled rate is what the server publishes; a client that sends no event of ours publishes none of it.
                          sourceMd: `${
                            inbound.length === 0
                              ? `clients send no event of this plan on the socket${protocolTraits(ctx).operations ? ` (only ${protocolTraits(ctx).operations!.label}'s own ${code('subscribe')}, ${code('complete')} and ${code('ping')})` : ''}, so none of the modelled ${fmt(ctx.capacity.values.msgRate)} msg/s is theirs: rt-plan's floor of 10/s`
                              : modelledBasisMd(ctx)
                          }; ${sharedSecretAt(ctx) ? 'per-IP limits (no per-user limit: the shared secret names no user)' : 'per-user and per-IP limits'}, TLS only and secrets as in rt-plan's baseline${ctx.cite.cite(['baseline-security'], 'rt-plan')}`,
                        }),
                }
              : {
                  // Nothing arrives on an EventSource stream: what is limited is how often streams open, and the POST routes.
                  label: 'Rate limit',
                  valueMd: rulesOut(ctx, 'login')
                    ? // Anonymous crowds share addresses (venue Wi-Fi, carrier NAT): a per-address limit would refuse real viewers.
                      `stream opens per instance, not per client address: viewers have no login, and a crowd on one venue Wi-Fi or carrier NAT shares a few addresses, so a per-address limit would shut out real viewers; each instance admits new streams up to its tested rate and answers the rest with 200, a long ${code('retry:')} and an end, because a 429 closes an EventSource for good${posts ? `; ${posts.md} ${posts.plural ? 'are' : 'is'} limited ${posts.proposed.length === 0 && posts.existing.every((r) => r.guardHeader) ? 'per token' : 'per instance as well (no user identity to limit by, and an address is shared)'}` : ''}`
                    : `stream opens per client address: token bucket 60 per minute, burst 120 (many viewers can share one carrier-NAT address); over it the stream still answers 200, sends a long ${code('retry:')} and ends, because a 429 closes an EventSource for good${posts ? `; ${posts.md} ${posts.plural ? 'are' : 'is'} limited per user` : ''}`,
                  sourceMd: `EventSource fails for good on any non-200 answer${ctx.cite.cite(['sse'])}; TLS only and secrets as in rt-plan's baseline${ctx.cite.cite(['baseline-security'], 'rt-plan')}`,
                },
        ]),
    // Where TLS ends is a fact of the deployment: said only when the context or the runtime states it.
    ...(tls
      ? [
          {
            label: 'Transport security',
            // A provider's sockets end at the provider: the stated TLS end is our HTTP routes'.
            valueMd: profile.socketHost
              ? `${code('wss://')} to ${profile.socketHost.label} and HTTPS to our routes only; for our routes ${tls.md}`
              : `${scheme} only; ${tls.md}`,
            sourceMd: tls.sourceMd,
          },
        ]
      : []),
    // Secrets get a row of their own only where something here handles one: a finding, or a provider key minting tokens.
    ...(secretFindings.length > 0 || ctx.scenarios.includes('voice')
      ? [
          {
            label: 'Secrets',
            valueMd:
              secretFindings.length > 0
                ? `fix the findings first: ${list(secretFindings.map((fd) => `${code(fd.id)} at ${text(fd.evidence)}`))}; keys live only in server environment variables`
                : 'provider keys only in server environment variables; browsers receive short-lived tokens',
            sourceMd: ctx.scenarios.includes('voice')
              ? `ephemeral tokens${ctx.cite.cite(['ephemeral-token'], ctx.voiceProviders[0] ?? 'openai-realtime')}`
              : 'findings',
          },
        ]
      : []),
  ];
  // A library that owns the answer stream: the request is the hook's POST, not frames on a connection of ours.
  const sdk = sdkOwned(ctx);
  if (sdk) controls.splice(0, 4, ...sdkSecurity(ctx, sdk, validator));
  const caller = callerControl(ctx);
  if (caller) controls.unshift(caller);
  // A caller check the audit found too weak is not one to keep as it is.
  const kept = caller ? null : keptAuthControl(ctx);
  if (kept) controls.unshift(kept);
  const guests = guestControl(ctx);
  if (guests) controls.unshift(guests);
  const resolvers = resolverControl(ctx);
  if (resolvers) controls.push(resolvers);
  controls.push(...toolRouteControls(ctx));
  return { authz, controls };
}

/**
 * A tool route the page requests and the server lacks (tool-routes.ts): what it would serve, from
 * which declared inputs, and what it must check; nothing about a handler the project does not have.
 */
function toolRouteControls(ctx: DesignCtx): { label: string; valueMd: string; sourceMd: string }[] {
  const must = callerMust(ctx);
  return toolRouteGaps(ctx.input.analysis).map((g) => {
    const tools = g.tools.map((t) => {
      const inputs = t.params && t.params.length > 0 ? list(t.params.map(code)) : null;
      const described = t.description ? `, described as "${text(t.description)}",` : '';
      return `${code(t.name)} (${code(t.evidence)})${described} ${inputs ? `takes ${t.params!.length === 1 ? 'only ' : ''}${inputs}: a route that answers from ${t.params!.length === 1 ? 'that' : 'those'} alone answers anyone who can call it with someone else's ${t.params!.length === 1 ? 'value' : 'values'}` : 'declares no inputs rt-plan could read'}`;
    });
    return {
      label: 'Tool route',
      valueMd: `missing today: the module that declares the tools requests ${code(g.route)} (${code(g.evidence)}${g.derivedAt ? `; ${toolRoutesWhyMd(g)}` : ''}) and no route of the server serves ${g.routes.length > 1 ? 'them' : 'it'} (${code('request-route-missing')} in Findings), so rt-plan cannot say what ${g.routes.length > 1 ? 'they' : 'it'} would check or return. ${tools.join('; ')}. Add ${g.routes.length > 1 ? 'them' : 'it'} behind the same caller check as the token route (Who may connect), limit it per caller, and return only what that caller may see`,
      sourceMd: must ? `the code; context: "${text(must.sentence)}" (${code(must.evidence)})` : 'the code',
    };
  });
}

/**
 * GraphQL queries and mutations whose resolvers never read the context (the analyzer's
 * `resolver-no-context`): nothing in them checks who asks, so the plan says where and what to add.
 */
function resolverControl(ctx: DesignCtx): { label: string; valueMd: string; sourceMd: string } | null {
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'resolver-no-context');
  if (facts.length === 0) return null;
  const built = facts[0]!.store ? facts[0]!.store.split(', ').map(code) : [];
  const must = ctx.input.sessions.requirements.find(
    (r) => r.kind === 'constraint' && r.polarity === 'must' && KEEP.test(r.sentence) && KEPT_AUTH.some((k) => k.term.test(r.sentence)),
  );
  return {
    label: 'Queries and mutations',
    valueMd: `not checked today: ${list(facts.map((f) => `${code(f.name)} (${code(f.evidence)})`))} ${facts.length === 1 ? 'never reads its context argument, so it runs' : 'never read their context argument, so each runs'} for any caller the server lets reach it, whatever identity the context holds${built.length > 0 ? ` (built at ${list(built)})` : ''}. In each, read the caller from the context and refuse (a GraphQL error) one who may not act on the object its arguments name, a caller with no identity included`,
    sourceMd: must ? `the code; context: "${text(must.sentence)}" (${code(must.evidence)})` : 'the code',
  };
}

/** The context admits people without accounts: "Guests will not have accounts: they get a signed invite link". */
const GUESTS_WITHOUT_ACCOUNTS =
  /\b(?:guests?|visitors?|reviewers?|invitees?)\b[^.;:]{0,60}?\b(?:(?:will )?not have|won't have|don't have|do not have|without|no)\b[^.;:]{0,12}?\baccounts?\b/i;

/**
 * Guests the context says have no account, against a connection or channel authorization that the
 * code grants only to a signed-in session: they could not connect, so the plan says how they are
 * authorized instead of assuming every member is signed in.
 */
export function guestGap(ctx: DesignCtx): { sentence: string; evidence: string; sessionOnly: string[]; identityMd: string } | null {
  const r = ctx.input.sessions.requirements.find((x) => 'sentence' in x && GUESTS_WITHOUT_ACCOUNTS.test(x.sentence));
  if (!r || !('sentence' in r)) return null;
  const sessionOnly = ctx.input.analysis.stack.auth.filter((a) => /session|cookie|jwt/.test(a.kind) && a.evidence);
  if (sessionOnly.length === 0 || ctx.input.analysis.stack.auth.some((a) => a.kind === 'none')) return null;
  return {
    sentence: r.sentence,
    evidence: r.evidence,
    sessionOnly: sessionOnly.map((a) => a.evidence!),
    identityMd:
      managedProvider(ctx.input)?.guestIdentityMd ??
      'give the guest an identity from it (the invite id and the name it was issued to), so what other users see is still a name the server knows',
  };
}

function guestControl(ctx: DesignCtx): { label: string; valueMd: string; sourceMd: string } | null {
  const g = guestGap(ctx);
  if (!g) return null;
  const r = { sentence: g.sentence, evidence: g.evidence };
  const at = list(g.sessionOnly.map((e) => code(e)));
  const identity = `, and ${g.identityMd}`;
  return {
    label: 'Guests without accounts',
    valueMd: `not met today: the code authorizes only a signed-in user (${at}), so a guest with no account is refused. Verify the signed invite where the connection or channel is authorized (its signature, expiry and the page it grants)${identity}; a guest gets only what the invite grants, never a user's private channel`,
    sourceMd: `context: "${text(r.sentence)}" (${code(r.evidence)})`,
  };
}

/**
 * The caller check the context requires, against what the audit found: a guard that only tests
 * a cookie's presence (`cookie-presence-auth`) does not meet it, and the plan says where.
 */
function callerControl(ctx: DesignCtx): { label: string; valueMd: string; sourceMd: string } | null {
  const r = callerMust(ctx);
  if (!r) return null;
  // Where a provider holds the connections, our token route is the only place to refuse a caller.
  const tokens = ctx.providerDirect || profileOf(ctx).id === 'managed';
  const where = tokens ? 'the token route issues a token' : 'the connection is accepted';
  const weak = ctx.input.analysis.findings.filter((f) => f.id === 'cookie-presence-auth');
  // A credential signed for whatever room or channel the client names is not limited to those the requirement allows.
  const open = tokens ? openGrants(ctx) : [];
  const valueMd =
    open.length > 0 && weak.length === 0
      ? `not met today: the token route ${list(open.map(openGrantMd))}, and nothing in it refuses one the user may not use; before it signs, check that the user may use that name as the requirement says, and answer 403 otherwise`
      : weak.length > 0
        ? `not met today: the guard at ${list(weak.map((f) => code(f.evidence)))} only checks that a cookie is present (${code('cookie-presence-auth')} in Findings), so any browser that sends one gets past it; look the session up server-side (or verify a signed cookie or token) before ${where}, and answer an unknown or expired one with 401`
        : tokens
          ? `the token route authenticates the caller and issues a token only to those the requirement allows, scoped to what they may use; others get 401`
          : `authenticate the caller at the handshake and refuse anyone the requirement excludes before the connection is accepted (401)`;
  return { label: 'Who may connect', valueMd, sourceMd: `context: "${text(r.sentence)}" (${code(r.evidence)})` };
}

/** "TLS terminated at the ALB", "TLS at the Fly edge": where the context says TLS ends. */
const TLS_AT = /\b(?:TLS|SSL)\s+(?:is\s+)?(?:terminat\w*|offloaded|ends)?\s*(?:at|on|in)\s+((?:the\s+)?[A-Z][\w.'\u2019 -]{0,40}?)\s*(?:[,.;)]|$)/;

/**
 * Where the context reads as stating TLS termination ("TLS terminated at the ingress"), the place
 * may be lowercase: the verb says it is a place, not any capitalised name after "TLS at".
 */
const TLS_TERMINATED_AT = /\b(?:TLS|SSL)\s+(?:is\s+)?(?:terminat\w*|offloaded|ends)\s+(?:at|on|in)\s+((?:the\s+)?[\w.'\u2019 -]{1,40}?)\s*(?:[,.;)(]|$)/i;

/** The credentials a must keeps ("staff tokens stay JWTs", "keep the cookie-based login"), by the auth kinds the analyzer names. */
const KEPT_AUTH: ReadonlyArray<{ term: RegExp; kinds: readonly AuthKind[]; label: string }> = [
  { term: /\bJWTs?\b/i, kinds: ['jwt-header', 'jwt-cookie', 'jwt-query'], label: 'JWT' },
  { term: /\bcookie[- ]based\b|\bsession cookies?\b|\bcookies?\b/i, kinds: ['session-cookie', 'jwt-cookie'], label: 'cookie' },
];
const KEEP = /\b(?:keep|keeps|stay|stays|remain|remains|unchanged)\b/i;

/**
 * A must that keeps the project's credentials, where the code verifies that kind: the plan keeps
 * the verification the analyzer found, and the channel rules read the identity it carries.
 */
function keptAuthControl(ctx: DesignCtx): { label: string; valueMd: string; sourceMd: string } | null {
  for (const r of ctx.input.sessions.requirements) {
    if (r.kind !== 'constraint' || r.polarity !== 'must' || !KEEP.test(r.sentence)) continue;
    for (const k of KEPT_AUTH) {
      if (!k.term.test(r.sentence)) continue;
      const found = ctx.input.analysis.stack.auth.find((a) => k.kinds.includes(a.kind) && a.evidence);
      if (!found) continue;
      return {
        label: 'Authentication',
        valueMd: `keep the ${k.label} check the code already has (${authMd(found.kind)}: ${code(found.evidence!)}) as the one credential of the real-time channel: the authorization rules above read the identity from it. This is how the plan meets ${quoteOf(r)}`,
        sourceMd: 'the code and the context',
      };
    }
  }
  return null;
}

function tlsTermination(ctx: DesignCtx, profileMd: string | undefined): { md: string; sourceMd: string } | null {
  for (const r of ctx.input.sessions.requirements) {
    if (!('sentence' in r)) continue;
    const m = TLS_AT.exec(r.sentence) ?? (r.kind === 'infra' && r.fact === 'tls-termination' ? TLS_TERMINATED_AT.exec(r.sentence) : null);
    // TLS ends there: clients check that component's certificate; the sentence
    // is quoted where the context states it as infrastructure, the way other sections cite it.
    if (m)
      return {
        md: `TLS terminates at ${text(m[1]!.replace(/^the\s+/i, 'the '))}: clients check its certificate`,
        sourceMd: r.kind === 'infra' ? `context: "${text(r.sentence)}" (${code(r.evidence)})` : `context: ${code(r.evidence)}`,
      };
  }
  return profileMd ? { md: profileMd, sourceMd: 'the hosting platform' } : null;
}

/** A managed provider caps messages itself: say its limit and what larger content does instead. */
function managedCapMd(ctx: DesignCtx): string {
  const limit = managedProvider(ctx.input)?.messageLimitMd;
  const instead = 'content larger than that (pasted logs, images) is stored over HTTP and the event carries its id, so nothing is dropped silently';
  const own = profileOf(ctx).selfHostedServer;
  const where = limit
    ? `the provider's payload limit, ${limit}`
    : own
      ? `the message size limits in ${own.settingsMd}`
      : "the provider's per-message payload limit (see its plan)";
  // Where clients publish to each other through the provider, each sender checks: no server of ours sees their messages.
  const checks = managedProvider(ctx.input)?.peerMessages
    ? 'each sender checks the size before it publishes (the client before its data message, our server before its own send)'
    : 'our server checks the size before it publishes';
  return `${where}: ${instead}; ${checks}.`;
}

/** The server belongs to another team: what the client can do itself, and what to ask the server's owner. */
function externalControls(ctx: DesignCtx, events: EventSpec[], validator: string | undefined, askMd: string): Plan['security']['controls'] {
  const parser = validator ? `${code(validator)} (already a dependency)` : `${code('zod')} (new dependency; the project has no validator)`;
  const inbound = events.filter((e) => e.direction !== 'client-to-server').length;
  return [
    {
      label: 'Origin check, size cap, rate limits',
      valueMd: `server settings: ${askMd}; the client keeps each message under the documented size and retries a refused one only after backoff`,
      sourceMd: 'not a setting of this repository',
    },
    {
      label: 'Inbound validation',
      valueMd: `parse each of the ${fmt(inbound)} server-to-client event${inbound === 1 ? '' : 's'} with ${parser} before it reaches state; drop and count what fails`,
      sourceMd: 'a newer server version can send shapes this client does not know',
    },
    { label: 'Transport security', valueMd: `${code('wss://')} only`, sourceMd: 'tokens must never cross the network in clear' },
  ];
}

/** The project's own payload cap (a server option it sets), kept: the summary says so instead of proposing ours. */
export function projectCapMd(ctx: DesignCtx): string | null {
  const option = profileOf(ctx).payloadCap?.option;
  const v = projectServerOption(ctx.input, option);
  if (option && v && Number.isFinite(Number(v.value))) return `the project's ${code(option)} of ${formatBytes(Number(v.value))} kept`;
  // No cap option on this runtime: the message handler's own size check is the cap.
  const check = option ? undefined : (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'message-size-check');
  return check ? `the project's size check in the message handler (${code(`${check.name} > ${check.value}`)}) kept` : null;
}

/**
 * The per-user rate the context states for what a user sends ("6–8 keystrokes per second"), at its
 * peak: not scaled by the share of users acting, since a limit applies to one user who is acting.
 * Several stated kinds a user sends add up. Null when the context states no per-user send rate.
 */
export function statedSendPeak(ctx: DesignCtx): { rate: number; evidence: string } | null {
  const streams = sentStreams(ctx);
  if (streams.length === 0) return null;
  return { rate: streams.reduce((a, s) => a + s.rate, 0), evidence: [...new Set(streams.map((s) => s.evidence))].join(', ') };
}

/** The client events sent on every send of another (model fact `client-send`), keyed by the one that rides along, with its send site. */
function togetherOf(ctx: DesignCtx): Together {
  const out = new Map<string, { event: string; at: string }[]>();
  for (const f of ctx.input.analysis.modelFacts ?? []) {
    if (f.kind !== 'client-send' || !f.together) continue;
    for (const t of f.together) {
      const event = t.slice(0, t.indexOf('@'));
      if (event) out.set(f.name, [...(out.get(f.name) ?? []), { event, at: f.evidence }]);
    }
  }
  return out;
}

const sentStreams = (ctx: DesignCtx) => (ctx.capacity.workload?.streams ?? []).filter((s) => s.perUser && !s.received);

/** The client event kinds a bucket of ours limits: what clients send, not the transport's own frames. */
const clientKinds = (inbound: EventSpec[]): string[] => inbound.filter((e) => !e.name.startsWith('sys:')).map((e) => e.name);

/** "`a`: 4/s, burst 8", the kinds of one bucket size together. */
function bucketsMd(kinds: KindBucket[]): string[] {
  const groups = new Map<string, KindBucket[]>();
  for (const k of kinds) {
    const key = k.basis.kind === 'unstated' ? 'unstated' : `${k.rate}/${k.burst}`;
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  return [...groups].map(([key, ks]) => {
    const names = list(ks.map((k) => code(k.event)));
    if (key === 'unstated') return `${names} the per-connection bucket only`;
    return `${names} ${fmt(ks[0]!.rate)}/s, burst ${fmt(ks[0]!.burst)}${ks.length > 1 ? ' each' : ''}`;
  });
}

/** Why each kind's bucket has its size: the stated stream it carries, occasional, or no stated rate. */
function kindBasisMd(kinds: KindBucket[]): string[] {
  const out: string[] = [];
  for (const k of kinds) {
    if (k.basis.kind !== 'with') continue;
    const b = k.basis;
    out.push(
      `${code(k.event)}: sent with every ${code(b.event)} (${code(b.at)}), so ${RATE_HEADROOM}× the same ${fmt(b.stream.rate)}/s of ${text(b.stream.kind)} per user the context states (${code(b.stream.evidence)})`,
    );
  }
  for (const k of kinds.filter((k) => k.basis.kind === 'stated')) {
    const s = (k.basis as { stream: Stream }).stream;
    const floor = Math.ceil(s.rate * RATE_HEADROOM) < KIND_FLOOR;
    out.push(
      floor
        ? `${code(k.event)}: the ${fmt(KIND_FLOOR)}/s floor of a kind's bucket, above ${RATE_HEADROOM}× the ${fmt(s.rate)}/s of ${text(s.kind)} per user the context states (${code(s.evidence)}), so that frames bunched after a stall are not refused`
        : `${code(k.event)}: ${RATE_HEADROOM}× the ${fmt(s.rate)}/s of ${text(s.kind)} per user the context states (${code(s.evidence)})`,
    );
  }
  const occasional = kinds.filter((k) => k.basis.kind === 'occasional').map((k) => code(k.event));
  if (occasional.length > 0)
    out.push(
      `${list(occasional)}: sent on connecting, on opening or leaving a room, on a catch-up or a token refresh, not in a stream while a user acts, so ${fmt(OCCASIONAL.rate)}/s with a burst of ${fmt(OCCASIONAL.burst)}, room for a reconnect that rejoins a few rooms`,
    );
  const unstated = kinds.filter((k) => k.basis.kind === 'unstated').map((k) => code(k.event));
  if (unstated.length > 0)
    out.push(`the context states no rate for ${list(unstated)}, so only the per-connection bucket bounds ${unstated.length === 1 ? 'it' : 'them'}`);
  return out;
}

/**
 * A limit at the stated peak refuses honest users who go a little past the figure, or whose frames
 * arrive bunched after a stall: the connection's bucket sits at RATE_HEADROOM× the stated rates added
 * up. Inside it each client event kind has its own bucket, sized from what the context states of that
 * kind (rate-buckets.ts), so no kind may send the whole connection's rate on its own.
 */
function peakRateLimit(ctx: DesignCtx, peak: { rate: number; evidence: string }, inbound: EventSpec[]): { valueMd: string; sourceMd: string } {
  const { connection, kinds } = rateBuckets(sentStreams(ctx), clientKinds(inbound), togetherOf(ctx));
  // Sends that travel with a stated kind (a cursor move per keystroke) add its rate once more.
  const riders = kinds.flatMap((k) => (k.basis.kind === 'with' ? [{ rider: k.event, with: k.basis.event, at: k.basis.at, rate: k.basis.stream.rate }] : []));
  const total = peak.rate + riders.reduce((a, r) => a + r.rate, 0);
  const several = sentStreams(ctx).length > 1 || riders.length > 0;
  const withMd =
    riders.length > 0 ? ` and the sends that go with them (${list(riders.map((r) => `${code(r.rider)} on every ${code(r.with)}, ${code(r.at)}`))})` : '';
  const rates = `${RATE_HEADROOM}× the per-user rate${several ? 's' : ''} the context states${withMd}, ${fmt(total)} msg/s${several ? ' together' : ''} (${code(peak.evidence)})`;
  const floor = total * RATE_HEADROOM < CONNECTION_FLOOR;
  const connectionBasis = floor
    ? `per connection, the ${fmt(CONNECTION_FLOOR)}/s floor, above ${rates}`
    : `per connection, ${rates}, at least ${fmt(CONNECTION_FLOOR)}/s`;
  const perKind = kinds.length > 1 || (kinds.length === 1 && kinds[0]!.basis.kind !== 'unstated');
  return {
    valueMd: `token bucket ${fmt(connection.rate)} messages/s, burst ${fmt(connection.burst)}, per connection for all client events together${perKind ? `, and inside it one bucket per client event kind: ${bucketsMd(kinds).join('; ')}` : ''}; ${overLimitMd(ctx, perKind ? kinds.filter((k) => k.basis.kind !== 'unstated').map((k) => k.event) : [])}`,
    sourceMd: `${connectionBasis}: a limit at that rate would refuse a user going a little past it or whose frames arrive bunched after a stall${perKind ? `; ${kindBasisMd(kinds).join('; ')}; one bucket per kind so that no kind sends the whole connection's rate (rt-plan default${ctx.cite.cite(['defaults'], 'rt-plan')})` : ` (rt-plan default${ctx.cite.cite(['defaults'], 'rt-plan')})`}; ${sharedSecretAt(ctx) ? 'per-IP limits (no per-user limit: the shared secret names no user)' : 'per-user and per-IP limits'}, TLS only and secrets as in rt-plan's baseline${ctx.cite.cite(['baseline-security'], 'rt-plan')}`,
  };
}

/**
 * The token bucket Security sets on each connection of ours that limits `event` (the same figures as
 * its row): the event kind's own bucket where it is smaller than the connection's (`event` then names
 * it), else the connection's; null where no bucket of ours limits a client's messages (a provider's
 * socket, a receive-only stream, a library's own rate rules, a paid generation limited by how many
 * run at once).
 */
export function connectionBucket(ctx: DesignCtx, event?: string): { rate: number; burst: number; event?: string } | null {
  const profile = profileOf(ctx);
  if (onSupabase(ctx) || profile.external || !runsOwnFleet(ctx) || profile.receiveOnly || replyOf(ctx)) return null;
  if (opsProfile(opsKind(ctx)).rateLimit) return null;
  if (statedSendPeak(ctx)) {
    // The sends that travel together count in the connection's rate whichever kind is asked about.
    const together = togetherOf(ctx);
    const paired = [...together].flatMap(([rider, ts]) => [rider, ...ts.map((t) => t.event)]);
    const { connection, kinds } = rateBuckets(sentStreams(ctx), [...new Set([...(event ? [event] : []), ...paired])], together);
    const own = event ? kinds.find((k) => k.event === event) : undefined;
    return own && own.rate < connection.rate ? { rate: own.rate, burst: own.burst, event: own.event } : connection;
  }
  const { rate } = modelledRate(ctx);
  return { rate, burst: rate * 2 };
}

/**
 * Without a stated per-user rate: 20× the modelled average per connection, at least the floor. The
 * average is rounded to 4 decimals, as the load test states the per-user rate: one number per plan.
 */
function modelledRate(ctx: DesignCtx): { avg: number; rate: number } {
  const avg = Math.round((ctx.capacity.values.msgRate / Math.max(1, ctx.capacity.values.connections)) * 10_000) / 10_000;
  return { avg, rate: Math.max(CONNECTION_FLOOR, Math.ceil(avg * 20)) };
}

/** Why the modelled bucket has its rate: 20× the modelled average, or the floor where that is below it or nothing. */
function modelledBasisMd(ctx: DesignCtx): string {
  const { avg } = modelledRate(ctx);
  // An average that rounds to 0 is not multiplied in words: the floor decides, and the plan says so.
  if (avg === 0)
    return `the ${fmt(CONNECTION_FLOOR)}/s floor: rt-plan reads no per-user send rate from the context, and the modelled average per connection is under 0.0001 msg/s, far below it`;
  if (avg * 20 < CONNECTION_FLOOR)
    return `the ${fmt(CONNECTION_FLOOR)}/s floor: rt-plan reads no per-user send rate from the context, and 20× the modelled ${fmt(avg)} msg/s per connection is below it`;
  return `20× the modelled ${fmt(avg)} msg/s per connection (rt-plan reads no per-user send rate from the context), at least ${fmt(CONNECTION_FLOOR)}/s`;
}

/**
 * What a client past the rate limit gets: the library's own messages where its protocol is the wire, else our `RATE_LIMITED`.
 * A kind the Core design may drop (typing: the next one supersedes it) is dropped over its own limit and never ends a
 * connection: a client that sends it on every keystroke would otherwise be disconnected for typing fast.
 */
function overLimitMd(ctx: DesignCtx, kinds: readonly string[] = []): string {
  const own = protocolTraits(ctx).operations?.overLimitMd;
  if (own) return own;
  const droppable = new Set(coreOf(ctx).objects.flatMap((o) => (o.decision.delivery === 'droppable' ? o.events.map((e) => e.name) : [])));
  const dropped = kinds.filter((k) => droppable.has(k));
  const dropMd =
    dropped.length > 0
      ? `; ${list(dropped.map((k) => code(k)))} over ${dropped.length === 1 ? 'its' : 'their'} own bucket ${dropped.length === 1 ? 'is' : 'are'} dropped without a reply and never ${dropped.length === 1 ? 'counts' : 'count'} as a violation (the next one supersedes a dropped one), so sending ${dropped.length === 1 ? 'it' : 'them'} fast never ends the connection`
      : '';
  return `over limit → ${code('RATE_LIMITED')}, 10 violations in a minute → disconnect${dropMd}`;
}
