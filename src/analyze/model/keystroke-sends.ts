// A client send that runs on every key pressed: called, with no condition before it, from an inline
// input handler (`onChange`, `onInput`, `onKey…`), directly or through the function that wraps the
// send (a hook's `sendTyping`, picked from what the hook returns in the component's module). A send
// behind any if, `&&` or `?:` is not reported: that condition may be a throttle. Nor is one in a
// function of several lines, where an early return (`if (Date.now() - last < 2000) return;`) may
// throttle it without wrapping the send: the send and the call must each be on their function's
// first line (`const sendTyping = (name) => channel.trigger(…)`, `onChange={(e) => { …; sendTyping(me); }}`).
import type { ModelFact } from '../../types.js';
import type { FileFacts } from '../code/facts.js';
import type { CallFact } from '../code/fact-types.js';
import type { Resolve } from './resolve.js';

const ev = (file: string, line: number) => `${file}:${line}`;

export function keystrokeSends(all: ReadonlyMap<string, FileFacts>, resolve: Resolve, sends: readonly ModelFact[]): ModelFact[] {
  const out: ModelFact[] = [];
  const seen = new Set<string>();
  const push = (event: string, file: string, c: Pick<CallFact, 'line'>, attr: string, via: string | null) => {
    const at = ev(file, c.line);
    if (seen.has(`${event}@${at}`)) return;
    seen.add(`${event}@${at}`);
    out.push({
      kind: 'keystroke-send',
      name: event,
      evidence: at,
      value: attr,
      store: via ?? '',
      note: `The input's \`${attr}\` handler sends \`${event}\`${via ? ` (through \`${via}\`)` : ''} on every change, with no condition before it.`,
    });
  };
  for (const s of sends) {
    if (s.kind !== 'client-send') continue;
    const m = /^(.*):(\d+)$/.exec(s.evidence);
    if (!m) continue;
    const [, file, ln] = m;
    const f = all.get(file!);
    const here = f?.calls.filter((c) => c.line === Number(ln)) ?? [];
    if (!f || here.length === 0 || here.some((c) => c.branched)) continue;
    const call = here.find((c) => c.fnAt !== undefined);
    if (!call?.fnAt || call.line !== call.fnAt) continue;
    const direct = (f.inputHandlers ?? []).find((h) => h.ref === undefined && h.line === call.fnAt);
    if (direct) push(s.name, f.file, call, direct.attr, null);
    // The named function the send is the body of (`const sendTyping = (name) => channel.trigger(…)`).
    const wrapper = (f.namedFns ?? []).find((h) => h.line === call.fnAt)?.name;
    if (!wrapper) continue;
    for (const g of all.values()) {
      if (g.file !== f.file && !g.imports.some((i) => resolve(g.file, i.source) === f.file)) continue;
      // The local the wrapper is known by: its own name, or what a destructuring of a call's result picked it as.
      const locals = new Set([wrapper, ...(g.picks ?? []).flatMap((p) => p.keys.filter((k) => k.key === wrapper).map((k) => k.local))]);
      for (const c of g.calls) {
        if (c.branched || c.fnAt === undefined || c.line !== c.fnAt || !locals.has(c.path)) continue;
        const h = (g.inputHandlers ?? []).find((x) => x.ref === undefined && x.line === c.fnAt);
        if (h) push(s.name, g.file, c, h.attr, wrapper);
      }
      // `onKeyDown={sendTyping}`: the wrapper itself is the handler.
      for (const h of g.inputHandlers ?? []) if (h.ref !== undefined && locals.has(h.ref)) push(s.name, g.file, h, h.attr, wrapper);
    }
  }
  return out;
}
