// Capacity for a voice session that runs between the browser and a provider: there is no
// message rate or fan-out of ours to size, so the table gives the voice turn's latency budget,
// the concurrent sessions against the provider's limit, and the session starts our token route
// answers (the same rate the load test drives).
import type { NumberRequirement } from '../types.js';
import type { CapacityRow } from './types.js';
import type { DesignCtx } from './context.js';
import { fmt, round, text } from './md.js';
import { VOICE } from './profiles/voice.js';
import { providersOf } from './scenarios/voice-providers.js';
import { tokenRate } from './scenarios/voice-providers.js';
import { workloadRows } from './workload.js';

/** rt-plan's default voice-turn budget (templates/knowledge/rt-plan-defaults.md). */
export const DEFAULT_VOICE_TURN_MS = 1_000;

/** How long one session lasts: the shortest the context states, capped at 10 minutes, else 10 minutes. */
export function sessionSeconds(ctx: DesignCtx): { seconds: number; stated: NumberRequirement | null } {
  const stated =
    ctx.input.sessions.requirements.find(
      (r): r is NumberRequirement => r.kind === 'number' && r.metric === 'duration' && /\b(?:calls?|conversations?|sessions?)\b/i.test(r.sentence),
    ) ?? null;
  return { seconds: stated ? Math.min(600, Math.max(1, stated.value)) : 600, stated };
}

export function voiceCapacityRows(ctx: DesignCtx): CapacityRow[] {
  const reqs = ctx.input.sessions.requirements;
  const latency = reqs.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency');
  const sessions = ctx.capacity.values.connections;
  const connSource = ctx.capacity.sources.connections;
  const at = (r: { evidence: string }) => `context (\`${r.evidence}\`)`;
  const defaults = ctx.cite.cite(['defaults'], 'rt-plan');
  const budget = latency?.value ?? DEFAULT_VOICE_TURN_MS;
  const w = ctx.capacity.workload;
  const v = ctx.capacity.values;
  // Traffic the context states (reactions in a media room) is fanned out by the provider's room: its rows apply.
  const rows: CapacityRow[] = w.streams.length > 0 ? workloadRows(w, v.connections, v.fanout, v.msgRate) : [];
  const model = providersOf(ctx).some((p) => VOICE[p].modelSession);
  if (model)
    rows.push({
      quantity: "Voice turn p95: end of the user's speech to the first audio of the reply",
      formula: `≤ ${fmt(budget)} ms`,
      value: `${fmt(budget)} ms`,
      source: latency ? at(latency) : `rt-plan default: about 1 s keeps the user's flow of thought${defaults}; the context states none`,
    });
  for (const p of providersOf(ctx)) {
    const profile = VOICE[p];
    // The note is gathered under the SDK's package name ('openai', '@google/genai'), not always the provider's.
    const cite = ctx.cite.cite(['session-limits'], p) || ctx.cite.cite(['session-limits']);
    if (profile.modelSession && profile.turnSilenceMs) {
      const left = budget - profile.turnSilenceMs.ms;
      rows.push({
        quantity: `Left for the model and the network after ${profile.nodeLabel}'s end-of-speech wait`,
        formula: `${fmt(budget)} − ${fmt(profile.turnSilenceMs.ms)} ms`,
        value: `${fmt(left)} ms`,
        source: `${profile.turnSilenceMs.setting} waits ${fmt(profile.turnSilenceMs.ms)} ms of silence by default before the turn ends${cite}; ${
          left < 500
            ? 'measure the first audio after that in the pilot, and shorten the wait if the p95 is missed (it may then cut in on short pauses)'
            : 'measure the rest in the pilot'
        }`,
      });
    }
    rows.push({
      quantity: `Concurrent sessions on ${profile.nodeLabel}`,
      formula: fmt(sessions),
      value: fmt(sessions),
      source: `${connSource.kind === 'context' ? at(connSource) : 'default (assumption, see Context)'}; ${profile.concurrencyMd(sessions)}${cite}`,
    });
  }
  const { seconds, stated } = sessionSeconds(ctx);
  const tr = tokenRate(sessions, seconds);
  rows.push({
    quantity: 'Session starts our token route answers (steady)',
    formula: `${fmt(sessions)} sessions ÷ ${fmt(seconds)} s`,
    value: `${fmt(tr.perSecond)}/s (${fmt(tr.perMinute)}/min)`,
    source: `${stated ? `a session lasts ${fmt(round(seconds / 60, 1))} min at the shortest, ${at(stated)}` : 'a 10-minute session (assumption)'}; the load test drives this rate`,
  });
  return rows;
}

/**
 * The voice turn as the browser can time it, from the provider's own events: the end of the
 * user's speech to the first audio of the reply. Where the provider's end-of-speech event comes
 * after its silence wait, that wait is added to the measured time to compare with the turn
 * budget. Null unless the plan has one model session whose provider documents both events.
 */
export function voiceTurnMetric(ctx: DesignCtx): {
  metric: string;
  whyMd: string;
  limitMs: (budgetMs: number | undefined) => number;
  slo: (latency: NumberRequirement | undefined, metric: string) => { name: string; target: string; sourceMd: string };
} | null {
  if (!ctx.scenarios.includes('voice')) return null;
  const ps = providersOf(ctx).filter((p) => VOICE[p].modelSession);
  if (ps.length !== 1) return null;
  const profile = VOICE[ps[0]!];
  const t = profile.turnEvents;
  const wire = ctx.input.analysis.stack.transports.includes(profile.wire)
    ? profile.wire
    : (ctx.input.analysis.stack.transports.find((x) => t?.firstAudio[x]) ?? profile.wire);
  const first = t?.firstAudio[wire];
  if (!t || !first) return null;
  const wait = profile.turnSilenceMs?.ms ?? 0;
  const waitMd = profile.turnSilenceMs ? ` plus the ${fmt(wait)} ms silence wait of ${profile.turnSilenceMs.setting}` : '';
  return {
    metric: 'voice_turn_latency_seconds',
    whyMd: `timed in the browser from ${t.endOfSpeech ? `\`${t.endOfSpeech}\` (end of the user's speech; ${t.endOfSpeechMd})` : t.endOfSpeechMd} to \`${first}\` (${wire === 'webrtc' ? 'the provider begins streaming the reply’s audio to the browser' : 'the first chunk of the reply’s audio'}); the turn the user hears is this${waitMd}`,
    limitMs: (budget) => Math.max(0, (budget ?? DEFAULT_VOICE_TURN_MS) - wait),
    slo: (latency, metric) => {
      const budget = latency?.value ?? DEFAULT_VOICE_TURN_MS;
      const pct = fmt(latency?.percentile ?? 95);
      const source = latency ? `context: "${text(latency.sentence)}" (\`${latency.evidence}\`)` : 'rt-plan default (assumption: the context states none)';
      return {
        name: `Voice turn p${pct}: end of the user's speech to the first audio of the reply`,
        target: `< ${fmt(budget)} ms`,
        sourceMd: `${source}; the part measured is the p${pct} of \`${metric}\`, which must stay under ${fmt(Math.max(0, budget - wait))} ms${wait > 0 ? `: the other ${fmt(wait)} ms are the silence wait of ${profile.turnSilenceMs?.setting}` : ''}`,
      };
    },
  };
}
