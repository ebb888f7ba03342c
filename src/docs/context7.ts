// Context7 HTTP client. Endpoints and status codes as documented by Context7
// (https://context7.com/docs/api-guide, source: github.com/upstash/context7 docs/api-guide.mdx):
//   GET {base}/v2/libs/search?libraryName=…&query=…   → { results: [{ id, title, versions, … }] }
//   GET {base}/v2/context?libraryId=/owner/repo[/version]&query=…&type=json
//       → { codeSnippets: [{ codeTitle, codeDescription, codeList, codeId }], infoSnippets: [{ content, breadcrumb, pageId }] }
//   Authorization: Bearer $CONTEXT7_API_KEY (optional: anonymous access has lower rate limits)
//   202 library not finalized (retry later), 301 library moved (new id in `redirectUrl`),
//   402 payment required, 404 no such library, 429 rate limited (`Retry-After`), 5xx retry with backoff.
import semver from 'semver';
import { BodyTooLargeError, readBodyLimited } from '../shared/read-limited.js';
import { clip } from './markdown.js';
import type { CachedSnippet } from './cache.js';

export const CONTEXT7_DEFAULT_URL = 'https://context7.com/api';
/** A context answer is a few dozen snippets; a larger body is refused as it streams in. */
export const CONTEXT7_MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface Context7Settings {
  baseUrl: string;
  apiKey?: string;
  /** Per request, body included. */
  timeoutMs: number;
  /** Attempts for 202, 429 and 5xx answers before giving up. */
  maxAttempts: number;
  /** Base of the exponential backoff between attempts. */
  retryDelayMs: number;
  /** A longer Retry-After is cut to this, so a rate limit never stalls the plan for long. */
  maxRetryAfterMs: number;
  maxSnippets: number;
  sleep?: (ms: number) => Promise<void>;
}

export const CONTEXT7_DEFAULTS: Omit<Context7Settings, 'baseUrl'> = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  retryDelayMs: 500,
  maxRetryAfterMs: 5_000,
  maxSnippets: 6,
};

export type Context7FailureKind =
  | 'timeout'
  | 'unreachable'
  | 'not-ready'
  | 'rate-limited'
  | 'payment-required'
  | 'unauthorized'
  | 'server-error'
  | 'bad-response';

/** A Context7 failure the gatherer turns into one notice; never escapes gatherDocs. */
export class Context7Error extends Error {
  constructor(
    readonly kind: Context7FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'Context7Error';
  }
}

export interface Context7Library {
  id: string;
  title: string;
  versions: string[];
}

export function parseSearchResponse(json: unknown): Context7Library[] {
  const results = (json as { results?: unknown })?.results;
  if (!Array.isArray(results)) throw new Context7Error('bad-response', 'search answer has no results array');
  return results
    .filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string')
    .map((r) => ({
      id: r.id as string,
      title: typeof r.title === 'string' ? r.title : typeof r.name === 'string' ? r.name : (r.id as string),
      versions: Array.isArray(r.versions) ? r.versions.filter((v): v is string => typeof v === 'string') : [],
    }));
}

const normalise = (s: string): string =>
  s
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9]+/g, '');

/** Prefers a result whose repository or title is the package name; else Context7's own first pick. */
export function chooseLibrary(results: Context7Library[], name: string): Context7Library | null {
  const wanted = normalise(name.replace(/^@[^/]+\//, ''));
  const exact = results.find((r) => normalise(r.id.split('/').pop() ?? '') === wanted || normalise(r.title) === wanted);
  return exact ?? results[0] ?? null;
}

/** `/owner/repo/<tag>` for the tag equal to the installed version, else the newest tag of the same major. */
export function pinVersion(library: Context7Library, version: string | null): string {
  const exact = version ? semver.valid(semver.clean(version) ?? '') : null;
  if (!exact) return library.id;
  const tags = library.versions.map((tag) => ({ tag, v: semver.valid(semver.clean(tag) ?? '') ?? semver.coerce(tag)?.version ?? null }));
  const same = tags.find((t) => t.v === exact);
  if (same) return `${library.id}/${same.tag}`;
  const major = tags.filter((t) => t.v && semver.major(t.v) === semver.major(exact)).sort((a, b) => semver.rcompare(a.v ?? '0.0.0', b.v ?? '0.0.0'));
  return major[0] ? `${library.id}/${major[0].tag}` : library.id;
}

const isUrl = (s: unknown): s is string => typeof s === 'string' && /^https?:\/\//.test(s);

export function parseContextResponse(body: string, contentType: string, libraryId: string, max: number): CachedSnippet[] {
  const fallback = `https://context7.com${libraryId}`;
  if (!/json/i.test(contentType)) {
    const text = body.trim();
    return text === '' ? [] : [{ title: libraryId, excerpt: clip(text, 1800), reference: fallback }];
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new Context7Error('bad-response', 'context answer is not valid JSON');
  }
  const snippets: CachedSnippet[] = [];
  const code = Array.isArray(json.codeSnippets) ? (json.codeSnippets as Record<string, unknown>[]) : [];
  const info = Array.isArray(json.infoSnippets) ? (json.infoSnippets as Record<string, unknown>[]) : [];
  for (const s of info) {
    if (typeof s?.content !== 'string') continue;
    const title = typeof s.breadcrumb === 'string' && s.breadcrumb !== '' ? s.breadcrumb : libraryId;
    snippets.push({ title, excerpt: clip(s.content.trim(), 1500), reference: isUrl(s.pageId) ? s.pageId : fallback });
  }
  for (const s of code) {
    if (typeof s?.codeTitle !== 'string') continue;
    const first = Array.isArray(s.codeList) ? (s.codeList[0] as { language?: unknown; code?: unknown } | undefined) : undefined;
    const block = typeof first?.code === 'string' ? `\n\n\`\`\`${typeof first.language === 'string' ? first.language : ''}\n${first.code.trim()}\n\`\`\`` : '';
    const description = typeof s.codeDescription === 'string' ? s.codeDescription.trim() : '';
    snippets.push({ title: s.codeTitle, excerpt: clip(`${description}${block}`.trim(), 1500), reference: isUrl(s.codeId) ? s.codeId : fallback });
  }
  return snippets.slice(0, max);
}

/** Seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

type Answer = { status: 200; body: string; contentType: string } | { status: 404 } | { status: 301; target: string };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function request(url: string, s: Context7Settings): Promise<Answer> {
  const sleep = s.sleep ?? defaultSleep;
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'rt-plan' };
  if (s.apiKey) headers.authorization = `Bearer ${s.apiKey}`;
  for (let attempt = 1; ; attempt++) {
    const backoff = s.retryDelayMs * 2 ** (attempt - 1);
    let res: Response;
    let body: string;
    try {
      res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(s.timeoutMs) });
      body = await readBodyLimited(res, CONTEXT7_MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new Context7Error('bad-response', error.message);
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Context7Error('timeout', `no answer within ${s.timeoutMs} ms`);
      throw new Context7Error('unreachable', e.cause?.code ?? e.message);
    }
    const status = res.status;
    if (status === 200) return { status, body, contentType: res.headers.get('content-type') ?? '' };
    if (status === 404) return { status };
    if (status >= 300 && status < 400) {
      let target: unknown = null;
      try {
        target = (JSON.parse(body) as { redirectUrl?: unknown }).redirectUrl;
      } catch {
        target = null;
      }
      target = typeof target === 'string' && target !== '' ? target : res.headers.get('location');
      if (typeof target !== 'string' || target === '') throw new Context7Error('bad-response', `HTTP ${status} without redirectUrl`);
      return { status: 301, target };
    }
    if (status === 402) throw new Context7Error('payment-required', 'HTTP 402 (plan quota exhausted)');
    if (status === 401 || status === 403) throw new Context7Error('unauthorized', `HTTP ${status} (check CONTEXT7_API_KEY)`);
    const retriable = status === 202 || status === 429 || status >= 500;
    if (!retriable) throw new Context7Error('bad-response', `HTTP ${status}`);
    if (attempt >= s.maxAttempts) {
      if (status === 202) throw new Context7Error('not-ready', `library still being processed after ${attempt} attempts`);
      if (status === 429) throw new Context7Error('rate-limited', `HTTP 429 after ${attempt} attempts`);
      throw new Context7Error('server-error', `HTTP ${status} after ${attempt} attempts`);
    }
    const retryAfter = status === 429 ? parseRetryAfter(res.headers.get('retry-after')) : null;
    await sleep(Math.min(retryAfter ?? backoff, s.maxRetryAfterMs));
  }
}

function endpoint(base: string, path: string, params: Record<string, string>): string {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export interface Context7Result {
  libraryId: string | null;
  snippets: CachedSnippet[];
}

/** Search, pick and pin a library id, then fetch its context. 404 anywhere means "no docs", not an error. */
export async function fetchContext7(library: string, version: string | null, query: string, s: Context7Settings): Promise<Context7Result> {
  const search = await request(endpoint(s.baseUrl, '/v2/libs/search', { libraryName: library, query }), s);
  if (search.status !== 200) return { libraryId: null, snippets: [] };
  let json: unknown;
  try {
    json = JSON.parse(search.body);
  } catch {
    throw new Context7Error('bad-response', 'search answer is not valid JSON');
  }
  const chosen = chooseLibrary(parseSearchResponse(json), library);
  if (!chosen) return { libraryId: null, snippets: [] };
  let libraryId = pinVersion(chosen, version);
  const origin = new URL(s.baseUrl).origin;
  let url = endpoint(s.baseUrl, '/v2/context', { libraryId, query, type: 'json' });
  for (let hops = 0; hops <= 3; hops++) {
    const answer = await request(url, s);
    if (answer.status === 404) return { libraryId, snippets: [] };
    if (answer.status === 200) return { libraryId, snippets: parseContextResponse(answer.body, answer.contentType, libraryId, s.maxSnippets) };
    if (/^https?:\/\//.test(answer.target)) {
      // Never send the API key to another host.
      if (new URL(answer.target).origin !== origin) throw new Context7Error('bad-response', `redirect to another host (${new URL(answer.target).host})`);
      url = answer.target;
    } else {
      libraryId = answer.target;
      url = endpoint(s.baseUrl, '/v2/context', { libraryId, query, type: 'json' });
    }
  }
  throw new Context7Error('bad-response', 'too many redirects');
}
