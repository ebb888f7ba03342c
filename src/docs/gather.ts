// The documentation stage: project docs, installed packages, curated knowledge and (when asked
// and online) Context7, ranked against the task and cut to a budget. Bad files and network
// failures become notices; the plan is always made from whatever could be read.
import type { Analysis, DocsContext, Requirement } from '../types.js';
import type { Candidate } from './files.js';
import type { Context7Settings } from './context7.js';
import { readProjectDocs } from './project-docs.js';
import { installedKey, readInstalledPackages } from './packages.js';
import { notesForStack } from './stack-notes.js';
import { buildQuery, topicsOf } from './relevance.js';
import { DEFAULT_DOCS_BUDGET, selectRefs } from './select.js';

export type DocsMode = 'local' | 'context7';

export interface GatherDocsOptions {
  mode: DocsMode;
  /** No network at all: Context7 code is not even loaded. */
  offline: boolean;
  /** Characters of excerpts to keep; DEFAULT_DOCS_BUDGET when the CLI gets no --docs-budget. */
  budget: number;
  /** The run's clock; its date is the retrieval date of knowledge and Context7 refs. */
  date: Date;
  env: Record<string, string | undefined>;
  onNotice?: (line: string) => void;
  /** Tuning for tests and power users: timeouts, retries, cache folder, cache clock. */
  context7?: Partial<Context7Settings> & { cacheDir?: string; now?: number; maxLibraries?: number };
}

export interface GatherDocsInput {
  root: string;
  task: string;
  requirements: Requirement[];
  analysis: Analysis;
  options: GatherDocsOptions;
}

export { DEFAULT_DOCS_BUDGET };

export async function gatherDocs(input: GatherDocsInput): Promise<DocsContext> {
  const { root, task, requirements, analysis, options } = input;
  const notices: string[] = [];
  const notice = (line: string): void => {
    if (notices.includes(line)) return;
    notices.push(line);
    options.onNotice?.(line);
  };
  const retrieved = options.date.toISOString().slice(0, 10);
  const query = buildQuery(task, requirements, analysis);

  // Independent reads; their notices still come out project first.
  const [project, packages] = await Promise.all([
    readProjectDocs(
      root,
      analysis.project.packages.map((p) => p.dir),
    ),
    readInstalledPackages(root, analysis.stack.libraries, analysis.project.packages),
  ]);
  project.notices.forEach(notice);
  packages.notices.forEach(notice);

  const candidates: Candidate[] = [...project.candidates, ...packages.candidates, ...notesForStack(analysis, requirements, packages, retrieved)];

  if (options.mode === 'context7') {
    if (options.offline) notice('Context7 skipped: --offline forbids network access (plan made from local sources)');
    else candidates.push(...(await context7Candidates(input, packages.byUse, query.topics, retrieved, notice)));
  }

  const budget = Number.isFinite(options.budget) && options.budget > 0 ? options.budget : DEFAULT_DOCS_BUDGET;
  return { refs: selectRefs(candidates, query, budget), notices };
}

async function context7Candidates(
  input: GatherDocsInput,
  byUse: Record<string, string>,
  topics: string[],
  retrieved: string,
  notice: (line: string) => void,
): Promise<Candidate[]> {
  // Loaded only here, so local and offline runs never load the network client.
  const { CONTEXT7_DEFAULT_URL, CONTEXT7_DEFAULTS, Context7Error, fetchContext7 } = await import('./context7.js');
  const cache = await import('./cache.js');
  const { env, context7: tuning = {} } = input.options;
  const settings: Context7Settings = {
    ...CONTEXT7_DEFAULTS,
    baseUrl: env.CONTEXT7_API_URL || CONTEXT7_DEFAULT_URL,
    ...(env.CONTEXT7_API_KEY ? { apiKey: env.CONTEXT7_API_KEY } : {}),
    ...tuning,
  };
  if (!/^https?:$/.test(safeProtocol(settings.baseUrl))) {
    notice(`Context7 skipped: CONTEXT7_API_URL is not an http(s) URL (plan made from local sources)`);
    return [];
  }
  const dir = tuning.cacheDir ?? cache.cacheDir(env);
  const now = tuning.now ?? Date.now();
  const words = input.task
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .join(' ');
  const candidates: Candidate[] = [];
  const libs = input.analysis.stack.libraries.filter((l) => l.kind !== 'framework').filter((l, i, all) => all.findIndex((o) => o.name === l.name) === i);
  for (const lib of libs.slice(0, tuning.maxLibraries ?? 4)) {
    const version = byUse[installedKey(lib)] ?? lib.version;
    const q = `${lib.name}: ${topics.join(', ')} for ${words}`;
    const key = { library: lib.name, version, query: q };
    let entry = await cache.readCache(dir, key, now);
    if (!entry) {
      try {
        const result = await fetchContext7(lib.name, version, q, settings);
        entry = cache.newEntry(key, result.libraryId, result.snippets, now);
        await cache.writeCache(dir, entry);
      } catch (error) {
        if (!(error instanceof Context7Error)) throw error;
        const what = error.kind === 'timeout' || error.kind === 'unreachable' ? 'unreachable' : 'unavailable';
        notice(`Context7 ${what}: ${error.message} (plan made from local sources)`);
        // One failure is enough evidence: do not spend the timeout again for every library.
        break;
      }
    }
    for (const s of entry.snippets) {
      candidates.push({
        source: 'context7',
        library: lib.name,
        version,
        reference: s.reference,
        title: `${lib.name}: ${s.title}`,
        excerpt: s.excerpt,
        topics: topicsOf(`${s.title}\n${s.excerpt}`),
        retrieved,
        weight: 25,
      });
    }
  }
  return candidates;
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}
