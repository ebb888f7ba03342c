// AI response streaming for a project already on a library that owns the stream (the AI SDK's
// useChat + streamText): its wire format and hook stay; the plan adds what the library leaves to
// the app. What the library is and where the project uses it come from profiles/ai-streams.ts.
import { sequenceDiagram } from '../../diagrams/builders.js';
import type { EventSpec } from '../../types.js';
import { dirOf, join, type DesignCtx } from '../context.js';
import type { NumberRequirement } from '../../types.js';
import { contextStates, meetsMd, quoteOf } from '../constraints.js';
import { code, fmt } from '../md.js';
import type { StreamSdkProfile } from '../profiles/ai-streams.js';
import { where } from '../profiles/ai-streams.js';
import type { EdgeCase, Flow } from '../types.js';
import { cs, f, type ResumeSpec, type StepDraft } from './kit.js';

const RESUME_PATH = (sdk: StreamSdkProfile) => `${sdk.server ? apiPath(sdk.server.file) : '/api/chat'}/{id}/stream`;

/** `app/api/chat/route.ts` → `/api/chat`. */
function apiPath(file: string): string {
  const m = /(?:^|\/)app(\/.*)\/route\.[cm]?[jt]sx?$/.exec(file);
  return m ? m[1]!.replace(/\/\([^)]*\)/g, '') : '/api/chat';
}

/** The resume route lives next to the route that streams: `app/api/chat/[id]/stream/route.ts`. */
function resumeRoute(ctx: DesignCtx, sdk: StreamSdkProfile): string {
  const dir = sdk.server ? dirOf(sdk.server.file) : 'app/api/chat';
  return join(dir, `[id]/stream/route.${ctx.layout.ext}`);
}

/** Server modules go where the project keeps its own (the folder of its other server-side modules). */
function storeFile(ctx: DesignCtx): string {
  return `${dirOf(ctx.layout.realtimeDir)}/chat-store.${ctx.layout.ext}`.replace(/^\//, '');
}

export function sdkSummary(sdk: StreamSdkProfile, ttftMs: number | null): string {
  return `Keep ${code(sdk.hook)}${where(sdk.client)} and the ${code(sdk.serverCall)} route${where(sdk.server)}: answers stay the ${sdk.label}'s UI message stream. Add what the route lacks: ${code('result.consumeStream()')} so a generation finishes on the server when the browser goes away, the chat saved in ${code('onFinish')} of ${code('toUIMessageStreamResponse({ originalMessages })')} and loaded on reload, then resumption of a running answer (${code('resume: true')} with ${code('resumable-stream')})${ttftMs ? `; first token within ${fmt(ttftMs)} ms (context)` : ''}.`;
}

export function sdkResume(sdk: StreamSdkProfile): ResumeSpec {
  return {
    event: 'resume',
    cursor: 'chat id',
    mutation: 'sendMessage',
    key: 'message id',
    catchUpMd: `AI response streaming: a reload loads the saved chat (the answer ${code('onFinish')} stored); with ${code('resume: true')}, ${code(sdk.hook)} also sends ${code(`GET ${RESUME_PATH(sdk)}`)} on mount, which replays the running answer from ${code('resumable-stream')} or answers 204 when none runs.`,
    optimisticMd: `AI response streaming: ${code(sdk.hook)} shows the prompt at once and the answer part by part; nothing else is applied optimistically.`,
    offlineMd:
      'AI response streaming: prompts are not queued offline (each starts a paid generation); the answer of a cut stream is on the server and shows after a reload.',
    catchUpLabel: 'Loading the saved chat',
  };
}

export function sdkSync(): { data: string; strategy: string; whyMd: string }[] {
  return [
    {
      data: 'chat messages',
      strategy: 'Saved whole once per answer in onFinish; the store is what a reload shows',
      whyMd: 'One writer per answer (the route); the message id from `originalMessages` keeps the saved and the shown message the same.',
    },
  ];
}

export function sdkEvents(sdk: StreamSdkProfile): EventSpec[] {
  const ch = 'chat/{id}';
  const at = (p: { file: string; line: number } | null) => (p ? `${p.file}:${p.line}` : null);
  const out: EventSpec[] = [
    {
      name: 'sendMessage',
      direction: 'client-to-server',
      origin: 'existing',
      evidence: at(sdk.client),
      // The body as this plan sends it (Security, the client step): the chat id and the last message only.
      summary: `${sdk.hook} POSTs the whole chat today (messages); this plan's transport sends only the chat id and the last message (see Security); the response is the stream below`,
      payloadType: 'ChatRequest',
      payload: [f('id', 'string', 'chat id'), f('message', 'UIMessage', 'the last message only; the route loads the rest from the store')],
      channel: ch,
    },
    ...sdk.parts.map(
      (p): EventSpec => ({
        name: p.name,
        direction: 'server-to-client',
        origin: 'existing',
        evidence: at(sdk.server),
        summary: `${sdk.label} UI message stream part: ${p.summary}`,
        payloadType: 'UIMessageChunk',
        payload: [f('type', `'${p.name}'`)],
        channel: ch,
      }),
    ),
    {
      name: 'resume',
      direction: 'client-to-server',
      origin: 'proposed',
      evidence: null,
      summary: `GET ${RESUME_PATH(sdk)}, sent by ${sdk.hook} with resume: true; 204 when no answer is running`,
      payloadType: 'ResumeRequest',
      payload: [f('id', 'string', 'chat id')],
      channel: ch,
    },
  ];
  return out;
}

export function sdkFlows(ctx: DesignCtx, sdk: StreamSdkProfile): Flow[] {
  const parts = [...cs(ctx), { key: 'llm', label: 'LLM provider (streaming API)' }, { key: 'store', label: 'Chat store (proposed)' }];
  return [
    {
      title: 'An answer that outlives its reader',
      summaryMd: `${code('consumeStream()')} reads the generation to its end on the server even after the browser is gone, so ${code('onFinish')} saves the whole answer once; the next page load shows it from the store instead of paying for it again.`,
      diagram: sequenceDiagram('An answer that outlives its reader', {
        participants: parts,
        autonumber: true,
        steps: [
          { kind: 'message', from: 'user', to: 'client', text: 'ask' },
          { kind: 'message', from: 'client', to: 'server', text: `POST chat (sendMessage)` },
          { kind: 'message', from: 'server', to: 'llm', text: `${sdk.serverCall}` },
          { kind: 'message', from: 'server', to: 'client', text: 'start, text-delta…', style: 'async' },
          { kind: 'note', over: ['client', 'server'], text: 'phone switches app: the response is cut' },
          { kind: 'message', from: 'llm', to: 'server', text: 'rest of the answer (consumeStream keeps reading)', style: 'async' },
          { kind: 'message', from: 'server', to: 'store', text: 'onFinish: save messages' },
          { kind: 'message', from: 'user', to: 'client', text: 'comes back, reloads' },
          { kind: 'message', from: 'client', to: 'server', text: 'load the chat' },
          { kind: 'message', from: 'store', to: 'server', text: 'saved messages', style: 'reply' },
          { kind: 'message', from: 'server', to: 'client', text: 'whole answer, not regenerated', style: 'reply' },
        ],
      }),
    },
  ];
}

export function sdkRisks(ctx: DesignCtx, sdk: StreamSdkProfile): EdgeCase[] {
  const out: EdgeCase[] = [
    {
      title: 'Resume lands in another function invocation',
      riskMd: 'The GET that resumes runs in a different invocation from the POST that streams; invocations share no memory.',
      mitigationMd: `${code('consumeSseStream')} hands the outgoing stream to ${code('resumable-stream')}, which keeps it in Redis under a stream id saved with the chat; the resume route reads it from there, so which invocation serves the GET does not matter.`,
    },
    {
      title: 'Browser leaves mid-answer',
      riskMd: 'Without a reader the generation stops and nothing is saved, although the tokens so far are paid for.',
      mitigationMd: `${code('result.consumeStream()')} (not awaited) before returning the response; ${code('onFinish')} saves once, with ${code('isAborted')} telling a cut answer from a finished one.${meetsMd(ctx, 'savedForReload')}`,
    },
    {
      title: 'Duplicate answer after a retry',
      riskMd: 'Sending the chat again after a cut stream starts a second paid generation for the same question.',
      mitigationMd: `Reload the saved chat before offering a retry: when the last message is an assistant message that ${code('onFinish')} stored, show it; pass ${code('originalMessages')} so the saved message keeps the id the client already shows.${noRegenerateMd(ctx)}`,
    },
  ];
  if (sdk.resumeBreaksStop)
    out.push({
      title: `Stop and resume in ${sdk.label} ${sdk.major}`,
      riskMd: `In ${sdk.label} ${sdk.major}, ${code('resume: true')} is not compatible with aborting: ${code('stop()')}, a reload or a closed tab aborts the request and breaks the resumption.`,
      mitigationMd: `Ship persistence first (it is what the reload case needs); add ${code('resume: true')} only once a stop no longer relies on aborting the request, or after moving to a major whose resume treats an abort as a disconnect.`,
    });
  return out;
}

/** The context's must-not against paying for an answer twice; a money cap on the same line is not priced here. */
function noRegenerateMd(ctx: DesignCtx): string {
  const r = contextStates(ctx, 'noRegenerate');
  if (!r) return '';
  const money = ctx.input.sessions.requirements.some((x) => x.kind === 'number' && x.unit === 'currency/month' && x.evidence === r.evidence);
  return ` This and ${code('consumeStream()')} are how the plan meets ${quoteOf(r)}${money ? "; the monthly cap itself is not checked here: that needs the model's token prices, which neither the code nor the context gives" : ''}.`;
}

/** "history per user, last 50 conversations": the retention the store keeps, with its noun. */
function keptMd(ctx: DesignCtx): string {
  const kept = ctx.input.sessions.requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'budget' && r.unit === 'items kept');
  if (!kept) return "keeps each user's last conversations";
  const noun = /\b(?:last|latest|keep(?: the)?|up to)\s+[\d,.]+\s+(\w+)/i.exec(kept.sentence)?.[1] ?? 'items';
  return `keeps each user's last ${fmt(kept.value)} ${noun} and deletes the oldest when a newer one is saved, as the context requires: ${quoteOf(kept)}`;
}

/** Resumption against what the context says of it, and of an extra service the Redis would be. */
function resumeMd(ctx: DesignCtx): string {
  const asked = contextStates(ctx, 'resumeRunning');
  const noServer = contextStates(ctx, 'ownServer');
  return `${asked ? ` This step is how the plan meets ${quoteOf(asked)}.` : ''}${noServer ? ` The Redis is a hosted store, not a server of ours; if the team counts it as a service the context rules out (${quoteOf(noServer)}), leave this step out.` : ''}`;
}

export function sdkTests(sdk: StreamSdkProfile): string[] {
  return [
    `a reader that cancels after the first ${code('text-delta')} still gets ${code('onFinish')} with the whole answer saved (mock model from ${code(`${sdk.library}/test`)})`,
    `a reload after ${code('onFinish')} shows the saved answer and starts no second generation`,
    `the resume route answers 204 when the chat has no running stream`,
  ];
}

export function sdkSteps(ctx: DesignCtx, sdk: StreamSdkProfile): StepDraft[] {
  const route = sdk.server?.file ?? 'app/api/chat/route.ts';
  const line = sdk.server ? ` (line ${sdk.server.line})` : '';
  const store = storeFile(ctx);
  const fixed = ctx.input.analysis.findings.filter((x) => sdk.fixes.includes(x.id) && x.evidence.startsWith(`${route}:`));
  const fixes = fixed.length > 0 ? `; fixes ${fixed.map((x) => code(x.id)).join(', ')}` : '';
  const steps: StepDraft[] = [
    {
      title: 'Finish and save every answer on the server',
      ourServer: true,
      files: [
        {
          path: route,
          action: 'change',
          why: `read only the new ${code('message')} and the chat ${code('id')} from the body (the client sends just the last message, see Security), load the saved chat with ${code('loadChat(id, userId)')} and append it: that list goes to ${code('streamText')} (through ${code('convertToModelMessages')}) and back as ${code('originalMessages')}; call ${code('result.consumeStream()')} before returning${line}; return ${code('toUIMessageStreamResponse({ originalMessages, onFinish: ({ messages, isAborted }) => saveChat(…) })')}${fixes}`,

          ...(sdk.server ? { lines: [String(sdk.server.line)] } : {}),
        },
        {
          path: store,
          action: 'create',
          why: `${code('loadChat(id, userId)')}, ${code('saveChat(id, userId, messages)')}; ${keptMd(ctx)}`,
        },
      ],
      detailMd: `${code('onFinish')} runs once per answer, after the last part; the chat id comes from the request body that ${code(sdk.hook)} sends.`,
    },
  ];
  if (sdk.client)
    steps.push({
      title: `Load the saved chat into ${sdk.hook}`,
      files: [
        {
          path: sdk.client.file,
          action: 'change',
          why: `${code(`${sdk.hook}({ id, messages: savedMessages, transport })`)}: the chat id and what the store returned, with the transport's ${code('prepareSendMessagesRequest')} sending only ${code('{ id, message: messages.at(-1) }')}`,
        },
      ],
      detailMd: 'The page loads the chat on the server and passes it down, so a reload shows the finished answer.',
    });
  steps.push({
    title: 'Resume a running answer (after persistence)',
    ourServer: true,
    files: [
      {
        path: route,
        action: 'change',
        why: `${code('consumeSseStream')}: ${code('createNewResumableStream(streamId, () => stream)')}, and save ${code('streamId')} as the chat's active stream`,
      },
      { path: resumeRoute(ctx, sdk), action: 'create', why: `GET: ${code('resumeExistingStream(activeStreamId)')}, or 204 when none runs` },
      ...(sdk.client ? [{ path: sdk.client.file, action: 'change' as const, why: `${code('resume: true')}` }] : []),
    ],
    detailMd: `${code('resumable-stream')} needs a Redis (for example from the Vercel Marketplace); without it, persistence alone still covers the reload case.${resumeMd(ctx)}`,
  });
  return steps;
}
