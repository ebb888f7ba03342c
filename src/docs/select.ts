// Ranking and budget: the plan carries the snippets that matter most, within a size budget,
// with ids that are stable for the same inputs (P = project docs, N = installed packages,
// K = curated knowledge, C = Context7).
import type { DocRef, DocSource } from '../types.js';
import type { Candidate } from './files.js';
import { clip } from './markdown.js';
import { relevance, type Query } from './relevance.js';

/** Characters of excerpts kept by default: about 6k tokens, enough for a dozen focused snippets. */
export const DEFAULT_DOCS_BUDGET = 24_000;
/** Below this a truncated excerpt is more noise than help. */
const MIN_PARTIAL = 400;

const ORDER: readonly DocSource[] = ['project', 'package', 'knowledge', 'context7'];
const PREFIX: Record<DocSource, string> = { project: 'P', package: 'N', knowledge: 'K', context7: 'C' };

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface Ranked {
  candidate: Candidate;
  score: number;
}

export function rank(candidates: Candidate[], query: Query): Ranked[] {
  const seen = new Set<string>();
  const unique = candidates.filter((c) => {
    const key = `${c.source}\u0000${c.reference}\u0000${c.title}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((candidate) => ({ candidate, score: candidate.weight + relevance(`${candidate.title}\n${candidate.excerpt}`, candidate.topics, query) }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        ORDER.indexOf(a.candidate.source) - ORDER.indexOf(b.candidate.source) ||
        compare(a.candidate.reference, b.candidate.reference) ||
        compare(a.candidate.title, b.candidate.title),
    );
}

/** Greedy fill by rank; a snippet that does not fit is clipped when enough room is left, else skipped. */
export function selectRefs(candidates: Candidate[], query: Query, budget: number): DocRef[] {
  let remaining = Math.max(0, budget);
  const chosen: Candidate[] = [];
  for (const { candidate } of rank(candidates, query)) {
    if (candidate.excerpt.length <= remaining) {
      chosen.push(candidate);
      remaining -= candidate.excerpt.length;
    } else if (remaining >= MIN_PARTIAL) {
      const excerpt = clip(candidate.excerpt, remaining - 2);
      chosen.push({ ...candidate, excerpt });
      remaining -= excerpt.length;
    }
  }
  const refs: DocRef[] = [];
  for (const source of ORDER) {
    chosen
      .filter((c) => c.source === source)
      .forEach((c, index) => {
        const ref: DocRef = {
          id: `${PREFIX[source]}${index + 1}`,
          source,
          library: c.library,
          version: c.version,
          reference: c.reference,
          title: c.title,
          excerpt: c.excerpt,
          topics: c.topics,
        };
        if (c.links) ref.links = c.links;
        if (c.retrieved) ref.retrieved = c.retrieved;
        refs.push(ref);
      });
  }
  return refs;
}
