// Verification of a review against the project: pure, given a lookup of line counts. A
// model invents line numbers and remembers libraries a project does not have; an item
// survives only when every line it cites exists and it names nothing the analysis contradicts.
import path from 'node:path';
import type { ReviewInput, ReviewItemInput, ReviewKind } from './schema.js';

export interface VerifiedItem {
  kind: ReviewKind;
  title: string;
  detail: string;
  evidence: string[];
  source: string;
}

export interface DroppedItem {
  title: string;
  reason: string;
}

/** What render reads: the "Design review" section. */
export interface DesignReview {
  summary: string;
  /** Model id, or "review input" for a review piped into `rt-plan review`. */
  source: string;
  items: VerifiedItem[];
  dropped: DroppedItem[];
}

export interface ProjectModel {
  /** Package names any manifest declares, plus the libraries the analysis detected. */
  libraries: ReadonlySet<string>;
  /** Event names found in the code. */
  events: ReadonlySet<string>;
}

export interface VerifyContext {
  /** Lines in a project file (relative path, forward slashes), or null when it is not a readable file inside the project. */
  lineCount: (relPath: string) => number | null;
  model: ProjectModel;
  source: string;
}

const EVIDENCE = /^(.+?):(\d+)(?:-(\d+))?$/;

/** "./a/b.ts:3" → { path: "a/b.ts", lines: [3] }, or a reason it cannot name a project line. */
export function parseEvidence(ref: string): { path: string; lines: number[] } | { problem: string } {
  const m = EVIDENCE.exec(ref.trim());
  if (!m) return { problem: `evidence "${ref}" is not path:line` };
  const raw = m[1]!.replace(/\\/g, '/');
  const normal = path.posix.normalize(raw.replace(/^\.\//, ''));
  if (path.posix.isAbsolute(normal) || /^[a-z]:/i.test(normal) || normal === '..' || normal.startsWith('../')) {
    return { problem: `evidence "${ref}" is outside the project` };
  }
  const lines = [Number(m[2]), ...(m[3] ? [Number(m[3])] : [])];
  return { path: normal, lines };
}

// A sentence that asserts something exists in the project: "the existing `x` event",
// "already uses `y`". Only backticked names count, so prose never trips it by accident.
const EXISTING_EVENT = /\b(?:existing|current|already (?:emits|handles|sends|has))\s+`([^`\n]{1,100})`\s+(?:event|handler|listener)/gi;
const EXISTING_LIBRARY =
  /\b(?:already uses|already depends on|project's|existing)\s+`([^`\n]{1,100})`\s+(?:library|package|dependency|client|server|adapter)/gi;

function claimed(item: ReviewItemInput): { libraries: string[]; events: string[] } {
  const text = `${item.title}\n${item.detail}`;
  const events = [...(item.events ?? []), ...[...text.matchAll(EXISTING_EVENT)].map((m) => m[1]!)];
  const libraries = [...(item.libraries ?? []), ...[...text.matchAll(EXISTING_LIBRARY)].map((m) => m[1]!)];
  return { libraries: [...new Set(libraries.map((s) => s.trim()))], events: [...new Set(events.map((s) => s.trim()))] };
}

function whyDropped(item: ReviewItemInput, ctx: VerifyContext): string | null {
  if (item.evidence.length === 0) return 'no evidence';
  for (const ref of item.evidence) {
    const parsed = parseEvidence(ref);
    if ('problem' in parsed) return parsed.problem;
    const count = ctx.lineCount(parsed.path);
    if (count === null) return `evidence "${ref}": no such file in the project`;
    const bad = parsed.lines.find((l) => l < 1 || l > count);
    if (bad !== undefined) return `evidence "${ref}": ${bad < 1 ? 'lines start at 1' : `line ${bad} is past the end of ${parsed.path} (${count} lines)`}`;
  }
  // Diagnoses and risks speak about what could go wrong; findings and changes state facts.
  if (item.kind === 'finding' || item.kind === 'change') {
    const { libraries, events } = claimed(item);
    const lib = libraries.find((l) => !ctx.model.libraries.has(l) && !ctx.model.libraries.has(l.toLowerCase()));
    if (lib !== undefined) return `says the project uses "${lib}", which no package.json declares`;
    const event = events.find((e) => !ctx.model.events.has(e));
    if (event !== undefined) return `says the event "${event}" exists; the analysis found no such event`;
  }
  return null;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function verifyReview(review: ReviewInput, ctx: VerifyContext): DesignReview {
  const items: VerifiedItem[] = [];
  const dropped: DroppedItem[] = [];
  for (const item of review.items) {
    const reason = whyDropped(item, ctx);
    if (reason !== null) dropped.push({ title: oneLine(item.title), reason });
    else {
      items.push({
        kind: item.kind,
        title: oneLine(item.title),
        detail: oneLine(item.detail),
        evidence: item.evidence.map((ref) => {
          const p = parseEvidence(ref) as { path: string; lines: number[] };
          return `${p.path}:${p.lines.join('-')}`;
        }),
        source: ctx.source,
      });
    }
  }
  return { summary: oneLine(review.summary), source: ctx.source, items, dropped };
}
