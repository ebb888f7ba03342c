// Inline citations. A decision that rests on documentation cites the gathered DocRef by id
// (`[K2]`); the References section then lists exactly the refs that were cited, in the
// order the docs stage numbered them. No matching ref → no citation, never a made-up one.
import type { DocRef, DocsContext } from '../types.js';

const RELATED: Record<string, string[]> = {
  'socket.io': ['engine.io', 'ws', '@socket.io/redis-adapter', '@socket.io/redis-streams-adapter', 'socket.io-client'],
  '@fastify/websocket': ['ws', 'fastify'],
  'y-websocket': ['ws', 'yjs'],
  '@socket.io/redis-adapter': ['socket.io'],
  sse: ['eventsource', 'better-sse'],
  websocket: ['ws', 'isomorphic-ws', 'reconnecting-websocket', 'partysocket'],
  '@google/genai': ['gemini-live'],
  openai: ['openai-realtime'],
};

export class Citer {
  private readonly used = new Set<string>();

  constructor(private readonly docs: DocsContext) {}

  /**
   * The best ref for these topics: one for the given library first, then library-neutral ones.
   * `library` undefined means any library; null means the platform API (neutral refs only).
   * preferring curated knowledge and installed docs over project notes. '' when none.
   */
  cite(topics: string[], library?: string | null): string {
    const best = this.find(topics, library);
    if (!best) return '';
    // The curated note gives the rule; the project's installed docs and Context7 show it for
    // the exact version in use, so the best of each of those is cited next to it.
    const refs = [best, ...(['package', 'context7'] as const).map((source) => this.find(topics, library, source))];
    const ids = [...new Set(refs.flatMap((r) => (r ? [r.id] : [])))];
    for (const id of ids) this.used.add(id);
    return ` ${ids.map((id) => `[${id}]`).join('')}`;
  }

  find(topics: string[], library?: string | null, source?: DocRef['source']): DocRef | undefined {
    const wanted = new Set(topics.map((t) => t.toLowerCase()));
    const related = library != null ? [library, ...(RELATED[library] ?? [])] : [];
    // A note about another library is only cited when that library sits under this one.
    const matches = this.docs.refs.filter(
      (ref) =>
        (source === undefined || ref.source === source) &&
        ref.topics.some((t) => wanted.has(t.toLowerCase())) &&
        (ref.library === null || (library !== undefined && library !== null && related.includes(ref.library)) || library === undefined),
    );
    const rank = (ref: DocRef): number => {
      const libMatch = library != null && ref.library === library ? 0 : ref.library === null ? 1 : 2;
      const sourceRank = { knowledge: 0, package: 1, context7: 2, project: 3 }[ref.source];
      return libMatch * 10 + sourceRank;
    };
    // Stable: equal ranks keep the docs stage's order.
    return matches.map((ref, index) => ({ ref, index })).sort((a, b) => rank(a.ref) - rank(b.ref) || a.index - b.index)[0]?.ref;
  }

  /** Refs cited so far, in the docs stage's order. */
  usedRefs(): DocRef[] {
    return this.docs.refs.filter((ref) => this.used.has(ref.id));
  }
}
