// Seed 002: AI responses streamed as start, chunk and end messages, with cancellation and
// resume after a drop. Chunks carry an index so a reconnecting client asks for what it
// missed instead of restarting the (paid) generation.
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code } from '../md.js';
import { cs, ev, f, send, serverFile, clientFile, type ScenarioModule } from './kit.js';

export const aiStreaming: ScenarioModule = {
  id: 'ai-streaming',
  title: 'AI response streaming',
  features: ['ai-streaming'],
  words: ['ai', 'llm', 'stream', 'streaming', 'completion', 'completions', 'tokens', 'chatbot', 'gpt'],
  providers: [],
  eventHint: /token|chunk|completion|stream/i,
  needs: { bidirectional: false, binary: false, media: false, rooms: false },
  defaults: { connections: 1_000, msgRate: 2_000, payloadBytes: 64, fanout: 1, why: 'one in ten users streaming at ~20 chunks/s, ~64-byte chunks, one recipient' },
  resume: (ctx) => ({ event: ctx.transport === 'sse' ? 'Last-Event-ID' : 'ai:resume', cursor: ctx.transport === 'sse' ? 'requestId:index' : 'fromIndex', mutation: 'ai:request', key: 'requestId' }),
  summaryMd: (ctx) =>
    `Stream AI responses as ${code('ai:start')} → ${code('ai:chunk')}… → ${code('ai:end')} over ${ctx.transport === 'sse' ? 'SSE' : ctx.transport}, with cancellation and resume from the last chunk index after a drop.`,
  events: () => {
    const ch = 'conversation/{conversationId}';
    return [
      ev('ai:request', 'client-to-server', ch, 'Start a generation (over SSE: POST that returns the stream)', 'AiRequestPayload',
        [f('requestId', 'string', 'client-generated UUID, idempotency key'), f('conversationId', 'string'), f('prompt', 'string')],
        [f('requestId', 'string'), f('accepted', 'boolean'), f('reason', 'string', undefined, true)]),
      ev('ai:start', 'server-to-client', ch, 'Generation accepted and started', 'AiStartPayload',
        [f('requestId', 'string'), f('model', 'string')]),
      ev('ai:chunk', 'server-to-client', ch, 'One piece of output; index is dense from 0', 'AiChunkPayload',
        [f('requestId', 'string'), f('index', 'integer'), f('delta', 'string')]),
      ev('ai:end', 'server-to-client', ch, 'Generation finished', 'AiEndPayload',
        [f('requestId', 'string'), f('finishReason', "'stop' | 'length' | 'cancelled' | 'error'"), f('chunks', 'integer', 'total chunk count, lets the client detect loss')]),
      ev('ai:cancel', 'client-to-server', ch, 'Stop a running generation', 'AiCancelPayload', [f('requestId', 'string')]),
      ev('ai:resume', 'client-to-server', ch, 'Re-attach after a drop and replay from an index', 'AiResumePayload',
        [f('requestId', 'string'), f('fromIndex', 'integer')]),
    ];
  },
  flows: (ctx) => {
    const parts = [...cs(ctx), { key: 'llm', label: 'LLM provider (streaming API)' }];
    const sse = ctx.transport === 'sse';
    return [
      {
        title: 'Stream an AI response',
        summaryMd: `The server relays provider tokens as ${code('ai:chunk')} with a dense ${code('index')}${sse ? ' and an SSE `id:` of `requestId:index`' : ''}; it keeps the last chunks in a per-request buffer for resume.`,
        diagram: sequenceDiagram('Stream an AI response', {
          participants: parts,
          autonumber: true,
          steps: [
            { kind: 'message', from: 'user', to: 'client', text: 'ask' },
            { kind: 'message', from: 'client', to: 'server', text: sse ? 'POST ai:request (requestId r1)' : send(ctx, 'ai:request', '(r1)') },
            { kind: 'message', from: 'server', to: 'llm', text: 'stream: true' },
            { kind: 'message', from: 'server', to: 'client', text: 'ai:start', style: 'async' },
            { kind: 'block', type: 'loop', label: 'each provider delta', steps: [
              { kind: 'message', from: 'llm', to: 'server', text: 'delta', style: 'async' },
              { kind: 'message', from: 'server', to: 'client', text: 'ai:chunk index n', style: 'async' },
            ] },
            { kind: 'message', from: 'server', to: 'client', text: 'ai:end finishReason stop', style: 'async' },
          ],
        }),
      },
      {
        title: 'Cancel and resume',
        summaryMd: `${code('ai:cancel')} aborts the provider call (AbortController) so no tokens are billed after it; ${code('ai:resume')}${sse ? ' (or the `Last-Event-ID` header on reconnect)' : ''} replays buffered chunks from ${code('fromIndex')}.`,
        diagram: sequenceDiagram('Cancel and resume', {
          participants: parts,
          steps: [
            { kind: 'note', over: ['client', 'server'], text: 'connection drops after chunk 17' },
            { kind: 'message', from: 'client', to: 'server', text: sse ? 'reconnect, Last-Event-ID r1:17' : send(ctx, 'ai:resume', '(r1, fromIndex 18)') },
            { kind: 'block', type: 'alt', label: 'request still buffered', steps: [
              { kind: 'message', from: 'server', to: 'client', text: 'ai:chunk 18..n then live chunks', style: 'async' },
            ], else: [{ label: 'buffer expired', steps: [
              { kind: 'message', from: 'server', to: 'client', text: 'error STREAM_EXPIRED, fetch final message over HTTP', style: 'reply' },
            ] }] },
            { kind: 'message', from: 'user', to: 'client', text: 'stop' },
            { kind: 'message', from: 'client', to: 'server', text: sse ? 'POST ai:cancel (r1)' : send(ctx, 'ai:cancel', '(r1)') },
            { kind: 'message', from: 'server', to: 'llm', text: 'abort()' },
            { kind: 'message', from: 'server', to: 'client', text: 'ai:end finishReason cancelled', style: 'async' },
          ],
        }),
      },
    ];
  },
  sync: () => [
    { data: 'streamed AI output', strategy: 'Append-only by chunk index', whyMd: 'A single producer per request; the index is enough to dedupe and order, no merge needed.' },
  ],
  risks: () => [
    { title: 'Client disconnects mid-stream', riskMd: 'The provider keeps generating (and billing) for nobody.', mitigationMd: 'Keep generating for a 30 s grace window into the resume buffer; abort the provider call when nobody resumes.' },
    { title: 'Slow reader on a fast model', riskMd: 'Chunks pile up in the socket buffer and memory grows per connection.', mitigationMd: 'Coalesce chunks every 50 ms when the send buffer is above 64 KiB; the index still increases by one per message.' },
    { title: 'Duplicate request after a retry', riskMd: 'A retried `ai:request` starts a second paid generation.', mitigationMd: `Treat ${code('requestId')} as an idempotency key: a second request with the same id attaches to the running stream.` },
  ],
  tests: () => [
    'chunks arrive in index order and `ai:end.chunks` equals the number received',
    'drop the connection after chunk N: resume yields N+1.. with no duplicates',
    '`ai:cancel` aborts the provider stub (the stub sees the abort signal)',
  ],
  steps: (ctx) => [
    { title: 'Streaming relay', files: [{ path: serverFile(ctx, 'ai-stream'), action: 'create', why: 'provider stream → start/chunk/end, resume buffer, abort on cancel' }], detailMd: 'One relay per `requestId`, buffer capped at 2,000 chunks or 30 s after the end.' },
    { title: 'Client stream hook', files: [{ path: clientFile(ctx, 'use-ai-stream'), action: 'create', why: 'append chunks by index, resume after reconnect, cancel' }], detailMd: 'Renders partial output; ignores chunks whose index it already has.' },
  ],
  errors: [
    { code: 'STREAM_EXPIRED', when: 'resume after the buffer was dropped', clientMd: 'fetch the final message over HTTP' },
    { code: 'UPSTREAM_FAILED', when: 'the LLM provider errored or timed out', clientMd: 'show the partial answer with a retry button' },
  ],
  metrics: [
    { name: 'ai_stream_first_chunk_seconds', type: 'histogram', labels: 'model', whyMd: 'time to first token as the user sees it' },
    { name: 'ai_stream_resumes_total', type: 'counter', labels: 'result', whyMd: 'how often resume saves a generation' },
  ],
};
