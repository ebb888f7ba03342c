// AI responses streamed as start, chunk and end messages, with cancellation and
// resume after a drop. Chunks carry an index so a reconnecting client asks for what it
// missed instead of restarting the (paid) generation.
import { sequenceDiagram } from '../../diagrams/builders.js';
import type { NumberRequirement } from '../../types.js';
import { streamPath, type DesignCtx } from '../context.js';
import { code, fmt, text } from '../md.js';
import { cs, ev, f, send, serverFile, clientFile, type ScenarioModule } from './kit.js';
import { answerIsFetchRead, streamSdk } from '../profiles/ai-streams.js';
import { sdkEvents, sdkFlows, sdkResume, sdkRisks, sdkSteps, sdkSummary, sdkSync, sdkTests } from './ai-sdk.js';

/** Time to first token is its own target, not a delivery latency: where the context states one. */
export interface FirstTokenTarget {
  ms: number;
  sentence: string;
  evidence: string;
}

export function firstTokenTarget(ctx: Pick<DesignCtx, 'input'>): FirstTokenTarget | null {
  const r = ctx.input.sessions.requirements.find((q): q is NumberRequirement => q.kind === 'number' && q.metric === 'first-token');
  return r ? { ms: r.value, sentence: r.sentence, evidence: r.evidence } : null;
}

function ttftNote(ctx: DesignCtx): string {
  const t = firstTokenTarget(ctx);
  return t
    ? ` Time to first token (request received → first ${code('ai:chunk')} written) has its own target: ${fmt(t.ms)} ms from the context, measured apart from chunk delivery latency.`
    : '';
}

/** The resume buffer is per instance: say how a resume finds it. */
function affinity(): string {
  return `The resume buffer lives in the memory of the instance running the generation: route ${code('ai:resume')} by ${code('requestId')} to that instance (put ${code('requestId')} in the query string of both the POST and the resume request and hash on it at the load balancer), or keep chunks in a shared store (a Redis stream per request with a 30 s TTL) so any instance can serve a resume.`;
}

/** The explicit resume request over SSE: a fetch stream has no automatic reconnection or Last-Event-ID. */
function resumeUrl(ctx: DesignCtx): string {
  return `GET ${streamPath(ctx.layout)}?requestId=r1&fromIndex=18`;
}

export const aiStreaming: ScenarioModule = {
  id: 'ai-streaming',
  title: 'AI response streaming',
  features: ['ai-streaming'],
  words: ['ai', 'llm', 'stream', 'streaming', 'completion', 'completions', 'tokens', 'chatbot', 'gpt'],
  providers: [],
  corroboratedBy: [
    'openai',
    '@anthropic-ai/sdk',
    'ai',
    '@ai-sdk/openai',
    '@ai-sdk/anthropic',
    '@ai-sdk/google',
    '@ai-sdk/react',
    '@google/genai',
    '@google/generative-ai',
    '@mistralai/mistralai',
    'groq-sdk',
    'cohere-ai',
    'ollama',
    'langchain',
    '@langchain/core',
    '@langchain/openai',
  ],
  eventHint: /token|chunk|completion|stream/i,
  needs: { bidirectional: false, binary: false, media: false, rooms: false },
  defaults: {
    connections: 1_000,
    msgRate: 2_000,
    payloadBytes: 64,
    fanout: 1,
    why: 'one in ten users streaming at ~20 chunks/s, ~64-byte chunks, one recipient',
    reply: { perStream: 20, unit: 'chunks', paidUpstream: 'the LLM provider' },
    whyBy: {
      connections: '1,000 users connected at peak',
      msgRate: 'one in ten users streaming at ~20 chunks/s',
      payloadBytes: '~64-byte chunks',
      fanout: 'one recipient per chunk',
    },
  },
  resume: (ctx) => {
    const sdk = streamSdk(ctx);
    if (sdk) return sdkResume(sdk);
    return {
      event: 'ai:resume',
      cursor: 'fromIndex',
      mutation: 'ai:request',
      key: 'requestId',
      catchUpMd: answerIsFetchRead(ctx)
        ? `AI response streaming: the answer is read with ${code('fetch')} from the POST, which has no automatic reconnection, ${code('Last-Event-ID')} or ${code('retry:')}; after a drop the client waits a full-jitter backoff delay and sends ${code(resumeUrl(ctx).replace('r1', '<requestId>').replace('18', '<last index + 1>'))}, which replays the buffered chunks and continues live; past the 30 s buffer it answers ${code('STREAM_EXPIRED')} and the client loads the final message over HTTP.`
        : `AI response streaming: after a reconnect the client sends ${code('ai:resume')} with ${code('fromIndex')} = last index + 1; the server replays from the per-request buffer (kept 30 s after the end), else answers ${code('STREAM_EXPIRED')} and the client loads the final message over HTTP.`,
      optimisticMd: `AI response streaming: nothing is applied optimistically: the prompt shows as sent and the answer renders chunk by chunk; a retried ${code('ai:request')} with the same ${code('requestId')} attaches to the running generation instead of starting (and paying for) a second one.`,
      offlineMd:
        'AI response streaming: prompts are not queued offline (each starts a paid generation): sending is disabled until the connection is back, and a stream cut off by the drop is resumed as above.',
    };
  },
  summaryMd: (ctx) => {
    const ttft = firstTokenTarget(ctx);
    const sdk = streamSdk(ctx);
    if (sdk) return sdkSummary(sdk, ttft?.ms ?? null);
    const over = answerIsFetchRead(ctx) ? `SSE (a ${code('fetch')} POST that returns ${code('text/event-stream')})` : ctx.transport;
    return `Stream AI responses as ${code('ai:start')} → ${code('ai:chunk')}… → ${code('ai:end')} over ${over}, with cancellation and an explicit resume from the last chunk index after a drop${ttft ? `; first token within ${fmt(ttft.ms)} ms (context)` : ''}.`;
  },
  events: (ctx) => {
    const sdk = streamSdk(ctx);
    if (sdk) return sdkEvents(sdk);
    const ch = 'conversation/{conversationId}';
    return [
      ev(
        'ai:request',
        'client-to-server',
        ch,
        'Start a generation (over SSE: POST that returns the stream)',
        'AiRequestPayload',
        [f('requestId', 'string', 'client-generated UUID, idempotency key'), f('conversationId', 'string'), f('prompt', 'string')],
        [f('requestId', 'string'), f('accepted', 'boolean'), f('reason', 'string', undefined, true)],
      ),
      ev('ai:start', 'server-to-client', ch, 'Generation accepted and started', 'AiStartPayload', [f('requestId', 'string'), f('model', 'string')]),
      ev('ai:chunk', 'server-to-client', ch, 'One piece of output; index is dense from 0', 'AiChunkPayload', [
        f('requestId', 'string'),
        f('index', 'integer'),
        f('delta', 'string'),
      ]),
      ev('ai:end', 'server-to-client', ch, 'Generation finished', 'AiEndPayload', [
        f('requestId', 'string'),
        f('finishReason', "'stop' | 'length' | 'cancelled' | 'error'"),
        f('chunks', 'integer', 'total chunk count, lets the client detect loss'),
      ]),
      ev(
        'ai:cancel',
        'client-to-server',
        ch,
        answerIsFetchRead(ctx) ? 'Stop a running generation (over SSE: POST)' : 'Stop a running generation',
        'AiCancelPayload',
        [f('requestId', 'string')],
      ),
      ev(
        'ai:resume',
        'client-to-server',
        ch,
        answerIsFetchRead(ctx)
          ? `Re-attach after a drop and replay from an index (over SSE: GET ${streamPath(ctx.layout)}?requestId=…&fromIndex=…, read with fetch)`
          : 'Re-attach after a drop and replay from an index',
        'AiResumePayload',
        [f('requestId', 'string'), f('fromIndex', 'integer')],
      ),
    ];
  },
  flows: (ctx) => {
    const sdk = streamSdk(ctx);
    if (sdk) return sdkFlows(ctx, sdk);
    const parts = [...cs(ctx), { key: 'llm', label: 'LLM provider (streaming API)' }];
    const sse = answerIsFetchRead(ctx);
    return [
      {
        title: 'Stream an AI response',
        opens: 'ai:request',
        summaryMd: `The server relays provider tokens as ${code('ai:chunk')} with a dense ${code('index')}${sse ? ' (also the SSE `id:`, `requestId:index`, which the fetch reader keeps as its resume cursor)' : ''}; it keeps the chunks in a per-request buffer for resume.${ttftNote(ctx)}`,
        diagram: sequenceDiagram('Stream an AI response', {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'user', to: 'client', text: 'ask' },
            { kind: 'message', from: 'client', to: 'server', text: sse ? 'POST ai:request (requestId r1)' : send(ctx, 'ai:request', '(r1)') },
            { kind: 'message', from: 'server', to: 'llm', text: 'stream: true' },
            { kind: 'message', from: 'server', to: 'client', text: 'ai:start', style: 'async' },
            {
              kind: 'block',
              type: 'loop',
              label: 'each provider delta',
              steps: [
                { kind: 'message', from: 'llm', to: 'server', text: 'delta', style: 'async' },
                { kind: 'message', from: 'server', to: 'client', text: 'ai:chunk index n', style: 'async' },
              ],
            },
            { kind: 'message', from: 'server', to: 'client', text: 'ai:end finishReason stop', style: 'async' },
          ],
        }),
      },
      {
        title: 'Cancel and resume',
        opens: 'ai:cancel',
        summaryMd: `${code('ai:cancel')} aborts the provider call (AbortController) so no tokens are billed after it; ${code('ai:resume')}${sse ? ` (an explicit ${code('GET')} read with fetch: a fetch stream does not reconnect by itself)` : ''} replays buffered chunks from ${code('fromIndex')}.`,
        diagram: sequenceDiagram('Cancel and resume', {
          participants: parts,
          steps: [
            { kind: 'note', over: ['client', 'server'], text: 'connection drops after chunk 17' },
            { kind: 'note', over: ['client'], text: 'wait full-jitter backoff' },
            { kind: 'message', from: 'client', to: 'server', text: sse ? resumeUrl(ctx) : send(ctx, 'ai:resume', '(r1, fromIndex 18)') },
            {
              kind: 'block',
              type: 'alt',
              label: 'request still buffered',
              steps: [{ kind: 'message', from: 'server', to: 'client', text: 'ai:chunk 18..n then live chunks', style: 'async' }],
              else: [
                {
                  label: 'buffer expired',
                  steps: [{ kind: 'message', from: 'server', to: 'client', text: 'error STREAM_EXPIRED, fetch final message over HTTP', style: 'reply' }],
                },
              ],
            },
            { kind: 'message', from: 'user', to: 'client', text: 'stop' },
            { kind: 'message', from: 'client', to: 'server', text: sse ? 'POST ai:cancel (r1)' : send(ctx, 'ai:cancel', '(r1)') },
            { kind: 'message', from: 'server', to: 'llm', text: 'abort()' },
            { kind: 'message', from: 'server', to: 'client', text: 'ai:end finishReason cancelled', style: 'async' },
          ],
        }),
      },
    ];
  },
  sync: (ctx) =>
    streamSdk(ctx)
      ? sdkSync()
      : [
          {
            data: 'streamed AI output',
            strategy: 'Append-only by chunk index',
            whyMd: 'A single producer per request; the index is enough to dedupe and order, no merge needed.',
          },
        ],
  // A library-owned stream resumes from shared storage (resumable-stream), never from one instance's memory.
  affinity: (ctx) => (streamSdk(ctx) ? null : affinity()),
  slos: (ctx) => {
    const t = firstTokenTarget(ctx);
    return [
      {
        name: 'Time to first token p95',
        target: `< ${fmt(t?.ms ?? 1000)} ms`,
        sourceMd: t
          ? `context: "${text(t.sentence)}" (${code(t.evidence)}); measured as ${code('ai_stream_first_chunk_seconds')}, apart from delivery latency`
          : `assumption: the context states none; measured as ${code('ai_stream_first_chunk_seconds')}`,
      },
    ];
  },
  risks: (ctx) => {
    const sdk = streamSdk(ctx);
    if (sdk) return sdkRisks(ctx, sdk);
    return [
      {
        title: 'Resume lands on another instance',
        riskMd:
          'With more than one instance, a resume request can reach an instance that has no buffer for the request and answers `STREAM_EXPIRED` although the generation is still running.',
        mitigationMd: affinity(),
      },
      {
        title: 'Client disconnects mid-stream',
        riskMd: 'The provider keeps generating (and billing) for nobody.',
        mitigationMd: 'Keep generating for a 30 s grace window into the resume buffer; abort the provider call when nobody resumes.',
      },
      {
        title: 'Slow reader on a fast model',
        riskMd: 'Chunks pile up in the socket buffer and memory grows per connection.',
        mitigationMd: 'Coalesce chunks every 50 ms when the send buffer is above 64 KiB; the index still increases by one per message.',
      },
      {
        title: 'Duplicate request after a retry',
        riskMd: 'A retried `ai:request` starts a second paid generation.',
        mitigationMd: `Treat ${code('requestId')} as an idempotency key: a second request with the same id attaches to the running stream.`,
      },
    ];
  },
  tests: (ctx) => {
    const sdk = streamSdk(ctx);
    if (sdk) return sdkTests(sdk);
    return [
      'chunks arrive in index order and `ai:end.chunks` equals the number received',
      'drop the connection after chunk N: the explicit resume request with fromIndex N+1 yields N+1.. with no duplicates',
      '`ai:cancel` aborts the provider stub (the stub sees the abort signal)',
    ];
  },
  steps: (ctx) => {
    const sdk = streamSdk(ctx);
    if (sdk) return sdkSteps(ctx, sdk);
    return [
      {
        title: 'Streaming relay',
        files: [{ path: serverFile(ctx, 'ai-stream'), action: 'create', why: 'provider stream → start/chunk/end, resume buffer, abort on cancel' }],
        detailMd: 'One relay per `requestId`, buffer capped at 2,000 chunks or 30 s after the end.',
      },
      {
        title: 'Client stream hook',
        files: [{ path: clientFile(ctx, 'use-ai-stream'), action: 'create', why: 'append chunks by index, resume after reconnect, cancel' }],
        detailMd: 'Renders partial output; ignores chunks whose index it already has.',
      },
    ];
  },
  errors: [
    { code: 'STREAM_EXPIRED', when: 'resume after the buffer was dropped', clientMd: 'fetch the final message over HTTP' },
    { code: 'UPSTREAM_FAILED', when: 'the LLM provider errored or timed out', clientMd: 'show the partial answer with a retry button' },
  ],
  metrics: [
    { name: 'ai_stream_first_chunk_seconds', type: 'histogram', labels: 'model', whyMd: 'time to first token as the user sees it' },
    { name: 'ai_stream_resumes_total', type: 'counter', labels: 'result', whyMd: 'how often resume saves a generation' },
  ],
};
