// The Vercel AI SDK: a route that returns `streamText(...).toUIMessageStreamResponse()` (or the
// v4 `toDataStreamResponse`) streams the answer over SSE; `useChat` reads it in the browser.
// https://ai-sdk.dev/docs/ai-sdk-ui/chatbot · https://ai-sdk.dev/docs/reference/ai-sdk-core/stream-text
import type { EntryHit } from '../../code/entrypoints.js';
import { importedName } from '../../code/file-context.js';
import { type Adapter, usesAny } from './types.js';

const SERVER = ['ai'];
const CLIENT = ['@ai-sdk/react', 'ai/react', '@ai-sdk/vue', '@ai-sdk/svelte'];
export const STREAM_RESPONSE =
  /^(toUIMessageStreamResponse|toDataStreamResponse|toTextStreamResponse|pipeUIMessageStreamToResponse|pipeDataStreamToResponse|toAIStreamResponse)$/;

export const AI_SDK_ADAPTER: Adapter = {
  name: 'vercel-ai-sdk',
  modules: [...SERVER, ...CLIENT],
  applies: (ctx) => usesAny(ctx, [...SERVER, ...CLIENT]) || [...ctx.facts.imports].some((i) => CLIENT.includes(i.source)),
  entries: (ctx) => {
    const out: EntryHit[] = [];
    if (ctx.sources.has('ai') && ctx.facts.calls.some((c) => c.method === 'streamText' || c.method === 'streamObject')) {
      for (const c of ctx.facts.calls.filter((x) => STREAM_RESPONSE.test(x.method))) {
        out.push({ file: ctx.file, line: c.line, kind: 'sse-endpoint', side: 'server', transport: 'sse', provider: null, call: c });
      }
    }
    for (const c of ctx.facts.calls) {
      const imp = importedName(ctx, c.path);
      const from = ctx.locals.get(c.root)?.source ?? '';
      const fromClient = CLIENT.some((m) => from === m || ctx.facts.imports.some((i) => i.source === m && i.locals.some((l) => l.local === c.root)));
      if (fromClient && (imp === 'useChat' || imp === 'useCompletion' || imp === 'useObject' || imp === 'experimental_useObject')) {
        out.push({ file: ctx.file, line: c.line, kind: 'sse-client', side: 'client', transport: 'sse', provider: null, call: c });
      }
    }
    return out;
  },
};
