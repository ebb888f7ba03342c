// The shape of an audit rule. Rules are data: the text a finding carries, a public source, and
// a `detect` function over the analysed files that returns where the rule applies.
import type { Evidence, Finding, Severity, Stack } from '../../types.js';
import type { EntryHit } from '../code/entrypoints.js';
import type { RawEvent } from '../code/events.js';
import type { FileFacts } from '../code/facts.js';
import type { Resolve } from '../model/resolve.js';
import type { FileAnalysis } from '../code/scan.js';

export interface AuditContext {
  analyses: readonly FileAnalysis[];
  entries: readonly EntryHit[];
  rawEvents: readonly RawEvent[];
  stack: Stack;
  /** Every parsed module (candidates and the modules they import), when the model was built. */
  modules?: ReadonlyMap<string, FileFacts>;
  /** The model's import resolver, with `modules`. */
  resolve?: Resolve;
}

/** Facts of every parsed module, or of the analysed files when there is no model. */
export function allModules(ctx: AuditContext): FileFacts[] {
  return ctx.modules ? [...ctx.modules.values()] : ctx.analyses.map((a) => a.ctx.facts);
}

export interface RuleHit {
  evidence: Evidence;
  /** Specific message; it must never quote a secret's value. */
  message: string;
  /** A fix in the idiom of the library this hit was found in, where it differs from the rule's (a Pusher client event, not a Socket.IO handler). */
  fix?: string;
  /** Where the library's own design changes what the hit means (a Pusher-protocol server's anonymous handshake): its severity, why and source. */
  severity?: Severity;
  why?: string;
  source?: string;
  /** Other places the fix changes (a caller that must now await), for the implementation steps. */
  alsoAt?: Evidence[];
  /** Where clients read what the hit's message carries (`file:line`), for a fix made on each client. */
  readAt?: Evidence[];
  /** The event the hit is about, where the rule knows it: the client event whose handler it is in, or the event it emits. */
  event?: string;
  /** The HTTP request the hit is about (`POST /api/tools/…`). */
  route?: string;
  /** Where the route's one interpolated part is given the name of a provider's tool call (`runTool(event.name, …)`): the route takes one value per declared tool. */
  toolNameAt?: Evidence;
}

export interface AuditRule {
  id: string;
  severity: Severity;
  title: string;
  why: string;
  fix: string;
  /** Public documentation backing the rule. */
  source: string;
  detect: (ctx: AuditContext) => RuleHit[];
}

export type { Finding };

/** Lines of one signal across every analysed file, as evidence. */
export function signalEvidence(ctx: AuditContext, pick: (a: FileAnalysis) => readonly number[]): Evidence[] {
  return ctx.analyses.flatMap((a) => pick(a).map((l) => `${a.file}:${l}`));
}

export const at = (e: { file: string; line: number }): Evidence => `${e.file}:${e.line}`;
