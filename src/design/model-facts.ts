// What the project model says that Current state names beside the stack table: its facts
// (state kept in one process, a token read from the URL, options defined in another module…),
// each at its line, and the real-time code no adapter models, with the parts of this plan that
// are generic because of it. Pure: reads the Analysis only.
import type { Analysis } from '../types.js';
import { code, text } from './md.js';

/** A note with `code` spans made into inert Markdown: text outside them escaped, spans fenced. */
export function noteMd(note: string): string {
  return note
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? code(part) : text(part)))
    .join('');
}

export interface ModelFactsView {
  modelFacts: { evidence: string; noteMd: string }[];
  unmodelled: { name: string; evidence: string; genericMd: string }[];
}

export function modelFactsView(analysis: Analysis): ModelFactsView {
  // Server options are cited where the plan uses them (liveness, payload cap, backpressure, compression).
  const modelFacts = (analysis.modelFacts ?? []).filter((f) => f.kind !== 'server-option').map((f) => ({ evidence: f.evidence, noteMd: noteMd(f.note) }));
  const unmodelled = (analysis.unmodelled ?? []).map((u) => ({
    name: u.name,
    evidence: u.evidence,
    genericMd: `${code(u.name)} looks like real-time code${u.reason ? ` (${text(u.reason)})` : ''}, and rt-plan has no model of it. So these parts of this plan are generic for it: the heartbeat and reconnection rows above, the event list, and the audit, which stays silent rather than guess; the connection, scaling and testing advice is the general practice, not its own API or settings. Check them against its documentation.`,
  }));
  return { modelFacts, unmodelled };
}

/** The value of a heartbeat or reconnection row when none was found: unknown when something real-time is not modelled. */
export function noneFoundMd(analysis: Analysis): string {
  const names = (analysis.unmodelled ?? []).map((u) => code(u.name));
  return names.length > 0 ? `not known: ${names.join(', ')} is not modelled (see below)` : '**none found**';
}
