// The decided connection settings, as values: the same numbers the Connection and Security
// sections print, taken from the same functions, so the contract cannot drift from the prose.
// Pure: called by buildPlan with its design context.
import type { DesignCtx } from '../design/context.js';
import { detectionMs, pingTimeoutMs, policyKind, reconnectSummaryMd, SSE_KEEPALIVE_MS } from '../design/connection.js';
import { onSupabase, supabaseHeartbeatMs } from '../design/connection-supabase.js';
import { hasExistingPayloadCap, payloadCap } from '../design/security.js';
import { adapterName, hasBus } from '../design/architecture.js';
import { formatBytes } from '../design/capacity.js';
import { providersOf } from '../design/scenarios/voice.js';
import { fmt } from '../design/md.js';
import type { AuthKind } from '../types.js';
import type { ContractSetting, DecidedSettings } from './types.js';

/** Libraries whose `maxPayload` the audit inspects; elsewhere the cap is a manual check. */
const AUDITED_CAP = new Set(['ws', '@fastify/websocket']);

export function decidedSettings(ctx: DesignCtx): DecidedSettings {
  const out: ContractSetting[] = [];
  const supabase = onSupabase(ctx);
  const own = !ctx.providerDirect && !supabase && ctx.transport !== 'webrtc';
  const yjs = ctx.library === 'y-websocket';
  const hb = ctx.input.analysis.stack.heartbeat;

  if (supabase) {
    out.push({
      id: 'heartbeat-interval',
      value: supabaseHeartbeatMs(ctx).ms,
      planned: `realtime-js heartbeat ${fmt(supabaseHeartbeatMs(ctx).ms)} ms`,
      check: 'manual',
      // The client library sends it, and closes the socket when one is still unanswered when the next is due.
      ears: `WHEN a connection is open THEN the client (realtime-js) SHALL send a heartbeat every ${fmt(supabaseHeartbeatMs(ctx).ms)} ms and reconnect when one is still unanswered when the next is due`,
    });
  } else if (own) {
    const interval = ctx.transport === 'socket.io' ? (hb.intervalMs ?? 25_000) : ctx.transport === 'sse' ? SSE_KEEPALIVE_MS : (hb.intervalMs ?? 30_000);
    const what = ctx.transport === 'socket.io' ? 'pingInterval' : ctx.transport === 'sse' ? 'keep-alive every' : 'server ping every';
    out.push({ id: 'heartbeat-interval', value: interval, planned: `${what} ${fmt(interval)} ms`, check: yjs ? 'manual' : 'analyzer' });
    const timeout = ctx.transport === 'socket.io' ? pingTimeoutMs(ctx) : (detectionMs(ctx)?.ms ?? interval * 2);
    out.push({
      id: 'heartbeat-timeout',
      value: timeout,
      planned: ctx.transport === 'socket.io' ? `pingTimeout ${fmt(timeout)} ms` : `dead peer closed within ${fmt(timeout)} ms`,
      check: 'manual',
    });
  }

  const kind = policyKind(ctx);
  const retries = kind === 'socket.io' || kind === 'full-jitter';
  out.push({
    id: 'reconnect',
    value: kind,
    planned: reconnectSummaryMd(ctx),
    check: retries && !ctx.providerDirect ? 'analyzer' : 'manual',
    ...(retries ? { expect: { backoff: true, jitter: true } } : {}),
  });

  if (!supabase && !ctx.providerDirect && ctx.transport !== 'webrtc') {
    const keep = hasExistingPayloadCap(ctx);
    const cap = payloadCap(ctx);
    // A kept cap has no value the plan decided: 'existing' says so instead of a number it did not choose.
    out.push({
      id: 'payload-cap',
      value: keep ? 'existing' : cap,
      planned: keep ? 'the existing maxPayload cap kept' : `payload cap ${formatBytes(cap)}`,
      check: ctx.transport === 'websocket' && AUDITED_CAP.has(ctx.library ?? '') ? 'analyzer' : 'manual',
    });
  }

  const auth = authKind(ctx);
  // The audit judges handshake auth only on Socket.IO and ws servers, and token routes for providers.
  const authChecked = ctx.providerDirect || (!supabase && (ctx.transport === 'socket.io' || (ctx.transport === 'websocket' && !yjs)));
  out.push(
    supabase
      ? // No handshake of ours: the user's JWT travels with each channel join, in the join payload (as Socket.IO's auth payload, jwt-header).
        {
          id: 'handshake-auth',
          value: 'jwt-header',
          planned: "the user's JWT checked when each private channel is joined (RLS policies on realtime.messages)",
          check: 'manual',
          ears: "WHEN a client joins a private channel THEN Supabase Realtime SHALL admit it only if the RLS policies on realtime.messages allow its user's JWT",
        }
      : { id: 'handshake-auth', value: auth, planned: `${auth} at the handshake`, check: authChecked ? 'analyzer' : 'manual' },
  );

  if (!supabase && !ctx.providerDirect && (ctx.transport === 'socket.io' || ctx.transport === 'websocket')) {
    out.push({ id: 'origin-allow-list', value: true, planned: 'Origin checked against an allow-list at the handshake', check: 'analyzer' });
  }
  if (!ctx.providerDirect && hasBus(ctx)) {
    const name = adapterName(ctx);
    out.push({ id: 'adapter', value: name, planned: `${name} between ${fmt(ctx.capacity.result.instances)} instances`, check: 'analyzer' });
  }
  if (ctx.scenarios.includes('voice')) {
    const ps = providersOf(ctx);
    out.push({ id: 'provider', value: ps.join(', '), planned: ps.join(', '), check: 'analyzer' });
  }
  return out;
}

function authKind(ctx: DesignCtx): AuthKind {
  if (ctx.providerDirect || ctx.transport === 'webrtc') return 'ephemeral-token';
  // Socket.IO's `auth: { token }` payload is what the analyzer calls jwt-header (handshake.auth).
  if (ctx.transport === 'socket.io') return 'jwt-header';
  return 'session-cookie';
}
