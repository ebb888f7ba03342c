// The Anthropic API call: the SDK loads only here, only with --llm. The SDK retries 408,
// 409, 429 and 5xx (529 included) and timeouts twice itself; what still fails is classified
// for the command: the credential was refused, the service stayed unavailable, or the
// request itself was rejected. A tool answer that breaks the schema gets one repair request.
import { describeError } from '../errors.js';
import { REVIEW_TOOL } from './request.js';
import { validateReview, type ReviewInput } from './schema.js';

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export type CallResult = { ok: true; review: ReviewInput; model: string; usage: Usage } | { ok: false; problems: string[]; usage: Usage };

export type FailureKind = 'auth' | 'unavailable' | 'rejected';

export class LlmCallError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface ClientSettings {
  apiKey: string;
  baseURL: string;
  timeoutMs: number;
}

interface Message {
  model: string;
  content: { type: string; id?: string; name?: string; input?: unknown }[];
  usage?: { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null };
}

function classify(error: unknown): LlmCallError {
  const e = error as { status?: unknown; apiMessage?: unknown; name?: string };
  const status = typeof e.status === 'number' ? e.status : null;
  const apiMessage = typeof e.apiMessage === 'string' && e.apiMessage ? e.apiMessage : describeError(error);
  if (status === 401 || status === 403) return new LlmCallError('auth', apiMessage, status);
  if (status === null || status === 408 || status === 409 || status === 429 || status >= 500) {
    const what = status === null ? (/timeout/i.test(e.name ?? '') ? 'the request timed out' : apiMessage) : `HTTP ${status}: ${apiMessage}`;
    return new LlmCallError('unavailable', what, status);
  }
  return new LlmCallError('rejected', `HTTP ${status}: ${apiMessage}`, status);
}

const add = (u: Usage, m: Message): Usage => ({
  input: u.input + (m.usage?.input_tokens ?? 0),
  output: u.output + (m.usage?.output_tokens ?? 0),
  cacheRead: u.cacheRead + (m.usage?.cache_read_input_tokens ?? 0),
  cacheWrite: u.cacheWrite + (m.usage?.cache_creation_input_tokens ?? 0),
});

function toolUse(message: Message): { id: string; input: unknown } | null {
  const block = message.content.find((b) => b.type === 'tool_use' && b.name === REVIEW_TOOL);
  return block ? { id: block.id ?? 'toolu_missing', input: block.input } : null;
}

/** Send the review request; one repair request when the tool input breaks the schema. */
export async function requestReview(body: Record<string, unknown>, settings: ClientSettings): Promise<CallResult> {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({ apiKey: settings.apiKey, baseURL: settings.baseURL, timeout: settings.timeoutMs });
  const send = async (b: Record<string, unknown>): Promise<Message> => {
    try {
      return (await client.messages.create(b as never)) as unknown as Message;
    } catch (error) {
      throw classify(error);
    }
  };
  let usage: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  const first = await send(body);
  usage = add(usage, first);
  const use = toolUse(first);
  const checked = use ? validateReview(use.input) : { ok: false as const, problems: [`no ${REVIEW_TOOL} tool call in the answer`] };
  if (checked.ok) return { ok: true, review: checked.review, model: first.model, usage };

  const messages = body.messages as unknown[];
  const repair = {
    ...body,
    messages: [
      ...messages,
      { role: 'assistant', content: first.content },
      {
        role: 'user',
        content: use
          ? [
              {
                type: 'tool_result',
                tool_use_id: use.id,
                is_error: true,
                content: `The input does not match the schema: ${checked.problems.join('; ')}. Call ${REVIEW_TOOL} again with a corrected input.`,
              },
            ]
          : [{ type: 'text', text: `Answer by calling ${REVIEW_TOOL}.` }],
      },
    ],
  };
  const second = await send(repair);
  usage = add(usage, second);
  const again = toolUse(second);
  const rechecked = again ? validateReview(again.input) : { ok: false as const, problems: [`no ${REVIEW_TOOL} tool call in the repaired answer`] };
  if (rechecked.ok) return { ok: true, review: rechecked.review, model: second.model, usage };
  return { ok: false, problems: rechecked.problems, usage };
}
