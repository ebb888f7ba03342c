// The project's own documentation: READMEs, docs/, ADRs, CLAUDE.md and AsyncAPI/OpenAPI specs.
// parse* are pure (text in, candidates out); readProjectDocs does the file I/O.
import { parse as parseYaml } from 'yaml';
import { clip, relevantBlocks, splitSections } from './markdown.js';
import { isRealtime, topicsOf } from './relevance.js';
import { listFiles, readText, type Candidate } from './files.js';

const MAX_SECTION_CHARS = 2400;
const isMarkdown = (name: string): boolean => /\.(md|mdx|markdown)$/i.test(name);
const isSpec = (name: string): boolean => /\.(ya?ml|json)$/i.test(name) && !/^(package(-lock)?|tsconfig.*|pnpm-lock|composer)\.(json|ya?ml)$/i.test(name);

function isAdr(path: string): boolean {
  return /(^|\/)(adr|adrs|decisions)\//i.test(path);
}

/**
 * Keeps the sections of one Markdown document that are about real-time work. A section is kept
 * with its sub-sections; a sub-section already inside a kept parent is not repeated. ADRs are
 * short and about one decision, so a real-time ADR is kept whole.
 */
export function parseProjectDoc(path: string, text: string): Candidate[] {
  const sections = splitSections(text);
  if (isAdr(path) && isRealtime(text)) {
    const title = sections.find((s) => s.level === 1)?.heading ?? path;
    return [candidate(path, 1, title, clip(text.trim(), MAX_SECTION_CHARS), 10)];
  }
  return relevantBlocks(sections, isRealtime).map((block) =>
    candidate(path, block.line, block.heading === '' ? path : block.heading, clip(block.body, MAX_SECTION_CHARS), 0),
  );
}

function candidate(path: string, line: number, title: string, excerpt: string, bonus: number): Candidate {
  return {
    source: 'project',
    library: null,
    version: null,
    reference: `${path}:${line}`,
    title,
    excerpt,
    topics: topicsOf(`${title}\n${excerpt}`),
    weight: 40 + bonus,
  };
}

/**
 * An AsyncAPI document is always about events; an OpenAPI document only when it declares
 * streaming (text/event-stream) or WebSocket endpoints. Returns null for anything else,
 * including YAML/JSON that is not an API spec.
 */
export function parseApiSpec(path: string, text: string): Candidate | null {
  const head = text.slice(0, 4096);
  const kind = /["']?asyncapi["']?\s*:/.test(head) ? 'AsyncAPI' : /["']?(openapi|swagger)["']?\s*:/.test(head) ? 'OpenAPI' : null;
  if (kind === null) return null;
  if (kind === 'OpenAPI' && !/text\/event-stream/i.test(text) && !isRealtime(text)) return null;
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object') return null;
  const record = doc as Record<string, unknown>;
  const info = (record.info ?? {}) as Record<string, unknown>;
  const version = String(record.asyncapi ?? record.openapi ?? record.swagger ?? '');
  const title = `${kind} ${version}: ${typeof info.title === 'string' ? info.title : path}`;
  const lines: string[] = [];
  const names = (value: unknown): string[] => (value && typeof value === 'object' ? Object.keys(value).sort() : []);
  if (kind === 'AsyncAPI') {
    const components = (record.components ?? {}) as Record<string, unknown>;
    const channels = names(record.channels);
    const operations = names(record.operations);
    const messages = names(components.messages);
    if (channels.length) lines.push(`Channels: ${channels.join(', ')}`);
    if (operations.length) lines.push(`Operations: ${operations.join(', ')}`);
    if (messages.length) lines.push(`Messages: ${messages.join(', ')}`);
  } else {
    const paths = record.paths && typeof record.paths === 'object' ? (record.paths as Record<string, unknown>) : {};
    const streaming = Object.keys(paths)
      .filter((p) => /event-stream|websocket|upgrade/i.test(JSON.stringify(paths[p])))
      .sort();
    if (streaming.length) lines.push(`Streaming paths: ${streaming.join(', ')}`);
  }
  if (typeof info.description === 'string') lines.push(info.description.trim());
  const excerpt = clip(lines.join('\n') || text.trim(), MAX_SECTION_CHARS);
  return {
    source: 'project',
    library: null,
    version: null,
    reference: `${path}:1`,
    title,
    excerpt,
    topics: topicsOf(text),
    weight: 45,
  };
}

export interface ProjectDocsResult {
  candidates: Candidate[];
  notices: string[];
}

/** Which files count as project docs, relative to the root or to a workspace folder. */
async function docPaths(root: string, workspaceDirs: string[]): Promise<{ markdown: string[]; specs: string[] }> {
  const markdown = new Set<string>();
  const specs = new Set<string>();
  for (const dir of ['', ...workspaceDirs.filter((d) => d !== '')]) {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const file of await listFiles(root, dir, (n) => /^(readme|claude|agents)(\.[a-z]+)?$/i.test(n), 1)) {
      if (isMarkdown(file) || !/\./.test(file.slice(prefix.length))) markdown.add(file);
    }
    for (const sub of ['docs', 'doc', 'adr', 'adrs', 'architecture']) {
      for (const file of await listFiles(root, `${prefix}${sub}`, isMarkdown, 6)) markdown.add(file);
      for (const file of await listFiles(root, `${prefix}${sub}`, isSpec, 4)) specs.add(file);
    }
    for (const sub of ['', 'api', 'spec', 'specs', 'schemas']) {
      for (const file of await listFiles(root, `${prefix}${sub}`, isSpec, sub === '' ? 1 : 3)) specs.add(file);
    }
  }
  return { markdown: [...markdown].sort(), specs: [...specs].sort() };
}

export async function readProjectDocs(root: string, workspaceDirs: string[] = []): Promise<ProjectDocsResult> {
  const { markdown, specs } = await docPaths(root, workspaceDirs);
  const candidates: Candidate[] = [];
  const notices: string[] = [];
  for (const path of markdown) {
    const read = await readText(`${root}/${path}`);
    if (!read.ok) {
      notices.push(`Skipped ${path}: ${read.reason}`);
      continue;
    }
    candidates.push(...parseProjectDoc(path, read.text));
  }
  for (const path of specs) {
    const read = await readText(`${root}/${path}`);
    if (!read.ok) {
      // Most YAML/JSON files are not specs; only a file named like one is worth a notice.
      if (/asyncapi|openapi|swagger/i.test(path)) notices.push(`Skipped ${path}: ${read.reason}`);
      continue;
    }
    const spec = parseApiSpec(path, read.text);
    if (spec) candidates.push(spec);
  }
  return { candidates, notices };
}
