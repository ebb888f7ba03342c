// Who may reach a channel, as the code decides it today: the refusals and grants of the route
// that mints real-time credentials, and the tests a stream handler sends through
// (analyze/model/channel-access.ts), with the connection's authentication where no refusal
// shows it. Security's per-channel rules say this instead of assuming "any authenticated user".
import type { ModelFact } from '../types.js';
import type { DesignCtx } from './context.js';
import { authMd, code, list } from './md.js';

const KINDS = new Set<ModelFact['kind']>(['access-refusal', 'channel-grant', 'delivery-filter', 'connection-check']);
const fileOf = (f: ModelFact): string => f.evidence.replace(/:\d+$/, '');
const lineOf = (f: ModelFact): number => Number(/:(\d+)$/.exec(f.evidence)?.[1] ?? 0);
/** Code as written, in a table cell: a `||` must not end the cell. */
const cell = (s: string): string => code(s).replace(/\|/g, '\\|');

function clause(f: ModelFact): string {
  const at = `(${code(f.evidence)})`;
  if (f.kind === 'access-refusal') return f.name ? `answers ${f.value} when ${cell(f.name)} ${at}` : `answers ${f.value} to any other request ${at}`;
  if (f.kind === 'delivery-filter') return `sends an event to the connection only when ${cell(f.name)} ${at}`;
  if (f.kind === 'connection-check') return `${checkClause(f, false)} ${at}`;
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
  // A check in an event's handler is said on that event's channel (eventChecksMd); a route's check here.
  const facts = (ctx.input.analysis.modelFacts ?? []).filter((f) => KINDS.has(f.kind) && (f.kind !== 'connection-check' || f.name === ''));
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

/** A check a server handler makes of the connection (model/role-checks.ts), per event; route checks have no event. */
export function connectionChecks(ctx: Pick<DesignCtx, 'input'>): ModelFact[] {
  return (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'connection-check' && f.name !== '');
}

/** What the check does, without the events: "run only when `ws.role === 'teacher'`". */
function checkClause(f: ModelFact, many: boolean): string {
  const s = many ? '' : 's';
  const guard = f.condition && f.checkedAt ? `, which ${f.store === 'assert' ? 'refuses when' : 'returns'} ${cell(f.condition)} (${code(f.checkedAt)})` : '';
  if (f.store === 'guard') {
    // A guard class in front of the handler (a Nest `@UseGuards`), with the role metadata it carries.
    const meta = f.decorator ? `${cell(f.decorator)}${f.decoratorAt ? ` (${code(f.decoratorAt)})` : ''}` : '';
    if (!f.value) return `carr${many ? 'y' : 'ies'} ${meta}, and rt-plan reads no guard on ${many ? 'them' : 'it'} that checks it`;
    const what =
      f.condition && f.checkedAt
        ? `, which ${f.items === 'refuses' ? 'refuses when' : 'returns'} ${cell(f.condition)} (${code(f.checkedAt)})`
        : f.checkedAt
          ? `, in whose \`canActivate\` (${code(f.checkedAt)}) rt-plan reads no comparison of the client`
          : ' (body not read)';
    return `${many ? 'are' : 'is'} guarded by ${cell(f.value)}${meta ? ` with ${meta}` : ''}${what}`;
  }
  if (f.store === 'connect')
    return `${many ? 'come' : 'comes'} only from connections the handshake middleware lets through, which refuses one when ${cell(f.value ?? '')}`;
  if (f.store === 'filter') return `keep${s} only the ${f.items ? `items of ${cell(f.items)}` : 'items'} for which ${cell(f.value ?? '')}`;
  if (f.store === 'refuse') return `stop${many ? '' : 's'} when ${cell(f.value ?? '')}`;
  if (f.store === 'assert') return `call${s} ${cell(f.value ?? '')}${guard}`;
  return `run${s} only when ${cell(f.value ?? '')}${guard}`;
}

/**
 * The checks the code makes of the connection in the handlers of these events, grouped by
 * check: "`poll:open` and `poll:close` run only when `ws.role === 'teacher'` (`index.js:43`,
 * `index.js:46`)"; null when there are none. `checked`: the events that have one.
 */
export function eventChecksMd(ctx: Pick<DesignCtx, 'input'>, names: readonly string[]): { md: string; checked: string[] } | null {
  const facts = connectionChecks(ctx).filter((f) => names.includes(f.name));
  if (facts.length === 0) return null;
  const groups = new Map<string, ModelFact[]>();
  for (const f of facts) {
    const key = `${f.store}\u0000${f.value}\u0000${f.condition ?? ''}\u0000${f.decorator ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const parts = [...groups.values()].map((fs) => {
    const events = [...new Set(fs.map((f) => f.name))];
    return `${list(events.map((e) => code(e)))} ${checkClause(fs[0]!, events.length > 1)} (${[...new Set(fs.map((f) => code(f.evidence)))].join(', ')})`;
  });
  return { md: parts.join('; '), checked: [...new Set(facts.map((f) => f.name))] };
}

/** The checks of the connection one event's handler makes, as written with their lines, for a step that changes that handler; null when none. */
export function handlerCheckMd(ctx: Pick<DesignCtx, 'input'>, name: string): string | null {
  const fs = connectionChecks(ctx).filter((f) => f.name === name);
  return fs.length > 0 ? list(fs.map((f) => `${cell(f.value || f.decorator || '')} (${code(f.evidence)})`)) : null;
}

/** For a step that moves the handlers into a new module: every check of the connection goes with its handler. */
export function movedChecksMd(ctx: Pick<DesignCtx, 'input'>): string {
  const names = [...new Set(connectionChecks(ctx).map((f) => f.name))];
  const checks = eventChecksMd(ctx, names);
  return checks ? `; a handler that moves takes its check of the connection with it, which Security keeps: ${checks.md}` : '';
}

/** A payload field that names a thing by id (`pollId`, `id`). */
const ID_FIELD = /^id$|[a-z]Id$/;

/**
 * What an unchecked handler binds: "it sends `poll:results` to the sockets picked by the sender's
 * own `ws.classId` (`index.js:42`) for whichever `pollId` its payload names"; '' when the code
 * shows no send picked by the connection in that handler.
 */
export function scopedSendMd(ctx: Pick<DesignCtx, 'input'>, name: string): string {
  const sends = (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'scoped-send' && f.name === name);
  if (sends.length === 0) return '';
  const ids = [
    ...new Set(
      ctx.input.analysis.events
        .filter((e) => e.name === name && e.direction === 'client-to-server')
        .flatMap((e) => (e.payload ?? []).map((p) => p.name))
        .filter((p) => ID_FIELD.test(p)),
    ),
  ];
  const what = list(
    sends.map((f) => `${f.store ? code(f.store) : 'its answer'} to the sockets picked by the sender's own ${cell(f.value ?? '')} (${code(f.evidence)})`),
  );
  if (ids.length === 0) return `: it sends ${what}`;
  const named = list(ids.map((i) => code(i)));
  return `: it sends ${what} for whichever ${named} its payload names, and nothing rt-plan reads ties that ${named} to the sender's ${list([...new Set(sends.map((f) => cell(f.value ?? '')))])}`;
}

/**
 * The credential grants in the code that list operations without `op` (nor a wildcard): a call that
 * needs it is refused on those channels. Empty where no grant lists operations.
 */
export function grantsLacking(ctx: Pick<DesignCtx, 'input'>, op: string): ModelFact[] {
  return (ctx.input.analysis.modelFacts ?? []).filter((f) => {
    if (f.kind !== 'channel-grant') return false;
    const ops = (f.value ?? '').split(', ').filter((o) => o.length > 0);
    return ops.length > 0 && !ops.includes(op) && !ops.includes('*');
  });
}

/** "add `history` to the operations granted on `x` (`file:line`, today `subscribe` and `presence`)". */
export function grantGapMd(f: ModelFact, op: string): string {
  const ops = (f.value ?? '').split(', ').filter((o) => o.length > 0);
  return `add ${code(op)} to the operations granted on ${f.name ? cell(f.name) : 'the channel'} (${code(f.evidence)}, today ${list(ops.map((o) => code(o)))})`;
}

/**
 * A context must that limits who may connect or start a session: "only staff-signed-in kiosks
 * can start a call", "only logged-in members may subscribe". The verb after can/may must be one of
 * connecting (connect, join, subscribe, enter, listen, receive, start a call or session): "only
 * admins can delete messages" limits an action, not who may connect, and gets no verdict here.
 */
export const ONLY_CALLERS =
  /\bonly\b[^.;]{0,60}?\b(?:signed[- ]in|logged[- ]in|authenticated|authori[sz]ed|staff|admins?|members?|employees|subscribers?|verified|paying)\b[^.;]{0,60}?\b(?:can|may|should|are allowed to)\s+(?:\w+\s+)?(?:connect|join|subscribe(?!\s+(?!to\b)\w)|listen|(?:enter|start)\s+(?:a|the|this|that)\s+(?:room|call|session|stream|conversation|channel)|receive\s+(?:the\s+)?(?:live\s+)?(?:updates|events|messages|notifications))\b/i;

/** The context's must limiting who may connect, if it states one. */
export function callerMust(ctx: Pick<DesignCtx, 'input'>): { sentence: string; evidence: string } | null {
  const r = ctx.input.sessions.requirements.find((x) => x.kind === 'constraint' && x.polarity === 'must' && ONLY_CALLERS.test(x.sentence));
  return r && 'sentence' in r ? { sentence: r.sentence, evidence: r.evidence } : null;
}

/**
 * Credentials the code signs for a channel or room the client names, with nothing in the route that
 * refuses a name (no 403, no check call taking it, no condition): any signed-in caller gets any one.
 */
export function openGrants(ctx: Pick<DesignCtx, 'input'>): ModelFact[] {
  return (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'channel-grant' && f.fromRequest && !f.checked && !f.condition);
}

/** "grants `roomJoin` on `room`, a name the client sends (`route.ts:14`)". */
export function openGrantMd(f: ModelFact): string {
  return `signs ${f.name ? cell(f.name) : 'a channel'}, a name the client sends, for any caller it lets through (${code(f.evidence)})`;
}
