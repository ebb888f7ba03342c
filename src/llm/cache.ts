// Answers cached in <project>/.claude/cache/rt-plan/, keyed by a sha256 of the whole request
// body: the same inputs make the same request, so a second run (in CI, say) reads the answer
// instead of paying for it, and the plan comes out byte-identical. Writes go through the
// project writer like every other write.
import { createHash } from 'node:crypto';
import type { ProjectWriter } from '../io/safe-write.js';
import { validateReview, type ReviewInput } from './schema.js';
import type { Usage } from './client.js';

export const CACHE_DIR = '.claude/cache/rt-plan';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

export function requestKey(body: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export const reviewPath = (key: string) => `${CACHE_DIR}/review-${key.slice(0, 32)}.json`;
export const requestPath = (key: string) => `${CACHE_DIR}/request-${key.slice(0, 32)}.json`;

export interface CachedReview {
  key: string;
  model: string;
  review: ReviewInput;
  usage: Usage;
}

/** The cached answer for `key`, or null when there is none or it no longer validates. */
export async function readCachedReview(writer: ProjectWriter, key: string): Promise<CachedReview | null> {
  const text = await writer.readIfExists(reviewPath(key));
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<CachedReview>;
    const checked = validateReview(data.review);
    // The cache folder is project content (a pull request can add an entry for a request it
    // can compute): the model id is rendered as the review's source, so only an id's shape passes.
    if (data.key !== key || typeof data.model !== 'string' || !MODEL_ID.test(data.model) || !checked.ok) return null;
    return { key, model: data.model, review: checked.review, usage: data.usage as Usage };
  } catch {
    return null;
  }
}

export async function writeCachedReview(writer: ProjectWriter, entry: CachedReview): Promise<string> {
  return (await writer.writeReplace(reviewPath(entry.key), `${JSON.stringify(entry, null, 2)}\n`)).relPath;
}

export async function writeRequest(writer: ProjectWriter, key: string, body: Record<string, unknown>): Promise<string> {
  return (await writer.writeReplace(requestPath(key), `${JSON.stringify(body, null, 2)}\n`)).relPath;
}
