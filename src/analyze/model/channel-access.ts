// Who the code lets reach which channel, as facts with their lines: in a function that mints a
// real-time credential, what it grants (an Ably capability, a LiveKit grant, the channel a
// Pusher authorization or a JWT names) and what it refuses with 401 or 403; in a server's
// stream or connection handler, a test that sends an event only when it matches the
// connection (`n.teamId === agent.teamId`). The design's security rules read these instead of
// assuming. Only what one function shows is said: a check in another module is not seen, so a
// grant is `checked` only when this function may refuse, never claimed unchecked beyond it.
import type { Evidence, ModelFact } from '../../types.js';
import type { FileFacts } from '../code/facts.js';

const ev = (file: string, line: number): Evidence => `${file}:${line}`;
/** A call that may decide whether the user may use a channel: `ownsParcel(…)`, `canJoin(…)`, `assertMember(…)`. */
const CHECK_CALL = /^(can|owns?|is|has|check|assert|verify|ensure|may|allow|authori[sz]e|require|permit)[A-Z_]|member|access|permission|allowed/i;

export function channelAccess(f: FileFacts, serverFile: boolean): ModelFact[] {
  const acc = f.access;
  if (!acc) return [];
  const out: ModelFact[] = [];
  const minting = new Set(acc.mints.map((m) => m.fn));
  const span = (fn: number) => acc.fns.find((s) => s.line === fn);
  for (const r of acc.refusals) {
    if (!minting.has(r.fn)) continue;
    const test = r.test ?? '';
    out.push({
      kind: 'access-refusal',
      name: test,
      value: String(r.status),
      evidence: ev(f.file, r.line),
      ...(r.route ? { route: r.route } : {}),
      note: test
        ? `The route that mints the real-time credential answers ${r.status} when \`${test}\`.`
        : `The route that mints the real-time credential answers ${r.status} to every request that reaches its last line.`,
    });
  }
  for (const g of acc.grants) {
    if (!minting.has(g.fn)) continue;
    const s = span(g.fn);
    const root = g.target.replace(/^[`'"]/, '').split(/[.[(`]/)[0] ?? '';
    const checkCall =
      s !== undefined &&
      f.calls.some(
        (c) =>
          c.line >= s.line &&
          c.line <= s.end &&
          CHECK_CALL.test(c.method) &&
          c.args.some((a) => (a.kind === 'ident' || a.kind === 'member') && (a.path ?? '').split('.')[0] === root),
      );
    const checked = checkCall || acc.refusals.some((r) => r.fn === g.fn && r.status === 403 && r.line <= g.line);
    out.push({
      kind: 'channel-grant',
      name: g.target,
      value: g.ops.join(', '),
      evidence: ev(f.file, g.line),
      fromRequest: g.fromRequest,
      checked,
      ...(g.when ? { condition: g.when } : {}),
      ...(g.route ? { route: g.route } : {}),
      note: `The credential minted here covers ${g.target ? `\`${g.target}\`` : 'no named channel'}${g.ops.length > 0 ? ` with ${g.ops.map((o) => `\`${o}\``).join(', ')}` : ''}${g.fromRequest ? ', a name the client sends' : ''}${g.when ? ` when \`${g.when}\`` : ''}.`,
    });
  }
  if (serverFile)
    for (const d of acc.filters)
      out.push({
        kind: 'delivery-filter',
        name: d.test,
        evidence: ev(f.file, d.line),
        ...(d.route ? { route: d.route } : {}),
        note: `The handler sends an event to this connection only when \`${d.test}\`.`,
      });
  return out;
}
