// What the session context rules out, read once: a section checks it before proposing a
// mechanism the team has excluded (HTTP polling, a login for viewers), and quotes the sentence.
import type { ConstraintRequirement, NumberRequirement, Requirement } from '../types.js';
import type { DesignCtx } from './context.js';
import { code, text } from './md.js';

const TERMS = {
  polling: /\bpoll(?:s|ing|ed)?\b/i,
  // An account only as something users would have to create or sign into: "data stays in our
  // AWS account" rules nothing out.
  login: /\b(?:login|log[- ]in|sign[- ]?in|sign[- ]?up|(?:user|player|viewer|customer) accounts?|accounts? (?:sign[- ]?up|creation|required))\b/i,
  sticky: /\bsticky[- ]sessions?\b|\bsession affinity\b/i,
  // Audio kept or carried on the team's side: "no recording of the audio on our side", "voice must not be stored".
  audio:
    /\b(?:record(?:ing|s|ed)?|stor(?:e|es|ing|ed|age)|relay(?:s|ing|ed)?|keep(?:s|ing)?)\b[^.;]{0,30}\b(?:audio|voice|speech|calls?)\b|\b(?:audio|voice|speech)\b[^.;]{0,30}\b(?:record(?:ed|ing)?|stored|relayed|kept)\b/i,
} as const;

/** Each term, and the same term with a negation close before it: "no polling", "not allowed: polling", "without a login". */
const RULES = Object.fromEntries(
  Object.entries(TERMS).map(([k, term]) => [
    k,
    {
      term,
      negated: new RegExp(String.raw`\b(?:no|not|never|without|don't|do not)\b[^.;]{0,40}?${term.source}`, 'i'),
      // The term itself negated: "no login", "without an account sign-up", "must not need user accounts".
      excluded: new RegExp(String.raw`\b(?:no|without|(?:not|never) (?:need|require|have))\s+(?:(?:a|an|any)\s+)?${term.source}`, 'i'),
    },
  ]),
) as Record<keyof typeof TERMS, { term: RegExp; negated: RegExp; excluded: RegExp }>;

/**
 * The must-not (or negated must) sentence of the context that rules `what` out, if any. `negatedOnly`:
 * only a sentence that negates the term itself ("no login for viewers"), not any must-not that
 * mentions it ("must not break the login flow"), for a claim that rests on the term being excluded.
 */
export function rulesOut(ctx: Pick<DesignCtx, 'input'>, what: keyof typeof TERMS, negatedOnly = false): ConstraintRequirement | undefined {
  const { term, negated, excluded } = RULES[what];
  return ctx.input.sessions.requirements.find(
    (r): r is ConstraintRequirement =>
      r.kind === 'constraint' && term.test(r.sentence) && (negatedOnly ? excluded.test(r.sentence) : r.polarity === 'must-not' || negated.test(r.sentence)),
  );
}

/**
 * The must (or must-not) of the context whose sentence matches `term` ("malformed messages must
 * get an error back"), for the section whose decision meets it to quote next to that decision.
 */
export function statedMust(ctx: Pick<DesignCtx, 'input'>, term: RegExp): ConstraintRequirement | undefined {
  return ctx.input.sessions.requirements.find((r): r is ConstraintRequirement => r.kind === 'constraint' && term.test(r.sentence));
}

/** `("sentence", file:line)`, for a clause that follows what the context rules out. */
export function quoteOf(r: Pick<Requirement, 'sentence' | 'evidence'>): string {
  return `"${text(r.sentence)}" (${code(r.evidence)})`;
}

/**
 * Clients send the app's own events on the channel (not only a provider's protocol): a context
 * that rules out a login then still needs a guest identity, not a public read-only stream.
 */
export function clientsSend(ctx: Pick<DesignCtx, 'input'>): boolean {
  return ctx.input.analysis.events.some((e) => e.direction !== 'server-to-client' && e.protocol === undefined);
}

/** A session file or requirement sentence names `term` anywhere (nginx, Kubernetes), negated or not. */
export function contextMentions(ctx: Pick<DesignCtx, 'input'>, term: RegExp): boolean {
  const s = ctx.input.sessions;
  return s.docs.some((d) => term.test(d.body)) || s.requirements.some((r) => term.test(r.sentence));
}

/**
 * The session context asks for something matching `term`: a sentence of a session file names it
 * and does not negate it ("no read receipts" asks for none). For optional parts of a scenario
 * (topics, read receipts) that a plan proposes only when the team asked for them.
 */
export function contextAsks(ctx: Pick<DesignCtx, 'input'>, term: RegExp): boolean {
  const negation = /\b(?:no|not|never|without|don't|do not|nor)\b/i;
  return ctx.input.sessions.docs.some((d) => d.body.split(/(?<=[.!?;])\s+|\n+/).some((s) => term.test(s) && !negation.test(s)));
}

/** Keys that name the message in a stated framing, and keys that carry its payload. */
const NAME_KEY = /^(type|event|name|op|kind|action|t|e)$/;
const DATA_KEY = /^(data|payload|body|d|params|args|p)$/;

export interface Framing {
  /** The key that names the event (`event` in `{ event, data }`). */
  nameKey: string;
  /** The key that carries the payload (`data`). */
  dataKey: string;
  /** Every key the framing lists, in order. */
  keys: string[];
  req: ConstraintRequirement;
}

/**
 * The message framing a must keeps (`keep ws and the \`{ event, data }\` framing`): every frame the
 * plan writes uses it, and no other envelope is proposed against it. Only a framing whose name and
 * payload keys can be told apart; a must-not's shape is one the team rules out, not one to use.
 */
/** A clause that keeps a stated framing: "keep the `{ type, payload }` protocol", "stick to `{ event, data }`". */
const KEEPS_FRAMING = /\b(?:keep|use|stay with|stick to|preserve|retain)\b[^.;,]{0,20}`\{/i;

export function statedFraming(ctx: Pick<DesignCtx, 'input'>): Framing | undefined {
  for (const r of ctx.input.sessions.requirements) {
    // A don'ts list can still keep a framing ("Don'ts: no Socket.IO migration; keep the `{ type, payload }` protocol").
    if (r.kind !== 'constraint' || !r.framing || (r.polarity !== 'must' && !KEEPS_FRAMING.test(r.sentence))) continue;
    const nameKey = r.framing.find((k) => NAME_KEY.test(k));
    const dataKey = r.framing.find((k) => DATA_KEY.test(k));
    if (nameKey && dataKey) return { nameKey, dataKey, keys: r.framing, req: r };
  }
  return undefined;
}

/**
 * What a must or must-not of the context is about, for the decision that meets it to quote it.
 * Each term names the subject the way teams state it, whatever the stack: a section that
 * already decides that subject says how it meets the sentence, instead of leaving it unused.
 */
const STATES = {
  // "survive our weekly deploy without users noticing more than a short reconnect"
  // (only what a drain answers: users getting through a deploy, not "never lose a message in a deploy", which needs a store)
  deploy:
    /\b(?:surviv\w*|through|notic\w*|downtime)\b[^.;]{0,60}\b(?:re)?deploy(?:s|ed|ing|ments?)?\b|\b(?:re)?deploy(?:s|ed|ing|ments?)?\b[^.;]{0,60}\b(?:notic\w*|short reconnect|downtime)\b/i,
  // "do not put the session token in the URL", "no tokens in query strings"
  tokenInUrl: /\btokens?\b[^.;]{0,40}\b(?:URLs?|query(?: strings?)?)\b|\b(?:URLs?|query strings?)\b[^.;]{0,40}\btokens?\b/i,
  // "move to a server we operate (no Node fleet, no Redis)", "no WebSocket server, no extra long-running service"
  ownServer:
    /\bservers? (?:that )?we (?:operate|run|manage|maintain|host)\b|\b(?:Node|server) fleet\b|\bWebSocket server\b|\blong-running (?:service|server|process)\b/i,
  // "event rooms of 2,000 must not stall smaller rooms"
  roomIsolation: /\brooms?\b[^.;]*\b(?:stall|block|starve|slow|affect|degrade|hurt)\w*\b[^.;]*\b(?:other|smaller|small)\b[^.;]*\brooms?\b/i,
  // "keep one Durable Object per room", "one process per document"
  holderPerRoom: /\bone\b[^.;]{0,30}\bper (?:room|channel|document|match|game)\b/i,
  // "an answer the model finished must be stored and shown again after a reload"
  savedForReload: /\b(?:stored|saved|persist\w*)\b[^.;]*\b(?:reload\w*|refresh\w*)\b|\b(?:reload\w*|refresh\w*)\b[^.;]*\b(?:stored|saved|persist\w*)\b/i,
  // "a user who comes back while an answer is still streaming should see it continue"
  resumeRunning: /\bstill (?:streaming|running|generating)\b|\bresum\w+\b[^.;]{0,40}\b(?:answers?|streams?|generations?)\b/i,
  // "we cannot afford to regenerate answers the user already paid for"
  noRegenerate: /\bregenerat\w*\b|\bpa(?:y|id) (?:for (?:it|them) )?(?:again|twice)\b/i,
  // "the OpenAI key stays server-side"
  // "an assignment must be applied exactly once, even if the dispatcher clicks during a blip"
  exactlyOnce: /\b(?:exactly|only) once\b|\bnever (?:applied |assigned |sent |charged )?twice\b/i,
  // "keep the shared `@quiz/protocol` package as the single source of event names", "event names live in one module"
  eventNames:
    /\b(?:single|one|only)\b[^.;]{0,20}\bsource\b[^.;]{0,30}\bevent names?\b|\bevent names?\b[^.;]{0,40}\b(?:in one|single|one shared)\b[^.;]{0,20}\b(?:module|package|file|place)\b/i,
  // "the online list must be exact when people switch rooms or close the tab", "who's online must be accurate"
  exactPresence:
    /\b(?:online list|who'?s online|presence list|member list|online users|head ?counts?|participant counts?)\b[^.;]{0,40}\b(?:exact|accurate|correct|right)\b|\b(?:exact|accurate|correct)\b[^.;]{0,20}\b(?:online list|presence list|member list|head ?counts?|participant counts?)\b/i,
  keyServerSide: /\b(?:keys?|secrets?|credentials?)\b[^.;]{0,40}\bserver[- ]side\b|\bserver[- ]side\b[^.;]{0,40}\b(?:keys?|secrets?)\b/i,
} as const;

/** The context's must or must-not about `what`, if it states one (`polarity` narrows it). */
export function contextStates(
  ctx: Pick<DesignCtx, 'input'>,
  what: keyof typeof STATES,
  polarity?: ConstraintRequirement['polarity'],
): ConstraintRequirement | undefined {
  return ctx.input.sessions.requirements.find(
    (r): r is ConstraintRequirement => r.kind === 'constraint' && (polarity === undefined || r.polarity === polarity) && STATES[what].test(r.sentence),
  );
}

/** ` This is how the plan meets "sentence" (file:line).` for the context's must about `what`, or ''. */
export function meetsMd(ctx: Pick<DesignCtx, 'input'>, what: keyof typeof STATES, polarity?: ConstraintRequirement['polarity']): string {
  const r = contextStates(ctx, what, polarity);
  return r ? ` This is how the plan meets ${quoteOf(r)}.` : '';
}

/** A stated latency that times getting back after a drop, not delivering a message. */
const RECOVERY = /\b(after a (drop|disconnect)|reconnect\w*|resubscrib\w*|back (online|up)|recover\w*)\b/i;

/** The context's recovery target ("back and resubscribed within 10 s (p95)"), if it states one. */
export function statedRecovery(requirements: readonly Requirement[]): NumberRequirement | undefined {
  return requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'latency' && RECOVERY.test(r.sentence));
}

/** "we cannot change that server, only read its docs", "the server is not ours to modify". */
const FIXED_SERVER =
  /\b(?:cannot|can't|can not|could not|are not allowed to|may not|must not)\s+(?:change|modify|touch|alter|deploy to)\b[^.;]{0,30}\bserver\b|\bserver\b[^.;]{0,40}\b(?:not ours to (?:change|modify)|we (?:cannot|can't|do not|don't) (?:change|control|own))\b/i;

/** The context's sentence saying the server the client talks to cannot be changed, if any. */
export function fixedServer(requirements: readonly Requirement[]): ConstraintRequirement | undefined {
  return requirements.find((r): r is ConstraintRequirement => r.kind === 'constraint' && FIXED_SERVER.test(r.sentence));
}

/**
 * The project is only a client, and the context says the server it talks to cannot be changed:
 * the plan keeps to the events that server already speaks and proposes no new ones for it.
 */
export function serverIsFixed(ctx: Pick<DesignCtx, 'input'>): boolean {
  return ctx.input.analysis.findings.some((f) => f.id === 'client-only') && fixedServer(ctx.input.sessions.requirements) !== undefined;
}
