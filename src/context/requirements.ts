// Pure: free prose → the real-time requirements it states, each with its sentence and line.
// The patterns are data; a sentence can yield several features and several numbers.
import type { Feature, Metric, NumberRequirement, Requirement } from '../types.js';
import { factsIn } from './facts.js';

const FEATURE_PATTERNS: ReadonlyArray<readonly [Feature, RegExp]> = [
  ['chat', /\bchat(?:s|ting|room)?\b|\bdirect messag|\bDMs?\b|\bmessaging\b/i],
  ['presence', /\bpresence\b|\bwho(?:'s| is) online\b|\bonline (?:status|users?|indicators?|list)\b|\bonline\/offline\b/i],
  ['typing', /\btyping(?: indicators?| status)?\b|\bis typing\b/i],
  ['notifications', /\bnotifications?\b|\bnotify\b|\btoasts?\b|\balerts? (?:users?|clients?)\b/i],
  [
    'live-updates',
    /\blive (?:updates?|feeds?|dashboards?|data|scores?|prices?|status)\b|\breal[- ]?time (?:updates?|dashboards?|feeds?|status)\b|\bpush(?:es|ed)? updates?\b/i,
  ],
  [
    'ai-streaming',
    /\bstream(?:s|ed|ing)?\b[^.]{0,40}\b(?:AI|LLM|model|agent|tokens?|completions?|assistant)\b|\b(?:AI|LLM|model|agent|assistant)\b[^.]{0,40}\bstream(?:s|ed|ing)?\b|\btoken[- ]by[- ]token\b/i,
  ],
  ['state-sync', /\b(?:in sync|sync(?:ed|ing|hroni[sz]e[sd]?|hroni[sz]ation)?)\b|\bsnapshots?\b[^.]{0,30}\bdeltas?\b/i],
  [
    'collaborative-editing',
    /\bcollaborative(?:ly)? (?:edit|document|whiteboard|canvas|text)|\bco-?edit|\bCRDTs?\b|\bYjs\b|\bmultiplayer\b|\bconcurrent edits?\b|\bedit (?:the same|together)\b/i,
  ],
  ['voice', /\bvoice\b|\bspeech\b|\bmicrophone\b|\baudio stream|\bGemini Live\b|\bOpenAI Realtime\b|\bspeech-to-text\b|\btext-to-speech\b/i],
  ['subscriptions', /\bsubscri(?:be|bes|bed|bing|ption|ptions)\b|\bunsubscribe/i],
  ['file-transfer', /\bfile (?:transfer|upload|sharing)s?\b/i],
  ['video', /\bvideo (?:calls?|chat|conferenc\w*)\b|\bscreen ?shar\w*/i],
];

const AI_CHAT = /\b(?:AI|LLM|GPT|assistant|chat ?bot|copilot|model)\b/i;

const WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  twenty: 20,
  fifty: 50,
  hundred: 100,
};
const NUM = String.raw`(\d{1,3}(?:[,_ ]\d{3})+|\d+(?:\.\d+)?|${Object.keys(WORDS).join('|')})\s*([kKmM]\b)?`;

interface NumberRule {
  metric: Metric;
  unit: string;
  pattern: RegExp;
  /** Converts the matched number (already scaled by k/M) and the match into the unit. */
  convert?: (value: number, match: RegExpExecArray) => number;
  /** A sentence must also match this for the rule to apply. */
  context?: RegExp;
}

/** A duration whose unit is the rule's third group: milliseconds or seconds. */
const toMs = (value: number, m: RegExpExecArray): number => ((m[3] ?? 'ms').toLowerCase().startsWith('m') ? value : value * 1000);

const NUMBER_RULES: readonly NumberRule[] = [
  {
    metric: 'room-size',
    unit: 'users/room',
    pattern: new RegExp(
      `${NUM}\\+?\\s*(?:users|members|people|participants|players|clients|editors|collaborators|viewers|watchers|students|agents|fans|screens|dispatchers|reviewers)\\s+(?:per|in each|in a|each|in one|in every|on a|on each|on one)\\s+(?:room|channel|document|doc|session|call|workspace|board|canvas|file|hall|game|match|ticket|page|store|class)`,
      'i',
    ),
  },
  {
    metric: 'room-size',
    unit: 'users/room',
    pattern: new RegExp(
      `(?:rooms?|channels?|documents?|docs?|calls?|boards?) (?:of|with) (?:up to |at most |about |around )?${NUM}\\s*(?:users|members|people|participants|editors|collaborators)`,
      'i',
    ),
  },
  {
    // "rooms up to 50", "rooms hold at most 12": a size with its unit left implicit.
    metric: 'room-size',
    unit: 'users/room',
    pattern: new RegExp(
      `\\b(?:rooms?|channels?|boards?|lobb(?:y|ies)|games?|matches|calls?)\\s+(?:of |with |hold |holds |have |has |take |are )?(?:up to|at most|max(?:imum)?(?: of)?|about|around)\\s+${NUM}(?!\\s*(?:ms|s\\b|sec|min|%|rooms|MB|KB))`,
      'i',
    ),
  },
  {
    // "A board has 3–15 people on it", "a spec page has 5–20 viewers": a range's upper end.
    metric: 'room-size',
    unit: 'users/room',
    pattern: new RegExp(
      `\\b(?:rooms?|boards?|notes?|documents?|docs?|pages?|channels?|calls?|games?|halls?|class(?:es)?|tickets?|canvas(?:es)?)\\s+(?:\\w+\\s+)?(?:has|have|holds?|gets?)\\s+(?:more than |up to |about |around |at most )?(?:\\d[\\d,]*\\s*(?:–|-|to)\\s*)?${NUM}\\s*(?:people|users|members|viewers|editors|players|participants|agents|students|watchers|collaborators)\\b`,
      'i',
    ),
  },
  {
    // "(40 for the all-hands planning board)": a larger room named next to the usual size.
    metric: 'room-size',
    unit: 'users/room',
    pattern: new RegExp(
      `\\(\\s*${NUM}\\s+(?:for|in|on)\\s+(?:the\\s+|an?\\s+)?[\\w -]{0,30}?\\b(?:boards?|rooms?|notes?|pages?|calls?|games?|channels?|documents?)\\s*\\)`,
      'i',
    ),
  },
  {
    metric: 'budget',
    unit: 'msg/month',
    pattern: new RegExp(`${NUM}\\s*(?:messages?|msgs?|events?|requests?|calls?)\\s*(?:\\/|per|a|each)\\s*month\\b`, 'i'),
  },
  {
    metric: 'budget',
    unit: 'msg/day',
    pattern: new RegExp(`${NUM}\\s*(?:messages?|msgs?|events?|requests?)\\s*(?:\\/|per|a|each)\\s*day\\b`, 'i'),
  },
  {
    // Money: "$99/month", "€300 / month", "$60 for the month".
    metric: 'budget',
    unit: 'currency/month',
    pattern: new RegExp(`[$€£]\\s?${NUM}(?=[^.;]{0,30}\\bmonth)`, 'i'),
  },
  {
    metric: 'budget',
    unit: 'requests/user/hour',
    pattern: new RegExp(
      `${NUM}\\s*(?:messages?|msgs?|events?|requests?|calls?)\\s*(?:\\/|per|a|each)\\s*(?:user|client)\\s*(?:\\/|per|a|each|an)\\s*hour\\b`,
      'i',
    ),
  },
  {
    metric: 'budget',
    unit: 'bytes',
    pattern: new RegExp(`${NUM}\\s*(GB|GiB|MB|MiB)\\b`, ''),
    context: /\bRedis\b|\bmemory\b|\bRAM\b|\bElastiCache\b|\bcache\b|\ba month\b|\bper month\b/i,
    convert: (value, m) => value * (m[3]!.startsWith('G') ? 1024 * 1024 * 1024 : 1024 * 1024),
  },
  {
    // A retention budget: "history per user, last 50 conversations".
    metric: 'budget',
    unit: 'items kept',
    pattern: new RegExp(`\\b(?:last|latest|keep(?: the)?|up to)\\s+${NUM}\\s+(conversations|messages|events|items|entries|notifications)\\b`, 'i'),
    context: /\bhistory\b|\bkeep\b|\bstored?\b|\bretain/i,
  },
  {
    // "one message every 10 s": a count per period.
    metric: 'message-rate',
    unit: 'msg/s',
    pattern: new RegExp(
      `(?:${NUM}|\\ban?|\\bonce)\\s*(?:(?:messages?|msgs?|events?|updates?|actions?|moves?|notifications?)\\s*)?(?:(?:per|for each) (?:user|agent|client|player|member) )?(?:every|each|per|a)\\s*(\\d+(?:\\.\\d+)?)?\\s*(s|secs?|seconds?|min|minutes?)\\b`,
      'i',
    ),
    convert: (value, m) => {
      const seconds = (m[4]!.toLowerCase().startsWith('m') ? 60 : 1) * Number(m[3] ?? 1);
      return (m[1] ? value : 1) / seconds;
    },
  },
  {
    metric: 'message-rate',
    unit: 'msg/s',
    pattern: new RegExp(
      `${NUM}\\s*(?:[a-z]+\\s+)?(?:messages?|msgs?|events?|updates?|ticks?|frames?|publishes|votes|answers|comments|changes|scans|keystrokes|moves|positions|edits|strokes|reactions|notifications|trades|quotes)\\s*(?:\\/|per|a|an|each|every)\\s*(\\d+\\s*)?(s|secs?|seconds?|min|minutes?|hours?)\\b`,
      'i',
    ),
    convert: (value, m) => {
      const per = (m[4] ?? 's').toLowerCase();
      const seconds = (per.startsWith('h') ? 3600 : per.startsWith('m') ? 60 : 1) * Number(m[3] ?? 1);
      return value / seconds;
    },
  },
  {
    metric: 'concurrent-users',
    unit: 'users',
    pattern: new RegExp(
      `${NUM}\\+?\\s*(?:concurrent|simultaneous|connected|active|online|live)\\s+(?:users|connections|clients|sockets|players|viewers|subscribers|sessions|devices|calls|streams|conversations)`,
      'i',
    ),
  },
  {
    metric: 'concurrent-users',
    unit: 'users',
    pattern: new RegExp(`${NUM}\\+?\\s*(?:websocket |socket |open |persistent )?(?:connections|sockets)\\b`, 'i'),
  },
  {
    // "40 answers streaming at the same time", "25 calls at once": what is open together is the concurrency.
    metric: 'concurrent-users',
    unit: 'users',
    pattern: new RegExp(`${NUM}\\+?\\s*(?:[a-z]+\\s+){1,2}?(?:at the same time|at once|simultaneously|concurrently)\\b`, 'i'),
  },
  {
    // "1,800 are connected at the busiest hour", "6,500 people online", "120,000 tracking pages open".
    metric: 'concurrent-users',
    unit: 'users',
    pattern: new RegExp(`${NUM}\\+?\\s*(?:[a-z]+\\s+){0,2}?(?:are |were )?(?:connected|online|open)\\b(?!\\s+(?:to|with)\\b)`, 'i'),
  },
  {
    // Time to first token of a streamed answer is its own target, not delivery latency.
    metric: 'first-token',
    unit: 'ms',
    pattern: new RegExp(`(?:under|below|less than|<|within|at most|max(?:imum)?(?: of)?|≤)\\s*${NUM}\\s*(ms|milliseconds?|s|seconds?)\\b`, 'i'),
    context: /\bfirst (?:tokens?|bytes?|chunks?|words?)\b|time[- ]to[- ]first/i,
    convert: toMs,
  },
  {
    metric: 'latency',
    unit: 'ms',
    pattern: new RegExp(
      `(?:under|below|less than|<|within|at most|max(?:imum)?(?: of)?|p9[59](?: of| under| below|:)?|≤)\\s*${NUM}\\s*(ms|milliseconds?|s|seconds?)\\b`,
      'i',
    ),
    context: /latenc|p9[59]|round[- ]trip|delay|respon|deliver|\blag\b|\b(?:shows?|appears?|arrives?|reach(?:es)?|sees?|visible|updates?)\b/i,
    convert: toMs,
  },
  {
    // "Delivery target: 250 ms p95", "150 ms at p99": the figure before its percentile.
    metric: 'latency',
    unit: 'ms',
    pattern: new RegExp(`${NUM}\\s*(ms|milliseconds?|s|seconds?)\\s*(?:at\\s+)?p(?:9[059]|99\\.9)\\b`, 'i'),
    convert: toMs,
  },
  {
    metric: 'payload-size',
    unit: 'bytes',
    pattern: new RegExp(`${NUM}\\s*(bytes?|B|KB|KiB|kB|MB|MiB)\\b`, ''),
    context: /payload|message|frame|event|chunk|notes?\b|documents?|comments?|uploads?|images?|files?|attachments?/i,
    convert: (value, m) => value * unitBytes(m[3] ?? 'B'),
  },
  {
    metric: 'instances',
    unit: 'instances',
    pattern: new RegExp(
      `${NUM}\\s*(?:(?:Node(?:\\.js)?|app|server|backend|API) )?(?:instances|nodes|servers|replicas|pods|containers|dynos|machines|tasks|processes)\\b`,
      'i',
    ),
  },
  {
    metric: 'duration',
    unit: 's',
    pattern: new RegExp(`(?:last|lasts|run|runs|for|up to|about|around)\\s+${NUM}\\s*(s|secs?|seconds?|min|mins|minutes?|h|hours?)\\b`, 'i'),
    context: /\b(?:sessions?|calls?|games?|match(?:es)?|meetings?|streams?|conversations?|rounds?|questions?|polls?|shifts?|answers?)\b/i,
    convert: (value, m) => value * ((m[3] ?? 's').toLowerCase().startsWith('h') ? 3600 : (m[3] ?? 's').toLowerCase().startsWith('m') ? 60 : 1),
  },
  {
    // Last: a bare user count is what is left once concurrent and per-room counts are taken.
    metric: 'users',
    unit: 'users',
    pattern: new RegExp(
      `${NUM}\\+?\\s*(?:registered |active |daily |monthly )?(?:users|players|members|customers|people|shoppers|subscribers|viewers|employees|students|agents|fans|dispatchers)\\b(?!\\s+(?:per|in each|in a|each|in one|on a|on each)\\b)`,
      'i',
    ),
  },
];

function unitBytes(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('m')) return 1024 * 1024;
  if (u.startsWith('k')) return 1024;
  return 1;
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
    const label = block.heading ? block.text : /^([A-Z][\w '’-]{1,40}):(?:\s|$)/.exec(block.text)?.[1];
    if (label && (block.heading || block.text.endsWith(':'))) under = label;
    let at = 0;
    for (const part of block.text.split(/(?<=[.!?])\s+(?=[A-Z0-9"'`(])/)) {
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
    for (const [feature, pattern] of FEATURE_PATTERNS) {
      if (!pattern.test(sentence.text)) continue;
      // Chatting with a model is AI streaming, not multi-user chat.
      if (feature === 'chat' && AI_CHAT.test(sentence.text)) continue;
      const current = featureSource.get(feature);
      if (!current || (current.heading && !sentence.heading)) featureSource.set(feature, sentence);
    }
  }
  const numbers = new Set<string>();
  const out: Requirement[] = [];
  for (const sentence of sentences) {
    const { text, line } = sentence;
    const evidence = `${file}:${line}`;
    for (const [feature] of FEATURE_PATTERNS) {
      if (featureSource.get(feature) === sentence) out.push({ kind: 'feature', feature, sentence: text, evidence });
    }
    for (const req of numbersIn(text, evidence)) {
      const key = `${req.metric}:${req.value}`;
      if (numbers.has(key)) continue;
      numbers.add(key);
      out.push(req);
    }
    if (sentence.heading) continue;
    const facts = factsIn(text, evidence, sentence.under);
    // A count in a reported problem ("from about 1,000 viewers on", "with two tasks") is when it
    // broke, not a user base or the fleet the team plans.
    if (facts.some((f) => f.kind === 'problem')) {
      for (let i = out.length - 1; i >= 0 && out[i]!.sentence === text; i--)
        if (out[i]!.kind === 'number' && ['users', 'instances'].includes((out[i] as NumberRequirement).metric)) out.splice(i, 1);
    }
    out.push(...facts);
  }
  // A requirement quotes its sentence; a run-on sentence (a pasted log, a table without line
  // breaks) is quoted in part, so one line of the session cannot grow every table that cites it.
  return out.map((r) => (r.sentence.length > MAX_QUOTE ? { ...r, sentence: `${r.sentence.slice(0, MAX_QUOTE - 1)}…` } : r));
}

/** Characters of a sentence a requirement quotes. */
const MAX_QUOTE = 300;
/** Rates read from one sentence ("20 moves and 5 messages per second"): a sentence states a few, not thousands. */
const MAX_RATES_PER_SENTENCE = 8;

/** A sentence with neither a digit nor a number word holds no figure: most prose, skipped cheaply. */
const ANY_NUMBER = new RegExp(String.raw`\d|\b(?:${Object.keys(WORDS).join('|')})\b`, 'i');

function numbersIn(text: string, evidence: string): NumberRequirement[] {
  const out: NumberRequirement[] = [];
  if (!ANY_NUMBER.test(text)) return out;
  const taken: Array<[number, number]> = [];
  for (const rule of NUMBER_RULES) {
    if (rule.context && !rule.context.test(text)) continue;
    // A sentence can state several rates ("one message every 20 s; typing at most once per 2 s"):
    // each is its own stream of traffic, so every match counts. Other figures take the first.
    const matches = rule.metric === 'message-rate' ? [...text.matchAll(new RegExp(rule.pattern.source, `${rule.pattern.flags}g`))] : [rule.pattern.exec(text)];
    for (const m of matches) {
      if (!m || (!m[1] && !/^(?:once|an?)\b/i.test(m[0]))) continue;
      const start = m.index;
      const end = start + m[0].length;
      // One stretch of text is one number: "50 users per room" is not also 50 connections.
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      const value = m[1] ? parseNumber(m[1], m[2]) : 1;
      // "two people", "3 agents viewing": a handful is an example, not a user base to size for.
      if (rule.metric === 'users' && value < 10) continue;
      const converted = rule.convert ? rule.convert(value, m) : value;
      const stream = rule.metric === 'message-rate' ? streamNear(text, start, end) : undefined;
      const percentile = rule.metric === 'latency' ? /\bp(\d{2}(?:\.\d+)?)\b|\b(\d{2})(?:th)? percentile\b/i.exec(text) : null;
      out.push({
        kind: 'number',
        metric: rule.metric,
        value: round(converted),
        unit: rule.unit,
        sentence: text,
        evidence,
        ...(percentile ? { percentile: Number(percentile[1] ?? percentile[2]) } : {}),
        ...(stream ? { stream } : {}),
      });
    }
  }
  let rates = 0;
  return out.filter((r) => r.metric !== 'message-rate' || ++rates <= MAX_RATES_PER_SENTENCE);
}

const STREAMS: ReadonlyArray<readonly [string, RegExp]> = [
  ['typing', /\btyping\b/gi],
  ['keystrokes', /\bkeystrokes?\b/gi],
  ['positions', /\bcursors?\b|\bpointers?\b|\bpositions?\b|\bmouse\b/gi],
  ['drag', /\bdrag(?:s|ging)?\b/gi],
  ['presence', /\bpresence\b/gi],
  ['moves', /\bmoves?\b/gi],
  ['price ticks', /\btrades?\b|\bticks?\b|\bquotes?\b|\bprices?\b/gi],
  ['votes', /\bvotes?\b|\banswers?\b/gi],
  ['notifications', /\bnotifications?\b|\btoasts?\b/gi],
  ['comments', /\bcomments?\b/gi],
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
