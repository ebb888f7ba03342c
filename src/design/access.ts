// Who may reach a channel, as the code decides it today: the refusals and grants of the route
// that mints real-time credentials, and the tests a stream handler sends through
// (analyze/model/channel-access.ts), with the connection's authentication where no refusal
// shows it. Security's per-channel rules say this instead of assuming "any authenticated user".
import type { ModelFact } from '../types.js';
import type { DesignCtx } from './context.js';
import { authMd, code, list } from './md.js';

const KINDS = new Set<ModelFact['kind']>(['access-refusal', 'channel-grant', 'delivery-filter']);
const fileOf = (f: ModelFact): string => f.evidence.replace(/:\d+$/, '');
const lineOf = (f: ModelFact): number => Number(/:(\d+)$/.exec(f.evidence)?.[1] ?? 0);
/** Code as written, in a table cell: a `||` must not end the cell. */
const cell = (s: string): string => code(s).replace(/\|/g, '\\|');

function clause(f: ModelFact): string {
  const at = `(${code(f.evidence)})`;
  if (f.kind === 'access-refusal') return f.name ? `answers ${f.value} when ${cell(f.name)} ${at}` : `answers ${f.value} to any other request ${at}`;
  if (f.kind === 'delivery-filter') return `sends an event to the connection only when ${cell(f.name)} ${at}`;
  const ops = (f.value ?? '').split(', ').filter((o) => o.length > 0);
  const target = f.name ? cell(f.name) : 'no named channel';
  const what = ops.length > 0 ? `grants ${list(ops.map((o) => code(o)))} on ${target}` : `signs ${target}`;
  const named = f.fromRequest ? ' (a name the client sends)' : '';
  const when = f.condition ? ` when ${cell(f.condition)}` : '';
  const open = f.fromRequest && !f.checked && !f.condition ? '; nothing in that route refuses a name the user may not use' : '';
  return `${what}${named}${when} ${at}${open}`;
}

/** What the code enforces about who reaches which channel, or null when it shows nothing. */
export function codeAccessMd(ctx: Pick<DesignCtx, 'input'>): string | null {
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => KINDS.has(f.kind));
  if (facts.length === 0) return null;
  const files = [...new Set(facts.map(fileOf))];
  const parts = files.map((file) => {
    const fs = facts.filter((f) => fileOf(f) === file).sort((a, b) => lineOf(a) - lineOf(b));
    const route = fs.find((f) => f.route)?.route;
    return `${route ? code(route) : `the route in ${code(file)}`} ${list(fs.map(clause))}`;
  });
  // A refusal with 401 shows the authentication; otherwise the connection's own, where the analysis found it.
  const auth = facts.some((f) => f.kind === 'access-refusal' && f.value === '401')
    ? undefined
    : ctx.input.analysis.stack.auth.find((a) => a.evidence && a.kind !== 'none' && a.kind !== 'api-key-in-client' && a.kind !== 'ephemeral-token');
  const authClause = auth ? `${authMd(auth.kind)} authenticates the connection (${code(auth.evidence!)}); ` : '';
  return `${authClause}${parts.join('; ')}`;
}
