// A digest of everything a plan was made from. It goes into the plan's frontmatter
// (`inputs_digest`) so `rt-plan check --stale` can recompute it later and compare.
// Canonical JSON (sorted keys, sessions sorted by path) keeps it independent of
// object key order and of the order files were found in.

import { createHash } from 'node:crypto';

export interface DigestInputs {
  /** `data` (parsed frontmatter) is optional: pass it when `text` is the body without it. */
  sessions: { path: string; text: string; data?: unknown }[];
  analysis: unknown;
  toolVersion: string;
  templates: Record<string, string>;
}

/** JSON.stringify with object keys sorted at every depth. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

export function inputsDigest(parts: DigestInputs): string {
  const sessions = [...parts.sessions]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((s) => ({ path: s.path, text: s.text, ...(s.data === undefined ? {} : { data: s.data }) }));
  const canonical = canonicalJson({
    analysis: parts.analysis ?? null,
    sessions,
    templates: parts.templates,
    toolVersion: parts.toolVersion,
  });
  return 'sha256:' + createHash('sha256').update(canonical, 'utf8').digest('hex');
}
