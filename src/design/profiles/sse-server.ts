// How an SSE route is written in the project's web framework, so a stream snippet uses the
// project's own API (or the Fetch API's Request when rt-plan does not know the framework)
// instead of Express's in every plan. Keyed by the framework the layout detected.
// https://hono.dev/docs/helpers/streaming#streamsse, https://expressjs.com/en/api.html#req.get,
// https://fastify.dev/docs/latest/Reference/Reply/#raw, https://developer.mozilla.org/en-US/docs/Web/API/Request/headers

export interface SseServerApi {
  /** A statement that writes raw SSE text (a JS expression) on the open stream. */
  write: (text: string) => string;
  /** Reads the resume id: the header (browser reconnect) or the query (new EventSource). */
  readResume: (param: string) => string;
}

const NODE_RES: SseServerApi = {
  write: (t) => `res.write(${t});`,
  readResume: (p) => `req.headers['last-event-id'] ?? req.query.${p}`,
};

const BY_FRAMEWORK: Record<string, SseServerApi> = {
  express: NODE_RES,
  koa: { write: (t) => `ctx.res.write(${t});`, readResume: (p) => `ctx.get('Last-Event-ID') || ctx.query.${p}` },
  fastify: { write: (t) => `reply.raw.write(${t});`, readResume: (p) => `request.headers['last-event-id'] ?? request.query.${p}` },
  hono: {
    write: (t) => `await stream.write(${t}); // inside streamSSE(c, async (stream) => …)`,
    readResume: (p) => `c.req.header('Last-Event-ID') ?? c.req.query('${p}')`,
  },
};

/** Route handlers on the Fetch API (Next.js, SvelteKit, Workers) and unknown frameworks. */
const FETCH_API: SseServerApi = {
  write: (t) => `controller.enqueue(encoder.encode(${t})); // in the ReadableStream's start(controller)`,
  readResume: (p) => `request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('${p}')`,
};

export function sseServerApi(framework: string | null): SseServerApi {
  return (framework ? BY_FRAMEWORK[framework] : undefined) ?? FETCH_API;
}
