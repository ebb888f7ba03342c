// Rules for voice-provider sessions opened with the provider's SDK: a Gemini Live session that
// handles tool calls but declares no tools in its setup, and tool calls mapped without the id
// the provider needs in the answer.
// Gemini Live takes its tools only in the session's setup (`config.tools` of `ai.live.connect`),
// and every function call it sends must be answered by id (`session.sendToolResponse({
// functionResponses: [{ id, name, response }] })`) before the model goes on with that turn.
// https://ai.google.dev/gemini-api/docs/live-tools
// https://googleapis.github.io/js-genai/release_docs/classes/live.Session.html
import type { ArgInfo } from '../code/ast.js';
import type { FileAnalysis } from '../code/scan.js';
import { PROVIDER_PROTOCOLS } from '../model/provider-protocols.js';
import type { AuditRule, RuleHit } from './types.js';

const speaksGemini = (a: FileAnalysis): boolean => PROVIDER_PROTOCOLS.some((p) => p.name === 'gemini-live' && p.speaks(a));
/** The file reads the function calls of a Gemini `toolCall` message. */
const readsToolCalls = (a: FileAnalysis): number | null =>
  a.ctx.facts.members.find((m) => /(^|\.)toolCall(\.|$)/.test(m.path) || /(^|\.)functionCalls$/.test(m.path))?.line ?? null;

/**
 * `ai.live.connect({ config: { … } })` written inline with no `tools`: what the call shows is
 * all the session declares. A config built elsewhere, or spread from another object, is not
 * judged.
 */
function undeclaredTools(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.filter(speaksGemini).flatMap((a) => {
    const handled = readsToolCalls(a);
    if (handled === null) return [];
    return a.ctx.facts.calls
      .filter((c) => /(^|\.)live\.connect$/.test(c.path))
      .flatMap((c) => {
        const config = c.args[0]?.kind === 'object' && !c.args[0].spreads?.length ? c.args[0].props?.config : undefined;
        if (config?.kind !== 'object' || config.spreads?.length || config.props?.tools) return [];
        return [
          {
            evidence: `${a.file}:${c.line}`,
            message: `The Live session is opened with a \`config\` that declares no \`tools\`, yet line ${handled} handles its tool calls: the model is never offered a function, so it never calls one`,
          },
        ];
      });
  });
}

/** The parameter of a callback that walks `….functionCalls` (`forEach((c) => …)`), with its lines. */
function callParams(a: FileAnalysis): { param: string; from: number; to: number }[] {
  return a.ctx.facts.calls.flatMap((c) => {
    if (!/(^|\.)functionCalls\.(forEach|map|flatMap|filter)$/.test(c.path)) return [];
    const fn = c.args.find((x): x is ArgInfo => x.kind === 'function');
    const param = fn?.params?.[0];
    return param && fn.endLine !== undefined ? [{ param, from: c.line, to: fn.endLine }] : [];
  });
}

/** A callback that copies a call's `name` into an object of its own but never reads its `id`. */
function droppedIds(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.filter(speaksGemini).flatMap((a) =>
    callParams(a).flatMap(({ param, from, to }) => {
      const within = (line: number): boolean => line >= from && line <= to;
      if (a.ctx.facts.members.some((m) => within(m.line) && m.path === `${param}.id`)) return [];
      // The whole call handed on (`onToolCall(c)`) keeps its id.
      if (a.ctx.facts.calls.some((c) => within(c.line) && c.args.some((x) => x.kind === 'ident' && x.path === param))) return [];
      const copy = a.ctx.facts.calls.find(
        (c) =>
          within(c.line) &&
          c.args.some((x) => x.kind === 'object' && Object.values(x.props ?? {}).some((v) => v.kind === 'member' && v.path === `${param}.name`)),
      );
      if (!copy) return [];
      return [
        {
          evidence: `${a.file}:${copy.line}`,
          message: `Each function call is passed on as a new object with its \`name\` but without its \`id\`: nothing downstream can answer the call with \`sendToolResponse\`, which matches responses to calls by id`,
        },
      ];
    }),
  );
}

export const VOICE_RULES: readonly AuditRule[] = [
  {
    id: 'live-tools-not-declared',
    severity: 'high',
    title: 'Tool calls handled but no tools declared',
    why: 'Gemini Live offers the model only the functions listed in the session setup (`config.tools`); with none listed, the model answers in speech and never sends a `toolCall`, so the tool-handling code never runs.',
    fix: 'Declare each function the app handles in `config.tools` of `ai.live.connect`: `tools: [{ functionDeclarations: [{ name, description, parameters }] }]`, with a parameters schema per function.',
    source: 'https://ai.google.dev/gemini-api/docs/live-tools',
    detect: (ctx) => undeclaredTools(ctx.analyses),
  },
  {
    id: 'tool-call-id-dropped',
    severity: 'high',
    title: 'Tool call id dropped',
    why: 'Gemini Live waits for a `functionResponses` entry for each function call, matched by the call `id`; a call mapped without its id cannot be answered, so the model keeps waiting on that turn.',
    fix: 'Keep `id` with `name` and `args`, and answer every call, approved or not, with `session.sendToolResponse({ functionResponses: [{ id, name, response }] })`.',
    source: 'https://ai.google.dev/gemini-api/docs/live-tools',
    detect: (ctx) => droppedIds(ctx.analyses),
  },
];
