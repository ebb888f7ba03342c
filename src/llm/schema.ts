// The review schema: what Claude returns (through the forced tool, or piped into
// `rt-plan review`), as a JSON Schema for the model and a hand-written validator whose
// messages name the exact field, so an agent can fix its input from the error alone.

export const REVIEW_KINDS = ['change', 'diagnosis', 'finding', 'risk'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export interface ReviewItemInput {
  kind: ReviewKind;
  title: string;
  detail: string;
  /** "path/relative/to/project.ts:42" */
  evidence: string[];
  /** Libraries the item says the project already uses (package names). */
  libraries?: string[];
  /** Events the item says the project already sends or handles. */
  events?: string[];
}

export interface ReviewInput {
  summary: string;
  items: ReviewItemInput[];
}

const LIMITS = { summary: 4000, items: 40, title: 300, detail: 6000, evidence: 12, names: 20 } as const;

const names = (description: string) => ({
  type: 'array',
  description,
  maxItems: LIMITS.names,
  items: { type: 'string', minLength: 1, maxLength: 200 },
});

/** JSON Schema (draft 2020-12). Extra properties are accepted everywhere and ignored. */
export const REVIEW_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'rt-plan design review',
  type: 'object',
  required: ['summary', 'items'],
  properties: {
    summary: { type: 'string', maxLength: LIMITS.summary, description: 'Two to four sentences: what the review adds to the plan.' },
    items: {
      type: 'array',
      maxItems: LIMITS.items,
      items: {
        type: 'object',
        required: ['kind', 'title', 'detail', 'evidence'],
        properties: {
          kind: { type: 'string', enum: [...REVIEW_KINDS] },
          title: { type: 'string', minLength: 1, maxLength: LIMITS.title },
          detail: { type: 'string', maxLength: LIMITS.detail },
          evidence: {
            type: 'array',
            description: 'Lines of the project that support the item, as "path/relative/to/project:LINE" (1-based). An item without evidence is dropped.',
            maxItems: LIMITS.evidence,
            items: { type: 'string', minLength: 1 },
          },
          libraries: names('Package names the item says the project already uses.'),
          events: names('Event names the item says the project already sends or handles.'),
        },
      },
    },
  },
} as const;

export type Validation = { ok: true; review: ReviewInput } | { ok: false; problems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Schema check. Evidence strings are only required to be strings here: whether they point at
 * real lines is verification's job (an unverifiable item is dropped, not a schema error).
 */
export function validateReview(value: unknown): Validation {
  const problems: string[] = [];
  const str = (v: unknown, at: string, max: number, min = 0): string => {
    if (typeof v !== 'string') problems.push(`${at}: expected a string`);
    else if (v.trim().length < min) problems.push(`${at}: must not be empty`);
    else if (v.length > max) problems.push(`${at}: longer than ${max} characters`);
    return typeof v === 'string' ? v : '';
  };
  const strings = (v: unknown, at: string, maxItems: number): string[] | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      problems.push(`${at}: expected an array of strings`);
      return [];
    }
    if (v.length > maxItems) problems.push(`${at}: more than ${maxItems} entries`);
    return v.map((s, i) => str(s, `${at}[${i}]`, 300, 1));
  };
  if (!isObject(value)) return { ok: false, problems: ['the review must be a JSON object with "summary" and "items"'] };
  const summary = str(value.summary, 'summary', LIMITS.summary);
  const items: ReviewItemInput[] = [];
  if (!Array.isArray(value.items)) problems.push('items: expected an array');
  else {
    if (value.items.length > LIMITS.items) problems.push(`items: more than ${LIMITS.items} entries`);
    value.items.forEach((raw, i) => {
      const at = `items[${i}]`;
      if (!isObject(raw)) {
        problems.push(`${at}: expected an object`);
        return;
      }
      const kind = raw.kind as ReviewKind;
      if (!REVIEW_KINDS.includes(kind)) problems.push(`${at}.kind: expected one of ${REVIEW_KINDS.join(', ')}`);
      const item: ReviewItemInput = {
        kind,
        title: str(raw.title, `${at}.title`, LIMITS.title, 1),
        detail: str(raw.detail, `${at}.detail`, LIMITS.detail),
        evidence: strings(raw.evidence, `${at}.evidence`, LIMITS.evidence) ?? (problems.push(`${at}.evidence: required`), []),
      };
      const libraries = strings(raw.libraries, `${at}.libraries`, LIMITS.names);
      const events = strings(raw.events, `${at}.events`, LIMITS.names);
      if (libraries) item.libraries = libraries;
      if (events) item.events = events;
      items.push(item);
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, review: { summary, items } };
}
