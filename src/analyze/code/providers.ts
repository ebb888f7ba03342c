// Events of managed providers (Supabase channels, Pusher, LiveKit, Gemini Live; Ably's are in
// model/adapters/ably.ts). Their SDKs name events differently; each row says how a call maps to
// an event and its direction.
import type { Transport } from '../../types.js';
import type { ArgInfo } from './ast.js';
import type { EntryHit, Side } from './entrypoints.js';
import type { RawEvent } from './events.js';
import type { CallFact } from './facts.js';
import { type FileContext, firstString, receiverOf } from './file-context.js';
import { argPayload, type PayloadSite } from './payloads.js';

interface ProviderEventRule {
  provider: string;
  transport: Transport;
  /** The event this call declares, with its act and room; null when the call is not one. */
  read: (
    c: CallFact,
    ctx: FileContext,
    side: Side,
  ) => { name: string; act: 'emit' | 'handle'; room?: string; client?: boolean; payload?: PayloadSite | undefined; sdk?: string; topic?: string } | null;
}

/**
 * A channel name as the code writes it: a string, or with `templates` a template literal whose
 * expressions are plain names, shown as `{name}` (`room:${roomId}:messages` → `room:{roomId}:messages`).
 */
function nameOf(a: ArgInfo | null | undefined, templates: boolean): string | undefined {
  if (a?.kind === 'string') return a.str || undefined;
  if (!templates || a?.kind !== 'template' || !a.str || !a.exprs) return undefined;
  const names = a.exprs.map((e) => (e.kind === 'ident' || e.kind === 'member' ? e.path : undefined));
  if (names.some((n) => !n)) return undefined;
  let i = 0;
  return a.str.replace(/\$\{\}/g, () => `{${names[i++]}}`);
}

/** A local string or template the argument names (`const name = `presence-project-${id}`; subscribe(name)`), declared before `line`. */
function textOf(ctx: FileContext, a: ArgInfo | null | undefined, line: number): ArgInfo | null | undefined {
  if (a?.kind !== 'ident' || !a.path) return a;
  const defs = (ctx.facts.texts ?? []).filter((t) => t.name === a.path && t.line <= line);
  return defs.length === 1 ? defs[0]!.arg : a;
}

/** Room or channel name a receiver variable was created with: `const ch = x.channel('room')`. */
export function roomOfVar(ctx: FileContext, name: string, method: RegExp, templates = false): string | undefined {
  const v = ctx.facts.vars.find((x) => x.name === name);
  if (!v || !method.test(v.init)) return undefined;
  return nameOf(textOf(ctx, v.arg.args?.[0], v.line), templates);
}

function roomOf(c: CallFact, ctx: FileContext, chainMethod: string, varInit: RegExp, templates = false): string | undefined {
  const link = c.chain.find((k) => k.method === chainMethod);
  const named = nameOf(link?.arg, templates);
  if (named) return named;
  return roomOfVar(ctx, receiverOf(c), varInit, templates);
}

const SUPABASE_KINDS = new Set(['broadcast', 'presence', 'postgres_changes']);

export const PROVIDER_EVENT_RULES: readonly ProviderEventRule[] = [
  {
    provider: 'supabase-realtime',
    transport: 'websocket',
    read: (c, ctx) => {
      const kind = firstString(c.args[0]);
      if (c.method !== 'on' || kind === null || !SUPABASE_KINDS.has(kind)) return null;
      const filter = c.args[1]?.props ?? {};
      const event = filter.event?.str;
      const table = filter.table?.str;
      const name =
        kind === 'broadcast'
          ? event
          : kind === 'presence'
            ? `presence:${event ?? 'sync'}`
            : `postgres_changes${table ? `:${table}` : ''}${event && event !== '*' ? `:${event}` : ''}`;
      if (!name) return null;
      // A Supabase topic is the channel's name, a room id included (`room:${roomId}`).
      const room = roomOf(c, ctx, 'channel', /\.channel\(\)$/, true);
      // Presence and Postgres Changes are Supabase's own listeners: the project names only its broadcasts.
      const shown = [event && event !== '*' ? `event: '${event}'` : '', table ? `table: '${table}'` : ''].filter(Boolean).join(', ');
      const sdk = kind === 'broadcast' ? undefined : `.on('${kind}'${shown ? `, { ${shown} }` : ''})`;
      // Postgres Changes calls back with `{ new, old, … }` (https://supabase.com/docs/guides/realtime/postgres-changes):
      // the row is `payload.new`, typed where the callback casts it to a declared type (`payload.new as Message`).
      // Not complete: the table may have columns the type leaves out.
      const cast = kind === 'postgres_changes' ? c.args[2]?.payload?.fields.find((f) => f.name === 'new') : undefined;
      const row = cast?.nested;
      const declared = cast?.castTo ? { declared: { name: cast.castTo.name, file: ctx.file, line: cast.castTo.line } } : {};
      // A Postgres change is a row of the project's own table: the table is what it carries (RtEvent.topic).
      return {
        name,
        act: 'handle',
        ...(room ? { room } : {}),
        ...(sdk ? { sdk } : {}),
        ...(kind === 'postgres_changes' && table ? { topic: table } : {}),
        ...(row && row.length > 0 ? { payload: { fields: row, complete: false, ...declared } } : {}),
      };
    },
  },
  {
    provider: 'supabase-realtime',
    transport: 'websocket',
    read: (c, ctx) => {
      const p = c.args[0]?.props;
      if (c.method !== 'send' || p?.type?.str !== 'broadcast' || !p.event?.str) return null;
      const room = roomOf(c, ctx, 'channel', /\.channel\(\)$/);
      // https://supabase.com/docs/guides/realtime/broadcast: the message is `payload`.
      return { name: p.event.str, act: 'emit', ...(room ? { room } : {}), payload: argPayload(p.payload) };
    },
  },
  {
    provider: 'pusher',
    transport: 'websocket',
    read: (c, ctx) => {
      if (c.method === 'bind' && ctx.sources.has('pusher-js')) {
        const name = firstString(c.args[0]);
        // https://pusher.com/docs/channels/using_channels/channels/: the channel is what `subscribe` named.
        const room = roomOf(c, ctx, 'subscribe', /\.subscribe\(\)$/, true);
        if (!name || name.startsWith('pusher:')) return null;
        return { name, act: 'handle', ...(room ? { room } : {}), ...(name.startsWith('client-') ? { client: true } : {}) };
      }
      // https://pusher.com/docs/channels/using_channels/events/#triggering-client-events:
      // a browser may trigger only `client-` events, on a private or presence channel it joined.
      if (c.method === 'trigger' && ctx.sources.has('pusher-js')) {
        const name = firstString(c.args[0]);
        return name?.startsWith('client-') ? { name, act: 'emit', client: true, payload: argPayload(c.args[1]) } : null;
      }
      if (c.method === 'trigger' && ctx.sources.has('pusher')) {
        const name = firstString(c.args[1]);
        const room = firstString(c.args[0]) ?? undefined;
        // `trigger(channel, event, data)`: https://pusher.com/docs/channels/server_api/http-api/#publishing-events
        return name ? { name, act: 'emit', ...(room ? { room } : {}), payload: argPayload(c.args[2]) } : null;
      }
      return null;
    },
  },
  {
    provider: 'livekit',
    transport: 'webrtc',
    read: (c, ctx) => {
      const p = c.args[0]?.path;
      if (c.method !== 'on' || !ctx.sources.has('livekit-client') || !p?.startsWith('RoomEvent.')) return null;
      return { name: p.slice('RoomEvent.'.length), act: 'handle' };
    },
  },
  {
    provider: 'gemini-live',
    transport: 'websocket',
    read: (c) => {
      const m = /^send(RealtimeInput|ClientContent|ToolResponse)$/.exec(c.method);
      // The `onmessage` callback of `ai.live.connect` is the SDK's listener, not a wire event: the
      // messages it reads (`msg.toolCall`, `msg.serverContent`) are, found in model/provider-protocols.ts.
      return m?.[1] ? { name: m[1][0]!.toLowerCase() + m[1].slice(1), act: 'emit' } : null;
    },
  },
];

export function detectProviderEvents(ctx: FileContext, entries: EntryHit[]): RawEvent[] {
  const side: Side = entries.some((e) => e.side === 'server') && !entries.some((e) => e.side === 'client') ? 'server' : 'client';
  const out: RawEvent[] = [];
  for (const c of ctx.facts.calls) {
    for (const rule of PROVIDER_EVENT_RULES) {
      const hit = rule.read(c, ctx, side);
      if (!hit) continue;
      const { room, client, payload, ...rest } = hit;
      // The pusher server SDK's trigger is a server emit whatever else the file holds.
      const at: Side = client ? 'client' : rule.provider === 'pusher' && hit.act === 'emit' ? 'server' : side;
      out.push({
        ...rest,
        side: at,
        ...(client && rule.provider === 'pusher' ? { peer: true as const } : {}),
        transport: rule.transport,
        file: ctx.file,
        line: c.line,
        ...(room ? { room } : {}),
        ...(payload ? { payload } : {}),
      });
      break;
    }
  }
  return out;
}
