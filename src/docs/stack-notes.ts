// Which curated notes a project gets: those for its libraries (matched by version), its
// transports, providers and scaling pieces, and a few the requirements call for.
import type { Analysis, Feature, Requirement } from '../types.js';
import type { Candidate } from './files.js';
import { knowledgeFor, type KnowledgeNote } from './knowledge.js';
import { clip } from './markdown.js';
import { installedKey, type PackagesResult } from './packages.js';

/** Weights: notes about what the project uses outrank notes suggested by its requirements. */
const WEIGHT = { library: 50, provider: 50, scaling: 48, transport: 45, suggested: 20 } as const;

/** Transports that name a note of their own (socket.io is covered by its library notes). */
const TRANSPORT_NOTES: Record<string, string> = { websocket: 'websocket', sse: 'sse', webrtc: 'webrtc' };

/** Requirements that call for a technology the project may not have yet. */
const FEATURE_NOTES: Partial<Record<Feature, string[]>> = {
  'collaborative-editing': ['yjs'],
  'ai-streaming': ['sse'],
  video: ['webrtc'],
};

const SCALE_METRICS = new Set(['concurrent-users', 'instances']);

interface Chosen {
  note: KnowledgeNote;
  library: string;
  version: string | null;
  weight: number;
}

export function notesForStack(
  analysis: Analysis,
  requirements: Requirement[],
  installed: Pick<PackagesResult, 'installed' | 'byUse'>,
  retrieved: string,
): Candidate[] {
  const picks = new Map<string, Chosen>();
  const add = (library: string, version: string | null, weight: number): void => {
    for (const note of knowledgeFor(library, version)) {
      const previous = picks.get(note.id);
      if (!previous || previous.weight < weight) picks.set(note.id, { note, library, version, weight });
    }
  };
  const versionOf = (name: string): string | null => installed.installed[name] ?? analysis.stack.libraries.find((l) => l.name === name)?.version ?? null;

  for (const lib of analysis.stack.libraries) {
    const weight = lib.kind === 'scaling' ? WEIGHT.scaling : lib.kind === 'provider' ? WEIGHT.provider : WEIGHT.library;
    add(lib.name, installed.byUse[installedKey(lib)] ?? lib.version, weight);
  }
  for (const provider of analysis.stack.providers) add(provider, null, WEIGHT.provider);
  for (const scaling of analysis.stack.scaling) add(scaling.name, versionOf(scaling.name), WEIGHT.scaling);
  for (const transport of analysis.stack.transports) {
    const name = TRANSPORT_NOTES[transport];
    if (name) add(name, null, WEIGHT.transport);
  }
  // Every plan falls back on rt-plan's own default targets somewhere: the note gives their sources.
  add('rt-plan', null, WEIGHT.transport);
  for (const req of requirements) {
    if (req.kind === 'feature') for (const name of FEATURE_NOTES[req.feature] ?? []) add(name, null, WEIGHT.suggested);
  }
  const usesSocketIo = analysis.stack.libraries.some((l) => l.name === 'socket.io');
  const needsScale = requirements.some((r) => r.kind === 'number' && SCALE_METRICS.has(r.metric) && (r.metric === 'instances' ? r.value > 1 : r.value >= 1000));
  if (usesSocketIo && needsScale) {
    add('@socket.io/redis-adapter', versionOf('@socket.io/redis-adapter'), WEIGHT.suggested);
    add('@socket.io/redis-streams-adapter', versionOf('@socket.io/redis-streams-adapter'), WEIGHT.suggested);
  }

  return [...picks.values()]
    .sort((a, b) => (a.note.id < b.note.id ? -1 : 1))
    .map(({ note, library, version, weight }) => ({
      source: 'knowledge' as const,
      library,
      // The project's version the note was matched against; the note's range when none is known.
      version: version ?? note.versions,
      reference: note.file,
      title: note.title,
      excerpt: clip(note.body, 2600),
      topics: note.topics,
      links: note.sources,
      retrieved,
      weight,
    }));
}
