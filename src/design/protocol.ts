// The event catalog: existing events first (kept, marked, with their evidence), then the
// scenarios' proposed events, then the protocol's own error/ack/heartbeat events. Payload
// types are rendered to TypeScript from the PayloadField lists, so the plan's types and
// the AsyncAPI schemas cannot drift apart.
import { profileOf } from './profiles/index.js';
import { protocolTraits } from './profiles/protocol.js';
import type { EventSpec, PayloadField, RtEvent, Transport } from '../types.js';
import type { DesignCtx } from './context.js';
import { ev, f, managedProvider } from './scenarios/kit.js';
import { stateVectors } from './scenarios/index.js';
import { roomNamingMd } from './security.js';
import { code, fenceSafe, list, pascal } from './md.js';
import { onSupabase, supabaseAckRules } from './connection-supabase.js';
import { coreOf } from './core/context.js';
import { projectStyle, styleOf, type NameStyle } from './core/names.js';
import { agentOnly, isVoiceProvider, VOICE } from './profiles/voice.js';
import { providersOf } from './scenarios/voice-providers.js';
import { idOf } from './scenarios/voice.js';
import { GAP_WAIT, gapRuleMd, orderingOf, recordOrdered } from './ordering.js';
import { recordRuleMd } from './record-version.js';
import { quoteOf, statedFraming } from './constraints.js';
import { tokenExpiryOf } from './connection.js';
import { onePerName } from './same-event.js';
import { rolesOf } from './scenarios/roles.js';
import { channelParts } from './rooms.js';

function coreStyle(ctx: DesignCtx): NameStyle {
  return coreOf(ctx).style;
}

const STYLE_SHAPE: Record<NameStyle, string> = { colon: 'domain:action', dot: 'domain.action', dash: 'domain-action', camel: 'actionDomain' };

/** y-protocols messages (collab editing): binary frames on the document endpoint, never JSON envelopes. */
const Y_PROTOCOL_MESSAGES: ReadonlySet<string> = new Set(['sync.step1', 'sync.step2', 'sync.update', 'awareness.update']);

export function isYProtocolMessage(e: Pick<EventSpec, 'name'>): boolean {
  return Y_PROTOCOL_MESSAGES.has(e.name);
}

const BASE_CODES = ['AUTH_FAILED', 'FORBIDDEN', 'INVALID_PAYLOAD', 'UNKNOWN_EVENT', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', 'VERSION_UNSUPPORTED', 'INTERNAL'];

export function defaultChannel(transport: Transport): string {
  return protocolTraits({ transport }).defaultChannel;
}

const INFERRED = /^inferred from (.+)$/;

/** The standard system events (error, ack, ping): typed once in the protocol note, not in every plan. */
export function isSys(e: Pick<EventSpec, 'name'>): boolean {
  return e.name.startsWith('sys:');
}

/** Distinct `file:line` places the analyzer read an event's payload fields from, in field order. */
export function inferredFrom(fields: readonly PayloadField[]): string[] {
  const out = new Set<string>();
  for (const p of fields) for (const at of INFERRED.exec(p.description ?? '')?.[1]?.split(', ') ?? []) out.add(at);
  return [...out];
}

/** `a.graphql:9, a.graphql:10, a.graphql:11` → `a.graphql:9-11`: consecutive lines of one file as one span. */
function spanOf(where: readonly string[]): string {
  const out: string[] = [];
  for (const w of where) {
    const m = /^(.*):(\d+)$/.exec(w);
    const last = out.length > 0 ? /^(.*):(\d+)(?:-(\d+))?$/.exec(out[out.length - 1]!) : null;
    if (m && last && last[1] === m[1] && Number(last[3] ?? last[2]) + 1 === Number(m[2])) out[out.length - 1] = `${last[1]}:${last[2]}-${m[2]}`;
    else out.push(w);
  }
  return out.join(', ');
}

/** An existing event's bare payload in words: "the bare string `roomId` (server.js:20)". */
export function bareMd(b: NonNullable<RtEvent['bare']>): string {
  const type = b.type === 'unknown' ? 'value' : b.type === 'integer' ? 'number' : b.type;
  const item = ARRAY_OF.exec(type)?.[1];
  if (item === 'unknown') return `an array${b.name ? ` ${code(b.name)}` : ''}, its items' type not shown by the code (${b.evidence})`;
  if (item) return `an array of ${code(item)}${b.name ? ` (${code(b.name)})` : ''} (${b.evidence})`;
  return `the bare ${code(type)}${b.name ? ` ${code(b.name)}` : ''} (${b.evidence})`;
}

/** `{ nickname: string }[]` or `(A | B)[]`: an array payload's element type. */
const ARRAY_OF = /^\(?(.+?)\)?\[\]$/;

/** The same in plain words, for the Notes cell (rendered as text). */
function bareWords(b: NonNullable<RtEvent['bare']>): string {
  if (ARRAY_OF.test(b.type)) return 'one array, not an object';
  if (b.type.startsWith('Record<')) return 'one map keyed by string, not an object with fixed fields';
  const type = b.type === 'unknown' ? 'value' : b.type === 'integer' ? 'number' : /^'/.test(b.type) ? 'string' : b.type;
  return `one bare ${type}, not an object`;
}

/** `{ agentId: unknown; content: string }` from the keys a body object lists, nested ones typed the same way. */
function objectType(fields: NonNullable<PayloadField['fields']>): string {
  return `{ ${fields.map((q) => `${q.name}: ${q.fields && q.fields.length > 0 ? objectType(q.fields) : q.type}`).join('; ')} }`;
}

/** Every site that shows the event lists all its keys, and none besides the event name (`{ type: 'pong' }`). */
const sendsNothing = (e: Pick<RtEvent, 'payload' | 'closed'>): boolean => !e.payload?.length && e.closed?.fields.length === 0;

function fromExisting(e: RtEvent, i: number, transport: Transport): EventSpec {
  const type = pascal(e.name);
  const inferred = e.payload && e.payload.length > 0 ? e.payload : null;
  const where = inferred ? inferredFrom(inferred) : [];
  // A payload the project declares is cited once, at its type; one that echoes another event's says which.
  const shown = e.echoes
    ? `; sends on ${e.echoes.event}'s payload unchanged`
    : inferred && e.graphql?.returns && e.graphql.schema
      ? `; payload: the schema's ${e.graphql.returns} (${e.graphql.schema}), fields from ${spanOf(where)}`
      : inferred && e.declaredType
        ? `; fields from the project's type ${e.declaredType.name} (${e.declaredType.evidence})`
        : inferred
          ? `; fields from ${where.filter((w) => w !== e.evidence).join(', ') || 'the same line'}`
          : e.bare
            ? e.bare.after?.length
              ? `; its first argument is ${bareWords(e.bare)}, and the handler takes ${list(e.bare.after)} after it${e.bare.ack ? `, then the ack callback ${e.bare.ack}` : ''}`
              : `; its payload is ${bareWords(e.bare)}${e.bare.ack ? `, and the handler's last parameter ${e.bare.ack} is the ack callback` : ''}`
            : sendsNothing(e)
              ? '; it carries nothing besides the event name'
              : '; payload not shown by the code';
  const spec: EventSpec = {
    ...e,
    summary: `${e.evidence ?? 'existing'}${shown}`,
    // The project's own type keeps its name: the plan extends it rather than declaring a parallel one.
    payloadType:
      e.declaredType && /^[A-Za-z_$][\w$]*$/.test(e.declaredType.name) ? e.declaredType.name : `${/^[A-Za-z]/.test(type) ? type : `Event${i + 1}`}Payload`,
    // A body object whose keys the code lists (`payload: { agentId }`) is typed by them, not as any record.
    payload: inferred
      ? inferred.map((p) => (p.fields && p.fields.length > 0 && p.type === 'Record<string, unknown>' ? { ...p, type: objectType(p.fields) } : { ...p }))
      : e.bare || sendsNothing(e)
        ? []
        : [f('data', 'unknown', 'shape not inferred from the code: type it when the handler is touched')],
    // A voice provider's own message travels on the provider connection, named as the catalog's proposed ones are.
    channel: e.namespace ?? e.room ?? (e.protocol && isVoiceProvider(e.protocol) ? VOICE[e.protocol].channel : defaultChannel(e.transport ?? transport)),
  };
  return spec;
}

function protocolEvents(ctx: DesignCtx, codes: string[], acks: boolean): EventSpec[] {
  // A managed provider holds the sockets (Supabase Realtime, Ably, Pusher, LiveKit…): there is no socket of ours to
  // send sys:* events on; errors are the SDK's channel and connection states and our routes' HTTP statuses.
  if (onSupabase(ctx) || profileOf(ctx).socketHost) return [];
  // A browser talking straight to a voice provider has no channel of ours to carry sys:* events: the
  // provider's protocol has its own errors, and the approval events stay between the page and its executor.
  if (ctx.providerDirect) return [];
  // A library protocol that runs the socket (graphql-ws) has its own error, ack and ping messages.
  if (protocolTraits(ctx).operations) return [];
  // A server product's channel protocol (Centrifugo) has its own replies, disconnect codes and pings.
  if (protocolTraits(ctx).channels) return [];
  // A provider protocol our server speaks (Pusher's) has its own error, subscribe reply and ping.
  if (protocolTraits(ctx).served) return [];
  const union = codes.map((c) => `'${c}'`).join(' | ');
  // System events travel where the app's events do: its one namespace when the server sets one.
  const spaces = [...new Set(ctx.input.analysis.events.map((e) => e.namespace).filter((n): n is string => typeof n === 'string'))];
  const ch = ctx.providerDirect ? 'app/actions' : spaces.length === 1 ? spaces[0]! : defaultChannel(ctx.transport);
  const out = [
    ev('sys:error', 'server-to-client', ch, 'Any rejected or failed message; the connection stays open unless the code says otherwise', 'SysErrorPayload', [
      f('code', union),
      f('message', 'string'),
      f('ref', 'string', 'id or event name of the message that failed', true),
    ]),
  ];
  // The token refresh Connection management describes travels on the socket: the catalog lists it.
  const refresh = tokenExpiryOf(ctx)?.refreshEvent;
  if (refresh)
    out.push(
      ev(
        refresh,
        'client-to-server',
        ch,
        'A fresh token for the open connection, sent before the old one expires',
        'AuthRefreshPayload',
        [f('token', 'string')],
        [f('ok', 'boolean'), f('expiresAt', 'integer', 'when the new token expires (ms since epoch)')],
      ),
    );
  const ownServer = !(ctx.scenarios.length === 1 && ctx.scenarios[0] === 'voice');
  const wire = protocolTraits(ctx);
  if (wire.needsAckEvent && ownServer) {
    // `sys:ack` only where some event of the catalog is acknowledged: with none, it would answer nothing.
    if (acks)
      out.push(
        ev('sys:ack', 'server-to-client', ch, 'Reply to a message that carried an id (acks over plain WebSocket)', 'SysAckPayload', [
          f('replyTo', 'string'),
          f('ok', 'boolean'),
          f('data', 'Record<string, unknown>', undefined, true),
        ]),
      );
    // A runtime with its own keep-alive (an auto-response that does not wake the object) needs no app-level ping event.
    if (wire.needsPingEvent && !profileOf(ctx).heartbeatRows) {
      out.push(
        ev('sys:ping', 'client-to-server', ch, 'Client liveness probe: browsers cannot send ping frames', 'SysPingPayload', [f('ts', 'integer')]),
        ev('sys:pong', 'server-to-client', ch, 'Answer to sys:ping', 'SysPongPayload', [f('ts', 'integer')]),
      );
    }
  }
  return out;
}

/**
 * Delivery fields a scenario may add to an existing event; its domain fields (room, text, author) are the project's own already.
 * The catch-up cursors are a seq of ours or the system of record's version (record-version.ts recordCursor: version, rev, revision).
 */
const ADDITIVE = /^(clientMsgId|mutationId|seq|afterSeq|sinceSeq|lastSeq|version|lastVersion|lastRev|lastRevision)$/;
const PROPOSED_FIELD = /^proposed\b/;
/** Delivery fields only the server assigns (at write): a client never sends them. */
const SERVER_SET: ReadonlySet<string> = new Set(['seq']);
const SERVER_SET_NOTE = 'set by the server on what it sends; a client never sends it';
const KEYS: ReadonlySet<string> = new Set(['mutationId', 'clientMsgId']);

/**
 * Where fields added to a bare payload go: the next argument, after every one the handler already
 * takes (`(port, options)`: after `options`), never into a slot in use; after a rest parameter no slot is free.
 * Socket.IO passes the ack callback last whatever the sender adds, so a field goes before it, and the
 * handler tells an old client's callback (now in the new slot) from the new argument by its type.
 */
function bareSlot(b: NonNullable<RtEvent['bare']>): string {
  const after = b.after ?? [];
  if (after.some((a) => a.startsWith('...')))
    return ` in one object under a new event name (the handler reads every argument after it as ${after.find((a) => a.startsWith('...'))}, so no slot is free), keeping this one for today's clients`;
  if (b.ack) {
    const signature = [b.name ?? 'value', ...after, 'opts', b.ack].join(', ');
    const where = after.length === 0 ? 'as a second argument' : `as one more argument after ${list(after)}`;
    return ` ${where}, before the ack callback ${code(b.ack)}, never after it (Socket.IO always passes the ack last, so a field sent after it would arrive in ${code(b.ack)}): the handler becomes ${code(`(${signature})`)} and, when ${code("typeof opts === 'function'")}, takes it as the ack of a client that still sends today's arguments`;
  }
  if (after.length === 0) return ' as a second argument after it';
  return ` as one more argument after ${list(after)}, never in ${after.length === 1 ? 'that slot' : 'those slots'}`;
}

/** An existing event the plan extends (new delivery fields or an ack), as opposed to one it keeps as it is. */
export function extended(e: EventSpec): boolean {
  return e.origin === 'existing' && (e.payload.some((p) => PROPOSED_FIELD.test(p.description ?? '')) || (e.ack?.length ?? 0) > 0);
}

/**
 * An existing event a scenario also proposes keeps its name, direction, channel, evidence and
 * observed fields; the scenario contributes only the delivery fields and the ack it needs.
 */
function extend(base: EventSpec, proposals: readonly EventSpec[], extraArgs: boolean, bareGrowsMd?: string): EventSpec {
  const have = new Set(base.payload.map((p) => p.name));
  const observed = base.payload.filter((p) => p.type !== 'unknown' || p.name !== 'data' || base.payload.length > 1 || INFERRED.test(p.description ?? ''));
  // A bare payload (a room id) stays what it is: added fields ride in one more argument where the wire has
  // arguments (Socket.IO), and nowhere otherwise: wrapping it in an object would break every client sending it today.
  const bareOnly = base.bare !== undefined && !extraArgs && !bareGrowsMd;
  // On an event both sides send, a field only the server's proposal carries (the seq it assigns at write)
  // is on what the server sends, never on what a client sends: optional in the shared type, and said so.
  const clientSends = (name: string) => proposals.some((e) => e.direction !== 'server-to-client' && e.payload.some((q) => q.name === name));
  const serverOnly = (name: string) => base.direction === 'both' && SERVER_SET.has(name) && !clientSends(name);
  const added = proposals
    .flatMap((e) => e.payload)
    .filter((p, i, all) => !bareOnly && ADDITIVE.test(p.name) && !have.has(p.name) && all.findIndex((o) => o.name === p.name) === i)
    .map((p) =>
      serverOnly(p.name)
        ? { ...p, optional: true, description: `proposed: ${SERVER_SET_NOTE}` }
        : { ...p, description: `proposed${p.description ? `: ${p.description}` : ''}` },
    );
  const ack = proposals.find((e) => e.ack && e.ack.length > 0)?.ack;
  // Two scenarios extending one event (state sync's mutationId, chat's clientMsgId) need one idempotency key: the one its ack echoes.
  const key = ack?.find((p) => KEYS.has(p.name))?.name ?? added.find((p) => KEYS.has(p.name))?.name;
  const addedOnce = added.filter((p) => !KEYS.has(p.name) || p.name === key);
  if (addedOnce.length === 0 && !ack) return base;
  const grows = base.bare && bareGrowsMd && addedOnce.length > 0 ? bareGrowsMd : undefined;
  const fields =
    addedOnce.length > 0
      ? grows
        ? `accept an object with ${list([base.bare!.name ?? 'value', ...addedOnce.map((p) => p.name)])} beside today's bare value (${grows})`
        : `add ${list(addedOnce.map((p) => p.name))}${base.bare ? bareSlot(base.bare) : ''}`
      : '';
  const what = ack ? (fields ? `${fields}, and an ack` : 'add an ack') : fields;
  // A join (or its leave) the code sends on no channel of its own (`note:join` on the socket) names the
  // scope the proposal names: it travels there, so that channel's rule covers it (Security).
  const wire = protocolTraits({ transport: base.transport ?? 'websocket' });
  const into =
    rolesOf(base.name, base.direction).some((r) => r === 'join' || r === 'leave') && base.channel === wire.defaultChannel && !wire.namespaceDefault
      ? proposals.find((p) => channelParts(p.channel) !== null)?.channel
      : undefined;
  const out: EventSpec = {
    ...base,
    ...(into ? { channel: into } : {}),
    payload: [...observed, ...addedOnce],
    summary: `${base.summary}; keep it, ${what}`,
    ...(grows ? { bareGrows: grows } : {}),
  };
  if (ack) out.ack = ack.map((p) => ({ ...p }));
  return out;
}

export function buildCatalog(ctx: DesignCtx, proposed: EventSpec[], codes: string[]): EventSpec[] {
  const byName = new Map<string, EventSpec[]>();
  for (const e of proposed) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  // The same event read on the client and on the server is one catalog row: the server side knows
  // the namespace (a Nest gateway's `namespace: '/support'`) and the payload it emits, which the client's row may not.
  const once = onePerName(ctx.input.analysis.events);
  const existing = once.map((e, i) => {
    const base = fromExisting(e, i, ctx.transport);
    const match = byName.get(e.name);
    // Provider-protocol events and y-protocols messages are the provider's or the library's: typed as the scenario knows them.
    // A provider message whose fields the code shows keeps them and its evidence; one read without them
    // (`msg.toolCall?.functionCalls`) is typed by the provider's schema, still cited where the code reads it.
    if (match && e.protocol !== undefined && ((e.payload?.length ?? 0) > 0 || e.bare)) return base;
    if (match && e.protocol !== undefined)
      return {
        ...match[0]!,
        origin: 'existing' as const,
        evidence: e.evidence,
        direction: e.direction,
        summary: `${e.evidence ?? 'existing'}; payload as the provider documents it (${match[0]!.payload.map((p) => (p.description ? `${p.name} (${p.description})` : p.name)).join('; ')})`,
      };
    if (match && match.some(isYProtocolMessage)) return { ...match[0]!, origin: 'existing' as const, evidence: e.evidence, direction: e.direction };
    if (!match) return base;
    const grown = extend(base, match, protocolTraits(ctx).extraArgs, protocolTraits(ctx).bareGrowsMd);
    // An ack the handler's `{ event, data }` return would swallow: the row says the return changes (ackRules says why).
    return returnedAcks(ctx, [grown]).length > 0
      ? { ...grown, summary: `${grown.summary} (its handler returns the ack value, not \`{ event, data }\`)` }
      : grown;
  });
  const seen = new Set(existing.map((e) => e.name));
  const out = renamedSends(ctx, existing);
  // A document endpoint carrying only y-protocols frames has no JSON channel for sys:error: it signals with close codes.
  const docOnly = !protocolTraits(ctx).namedEvents && [...existing, ...proposed].every(isYProtocolMessage);
  const acks = [...existing, ...proposed].some((e) => e.ack && e.ack.length > 0 && e.protocol === undefined && !isYProtocolMessage(e));
  for (const e of [...proposed, ...(docOnly ? [] : protocolEvents(ctx, [...BASE_CODES, ...codes], acks))]) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    out.push({ ...e, transport: e.transport ?? ctx.transport });
  }
  return out;
}

/** A client-to-server event the server handles and no client code sends (its `event-name-mismatch` finding at the handler). */
export function unsentByClients(ctx: Pick<DesignCtx, 'input'>, e: { name: string; evidence?: string | null }): boolean {
  return ctx.input.analysis.findings.some(
    (f) =>
      f.id === 'event-name-mismatch' && f.evidence === e.evidence && f.message.includes(`handles '${e.name}'`) && f.message.includes('no client code sends it'),
  );
}

/**
 * A client send no handler hears and a handler no client sends, with the same payload fields
 * (`sendMessage` from the client, `chatMessage` on the server, both `{ roomId, text }`), are one
 * message under two names (the `event-name-mismatch` findings): the client's row says to send it
 * under the handler's name, which carries what the plan adds.
 */
function renamedSends(ctx: DesignCtx, rows: EventSpec[]): EventSpec[] {
  const findings = ctx.input.analysis.findings.filter((f) => f.id === 'event-name-mismatch');
  const unheard = (e: EventSpec) => findings.some((f) => f.evidence === e.evidence && f.message.includes(`sends '${e.name}'`));
  const unsent = (e: EventSpec) => findings.some((f) => f.evidence === e.evidence && f.message.includes(`handles '${e.name}'`));
  const fields = (e: EventSpec) =>
    e.payload
      .filter((p) => !PROPOSED_FIELD.test(p.description ?? ''))
      .map((p) => p.name)
      .sort()
      .join(',');
  const handlers = rows.filter((e) => e.origin === 'existing' && e.direction === 'client-to-server' && unsent(e));
  return rows.map((e) => {
    if (e.origin !== 'existing' || e.direction !== 'client-to-server' || !unheard(e) || fields(e) === '') return e;
    const same = handlers.filter((h) => h.name !== e.name && fields(h) === fields(e));
    if (same.length !== 1) return e;
    const h = same[0]!;
    return {
      ...e,
      summary: `${e.summary}; no server handler listens for it, and the ${h.name} handler (${h.evidence}) takes the same fields: send it as ${h.name}, which carries what this plan adds (the fix of event-name-mismatch)`,
    };
  });
}

function tsField(p: PayloadField): string {
  const name = /^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name);
  const type = p.type === 'integer' ? 'number' : p.type;
  // The seq rule is stated once in the conventions: a seq field says only that it is proposed.
  const said = p.name === 'seq' && !p.description?.endsWith(SERVER_SET_NOTE) ? (PROPOSED_FIELD.test(p.description ?? '') ? 'proposed' : '') : p.description;
  const doc = said ? ` // ${said.replace(/\s+/g, ' ')}` : '';
  return `  ${name}${p.optional ? '?' : ''}: ${type};${doc}`;
}

/** An existing event whose payload the code shows only as names (or not at all): a table row says all there is. */
export function untyped(e: EventSpec): boolean {
  return e.origin === 'existing' && e.payload.every((p) => p.type === 'unknown');
}

/** A payload of one or two typed fields reads best inline (table and event maps); an interface would be five lines for it. */
function small(e: EventSpec): boolean {
  return !untyped(e) && !extended(e) && e.payload.length <= 2 && e.payload.every((p) => p.type !== 'unknown');
}

const propName = (n: string) => (/^[A-Za-z_$][\w$]*$/.test(n) ? n : JSON.stringify(n));
const inlineType = (fields: PayloadField[]) =>
  `{ ${fields.map((p) => `${propName(p.name)}${p.optional ? '?' : ''}: ${p.type === 'integer' ? 'number' : p.type}`).join('; ')} }`;

/** The Payload cell: the type name, or the bare field names of an untyped existing event. */
export function payloadCell(e: EventSpec): string {
  // Clients send something else than the object the server sends: each direction as the code has it.
  if (e.sent && e.origin === 'existing' && e.direction === 'both' && e.payload.length > 0) {
    const { sent, ...rest } = e;
    return `client → server: ${sent.bare ? bareMd(sent.bare) : `nothing but the event (${sent.evidence})`}; server → client: ${payloadCell(rest)}`;
  }
  // A bare payload stays one: the row shows it as the code sends it, and any added fields as the next argument.
  if (e.bare && e.bareGrows && e.payload.length > 0)
    return `${bareMd(e.bare)} today, or ${code(inlineType([{ name: e.bare.name ?? 'value', type: e.bare.type }, ...e.payload]))}`;
  if (e.bare) {
    // The arguments the handler already takes after it keep their slots: the added fields come after them.
    const later = (e.bare.after ?? []).map((a) => `, then ${code(a)}`).join('');
    // The ack callback stays last: added fields come before it.
    const ack = e.bare.ack ? `, then the ack callback ${code(e.bare.ack)}` : '';
    return e.payload.length > 0 ? `${bareMd(e.bare)}${later}, then ${code(inlineType(e.payload))}${ack}` : bareMd(e.bare);
  }
  if (e.origin === 'existing' && sendsNothing(e)) return 'none besides the event name';
  if (extended(e) && !e.payload.some((p) => !PROPOSED_FIELD.test(p.description ?? '')))
    return e.payload.length > 0 ? `as today (not shown by the code) + ${code(inlineType(e.payload))}` : 'as today (not shown by the code)';
  // A proposed event's payload is typed inline in its row: no interface block repeats it below the table.
  // So is an existing event kept as it is: renderTypes writes interfaces only for the events this plan extends.
  if (small(e) || (e.origin === 'proposed' && !untyped(e)) || (e.origin === 'existing' && !extended(e) && !untyped(e))) return code(inlineType(e.payload));
  if (!untyped(e)) return code(e.payloadType);
  const names = e.payload.filter((p) => p.name !== 'data' || e.payload.length > 1).map((p) => p.name);
  return names.length > 0 ? code(`{ ${names.join(', ')} }`) : 'not shown by the code';
}

export function renderTypes(all: EventSpec[], _transport: Transport): string {
  // The standard sys:* events are typed once, in the protocol note the conventions cite; an existing event kept as it is has nothing to type.
  // Only the project's own events this plan extends get an interface; proposed events are typed inline in their rows.
  const events = all.filter((e) => !isSys(e) && extended(e));
  const blocks: string[] = [];
  const done = new Set<string>();
  for (const e of events) {
    // One- or two-field payloads are typed inline in their rows, and so is an extension of a payload the
    // code does not show (the row says "as today + { … }"): an interface would repeat the row.
    if (untyped(e) || small(e) || e.payload.every((p) => PROPOSED_FIELD.test(p.description ?? ''))) continue;
    if (done.has(e.payloadType)) continue;
    done.add(e.payloadType);
    // Fields read from one place cite it once, on the interface; otherwise each field cites its own.
    // Proposed additions to an existing event say so on their own line; the observed fields keep their sources.
    const observed = e.payload.filter((p) => !PROPOSED_FIELD.test(p.description ?? ''));
    const where = e.origin === 'existing' ? inferredFrom(observed) : [];
    const own = e.origin === 'existing' ? e.declaredType : undefined;
    const shared = (where.length === 1 || own !== undefined) && observed.length > 0 && observed.every((p) => INFERRED.test(p.description ?? ''));
    const fields = shared ? e.payload.map((p) => (INFERRED.test(p.description ?? '') ? (({ description: _d, ...rest }) => rest)(p) : p)) : e.payload;
    // The project's own interface: the plan adds the proposed fields to it where it is declared.
    const note =
      own && shared ? `; the project's own type at ${own.evidence}: add the proposed fields there` : shared ? `; inferred from ${where[0] as string}` : '';
    const today =
      extended(e) && e.payload.every((p) => PROPOSED_FIELD.test(p.description ?? '')) ? '  // the fields it sends today: not shown by the code\n' : '';
    const origin = extended(e) ? 'existing, extended' : e.origin;
    blocks.push(`/** ${e.name} (${e.direction}, ${origin})${note} */\nexport interface ${e.payloadType} {\n${today}${fields.map(tsField).join('\n')}\n}`);
  }
  return fenceSafe(blocks.join('\n'));
}

/** Codes this plan's scenarios add to the standard sys:error set. */
function addedCodes(events: readonly EventSpec[]): string[] {
  const union = events.find((e) => e.name === 'sys:error')?.payload.find((p) => p.name === 'code')?.type ?? '';
  return [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!).filter((c) => !BASE_CODES.includes(c));
}

/**
 * One line for the standard system events: which of them this transport lacks and so gets, and
 * the codes this plan adds; their shapes and the envelope are in the protocol note, cited.
 */
function systemEventsMd(ctx: DesignCtx, events: readonly EventSpec[]): string | null {
  const sys = events.filter(isSys).map((e) => e.name);
  const builtIn = protocolTraits(ctx).builtInMd;
  // A provider's wire carries no system event of ours: what it brings itself is the whole line.
  if (sys.length === 0) return builtIn && protocolTraits(ctx).provider ? `${builtIn.charAt(0).toUpperCase()}${builtIn.slice(1)}.` : null;
  const note = ctx.cite.cite(['protocol-conventions'], 'rt-plan');
  const codes = addedCodes(events);
  const own = codes.length > 0 ? ` plus ${list(codes.map((c) => code(c)))} for this plan's events` : '';
  const added = list(sys.map((n) => code(n)));
  return `Standard events${note}: ${added}, with the standard error codes${own}${builtIn ? `; ${builtIn}` : ''}.`;
}

export function conventions(ctx: DesignCtx, events: EventSpec[]): string[] {
  // A provider's protocol events are the provider's, and a provider SDK's own API (Ably presence, Supabase
  // Postgres Changes) is labelled by rt-plan: neither sets the project's count of events nor its naming style.
  const existing = events.filter((e) => e.origin === 'existing' && e.protocol === undefined && e.sdk === undefined);
  const offConvention = existing.filter((e) => !/^[a-z][a-z0-9-]*:[a-z][a-z0-9.-]*$/.test(e.name));
  const yjs = events.filter(isYProtocolMessage);
  const json = events.filter((e) => !isYProtocolMessage(e));
  const out: string[] = [];
  if (json.length > 0 || yjs.length === 0) {
    const style =
      existing.length === events.filter((e) => e.origin === 'existing' && e.sdk === undefined).length
        ? coreStyle(ctx)
        : projectStyle(existing.map((e) => e.name));
    const fresh = events.filter((e) => e.origin === 'proposed' && !isSys(e) && e.protocol === undefined && styleOf(e.name) === style);
    const kept = `The ${existing.length} existing event${existing.length === 1 ? ' keeps its name' : 's keep their names'} (${list(existing.slice(0, 3).map((e) => code(e.name)))}${existing.length > 3 ? ', …' : ''})`;
    const example = fresh[0] ? ` (${code(fresh[0].name)})` : '';
    // A plan that proposes no event of its own has no new names to style, and nothing to alias the old ones against.
    const proposesNone = !events.some((e) => e.origin === 'proposed' && !isSys(e) && e.protocol === undefined);
    const sdk = events.filter((e) => e.sdk !== undefined);
    // The standard events the plan adds (`sys:error`, `sys:ack`) are events of its own too: name them.
    const sysAdded = events.filter((e) => e.origin === 'proposed' && isSys(e));
    // On a channel server's wire a publication carries no event name: the channel is what a client follows.
    if (!protocolTraits(ctx).channels && !protocolTraits(ctx).served)
      out.push(
        existing.length > 0 && proposesNone
          ? `${kept}; this plan adds no event of its own${sysAdded.length > 0 ? ` beyond the standard ${list(sysAdded.map((e) => code(e.name)))} below` : ''}.`
          : existing.length === 0 && proposesNone
            ? // Only the provider's messages: no name of ours to style.
              `The project has no events of its own${events.some((e) => e.origin === 'existing') ? " (only the provider's)" : ''}, and this plan adds none${sysAdded.length > 0 ? ` beyond the standard ${list(sysAdded.map((e) => code(e.name)))} below` : ''}: every message keeps the name its protocol gives it.`
            : existing.length === 0
              ? `The project has no events ${events.some((e) => e.origin === 'existing') ? "of its own (only the provider's) " : ''}yet: names are ${code('domain:action')} in lower case from the start${example}.`
              : style === 'colon'
                ? `${kept}; new ones follow the same ${code('domain:action')} style${example}${offConvention.length > 0 ? `; ${list(offConvention.map((e) => code(e.name)))} ${offConvention.length === 1 ? 'predates it: alias it' : 'predate it: alias them'} only when ${offConvention.length === 1 ? 'its handler changes' : 'their handlers change'}` : ''}.`
                : `${kept}; new ones follow the same ${code(STYLE_SHAPE[style])} style${example}.`,
      );
    if (sdk.length > 0)
      out.push(
        `${list(sdk.map((e) => code(e.name)))} ${sdk.length === 1 ? 'is' : 'are'} rt-plan's label${sdk.length === 1 ? '' : 's'} for the provider SDK's own API (${list(sdk.map((e) => code(e.sdk!)))}), not event names the project chose: ${sdk.length === 1 ? 'it keeps' : 'they keep'} that API and set${sdk.length === 1 ? 's' : ''} no naming style.`,
      );
    const framing = protocolTraits(ctx).namedEvents ? undefined : statedFraming(ctx);
    if (framing)
      out.push(
        `Every frame keeps the framing the context requires, ${quoteOf(framing.req)}: the event name in ${code(framing.nameKey)}, the payload in ${code(framing.dataKey)}; every field this plan adds to a message goes inside ${code(framing.dataKey)}, never beside it.`,
      );
    const sysLine = systemEventsMd(ctx, events);
    if (sysLine) out.push(sysLine);
    const operations = protocolTraits(ctx).operations;
    if (operations) out.push(operations.conventionMd);
    const channels = protocolTraits(ctx).channels;
    if (channels) out.push(channels.conventionMd);
    const served = protocolTraits(ctx).served;
    if (served) out.push(served.conventionMd);
    // The seq rule, once for every event that carries one (never per field or per event). The server
    // assigns seq to what it sends: a client → server event (its `lastSeq`, or the seq its ack returns)
    // is not a sequenced stream, so only the server → client events whose payload has `seq` are named.
    const seqd = json.filter((e) => e.protocol === undefined && e.direction !== 'client-to-server' && e.payload.some((p) => p.name === 'seq'));
    // A stream ordered by its log's ids (State synchronization says so) has no consecutive seq.
    if (seqd.length > 0 && orderingOf(ctx).by === 'server-seq')
      out.push(
        `${code('seq')} (on ${list(seqd.map((e) => code(e.name)))}) comes from one writer per channel, assigned at write${managedProvider(ctx.input)?.seqMd ? ` by ${managedProvider(ctx.input)!.seqMd}` : ''}: clients ${gapRuleMd('seq', 'asking for a resync')}.`,
        ...senderSeqGapMd(ctx, seqd),
      );
    // The system of record's version orders the events instead (ordering.ts 'record-version'): its rule, once.
    const record = recordOrdered(ctx);
    if (record) out.push(recordRuleMd(record));
  }
  if (yjs.length > 0) {
    const how = protocolTraits(ctx).yjsHowMd;
    out.push(
      `${list(yjs.map((e) => code(e.name)))} are y-protocols messages (sync and awareness), named here after their message types: they travel as ${how}, encoded by ${code('y-protocols')} (lib0), never in a JSON envelope and never renamed; ${code('yjs')} and ${code('y-protocols')} versions move together on client and server.`,
    );
  }
  // A provider's protocol (OpenAI Realtime, Gemini Live, LiveKit) is marked on its events, found in the code or proposed by a scenario.
  const provider = events.filter((e) => e.protocol !== undefined);
  if (provider.length > 0)
    out.push(
      `Provider events (${list(provider.map((e) => code(e.name)))}) keep the provider's own names and schemas; they travel on the provider connection, not on ours.`,
    );
  const docErrors = yjs.length > 0 && !protocolTraits(ctx).namedEvents;
  if (docErrors)
    out.push(
      `The document channel has no error message (y-protocols defines none): the server refuses the upgrade with 401 or 403, drops a malformed or unauthorized message, and closes the socket with 1008 (policy), 1009 (too big) or 1011 (internal) when it must.`,
    );
  return out;
}

/** The handlers of acked events that answer with `{ event, data }` today (Nest's WsResponse), where the framework says what that does. */
export function returnedAcks(ctx: DesignCtx, acked: EventSpec[]): { event: EventSpec; returned: string; evidence: string }[] {
  if (!protocolTraits(ctx).returnedAckMd) return [];
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'ws-response-return');
  return acked.flatMap((e) => {
    const f = facts.find((x) => x.name === e.name);
    return f ? [{ event: e, returned: f.value ?? '', evidence: f.evidence }] : [];
  });
}

function returnedAckRules(ctx: DesignCtx, acked: EventSpec[]): string[] {
  const md = protocolTraits(ctx).returnedAckMd;
  if (!md) return [];
  return returnedAcks(ctx, acked).map((r) =>
    md({ handled: r.event.name, returned: r.returned, evidence: r.evidence, ack: `{ ${(r.event.ack ?? []).map((p) => p.name).join(', ')} }` }),
  );
}

export function ackRules(ctx: DesignCtx, events: EventSpec[]): string[] {
  // An ack on an existing event is one this plan adds (extend); y-protocols and provider protocols define their own replies.
  const acked = events.filter((e) => e.ack && e.ack.length > 0 && !isYProtocolMessage(e) && e.protocol === undefined);
  const how = protocolTraits(ctx).ackHowMd;
  if (stateVectors(ctx)) {
    // y-protocols has no acks: a repeated or lost update is repaired by the next state-vector exchange.
    return [
      'Acknowledged: none. The document channel has no acks and no idempotency keys: applying a Yjs update twice changes nothing, and an update lost in a drop is resent in the state-vector exchange on reconnect.',
      'Awareness updates are never acked or retried: they are superseded by the next one and time out after 30 s.',
    ];
  }
  if (onSupabase(ctx)) return supabaseAckRules(acked.map((e) => e.name));
  const operations = protocolTraits(ctx).operations;
  if (operations)
    return [
      `Acknowledged: nothing of ours. ${operations.label} answers ${code('connection_init')} with ${code('connection_ack')}, a subscription's results arrive as ${code('next')} messages for its operation id, and a client action is ${operations.actionMd}.`,
    ];
  const channels = protocolTraits(ctx).channels;
  if (channels)
    return [
      `Acknowledged: nothing of ours. ${channels.label} answers each subscribe command itself (saying whether it recovered what the client missed), and our publish is acknowledged by the HTTP response of ${channels.label}'s server API: a publish that fails there is retried by our server, not by the client.`,
    ];
  if (ctx.providerDirect && acked.length > 0)
    return [
      `Acknowledged: ${list(acked.map((e) => code(e.name)))}, answered once per ${code('callId')} with the call's final status by ${agentOnly(providersOf(ctx)) ? 'the agent worker that runs the tool' : "the page's tool executor"}; a repeated decision for the same ${code('callId')} gets the first result, never a second apply.`,
    ];
  // Only Socket.IO has server-side rooms to name; other transports' channels are described with their scenario.
  const rooms = protocolTraits(ctx).namedEvents && !ctx.providerDirect && !managedProvider(ctx.input) ? [roomNamingMd(ctx, events)] : [];
  const keys = [...new Set(acked.flatMap((e) => e.payload.map((p) => p.name).filter((n) => /^(clientMsgId|mutationId|requestId|callId)$/.test(n))))];
  const droppable = coreOf(ctx).objects.filter((o) => o.decision.delivery === 'droppable' && o.events.length > 0);
  const inbound = events.some((e) => e.direction !== 'server-to-client' && !isYProtocolMessage(e) && e.protocol === undefined);
  if (ctx.providerDirect && acked.length === 0 && events.length > 0 && events.every((e) => e.protocol !== undefined))
    return [
      `Acknowledged: nothing of ours. Every event here is the provider's, and its protocol pairs them itself: each tool call is answered by its result message carrying the same ${code(idOf(ctx))}.`,
    ];
  return [
    acked.length === 0 && !inbound
      ? 'Acknowledged: none; clients send nothing on this channel, so there is nothing to acknowledge.'
      : `Acknowledged: ${acked.length > 0 ? `${list(acked.map((e) => code(e.name)))}; acks travel as ${how}` : 'none'}.${keys.length > 0 ? ` A retry after an ack timeout reuses its ${list(keys.map((k) => code(k)))}, so the server answers a duplicate with the original result.` : ''}`,
    ...returnedAckRules(ctx, acked),
    ...oncePerRules(ctx, events),
    ...(droppable.length > 0
      ? [
          `Never acked or retried: ${list(droppable.flatMap((o) => o.events.map((e) => code(e.name))))} (superseded by the next one${droppable
            .filter((o) => o.notSuperseded)
            .map((o) =>
              o.notSuperseded!.readAt
                ? `; ${list(o.events.map((e) => code(e.name)))} is not sent at all once ${code(o.notSuperseded!.id)} is fixed, since each client counts for itself`
                : `; ${list(o.events.map((e) => code(e.name)))} only once ${code(o.notSuperseded!.id)} is fixed`,
            )
            .join('')}).`,
        ]
      : []),
    ...rooms,
  ];
}

/**
 * A sequenced event the code sends to everyone but its sender (model fact `sender-excluded`): the
 * sender never receives the seq of its own change, so without taking it from its ack the next
 * message looks like a gap, and the sender waits and resyncs after each change it makes.
 */
function senderSeqGapMd(ctx: DesignCtx, seqd: readonly { name: string }[]): string[] {
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'sender-excluded' && seqd.some((e) => e.name === f.name));
  const first = facts[0];
  if (!first) return [];
  // A handler that also returns the event as `{ event, data }` sends it back to its sender today (ws-response-return);
  // the plan replaces that return with the ack (returnedAckMd), and only from then is the sender left out.
  const returned = protocolTraits(ctx).returnedAckMd
    ? (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'ws-response-return' && facts.some((x) => x.name === f.value))
    : undefined;
  const sent = `${list(facts.map((f) => code(f.name)))} ${facts.length === 1 ? 'is' : 'are'} sent with ${code(first.value ?? '')} (${code(first.evidence)}), which leaves the sender's own connection out`;
  const rest = `so its client takes that ${code('seq')} from the ack and applies its own change at it, as if delivered; otherwise each change it makes looks like a gap to the next message, and it waits ${GAP_WAIT.seconds} s and resyncs every time.`;
  if (returned)
    return [
      `${sent}. Today the sender still receives its own ${code(returned.value ?? '')}, because the ${code(returned.name)} handler also returns it as ${code('{ event, data }')} (${code(returned.evidence)}); this plan replaces that return with the ack (below), and from then on the sender never receives the ${code('seq')} of its own change, ${rest}`,
    ];
  return [`${sent}: the sender never receives the ${code('seq')} of its own change, ${rest}`];
}

/**
 * A submission (one per user, or per user per something the context names) keeps the first the
 * server receives: a second one, under any idempotency key, is acked with the stored result and
 * never overwrites it; the key only makes a retry of the same one safe.
 */
function oncePerRules(ctx: DesignCtx, events: EventSpec[]): string[] {
  const inbound = new Set(events.filter((e) => e.direction !== 'server-to-client').map((e) => e.name));
  return coreOf(ctx)
    .objects.filter((o) => o.decision.conflict === 'once-per-user')
    .flatMap((o) => {
      const sent = o.events.filter((e) => inbound.has(e.name)).map((e) => code(e.name));
      if (sent.length === 0) return [];
      const by = o.oncePer?.by ?? 'user';
      const key = o.oncePer?.per ? `(${by}, ${o.oncePer.per})` : by;
      return [
        `${list(sent)}: one ${o.name} per ${key}; the server keeps the first it receives and answers a second one for the same ${key}, whatever its idempotency key, with the stored result: it is refused, never written over the first.`,
      ];
    });
}

/** The catalog table's rows. */
export function catalogRows(events: EventSpec[], peerLabel?: string): NonNullable<import('./types.js').Plan['protocol']['rows']> {
  return events
    .filter((e) => !isSys(e))
    .map((e) => ({
      name: e.name,
      direction: e.direction,
      // Clients publish to each other through the provider (LiveKit data messages): no server of ours receives it.
      ...(peerLabel && e.direction === 'client-to-server' && !e.overHttp
        ? { directionMd: `client → the room's other participants, through ${peerLabel}` }
        : {}),
      origin: e.origin,
      payloadMd: payloadCell(e),
      ackMd: e.ack && e.ack.length > 0 ? code(`{ ${e.ack.map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ')} }`) : '—',
      channel: e.channel,
      summary: e.summary,
    }));
}

/** At most two flows: the primary scenario's first, then the next scenario's first (or the primary's second). */
export function keyFlows<T>(perModule: T[][]): T[] {
  const firsts = perModule.flatMap((fs) => fs.slice(0, 1));
  const seconds = perModule.flatMap((fs) => fs.slice(1));
  return [...firsts, ...seconds].slice(0, 2);
}
