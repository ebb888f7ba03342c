// How many rooms the context's per-room figures apply to: "300 stores with 2-4 screens each",
// "about 40 rooms of up to 50", "12 boards, each watched by 5–10 people", or a count of the same
// room named in the sentence before ("a chain of 300 restaurants. Each store has 2 to 4 screens").
// A count is read only where the same phrase, or the next sentence, sizes that room: a count of
// something else ("40 orders", "3 rooms per user", "2 replicas") is never a room count. Pure.
import type { NumberRequirement } from '../types.js';
import type { Sentence } from './requirements.js';

/** Nouns that name one room, singular; each group is one kind of room under several names. */
const ROOM_GROUPS: readonly (readonly string[])[] = [
  ['store', 'shop', 'restaurant', 'outlet', 'branch', 'venue', 'location', 'site', 'kitchen'],
  ['room', 'chatroom'],
  ['channel'],
  ['board'],
  ['canvas'],
  ['document', 'doc'],
  ['game', 'match'],
  ['lobby'],
  ['class', 'classroom'],
  ['team'],
  ['call', 'meeting'],
  ['hall'],
  ['project', 'workspace'],
];
const ALL = ROOM_GROUPS.flat();
const plural = (n: string) => (/(?:s|x|ch|sh)$/.test(n) ? `${n}es` : /[^aeiou]y$/.test(n) ? `${n.slice(0, -1)}ies` : `${n}s`);
const PLURALS = ALL.map(plural).join('|');
/** Who is in a room: people, or the screens and devices that connect for them. */
const MEMBERS =
  'users|members|people|participants|players|clients|editors|collaborators|viewers|watchers|students|agents|fans|staff|screens|displays|devices|tablets|terminals|dashboards|browsers|tabs|connections|subscribers';
const COUNT = String.raw`(\d{1,3}(?:,\d{3})+|\d+)`;
/** One word between a count and its noun ("40 busy rooms"), never a word that starts a new phrase ("4 with rooms"). */
const ADJ = String.raw`(?:(?!(?:with|of|and|or|in|into|to|for|on|at|by|per|from|the|a|an)\s)[a-z-]+\s+)?`;
const RANGE = String.raw`(?:(?:up to|at most|about|around|~)\s+)?(?:\d+\s*(?:\u2013|-|to)\s*)?(\d+)`;

/** "300 stores with 2-4 screens each", "about 40 rooms of up to 50 (people)". */
const WITH_SIZE = new RegExp(
  String.raw`(?<![\d,.])${COUNT}\s+${ADJ}(${PLURALS})\s+(?:of|with|holding|having)\s+${RANGE}(?:\s+(?:${MEMBERS}))?(?:\s+each)?\b(?!\s*(?:%|ms|s\b|sec|min|MB|KB|GB))`,
  'i',
);
/** "12 boards, each watched by 5–10 people". */
const EACH_BY = new RegExp(String.raw`(?<![\d,.])${COUNT}\s+${ADJ}(${PLURALS}),?\s+each\s+(?:[a-z]+\s+)?(?:by|with|for)\s+${RANGE}\s+(?:${MEMBERS})\b`, 'i');
/** "Each store has 2 to 4 screens", "12 staff per shop": a room sized by a count of its members; the room noun. */
const SIZED_ROOM = new RegExp(
  String.raw`\b(?:(?:each|every|a|one|per)\s+(${ALL.join('|')})\b[^.;]{0,20}?\b(?:has|have|holds?|gets?|runs?|with)\s+${RANGE}\s+(?:${MEMBERS})|${RANGE}\s+(?:${MEMBERS})\s+(?:per|in each|in every|on each|at each|for each)\s+(${ALL.join('|')}))\b`,
  'i',
);
/** A bare count of rooms: not one per user ("3 rooms per user"), nor one of a user's ("joins 3 rooms"). */
const BARE = (nouns: readonly string[]) =>
  new RegExp(
    String.raw`(?<![\d,.])(?<!\b(?:joins?|follows?|opens?|watches|subscribes to|in|into|across|up to|per)\s+)(?<!\b(?:users?|clients?|persons?|people|members?|players?|viewers?|dashboards?|tabs?|browsers?|agents?)\s+(?:[a-z]+\s+){0,2})${COUNT}\s+${ADJ}(?:${nouns.map(plural).join('|')})\b(?!\s+(?:per|each|a|an|every)\s+(?:user|client|person|member|connection|player|agent|viewer|screen|device)\b)`,
    'i',
  );

const value = (digits: string) => Number(digits.replace(/,/g, ''));

function requirement(count: number, noun: string, s: Sentence, file: string): NumberRequirement {
  return { kind: 'number', metric: 'rooms', value: count, unit: plural(noun), entity: noun, sentence: s.text, evidence: `${file}:${s.line}` };
}

const singular = (word: string) => ALL.find((n) => plural(n).toLowerCase() === word.toLowerCase()) ?? word.toLowerCase();
const groupOf = (noun: string) => ROOM_GROUPS.find((g) => g.includes(noun.toLowerCase())) ?? [noun.toLowerCase()];

/** The room count the context states for its per-room figures, or null when none is clearly one. */
export function roomCountIn(sentences: readonly Sentence[], file: string): NumberRequirement | null {
  const prose = sentences.filter((s) => !s.heading);
  for (const s of prose) {
    const m = WITH_SIZE.exec(s.text) ?? EACH_BY.exec(s.text);
    if (m) return requirement(value(m[1]!), singular(m[2]!), s, file);
  }
  // A room sized in one sentence, counted in the same sentence or the one before under one of its names.
  for (let i = 0; i < prose.length; i++) {
    const sized = SIZED_ROOM.exec(prose[i]!.text);
    const noun = sized?.[1] ?? sized?.[4];
    if (!noun) continue;
    const bare = BARE(groupOf(noun));
    for (const s of [prose[i]!, prose[i - 1]].filter((x): x is Sentence => x !== undefined && x.line >= prose[i]!.line - 3)) {
      const m = bare.exec(s.text);
      if (m) return requirement(value(m[1]!), noun.toLowerCase(), s, file);
    }
  }
  return null;
}

/** Two room nouns name the same kind of room ("store" and "restaurant"); the generic "room" names any. */
export function sameRoom(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x === 'room' || y === 'room' || groupOf(x).includes(y);
}
