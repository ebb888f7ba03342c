// What a plan says about connections, errors and the transport when a library owns the whole
// answer stream (profiles/ai-streams.ts): the library sends the request, reads the stream and
// reports errors, so the plan names its API instead of a fetch loop, chunk index or error codes
// of ours. Sources (AI SDK 5): https://ai-sdk.dev/v5/docs/ai-sdk-ui/error-handling (error,
// regenerate, onError), https://ai-sdk.dev/v5/docs/ai-sdk-ui/chatbot-resume-streams (resume: true,
// the GET of the resume route, 204), https://ai-sdk.dev/docs/troubleshooting/use-chat-an-error-occurred
// (error text masked unless onError of the UI message stream returns one).
import type { InfraRequirement } from '../../types.js';
import { contextStates, meetsMd, quoteOf } from '../constraints.js';
import type { DesignCtx } from '../context.js';
import { code, fmt, text } from '../md.js';
import type { Row } from '../types.js';
import { streamSdk, where, type StreamSdkProfile } from './ai-streams.js';

/** The library that owns the stream, when every scenario of the plan is the answer stream it owns. */
export function sdkOwned(ctx: Pick<DesignCtx, 'input' | 'scenarios'>): StreamSdkProfile | null {
  const sdk = streamSdk(ctx);
  return sdk && ctx.scenarios.every((s) => s === 'ai-streaming') ? sdk : null;
}

/** The route the library's hook POSTs to: `app/api/chat/route.ts` → `/api/chat`. */
function apiPath(sdk: StreamSdkProfile): string {
  const m = sdk.server ? /(?:^|\/)app(\/.*)\/route\.[cm]?[jt]sx?$/.exec(sdk.server.file) : null;
  return m ? m[1]!.replace(/\/\([^)]*\)/g, '') : '/api/chat';
}

function version(ctx: Pick<DesignCtx, 'input'>, sdk: StreamSdkProfile): string {
  const lib = ctx.input.analysis.stack.libraries.find((l) => l.name === sdk.library);
  return lib?.version ?? lib?.declared ?? '';
}

/** §5: the library in use, instead of "the platform API". */
export function sdkTransport(ctx: Pick<DesignCtx, 'input'>, sdk: StreamSdkProfile): { libText: string; reasonMd: string } {
  const v = version(ctx, sdk);
  return {
    libText: ` with the ${sdk.label} (${code(sdk.library)}${v ? ` ${text(v)}` : ''}): its UI message stream over SSE from the route handler`,
    reasonMd: `Traffic is server → client: ${code(sdk.hook)}${where(sdk.client)} POSTs the chat and reads the answer as the ${sdk.label}'s UI message stream, which ${code(`${sdk.serverCall}(…).toUIMessageStreamResponse()`)}${where(sdk.server)} writes as ${code('text/event-stream')}; the library owns the request, the wire format and the parsing, so there is no SSE code of ours to write.${ownServerMd(ctx)}`,
  };
}

/** The context rules out a server of ours: the answer stays a response of the route, so the plan adds none. */
function ownServerMd(ctx: Pick<DesignCtx, 'input'>): string {
  const r = contextStates(ctx, 'ownServer');
  return r ? ` The plan adds no WebSocket server or process of its own: every answer is a response of the route, as the context requires: ${quoteOf(r)}.` : '';
}

/** §7 authentication: the hook's own requests carry the session cookie. */
export function sdkAuth(sdk: StreamSdkProfile): string[] {
  return [
    `${code(sdk.hook)} sends its own same-origin ${code('fetch')} requests (the POST of ${code('sendMessage')} and, with ${code('resume: true')}, the GET of the resume route): the session cookie goes with each, and each route checks it as ${sdk.server ? code(sdk.server.file) : 'the chat route'} does today.`,
    `A session that expires mid-answer does not cut it (the answer ends with its generation); the next request gets 401 and ${code(sdk.hook)} reports it in ${code('error')}.`,
  ];
}

/** §7 liveness: what the library and the host do, since there is no socket of ours to watch. */
export function sdkLiveness(sdk: StreamSdkProfile, host: string | null, limit?: InfraRequirement): Row[] {
  return [
    {
      label: 'Client retry',
      valueMd: `none automatic: a failed or cut request sets ${code('error')} and calls ${code('onError')}; the user retries with ${code('regenerate()')}`,
      sourceMd: `${sdk.label} error handling: ${code(sdk.hook)} has no reconnect loop`,
    },
    {
      label: 'Stop',
      valueMd: `${code('stop()')}${where(sdk.client)} aborts the request`,
      sourceMd: `the route keeps generating only with ${code('result.consumeStream()')} (Implementation steps)`,
    },
    {
      label: 'Bound on a stream',
      valueMd: host
        ? `${text(host)}'s function time limit${limit?.valueMs ? ` (${fmt(limit.valueMs / 1000)} s, context: ${quoteOf(limit)})` : ''} ends every answer, finished or not`
        : 'the route ends every answer with its generation',
      sourceMd: `nothing runs after it, so answers must end well inside it${limit?.valueMs ? ` (and the route's ${code('maxDuration')} no higher)` : ''}; a browser that goes away earlier is covered by ${code('consumeStream()')} and ${code('onFinish')}, which run inside the same invocation and so inside the same limit`,
    },
  ];
}

/** §7 reconnection: the hook's behaviour, in place of a backoff schedule. */
export function sdkReconnectMd(sdk: StreamSdkProfile): string {
  const path = `${apiPath(sdk)}/{id}/stream`;
  return `${code(sdk.hook)} does not reconnect and the plan adds no loop of its own: a network error or a non-2xx response sets ${code('error')} (and calls ${code('onError')}), the partial answer stays on screen, and a retry button first reloads the saved chat (the answer may have finished and been saved by ${code('onFinish')} while the client was away) and calls ${code('regenerate()')} only when no saved answer exists for that turn: regenerating one already saved pays for it twice. After a reload, ${code('resume: true')} makes ${code(sdk.hook)} send ${code(`GET ${path}`)} on mount, which reattaches to an answer still running (204 when none runs).`;
}

export function sdkClientConfig(sdk: StreamSdkProfile, lang: string): { lang: string; code: string } {
  const caveat = sdk.resumeBreaksStop ? ` // not together with stop() in ${sdk.label} ${sdk.major}: see Race conditions` : '';
  return {
    lang,
    code: `const { messages, sendMessage, status, stop, error, regenerate } = ${sdk.hook}({\n  id: chatId, // the saved chat: onFinish stores under it, the resume GET finds it\n  messages: savedMessages, // loaded on the server, so a reload shows the finished answer\n  transport: new DefaultChatTransport({ api: '${apiPath(sdk)}' }),\n  resume: true,${caveat}\n  onError: (e) => report(e), // network failure, non-2xx response or an error part\n});\n// error: show the partial answer; retry reloads the saved chat, and calls regenerate() only if that turn has no saved answer`,
  };
}

/** §12: the library's own error path, in place of error codes of ours. */
export function sdkErrors(sdk: StreamSdkProfile): {
  codes: { code: string; when: string; signalMd: string; clientMd: string }[];
  degradedMd: string[];
  fallbackMd: string[];
} {
  return {
    codes: [
      {
        code: 'error',
        when: 'the model provider or a tool fails during the answer',
        signalMd: `an ${code('error')} part in the UI message stream; its text is what ${code('onError')} of ${code('toUIMessageStreamResponse')} returns (details are masked without it)`,
        clientMd: `${code('error')} is set: keep the partial answer, reload the saved chat, and offer ${code('regenerate()')} only if that turn has no saved answer`,
      },
      {
        code: '401',
        when: 'no session on the request: the route answers 401',
        signalMd: 'HTTP status of the POST, before any stream',
        clientMd: `${code('error')} is set: sign in again; no retry`,
      },
    ],
    degradedMd: [
      `LLM provider slow or down: ${code(sdk.serverCall)} reports it as an ${code('error')} part; ${code('onError')} on the route logs it and returns a message safe to show, and the partial answer stays visible.`,
    ],
    fallbackMd: [
      `There is no second transport to fall back to (the answer already is an HTTP response): when ${code('regenerate()')} keeps failing, the chat saved by ${code('onFinish')} still loads on reload.`,
    ],
  };
}

/** §11: the stream is a ReadableStream the runtime pulls, not writes of ours to watch. */
export function sdkBackpressureMd(sdk: StreamSdkProfile): string {
  return `The route returns the ${sdk.label}'s UI message stream as a ${code('ReadableStream')} that the runtime pulls as the browser reads: there is no ${code('res.write()')} of ours to watch. With ${code('consumeStream()')} the model is read to its end regardless, and the part the browser has not read yet waits in memory: one answer at most.`;
}

/** §14: tests of the route and the hook as the library shapes them; no socket, backoff or instances of ours. */
export function sdkTesting(
  sdk: StreamSdkProfile,
  connections: string,
): {
  unitMd: string;
  integrationMd: string;
  load: { tool: string; lang: string; code: string; numbersMd: string };
} {
  const route = sdk.server ? code(sdk.server.file) : 'the chat route';
  return {
    unitMd: `the route's ${code('onError')}: a tool or model failure reaches the client as an ${code('error')} part with the text ${code('onError')} returns, never the raw provider message; no session → 401 before any stream.`,
    integrationMd: `${route}'s ${code('POST')} called with a ${code('Request')} and the model replaced by a mock from ${code(`${sdk.library}/test`)}: the response is the UI message stream (${code('start')} … ${code('finish')}), and the saved chat equals what the stream carried.`,
    load: {
      tool: 'k6',
      lang: 'js',
      code: '',
      numbersMd: `${connections} virtual users at once (the concurrent answers in Performance and scaling), each POSTing one chat and reading the stream to its end, against a preview deployment whose route uses a mock model (behind an environment flag only that deployment sets, streaming canned chunks at the real model's measured rate), so the test pays for no generation and meets no provider rate limit. Pass when every stream ends with a ${code('finish')} part and time to first byte (${code('http_req_waiting')}) p95, which against the mock is our route's share alone, stays within the time-to-first-token SLO less the real model's first-token time, measured separately with a few requests to the real provider outside the load run.`,
    },
  };
}

/**
 * The prefix that makes a framework inline an environment variable into the browser bundle
 * (nextjs.org/docs/app/guides/environment-variables: only `NEXT_PUBLIC_` variables reach the
 * browser; vite.dev/guide/env-and-mode: only `VITE_` ones are exposed to client code).
 */
const PUBLIC_ENV: Readonly<Record<string, string>> = { next: 'NEXT_PUBLIC_', vite: 'VITE_' };

function publicEnvPrefix(ctx: Pick<DesignCtx, 'input'>): string | null {
  const names = new Set([...ctx.input.analysis.stack.libraries, ...ctx.input.analysis.stack.frameworks].map((l) => l.name));
  return Object.entries(PUBLIC_ENV).find(([name]) => names.has(name))?.[1] ?? null;
}

/** §10: the hook's POST carries the whole chat and starts a paid generation; no frames or connections of ours. */
export function sdkSecurity(
  ctx: Pick<DesignCtx, 'input'>,
  sdk: StreamSdkProfile,
  validator: string | undefined,
): { label: string; valueMd: string; sourceMd: string }[] {
  const parser = validator ? `${code(validator)} (already a dependency)` : code('zod');
  const prefix = publicEnvPrefix(ctx);
  return [
    {
      label: 'Provider key',
      valueMd: `${code(sdk.serverCall)} runs in the route, on the server, and the model provider's key is read there from the server's environment: the browser calls only the route, never the provider${prefix ? `; never give the key a ${code(prefix)} name, which the framework inlines into the browser bundle` : ''}.${meetsMd(ctx, 'keyServerSide')}`,
      sourceMd: prefix ? `the framework's environment variables: only ${code(prefix)} ones reach the browser` : 'the key never leaves the server',
    },
    {
      label: 'Origin check',
      valueMd: `${code(sdk.hook)} POSTs from the same origin with the ${code('SameSite=Lax')} session cookie; the route rejects a foreign ${code('Origin')}`,
      sourceMd: "a cross-site POST would spend the user's generations",
    },
    {
      label: 'Request validation',
      valueMd: `the body's ${code('messages')} are whatever the browser sends, including past assistant turns: send only the last message (${code('prepareSendMessagesRequest')} of the transport), parse it with ${parser}, and load the history from the store`,
      sourceMd: `${sdk.label} message persistence`,
    },
    {
      label: 'Request size',
      valueMd: `with only the last message in the body, cap the POST body at 16 KiB; the whole chat in the body would grow with every turn`,
      sourceMd: 'the chat history lives in the store',
    },
    {
      label: 'Rate limit',
      valueMd: `per user on the POST, checked before ${code(sdk.serverCall)}: each request starts a paid generation; over the limit the route answers 429, which ${code(sdk.hook)} shows in ${code('error')}`,
      sourceMd: 'cost, not connection load',
    },
  ];
}
