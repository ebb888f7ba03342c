// The event catalog: existing events first (kept, marked, with their evidence), then the
// scenarios' proposed events, then the protocol's own error/ack/heartbeat events. Payload
// types are rendered to TypeScript from the PayloadField lists, so the plan's types and
// the AsyncAPI schemas cannot drift apart.
import { profileOf } from './profiles/index.js';
import type { EventSpec, PayloadField, RtEvent, Transport } from '../types.js';
import type { DesignCtx } from './context.js';
import { ev, f, managedProvider } from './scenarios/kit.js';
import { seqless } from './scenarios/index.js';
import { roomNamingMd } from './security.js';
import { code, fenceSafe, list, pascal } from './md.js';
import { onSupabase, supabaseAckRules } from './connection-supabase.js';
import { coreOf } from './core/context.js';

function coreStyle(ctx: DesignCtx): string {
  return coreOf(ctx).style;
}

/** y-protocols messages (collab editing): binary frames on the document endpoint, never JSON envelopes. */
const Y_PROTOCOL_MESSAGES: ReadonlySet<string> = new Set(['sync.step1', 'sync.step2', 'sync.update', 'awareness.update']);

export function isYProtocolMessage(e: Pick<EventSpec, 'name'>): boolean {
  return Y_PROTOCOL_MESSAGES.has(e.name);
}

const BASE_CODES = ['AUTH_FAILED', 'FORBIDDEN', 'INVALID_PAYLOAD', 'UNKNOWN_EVENT', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', 'VERSION_UNSUPPORTED', 'INTERNAL'];

export function defaultChannel(transport: Transport): string {
  return transport === 'socket.io' ? '/' : transport === 'sse' ? 'stream' : transport === 'webrtc' ? 'data-channel' : 'ws';
}

const INFERRED = /^inferred from (.+)$/;

/** Distinct `file:line` places the analyzer read an event's payload fields from, in field order. */
export function inferredFrom(fields: readonly PayloadField[]): string[] {
  const out = new Set<string>();
  for (const p of fields) for (const at of INFERRED.exec(p.description ?? '')?.[1]?.split(', ') ?? []) out.add(at);
  return [...out];
}

function fromExisting(e: RtEvent, i: number, transport: Transport): EventSpec {
  const type = pascal(e.name);
  const inferred = e.payload && e.payload.length > 0 ? e.payload : null;
  const where = inferred ? inferredFrom(inferred) : [];
  const spec: EventSpec = {
    ...e,
    summary: `${e.evidence ?? 'existing'}${inferred ? `; fields from ${where.filter((w) => w !== e.evidence).join(', ') || 'the same line'}` : '; payload not shown by the code'}`,
    payloadType: `${/^[A-Za-z]/.test(type) ? type : `Event${i + 1}`}Payload`,
    payload: inferred ? inferred.map((p) => ({ ...p })) : [f('data', 'unknown', 'shape not inferred from the code: type it when the handler is touched')],
    channel: e.namespace ?? e.room ?? defaultChannel(e.transport ?? transport),
  };
  return spec;
}

function protocolEvents(ctx: DesignCtx, codes: string[]): EventSpec[] {
  // Supabase Realtime has no server of ours to send sys:* events: errors are channel states and write errors.
  if (onSupabase(ctx)) return [];
  const union = codes.map((c) => `'${c}'`).join(' | ');
  const ch = ctx.providerDirect ? 'app/actions' : defaultChannel(ctx.transport);
  const out = [
    ev('sys:error', 'server-to-client', ch, 'Any rejected or failed message; the connection stays open unless the code says otherwise', 'SysErrorPayload', [
      f('code', union),
      f('message', 'string'),
      f('ref', 'string', 'id or event name of the message that failed', true),
    ]),
  ];
  const ownServer = !(ctx.scenarios.length === 1 && ctx.scenarios[0] === 'voice');
  if (ctx.transport === 'websocket' && ownServer && ctx.library !== 'y-websocket') {
    out.push(
      ev('sys:ack', 'server-to-client', ch, 'Reply to a message that carried an id (acks over plain WebSocket)', 'SysAckPayload', [
        f('replyTo', 'string'),
        f('ok', 'boolean'),
        f('data', 'Record<string, unknown>', undefined, true),
      ]),
    );
    // A runtime with its own keep-alive (an auto-response that does not wake the object) needs no app-level ping event.
    if (!profileOf(ctx).heartbeatRows) {
      out.push(
        ev('sys:ping', 'client-to-server', ch, 'Client liveness probe: browsers cannot send ping frames', 'SysPingPayload', [f('ts', 'integer')]),
        ev('sys:pong', 'server-to-client', ch, 'Answer to sys:ping', 'SysPongPayload', [f('ts', 'integer')]),
      );
    }
  }
  return out;
}

export function buildCatalog(ctx: DesignCtx, proposed: EventSpec[], codes: string[]): EventSpec[] {
  const byName = new Map(proposed.map((e) => [e.name, e]));
  // The same event read on the client and on the server is one catalog row.
  const once = ctx.input.analysis.events.filter((e, i, all) => all.findIndex((o) => o.name === e.name) === i);
  const existing = once.map((e, i) => {
    const match = byName.get(e.name);
    // A proposed event the code already has keeps its origin and evidence, gains the typed payload.
    return match ? { ...match, origin: 'existing' as const, evidence: e.evidence, direction: e.direction } : fromExisting(e, i, ctx.transport);
  });
  const seen = new Set(existing.map((e) => e.name));
  const out = [...existing];
  // A document endpoint carrying only y-protocols frames has no JSON channel for sys:error: it signals with close codes.
  const docOnly = ctx.transport !== 'socket.io' && [...existing, ...proposed].every(isYProtocolMessage);
  for (const e of [...proposed, ...(docOnly ? [] : protocolEvents(ctx, [...BASE_CODES, ...codes]))]) {
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    out.push({ ...e, transport: e.transport ?? ctx.transport });
  }
  return out;
}

function tsField(p: PayloadField): string {
  const name = /^[A-Za-z_$][\w$]*$/.test(p.name) ? p.name : JSON.stringify(p.name);
  const type = p.type === 'integer' ? 'number' : p.type;
  const doc = p.description ? ` // ${p.description.replace(/\s+/g, ' ')}` : p.type === 'integer' ? ' // integer' : '';
  return `  ${name}${p.optional ? '?' : ''}: ${type};${doc}`;
}

/** An existing event whose payload the code shows only as names (or not at all): a table row says all there is. */
export function untyped(e: EventSpec): boolean {
  return e.origin === 'existing' && e.payload.every((p) => p.type === 'unknown');
}

/** A payload of one or two typed fields reads best inline (table and event maps); an interface would be five lines for it. */
function small(e: EventSpec): boolean {
  return !untyped(e) && e.payload.length <= 2 && e.payload.every((p) => p.type !== 'unknown');
}

const propName = (n: string) => (/^[A-Za-z_$][\w$]*$/.test(n) ? n : JSON.stringify(n));
const inlineType = (fields: PayloadField[]) =>
  `{ ${fields.map((p) => `${propName(p.name)}${p.optional ? '?' : ''}: ${p.type === 'integer' ? 'number' : p.type}`).join('; ')} }`;

/** The Payload cell: the type name, or the bare field names of an untyped existing event. */
export function payloadCell(e: EventSpec): string {
  if (small(e)) return code(inlineType(e.payload));
  if (!untyped(e)) return code(e.payloadType);
  const names = e.payload.filter((p) => p.name !== 'data' || e.payload.length > 1).map((p) => p.name);
  return names.length > 0 ? code(`{ ${names.join(', ')} }`) : 'not shown by the code';
}

export function renderTypes(events: EventSpec[], transport: Transport): string {
  const blocks: string[] = [];
  const done = new Set<string>();
  const inline = inlineType;
  const ref = (e: EventSpec) => (/^sys:(ack|ping|pong)$/.test(e.name) || untyped(e) || small(e) ? inline(e.payload) : e.payloadType);
  for (const e of events) {
    // Plumbing events (ack, ping, pong) and one- or two-field payloads are typed inline in the maps below; the table says what they carry.
    if (untyped(e) || small(e) || /^sys:(ack|ping|pong)$/.test(e.name)) continue;
    if (done.has(e.payloadType)) continue;
    done.add(e.payloadType);
    // Fields read from one place cite it once, on the interface; otherwise each field cites its own.
    const where = e.origin === 'existing' ? inferredFrom(e.payload) : [];
    const shared = where.length === 1 && e.payload.every((p) => INFERRED.test(p.description ?? ''));
    const fields = shared ? e.payload.map(({ description: _d, ...p }) => p) : e.payload;
    const note = shared ? `; inferred from ${where[0] as string}` : '';
    blocks.push(`/** ${e.name} (${e.direction}, ${e.origin})${note} */\nexport interface ${e.payloadType} {\n${fields.map(tsField).join('\n')}\n}`);
  }
  const key = (n: string) => JSON.stringify(n);
  // Over Socket.IO the Yjs messages are binary events, typed like the rest; elsewhere they are raw y-protocols frames.
  const enveloped = transport === 'socket.io' ? events : events.filter((e) => !isYProtocolMessage(e));
  const inbound = enveloped.filter((e) => e.direction !== 'server-to-client');
  const outbound = enveloped.filter((e) => e.direction !== 'client-to-server');
  const binary = events.filter(isYProtocolMessage);
  if (transport !== 'socket.io' && binary.length > 0) {
    blocks.push(
      `// ${binary.map((e) => e.name).join(', ')}: binary y-protocols frames (lib0 encoding, y-protocols/sync and y-protocols/awareness), not JSON envelopes.`,
    );
  }
  if (transport === 'socket.io') {
    const fn = (e: EventSpec) => `  ${key(e.name)}: (payload: ${ref(e)}${e.ack ? `, ack: (res: ${inline(e.ack)}) => void` : ''}) => void;`;
    blocks.push(
      `// new Server<ClientToServerEvents, ServerToClientEvents>() and io<ServerToClientEvents, ClientToServerEvents>()\nexport interface ClientToServerEvents {\n${inbound.map(fn).join('\n')}\n}\nexport interface ServerToClientEvents {\n${outbound.map(fn).join('\n')}\n}`,
    );
  } else if (enveloped.length > 0) {
    const member = (e: EventSpec) => `  | { type: ${key(e.name)}; v: 1; id?: string; payload: ${ref(e)} }`;
    blocks.push(
      `/** Every frame is one JSON envelope; id present when the sender wants a sys:ack. */\nexport type ClientMessage =\n${inbound.map(member).join('\n') || '  never'};\nexport type ServerMessage =\n${outbound.map(member).join('\n') || '  never'};`,
    );
  }
  return fenceSafe(blocks.join('\n'));
}

export function conventions(ctx: DesignCtx, events: EventSpec[]): string[] {
  const existing = events.filter((e) => e.origin === 'existing');
  const offConvention = existing.filter((e) => !/^[a-z][a-z0-9-]*:[a-z][a-z0-9.-]*$/.test(e.name));
  const yjs = events.filter(isYProtocolMessage);
  const json = events.filter((e) => !isYProtocolMessage(e));
  const out: string[] = [];
  if (json.length > 0 || yjs.length === 0) {
    const style = coreStyle(ctx);
    const fresh = events.filter((e) => e.origin === 'proposed' && !e.name.startsWith('sys:') && e.name.includes(':'));
    const kept = `The ${existing.length} existing event${existing.length === 1 ? '' : 's'} keep their names (${list(existing.slice(0, 3).map((e) => code(e.name)))}${existing.length > 3 ? ', …' : ''})`;
    const example = fresh[0] ? ` (${code(fresh[0].name)})` : '';
    out.push(
      existing.length === 0
        ? `The project has no events yet: names are ${code('domain:action')} in lower case from the start${example}.`
        : style === 'colon'
          ? `${kept}; new ones follow the same ${code('domain:action')} style${example}${offConvention.length > 0 ? `; ${list(offConvention.map((e) => code(e.name)))} predate it: alias them only when their handlers change` : ''}.`
          : `${kept}; new events are ${code('domain:action')}${example}, and the existing ones are renamed only when their handlers change.`,
    );
    if (ctx.transport === 'socket.io') {
      out.push(
        `Versioning: additive changes only (new optional fields; handlers ignore unknown fields). A breaking change gets a new namespace (${code('/v2')}) served next to the old one until old clients are gone.`,
      );
    } else {
      out.push(
        `Versioning: every frame carries ${code('v: 1')} in its envelope; additive changes keep the version, a breaking change bumps it and the server answers unknown versions with ${code('VERSION_UNSUPPORTED')}.`,
      );
    }
  }
  if (yjs.length > 0) {
    const how = ctx.transport === 'socket.io' ? 'binary Socket.IO events on the document room' : 'binary frames on our own document endpoint';
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
  const docErrors = yjs.length > 0 && ctx.transport !== 'socket.io';
  if (events.some((e) => e.name === 'sys:error'))
    out.push(
      `Errors: one ${code('sys:error')} event with a machine-readable ${code('code')}${docErrors ? ', never on the document channel' : ''}; validation failures never close the connection by themselves.`,
    );
  if (docErrors)
    out.push(
      `The document channel has no error message (y-protocols defines none): the server refuses the upgrade with 401 or 403, drops a malformed or unauthorized message, and closes the socket with 1008 (policy), 1009 (too big) or 1011 (internal) when it must.`,
    );
  return out;
}

export function ackRules(ctx: DesignCtx, events: EventSpec[]): string[] {
  const acked = events.filter((e) => e.ack && (e.origin !== 'existing' || e.ack.some((p) => p.name === 'mutationId')) && !e.name.includes('.'));
  const how =
    ctx.transport === 'socket.io'
      ? `Socket.IO acknowledgements with a timeout: ${code('socket.timeout(5000).emit(event, payload, (err, res) => …)')}`
      : ctx.transport === 'websocket'
        ? `a client ${code('id')} in the envelope and a ${code('sys:ack')} with ${code('replyTo')}; the client times out after 5 s`
        : ctx.transport === 'sse'
          ? 'the HTTP response of the POST that carries the client action'
          : 'the reply event named in the table';
  if (seqless(ctx)) {
    // y-protocols has no acks: a repeated or lost update is repaired by the next state-vector exchange.
    return [
      'Acknowledged: none. The document channel has no acks and no idempotency keys: applying a Yjs update twice changes nothing, and an update lost in a drop is resent in the state-vector exchange on reconnect.',
      'Awareness updates are never acked or retried: they are superseded by the next one and time out after 30 s.',
    ];
  }
  if (onSupabase(ctx)) return supabaseAckRules(acked.map((e) => e.name));
  // Only Socket.IO has server-side rooms to name; other transports' channels are described with their scenario.
  const rooms = ctx.transport === 'socket.io' && !ctx.providerDirect && !managedProvider(ctx.input) ? [roomNamingMd(ctx, events)] : [];
  const keys = [...new Set(acked.flatMap((e) => e.payload.map((p) => p.name).filter((n) => /^(clientMsgId|mutationId|requestId|callId)$/.test(n))))];
  const droppable = coreOf(ctx).objects.filter((o) => o.decision.delivery === 'droppable' && o.events.length > 0);
  return [
    `Acknowledged: ${acked.length > 0 ? list(acked.map((e) => code(e.name))) : 'none'}; acks travel as ${how}.${keys.length > 0 ? ` A retry after an ack timeout reuses its ${list(keys.map((k) => code(k)))}, so the server answers a duplicate with the original result.` : ''}`,
    ...(droppable.length > 0
      ? [`Never acked or retried: ${list(droppable.flatMap((o) => o.events.map((e) => code(e.name))))} (superseded by the next one).`]
      : []),
    ...rooms,
  ];
}

/** The catalog table's rows. */
export function catalogRows(events: EventSpec[]): NonNullable<import('./types.js').Plan['protocol']['rows']> {
  return events.map((e) => ({
    name: e.name,
    direction: e.direction,
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
