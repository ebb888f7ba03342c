// How an SSE route is written in the project's web framework, so a stream snippet uses the
// project's own API (or the Fetch API's Request when rt-plan does not know the framework)
// instead of Express's in every plan. Keyed by the framework the layout detected.
// https://hono.dev/docs/helpers/streaming#streamsse, https://expressjs.com/en/api.html#req.get,
// https://fastify.dev/docs/latest/Reference/Reply/#raw, https://developer.mozilla.org/en-US/docs/Web/API/Request/headers
// Backpressure: Node's `res.write()` returns false when its buffer is full and emits 'drain'
// (https://nodejs.org/api/stream.html#writablewritechunk-encoding-callback); Hono's streamSSE
// writes through a WritableStream writer, so `stream.writeSSE()` returns a Promise that stays
// pending while the reader is behind, and `stream.onAbort()` runs when the client goes
// (https://hono.dev/docs/helpers/streaming); a ReadableStream's `controller.desiredSize` drops
// to 0 or below when its reader is behind (https://streams.spec.whatwg.org/#rs-default-controller-desired-size).
import { code } from '../md.js';

export interface SseServerApi {
  /** A statement that writes raw SSE text (a JS expression) on the open stream. */
  write: (text: string) => string;
  /** Reads the resume id: the header (browser reconnect) or the query (new EventSource). */
  readResume: (param: string) => string;
  /**
   * How a slow reader shows on this API and how the stream sheds it; `resumeMd` is how the client
   * then resumes; `droppable`: some event may be dropped (else none is skipped: they wait or are coalesced).
   */
  slowMd: (resumeMd: string, droppable: boolean) => string;
}

/** Node's http response (Express, and the raw response Koa and Fastify expose). */
const nodeWatch =
  (write: string) =>
  (resumeMd: string, droppable: boolean): string =>
    `Watch ${code(write)} returning false: stop writing until ${code('drain')}, ${droppable ? 'drop droppable events meanwhile' : 'queue the events that arrive meanwhile (this plan has no droppable events; a keep-alive comment due meanwhile is simply skipped)'}, and end the stream when 4 MiB are pending (the client resumes ${resumeMd}).`;

const NODE_RES: SseServerApi = {
  write: (t) => `res.write(${t});`,
  readResume: (p) => `req.headers['last-event-id'] ?? req.query.${p}`,
  slowMd: nodeWatch('res.write()'),
};

const BY_FRAMEWORK: Record<string, SseServerApi> = {
  express: NODE_RES,
  koa: { write: (t) => `ctx.res.write(${t});`, readResume: (p) => `ctx.get('Last-Event-ID') || ctx.query.${p}`, slowMd: nodeWatch('ctx.res.write()') },
  fastify: {
    write: (t) => `reply.raw.write(${t});`,
    readResume: (p) => `request.headers['last-event-id'] ?? request.query.${p}`,
    slowMd: nodeWatch('reply.raw.write()'),
  },
  hono: {
    write: (t) => `await stream.write(${t}); // inside streamSSE(c, async (stream) => …)`,
    readResume: (p) => `c.req.header('Last-Event-ID') ?? c.req.query('${p}')`,
    slowMd: (resumeMd, droppable) =>
      `${code('stream.writeSSE()')} returns a Promise that stays pending while the reader is behind: await each write, and when fan-out hands a stream events faster than its writes settle, queue them per stream${droppable ? ', drop droppable events from that queue,' : ' (this plan has no droppable events)'} and end the stream (${code('stream.close()')}) when 4 MiB are queued (the client resumes ${resumeMd}); ${code('stream.onAbort()')} removes a closed stream from the fan-out.`,
  },
};

/** Route handlers on the Fetch API (Next.js, SvelteKit, Workers) and unknown frameworks. */
const FETCH_API: SseServerApi = {
  write: (t) => `controller.enqueue(encoder.encode(${t})); // in the ReadableStream's start(controller)`,
  readResume: (p) => `request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('${p}')`,
  slowMd: (resumeMd, droppable) =>
    `Watch ${code('controller.desiredSize')}: at 0 or below the reader is behind, so ${droppable ? 'drop droppable events meanwhile' : 'merge what arrives meanwhile into fewer, larger enqueues (this plan has no droppable events, so none is dropped)'}, and end the stream (${code('controller.close()')}) when 4 MiB are queued (the client resumes ${resumeMd}).`,
};

export function sseServerApi(framework: string | null): SseServerApi {
  return (framework ? BY_FRAMEWORK[framework] : undefined) ?? FETCH_API;
}
