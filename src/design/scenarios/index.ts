// Scenario selection. Sources, strongest first: --pattern (exactly the forced ones), then
// requirements found in the session context, words of the task name, and providers in the
// detected stack. Modules run in the fixed SCENARIOS order so merged output is stable.
import type { PlanInput, Scenario, ScenarioChoice } from '../types.js';
import { SCENARIOS } from '../types.js';
import { code, list } from '../md.js';
import type { ScenarioModule } from './kit.js';
import { aiStreaming } from './ai-streaming.js';
import { chatCollab } from './chat-collab.js';
import { collabEditing } from './collab-editing.js';
import { notifications } from './notifications.js';
import { stateSync } from './state-sync.js';
import { subscriptions } from './subscriptions.js';
import { voice } from './voice.js';

export const MODULES: Record<Scenario, ScenarioModule> = {
  'state-sync': stateSync,
  'ai-streaming': aiStreaming,
  subscriptions,
  'chat-collab': chatCollab,
  voice,
  notifications,
  'collab-editing': collabEditing,
};

/** Features that only mark a scenario when nothing more specific selected it. */
const WEAK_FEATURES = new Set(['live-updates']);

const AI_WORDS = ['ai', 'llm', 'gpt', 'chatbot', 'assistant', 'bot', 'copilot'];

export function selectScenarios(input: PlanInput): ScenarioChoice[] {
  const forced = input.options.patterns ?? [];
  if (forced.length > 0) {
    return SCENARIOS.filter((id) => forced.includes(id)).map((id) => ({
      id,
      title: MODULES[id].title,
      reasonMd: `forced with ${code(`--pattern ${id}`)}`,
    }));
  }
  const words = new Set(input.task.split('-'));
  // "ai-chat" or "chatbot-chat" is a conversation with a model, not multi-user chat rooms.
  if (AI_WORDS.some((w) => words.has(w))) words.delete('chat');
  const reasons = new Map<Scenario, string[]>();
  const add = (id: Scenario, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);
  const features = input.sessions.requirements.flatMap((r) => (r.kind === 'feature' ? [r] : []));

  for (const id of SCENARIOS) {
    const m = MODULES[id];
    const strong = features.filter((r) => m.features.includes(r.feature) && !WEAK_FEATURES.has(r.feature));
    const seen = new Set<string>();
    for (const r of strong) {
      if (seen.has(r.feature)) continue;
      seen.add(r.feature);
      add(id, `requirement ${code(r.feature)} (${code(r.evidence)})`);
    }
    const hit = m.words.filter((w) => words.has(w));
    if (hit.length > 0) add(id, `task name ${list(hit.map((w) => code(w)))}`);
    const prov = input.analysis.stack.providers.filter((p) => m.providers.includes(p));
    if (prov.length > 0) add(id, `detected provider ${list(prov.map((p) => code(p)))}`);
    const deps = new Set(input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies)));
    const libs = (m.libraries ?? []).filter((l) => deps.has(l));
    if (libs.length > 0) add(id, `dependency ${list(libs.map((l) => code(l)))}`);
  }
  if (reasons.size === 0) {
    // Only existing code speaks: infer from the event names the analysis found.
    for (const id of SCENARIOS) {
      const hint = MODULES[id].eventHint;
      const hits = hint ? input.analysis.events.filter((e) => hint.test(e.name)).map((e) => e.name) : [];
      if (hits.length > 0) add(id, `existing events ${list(hits.slice(0, 3).map((n) => code(n)))}`);
    }
  }
  if (reasons.size === 0) {
    const weak = features.find((r) => WEAK_FEATURES.has(r.feature));
    const id: Scenario = weak ? 'subscriptions' : 'state-sync';
    add(id, weak ? `requirement ${code(weak.feature)} (${code(weak.evidence)})` : 'default: no requirement, task word or provider pointed elsewhere (assumption)');
  }
  return SCENARIOS.filter((id) => reasons.has(id)).map((id) => ({
    id,
    title: MODULES[id].title,
    reasonMd: (reasons.get(id) ?? []).join('; '),
  }));
}
