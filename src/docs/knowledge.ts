// Curated knowledge notes shipped in templates/knowledge/*.md. Each note names the library it
// covers and the semver range it is true for, so a Socket.IO 2 project never gets v4 advice.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { packagePath } from '../paths.js';
import { parseFrontmatter } from '../shared/frontmatter.js';

export interface KnowledgeNote {
  /** File stem, e.g. "socket-io-v4". */
  id: string;
  /** Path inside rt-plan, e.g. "templates/knowledge/socket-io-v4.md". */
  file: string;
  /** Library names the note applies to (package names, providers or transports), lower-case. */
  libraries: string[];
  /** Semver range of the library's versions the note is true for. */
  versions: string;
  topics: string[];
  /** Public URLs the note's facts come from. */
  sources: string[];
  title: string;
  body: string;
}

/** Thrown only for a malformed note shipped with rt-plan: a packaging bug, not a user error. */
export class KnowledgeNoteError extends Error {}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];

/** Parses one note. Frontmatter: library (string or list), versions, topics, sources, title. */
export function parseKnowledgeNote(file: string, text: string): KnowledgeNote {
  const { data, body: content } = parseFrontmatter(text, 'knowledge note');
  const libraries = strings(data.library).map((l) => l.toLowerCase());
  const versions = typeof data.versions === 'string' ? data.versions : '*';
  const title = typeof data.title === 'string' ? data.title : '';
  const sources = strings(data.sources);
  if (libraries.length === 0 || title === '' || sources.length === 0 || semver.validRange(versions) === null) {
    throw new KnowledgeNoteError(`${file}: a knowledge note needs library, title, sources and a valid versions range`);
  }
  const stem = file.replace(/^.*\//, '').replace(/\.md$/, '');
  return { id: stem, file, libraries, versions, topics: strings(data.topics), sources, title, body: content.trim() };
}

const KNOWLEDGE_DIR = packagePath('templates', 'knowledge');
let cache: KnowledgeNote[] | null = null;

/** The hash a precompiled note is keyed by, so an edited note is parsed again. */
export function knowledgeSourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Notes parsed at build time (scripts/build.mjs writes dist/knowledge-notes.json): parsing
 * the 21 notes' YAML frontmatter on every run was a visible share of the plan command.
 */
function precompiledNotes(): Map<string, { hash: string; note: KnowledgeNote }> {
  try {
    const data = JSON.parse(readFileSync(packagePath('dist', 'knowledge-notes.json'), 'utf8')) as Array<{ name: string; hash: string; note: KnowledgeNote }>;
    return new Map(data.map((e) => [e.name, e]));
  } catch {
    return new Map();
  }
}

/** All shipped notes, sorted by id. Read once per process: the files ship with rt-plan. */
export function loadKnowledge(dir: string = KNOWLEDGE_DIR): KnowledgeNote[] {
  if (dir === KNOWLEDGE_DIR && cache) return cache;
  const ready = dir === KNOWLEDGE_DIR ? precompiledNotes() : new Map<string, { hash: string; note: KnowledgeNote }>();
  const notes = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => {
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      const built = ready.get(name);
      return built && built.hash === knowledgeSourceHash(text) ? built.note : parseKnowledgeNote(`templates/knowledge/${name}`, text);
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (dir === KNOWLEDGE_DIR) cache = notes;
  return notes;
}

/**
 * The version a note is matched against. An exact version is used as is; a declared range
 * ("^2.3.0") by its lowest version, which shares its major with what a lockfile would resolve.
 * Unknown versions (null, "latest", "*", a git URL) return null.
 */
export function effectiveVersion(version: string | null): string | null {
  if (version === null) return null;
  const exact = semver.valid(semver.clean(version) ?? version);
  if (exact) return exact;
  if (semver.validRange(version) === null || /^\s*(\*|x|latest)?\s*$/i.test(version)) return null;
  try {
    return semver.minVersion(version)?.version ?? null;
  } catch {
    return null;
  }
}

/**
 * Does a note's range apply to this version? With no version known we assume the current
 * release line: only notes whose range is open-ended upwards apply (">=4" yes, "<3" no).
 * That picks the advice a fresh `npm install` would need, and never mixes two majors' notes.
 */
export function appliesTo(range: string, version: string | null): boolean {
  const effective = effectiveVersion(version);
  if (effective === null) return semver.satisfies('999999.0.0', range);
  return semver.satisfies(effective, range, { includePrerelease: true });
}

export function knowledgeFor(library: string, version: string | null, notes: KnowledgeNote[] = loadKnowledge()): KnowledgeNote[] {
  const name = library.toLowerCase();
  return notes.filter((note) => note.libraries.includes(name) && appliesTo(note.versions, version));
}
