// Scenario selection. Sources, strongest first: --pattern (exactly the forced ones), then
// requirements found in the session context, words of the task name, and providers in the
// detected stack. Modules run in the fixed SCENARIOS order so merged output is stable.
// A task name is a few words someone typed: an ambiguous word ("collab", "sync") never adds
// a scenario whose data the context never mentions once other evidence selected scenarios.
import type { CapacityInputs, PlanInput, Scenario, ScenarioChoice } from '../types.js';
import type { DesignCtx } from '../context.js';
import { SCENARIOS } from '../types.js';
import { code, list } from '../md.js';
import type { ScenarioModule } from './kit.js';
import { READ_STATE } from '../core/index.js';
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

/**
 * Features that accompany another kind of feature as often as they stand for one: "who's on
 * shift" next to an order board, who is in a call or a document. Alone they select their
 * scenario (presence → chat rooms) only when no other evidence selected any.
 */
const COMPANION_FEATURES = new Set(['presence']);

/**
 * The most names one feature's own protocol has: a request, its undo, a snapshot, an update and
 * an error (`subscribe`, `unsubscribe`, `snapshot`, `update`, `error`). A protocol that small is
 * one feature, so its one name that matches speaks for it; in a larger one a lone match may be a
 * word inside another feature's name (`loginByToken`, `cloudflared_message`).
 */
const ONE_FEATURE_NAMES = 5;

/**
 * Event names select a scenario only when they speak for it: two distinct names match its hint
 * (a feature has a send and a broadcast, a join and a message), whatever the protocol's size, or
 * one does in a protocol no larger than one feature's.
 */
function eventsSpeakFor(hits: number, names: number): boolean {
  return hits >= 2 || (hits === 1 && names <= ONE_FEATURE_NAMES);
}

/** Membership of a room, topic or channel: the verb of a join, a leave, a subscribe. */
const MEMBERSHIP_WORD = /^(?:join|joined|joining|leave|left|leaving|enter|entered|exit|exited|subscribe|subscribed|unsubscribe|unsubscribed)$/;
/** An error or system notice any protocol has, whatever its feature (`error_message`, `system_message`). */
const NOTICE_WORD = /^(?:error|errors|err|exception|system|sys|warning|warn)$/;

/** The words of an event name: `joinRoom`, `room:join`, `error_message` → join room, room join, error message. */
function nameWords(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * The names that speak for a scenario: those its hint matches, but not an error or system notice
 * (every protocol has one, and `error_message` is no chat), and not a membership name the hint
 * matches only by what is joined: `joinRoom` and `leaveRoom` say the project fans out by rooms, which
 * a delivery tracker or an auction does as much as a chat. A membership name matched by its verb
 * (`fleet.subscribe` for subscriptions) is that scenario's own request, and counts.
 */
export function speakingNames(hint: RegExp, names: readonly string[]): string[] {
  return names.filter((n) => {
    if (!hint.test(n)) return false;
    const words = nameWords(n);
    if (words.some((w) => NOTICE_WORD.test(w))) return false;
    const membership = words.filter((w) => MEMBERSHIP_WORD.test(w));
    return membership.length === 0 || membership.some((w) => hint.test(w));
  });
}

const AI_WORDS = ['ai', 'llm', 'gpt', 'chatbot', 'assistant', 'bot', 'copilot'];

/**
 * Task words that name more than one kind of feature ("collab" is team chat as often as
 * co-editing; "sync" and "live" fit every scenario). They select a scenario only when no
 * requirement, provider, dependency or unambiguous task word selected anything.
 */
export const AMBIGUOUS_WORDS: ReadonlySet<string> = new Set([
  'collab',
  'collaborative',
  'collaboration',
  'editor',
  'editing',
  'multiplayer',
  'sync',
  'synchronization',
  'state',
  'live',
  'mirror',
  'stream',
  'streaming',
  'tokens',
  'completion',
  'completions',
  'updates',
  'feed',
  'watch',
  'events',
  'push',
  'alerts',
  'room',
  'rooms',
  'call',
  'calls',
]);

/**
 * The input without the tentative requirements no code corroborates ("stream the agent's output"
 * in a project that calls no model): a word the context used about something else is not a
 * requirement the plan must address.
 */
export function withCorroboration(input: PlanInput): PlanInput {
  const deps = new Set(input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies)));
  const kept = input.sessions.requirements.filter(
    (r) =>
      r.kind !== 'feature' ||
      !r.tentative ||
      SCENARIOS.some((id) => MODULES[id].features.includes(r.feature) && (MODULES[id].corroboratedBy ?? []).some((l) => deps.has(l))),
  );
  return kept.length === input.sessions.requirements.length ? input : { ...input, sessions: { ...input.sessions, requirements: kept } };
}

/** The scenario's title for this task. */
const titleOf = (id: Scenario, input: PlanInput): string => MODULES[id].titleFor?.(input) ?? MODULES[id].title;

export function selectScenarios(input: PlanInput): ScenarioChoice[] {
  const forced = input.options.patterns ?? [];
  if (forced.length > 0) {
    return SCENARIOS.filter((id) => forced.includes(id)).map((id) => ({
      id,
      title: titleOf(id, input),
      reasonMd: `forced with ${code(`--pattern ${id}`)}`,
    }));
  }
  const words = new Set(input.task.split('-'));
  // "ai-chat" or "chatbot-chat" is a conversation with a model, not multi-user chat rooms.
  if (AI_WORDS.some((w) => words.has(w))) words.delete('chat');
  const reasons = new Map<Scenario, string[]>();
  const add = (id: Scenario, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);
  // Scenarios whose only evidence is ambiguous task words, held back until the end.
  const weakOnly = new Map<Scenario, string>();
  // Scenarios a shared provider alone points to (LiveKit: a voice agent, but also data rooms or calls), held back likewise.
  const sharedOnly = new Map<Scenario, string>();
  // Scenarios whose only evidence is a companion feature (presence), held back likewise.
  const companionOnly = new Map<Scenario, string[]>();
  const features = input.sessions.requirements.flatMap((r) => (r.kind === 'feature' ? [r] : []));

  const deps = new Set(input.analysis.project.packages.flatMap((p) => Object.keys(p.dependencies)));
  // A chat's read state ("unread counts and mentions should stay in sync between the browser and the
  // desktop app") is the chat's read markers (Core design), not another object to synchronize.
  const chatAsked = features.some((r) => r.feature === 'chat' && !r.tentative);
  const readState = (r: (typeof features)[number]) => chatAsked && r.feature === 'state-sync' && READ_STATE.test(r.sentence);
  for (const id of SCENARIOS) {
    const m = MODULES[id];
    // A tentative requirement (named by an ambiguous word) counts only when the code corroborates it.
    const corroborated = (m.corroboratedBy ?? []).some((l) => deps.has(l));
    const strong = features.filter(
      (r) => m.features.includes(r.feature) && !WEAK_FEATURES.has(r.feature) && (!r.tentative || corroborated) && !(id === 'state-sync' && readState(r)),
    );
    const seen = new Set<string>();
    for (const r of strong) {
      if (seen.has(r.feature)) continue;
      seen.add(r.feature);
      add(id, `requirement ${code(r.feature)} (${code(r.evidence)})`);
    }
    if (id === 'chat-collab')
      for (const r of features.filter(readState)) add(id, `requirement ${code(r.feature)} (${code(r.evidence)}): the chat's read markers`);
    const libs = (m.libraries ?? []).filter((l) => deps.has(l));
    const hit = m.words.filter((w) => words.has(w));
    // A shared provider (rooms for data, media or a voice agent) counts once a feature, an unambiguous task word or a library names the scenario.
    const named = strong.length > 0 || libs.length > 0 || hit.some((w) => !AMBIGUOUS_WORDS.has(w));
    const prov = input.analysis.stack.providers.filter((p) => m.providers.includes(p) || (named && (m.sharedProviders ?? []).includes(p)));
    const shared = named ? [] : input.analysis.stack.providers.filter((p) => (m.sharedProviders ?? []).includes(p));
    if (shared.length > 0)
      sharedOnly.set(
        id,
        `detected provider ${list(shared.map((p) => code(p)))}, which serves other tasks as well: no requirement or task word says which (assumption)`,
      );
    const taskReason = hit.length > 0 ? `task name ${list(hit.map((w) => code(w)))}` : null;
    const companionHit = hit.every((w) => COMPANION_FEATURES.has(w));
    if (
      (strong.length > 0 || hit.length > 0) &&
      strong.every((r) => COMPANION_FEATURES.has(r.feature)) &&
      companionHit &&
      prov.length === 0 &&
      libs.length === 0
    ) {
      companionOnly.set(id, [...(reasons.get(id) ?? []), ...(taskReason ? [taskReason] : [])]);
      reasons.delete(id);
      continue;
    }
    if (taskReason && strong.length === 0 && prov.length === 0 && libs.length === 0 && hit.every((w) => AMBIGUOUS_WORDS.has(w))) {
      weakOnly.set(id, taskReason);
      continue;
    }
    if (taskReason) add(id, taskReason);
    if (prov.length > 0) add(id, `detected provider ${list(prov.map((p) => code(p)))}`);
    if (libs.length > 0) add(id, `dependency ${list(libs.map((l) => code(l)))}`);
  }
  if (reasons.size === 0) for (const [id, rs] of companionOnly) for (const r of rs) add(id, r);
  if (reasons.size === 0) for (const [id, reason] of weakOnly) add(id, reason);
  // Before guessing from event names: a provider's own SDK events (LiveKit's TrackSubscribed) say nothing of the app's task.
  if (reasons.size === 0) for (const [id, reason] of sharedOnly) add(id, reason);
  if (reasons.size === 0) {
    // Only existing code speaks: infer from the event names the analysis found, where they speak
    // for the scenario (eventsSpeakFor).
    const names = [...new Set(input.analysis.events.map((e) => e.name))];
    for (const id of SCENARIOS) {
      const hint = MODULES[id].eventHint;
      const hits = hint ? speakingNames(hint, names) : [];
      if (eventsSpeakFor(hits.length, names.length)) add(id, `existing events ${list(hits.slice(0, 3).map((n) => code(n)))}`);
    }
  }
  if (reasons.size === 0) {
    const weak = features.find((r) => WEAK_FEATURES.has(r.feature));
    const id: Scenario = weak ? 'subscriptions' : 'state-sync';
    add(
      id,
      weak ? `requirement ${code(weak.feature)} (${code(weak.evidence)})` : 'default: no requirement, task word or provider pointed elsewhere (assumption)',
    );
  }
  return SCENARIOS.filter((id) => reasons.has(id)).map((id) => ({
    id,
    title: titleOf(id, input),
    reasonMd: (reasons.get(id) ?? []).join('; '),
  }));
}

type Defaults = CapacityInputs & { why: Record<keyof CapacityInputs, string> };
const KEYS: readonly (keyof CapacityInputs)[] = ['connections', 'msgRate', 'payloadBytes', 'fanout'];

/**
 * Capacity defaults for the selected modules, each input with its own reason. The primary
 * (first) module gives them, except fan-out: the widest of the selected scenarios, since one
 * broadcasting scenario makes a 1:1 stream's fan-out of 1 wrong for the plan as a whole.
 */
export function capacityDefaults(modules: readonly ScenarioModule[]): Defaults {
  const primary = modules[0];
  if (!primary) throw new Error('capacityDefaults needs at least one scenario module');
  const widest = widestFanout(modules, primary);
  const why = Object.fromEntries(
    KEYS.map((k) => {
      const { title, reason } = defaultSource(modules, k);
      return [k, `${title} default: ${reason}`];
    }),
  ) as Record<keyof CapacityInputs, string>;
  const d = primary.defaults;
  return { connections: d.connections, msgRate: d.msgRate, payloadBytes: d.payloadBytes, fanout: widest.defaults.fanout, why };
}

function widestFanout(modules: readonly ScenarioModule[], primary: ScenarioModule): ScenarioModule {
  return modules.reduce((best, m) => (m.defaults.fanout > best.defaults.fanout ? m : best), primary);
}

/** The scenario whose default an input takes (fan-out from the widest one, the rest from the primary), and its reason. */
function defaultSource(modules: readonly ScenarioModule[], k: keyof CapacityInputs): { title: string; reason: string } {
  const primary = modules[0];
  if (!primary) throw new Error('defaultSource needs at least one scenario module');
  const m = k === 'fanout' ? widestFanout(modules, primary) : primary;
  return { title: m.title.toLowerCase(), reason: m.defaults.whyBy?.[k] ?? m.defaults.why };
}

/** The assumption sentence's reason, naming only the inputs that were defaulted, and each scenario once. */
export function defaultsReason(modules: readonly ScenarioModule[], defaulted: readonly (keyof CapacityInputs)[]): string {
  const groups: { title: string; reasons: string[] }[] = [];
  for (const k of defaulted) {
    const { title, reason } = defaultSource(modules, k);
    const group = groups.find((g) => g.title === title);
    if (!group) groups.push({ title, reasons: [reason] });
    else if (!group.reasons.includes(reason)) group.reasons.push(reason);
  }
  return groups.map((g) => `${g.title} default${g.reasons.length === 1 ? '' : 's'}: ${g.reasons.join('; ')}`).join('; ');
}

/** How connections must be routed when a selected scenario keeps per-instance state; empty when any node may serve any connection. */
export function affinityNotes(ctx: DesignCtx): string[] {
  return ctx.scenarios.flatMap((id) => {
    const note = MODULES[id].affinity?.(ctx);
    return note ? [note] : [];
  });
}

/** SLOs the selected scenarios add (time to first token, …). */
export function scenarioSlos(ctx: DesignCtx): { name: string; target: string; sourceMd: string }[] {
  return ctx.scenarios.flatMap((id) => MODULES[id].slos?.(ctx) ?? []);
}

/** True when no selected scenario's channel carries a server seq: seq and gap text must not apply. */
export function seqless(ctx: DesignCtx): boolean {
  return ctx.scenarios.length > 0 && ctx.scenarios.every((id) => MODULES[id].resume(ctx).seq === false);
}

/** True when every selected scenario syncs by whole snapshots under one version (state sync of a collection sent whole). */
export function snapshotVersioned(ctx: DesignCtx): boolean {
  return ctx.scenarios.length > 0 && ctx.scenarios.every((id) => MODULES[id].resume(ctx).cursor === 'version');
}

/**
 * True when every selected channel converges by state vectors (a Yjs-only plan): the y-protocols text
 * (no envelope, no acks, awareness) applies. A channel without a seq for another reason (newest value
 * wins, a server that cannot be changed) is seqless but not this.
 */
export function stateVectors(ctx: DesignCtx): boolean {
  return seqless(ctx) && ctx.scenarios.every((id) => MODULES[id].resume(ctx).stateVector === true);
}

/** Where every selected scenario publishes replies to requests (AI answers), how many one stream delivers a second. */
export function replyOf(ctx: Pick<DesignCtx, 'scenarios'>): { perStream: number; unit: string; paidUpstream?: string } | null {
  const replies = ctx.scenarios.map((s) => MODULES[s].defaults.reply);
  return replies.length > 0 && replies.every((r) => r !== undefined) ? replies[0]! : null;
}
