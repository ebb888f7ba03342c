// Pure: free prose → the real-time requirements it states, each with its sentence and line.
// The patterns are data; a sentence can yield several features and several numbers.
import type { Feature, NumberRequirement, Requirement } from '../types.js';
import { factsIn, labelKind } from './facts.js';
import { mayMatch, NUMBER_RULES, WORDS } from './figure-rules.js';
import { entityCountIn, subscriptionsIn } from './subscriptions.js';
import { roomCountIn } from './room-count.js';
import { singleHostIn } from './single-host.js';

const FEATURE_PATTERNS: ReadonlyArray<readonly [Feature, RegExp]> = [
  ['chat', /\bchat(?:s|ting|room)?\b|\bdirect messag|\bDMs?\b|\bmessaging\b/i],
  // A live head count of a room ("a head count the server pushes", "participant count") is who is in it: presence.
  [
    'presence',
    /\bpresence\b|\bwho(?:'s| is) online\b|\bonline (?:status|users?|indicators?|list)\b|\bonline\/offline\b|\bhead ?counts?\b|\bwho(?:'s| is) in the (?:room|call|meeting)\b|\b(?:participant|attendee|member) (?:count|list)s?\b/i,
  ],
  ['typing', /\btyping(?: indicators?| status)?\b|\bis typing\b/i],
  // Alerts a user sets on data ("price alerts", "tell me when NVDA crosses 140") are notifications
  // delivered to that user; operational alerting ("alert on p95 latency", "PagerDuty alerts") is not.
  [
    'notifications',
    /\bnotifications?\b|\bnotify\b|\btoasts?\b|\balerts? (?:users?|clients?)\b|\b(?:price|stock|crypto|watchlist|user|custom|personal|per-user|in-app|push)[- ]alerts?\b|\balerts?\b[^.]{0,60}\b(?:per user|(?:for|to) (?:each|every|the) user|delivered (?:to|on))\b/i,
  ],
  [
    'live-updates',
    /\blive (?:updates?|feeds?|dashboards?|data|scores?|prices?|status)\b|\breal[- ]?time (?:updates?|dashboards?|feeds?|status)\b|\bpush(?:es|ed)? updates?\b/i,
  ],
  [
    'ai-streaming',
    /\bstream(?:s|ed|ing)?\b[^.]{0,40}\b(?:AI|LLM|model|agent|tokens?|completions?|assistant)\b|\b(?:AI|LLM|model|agent|assistant)\b[^.]{0,40}\bstream(?:s|ed|ing)?\b|\btoken[- ]by[- ]token\b/i,
  ],
  // Shared state kept the same everywhere, also without the word: a state pushed to every client
  // ("push the machine state to every connected browser"), or every change of it reaching every
  // viewer ("Every card move reaches every viewer of the board, in order").
  [
    'state-sync',
    /\b(?:in sync|sync(?:ed|ing|hroni[sz]e[sd]?|hroni[sz]ation)?)\b|\bsnapshots?\b[^.]{0,30}\bdeltas?\b|\b(?:push|send|broadcast|deliver|mirror)(?:es|ed|ing|s)?\s+(?:the|its|our|their)\s+(?:[\w-]+\s+){0,2}?state\s+(?:of\s+(?:the\s+)?[\w-]+\s+)?to\s+(?:every|each|all)\b|\b(?:every|each)\s+(?:[\w-]+\s+)?(?:change|move|edit|mutation|write)s?\b[^.]{0,40}?\breach(?:es)?\s+(?:every|each|all)\s+(?:[\w-]+\s+)?(?:viewers?|clients?|browsers?|users?|members?|tabs?|devices?|subscribers?|watchers?)\b/i,
  ],
  [
    'collaborative-editing',
    /\bcollaborative(?:ly)? (?:edit|document|whiteboard|canvas|text)|\bco-?edit|\bCRDTs?\b|\bYjs\b|\bmultiplayer\b|\bconcurrent edits?\b|\bedit (?:the same|together)\b/i,
  ],
  ['voice', /\bvoice\b|\bspeech\b|\bmicrophone\b|\baudio stream|\bGemini Live\b|\bOpenAI Realtime\b|\bspeech-to-text\b|\btext-to-speech\b/i],
  // A watchlist is the set of entities one user follows: per-entity subscriptions.
  // So is a client that watches or follows entities ("each browser watches symbols", "watch / unwatch").
  [
    'subscriptions',
    /\bsubscri(?:be|bes|bed|bing|ption|ptions)\b|\bunsubscribe|\bwatch ?lists?\b|\b(watch|follow)\s*(?:\/|,|and|or)\s*un\1\b|\b(?:each|every|a|an)\s+(?:[a-z-]+\s+)?(?:user|client|browser|viewer|tab|device|dashboard)s?\s+(?:watch(?:es)?|follows?)\s+(?:up to\s+)?(?:\d[\d,]*\s+)?(?:[a-z-]+\s+)?(?!(?:videos?|streams?|movies?|matches|games?)\b)[a-z]{3,}s\b/i,
  ],
  ['file-transfer', /\bfile (?:transfer|upload|sharing)s?\b/i],
  ['video', /\bvideo (?:calls?|chat|conferenc\w*)\b|\bscreen ?shar\w*/i],
];

const AI_CHAT = /\b(?:AI|LLM|GPT|assistant|chat ?bot|copilot|model)\b/i;

/** Words that name a model (not an agent, which may be a person or a process). */
const MODEL_WORDS =
  /\b(?:AI|LLMs?|GPT[\w.-]*|language models?|the model|models?'s?|chat ?bots?|assistants?|copilots?|prompts?|completions?|tokens? by tokens?|token[- ]by[- ]token|OpenAI|Anthropic|Claude|Gemini|Mistral|Llama|Ollama|inference)\b/i;

/**
 * Words right before a feature that make it another party's: "the vendor chat widget", "a
 * third-party chat" is not what the team builds.
 */
const OWNED_BEFORE = /\b(?:vendor(?:'s|\u2019s)?|third[- ]party|3rd[- ]party|external|partner(?:'s|\u2019s))\s+(?:[\w-]+\s+)?$/i;
/** Words right after it that say the same: "chat (owned by the vendor)", "chat is not ours", "chat stays as it is". */
const OWNED_AFTER =
  /^[\w\s-]{0,30}?(?:\(|,|\s)\s*(?:is|are|stays?|remains?)?\s*(?:(?:owned|run|handled|provided|hosted|managed|served|built) by (?:the |a |an |their |its )?(?:vendor|third[- ]party)|not ours|not our (?:own|concern|job|problem)|out of (?:our )?scope|as (?:it|they) (?:is|are)|unchanged|untouched)/;
/** "no AI", "without chat": ruled out when nothing follows the feature in its clause. */
const NEGATED_BEFORE = /\b(?:no|without|not (?:a|an|any)|never (?:a|an|any))\s+$/i;
const CLAUSE_END = /^\s*(?:$|[,.;:)!?]|(?:and|or|nor|here|needed|involved|required|at all|for now|yet|this (?:quarter|year|release))\b)/i;

/** True when some mention of the pattern in the sentence is the team's own and not ruled out. */
function askedIn(text: string, pattern: RegExp): boolean {
  for (const m of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 80);
    if (OWNED_BEFORE.test(before) || OWNED_AFTER.test(after)) continue;
    if (NEGATED_BEFORE.test(before) && CLAUSE_END.test(after)) continue;
    return true;
  }
  return false;
}

function parseNumber(digits: string, suffix: string | undefined): number {
  const base = WORDS[digits.toLowerCase()] ?? Number(digits.replace(/[,_ ]/g, ''));
  const s = suffix?.toLowerCase();
  return s === 'k' ? base * 1000 : s === 'm' ? base * 1_000_000 : base;
}

export interface Sentence {
  text: string;
  line: number;
  /** From a Markdown heading: a topic, weaker evidence than a sentence. */
  heading?: boolean;
  /** The heading or "Label:" line the sentence sits under ("Must not", "Problems seen"). */
  under?: string;
}

const ITEM = /^\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*)/;
const HEADING = /^\s*#{1,6}\s/;

/**
 * Split Markdown prose into sentences, keeping each one's starting line. Code blocks are
 * skipped; a paragraph or list item hard-wrapped over several lines is read as one.
 */
/**
 * Sentences of one block, split after `.`, `!` or `?`, except inside an open double quote:
 * `shows "Cannot connect. Reconnecting..." and` is one sentence.
 */
function sentencesOf(text: string): string[] {
  const pieces = text.split(/(?<=[.!?])(\s+)(?=[A-Z0-9"'`(])/);
  const out: string[] = [];
  let open = false;
  for (let i = 0; i < pieces.length; i += 2) {
    const part = pieces[i] ?? '';
    if (open && out.length > 0) out[out.length - 1] += `${pieces[i - 1] ?? ' '}${part}`;
    else out.push(part);
    if ((part.match(/["\u201c\u201d]/g) ?? []).length % 2 === 1) open = !open;
  }
  return out;
}

export function splitSentences(body: string, firstLine = 1): Sentence[] {
  // starts: where each source line begins in the block's text, so a sentence keeps its own line.
  const blocks: Array<{ text: string; line: number; heading: boolean; starts: Array<[number, number]> }> = [];
  let inFence = false;
  let open = false;
  body.split(/\r?\n/).forEach((raw, i) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      open = false;
      return;
    }
    if (inFence || raw.trim() === '') {
      open = false;
      return;
    }
    const heading = HEADING.test(raw);
    const line = raw
      .replace(/^\s*#{1,6}\s+/, '')
      .replace(ITEM, '')
      .replace(/\*\*|__/g, '')
      .trim();
    if (!line) return;
    const last = blocks[blocks.length - 1];
    // A wrapped line continues its paragraph or item; a new item, heading or label starts a block.
    if (open && last && !heading && !ITEM.test(raw) && !last.heading && !/:$/.test(last.text)) {
      last.starts.push([last.text.length + 1, firstLine + i]);
      last.text += ` ${line}`;
    } else blocks.push({ text: line, line: firstLine + i, heading, starts: [[0, firstLine + i]] });
    open = !heading;
  });
  const out: Sentence[] = [];
  let under: string | undefined;
  for (const block of blocks) {
    // "Must not:" or a heading labels what follows; "Musts: a; b" labels its own line.
    const label = block.heading ? block.text : /^([A-Z][\w '\u2019-]{1,40}):(?:\s|$)/.exec(block.text)?.[1];
    if (label && (block.heading || block.text.endsWith(':'))) under = label;
    // A short line without a colon that names a kind ("What users report", "Problems right now")
    // labels the items under it too, so they are not read under the label before it.
    else if (!label && /^[A-Z][\w '\u2019-]{2,40}$/.test(block.text) && labelKind(block.text)) {
      under = block.text;
      continue;
    }
    let at = 0;
    for (const part of sentencesOf(block.text)) {
      const index = block.text.indexOf(part, at);
      at = index + part.length;
      const text = part.trim();
      if (!text) continue;
      const line = [...block.starts].reverse().find(([c]) => c <= index)?.[1] ?? block.line;
      const own = label && !block.heading && !block.text.endsWith(':') ? label : under;
      out.push({ text, line, ...(block.heading ? { heading: true } : {}), ...(own && !block.heading ? { under: own } : {}) });
    }
  }
  return out;
}

export function extractRequirements(file: string, body: string, firstLine = 1): Requirement[] {
  const sentences = splitSentences(body, firstLine);
  // A feature is quoted from its first sentence; a heading ("## Chat sync") only when no
  // sentence names the feature, since a sentence says what is needed and a heading does not.
  const featureSource = new Map<Feature, Sentence>();
  for (const sentence of sentences) {
    // A feature named in a must-not ("no CRDT rewrite this quarter", "never a chat") is what the
    // user rules out, not what they ask for: choosing its scenario would break their constraint.
    if (!sentence.heading && factsIn(sentence.text, '', sentence.under).some((f) => f.kind === 'constraint' && f.polarity === 'must-not')) continue;
    for (const [feature, pattern] of FEATURE_PATTERNS) {
      if (!pattern.test(sentence.text)) continue;
      // Chatting with a model is AI streaming, not multi-user chat.
      if (feature === 'chat' && AI_CHAT.test(sentence.text)) continue;
      // "the vendor chat widget already owns the only WebSocket", "no AI": the feature is someone
      // else's or ruled out, not what is asked. A sentence counts when one mention of it is ours.
      if (!askedIn(sentence.text, pattern)) continue;
      const current = featureSource.get(feature);
      if (!current || (current.heading && !sentence.heading)) featureSource.set(feature, sentence);
    }
  }
  // "Stream the agent's output" names an agent, which is a person or a process as often as a
  // model: without a word for a model anywhere in the context, AI streaming needs the code's word.
  const tentativeAi = !sentences.some((x) => MODEL_WORDS.test(x.text));
  const numbers = new Set<string>();
  const out: Requirement[] = [];
  for (const sentence of sentences) {
    const { text, line } = sentence;
    const evidence = `${file}:${line}`;
    for (const [feature] of FEATURE_PATTERNS) {
      if (featureSource.get(feature) !== sentence) continue;
      const tentative = feature === 'ai-streaming' && tentativeAi;
      out.push({ kind: 'feature', feature, sentence: text, evidence, ...(tentative ? { tentative: true } : {}) });
    }
    const read = numbersIn(text, evidence);
    const oneHost = read.some((r) => r.metric === 'instances') ? null : singleHostIn(text, evidence);
    for (const req of oneHost ? [...read, oneHost] : read) {
      const key = `${req.metric}:${req.value}:${req.quota ?? ''}`;
      if (numbers.has(key)) continue;
      numbers.add(key);
      out.push(req);
    }
    if (sentence.heading) continue;
    out.push(...subscriptionsIn(text, evidence));
    const facts = factsIn(text, evidence, sentence.under);
    // A count in a reported problem ("from about 1,000 viewers on", "with two tasks") is when it
    // broke, not a user base or the fleet the team plans.
    if (facts.some((f) => f.kind === 'problem')) {
      for (let i = out.length - 1; i >= 0 && out[i]!.sentence === text; i--)
        if (out[i]!.kind === 'number' && ['users', 'instances'].includes((out[i] as NumberRequirement).metric)) out.splice(i, 1);
    }
    out.push(...facts);
  }
  // How many of the followed entity exist: the largest count of it stated anywhere, above what one connection follows.
  const followed = out.filter((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'subscriptions');
  for (const entity of new Set(followed.map((r) => r.entity!))) {
    const above = Math.max(...followed.filter((r) => r.entity === entity).map((r) => r.value));
    const counts = sentences.filter((x) => !x.heading).flatMap((x) => entityCountIn(x.text, `${file}:${x.line}`, entity, above) ?? []);
    const most = counts.reduce<NumberRequirement | undefined>((a, r) => (!a || r.value > a.value ? r : a), undefined);
    if (most) out.push(most);
  }
  // A rate stated per entity ("50 updates per second per symbol") totals over how many of that
  // entity exist: the largest count of it stated anywhere ("500 symbols"), unless already read.
  for (const noun of new Set(out.flatMap((r) => (r.kind === 'number' && r.perEntity ? [r.perEntity] : [])))) {
    const entity = pluralOf(noun);
    if (out.some((r) => r.kind === 'number' && r.metric === 'entities' && r.entity === entity)) continue;
    const counts = sentences.filter((x) => !x.heading).flatMap((x) => entityCountIn(x.text, `${file}:${x.line}`, entity, 1) ?? []);
    const most = counts.reduce<NumberRequirement | undefined>((a, r) => (!a || r.value > a.value ? r : a), undefined);
    if (most) out.push(most);
  }
  // How many rooms the per-room figures apply to, where the context clearly counts them.
  const rooms = roomCountIn(sentences, file);
  if (rooms) out.push(rooms);
  // A fleet the team will not grow: the figure's own sentence or the next one says so.
  for (const r of out) {
    if (r.kind !== 'number' || r.metric !== 'instances') continue;
    const i = sentences.findIndex((x) => x.text === r.sentence && `${file}:${x.line}` === r.evidence);
    const cap = [sentences[i], sentences[i + 1]].find((x) => x && !x.heading && FLEET_CEILING.test(x.text));
    if (cap) r.ceiling = { sentence: cap.text, evidence: `${file}:${cap.line}` };
  }
  // A requirement quotes its sentence; a run-on sentence (a pasted log, a table without line
  // breaks) is quoted in part, so one line of the session cannot grow every table that cites it.
  return out.map((r) => (r.sentence.length > MAX_QUOTE ? { ...r, sentence: `${r.sentence.slice(0, MAX_QUOTE - 1)}…` } : r));
}

/** A sentence that caps the fleet: no instance beyond the stated count. */
const FLEET_NOUN = String.raw`(?:instances?|servers?|nodes?|processes|machines?|replicas?|pods?|containers?|tasks?|VMs?)`;
// "limited to" and "at most" cap a fleet only when a fleet noun follows ("at most 2 pods"): "Redis is
// limited to 1,000 client connections" caps Redis, not our instances.
// "one 4-vCPU VM today": the fleet the team runs now is the one the plan must fit; growth stated for later is not capacity today.
const FLEET_CEILING = new RegExp(
  String.raw`\b(?:${FLEET_NOUN} (?:today|for now|right now|at the moment)\b|not (?:planning|going|able|allowed) (?:to (?:add|run|have|get) )?(?:any )?more|no more (?:than (?:\S+ ){0,2}?${FLEET_NOUN}\b|${FLEET_NOUN}\b|this year|this quarter)|(?:cannot|can't|won't|will not) (?:add|run|get|afford) (?:any )?more|(?:at most|(?:capped|limited|fixed) (?:at|to)) (?:\S+ ){0,2}?${FLEET_NOUN}\b|and no more\s*[.!]?$)`,
  'i',
);

/** Characters of a sentence a requirement quotes. */
const MAX_QUOTE = 300;
/** Rates read from one sentence ("20 moves and 5 messages per second"): a sentence states a few, not thousands. */
const MAX_RATES_PER_SENTENCE = 8;

/** A sentence with neither a digit nor a number word holds no figure: most prose, skipped cheaply. */
const ANY_NUMBER = new RegExp(String.raw`\d|\b(?:${Object.keys(WORDS).join('|')})\b`, 'i');

const PERCENTILE = /\bp(\d{2}(?:\.\d+)?)\b|\b(\d{2})(?:th)? percentile\b/i;

/** A percentile in parentheses right after a figure: "within 300 ms (p95)". */
const PERCENTILE_AFTER = /^\s*\(\s*p(\d{2}(?:\.\d+)?)\s*\)/i;

/**
 * A percentile in the latency match itself, in the few words before it ("p95 latency under 150 ms"),
 * or in parentheses right after it ("under 2 s (p99)").
 */
function percentileAt(text: string, m: RegExpMatchArray): RegExpExecArray | null {
  const start = m.index ?? 0;
  const end = start + m[0].length;
  return PERCENTILE.exec(text.slice(Math.max(0, start - 16), end)) ?? PERCENTILE_AFTER.exec(text.slice(end));
}

/** The value of a percentile match (`p99` → 99, `95th percentile` → 95). */
function percentileValue(p: RegExpExecArray): number {
  return Number(p[1] ?? p[2]);
}

/** Of the latency matches that name a percentile, the one with the highest (the first among equals). */
function highestPercentile<M extends RegExpMatchArray>(text: string, all: readonly M[]): M | null {
  let best: { m: M; at: number } | null = null;
  for (const m of all) {
    const p = percentileAt(text, m);
    if (p && (best === null || percentileValue(p) > best.at)) best = { m, at: percentileValue(p) };
  }
  return best?.m ?? null;
}

/** What a time figure measures when it is not delivery: connecting, joining, signing in, loading, starting. */
const NOT_DELIVERY =
  /\b(?:re)?connect(?:s|ed|ing|ion|ions)?\b|\bhandshakes?\b|\bjoin(?:s|ed|ing)?\b|\b(?:sign|log)[- ]?in\b|\b(?:page|initial|first)[- ]loads?\b|\bload(?:ing)? time\b|\bstart-?up\b|\bcold starts?\b|\bboot(?:s|ing)?\b/i;

/** A verb or noun that says a figure bounds how fast a message reaches someone. */
const DELIVERY_WORD = /\b(?:sees?|seen|receiv(?:e|es|ed|ing)|arriv(?:e|es|ed|al|ing)|reach(?:es|ed)?|shows?|shown|appears?|deliver(?:y|s|ed|ing)?)\b/i;

/**
 * What a figure measures when its clause, subject included, is about catching up rather than live delivery:
 * reconnecting, missed messages, history or a backlog, opening or loading something ("Reconnecting clients
 * see missed moves within 5 s", "a user who opens a board sees its history within 3 s"). Whatever the verb,
 * such a figure is not the delivery bound. "reconnected" is left out: "reconnected clients see each move
 * within 200 ms" bounds delivery after the reconnect.
 */
const CATCH_UP = /\breconnect(?:s|ing|ion|ions)?\b|\bmissed\b|\bhistory\b|\bbacklog\b|\bcatch(?:es|ing)?[- ]up\b|\bopen(?:s|ing)\b|\bload(?:s|ed|ing)\b/i;

/** A figure's clause: the text before it, after the last comma, semicolon, bracket or `and`. */
function figureClause(text: string, from: number, to: number): string {
  return (
    text
      .slice(from, to)
      .split(/[,;:()]|\band\b|\bwhile\b|\bbut\b/i)
      .pop() ?? ''
  ).trim();
}

/** The words a figure bounds: at most the last five words of its clause. */
function figureWords(clause: string): string {
  return clause.split(/\s+/).slice(-5).join(' ');
}

/**
 * Of several time figures in one sentence, those of delivery: a figure whose own words (the few
 * words of its clause right before it, never the sentence's subject: "every connected user sees…")
 * name connecting, joining or loading, and no delivery verb, measures that, not how fast a message
 * arrives; so does a figure whose whole clause is about catching up (`CATCH_UP`), whatever its verb. Of the rest, those whose words name a delivery verb (see, receive, arrive, reach, show)
 * are preferred where none names a percentile. With one figure, or none of delivery, all are kept as before.
 */
function deliveryFigures<M extends RegExpMatchArray>(text: string, all: readonly M[]): readonly M[] {
  if (all.length < 2) return all;
  const clauses = all.map((m, i) => {
    const prev = all[i - 1];
    return figureClause(text, prev ? (prev.index ?? 0) + prev[0].length : 0, m.index ?? 0);
  });
  const words = clauses.map(figureWords);
  const kept = all.filter((_, i) => !CATCH_UP.test(clauses[i]!) && (DELIVERY_WORD.test(words[i]!) || !NOT_DELIVERY.test(words[i]!)));
  if (kept.length === 0) return all;
  // A percentile refines the bound ("arrive within 2 s, p99 below 800 ms"): highestPercentile picks among them, no verb is needed.
  if (kept.some((m) => percentileAt(text, m))) return kept;
  const named = kept.filter((m) => DELIVERY_WORD.test(words[all.indexOf(m)]!));
  return named.length > 0 ? named : kept;
}

function numbersIn(text: string, evidence: string): NumberRequirement[] {
  const out: NumberRequirement[] = [];
  if (!ANY_NUMBER.test(text)) return unreadableIn(text, evidence, []);
  const taken: Array<[number, number]> = [];
  // The lower rates stated for the rest of the time ("0.1/s otherwise"): part of the rate before them, not rates of their own.
  const restSpans: Array<[number, number]> = [];
  const rateAt = new Map<number, [number, number]>();
  const lower = text.toLowerCase();
  for (const rule of NUMBER_RULES) {
    if (!mayMatch(rule, text, lower)) continue;
    if (rule.context && !rule.context.test(text)) continue;
    // A sentence can state several rates ("one message every 20 s; typing at most once per 2 s"):
    // each is its own stream of traffic, so every match counts. Other figures take the first.
    const all =
      rule.metric === 'message-rate' || rule.metric === 'latency' ? [...text.matchAll(new RegExp(rule.pattern.source, `${rule.pattern.flags}g`))] : [];
    // "within 1 s (p95 under 700 ms)": the latency a percentile names is the target; the bare bound beside it is not the p95.
    // "p50 under 100 ms and p99 under 500 ms": the highest percentile stated is the delivery bound every message must meet.
    // "p99 connect under 1 s and p95 delivery under 150 ms": a figure for connecting or loading is not
    // the delivery bound, so among several the highest percentile is taken of the others.
    const delivery = rule.metric === 'latency' ? deliveryFigures(text, all) : all;
    const latency = rule.metric === 'latency' ? (highestPercentile(text, delivery) ?? delivery[0] ?? null) : null;
    const matches = rule.metric === 'message-rate' ? all : rule.metric === 'latency' ? [latency] : [rule.pattern.exec(text)];
    for (const m of matches) {
      if (!m || (!m[1] && !/^(?:once|an?)\b/i.test(m[0]))) continue;
      const start = m.index;
      const end = start + m[0].length;
      // One stretch of text is one number: "50 users per room" is not also 50 connections.
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      // "updating it 5 times a second is plenty": a rate the user accepts as enough is a cap, not traffic.
      if (rule.metric === 'message-rate' && ENOUGH_AFTER.test(text.slice(end, end + 40))) continue;
      const value = m[1] ? parseNumber(m[1], m[2]) : 1;
      // A run of 309 digits or more is past any number (Infinity): a pasted dump, not a figure.
      if (!Number.isFinite(value)) continue;
      // "two people", "3 agents viewing": a handful is an example, not a user base to size for.
      if (rule.metric === 'users' && value < 10) continue;
      const converted = rule.convert ? rule.convert(value, m) : value;
      const stream = rule.metric === 'message-rate' ? streamNear(text, start, end) : undefined;
      const bound = rule.metric === 'payload-size' && CEILING.test(text.slice(Math.max(0, start - 24), start)) ? 'max' : undefined;
      // The percentile next to the figure; else the sentence's, where it names none next to another figure.
      const percentile =
        rule.metric === 'latency' ? (percentileAt(text, m) ?? (all.every((x) => percentileAt(text, x) === null) ? PERCENTILE.exec(text) : null)) : null;
      const quota = QUOTA_METRICS.has(rule.metric) ? planOf(text, start) : null;
      const perRoom = rule.metric === 'message-rate' && PER_ROOM_AFTER.test(text.slice(end, end + 30));
      const perEntity = rule.metric === 'message-rate' && !perRoom ? entityScopeOf(m[0], text.slice(end, end + 30)) : null;
      const later = rule.metric === 'concurrent-users' || rule.metric === 'users' ? laterOf(text.slice(end, end + 90), converted) : null;
      const burst = rule.metric === 'message-rate' && BURST_BEFORE.test(text.slice(Math.max(0, start - 30), start));
      const otherwise = rule.metric === 'message-rate' ? otherwiseOf(text.slice(end)) : null;
      if (otherwise) restSpans.push([end + otherwise.at, end + otherwise.end]);
      if (rule.metric === 'message-rate') rateAt.set(out.length, [start, end]);
      out.push({
        kind: 'number',
        metric: rule.metric,
        // A rate stays exact (300 an hour is 1/12 a second, not 0.083): it is multiplied by days and
        // rooms downstream, and rounded only where it is shown.
        value: rule.unit === 'msg/s' ? converted : round(converted),
        unit: rule.unit,
        sentence: text,
        evidence,
        ...(percentile ? { percentile: percentileValue(percentile) } : {}),
        ...(stream ? { stream } : {}),
        ...(bound ? { bound } : {}),
        ...(quota ? { quota } : {}),
        ...(perRoom ? { perRoom } : {}),
        ...(perEntity ? { perEntity } : {}),
        ...(later ? { later } : {}),
        ...(burst ? { burst: true as const } : {}),
        ...(otherwise ? { otherwise: { value: otherwise.value, ...(otherwise.phase ? { phase: otherwise.phase } : {}) } } : {}),
        ...(rule.unit === 'machines' && m[3] ? { cores: Number(m[3]) } : {}),
      });
    }
  }
  const own = out.filter((_, i) => {
    const at = rateAt.get(i);
    return !at || !restSpans.some(([a, b]) => at[0] >= a && at[1] <= b);
  });
  out.length = 0;
  out.push(...own, ...unreadableIn(text, evidence, [...taken, ...restSpans]));
  let rates = 0;
  // "2 Node processes on one VM": the processes are the fleet; the machine they share is not a second count of it.
  const processes = out.some((r) => r.metric === 'instances' && r.unit === 'instances');
  return out.filter((r) => (r.metric !== 'message-rate' || ++rates <= MAX_RATES_PER_SENTENCE) && !(processes && r.unit === 'machines'));
}

/**
 * "… at peak, 2,500 at the end of the quarter", "… on average, 3,000 at peak", "… today and 20k by
 * launch": a larger count of the same people stated right after a user count, for a later time or
 * the peak. Only the count and people nouns may sit between it and its time words.
 */
const LATER_AFTER =
  /^([^.;,]{0,40}?)\s*(?:,|;|\band\b|\bthen\b|\u2192|->)\s*(?:(?:and|then|rising to|growing to|going to|climbing to|up to|about|around|roughly|~)\s*)*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kKmM]\b)?\s+(?:(?:concurrent|simultaneous|online|connected|active|agents|users|people|players|viewers|clients|connections|members|customers)\s+){0,2}((?:at|by|in|during|after|toward|towards|from|on|next|once|when)\b[^.;,()]{2,40})/i;
const LATER_WHEN =
  /\b(?:end|quarter|year|month|week|launch|release|season|Q[1-4]|20\d\d|peak|busiest|rush|black friday|holidays?|later|growth|next|rollout|go-live|opening|open|kick-?off)\b/i;

function laterOf(after: string, value: number): NumberRequirement['later'] | null {
  const m = LATER_AFTER.exec(after);
  if (!m || !LATER_WHEN.test(m[4]!)) return null;
  const later = parseNumber(m[2]!, m[3]);
  return later > value ? { value: later, when: m[4]!.trim(), scope: m[1]!.trim() } : null;
}

/**
 * A lower rate stated right after a rate for the rest of the time: ", 0.1/s otherwise", "; 1 per
 * minute the rest of the time". Group 1 is what lies between (the phase: "during triage"), 2 the
 * figure, 3 the period's count, 4 its unit.
 */
const OTHERWISE_AFTER =
  /^([^.;]{0,60}?)[,;]\s*(?:and\s+|but\s+)?(?:about\s+|around\s+|~\s*)?(\d+(?:\.\d+)?)\s*(?:[a-z]+\s*)?(?:\/\s*|per\s+|an?\s+|every\s+)(\d+\s*)?(s|secs?|seconds?|min|minutes?|hours?)\b\s*(?:otherwise|the rest of the time|at other times|outside (?:of )?(?:it|that|them|those|these)|in between)\b/i;

/** The rest-of-the-time rate after a rate, in msg/s, with where it lies in `after` and the phase the first rate names. */
function otherwiseOf(after: string): { value: number; at: number; end: number; phase?: string } | null {
  const m = OTHERWISE_AFTER.exec(after);
  if (!m) return null;
  const per = m[4]!.toLowerCase();
  const seconds = (per.startsWith('h') ? 3600 : per.startsWith('m') ? 60 : 1) * Number(m[3] ?? 1);
  const phase = /\b(?:during|while|in)\s+((?:[a-z]+\s+)?[a-z]+)\s*$/i.exec(m[1]!)?.[1];
  return { value: Number(m[2]) / seconds, at: m[1]!.length, end: m[0].length, ...(phase ? { phase } : {}) };
}

/** Words right before a rate that make it a burst ("bursts of 30 per minute", "spikes to 5 a second"), not the steady rate. */
const BURST_BEFORE = /\b(?:bursts?|spikes?|surges?)\s+(?:of|to|at|up to)\s+(?:up to\s+|about\s+|around\s+|~\s*)?$/i;

/** Words before a size that make it a ceiling, not a typical value. */
const CEILING =
  /\b(?:up to|at most|max(?:imum)?(?: of)?|no (?:more|larger|bigger) than|as (?:large|big) as|can reach|reach(?:es)?|peaks? at|largest|biggest)\s*(?:about|around|~)?\s*$/i;
/** "5 a second per room": the words right after a rate that scope it to one room. */
// "55 votes per second into one class": a rate into one room is that room's, not the system's.
const PER_ROOM_AFTER =
  /^\s*(?:per|in each|for each|in every|(?:into|in|to|for) (?:one|a single|a|each|every|any one|the one))\s+(?:room|channel|game|board|canvas|call|match|page|document|doc|shop|store|team|class|hall|lobby|session)\b/i;

/**
 * "50 updates per second per symbol", "5 updates per symbol per second": the entity a rate is
 * stated for, when it is neither a room (PER_ROOM_AFTER), a connection (a per-user rate), a unit
 * of time nor a server. Each of that entity sends the rate, so the total is the rate × their count.
 */
function entityScopeOf(match: string, after: string): string | null {
  const m = SCOPE_AFTER.exec(after) ?? SCOPE_INSIDE.exec(match);
  // "per active user", "per listed symbol": the noun is the word after the adjective.
  const noun = (m?.[1] && SCOPE_ADJECTIVE.test(m[1]) ? m[2] : m?.[1])?.toLowerCase();
  return noun && !NOT_SCOPE.test(noun) && !/s$/.test(noun) ? noun : null;
}
const SCOPE_AFTER = /^\s*(?:per|for each|for every|in each|on each)\s+([a-z]{3,})\b(?:[ -]([a-z]{3,})\b)?/i;
const SCOPE_INSIDE =
  /\b(?:per|for each|for every|in each|on each)\s+([a-z]{3,})(?:[ -]([a-z]{3,}))?\s+(?:per|every|each|a|an|\/)\s*(?:\d+\s*)?(?:s|secs?|seconds?|min|minutes?|hours?)\b/i;
const SCOPE_ADJECTIVE = /^(?:active|connected|online|concurrent|live|open|busy|busiest|individual|single|given|listed|traded|signed|logged)$/i;
/** Words after "per" that are not an entity of the workload: connections, time, the fleet, rooms, articles. */
const NOT_SCOPE =
  /^(?:user|client|connection|socket|device|session|member|player|person|participant|agent|dispatcher|viewer|tab|browser|account|customer|second|sec|minute|min|hour|day|week|month|year|instance|node|server|process|core|vcpu|cpu|machine|pod|container|replica|worker|room|channel|game|board|canvas|call|match|page|document|doc|shop|store|team|class|hall|lobby|the|our|their|one|any|each|every|cent)$/i;

/** The words after a rate that make it a cap the user accepts ("5 times a second is plenty"). */
const ENOUGH_AFTER = /^\s*(?:is|are|would be|will be|should be)\s+(?:plenty|enough|sufficient|fine|ok|okay|more than enough)\b/i;

/** Figures a provider plan states as its limits. */
const QUOTA_METRICS = new Set<string>(['concurrent-users', 'budget', 'message-rate']);

/**
 * The provider plan a figure belongs to: "(Startup plan: 500 concurrent connections, …)" or
 * "the Supabase Pro plan (500 concurrent Realtime connections)". The figure must sit inside the
 * parenthesis that names the plan, or the one right after it; a plan named elsewhere in the
 * sentence ("plan upgrade budget: $99/month") does not make the load a quota.
 */
function planOf(text: string, start: number): string | null {
  const open = text.lastIndexOf('(', start);
  if (open < 0 || text.lastIndexOf(')', start) > open) return null;
  const inside = /^\(\s*((?:[A-Z][\w.+-]*\s+){0,2}[A-Z][\w.+-]*\s+plan)\s*[:,\u2013-]/.exec(text.slice(open));
  if (inside) return inside[1]!;
  const before = /\b((?:[A-Z][\w.+-]*\s+){0,2}[A-Z][\w.+-]*\s+plan)\s*$/.exec(text.slice(Math.max(0, open - 60), open));
  return before ? before[1]! : null;
}

function unreadableIn(text: string, evidence: string, taken: Array<[number, number]>): NumberRequirement[] {
  if (!MAYBE_UNREADABLE.test(text)) return [];
  const out: NumberRequirement[] = [];
  for (const m of text.matchAll(UNREADABLE)) {
    if (taken.some(([a, b]) => m.index < b && m.index + m[0].length > a)) continue;
    out.push({ kind: 'number', metric: 'users', value: Number.NaN, unit: m[2]!.toLowerCase(), sentence: text, evidence, unreadable: m[1]! });
  }
  return out;
}

/** Cheap gate: a dot-grouped number, a minus before a digit, or a digit of another script. */
const MAYBE_UNREADABLE = /\d\.\d{3}\.|-\d|(?![0-9])\p{Nd}/u;

/**
 * A figure the rules cannot read, right before a unit they size from: "5.000.000 users" (dots
 * grouping thousands), "-500 users" (a negative count; "100 -500" is a range and not matched),
 * or digits of another script ("\u0665\u0660\u0660 users"). Read as nothing, the plan would
 * size from a default while the context states a figure; planning refuses it instead.
 */
const UNREADABLE = new RegExp(
  String.raw`((?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![.,]?\d)|(?<!\S)(?<!\d\s+)-\d[\d,]*(?:\.\d+)?|(?:(?![0-9])\p{Nd})+(?:[.,](?:(?![0-9])\p{Nd})+)*)\s*(?:(?:concurrent|simultaneous|active|online|daily|monthly)\s+)?(users|connections|clients|viewers|people|players|members|participants|subscribers|devices|messages|events|rooms|ms|milliseconds|seconds)\b`,
  'giu',
);

const STREAMS: ReadonlyArray<readonly [string, RegExp]> = [
  ['typing', /\btyping\b/gi],
  ['keystrokes', /\bkeystrokes?\b/gi],
  ['positions', /\bcursors?\b|\bpointers?\b|\bpositions?\b|\bmouse\b/gi],
  ['drag', /\bdrag(?:s|ging)?\b/gi],
  ['presence', /\bpresence\b/gi],
  // "cursors move 30 times a second": the verb of a cursor is its positions, not a game's moves.
  ['moves', /(?<!\b(?:cursors?|pointers?|mouse|mice)\s+)\bmoves?\b/gi],
  ['price ticks', /\btrades?\b|\bticks?\b|\bquotes?\b|\bprices?\b/gi],
  ['votes', /\bvotes?\b/gi],
  ['answers', /\banswers?\b/gi],
  ['notifications', /\bnotifications?\b|\btoasts?\b/gi],
  ['comments', /\bcomments?\b/gi],
  ['reactions', /\breactions?\b/gi],
  ['messages', /\bmessages?\b|\bchat\b/gi],
];

/** The kind of traffic a rate is about: the keyword nearest before its end, within 80 characters. */
function streamNear(text: string, start: number, end: number): string | undefined {
  const from = Math.max(0, start - 80);
  let best: { kind: string; at: number } | undefined;
  for (const [kind, re] of STREAMS) {
    for (const m of text.slice(from, end).matchAll(re)) {
      const at = from + m.index;
      if (!best || at > best.at) best = { kind, at };
    }
  }
  return best?.kind;
}

/** "symbol" → "symbols", "match" → "matches", "entity" → "entities". */
export function pluralOf(noun: string): string {
  if (/(?:s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
