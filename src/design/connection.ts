// Connection management with numbers: handshake auth, heartbeat (the project's own values
// when the analysis found them, else the library's documented defaults), reconnection with
// the policy of the client that actually retries (one policy per plan, used by every
// section), and resume after a drop.
import { gateLibrary } from './profiles/handshake-gates.js';
import { clientStopCode } from './model-facts.js';
import { orderingOf } from './ordering.js';
import { clientsSend, contextStates, quoteOf, rulesOut, statedRecovery } from './constraints.js';
import { stateDiagram } from '../diagrams/builders.js';
import { noSignInFound, streamPath, type DesignCtx } from './context.js';
import { sseServerApi } from './profiles/sse-server.js';
import { FEATURES, gate, installedVersion } from './profiles/versions.js';
import { eventStreamPath, streamResumeOf } from './stream-resume.js';
import type { Plan, Row } from './types.js';
import type { InfraRequirement, NumberRequirement } from '../types.js';
import { managedProvider, type ResumeSpec } from './scenarios/kit.js';
import { mentionsNginx, stickySessions, websocketOnly } from './architecture.js';
import { providersOf } from './scenarios/voice.js';
import { PROVIDER_LABEL, TOKEN_LIFETIME_MD } from './scenarios/voice-providers.js';
import { authMd, code, fmt, list, text } from './md.js';
import { onSupabase, supabaseAuth, supabaseClientConfig, supabaseHeartbeat, supabaseHeartbeatMs } from './connection-supabase.js';
import {
  BACKOFF,
  backoffCap,
  herdMd,
  policyKind,
  fixedDelayOf,
  projectDelayAt,
  projectDelayOf,
  providerBackoff,
  providerRows,
  reconnectPolicy,
  reconnectSummaryMd,
  resumeNotes,
  HANDSHAKE_MS,
  sseRetry,
  tokenRow,
  type PolicyKind,
  type ReconnectPolicy,
} from './connection-providers.js';
import { profileOf, projectServerOption, type KeepAlive } from './profiles/index.js';
import { clientKeepAliveOf, clientReconnectDefaultsOf, type ClientReconnectDefaults } from './profiles/clients.js';
import { livenessFor, removalBudgetOf, spanMd } from './removal.js';
import { presenceGrace } from './scenarios/chat-collab.js';
import { seqless } from './scenarios/index.js';
import { coreOf } from './core/context.js';
import { clientEntryAt, serverEntry, sharedSecretAt } from './sites.js';
import { reconnectSettings, selfReconnectingClient } from './profiles/ops.js';
import { traitsOf, type Liveness } from './profiles/transports.js';
import { agentOnly, VOICE } from './profiles/voice.js';
import { hasExistingPayloadCap } from './security.js';
import { routeMd, routeNameMd, writeRoutes } from './routes.js';
import { signInPackage, signInPath } from './profiles/sign-in.js';
import { protocolTraits } from './profiles/protocol.js';
import { sdkAuth, sdkClientConfig, sdkLiveness, sdkOwned, sdkReconnectMd } from './profiles/ai-sdk-ops.js';

// The policy and provider pieces live in connection-providers.ts; callers keep importing them from here.
export {
  BACKOFF,
  backoffTable,
  policyKind,
  reconnectPolicy,
  reconnectSummaryMd,
  HANDSHAKE_MS,
  SSE_RETRY,
  sseRetry,
  Y_WEBSOCKET_BACKOFF,
  type PolicyCtx,
  type PolicyKind,
  type ReconnectPolicy,
} from './connection-providers.js';

/** How long a silently vanished peer goes unnoticed before the reconnect clock even starts. */
export function detectionMs(ctx: DesignCtx): { ms: number; how: string } | null {
  const hb = ctx.input.analysis.stack.heartbeat;
  const liveness = traitsOf(ctx).liveness;
  if (ctx.providerDirect || liveness === 'ice-consent') return null;
  if (onSupabase(ctx)) return { ms: supabaseHeartbeatMs(ctx).ms * 2, how: 'an unanswered realtime-js heartbeat, noticed when the next one is due' };
  if (liveness === 'engine-io-ping')
    return {
      ms: (hb.intervalMs ?? 25_000) + pingTimeoutMs(ctx),
      how: pingTimeoutSource(ctx) === 'planned' ? 'pingInterval + pingTimeout, once pingTimeout is set as planned' : 'pingInterval + pingTimeout',
    };
  if (liveness === 'sse-keepalive') return { ms: SSE_WATCHDOG_MS, how: 'the client watchdog' };
  // The server's keepAlive finds dead clients; the client finds a dead server only by its own pong timeout.
  if (liveness === 'graphql-ws-keepalive') return { ms: GQL_CLIENT_KEEPALIVE_MS + GQL_PONG_TIMEOUT_MS, how: 'the client keepAlive + its pong timeout' };
  // The client, not the server's ping, notices a dead server: WebsocketProvider closes after 30 s with
  // no message (checked every 3 s; y-websocket src/y-websocket.js messageReconnectTimeout), and
  // awareness renews every 15 s, so a healthy connection is never that silent.
  if (liveness === 'yjs-provider')
    return {
      ms: YJS_MESSAGE_TIMEOUT_MS + YJS_MESSAGE_TIMEOUT_MS / 10,
      how: `${code('WebsocketProvider')} closes after ${fmt(YJS_MESSAGE_TIMEOUT_MS)} ms without a message, checked every ${fmt(YJS_MESSAGE_TIMEOUT_MS / 10)} ms; awareness renews every 15,000 ms, so a healthy connection is never that quiet`,
    };
  // A client keep-alive that closes the socket after a silence the project chose (react-use-websocket `timeout`).
  if (hb.timeoutMs !== undefined && hb.evidence)
    return { ms: hb.timeoutMs, how: `the project's keep-alive timeout at ${code(hb.evidence)}: no message of any kind for that long closes the socket` };
  return {
    ms: keepAlive(ctx).keepAliveMs + 10_000,
    how: profileOf(ctx).heartbeatRows ? 'the client keep-alive interval + pong timeout' : `the client ${code('sys:ping')} interval + pong timeout`,
  };
}

/** The widest full-jitter first window (a multiple of 500 ms) whose p95 plus the handshake fits a target; never below rt-plan's 500 ms base, which a target under about 1 s cannot fit. */
export function firstCeilingFor(targetMs: number): number {
  return Math.max(500, Math.floor((targetMs - HANDSHAKE_MS) / 0.95 / 500) * 500);
}

export const SOCKET_IO_PING_TIMEOUT = 20_000;

/**
 * Where the Socket.IO pingTimeout the plan computes with comes from: the project's server options,
 * the v4 default, or a value the plan asks the project to set, because before v4 the default moved
 * between engine.io releases and is not known from the socket.io version (profiles/versions.ts).
 */
export function pingTimeoutSource(ctx: DesignCtx): 'project' | 'v4-default' | 'planned' {
  const stack = ctx.input.analysis.stack;
  if (stack.heartbeat.pingTimeoutMs !== undefined) return 'project';
  const sio = stack.libraries.find((l) => l.name === FEATURES.socketIoV4Heartbeat.library);
  return gate(FEATURES.socketIoV4Heartbeat, sio).kind === 'too-old' ? 'planned' : 'v4-default';
}

/** The Socket.IO pingTimeout in force: the project's where its server sets one, else the v4 default (which the plan asks a pre-v4 project to set explicitly). */
export function pingTimeoutMs(ctx: DesignCtx): number {
  return ctx.input.analysis.stack.heartbeat.pingTimeoutMs ?? SOCKET_IO_PING_TIMEOUT;
}
/** y-websocket's WebsocketProvider: no message for this long closes the socket (not configurable). */
const YJS_MESSAGE_TIMEOUT_MS = 30_000;
/** graphql-ws client: ping interval, and how long it waits for the pong before closing (the library's ping/pong timeout recipe). */
const GQL_CLIENT_KEEPALIVE_MS = 15_000;
const GQL_PONG_TIMEOUT_MS = 5_000;
export const SSE_KEEPALIVE_MS = 15_000;
const SSE_WATCHDOG_MS = 35_000;

/** The recovery sentence, computed from the policy in use. */
/** WebRTC to a provider: how long the plan waits in ICE `disconnected` before it starts a new session (0: no such wait). */
export function iceWaitMs(ctx: DesignCtx): number {
  return ctx.providerDirect ? Math.max(0, ...providersOf(ctx).map((p) => VOICE[p].iceWaitMs ?? 0)) : 0;
}

export function recoveryMd(ctx: DesignCtx, policy: ReconnectPolicy = reconnectPolicy(ctx)): string {
  const [a0, a1] = policy.table;
  if (!a0 || !a1) return '';
  const expected = a0.expectedMs + a1.expectedMs;
  const worst = a0.ceilingMs + a1.ceilingMs;
  const first = a0.minMs === a0.ceilingMs ? `${fmt(a0.ceilingMs)} ms` : `${fmt(a0.minMs)}–${fmt(a0.ceilingMs)} ms (expected ${fmt(a0.expectedMs)} ms)`;
  const two = expected === worst ? `${fmt(expected)} ms` : `${fmt(expected)} ms expected, ${fmt(worst)} ms at worst`;
  // The context's own recovery target when it states one, else rt-plan's 2 s default.
  const stated = statedRecovery(ctx.input.sessions.requirements);
  const targetMs = stated?.value ?? 2_000;
  const target = stated ? `the context's ${fmt(targetMs)} ms recovery target` : 'the 2 s recovery target';
  const slow = slowFirstAttempt(ctx, policy);
  const short = slow
    ? `so ${target} does not hold for 95% of drops: the first delay alone is ${fmt(slow.p95Ms)} ms at p95, which leaves ${fmt(Math.max(0, targetMs - slow.p95Ms))} ms for the handshake, its auth check and the catch-up (${fmt(HANDSHAKE_MS)} ms, assumption${ctx.cite.cite(['defaults'], 'rt-plan')}); ${
        policy.herd
          ? `the first window is as wide as the herd above needs, so the two cannot both hold: keep the window, and expect about ${fmt(slow.p95Ms + HANDSHAKE_MS)} ms at p95 rather than ${fmt(targetMs)} ms`
          : policy.kind === 'full-jitter' && slow.ceilingMs * 0.95 + HANDSHAKE_MS <= targetMs
            ? `draw the first delay from 0–${fmt(slow.ceilingMs)} ms (full jitter) so that its p95 plus the handshake fits`
            : targetMs > HANDSHAKE_MS
              ? `a first delay of at most ${fmt(targetMs - HANDSHAKE_MS)} ms at p95 would fit it`
              : 'no first delay fits it'
      }`
    : '';
  const fits =
    worst <= targetMs
      ? `both fit inside ${target}`
      : slow
        ? short
        : a0.ceilingMs <= targetMs
          ? `so ${target} holds when the first attempt succeeds, not always when a second one is needed`
          : `so ${stated ? target : 'a 2 s recovery target'} cannot hold with this policy`;
  const det = detectionMs(ctx);
  // A silent drop is noticed only after the keep-alive gives up: past a stated target, say so and what it would take.
  const limit = silenceLimit(ctx, policy);
  const late = limit
    ? `, which alone is longer than ${target}: drops the browser sees (a close, a network change) can meet it, a connection that dies silently (a proxy that drops it without a close) cannot${limit.ms !== null ? ` unless the keep-alive gives up after at most ${fmt(limit.ms)} ms of silence` : ''}`
    : '';
  // WebRTC to a provider: a drop shows first as ICE `disconnected`, and the plan waits before declaring it.
  const iceWait = iceWaitMs(ctx);
  const detection = iceWait
    ? `; these count from the moment a new session is started: a network drop shows first as ICE ${code('disconnected')}, and the plan waits ${fmt(iceWait)} ms for ICE to recover by itself before it starts one (at once on ${code('failed')}), so a drop ICE does not survive leaves the user without audio for that wait, the attempts and a new session's secret and SDP exchange: ${iceWait >= targetMs ? `the wait alone is longer than ${target}, which holds only from the start of the new session` : `measure that whole span, not only the attempts`}`
    : det
      ? `; these count from the moment the drop is noticed: a close or network error is seen at once, a silently dead peer only after up to ${fmt(det.ms)} ms (${det.how})${late}`
      : '';
  return `First attempt after ${first}; the first two attempts together wait ${two}, ${fits}${detection}.`;
}

/**
 * The recovery target is met at p95 of drops, most of which reconnect at the first attempt: that
 * attempt's delay at p95 (the draw is uniform over its window), then the handshake and catch-up.
 * Where the first window alone fits the target but not with the handshake after it: the first
 * delay's p95 and the widest full-jitter first window that would fit. Null where it fits, or where
 * even the first window's floor is past the target (the policy cannot hold it at all).
 */
export function slowFirstAttempt(ctx: DesignCtx, policy: ReconnectPolicy = reconnectPolicy(ctx)): { p95Ms: number; ceilingMs: number } | null {
  const [a0, a1] = policy.table;
  if (!a0 || !a1) return null;
  const targetMs = statedRecovery(ctx.input.sessions.requirements)?.value ?? 2_000;
  if (a0.ceilingMs + a1.ceilingMs <= targetMs) return null;
  const p95Ms = Math.round(a0.minMs + (a0.ceilingMs - a0.minMs) * 0.95);
  if (p95Ms + HANDSHAKE_MS <= targetMs || p95Ms > targetMs) return null;
  return { p95Ms, ceilingMs: firstCeilingFor(targetMs) };
}

/**
 * Where the context states a recovery target and a silently dead connection is noticed too late
 * to meet it: the longest silence the keep-alive may allow (null when even none would fit).
 */
export function silenceLimit(ctx: DesignCtx, policy: ReconnectPolicy = reconnectPolicy(ctx)): { ms: number | null; detectionMs: number } | null {
  const [a0, a1] = policy.table;
  const stated = statedRecovery(ctx.input.sessions.requirements);
  const det = detectionMs(ctx);
  if (!a0 || !a1 || !stated || !det) return null;
  const worst = a0.ceilingMs + a1.ceilingMs;
  if (det.ms + worst <= stated.value) return null;
  const within = stated.value - worst;
  return { ms: within >= 1_000 ? Math.floor(within / 1_000) * 1_000 : null, detectionMs: det.ms };
}

/** The proxy idle timeout the context states, if any: every heartbeat must fire before it. */
function statedProxy(ctx: DesignCtx): (InfraRequirement & { valueMs: number }) | undefined {
  return ctx.input.sessions.requirements.find(
    (r): r is InfraRequirement & { valueMs: number } => r.kind === 'infra' && r.fact === 'proxy-idle-timeout' && r.valueMs !== undefined && r.valueMs > 0,
  );
}

/** An interval that fires at least twice within the stated proxy timeout, else the given one. */
function belowProxy(ctx: DesignCtx, intervalMs: number): number {
  const proxy = statedProxy(ctx);
  // A lifetime cap is not an idle timeout: pinging faster keeps no connection past it.
  return proxy && !proxy.maxLifetime && intervalMs * 2 > proxy.valueMs ? Math.max(1000, Math.floor(proxy.valueMs / 2000) * 1000) : intervalMs;
}

const HAPROXY_TUNNEL_DOC = 'https://docs.haproxy.org/2.8/configuration.html#4.2-timeout%20tunnel';

/** Where the interval differs from the project's: why, and what the project has. */
function intervalSource(ctx: DesignCtx, interval: number, fallbackMd: string): string {
  const hb = ctx.input.analysis.stack.heartbeat;
  if (!hb.intervalMs) return fallbackMd;
  if (interval === hb.intervalMs) return `project value${projectValue(ctx)}`;
  return `below the stated proxy idle timeout; the project's is ${fmt(hb.intervalMs)} ms${projectValue(ctx)}`;
}

const GCP_WEBSOCKET_DOC = 'https://cloud.google.com/load-balancing/docs/https#websocket_support';

/**
 * A stated timeout that is the maximum age of a connection (a Google Cloud HTTPS load balancer's
 * backend service timeout): no heartbeat keeps a connection past it, so every connection is cut at
 * that age and reconnects, a steady reconnect rate of connections ÷ timeout.
 */
function lifetimeRow(ctx: DesignCtx): Row[] {
  const proxy = statedProxy(ctx);
  if (!proxy?.maxLifetime) return [];
  const connections = ctx.capacity.values.connections;
  const perSecond = connections / (proxy.valueMs / 1000);
  const rate = perSecond >= 10 ? fmt(Math.round(perSecond)) : fmt(Math.round(perSecond * 10) / 10);
  return [
    {
      label: `${proxy.component} backend service timeout`,
      valueMd: `${fmt(proxy.valueMs)} ms: on this load balancer it is the maximum lifetime of a WebSocket connection, active or idle, not an idle timeout, so every connection is cut at that age whatever the heartbeat does; clients reconnect with backoff and recover what they missed, about ${fmt(connections)} ÷ ${fmt(proxy.valueMs / 1000)} s ≈ ${rate} reconnects/s at the peak, on top of drops and deploys (count them in the reconnect load and the load test)`,
      sourceMd: `context: "${text(proxy.sentence)}" (${code(proxy.evidence)}); Google Cloud load balancing docs, WebSocket support: ${GCP_WEBSOCKET_DOC}`,
    },
  ];
}

function proxyRow(ctx: DesignCtx, intervalMs: number, what: string, projectMs?: number): Row[] {
  const proxy = statedProxy(ctx);
  if (!proxy) return [];
  if (proxy.maxLifetime) return lifetimeRow(ctx);
  const lowered = projectMs !== undefined && projectMs !== intervalMs ? `; lower the project's ${fmt(projectMs)} ms to ${fmt(intervalMs)} ms` : '';
  // HAProxy's `timeout tunnel` replaces `timeout client` once the connection is upgraded.
  const superseded = proxy.supersedes
    ? `; it supersedes ${code(`${proxy.supersedes.setting}`)} (${fmt(proxy.supersedes.valueMs)} ms) once the connection is upgraded to a WebSocket, so that shorter timeout does not cut it (HAProxy configuration manual, ${code('timeout tunnel')}: ${HAPROXY_TUNNEL_DOC})`
    : '';
  return [
    {
      label: `${proxy.component} ${proxy.setting ? code(proxy.setting) : 'idle timeout'}`,
      valueMd: `${fmt(proxy.valueMs)} ms: ${what} every ${fmt(intervalMs)} ms, so a healthy idle connection is never cut${lowered}${superseded}`,
      sourceMd: `context: "${text(proxy.sentence)}" (${code(proxy.evidence)})`,
    },
  ];
}

/** The server is someone else's: only the client's own keep-alive is ours to set. */
function externalHeartbeat(ctx: DesignCtx, askMd: string): Row[] {
  const hb = ctx.input.analysis.stack.heartbeat;
  const interval = belowProxy(ctx, hb.intervalMs ?? 25_000);
  const lib = hb.intervalMs && hb.evidence ? clientKeepAliveOf(ctx.input.analysis.stack.libraries) : null;
  const where =
    hb.intervalMs && hb.evidence
      ? interval === hb.intervalMs
        ? ` (project value, found at ${text(hb.evidence)})`
        : ` (the project's ${fmt(hb.intervalMs)} ms at ${text(hb.evidence)}, lowered below the stated proxy idle timeout)`
      : '';
  // A heartbeat that counts only what arrives sends nothing while the server keeps sending.
  const when =
    lib?.sends === 'receive-silence'
      ? `after ${fmt(interval)} ms in which nothing was received${where}, so none while the server keeps sending`
      : `every ${fmt(interval)} ms${where}`;
  const close =
    hb.timeoutMs !== undefined
      ? `${lib?.sends === 'receive-silence' ? 'nothing received' : 'no message of any kind'} for ${fmt(hb.timeoutMs)} ms (project value) → close and reconnect`
      : 'no answer within 2 intervals → close and reconnect';
  return [
    {
      label: 'Client keep-alive',
      valueMd: `${when}; ${close}`,
      sourceMd: `${lib ? `${lib.sourceMd}; ` : ''}a browser cannot send ping frames: the client sends an application message the server answers`,
    },
    ...silentClientRow(ctx, lib),
    ...proxyRow(ctx, interval, 'the client sends a keep-alive', hb.intervalMs ?? undefined),
    { label: 'Server ping interval and idle timeout', valueMd: askMd, sourceMd: 'not a setting of this repository' },
  ];
}

/** The context says the server closes a connection on which the client sent nothing for a while. */
export function silentClientClose(ctx: DesignCtx): (InfraRequirement & { valueMs: number }) | undefined {
  return ctx.input.sessions.requirements.find(
    (r): r is InfraRequirement & { valueMs: number } => r.kind === 'infra' && r.fact === 'client-silence-close' && r.valueMs !== undefined && r.valueMs > 0,
  );
}

/**
 * A client frame on a fixed timer below the server's client-silence limit, where the project's
 * heartbeat does not guarantee one (it sends only when nothing arrives, or rt-plan cannot tell);
 * null where the heartbeat itself sends on a fixed timer inside the limit.
 */
export function silentClientTimer(ctx: DesignCtx): { limitMs: number; everyMs: number; why: string; evidence: string } | null {
  const limit = silentClientClose(ctx);
  const hb = ctx.input.analysis.stack.heartbeat;
  if (!limit || !hb.present || hb.intervalMs === undefined) return null;
  const lib = clientKeepAliveOf(ctx.input.analysis.stack.libraries);
  if (lib?.sends === 'fixed' && hb.intervalMs < limit.valueMs) return null;
  const everyMs = Math.max(1_000, Math.floor(limit.valueMs / 2_000) * 1_000);
  const why =
    lib?.sends === 'receive-silence'
      ? `the heartbeat does not prevent it: it sends its message only once nothing has been received for ${fmt(hb.intervalMs)} ms, so while the server keeps sending the client sends nothing of its own, and what the app sends counts only when it happens within that window`
      : lib?.sends === 'fixed'
        ? `the heartbeat's ${fmt(hb.intervalMs)} ms interval is not below that limit`
        : `rt-plan cannot tell whether the heartbeat at ${code(hb.evidence ?? '')} sends on a fixed timer or only when nothing arrives`;
  return { limitMs: limit.valueMs, everyMs, why, evidence: limit.evidence };
}

function silentClientRow(ctx: DesignCtx, lib: ReturnType<typeof clientKeepAliveOf>): Row[] {
  const limit = silentClientClose(ctx);
  const hb = ctx.input.analysis.stack.heartbeat;
  if (!limit || !hb.present || hb.intervalMs === undefined) return [];
  const timer = silentClientTimer(ctx);
  const source = `context: "${text(limit.sentence)}" (${code(limit.evidence)})`;
  if (!timer)
    return [
      {
        label: 'Server closes a silent client',
        valueMd: `after ${fmt(limit.valueMs)} ms without a frame from the client: the heartbeat message goes every ${fmt(hb.intervalMs)} ms whatever arrives, inside that limit`,
        sourceMd: `${source}${lib ? `; ${lib.sourceMd}` : ''}`,
      },
    ];
  return [
    {
      label: 'Server closes a silent client',
      valueMd: `after ${fmt(limit.valueMs)} ms without a frame from the client; ${timer.why}. Send a frame the server accepts on a fixed timer while the socket is open, every ${fmt(timer.everyMs)} ms (${code(`setInterval(() => sendMessage(message, false), ${timer.everyMs})`)}, cleared when it closes), so the server always hears from the client inside its limit`,
      sourceMd: source,
    },
  ];
}

function heartbeat(ctx: DesignCtx): Row[] {
  if (onSupabase(ctx)) return supabaseHeartbeat(ctx);
  const external = profileOf(ctx).external;
  if (external) return externalHeartbeat(ctx, external.askMd);
  if (ctx.providerDirect) return providerRows(ctx);
  const runtimeRows = profileOf(ctx).heartbeatRows;
  const rows = runtimeRows ? (typeof runtimeRows === 'function' ? runtimeRows(keepAlive(ctx)) : runtimeRows) : LIVENESS_ROWS[traitsOf(ctx).liveness](ctx);
  // The runtime's own liveness rows say nothing about the stated load balancer: a lifetime cap still cuts every connection.
  const lifetime = runtimeRows && !rows.some((r) => r.label.endsWith(' backend service timeout')) ? lifetimeRow(ctx) : [];
  return [...rows, ...lifetime, ...removalRows(ctx, typeof runtimeRows === 'function')];
}

/** The client keep-alive this plan sets: shortened by a context bound on how soon a gone user's cursor disappears. */
export function keepAlive(ctx: DesignCtx): KeepAlive {
  const budget = removalBudgetOf(ctx.input.sessions.requirements);
  return { ...livenessFor(budget), bounded: budget !== null };
}

/**
 * The context bounds how soon a gone user's live state disappears: a clean close removes it at
 * once, a silent connection (a sleeping laptop) only by a check sized from the bound's figure.
 * `sized`: the rows above already use the shortened keep-alive.
 */
function removalRows(ctx: DesignCtx, sized: boolean): Row[] {
  const budget = removalBudgetOf(ctx.input.sessions.requirements);
  if (!budget) return [];
  const l = keepAlive(ctx);
  const worst = livenessFor(budget).worstMs;
  const grace = presenceGrace(ctx);
  const leave = coreOf(ctx)
    .objects.filter((o) => o.kind === 'presence')
    .flatMap((o) => o.events)
    // Only a leave notice (`left`, `user:left`) is the close handler's own: a member list is also sent on join.
    .find((e) => e.direction === 'server-to-client' && e.at && /(?:^|[:._-])(?:left|leave|gone|offline|disconnected|removed)$/i.test(e.name));
  const clean = `what a cleanly closed connection owned (a closed tab, a page left) is removed at once in the close handler${leave ? `, as the ${code(leave.name)} broadcast at ${code(leave.at!)} does today` : ''}`;
  const silent =
    profileOf(ctx).sweepMd?.(l) ??
    `a timer of ours every ${fmt(l.sweepMs)} ms removes what a connection silent for ${fmt(l.silentMs)} ms owned and broadcasts its removal, closing the connection only after ${fmt(l.closeMs)} ms of silence (a hidden tab's timers can run about once a minute)`;
  const ping = sized ? '' : `, the client sending a keep-alive after ${fmt(l.keepAliveMs)} ms in which it sent nothing else`;
  return [
    {
      label: `Gone within ${spanMd(budget.ms)}`,
      valueMd: `${clean}; a sleeping laptop never closes its socket, so ${silent}${ping}: what a silent connection owned is gone at most ${fmt(worst)} ms after its last message, inside the ${spanMd(budget.ms)}${grace.ms > 0 ? `; ${grace.phraseMd} delays only a user's offline notice, never the removal of a closed connection's own state` : ''}`,
      sourceMd: `context: "${text(budget.sentence)}" (${code(budget.at)})`,
    },
  ];
}

const LIVENESS_ROWS: Record<Liveness, (ctx: DesignCtx) => Row[]> = {
  'engine-io-ping': engineIoRows,
  'sse-keepalive': sseRows,
  'ice-consent': iceRows,
  'yjs-provider': yjsRows,
  'server-ping-frame': pingFrameRows,
  'graphql-ws-keepalive': graphqlWsRows,
  'uws-idle-timeout': uwsRows,
};

/** The client's liveness probe: ours (`sys:ping`), or the one of the provider protocol the server speaks (Pusher's). */
function clientPingRow(ctx: DesignCtx): Row {
  const served = protocolTraits(ctx).served;
  if (served) return served.clientPingRow;
  return {
    label: 'Client sys:ping',
    valueMd: `every 25,000 ms${clientAt(ctx)}, reconnect if no sys:pong within 10,000 ms`,
    sourceMd: 'browsers answer ping frames but cannot send them',
  };
}

/** uWebSockets.js closes silent sockets itself (idleTimeout) and pings healthy ones (sendPingsAutomatically). */
function uwsRows(ctx: DesignCtx): Row[] {
  const cite = ctx.cite.cite(['heartbeat'], ctx.docLibrary);
  const found = projectValue(ctx);
  // The project's own behaviour values (a shared options object in another module is read too).
  const idle = projectServerOption(ctx.input, 'idleTimeout');
  const pings = projectServerOption(ctx.input, 'sendPingsAutomatically');
  return [
    {
      label: 'idleTimeout',
      valueMd: `${idle ? `the project's ${code(`idleTimeout: ${idle.value}`)} (${code(idle.evidence)}): a socket silent for ${fmt(Number(idle.value))} s is closed` : `a socket silent for ${code('idleTimeout')} seconds (default 120) is closed`}; with ${code('sendPingsAutomatically')} (${pings ? `the project sets ${code(pings.value)}` : 'default on'}) ${pings?.value === 'false' ? 'off, the server sends no pings, so a healthy idle client must send something before it' : 'the server pings first, so only a dead peer reaches it'}`,
      sourceMd: `uWebSockets.js${cite}${found ? `; the project configures liveness${found}` : ''}`,
    },
    clientPingRow(ctx),
    ...proxyRow(ctx, 25_000, 'the client pings'),
  ];
}

/** graphql-ws: useServer's keepAlive pings with ws frames; the client's keepAlive sends protocol pings; retries are the client's. */
function graphqlWsRows(ctx: DesignCtx): Row[] {
  const hb = ctx.input.analysis.stack.heartbeat;
  const interval = belowProxy(ctx, hb.intervalMs ?? 12_000);
  return [
    {
      label: 'Server keepAlive',
      valueMd: `${code('useServer(…, wsServer, keepAlive)')} pings every ${fmt(interval)} ms and terminates a socket whose pong is missing`,
      sourceMd: intervalSource(ctx, interval, 'graphql-ws default 12,000 ms'),
    },
    {
      label: 'Client keepAlive',
      valueMd: `${code('createClient({ keepAlive })')} sends a graphql-ws ${code('ping')} message every ${fmt(GQL_CLIENT_KEEPALIVE_MS)} ms, below every proxy idle timeout, and the ${code('on.ping')} / ${code('on.pong')} handlers close the socket with 4408 when its pong has not come back within ${fmt(GQL_PONG_TIMEOUT_MS)} ms, so the client reconnects`,
      sourceMd:
        "browsers cannot send ping frames; the client's keepAlive alone only sends pings and never notices a dead server (graphql-ws's ping/pong timeout recipe)",
    },
    {
      label: 'After a reconnect',
      valueMd: `the client re-sends ${code('connection_init')} and re-subscribes every active subscription; events published while it was away are not replayed, so refetch the affected queries on the ${code('connected')} event`,
      sourceMd: 'graphql-ws keeps no per-subscription log',
    },
    ...proxyRow(ctx, interval, 'the server pings', hb.intervalMs ?? undefined),
  ];
}

function projectValue(ctx: DesignCtx): string {
  const hb = ctx.input.analysis.stack.heartbeat;
  return hb.evidence ? ` (found at ${text(hb.evidence)})` : '';
}

function engineIoRows(ctx: DesignCtx): Row[] {
  const hb = ctx.input.analysis.stack.heartbeat;
  const found = projectValue(ctx);
  const cite = ctx.cite.cite(['heartbeat'], ctx.docLibrary);
  const interval = belowProxy(ctx, hb.intervalMs ?? 25_000);
  const timeout = pingTimeoutMs(ctx);
  const timeoutSource = pingTimeoutSource(ctx);
  const sio = ctx.input.analysis.stack.libraries.find((l) => l.name === FEATURES.socketIoV4Heartbeat.library);
  const timeoutRow: Row = {
    label: 'pingTimeout',
    valueMd: timeoutSource === 'planned' ? `${fmt(timeout)} ms (planned: set ${code(`pingTimeout: ${timeout}`)} in the Server options)` : `${fmt(timeout)} ms`,
    sourceMd:
      timeoutSource === 'project'
        ? `project value${hb.evidence ? ` (in the Server options at ${text(hb.evidence)})` : ''}`
        : timeoutSource === 'planned'
          ? `not set today, and the default of the engine.io release ${code(FEATURES.socketIoV4Heartbeat.library)} ${text(installedVersion(sio) ?? '')} installs is not known to rt-plan; the bounds below hold once it is set`
          : `Socket.IO v4 default${cite}`,
  };
  const src =
    interval !== (hb.intervalMs ?? 25_000) ? 'below the stated proxy idle timeout' : hb.intervalMs ? `project value${found}` : `Socket.IO v4 default${cite}`;
  if (statedProxy(ctx)) {
    return [
      { label: 'pingInterval', valueMd: `${fmt(interval)} ms`, sourceMd: src },
      timeoutRow,
      {
        label: 'Dead peer detected after',
        valueMd: `≤ ${fmt(interval + timeout)} ms`,
        sourceMd: 'pingInterval + pingTimeout, on the server and in the client',
      },
      ...proxyRow(ctx, interval, 'the server pings', hb.intervalMs ?? undefined),
    ];
  }
  return [
    { label: 'pingInterval', valueMd: `${fmt(interval)} ms`, sourceMd: src },
    timeoutRow,
    {
      label: 'Dead peer detected after',
      valueMd: `≤ ${fmt(interval + timeout)} ms`,
      sourceMd: 'pingInterval + pingTimeout, on the server and in the client',
    },
    {
      label: 'Proxy idle timeout',
      valueMd: `> ${fmt(interval + timeout)} ms (nginx ${code('proxy_read_timeout')}: set it explicitly, e.g. ${code(`${Math.ceil((interval + timeout) / 1000) + 15}s`)})`,
      sourceMd: 'above pingInterval + pingTimeout, so the proxy never closes a healthy idle connection first',
    },
  ];
}

function sseRows(ctx: DesignCtx): Row[] {
  // An AI stream is read with fetch: it sees comment lines and retries with the app's own policy.
  const viaFetch = policyKind(ctx) !== 'sse-retry';
  const retry = sseRetry(ctx);
  const serverless = profileOf(ctx).serverless;
  const keepAlive = belowProxy(ctx, SSE_KEEPALIVE_MS);
  const existingComment = streamResumeOf(ctx.input.analysis).keepAliveComment;
  // Streams are counted per user only where the plan has users: viewers the context keeps
  // anonymous, or a shared secret that names no user, leave nothing to count by but the instance.
  const countMd = (joint: string): string =>
    rulesOut(ctx, 'login') || sharedSecretAt(ctx)
      ? ": a dead stream holds its connection, and its place in the instance's connection count, for at most that long (there is no user to count streams by: they are counted per instance)"
      : `${joint}count a user's streams by last activity, so that a per-user cap, where one is set, never lets a dead one hold a live one out`;
  return [
    ...proxyRow(ctx, keepAlive, 'the stream sends a keep-alive'),
    viaFetch
      ? {
          label: 'Keep-alive',
          valueMd: `${code(': keep-alive')} comment every ${fmt(keepAlive)} ms`,
          sourceMd: `proxies close idle streams after 30–60 s${ctx.cite.cite(['sse', 'keep-alive', 'heartbeat'])}; the fetch reader sees comment lines`,
        }
      : existingComment
        ? {
            // The code already keeps the stream alive: say so at its line, and change it rather than add a second one.
            label: 'Keep-alive',
            valueMd: `existing: the ${code(existingComment.text)} comment at ${code(existingComment.evidence)}; keep it (one keep-alive, not two), and write it as ${code('event: sys:ping')} with ${code('data: {}')} there if the client watchdog below is added`,
            sourceMd: `proxies close idle streams after 30–60 s${ctx.cite.cite(['sse', 'keep-alive', 'heartbeat'])}; EventSource listeners never see ${code(': comment')} lines, so a watchdog can only count named events`,
          }
        : {
            label: 'Keep-alive',
            valueMd: `${code('event: sys:ping')} with ${code('data: {}')} every ${fmt(keepAlive)} ms`,
            sourceMd: `proxies close idle streams after 30–60 s${ctx.cite.cite(['sse', 'keep-alive', 'heartbeat'])}; a named event, because EventSource listeners never see ${code(': comment')} lines`,
          },
    viaFetch
      ? {
          label: 'Client retry',
          valueMd: `full jitter, then the explicit resume request ${code(`GET ${streamPath(ctx.layout)}?requestId=…&fromIndex=…`)}, see Reconnection`,
          sourceMd: `fetch does not reconnect by itself and sends no ${code('Last-Event-ID')}`,
        }
      : {
          label: 'retry:',
          valueMd: `${fmt(retry.minMs)} ms plus up to ${fmt(retry.maxMs - retry.minMs)} ms random per client`,
          // One fixed delay per stream: the window's top plus the reconnect is what the recovery target must hold.
          sourceMd: `averages ${fmt((retry.minMs + retry.maxMs) / 2 / 1000)} s; spreads a reconnect storm over ${retry.maxMs - retry.minMs >= 1000 ? 'one second' : `${fmt(retry.maxMs - retry.minMs)} ms`}; ${code('retry:')} is one fixed delay per stream, and its top, ${fmt(retry.maxMs)} ms, plus ${fmt(HANDSHAKE_MS)} ms for the reconnect and catch-up ${retry.maxMs + HANDSHAKE_MS <= retry.targetMs ? 'fits' : 'is past'} the ${fmt(retry.targetMs)} ms recovery target`,
        },
    {
      label: 'Dead server, seen by the client',
      valueMd: `nothing read for ${fmt(SSE_WATCHDOG_MS)} ms → ${viaFetch ? `abort the fetch and reconnect` : `${code('close()')} and reopen`}`,
      sourceMd: viaFetch ? 'a stalled reader never errors by itself' : 'EventSource itself never times out a silent stream',
    },
    {
      label: 'Dead client, seen by the server',
      valueMd:
        "late: writes to a half-open TCP connection succeed into the kernel buffer until retransmission gives up (about 15 minutes with Linux's default tcp_retries2 = 15)",
      sourceMd: 'a failed write only reports a connection the peer closed properly',
    },
    {
      label: 'Bound on dead streams',
      valueMd: serverless
        ? `${text(serverless.host)}'s function time limit ends every stream (the client resumes${viaFetch ? ` with ${code('fromIndex')}` : ''})${countMd('; ')}`
        : `end every stream after 10 minutes (${viaFetch ? `the client resumes with ${code('fromIndex')}` : 'the browser reconnects with Last-Event-ID'})${countMd(' and ')}`,
      sourceMd: 'accepts that the server learns late, and caps what it costs',
    },
  ];
}

function iceRows(ctx: DesignCtx): Row[] {
  return [
    {
      label: 'ICE connection state',
      valueMd: `${code('disconnected')} → wait 5,000 ms → ICE restart`,
      sourceMd: 'WebRTC has its own consent freshness checks',
    },
    // Token rows only where a voice provider issues the token; a peer-to-peer call has none.
    ...(ctx.scenarios.includes('voice') ? providersOf(ctx).map((p) => tokenRow(ctx, p)) : []),
  ];
}

function yjsRows(ctx: DesignCtx): Row[] {
  const interval = belowProxy(ctx, ctx.input.analysis.stack.heartbeat.intervalMs ?? 30_000);
  return [
    {
      label: 'Server ping',
      valueMd: `every ${fmt(interval)} ms from ${code('setupWSConnection')}; no pong by the next ping closes the socket`,
      sourceMd: `y-websocket server utilities${ctx.cite.cite(['heartbeat', 'state-sync'], ctx.docLibrary)}`,
    },
    {
      label: 'Client reconnect',
      valueMd: `${code('WebsocketProvider')} reconnects by itself with exponential backoff capped by ${code('maxBackoffTime')}`,
      sourceMd: 'no app-level ping needed',
    },
    { label: 'Awareness timeout', valueMd: "30,000 ms without an update removes a user's cursor", sourceMd: 'y-protocols awareness' },
  ];
}

/**
 * The one decision on a server ping loop the project already runs (a `ws.ping()` on a timer with an
 * interval the code sets, below any stated proxy idle timeout): Connection management cites it as
 * the server's ping and the implementation steps keep it, instead of proposing one of their own.
 */
export function keptServerPing(ctx: DesignCtx): { evidence: string; intervalMs: number } | null {
  if (onSupabase(ctx) || profileOf(ctx).external || ctx.providerDirect || profileOf(ctx).heartbeatRows) return null;
  if (traitsOf(ctx).liveness !== 'server-ping-frame') return null;
  const hb = ctx.input.analysis.stack.heartbeat;
  if (!hb.present || !hb.evidence || hb.intervalMs === undefined || belowProxy(ctx, hb.intervalMs) !== hb.intervalMs) return null;
  return { evidence: hb.evidence, intervalMs: hb.intervalMs };
}

function pingFrameRows(ctx: DesignCtx): Row[] {
  const hb = ctx.input.analysis.stack.heartbeat;
  const found = projectValue(ctx);
  const cite = ctx.cite.cite(['heartbeat'], ctx.docLibrary);
  const interval = belowProxy(ctx, hb.intervalMs ?? 30_000);
  return [
    {
      label: 'Server ping frame',
      valueMd: `every ${fmt(interval)} ms`,
      sourceMd: intervalSource(ctx, interval, `ws has no built-in heartbeat; documented isAlive pattern${cite}`),
    },
    { label: 'Terminate when', valueMd: 'no pong since the previous ping', sourceMd: `dead peer gone within ≤ ${fmt(interval * 2)} ms` },
    clientPingRow(ctx),
    ...(profileOf(ctx).payloadCap?.option === 'maxPayload' && !hasExistingPayloadCap(ctx)
      ? [
          {
            label: 'maxPayload',
            valueMd: 'set explicitly (see Security)',
            sourceMd: `ws default is 100 MiB${ctx.cite.cite(['payload-limit'], ctx.docLibrary)}`,
          },
        ]
      : []),
    ...proxyRow(ctx, interval, 'the server pings', hb.intervalMs ?? undefined),
  ];
}

export function auth(ctx: DesignCtx): string[] {
  const existing = ctx.input.analysis.stack.auth.filter((a) => a.kind !== 'none');
  const out: string[] = [];
  if (onSupabase(ctx)) {
    if (existing.length > 0)
      out.push(
        `Today: ${list(existing.map((a) => `${authMd(a.kind, !profileOf(ctx).external, profileOf(ctx).mintedCredentialMd)}${a.evidence ? ` at ${text(a.evidence)}` : ''}`))}.`,
      );
    return [...out, ...supabaseAuth()];
  }
  // A gate made by a package whose behaviour is documented decides first: a token in the query may be exactly what it consumes.
  const stack = ctx.input.analysis.stack;
  const gateLib = stack.authGate ? gateLibrary(stack.authGateFrom) : undefined;
  if (gateLib && stack.authGate) {
    const g = gateLib;
    out.push(
      `Today: a handshake check at ${code(stack.authGate)}: ${g.doesMd}. Keep it while clients send their token there, and read the user from ${g.identityMd(stack.authGateProperty)} wherever this plan says ${code('socket.data')}; moving the token to ${code('auth: { token }')} means replacing that middleware in the same step: ${g.switchMd}. Where it is replaced, the replacement works as the next line says.`,
    );
    const query = existing.find((a) => a.kind === 'jwt-query');
    if (query && g.queryParam)
      out.push(
        `The client's token in the query string${query.evidence ? ` (${code(query.evidence)})` : ''} is what that middleware reads today where the parameter is named ${code(g.queryParam)}.`,
      );
    const others = existing.filter((a) => !(a.kind === 'jwt-query' && g.queryParam));
    if (others.length > 0)
      out.push(
        `Also today: ${list(others.map((a) => `${authMd(a.kind, !profileOf(ctx).external, profileOf(ctx).mintedCredentialMd)}${a.evidence ? ` at ${text(a.evidence)}` : ''}`))}.`,
      );
  } else if (existing.length > 0) {
    out.push(
      `Today: ${list(existing.map((a) => `${authMd(a.kind, !profileOf(ctx).external, profileOf(ctx).mintedCredentialMd)}${a.evidence ? ` at ${text(a.evidence)}` : ''}`))}.`,
    );
    // Authentication by the first message is authentication: what follows moves it to the handshake, said as a replacement.
    const first = existing.find((a) => a.kind === 'first-message');
    if (first)
      out.push(
        `The handshake authentication below replaces the first-message check${first.evidence ? ` (${code(first.evidence)})` : ''}: keep that listener until every client sends its credentials at the handshake, then register the handlers it registers at connection and remove it.`,
      );
  } else if (publicViewersMd(ctx) && ctx.input.analysis.stack.auth.some((a) => a.kind === 'none' && a.evidence)) {
    // The model shows the stream open to anyone and the context rules out a login: that is the design, not a gap.
    const open = ctx.input.analysis.stack.auth.find((a) => a.kind === 'none')?.evidence ?? '';
    out.push(`Today the stream is open to anyone (${code('none')} at ${text(open)}), which is what the context asks for.`);
  } else if (ctx.input.analysis.findings.some((f) => f.id === 'shared-secret-fails-open')) {
    // A shared secret compared in the handshake middleware is authentication, of every client as one.
    const at = ctx.input.analysis.findings.find((f) => f.id === 'shared-secret-fails-open')!.evidence;
    out.push(
      `Today: one shared secret for every client, compared at ${code(at)} (no per-user identity, and it lets everyone in while the variable is unset: see the ${code('shared-secret-fails-open')} finding).`,
    );
  } else if (ctx.input.analysis.stack.authGate) {
    // A gate the analysis saw but does not classify: it exists, and what it checks is for the reader to confirm.
    out.push(
      `Today: a handshake check at ${code(ctx.input.analysis.stack.authGate)} that rt-plan does not classify (it may verify the user, or only the Origin); read what it verifies, and keep it or fold it into the check below.`,
    );
  } else if (profileOf(ctx).anonymousHandshakeMd) {
    // The protocol the server speaks has no credential at the handshake: that is its design, not a gap.
    const open = ctx.input.analysis.stack.auth.find((a) => a.kind === 'none')?.evidence;
    out.push(profileOf(ctx).anonymousHandshakeMd!(open ?? undefined));
  } else {
    // Absence in the analysis is not proof: the check may sit in a route or a framework hook it does not model.
    const entry = serverEntry(ctx);
    const where = entry ? (entry.route ? ` in the stream route (${code(entry.at)})` : ` where the server is set up (${code(entry.at)})`) : '';
    // Where every route the model read is unguarded and only reads, there is no session of the app's to point at.
    const routes = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'http-route');
    // A write route with no guard may itself be the sign-in (`POST /login`): it counts only when no route is named
    // like one and no manifest declares a sign-in or session package (profiles/sign-in.ts).
    const noPackage = !signInPackage(ctx);
    const noneToReuse =
      routes.length > 0 &&
      routes.every((f) => f.value === undefined) &&
      (routes.every((f) => f.name.startsWith('GET ')) || (noPackage && !routes.some((f) => signInPath(f.name))));
    out.push(
      noneToReuse
        ? `The analysis found no handshake authentication${where}, and no login, session or token in the routes it read (${list(routes.slice(0, 4).map((f) => `${routeNameMd(f)} at ${code(f.evidence)}`))}${routes.length > 4 ? ', …' : ''}, none behind an auth check)${noPackage ? ' nor a sign-in or session package in the manifests' : ''}: the session the next lines rely on needs a sign-in that sets it, which is not in the code rt-plan read (assumption: one exists outside it, or is built with this plan).`
        : noPackage
          ? // Without a route to read, the manifests still say whether a sign-in library is there at all.
            `The analysis found no handshake authentication${where}, and no sign-in or session package in the manifests: the session the next lines rely on needs a sign-in that sets it, which rt-plan did not find (assumption: one exists outside the packages and code it read, or is built with this plan).`
          : `The analysis found no handshake authentication${where}; confirm in the code before relying on it (assumption: the app has a session or JWT for its HTTP routes to reuse).`,
    );
  }
  // A token nothing verifies is no authentication: say so before anything about where it travels.
  const unverified = ctx.input.analysis.findings.filter((f) => f.id === 'unverified-token-identity');
  if (unverified.length > 0)
    out.push(
      `Nothing verifies that token today: the server takes the connection's user from it as sent, with no signature check or lookup (${list(unverified.map((f) => code(f.evidence)))}, ${code('unverified-token-identity')} in Findings), so any client picks its identity. The handshake check below replaces that: the user comes only from a verified token.`,
    );
  if (existing.some((a) => a.kind === 'jwt-query'))
    out.push(
      `${unverified.length > 0 ? 'A token' : 'A JWT'} in the query string ends up in proxy and access logs: ${traitsOf(ctx).queryTokenFixMd ?? 'replace it with a single-use ticket (30 s) fetched over HTTPS right before connecting, or with the session cookie'}${gateLib?.queryParam ? `, in the same step that replaces the middleware at ${code(stack.authGate!)} (while it stays, it reads only the query token and refuses a client that moved)` : ''}.`,
    );
  if (existing.some((a) => a.kind === 'api-key-in-client'))
    out.push('A provider API key is reachable from client code: replace it with server-minted ephemeral tokens and rotate the key.');
  const external = profileOf(ctx).external;
  if (external) {
    out.push(
      `The server decides how its handshake is authenticated (${external.askMd}): the client fetches the credential it asks for right before each connect (a single-use, short-lived ticket in the URL is safe; a long-lived token there ends up in logs) and keeps it in memory only.${statedCredentialLifeMd(ctx)}`,
    );
    return out;
  }
  // One shared secret: the server knows a connection, never a user, and nothing expires, so the plan
  // proposes no per-user identity, token refresh or per-user limit the code gives no basis for.
  const shared = sharedSecretAt(ctx);
  if (shared && !ctx.providerDirect && !publicViewersMd(ctx)) {
    out.push(
      `Keep the handshake check at ${code(shared)}, fixed as the finding says. Every client presents the same secret, so the server knows a connection, not a user: nothing on the connection names a user, the secret does not expire (there is no token to refresh on an open connection), and rate limits are per connection. Per-user identity, per-user limits and token expiry come only with a per-user credential (the app's session or a signed token) checked at the same place; the code shows none.`,
    );
    return out;
  }
  const ps = providersOf(ctx);
  const livekitOnly = ps.every((p) => VOICE[p].signedJoinToken);
  out.push(
    ctx.providerDirect
      ? noSignInFound(ctx)
        ? `The browser connects to the provider with ${livekitOnly ? 'a join token signed by' : 'an ephemeral token from'} a route on our server; the provider ${livekitOnly ? 'API secret' : 'API key'} never leaves the server${ctx.cite.cite(['ephemeral-token'], ps[0] ?? 'openai-realtime')}. rt-plan found no user sign-in in this project, so the route has no user to authenticate: until one is added, it accepts only our own ${code('Origin')}, rate-limits per IP and mints narrow tokens (${ps.map((p) => VOICE[p].narrowTokenMd).join('; ')}), which limits what a scripted caller can spend but does not stop one.`
        : `The browser connects to the provider with ${livekitOnly ? 'a join token signed by' : 'an ephemeral token from'} an authenticated route on our server (session cookie, per-user rate limit); the provider ${livekitOnly ? 'API secret' : 'API key'} never leaves the server${ctx.cite.cite(['ephemeral-token'], ps[0] ?? 'openai-realtime')}.`
      : (publicViewersMd(ctx) ?? profileOf(ctx).handshakeAuthMd ?? withServerAt(ctx, stopAuthMd(ctx) ?? traitsOf(ctx).authMd)),
  );
  // A cookie rides on the upgrade request itself: a must-not against a token in the URL needs nothing more.
  const noUrlToken = contextStates(ctx, 'tokenInUrl', 'must-not');
  if (noUrlToken && ctx.input.analysis.stack.auth.some((a) => a.kind === 'session-cookie' || a.kind === 'jwt-cookie'))
    out.push(
      `The browser sends the session cookie with the request that opens the connection (same origin), so no token goes in the URL: this is how the plan meets ${quoteOf(noUrlToken)}.`,
    );
  // Our server holds no connection to the provider: token expiry is the provider's rule, per provider.
  if (ctx.providerDirect) {
    out.push(`Token lifetimes: ${ps.map((p) => `${PROVIDER_LABEL[p]}: ${TOKEN_LIFETIME_MD[p]}`).join('; ')}.`);
    return out;
  }
  // An AI answer read with fetch is a POST plus explicit resume GETs: no EventSource, no long-lived socket to close.
  if (traitsOf(ctx).policy === 'sse-retry' && policyKind(ctx) !== 'sse-retry') {
    out[out.length - 1] =
      `The answer stream is a ${code('fetch')} POST, which can send headers: authenticate it and every resume ${code('GET')} with the session cookie (same origin) or an ${code('Authorization')} header, checked on each request.`;
    out.push(
      'Tokens expire: each request (the POST and every resume) is checked; a running stream is not cut for an expiring token, since it ends with its generation, and the client refreshes the token before the next request.',
    );
    return out;
  }
  const expiry = tokenExpiryOf(ctx);
  if (expiry) out.push(expiry.md);
  return out;
}

/**
 * The runtime's own answer to an expiring credential: its cookie variant where every credential the
 * code checks is the site's cookie (the browser sends the current one on each reconnect), else its token one.
 */
export function ownExpiryMd(ctx: DesignCtx): string | undefined {
  const p = profileOf(ctx);
  const existing = ctx.input.analysis.stack.auth.filter((a) => a.kind !== 'none');
  const cookies = existing.length > 0 && existing.every((a) => a.kind === 'session-cookie' || a.kind === 'jwt-cookie');
  return cookies && p.cookieExpiryMd ? p.cookieExpiryMd : p.tokenExpiryMd;
}

/**
 * How an expiring token is handled on a connection our server holds, and the event that carries a
 * fresh one on the open socket when the transport's answer uses one (the catalog lists it). Undefined
 * where auth() says nothing of expiry: no connection of ours (Supabase, a provider reached from the
 * browser, an external server), a fetch stream checked per request, public viewers, or a session
 * cookie as the only credential.
 */
export function tokenExpiryOf(ctx: DesignCtx): { md: string; refreshEvent?: string } | undefined {
  if (onSupabase(ctx) || profileOf(ctx).external || ctx.providerDirect) return undefined;
  if (sharedSecretAt(ctx) && !publicViewersMd(ctx)) return undefined;
  // An anonymous connection by protocol (Pusher's) carries no token to expire.
  if (profileOf(ctx).anonymousHandshakeMd) return undefined;
  if (traitsOf(ctx).policy === 'sse-retry' && policyKind(ctx) !== 'sse-retry') return undefined;
  // Expiry is said where a token opens the connection: not for public viewers, nor where a session cookie is the only credential.
  const existing = ctx.input.analysis.stack.auth.filter((a) => a.kind !== 'none');
  const cookieOnly = existing.length > 0 && existing.every((a) => a.kind === 'session-cookie');
  const own = ownExpiryMd(ctx);
  if (publicViewersMd(ctx) || (cookieOnly && !own)) return undefined;
  if (own) return { md: own };
  const traits = traitsOf(ctx);
  return traits.refreshEvent ? { md: traits.tokenExpiryMd, refreshEvent: traits.refreshEvent } : { md: traits.tokenExpiryMd };
}

/** " from the client (`a:1`, `b:2`)", where the analysis found the clients. */
function clientAt(ctx: DesignCtx): string {
  const at = clientEntryAt(ctx);
  return at
    ? ` from the client (${at
        .split(', ')
        .map((x) => code(x))
        .join(', ')})`
    : '';
}

/** The transport's handshake advice, pointed at the server the analysis found. */
function withServerAt(ctx: DesignCtx, md: string): string {
  const entry = serverEntry(ctx);
  if (!entry) return md;
  return `${md} ${entry.route ? 'The stream route is' : 'The server is set up'} at ${code(entry.at)}.`;
}

function clientConfig(ctx: DesignCtx): { lang: string; code: string } {
  const lang = ctx.layout.ext === 'ts' ? 'ts' : 'js';
  if (onSupabase(ctx)) return supabaseClientConfig(lang, supabaseHeartbeatMs(ctx).ms);
  const kind = policyKind(ctx);
  // A fetch-read AI stream retries with our own full jitter, but its snippet is the POST and the resume GET.
  if (kind === 'full-jitter' && traitsOf(ctx).liveness === 'sse-keepalive') return fetchStreamConfig(ctx, lang);
  if (traitsOf(ctx).liveness === 'graphql-ws-keepalive') return graphqlWsConfig(lang);
  return CLIENT_SNIPPETS[kind](ctx, lang);
}

const CLIENT_SNIPPETS: Record<PolicyKind, (ctx: DesignCtx, lang: string) => { lang: string; code: string }> = {
  'socket.io': socketIoConfig,
  'y-websocket': yjsConfig,
  'sse-retry': eventSourceConfig,
  supabase: (ctx, lang) => supabaseClientConfig(lang, supabaseHeartbeatMs(ctx).ms),
  'full-jitter': jitterConfig,
};

function socketIoConfig(ctx: DesignCtx, lang: string): { lang: string; code: string } {
  // Cookie-based pinning on another origin needs credentials on both sides (socket.io/docs/v4/using-multiple-nodes):
  // without them the polling requests carry no stickiness cookie and land anywhere (400 "Session ID unknown").
  // The client's own io() call, where the code shows it: its URL (and so its namespace) and literal options stay as they are.
  const client = ctx.input.analysis.stack.socketClient;
  const sameOrigin = client?.sameOrigin === true;
  const transports = stickySessions(ctx)
    ? `  // default transports (polling, then upgrade): the load balancer pins each client, see Performance and scaling\n${mentionsNginx(ctx) ? '' : sameOrigin ? '  // same origin as the page: the browser sends the stickiness cookie with the polling requests by itself (no withCredentials)\n' : '  withCredentials: true, // the stickiness cookie rides on cross-origin polling requests only with this (and cors credentials: true on the server)\n'}`
    : websocketOnly(ctx)
      ? "  transports: ['websocket'], // no polling, so no node has to pin a client (see Performance and scaling)\n"
      : '';
  return {
    lang,
    code: `${clientEntryAt(ctx) ? `// ${clientEntryAt(ctx)}: where the client connects today\n` : ''}const socket = io(${client ? (client.url ? `${client.url}${droppedQuery(ctx, client)}, ` : '') : 'URL, '}{\n${keptOptions(client)}${socketIoAuthLine(ctx)}  reconnectionDelay: ${BACKOFF.baseMs}, // attempt n waits min(${backoffCap(ctx).ms}, ${BACKOFF.baseMs} * 2^n * (1 ± 0.5))\n  reconnectionDelayMax: ${backoffCap(ctx).ms},\n  randomizationFactor: 0.5, // ±50% around the exponential delay, not full jitter\n${transports}});\n// a server-initiated close (drain, expired token) is not retried by Socket.IO: spread those clients over 5 s\nsocket.on('disconnect', (reason) => {\n  if (reason === 'io server disconnect') setTimeout(() => socket.connect(), Math.random() * 5000);\n});`,
  };
}

/**
 * The placeholder for the query string (or userinfo) the analyzer left out of the client's URL: a
 * plan never repeats it, since it may hold a credential. Where the snippet sends a credential in
 * `auth`, one in the URL moves there.
 */
function droppedQuery(ctx: DesignCtx, client: NonNullable<DesignCtx['input']['analysis']['stack']['socketClient']>): string {
  if (!client.urlQueryDropped) return '';
  const hs = ctx.input.analysis.stack.handshakeAuth;
  const sendsAuth = !hs || hs.client;
  return ` /* the query string (or a token-like path segment, shown as {redacted}) as today (${client.evidence}), not copied into this plan${sendsAuth ? '; a credential in it moves to auth below' : ''} */`;
}

/** Options the client's io() call sets (as written) and the snippet does not set itself, kept as they are. */
const SNIPPET_OPTIONS = new Set(['auth', 'query', 'reconnectionDelay', 'reconnectionDelayMax', 'randomizationFactor', 'transports', 'withCredentials']);
function keptOptions(client: DesignCtx['input']['analysis']['stack']['socketClient']): string {
  const kept = (client?.options ?? []).filter((o) => !SNIPPET_OPTIONS.has(o.key));
  return kept.map((o) => `  ${o.key}: ${o.value}, // as today (${client!.evidence})\n`).join('');
}

/**
 * The `auth` option of the Socket.IO client snippet, in the project's own terms: the field the
 * server reads from `handshake.auth` (`hostToken`), and none at all where no client in the
 * repository passes an `auth` option today (the snippet does not add a credential the project's
 * clients do not send). A project whose server reads no named field gets the generic token.
 */
function socketIoAuthLine(ctx: DesignCtx): string {
  const hs = ctx.input.analysis.stack.handshakeAuth;
  if (!hs) return '  auth: (cb) => cb({ token: getToken() }), // called again before every reconnect\n';
  const names = hs.keys.map((k) => k.name);
  const read = `handshake.auth.${names.join(' / handshake.auth.')}`;
  if (!hs.client) return `  // no auth option, as today: this client sends no handshake auth (the server reads ${read} at ${hs.keys[0]!.evidence})\n`;
  const fields = names.map((n) => `${n}: get${n[0]!.toUpperCase()}${n.slice(1)}()`).join(', ');
  return `  auth: (cb) => cb({ ${fields} }), // the existing ${read}, read again before every reconnect\n`;
}

function yjsConfig(_ctx: DesignCtx, lang: string): { lang: string; code: string } {
  return {
    lang,
    code: `import * as Y from 'yjs';\nimport { WebsocketProvider } from 'y-websocket';\n\nconst doc = new Y.Doc();\n// no credential in the URL: the provider reconnects by itself to the same URL and params, so the\n// upgrade is authenticated with the same-origin session cookie (a single-use ticket would be spent)\nconst provider = new WebsocketProvider(WS_URL, docId, doc);\nprovider.on('status', ({ status }) => setConnectionStatus(status));`,
  };
}

function fetchStreamConfig(ctx: DesignCtx, lang: string): { lang: string; code: string } {
  const path = streamPath(ctx.layout);
  const n = lang === 'ts' ? ': number' : '';
  return {
    lang,
    code: `// EventSource cannot POST a prompt: read the text/event-stream response of the POST with fetch.\n// fetch has no automatic reconnection: the app retries and resumes from the last chunk index.\n// requestId also rides in the query string, as on the resume GET: a load balancer can route on the URL, never on a body\nconst res = await fetch(\`${path}?requestId=\${encodeURIComponent(requestId)}\`, {\n  method: 'POST',\n  headers: { 'content-type': 'application/json' },\n  body: JSON.stringify({ requestId, conversationId, prompt }),\n});\nlet lastIndex = await readChunks(res); // split on blank lines, append ai:chunk by index, return the last index\n\n// after a drop: full jitter, uniform in [0, min(cap, base * 2^attempt)], then the explicit resume request\nfunction reconnectDelay(attempt${n}) {\n  return Math.random() * Math.min(${backoffCap(ctx).ms}, ${BACKOFF.baseMs} * 2 ** attempt);\n}\nconst resumed = await fetch(\`${path}?requestId=\${encodeURIComponent(requestId)}&fromIndex=\${lastIndex + 1}\`);\n// 200: buffered chunks from fromIndex, then live; STREAM_EXPIRED: load the final message over HTTP`,
  };
}

function eventSourceConfig(ctx: DesignCtx, lang: string): { lang: string; code: string } {
  const retry = sseRetry(ctx);
  // EventSource sends Last-Event-ID only on its own reconnects: a new EventSource (after the
  // watchdog's close(), or a reload) sends none, so the client passes the last id itself.
  // What the code already does (stream-resume.ts) is left out; the server lines use the project's framework.
  const p = eventStreamPath(ctx.input.analysis, streamPath(ctx.layout));
  const r = streamResumeOf(ctx.input.analysis);
  const api = sseServerApi(ctx.layout.framework);
  const param = r.client?.name ?? r.query?.name ?? 'lastEventId';
  const server = [
    '// server: first line of every stream: a randomized retry: spreads reconnects',
    api.write(`'retry: ' + (${retry.minMs} + Math.floor(Math.random() * ${retry.maxMs - retry.minMs + 1})) + '\\n\\n'`),
    ...(r.header && r.query
      ? []
      : ['// resume from the header (browser reconnect) or the query (new EventSource)', `const lastEventId = ${api.readResume(param)};`]),
  ];
  const client = r.client
    ? []
    : [
        '',
        '// client: remember the last id; a new EventSource sends no Last-Event-ID by itself',
        "let lastId = sessionStorage.getItem('lastEventId') ?? '';",
        'function open() {',
        `  const source = new EventSource('${p}' + (lastId ? '?${param}=' + encodeURIComponent(lastId) : ''), { withCredentials: true });`,
        '  return source;',
        '}',
        '// call in every listener: named events never reach onmessage',
        `function remember(e${lang === 'ts' ? ': MessageEvent' : ''}) {`,
        "  if (e.lastEventId) sessionStorage.setItem('lastEventId', (lastId = e.lastEventId));",
        '}',
      ];
  return { lang, code: [...server, ...client].join('\n') };
}

function graphqlWsConfig(lang: string): { lang: string; code: string } {
  const n = lang === 'ts' ? ': number' : '';
  return {
    lang,
    code: `let active${lang === 'ts' ? ': WebSocket | undefined' : ''};\nlet pongTimer${lang === 'ts' ? ': ReturnType<typeof setTimeout> | undefined' : ''};\ncreateClient({\n  url,\n  connectionParams: () => ({ authToken: getToken() }), // called on every (re)connect: a fresh token each time\n  keepAlive: ${GQL_CLIENT_KEEPALIVE_MS}, // protocol ping below the proxy idle timeout\n  retryAttempts: Infinity,\n  // full jitter instead of the default backoff, so a fleet dropped together spreads out\n  retryWait: (retries${n}) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(${BACKOFF.capMs}, ${BACKOFF.baseMs} * 2 ** retries))),\n  shouldRetry: () => true,\n  on: {\n    connected: (socket) => { active = socket${lang === 'ts' ? ' as WebSocket' : ''}; refetchActiveQueries(); }, // nothing is replayed: read what changed while away\n    // keepAlive only sends pings: close a socket whose pong does not come back, so a dead server is noticed\n    ping: (received) => { if (!received) pongTimer = setTimeout(() => active?.close(4408, 'Request Timeout'), ${GQL_PONG_TIMEOUT_MS}); },\n    pong: (received) => { if (received) clearTimeout(pongTimer); },\n  },\n});`,
  };
}

/** A client library's own reconnect settings; else rt-plan's operations note holds the full-jitter function. */
function jitterConfig(ctx: DesignCtx, lang: string): { lang: string; code: string } {
  const settings = reconnectSettings(dependencies(ctx));
  // The project already sets the library's reconnect options: they are kept and checked, not replaced
  // by a snippet that would drop what they do (a close code they refuse to retry, an attempt limit).
  if (ctx.input.analysis.stack.reconnect.present) return { lang: 'js', code: '' };
  return settings ? { lang, code: settings.code(BACKOFF.baseMs, backoffCap(ctx).ms) } : { lang: 'js', code: '' };
}

/**
 * An EventSource a non-200 answer or a wrong Content-Type closed stays CLOSED: only a new one
 * reconnects. When the project's own retry loop (with backoff) reopens it, say so at its line.
 */
function closedReopen(ctx: DesignCtx, kind: PolicyKind): string {
  const rc = ctx.input.analysis.stack.reconnect;
  if (kind !== 'sse-retry' || !rc.present || !rc.backoff || !rc.evidence) return '';
  return ` A non-200 answer closes an EventSource for good; the code already opens a new one then, with backoff${rc.jitter ? ' and jitter' : ''} (${code(rc.evidence)}): keep it, since the browser's own retries cover network errors and streams that end, not a refused one.`;
}

/** How the Socket.IO schedule's ceiling compares with the library's default 5,000 ms. */
function ceilingChange(policy: ReconnectPolicy): string {
  const cap = Math.max(...policy.table.map((r) => r.ceilingMs));
  return cap > 5_000
    ? 'a shorter first wait, a longer ceiling'
    : cap === 5_000
      ? 'a shorter first wait, the same ceiling'
      : 'a shorter first wait and a lower ceiling';
}

/** Why the ceiling is below 30 s: the context's window for a dropped client to come back in. */
function capReasonMd(ctx: DesignCtx): string {
  const { ms, window } = backoffCap(ctx);
  if (!window || ms >= BACKOFF.capMs) return '';
  return ` The ceiling is ${fmt(ms)} ms, not ${fmt(BACKOFF.capMs)} ms: the context gives a dropped client ${fmt(window.seconds)} s to come back (${quoteOf({ sentence: window.sentence, evidence: window.at })}), and a longer delay could start just before the network returns and end after that window has closed.`;
}

const BACKOFF_MD: Record<PolicyKind, (policy: ReconnectPolicy, recovery: string) => string> = {
  'socket.io': (policy, recovery) =>
    `Socket.IO's client Manager retries by itself: attempt *n* (from 0) waits ${policy.formulaMd}, roughly uniform in that ±50% band (\`randomizationFactor: 0.5\`); this is not full jitter, so a fleet dropped together returns within the first band. ${recovery} The defaults (1,000 ms base, 5,000 ms cap) change to the values below: ${ceilingChange(policy)}. After a server-initiated close (\`io server disconnect\`) Socket.IO does not retry at all: the client reconnects itself after a random 0–5 s delay.`,
  supabase: (policy, recovery) =>
    `supabase-js retries by itself: attempt *n* waits ${policy.formulaMd}, and every channel rejoins once the socket is back; the app writes no retry loop. ${recovery}`,
  'y-websocket': (policy, recovery) =>
    `${code('WebsocketProvider')} retries by itself: attempt *n* waits ${policy.formulaMd} (${code('maxBackoffTime')} defaults to 2,500 ms), so clients dropped together retry in lockstep. ${recovery}`,
  'sse-retry': (policy, recovery) =>
    `EventSource retries by itself: every attempt waits ${policy.formulaMd}; the server can raise \`retry:\` under load. ${recovery}`,
  'full-jitter': (policy, recovery) =>
    `Delay before attempt *n* (from 0) is ${policy.formulaMd}, so clients dropped together spread their reconnects instead of stampeding; the attempt counter resets after 10 s connected.${policy.herd ? ` ${herdMd(policy.herd)}` : ''} ${recovery}`,
};

function dependencies(ctx: DesignCtx): string[] {
  return ctx.input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies));
}

/** True where the client library, not a schedule of ours, decides when to reconnect. */
/**
 * The one decision on a retry loop the project already wrote (full jitter, no library or SDK that
 * reconnects by itself): it is kept in place and checked against the policy. Connection management
 * says so and the implementation steps change that file instead of moving it onto a new manager,
 * so the two never disagree.
 */
export function keptOwnReconnect(ctx: DesignCtx): { evidence: string; file: string; backoff: boolean; jitter: boolean } | null {
  if (ctx.providerDirect || policyKind(ctx) !== 'full-jitter' || selfReconnect(ctx) !== null) return null;
  if (clientConfig(ctx).code !== '') return null;
  const rc = ctx.input.analysis.stack.reconnect;
  if (!rc.present || !rc.evidence) return null;
  return { evidence: rc.evidence, file: rc.evidence.replace(/:\d+$/, ''), backoff: rc.backoff === true, jitter: rc.jitter === true };
}

export function reconnectsItself(ctx: DesignCtx): boolean {
  return selfReconnect(ctx) !== null;
}

/**
 * The reconnection clause of the Summary, the client step and the unit tests: a provider SDK or a
 * client package that reconnects by itself (Ably, Pusher, partysocket) gets no retry loop of ours,
 * so no plan sentence may promise one.
 */
export function reconnectClauseMd(ctx: DesignCtx): string {
  // The project's own reconnect is kept: where its delays are not modelled, rt-plan's policy is only what it is checked against.
  const kept = keptOwnReconnect(ctx);
  const fixed = kept ? fixedDelayOf(ctx) : null;
  if (kept && fixed)
    return `the client's own reconnect loop kept (${code(kept.evidence)}), its fixed ${fmt(fixed.delay.baseMs)} ms delay (no backoff, no jitter) replaced by ${reconnectSummaryMd(ctx).replace(/^reconnect with /, '')}`;
  if (kept && !projectDelayOf(ctx))
    return `the client's own reconnect kept (${code(kept.evidence)}) and checked against ${reconnectSummaryMd(ctx).replace(/^reconnect with /, '')}`;
  if (!reconnectsItself(ctx)) return reconnectSummaryMd(ctx);
  const host = profileOf(ctx).socketHost;
  if (host) return `the ${host.label} SDK reconnects by itself`;
  const client = selfReconnectingClient(dependencies(ctx));
  return client ? `${code(client.pkg)} reconnects by itself` : reconnectSummaryMd(ctx);
}

/** A client that reconnects by itself: a managed provider's SDK, or a reconnecting WebSocket the project uses. */
function selfReconnect(ctx: DesignCtx): string | null {
  if (ctx.providerDirect || policyKind(ctx) !== 'full-jitter') return null;
  const host = profileOf(ctx).socketHost;
  // A provider that recovers short drops itself replays what the client missed: a refetch is only for what its recovery does not cover.
  if (host)
    return managedProvider(ctx.input)?.recoveryMd
      ? `The ${host.label} SDK reconnects by itself and resubscribes its channels: the app writes no retry loop of its own. It shows the SDK's connection state and catches up only where ${host.label}'s own recovery does not (see Resume and replay).`
      : `The ${host.label} SDK reconnects by itself and resubscribes its channels: the app writes no retry loop of its own. It shows the SDK's connection state and, after a reconnect, fetches what the screen shows (see Resume and replay).`;
  const client = selfReconnectingClient(dependencies(ctx));
  return client
    ? `${code(client.pkg)} reconnects by itself: the app writes no retry loop of its own; it resends what the server must know (${seqless(ctx) ? 'its subscriptions' : orderingOf(ctx).by === 'server-seq' ? 'subscriptions, the last seq' : 'its subscriptions, if any'}) on every ${code('open')} (see Resume and replay).`
    : null;
}

/**
 * The default schedule of the self-reconnecting client the project uses, at its version, where the
 * client sets none of its delay options (a `reconnect-option` fact); null where rt-plan does not know it.
 */
export function libraryReconnect(ctx: DesignCtx): (ClientReconnectDefaults & { version: string }) | null {
  if (!reconnectsItself(ctx) || profileOf(ctx).socketHost) return null;
  const d = clientReconnectDefaultsOf(ctx.input.analysis.stack.libraries);
  if (!d) return null;
  const set = (ctx.input.analysis.modelFacts ?? []).some((f) => f.kind === 'reconnect-option' && (f.name === d.minOption || f.name === d.maxOption));
  return set ? null : d;
}

/** "`reconnecting-websocket` 4.4.0 waits 1,000–5,000 ms before its first retry after a drop (…)". */
export function libraryFirstDelayMd(d: ClientReconnectDefaults & { version: string }): string {
  const range = d.firstMinMs === d.firstMaxMs ? `${fmt(d.firstMinMs)} ms` : `${fmt(d.firstMinMs)}–${fmt(d.firstMaxMs)} ms`;
  return `${code(d.library)} ${d.version} waits ${range} before its first retry after a drop (its default ${code(d.minOption)}, ${d.drawnMd}; the client sets none), then ${d.factor}× longer per attempt up to ${fmt(d.capMs)} ms`;
}

/** The share of drops a library's default first delay brings back within `targetMs` (uniform draw between its bounds). */
export function libraryShareWithin(d: ClientReconnectDefaults, targetMs: number): number {
  if (d.firstMinMs >= targetMs) return 0;
  if (d.firstMaxMs <= targetMs) return 1;
  return (targetMs - d.firstMinMs) / (d.firstMaxMs - d.firstMinMs);
}

/** The project's cap on reconnect attempts (`reconnectAttempts: 50`), if its options set one. */
export function attemptLimitOf(ctx: DesignCtx): { name: string; attempts: number; evidence: string } | null {
  const f = (ctx.input.analysis.modelFacts ?? []).find((x) => x.kind === 'reconnect-attempts' && x.value !== undefined);
  const n = f ? Number(f.value) : Number.NaN;
  return f && Number.isInteger(n) && n > 0 ? { name: f.name, attempts: n, evidence: f.evidence } : null;
}

/**
 * How long an attempt limit keeps trying under the project's own delay function, where the
 * analysis read it (the sum of the ceilings at worst, of the expected delays otherwise); null
 * where the code's delays are not modelled: rt-plan's policy is no measure of the code's.
 */
export function attemptLimitSpan(
  ctx: DesignCtx,
  attempts: number,
): { worstMs: number; expectedMs: number; capMs: number | null; lowestCapMs: number | null } | null {
  const project = projectDelayOf(ctx);
  if (!project) return null;
  let worstMs = 0;
  let expectedMs = 0;
  for (let n = 0; n < attempts; n++) {
    const a = projectDelayAt(project.delay, n);
    worstMs += a.ceilingMs;
    expectedMs += a.expectedMs;
  }
  // Where the delay stops growing: the cap's band, if it has a cap.
  const top = project.delay.capMs !== null ? projectDelayAt(project.delay, 60) : null;
  return { worstMs, expectedMs, capMs: top?.ceilingMs ?? null, lowestCapMs: top?.minMs ?? null };
}

function attemptLimitMd(ctx: DesignCtx): string {
  const limit = attemptLimitOf(ctx);
  if (!limit) return '';
  const span = attemptLimitSpan(ctx, limit.attempts);
  const min = (ms: number) => `${fmt(Math.round(ms / 60_000))} minute${Math.round(ms / 60_000) === 1 ? '' : 's'}`;
  const stops = ` The client stops after ${code(`${limit.name}: ${limit.attempts}`)} (${code(limit.evidence)}) failed attempts in a row`;
  const how = span
    ? `: with the code's delays that is about ${min(span.expectedMs)} of retrying (${min(span.worstMs)} at most)`
    : `; rt-plan does not model the code's reconnect delay, so how long that takes is not computed here`;
  const capMd =
    span?.capMs != null
      ? ` (the code's delay stops growing at ${span.lowestCapMs === span.capMs ? `${fmt(span.capMs)} ms` : `${fmt(span.lowestCapMs ?? 0)}–${fmt(span.capMs)} ms`}, so that is one attempt every ${span.lowestCapMs === span.capMs ? `${fmt(span.capMs / 1000)} s` : `${fmt((span.lowestCapMs ?? 0) / 1000)}–${fmt(span.capMs / 1000)} s`})`
      : '';
  return `${stops}${how}, after which the connection stays closed until the page is reloaded, so a longer outage leaves a dead screen. Make the retries unbounded${capMd}, or, once they stop, show a visible "Reconnect" control that starts them again.`;
}

/** The project's own delay function, stated with its figures and compared with rt-plan's policy. */
function projectScheduleMd(ctx: DesignCtx, policy: ReconnectPolicy, recovery: string): string {
  const project = policy.project;
  if (!project) return '';
  const capMs = backoffCap(ctx).ms;
  const ours = `uniform in [0, min(${fmt(capMs)} ms, ${fmt(BACKOFF.baseMs)} ms × 2^n)] (full jitter), ${fmt(BACKOFF.baseMs)} ms at most before the first attempt and ${fmt(capMs)} ms at most before any`;
  const [a0] = policy.table;
  const first = a0 ? (a0.minMs === a0.ceilingMs ? `${fmt(a0.ceilingMs)} ms` : `${fmt(a0.minMs)}–${fmt(a0.ceilingMs)} ms`) : '';
  const diff =
    project.delay.jitter === 'full'
      ? ''
      : project.delay.jitter === 'none'
        ? ` It has no jitter: clients dropped together retry at the same moments; add it as ${code('reconnectDelay')} in rt-plan's operations note${ctx.cite.cite(['reconnect-code'], 'rt-plan')} does.`
        : ` Its jitter is narrower than full jitter: clients dropped together come back spread over ${first} on the first attempt, not from 0.`;
  return `Its delay before attempt *n* (from 0) is ${policy.formulaMd} (${code(project.name)}, ${code(project.evidence)}); rt-plan's policy, for comparison, is ${ours}.${diff} ${recovery}`;
}

function backoffText(ctx: DesignCtx, policy: ReconnectPolicy): string {
  const recovery = recoveryMd(ctx, policy);
  if (ctx.providerDirect)
    return `${providerBackoff(ctx, policy, recovery)} ${code('reconnectDelay')} in rt-plan's operations note${ctx.cite.cite(['reconnect-code'], 'rt-plan')} computes the delay (${code(`baseMs = ${BACKOFF.baseMs}`)}, ${code(`capMs = ${backoffCap(ctx).ms}`)}).`;
  const own = selfReconnect(ctx);
  if (own) return own;
  const md = BACKOFF_MD[policy.kind](policy, recovery) + closedReopen(ctx, policy.kind) + capReasonMd(ctx);
  if (policy.kind !== 'full-jitter' || clientConfig(ctx).code !== '') {
    const settings = policy.kind === 'full-jitter' ? reconnectSettings(dependencies(ctx)) : null;
    return settings ? `${settings.md} ${md}` : md;
  }
  // The project's own reconnect (found by the analysis, as Current state says) is kept, not replaced.
  const existing = keptOwnReconnect(ctx);
  if (existing) {
    const has = [existing.backoff ? 'backoff' : '', existing.jitter ? 'jitter' : ''].filter(Boolean);
    const fixed = fixedDelayOf(ctx);
    if (fixed)
      return `The client already reconnects (${code(existing.evidence)}): keep its loop, not its delay. It waits the same ${fmt(fixed.delay.baseMs)} ms before every attempt (${code(fixed.name)}, ${code(fixed.evidence)}), with no backoff and no jitter, so every client dropped together (a deploy, a network blip) retries at the same moment, and again every ${fmt(fixed.delay.baseMs)} ms while the server is away. Replace that delay with ${code('reconnectDelay')} in rt-plan's operations note${ctx.cite.cite(['reconnect-code'], 'rt-plan')}, called with ${code(`baseMs = ${policy.herd?.baseMs ?? BACKOFF.baseMs}`)} and ${code(`capMs = ${backoffCap(ctx).ms}`)}: ${md.charAt(0).toLowerCase()}${md.slice(1)}${attemptLimitMd(ctx)}`;
    if (policy.project)
      return `The client already reconnects (${code(existing.evidence)}${has.length > 0 ? `, with ${has.join(' and ')}` : ''}): keep it${slowFirstAttempt(ctx, policy) ? ', with a shorter first delay (below)' : ''}. ${projectScheduleMd(ctx, policy, recovery)}${attemptLimitMd(ctx)}`;
    return `The client already reconnects (${code(existing.evidence)}${has.length > 0 ? `, with ${has.join(' and ')}` : ''}): keep it; rt-plan does not model its delays, so the figures below are the policy's, not the code's: check it against the policy: ${md.charAt(0).toLowerCase()}${md.slice(1)}${existing.jitter ? '' : ` It has no jitter: add it as ${code('reconnectDelay')} in rt-plan's operations note${ctx.cite.cite(['reconnect-code'], 'rt-plan')} does${policy.herd ? `, called with ${code(`baseMs = ${policy.herd.baseMs}`)}` : ''}.`}${attemptLimitMd(ctx)}`;
  }
  // The full-jitter function itself is rt-plan's standard snippet; the plan states its parameters.
  return `The client has no reconnect of its own: ${md.charAt(0).toLowerCase()}${md.slice(1)} ${code('reconnectDelay')} in rt-plan's operations note${ctx.cite.cite(['reconnect-code'], 'rt-plan')} implements it with ${code(`baseMs = ${policy.herd?.baseMs ?? BACKOFF.baseMs}`)} and ${code(`capMs = ${backoffCap(ctx).ms}`)}, and spreads the first attempt after a drain's close (1001 or 1012) over 5 s.`;
}

export function connectionSection(ctx: DesignCtx, resume: ResumeSpec): Plan['connection'] {
  const hb = heartbeat(ctx);
  const policy = reconnectPolicy(ctx);
  const livekitOnly = agentOnly(providersOf(ctx));
  const supabase = onSupabase(ctx);
  const [connecting, authenticating] = ctx.providerDirect
    ? livekitOnly
      ? ['Fetching join token', 'Joining the LiveKit room']
      : ['Fetching ephemeral token', 'Opening provider session']
    : supabase
      ? ['Connecting (supabase-js socket)', 'Joining private channel (RLS on realtime.messages)']
      : traitsOf(ctx).phases;
  const catchUp = supabase ? 'Catching up (refetch missed rows from Postgres)' : (resume.catchUpLabel ?? `Catching up (${resume.event} with ${resume.cursor})`);
  const lifecycle = stateDiagram('Connection lifecycle', {
    states: [
      { key: 'idle', label: 'Idle' },
      { key: 'connecting', label: connecting },
      { key: 'auth', label: authenticating },
      { key: 'syncing', label: catchUp },
      { key: 'open', label: 'Open' },
      { key: 'reconnecting', label: 'Reconnecting (backoff)' },
      { key: 'closed', label: 'Closed' },
    ],
    initial: 'idle',
    transitions: [
      { from: 'idle', to: 'connecting', label: 'connect()' },
      { from: 'connecting', to: 'auth', label: supabase ? 'socket open, JWT sent on join' : traitsOf(ctx).handshakeLabel },
      { from: 'auth', to: 'syncing', label: supabase ? 'SUBSCRIBED' : 'token valid' },
      { from: 'auth', to: 'closed', label: supabase ? 'CHANNEL_ERROR (join refused)' : 'AUTH_FAILED' },
      { from: 'syncing', to: 'open', label: supabase ? 'missed rows applied' : 'state at head seq' },
      {
        from: 'open',
        to: 'reconnecting',
        label: supabase
          ? `heartbeat timeout (every ${fmt(supabaseHeartbeatMs(ctx).ms)} ms), CHANNEL_ERROR or TIMED_OUT`
          : `heartbeat missed or close (${hb[0]?.valueMd.replace(/`/g, '') ?? ''})`,
      },
      { from: 'connecting', to: 'reconnecting', label: 'network error' },
      { from: 'reconnecting', to: 'connecting', label: policy.diagramLabel },
      { from: 'open', to: 'closed', label: 'logout or token revoked' },
    ],
    final: ['closed'],
  });
  const own = selfReconnect(ctx) === null;
  // A library that owns the answer stream sends, reads and retries it: the plan states its behaviour.
  const sdk = sdkOwned(ctx);
  if (sdk)
    return {
      lifecycle,
      authMd: [...auth(ctx).slice(0, 1), ...sdkAuth(sdk)],
      heartbeat: sdkLiveness(
        sdk,
        profileOf(ctx).serverless?.host ?? null,
        ctx.input.sessions.requirements.find((r): r is InfraRequirement => r.kind === 'infra' && r.fact === 'serverless' && r.valueMs !== undefined),
      ),
      backoffMd: sdkReconnectMd(sdk),
      backoffTable: [],
      clientConfig: sdkClientConfig(sdk, ctx.layout.ext === 'ts' ? 'ts' : 'js'),
      resumeMd: resumeNotes(ctx, resume),
    };
  return {
    lifecycle,
    authMd: auth(ctx),
    heartbeat: hb,
    backoffMd: backoffText(ctx, policy),
    backoffTable: own ? policy.table.map(({ attempt, ceilingMs, expectedMs }) => ({ attempt, ceilingMs, expectedMs })) : [],
    clientConfig: own ? clientConfig(ctx) : { lang: 'js', code: '' },
    resumeMd: resumeNotes(ctx, resume),
  };
}

/**
 * Clients the context says must not log in. A stream they only read stays public; clients that
 * send on the channel (quiz answers over the socket) still need an identity of ours, without an account.
 */
function publicViewersMd(ctx: DesignCtx): string | null {
  const r = rulesOut(ctx, 'login');
  if (!r) return null;
  return clientsSend(ctx)
    ? `Clients connect without an account, as the context requires: ${quoteOf(r)}. They still send on this channel, so each gets a short-lived signed guest identity when it joins (issued by our server, checked at the handshake), every inbound event is checked against it, and open connections are limited per IP.`
    : `Viewers connect without a login, as the context requires: ${quoteOf(r)}. Keep the stream public and read-only: it must carry nothing a viewer may not see, and new streams are admitted per instance rather than per IP (viewers behind one venue or carrier NAT share an address)${writeRoutesAuthMd(ctx)}.`;
}

/** What the write routes the code registers do about their callers: kept where a check is in front of them, added where none is. */
function writeRoutesAuthMd(ctx: DesignCtx): string {
  const routes = writeRoutes(ctx);
  const guarded = routes.filter((f) => f.value !== undefined);
  const open = routes.filter((f) => f.value === undefined);
  return [
    ...(guarded.length > 0 ? [`${list(guarded.map((f) => `${routeMd(f)} keeps its own authentication (${code(f.value ?? '')})`))}`] : []),
    ...(open.length > 0
      ? [`${list(open.map(routeMd))} ${open.length === 1 ? 'shows' : 'show'} no auth check in front of ${open.length === 1 ? 'it' : 'them'}: writes need one`]
      : []),
  ]
    .map((x) => `; ${x}`)
    .join('');
}

/**
 * The life of the handshake credential, where the context states it ("Tickets … are valid for
 * 30 s, one use"): a reconnect after a backoff delay needs a fresh one, fetched after the delay.
 */
function statedCredentialLifeMd(ctx: DesignCtx): string {
  const life = ctx.input.sessions.requirements.find(
    (r): r is NumberRequirement =>
      r.kind === 'number' && r.metric === 'duration' && /\b(?:tickets?|tokens?|credentials?)\b[^.;]{0,80}\bvalid\b/i.test(r.sentence),
  );
  if (!life) return '';
  const once = /\b(?:one|single)[- ]use\b|\bused once\b/i.test(life.sentence);
  return ` The context states its life, ${fmt(life.value)} s${once ? ', one use' : ''} (${code(life.evidence)}): the client fetches a new one after each backoff delay, right before that attempt${once ? ', and never sends one twice' : ''}; a ticket fetched before the delay can expire while it waits.`;
}

/** The handshake auth where the client's reconnect loop stops only on a close code: refused with that close, after the upgrade. */
function stopAuthMd(ctx: DesignCtx): string | null {
  const stop = clientStopCode(ctx.input.analysis);
  const md = traitsOf(ctx).authStopMd;
  return stop && md ? md(stop.codeMd, stop.atMd) : null;
}
