// Facts about each voice provider that the voice scenario (and the sections that talk about
// tokens, quotas and load) need, kept in one table so no section repeats a stale figure.
// Figures are the providers' documented defaults; values the plan chooses are labelled as
// choices. Sources are in templates/knowledge/{openai-realtime,gemini-live,livekit}.md.
import semver from 'semver';
import type { DesignCtx } from '../context.js';
import { code, fmt, round } from '../md.js';
import { OPENAI_SECRET_SECONDS, VOICE } from '../profiles/voice.js';

export type VoiceProvider = 'gemini-live' | 'livekit' | 'openai-realtime';

const KNOWN: readonly VoiceProvider[] = ['gemini-live', 'livekit', 'openai-realtime'];

/**
 * Providers the plan covers: detected or named ones (LiveKit included), else OpenAI Realtime,
 * the assumption buildPlan states. Sorted, so the output does not depend on detection order.
 */
export function providersOf(ctx: DesignCtx): VoiceProvider[] {
  const found = new Set<string>(ctx.voiceProviders);
  const docs = ctx.input.sessions.docs.map((d) => d.body).join('\n');
  for (const p of KNOWN) {
    const named = VOICE[p].namedInContext;
    if (named && (ctx.input.analysis.stack.providers.some((x) => x === p) || named.test(docs))) found.add(p);
  }
  const out = KNOWN.filter((p) => found.has(p));
  return out.length > 0 ? out : ['openai-realtime'];
}

export const PROVIDER_LABEL: Record<VoiceProvider, string> = {
  'openai-realtime': 'OpenAI Realtime',
  'gemini-live': 'Gemini Live',
  livekit: 'LiveKit',
};

/** How the browser reaches each provider, for summaries. */
export const PROVIDER_WIRE: Record<VoiceProvider, string> = {
  'openai-realtime': 'OpenAI Realtime (WebRTC)',
  'gemini-live': 'Gemini Live (WebSocket)',
  livekit: 'LiveKit rooms (WebRTC through the LiveKit SFU, AI side as a LiveKit Agents worker)',
};

export { OPENAI_SECRET_SECONDS };

/** Token lifetime per provider: the provider default, and what the plan does with it. */
export const TOKEN_LIFETIME_MD: Record<VoiceProvider, string> = {
  'openai-realtime': `client secret from ${code('POST /v1/realtime/client_secrets')}: ${code('expires_after.seconds')} defaults to 600 (allowed 10–7,200); this plan mints one per session start with ${fmt(OPENAI_SECRET_SECONDS)} s (a choice, not an API limit). Expiry only stops new sessions: a started session continues, and one secret can start several sessions until it expires`,
  'gemini-live': `ephemeral token from ${code('ai.authTokens.create')} (Gemini Developer API, ${code("apiVersion: 'v1alpha'")}): defaults ${code('uses: 1')}, ${code('newSessionExpireTime')} 1 minute, ${code('expireTime')} 30 minutes; resuming a session within ${code('expireTime')} does not count as a use`,
  livekit: `join token (${code('AccessToken')} JWT from ${code('livekit-server-sdk')}): only the initial connection checks its expiry; reconnects use tokens the LiveKit server refreshes. Keep the TTL set in the token route (the SDK default is 6 hours when none is set)`,
};

/**
 * Token requests per second at steady state. Gemini connections last about 10 minutes, so a
 * conversation mints about one token per 600 s (a resumption within expireTime reuses it, but
 * the first connect of every session needs one); OpenAI and LiveKit mint once per session start,
 * taken here as one 10-minute conversation per user slot as well, unless the context states how
 * long a call lasts (`seconds`).
 */
export function tokenRate(sessions: number, seconds = 600): { perSecond: number; perMinute: number } {
  return { perSecond: round(sessions / seconds, 2), perMinute: round((sessions / seconds) * 60, 1) };
}

/** Concurrency limits per provider, stated with their scope. */
export function concurrencyMd(p: VoiceProvider, sessions: number): string {
  return VOICE[p].concurrencyMd(sessions);
}

/** `@google/genai` declared below 1.3.0 has no `authTokens.create` and no ephemeral-token connect. */
export function genaiUpgrade(ctx: DesignCtx): { manifest: string; declared: string } | null {
  for (const p of ctx.input.analysis.project.packages) {
    const declared = p.dependencies['@google/genai'];
    if (!declared) continue;
    const min = semver.validRange(declared) ? semver.minVersion(declared) : null;
    if (min && semver.lt(min, '1.3.0')) return { manifest: p.manifest, declared };
  }
  return null;
}

/** The project's existing token route, when the analysis found one. */
export function existingTokenRoute(ctx: DesignCtx): { file: string; line: number } | null {
  const hit = [...ctx.input.analysis.stack.entrypoints]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .find((e) => e.kind === 'token-route');
  return hit ? { file: hit.file, line: hit.line } : null;
}
