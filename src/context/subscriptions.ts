// Pure: how many entities one connection follows ("a watchlist has 20 symbols on average (50
// max)", "each client watches 20 symbols", "every user follows up to 200 channels"), and how many
// of that entity exist ("across 8,000 symbols"). Per-entity fan-out and the per-connection
// subscription cap are sized from them.
import type { NumberRequirement } from '../types.js';
import { WORDS } from './figure-rules.js';

const NUM = String.raw`(\d{1,3}(?:,\d{3})+|\d+|${Object.keys(WORDS).join('|')})`;
const CLIENT = String.raw`(?:user|client|browser|viewer|tab|device|connection|session|socket|customer|trader|player|member|agent|account|dispatcher|subscriber|reader|fan|screen|dashboard)`;
const CEILING = String.raw`(?:up to|at most|max(?:imum)?(?: of)?|no more than)`;
/** A count and its plural noun: "20 symbols", "up to 200 stock tickers". */
const COUNT = String.raw`(?:(${CEILING})\s+|(?:about|around|roughly|~)\s*)?${NUM}\s+(?:[a-z-]+\s+)?([a-z]{3,}s)\b`;
/** Nouns that are units, people or traffic, never the entity followed. */
const NOT_ENTITY =
  /^(?:users|clients|connections|sockets|seconds|minutes|hours|days|times|messages|updates|events|ticks|trades|requests|bytes|frames|devices|tabs|browsers|viewers|members|agents|players|customers|people|instances|servers|nodes|alerts|notifications)$/i;

const PATTERNS: readonly RegExp[] = [
  // "each client watches 20 symbols", "every user follows up to 200 channels", "a trader tracks 40 tickers".
  new RegExp(
    String.raw`\b(?:each|every|a|an|one|per)\s+(?:[a-z-]+\s+){0,2}?${CLIENT}s?(?:'s)?\s+(?:[a-z]+\s+)?(?:watch(?:es)?|follows?|subscribes?(?: to)?|tracks?|monitors?)\s+${COUNT}`,
    'i',
  ),
  // "a watchlist has 20 symbols on average": the list one user follows holds the count.
  new RegExp(
    String.raw`\b(?:each|every|a|one|per|the)\s+(?:user's\s+)?(?:watch ?list|portfolio|favou?rites? list)s?\s+(?:has|have|holds?|contains?|lists?)\s+${COUNT}`,
    'i',
  ),
];
/** A larger count stated right after the typical one: "(50 max)", ", up to 50", "max 50". */
const MAX_AFTER = new RegExp(String.raw`^[^.;]{0,30}?(?:\(\s*${NUM}\s*max(?:imum)?\s*\)|${CEILING}\s+${NUM}\b|\b${NUM}\s+max(?:imum)?\b)`, 'i');

const value = (s: string): number => WORDS[s.toLowerCase()] ?? Number(s.replace(/,/g, ''));

/** The subscriptions per connection a sentence states: a typical count and a maximum, each as a requirement. */
export function subscriptionsIn(text: string, evidence: string): NumberRequirement[] {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (!m || NOT_ENTITY.test(m[3]!)) continue;
    const entity = m[3]!.toLowerCase();
    const base = { kind: 'number' as const, metric: 'subscriptions' as const, unit: `${entity}/connection`, sentence: text, evidence, entity };
    if (m[1]) return [{ ...base, value: value(m[2]!), bound: 'max' }];
    const out: NumberRequirement[] = [{ ...base, value: value(m[2]!) }];
    const after = MAX_AFTER.exec(text.slice(m.index + m[0].length));
    const max = after ? value((after[1] ?? after[2] ?? after[3])!) : null;
    if (max !== null && max > out[0]!.value) out.push({ ...base, value: max, bound: 'max' });
    return out;
  }
  return [];
}

/** "across 8,000 symbols": how many of the followed entity exist, when a sentence states it. */
export function entityCountIn(text: string, evidence: string, entity: string, above: number): NumberRequirement | null {
  const re = new RegExp(String.raw`(?<![\d,.])${NUM}\s+(?:[a-z-]+\s+)?${entity}\b`, 'gi');
  let best: number | null = null;
  for (const m of text.matchAll(re)) {
    const v = value(m[1]!);
    if (v > above && (best === null || v > best)) best = v;
  }
  return best === null ? null : { kind: 'number', metric: 'entities', value: best, unit: entity, sentence: text, evidence, entity };
}
