// The reconnect policy of the client that actually retries (Socket.IO's Manager, EventSource,
// y-websocket's provider, supabase-js, or our own full-jitter loop), and what a provider-run
// connection needs instead of our own: voice providers' token and session rows, resume notes
// and retry text. connection.ts assembles the section from these.
import type { DesignCtx } from './context.js';
import type { Row } from './types.js';
import { managedProvider, type ManagedProvider, type ResumeSpec } from './scenarios/kit.js';
import type { ConstraintRequirement, ReconnectDelay } from '../types.js';
import { reclaimWindowOf } from './core/objects.js';
import { quoteOf, statedRecovery } from './constraints.js';
import { providersOf } from './scenarios/voice.js';
import { TOKEN_LIFETIME_MD, type VoiceProvider } from './scenarios/voice-providers.js';
import { resumeNoteMd, streamResumeOf } from './stream-resume.js';
import { code, fmt, list, round } from './md.js';
import { REPLAY_LOG_MD } from './defaults.js';
import { coreOf } from './core/context.js';
import { grantGapMd, grantsLacking } from './access.js';
import { profileOf } from './profiles/index.js';
import { traitsOf } from './profiles/transports.js';
import { FEATURES, gate } from './profiles/versions.js';
import { agentOnly, VOICE } from './profiles/voice.js';
import { onSupabase, supabaseDelay, supabaseResume, SUPABASE_FORMULA_MD, SUPABASE_RECONNECT_MS } from './connection-supabase.js';

export const BACKOFF = { baseMs: 500, factor: 2, capMs: 30_000, attempts: 8 };

/** y-websocket's WebsocketProvider: 100 ms × 2^n, capped by maxBackoffTime (default 2,500 ms), no jitter. */
export const Y_WEBSOCKET_BACKOFF = { baseMs: 100, factor: 2, capMs: 2_500 };
/** EventSource waits the server's `retry:` before every attempt; the server draws it per client. The widest window, for a loose target. */
export const SSE_RETRY = { minMs: 1_000, maxMs: 2_000 };

/**
 * What a reconnect takes after its delay: the TLS and WebSocket handshake, the auth check on it and
 * one catch-up round trip, at p95 on a phone network (rt-plan-defaults: recovery).
 */
export const HANDSHAKE_MS = 500;

/**
 * The `retry:` window the server draws from: `retry:` is one fixed delay per stream, so each
 * connection gets a random value in it. Its top plus the reconnect must fit the recovery target
 * (the context's, else rt-plan's 2 s): at 2 s that is 500–1,500 ms, still spread over one second.
 */
export function sseRetry(ctx: Pick<PolicyCtx, 'input'>): { minMs: number; maxMs: number; targetMs: number } {
  const targetMs = statedRecovery(ctx.input?.sessions.requirements ?? [])?.value ?? 2_000;
  const maxMs = Math.max(250, Math.min(SSE_RETRY.maxMs, Math.floor((targetMs - HANDSHAKE_MS) / 250) * 250));
  return { minMs: Math.max(0, maxMs - (SSE_RETRY.maxMs - SSE_RETRY.minMs)), maxMs, targetMs };
}

export type PolicyKind = 'socket.io' | 'full-jitter' | 'sse-retry' | 'y-websocket' | 'supabase';

/** What picks the reconnect policy; input is optional so the plain full-jitter table needs no plan. */
export type PolicyCtx = Pick<DesignCtx, 'transport' | 'library' | 'providerDirect' | 'scenarios'> & {
  input?: DesignCtx['input'];
  capacity?: DesignCtx['capacity'];
};

export interface ReconnectPolicy {
  kind: PolicyKind;
  /** One attempt's delay, Markdown. */
  formulaMd: string;
  /** The same, plain text for the state diagram. */
  diagramLabel: string;
  table: { attempt: number; minMs: number; ceilingMs: number; expectedMs: number }[];
  /** The first attempt's window when a herd of sockets drops together (full jitter only); else null. */
  herd: HerdWindow | null;
  /** The project's own delay function, read from its code: the schedule above is the code's, not rt-plan's policy. */
  project?: ProjectDelay;
}

/** A reconnect delay the project's code computes, as the analysis read it (base, cap, jitter). */
export interface ProjectDelay {
  name: string;
  evidence: string;
  delay: ReconnectDelay;
}

/**
 * Sockets that drop together (a deploy restarts every holder at once) come back within the first
 * attempt's window; the window must be wide enough that the holder of the largest group accepts
 * them at the rate its runtime documents: window = sockets per holder ÷ accepted per second.
 */
export interface HerdWindow {
  /** The full-jitter base the window sets (≥ BACKOFF.baseMs, a multiple of 500 ms). */
  baseMs: number;
  /** Sockets one holder takes back, and where the figure comes from. */
  perHolder: number;
  perHolderMd: string;
  /** All sockets that drop together. */
  total: number;
  perSecond: number;
  holderMd: string;
  rateMd: string;
}

export function herdWindow(ctx: PolicyCtx): HerdWindow | null {
  if (!ctx.input || !ctx.capacity || ctx.providerDirect) return null;
  const rate = profileOf({ ...ctx, input: ctx.input }).acceptRate;
  if (!rate) return null;
  const w = ctx.capacity.workload;
  // One holder per room: the largest stated room is the largest group one holder takes back.
  const room = w.largestRoom ?? w.room;
  if (!room) return null;
  const windowMs = Math.ceil(((room.value / rate.perSecond) * 1000) / 500) * 500;
  if (windowMs <= BACKOFF.baseMs) return null;
  return {
    baseMs: windowMs,
    perHolder: room.value,
    perHolderMd: `${fmt(room.value)} sockets of the ${w.largestRoom ? 'largest ' : ''}room (${code(room.evidence)})`,
    holderMd: rate.holderMd,
    total: ctx.capacity.values.connections,
    perSecond: rate.perSecond,
    rateMd: rate.sourceMd,
  };
}

/** The herd window's arithmetic, for the Reconnection text. */
export function herdMd(h: HerdWindow): string {
  return `The first attempt's window is ${fmt(h.baseMs)} ms, not ${fmt(BACKOFF.baseMs)} ms: a deploy drops all ${fmt(h.total)} sockets at once and each ${h.holderMd} takes back only its own, so the largest room sets the window: ${h.perHolderMd} ÷ ${fmt(h.perSecond)} reconnects/s (${h.rateMd}) = ${fmt(h.baseMs / 1000)} s, so that ${h.holderMd} is asked at about the rate it accepts instead of ${fmt(h.perHolder)} times in the first ${fmt(BACKOFF.baseMs)} ms.`;
}

/** Which client retries after a drop: Socket.IO's Manager, EventSource, y-websocket's provider, or our own full-jitter loop. */
export function policyKind(ctx: PolicyCtx): PolicyKind {
  if (ctx.providerDirect) return 'full-jitter';
  if (onSupabase(ctx)) return 'supabase';
  const policy = traitsOf(ctx).policy;
  // An AI stream is read with fetch (EventSource cannot POST), so the app owns its retries.
  if (policy === 'sse-retry' && ctx.scenarios.includes('ai-streaming')) return 'full-jitter';
  return policy;
}

/** E[min(cap, U(lo, hi))]: the cap clips the upper part of Socket.IO's randomized delay. */
function clippedMean(lo: number, hi: number, cap: number): number {
  if (cap >= hi) return (lo + hi) / 2;
  if (cap <= lo) return cap;
  return (((cap - lo) * (cap + lo)) / 2 + (hi - cap) * cap) / (hi - lo);
}

/**
 * The backoff ceiling: 30 s, or less where the context gives a dropped client a window to come
 * back in ("loses connection for under 30 s keeps their score"): with ±50% around the delay, a
 * ceiling of a sixth of the window keeps attempts coming often enough that a client whose network
 * returns inside the window is back before it closes, instead of waiting out one long delay.
 */
export function backoffCap(ctx: PolicyCtx): { ms: number; window: { seconds: number; sentence: string; at: string } | null } {
  const window = ctx.input ? reclaimWindowOf(ctx.input.sessions.requirements) : null;
  if (!window) return { ms: BACKOFF.capMs, window: null };
  return { ms: Math.max(1_000, Math.min(BACKOFF.capMs, Math.floor((window.seconds * 1000) / 6 / 1000) * 1000)), window };
}

/** Each retrying client's schedule: Socket.IO's Manager, supabase-js, y-websocket's provider, EventSource's retry:, our full jitter. */
const SCHEDULES: Record<
  PolicyKind,
  (rows: number[], baseMs: number, capMs: number, sse: { minMs: number; maxMs: number }) => Omit<ReconnectPolicy, 'kind' | 'herd'>
> = {
  'socket.io': (rows, baseMs, capMs) => {
    // socket.io-client's Backoff: base × 2^n, then ±randomizationFactor, then min(…, reconnectionDelayMax).
    return {
      formulaMd: `min(${fmt(capMs)} ms, ${fmt(baseMs)} ms × 2^n × (1 ± 0.5))`,
      diagramLabel: `delay min(${capMs / 1000} s, ${baseMs} ms × 2^n × (1 ± 0.5))`,
      table: rows.map((attempt) => {
        const m = baseMs * 2 ** attempt;
        return { attempt, minMs: Math.min(capMs, m / 2), ceilingMs: Math.min(capMs, m * 1.5), expectedMs: round(clippedMean(m / 2, m * 1.5, capMs), 1) };
      }),
    };
  },
  supabase: (rows) => {
    return {
      formulaMd: SUPABASE_FORMULA_MD,
      diagramLabel: `realtime-js retry ${SUPABASE_RECONNECT_MS.map((ms) => ms / 1000).join(', ')} s, then ${(SUPABASE_RECONNECT_MS[SUPABASE_RECONNECT_MS.length - 1] ?? 10_000) / 1000} s`,
      table: rows.map((attempt) => {
        const d = supabaseDelay(attempt);
        return { attempt, minMs: d, ceilingMs: d, expectedMs: d };
      }),
    };
  },
  'y-websocket': (rows) => {
    const y = Y_WEBSOCKET_BACKOFF;
    return {
      formulaMd: `min(${fmt(y.capMs)} ms, ${fmt(y.baseMs)} ms × 2^n), no jitter`,
      diagramLabel: `delay min(${fmt(y.capMs)} ms, ${y.baseMs} ms × 2^n)`,
      table: rows.map((attempt) => {
        const d = Math.min(y.capMs, y.baseMs * 2 ** attempt);
        return { attempt, minMs: d, ceilingMs: d, expectedMs: d };
      }),
    };
  },
  'sse-retry': (rows, _baseMs, _capMs, sse) => {
    const { minMs, maxMs } = sse;
    return {
      formulaMd: `the \`retry:\` value, ${fmt(minMs)}–${fmt(maxMs)} ms per client, the same on every attempt (no backoff)`,
      diagramLabel: `retry: ${fmt(minMs)}–${fmt(maxMs)} ms`,
      table: rows.map((attempt) => ({ attempt, minMs, ceilingMs: maxMs, expectedMs: (minMs + maxMs) / 2 })),
    };
  },
  'full-jitter': (rows, baseMs, capMs) => ({
    formulaMd: `uniform in [0, min(${fmt(capMs)} ms, ${fmt(baseMs)} ms × 2^n)] (full jitter)`,
    diagramLabel: `delay random(0, min(${capMs / 1000} s, ${baseMs} ms × 2^n))`,
    table: rows.map((attempt) => {
      const ceilingMs = Math.min(capMs, baseMs * 2 ** attempt);
      return { attempt, minMs: 0, ceilingMs, expectedMs: ceilingMs / 2 };
    }),
  }),
};

/**
 * The delay function the project's own reconnect uses, where the analysis read it: only for a
 * client that retries by itself under options the project sets (the full-jitter kind, where our
 * own loop would otherwise go) and only while the project reconnects at all.
 */
export function projectDelayOf(ctx: PolicyCtx): ProjectDelay | null {
  const d = codeDelayOf(ctx);
  return d && !isFixedDelay(d.delay) ? d : null;
}

/**
 * A project delay that is the same before every attempt (`setTimeout(connect, 2000)`): no backoff and
 * no jitter, so every client dropped together retries at the same moments for as long as the
 * server is away. The plan keeps the loop and replaces that delay with the policy's, so the
 * policy's figures are the ones the plan states; null for any other delay.
 */
export function fixedDelayOf(ctx: PolicyCtx): ProjectDelay | null {
  const d = codeDelayOf(ctx);
  return d && isFixedDelay(d.delay) ? d : null;
}

const isFixedDelay = (d: ReconnectDelay): boolean => d.factor === 1 && d.jitter === 'none';

function codeDelayOf(ctx: PolicyCtx): ProjectDelay | null {
  if (!ctx.input || ctx.providerDirect || policyKind(ctx) !== 'full-jitter' || !ctx.input.analysis.stack.reconnect.present) return null;
  const f = (ctx.input.analysis.modelFacts ?? []).find((x) => x.kind === 'reconnect-delay' && x.delay);
  return f?.delay ? { name: f.name, evidence: f.evidence, delay: f.delay } : null;
}

/** The delay before attempt n under the project's function: its lowest, highest and expected value. */
export function projectDelayAt(d: ReconnectDelay, n: number): { minMs: number; ceilingMs: number; expectedMs: number } {
  const e = d.baseMs * d.factor ** Math.min(n, 60);
  const c = d.capMs !== null && d.capAt === 'before-jitter' ? Math.min(d.capMs, e) : e;
  const [lo, hi] =
    d.jitter === 'full'
      ? [0, c]
      : d.jitter === 'band'
        ? [c * (d.bandLo ?? 0), c * ((d.bandLo ?? 0) + (d.bandWidth ?? 0))]
        : d.jitter === 'add'
          ? [c, c + (d.addMaxMs ?? 0)]
          : [c, c];
  if (d.capMs !== null && d.capAt === 'after-jitter')
    return {
      minMs: Math.min(d.capMs, lo),
      ceilingMs: Math.min(d.capMs, hi),
      expectedMs: round(hi > lo ? clippedMean(lo, hi, d.capMs) : Math.min(d.capMs, lo), 1),
    };
  return { minMs: lo, ceilingMs: hi, expectedMs: round((lo + hi) / 2, 1) };
}

/** The project's delay as a formula: `min(30,000 ms, 1,000 ms × 2^n), times a random factor in [0.5, 1.5]`. */
export function projectDelayMd(d: ReconnectDelay): string {
  const exp = `${fmt(d.baseMs)} ms × ${d.factor}^n`;
  const before = d.capMs !== null && d.capAt === 'before-jitter' ? `min(${fmt(d.capMs)} ms, ${exp})` : exp;
  const jittered =
    d.jitter === 'full'
      ? `uniform in [0, ${before}] (full jitter)`
      : d.jitter === 'band'
        ? `${before}, times a random factor in [${fmt(d.bandLo ?? 0)}, ${fmt((d.bandLo ?? 0) + (d.bandWidth ?? 0))}]`
        : d.jitter === 'add'
          ? `${before}, plus a random 0–${fmt(d.addMaxMs ?? 0)} ms`
          : `${before}, no jitter`;
  return d.capMs !== null && d.capAt === 'after-jitter' ? `${jittered}, capped at ${fmt(d.capMs)} ms` : jittered;
}

export function reconnectPolicy(ctx: PolicyCtx): ReconnectPolicy {
  const kind = policyKind(ctx);
  const project = projectDelayOf(ctx);
  if (project) {
    const rows = Array.from({ length: BACKOFF.attempts }, (_, attempt) => ({ attempt, ...projectDelayAt(project.delay, attempt) }));
    const formulaMd = projectDelayMd(project.delay);
    return { kind, formulaMd, diagramLabel: `delay ${project.name}(n)`, table: rows, herd: null, project };
  }
  const rows = Array.from({ length: BACKOFF.attempts }, (_, attempt) => attempt);
  // Only our own full-jitter loop takes a wider first window; a library's schedule is its own.
  const herd = kind === 'full-jitter' ? herdWindow(ctx) : null;
  return { kind, ...SCHEDULES[kind](rows, herd?.baseMs ?? BACKOFF.baseMs, backoffCap(ctx).ms, sseRetry(ctx)), herd };
}

const SUMMARIES: Record<PolicyKind, (ctx: PolicyCtx) => string> = {
  'socket.io': (ctx) => `Socket.IO reconnection ${fmt(BACKOFF.baseMs)} ms × 2^n ±50%, capped at ${fmt(backoffCap(ctx).ms / 1000)} s`,
  'y-websocket': () => `y-websocket reconnection ${fmt(Y_WEBSOCKET_BACKOFF.baseMs)} ms × 2^n, capped at ${fmt(Y_WEBSOCKET_BACKOFF.capMs)} ms, no jitter`,
  supabase: () =>
    `supabase-js reconnects and rejoins channels itself (${SUPABASE_RECONNECT_MS.map((ms) => fmt(ms / 1000)).join(', ')} s, then every ${fmt((SUPABASE_RECONNECT_MS[SUPABASE_RECONNECT_MS.length - 1] ?? 10_000) / 1000)} s, no jitter)`,
  'sse-retry': (ctx) => `EventSource retry ${fmt(sseRetry(ctx).minMs)}–${fmt(sseRetry(ctx).maxMs)} ms, no backoff`,
  'full-jitter': (ctx) => `reconnect with full jitter (base ${fmt(herdWindow(ctx)?.baseMs ?? BACKOFF.baseMs)} ms, cap ${fmt(backoffCap(ctx).ms / 1000)} s)`,
};

/** The summary's reconnection clause (index.ts should use it instead of its Socket.IO/full-jitter switch). */
export function reconnectSummaryMd(ctx: PolicyCtx): string {
  const project = projectDelayOf(ctx);
  if (project) return `reconnect as the code does (${code(project.name)}: ${projectDelayMd(project.delay)})`;
  return SUMMARIES[policyKind(ctx)](ctx);
}

/** Kept for callers that want the plain full-jitter ceilings. */
export function backoffTable(): { attempt: number; ceilingMs: number; expectedMs: number }[] {
  return reconnectPolicy({ transport: 'websocket', library: null, providerDirect: false, scenarios: [] }).table.map(({ attempt, ceilingMs, expectedMs }) => ({
    attempt,
    ceilingMs,
    expectedMs,
  }));
}

/** One row per provider: how its token lives, from the provider table (never a stale figure). */
export function tokenRow(ctx: DesignCtx, p: VoiceProvider): Row {
  const value: Record<VoiceProvider, string> = {
    'openai-realtime': 'minted per session start, right before the SDP offer; a new session after a drop mints a new one',
    'gemini-live': `minted per conversation; a resumption within ${code('expireTime')} reuses it, a new conversation mints a new one`,
    livekit: 'signed per room join by our token route; reconnects reuse tokens the LiveKit server refreshes',
  };
  const label: Record<VoiceProvider, string> = {
    'openai-realtime': 'OpenAI client secret',
    'gemini-live': 'Gemini ephemeral token',
    livekit: 'LiveKit join token',
  };
  return { label: label[p], valueMd: value[p], sourceMd: `${TOKEN_LIFETIME_MD[p]}${ctx.cite.cite(['ephemeral-token'], p)}` };
}

/** Each provider's connection rows: its liveness, its session limits and how its token lives. */
const PROVIDER_ROWS: Record<VoiceProvider, (ctx: DesignCtx) => Row[]> = {
  'gemini-live': (ctx) => {
    const c = ctx.cite.cite(['session-limits', 'resume'], 'gemini-live');
    return [
      {
        label: 'Gemini Live connection',
        valueMd: 'about 10 minutes, announced by `goAway` with `timeLeft`',
        sourceMd: `Vertex AI / Firebase Live API session docs${c}`,
      },
      {
        label: 'Gemini Live session',
        valueMd: '15 minutes audio-only (2 minutes with video) without context-window compression',
        sourceMd: `enable compression and resumption${c}`,
      },
      {
        label: 'Resumption handle',
        valueMd: 'store the latest `sessionResumptionUpdate.newHandle`; reconnect with it on `goAway` or a drop',
        sourceMd: 'keeps the conversation across connections',
      },
      tokenRow(ctx, 'gemini-live'),
    ];
  },
  'openai-realtime': (ctx) => [
    {
      label: 'ICE connection state',
      valueMd: `${code('disconnected')} → wait ${fmt(VOICE['openai-realtime'].iceWaitMs ?? 5_000)} ms for ICE to recover by itself; still ${code('disconnected')}, or ${code('failed')} → new session (a new client secret and a new SDP offer)`,
      sourceMd:
        "WebRTC consent checks replace a heartbeat; no ICE restart: `/v1/realtime/calls` takes one SDP offer per session and documents no renegotiation, so a restart's new offer has nobody to answer it. The new session starts without the old one's conversation, an unfinished response or a tool call awaiting its output: re-send the instructions and what the app kept",
    },
    tokenRow(ctx, 'openai-realtime'),
  ],
  livekit: (ctx) => [
    {
      label: 'LiveKit room connection',
      valueMd: `${code('Reconnecting')} → ${code('Reconnected')}, resumed by the SDK`,
      sourceMd: `the client SDK resumes signalling and restarts ICE by itself${ctx.cite.cite(['reconnect', 'resume'], 'livekit')}`,
    },
    {
      label: 'After Disconnected',
      valueMd: 'fetch a new join token and rejoin the same room, with full-jitter backoff',
      sourceMd: 'the SDK gave up resuming',
    },
    tokenRow(ctx, 'livekit'),
  ],
};

/** Rows in the order the plan has always listed them: Gemini's session limits first, then the WebRTC providers. */
const ROW_ORDER: readonly VoiceProvider[] = ['gemini-live', 'openai-realtime', 'livekit'];

export function providerRows(ctx: DesignCtx): Row[] {
  const ps = providersOf(ctx);
  return ROW_ORDER.filter((p) => ps.includes(p)).flatMap((p) => PROVIDER_ROWS[p](ctx));
}

/** The provider's own recovery after a drop, with the context's must about drops quoted where it states one. */
export function managedRecoveryMd(ctx: DesignCtx): string | null {
  const p = managedProvider(ctx.input);
  if (!p?.recoveryMd) return null;
  const must = ctx.input.sessions.requirements.find(
    (r): r is ConstraintRequirement => r.kind === 'constraint' && /\b(?:drop|drops|disconnect\w*|offline|network)\b/i.test(r.sentence),
  );
  // The curated note on the provider's recovery, where one exists (templates/knowledge/ably-recovery.md).
  const note = ctx.cite.cite(['resume'], p.id);
  return `${note ? p.recoveryMd.replace(/\.$/, `${note}.`) : p.recoveryMd}${grantGap(ctx, p)}${readRouteMd(ctx)}${must ? `${windowMd(p, must)} This is how the plan meets ${quoteOf(must)}.` : ''}`;
}

/** "up to 2 minutes", "90 s": the longest drop a requirement's sentence states, in ms. */
function statedDropMs(sentence: string): number | null {
  const all = [...sentence.matchAll(/(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|min|mins|minutes?|h|hours?)\b/gi)].map((m) => {
    const n = Number(m[1]);
    const u = m[2]!.toLowerCase();
    return u.startsWith('ms') || u.startsWith('milli') ? n : u.startsWith('h') ? n * 3_600_000 : u.startsWith('m') ? n * 60_000 : n * 1000;
  });
  return all.length > 0 ? Math.max(...all) : null;
}

/** A stated drop measured against the provider's recovery window: inside it, or at or past it and what covers that. */
function windowMd(p: ManagedProvider, must: ConstraintRequirement): string {
  const w = p.recoveryWindow;
  const stated = statedDropMs(must.sentence);
  if (!w || stated === null) return '';
  const span = (ms: number): string => (ms % 60_000 === 0 ? `${fmt(ms / 60_000)} minute${ms === 60_000 ? '' : 's'}` : `${fmt(ms / 1000)} s`);
  const windowMd = w.ms % 60_000 === 0 ? `${fmt(w.ms / 60_000)}-minute` : `${fmt(w.ms / 1000)}-second`;
  return stated < w.ms
    ? ` The stated ${span(stated)} is inside ${p.label}'s ${windowMd} recovery window.`
    : ` The stated ${span(stated)} ${stated === w.ms ? 'is as long as' : 'is longer than'} ${p.label}'s ${windowMd} recovery window, which counts from the drop, so a drop that long plus the time to reconnect is not recovered by it: ${w.beyondMd}.`;
}

/** The catch-up call needs an operation the credential our route mints does not grant today (Ably's `history`). */
function grantGap(ctx: DesignCtx, p: ManagedProvider): string {
  const g = p.catchUpGrant;
  const lacking = g ? grantsLacking(ctx, g.op) : [];
  if (!g || lacking.length === 0) return '';
  return ` The credential our route mints does not allow that read today: ${g.callMd} needs ${code(g.op)} among the credential's operations, and ${p.label} refuses it otherwise (${g.refusedMd}), so ${list(lacking.map((f) => grantGapMd(f, g.op)))}.`;
}

/**
 * The refetch fallback reads our API: where rt-plan read the routes the code registers and none is a
 * GET other than the credential route, the fallback needs a read route the API does not have yet.
 */
function readRouteMd(ctx: DesignCtx): string {
  const facts = ctx.input.analysis.modelFacts ?? [];
  const routes = facts.filter((f) => f.kind === 'http-route');
  if (routes.length === 0) return '';
  const minting = new Set(facts.filter((f) => f.kind === 'channel-grant').map((f) => f.evidence.replace(/:\d+$/, '')));
  const reads = routes.filter((r) => r.name.startsWith('GET ') && !minting.has(r.evidence.replace(/:\d+$/, '')));
  if (reads.length > 0) return memoryStoreMd(ctx);
  return ` The API has no such read route today (it registers ${list(routes.map((r) => `${code(r.name)} at ${code(r.evidence)}`))}): the fallback needs one that returns what the screen shows, under the same authorization as the page.${memoryStoreMd(ctx)}`;
}

/**
 * What that refetch would read, where the code keeps it in one process's memory (Core design's
 * store with no write to a store outside the process): a restart or deploy empties it.
 */
function memoryStoreMd(ctx: DesignCtx): string {
  const held = coreOf(ctx).objects.filter((o) => o.store && !o.store.write);
  if (held.length === 0) return '';
  return ` What it would read is held in one process's memory today (${list(held.map((o) => `${code(o.store!.field)}${o.store!.at ? ` at ${code(o.store!.at)}` : ''}`))}): a restart or deploy empties it, so after one the refetch returns only what was written since; the fallback is only as good as a store that outlives the process.`;
}

export function resumeNotes(ctx: DesignCtx, r: ResumeSpec): string[] {
  if (ctx.providerDirect) return providerResume(ctx);
  if (onSupabase(ctx)) return supabaseResume();
  const resume = traitsOf(ctx).resume;
  if (resume === 'socket-io-recovery')
    return [
      socketIoRecovery(ctx),
      r.catchUpMd ??
        `After every reconnect the client re-sends ${code(r.event)} with ${code(r.cursor)} for each channel; the server replays from its log or sends a snapshot.`,
    ];
  if (resume === 'last-event-id') {
    // A fetch-read stream (AI answers) has no Last-Event-ID: the scenario's explicit resume is the whole story.
    if (policyKind(ctx) !== 'sse-retry' && r.catchUpMd) return [r.catchUpMd];
    // What the code already does (ids, the id read back, a new EventSource carrying it) is said with its line; only the rest is proposed.
    return [resumeNoteMd(streamResumeOf(ctx.input.analysis), 'the per-channel seq')];
  }
  if (r.catchUpMd) return [r.catchUpMd];
  const recovery = managedRecoveryMd(ctx);
  if (recovery) return [recovery];
  return [
    `On reconnect the client sends ${code(r.event)} with ${code(r.cursor)} for every channel it follows; the server replays from a bounded log (${REPLAY_LOG_MD}) or answers with a snapshot, and only then marks the connection *open*.`,
  ];
}

function providerResume(ctx: DesignCtx): string[] {
  const ps = providersOf(ctx);
  const how: Record<VoiceProvider, string> = {
    'gemini-live':
      'Gemini Live: reconnect with the latest resumption handle (a fresh token only when the old one is past its expireTime), which keeps the conversation',
    'openai-realtime':
      'OpenAI Realtime: a dropped session cannot be resumed; start a new session with a fresh client secret and re-send the context the conversation needs',
    livekit:
      'LiveKit: the SDK resumes the room by itself; after Disconnected, fetch a new join token and rejoin the same room, where the agent worker still holds the conversation',
  };
  const out = [`Conversation state lives at the provider. ${ps.map((p) => `${how[p]}.`).join(' ')}`];
  out.push(
    agentOnly(ps)
      ? VOICE.livekit.pendingOnReconnectMd
      : [
          "Pending tool actions live in the page, one state per call id. One the user rejects, or leaves past the app's own approval timeout (a value to choose: the context states none), is still answered to the model with an error result, since the model waits for an answer to every call; drop only a preview the provider cancels.",
          ...ps.filter((p) => !VOICE[p].agentRunsTools).map((p) => VOICE[p].pendingOnReconnectMd),
        ].join(' '),
  );
  return out;
}

/** Per provider: what a retry re-creates and which token it needs (a resumption reuses Gemini's token). */
export function providerBackoff(ctx: DesignCtx, policy: ReconnectPolicy, recovery: string): string {
  const what: Record<VoiceProvider, string> = {
    'openai-realtime': 'a new OpenAI Realtime session with a freshly minted client secret',
    'gemini-live': `a new Gemini Live connection with the latest resumption handle (a new token only once the old one is past its ${code('expireTime')})`,
    livekit: `a new LiveKit room join with a new join token (only after ${code('Disconnected')}: the SDK handles shorter drops itself)`,
  };
  const ps = providersOf(ctx);
  const planned = ps.flatMap((p) => (VOICE[p].plannedCloseMd ? [VOICE[p].plannedCloseMd] : []));
  return `${planned.map((m) => `${m} `).join('')}A dropped provider session is retried after a delay ${policy.formulaMd}; each attempt opens ${ps.map((p) => what[p]).join('; or ')}. ${recovery} Stop after 5 failures and offer a retry button${ps.some((p) => VOICE[p].billedPerSession) ? ', since every new session is billed' : ''}.`;
}

/** Socket.IO's own recovery, when the adapter and the installed version allow it. */
function socketIoRecovery(ctx: DesignCtx): string {
  const redis = ctx.input.analysis.stack.scaling.find((s) => s.name === '@socket.io/redis-adapter');
  const r = ctx.capacity.result;
  // Whose classic adapter it is: the project's (where it is set up), or the one this plan adds between nodes; with neither, none is named.
  if (redis || (r.instances > 1 && r.pubsubPublishedPerSecond > 0))
    return `Socket.IO's ${code('connectionStateRecovery')} does not work with the classic Redis adapter${redis ? ` the project uses (${code(redis.evidence)})` : ' this plan adds between nodes'}${ctx.cite.cite(['resume', 'scaling'], '@socket.io/redis-adapter')}: resume with the application's sequence numbers (below), or switch to ${code('@socket.io/redis-streams-adapter')}, which supports it.`;
  if (r.instances > 1)
    return `Socket.IO's ${code('connectionStateRecovery')} keeps a disconnected socket's missed packets in the adapter of the node it was on${ctx.cite.cite(['resume'], 'socket.io')}: with ${fmt(r.instances)} instances a reconnect can reach another node, so resume with the application's sequence numbers (below).`;
  const g = gate(FEATURES.connectionStateRecovery, ctx.libraryUse);
  const enable = `${code('connectionStateRecovery: { maxDisconnectionDuration: 120000 }')} for short drops${ctx.cite.cite(['resume'], 'socket.io')}; longer drops fall back to sequence-number replay.`;
  return g.kind === 'too-old' ? `${g.needMd}; then enable ${enable}` : `Enable ${enable.replace(' for short', ' (Socket.IO ≥ 4.6) for short')}`;
}
