// Pure: the streams of traffic a sentence names for the things clients follow, with or without a
// rate: "Clients subscribe to an agent to stream the agent's output and status changes; workspace
// updates go to everyone watching the workspace" names three (agent output, agent status,
// workspace updates). A stream counts only where the sentence also says clients follow its
// entity (subscribe to, watch, follow, open, join it), so a noun before "updates" alone is not one.

export interface NamedFlow {
  /** The entity followed, singular, as written ("agent", "workspace"). */
  entity: string;
  /** What flows, singular, as written ("output", "status", "update"). */
  flow: string;
  sentence: string;
  evidence: string;
}

/** What can flow from a followed entity; "changes"/"updates" after one of them are its changes ("status changes" is status). */
const FLOW = String.raw`(output|status|progress|logs?|state|presence|results?|metrics|updates?|changes?|events?)`;
/** The verbs by which a client follows an entity, and the entity after them. */
const FOLLOWED =
  /\b(?:subscribes?\s+to|subscribing\s+to|watch(?:es|ing)?|follow(?:s|ing)?|open(?:s|ing)?|join(?:s|ing)?|track(?:s|ing)?)\s+(?:an?|the|one|each|every|their|its|any)\s+([a-z][a-z-]{2,})\b/gi;
/** "the agent's output and status changes": the possessive names the entity, then one or two flows. */
const POSSESSIVE = new RegExp(String.raw`\b([a-z][a-z-]{2,})(?:'s|\u2019s)\s+${FLOW}(?:\s+(?:and|or|plus)\s+${FLOW})?(?:\s+(?:changes|updates))?\b`, 'gi');
/** "workspace updates go to …": the entity as a noun before its changes. */
const NOUN_FLOW = /\b([a-z][a-z-]{2,})\s+(updates|changes|events|status)\s+(?:go|are sent|are pushed|are broadcast|reach|stream|flow)\b/gi;

const singular = (w: string): string => (/(?:ss|us)$/i.test(w) ? w : w.replace(/s$/i, ''));

/** The streams a sentence names for the entities it says clients follow; none where it names no followed entity. */
export function flowsIn(sentence: string, evidence: string): NamedFlow[] {
  const followed = new Set([...sentence.matchAll(FOLLOWED)].map((m) => singular(m[1]!.toLowerCase())));
  if (followed.size === 0) return [];
  const out: NamedFlow[] = [];
  const add = (entity: string, flow: string) => {
    const e = singular(entity.toLowerCase());
    const f = singular(flow.toLowerCase());
    if (followed.has(e) && !out.some((x) => x.entity === e && x.flow === f)) out.push({ entity: e, flow: f, sentence, evidence });
  };
  for (const m of sentence.matchAll(POSSESSIVE)) {
    add(m[1]!, m[2]!);
    if (m[3]) add(m[1]!, m[3]);
  }
  for (const m of sentence.matchAll(NOUN_FLOW)) add(m[1]!, m[2]!);
  return out;
}
