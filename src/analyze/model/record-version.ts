// A version the system of record sets, carried by an event the server sends: a handler awaits a
// function that returns another system's answer (code/record-versions.ts: the JSON body of an
// HTTP response, with a numeric `version`-like field in its type), binds it (`const result =
// await applyPatch(…)`) and passes it as the payload of a send wrapper (`broadcast(id,
// 'note:patched', result, ws)`, whose `{ event, data }` envelope puts that parameter in `data`).
// That field is numbered where the record is written, not by this code, so it can order the
// event and be resumed from without a counter of ours.
import type { ModelFact } from '../../types.js';
import type { FileFacts } from '../code/facts.js';
import type { ResponseFn } from '../code/record-versions.js';
import type { ModuleModel } from './index.js';

/** Field names that number a record's versions. */
const VERSION_FIELD = /^(version|rev|revision)$/i;

type Wrapper = FileFacts['wrappers'][number];

/** What `local` names in `file`: its own function, or one it imports from a module of the project. */
function follow<T>(
  model: ModuleModel,
  file: string,
  f: FileFacts,
  local: string,
  pick: (g: FileFacts, name: string) => T | undefined,
): { at: string; it: T } | null {
  const own = pick(f, local);
  if (own !== undefined) return { at: file, it: own };
  for (const imp of f.imports) {
    const l = imp.locals.find((x) => x.local === local);
    if (!l) continue;
    const target = model.resolve(file, imp.source);
    const g = target ? model.facts.get(target) : undefined;
    const it = g && target ? pick(g, l.imported) : undefined;
    if (it !== undefined && target) return { at: target, it };
  }
  return null;
}

const answerOf = (g: FileFacts, name: string): ResponseFn | undefined => g.responseFns?.find((r) => r.fn === name);
const envelopeOf = (g: FileFacts, name: string): Wrapper | undefined =>
  g.wrappers.find((w) => w.name === name && w.typeParam !== undefined && w.typeParam >= 0 && w.dataParam !== undefined && w.dataParam >= 0 && !w.handle);

/** One fact per event the server sends whose payload is such an answer (name: the field; store: the event; value: the function). */
export function recordVersions(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  const seen = new Set<string>();
  for (const [file, f] of model.facts) {
    for (const v of f.vars) {
      const m = /^([\w$]+)\(\)$/.exec(v.init);
      if (!m?.[1]) continue;
      const answer = follow(model, file, f, m[1], answerOf);
      const field = answer?.it.fields.find((x) => VERSION_FIELD.test(x.name));
      if (!answer || !field) continue;
      for (const c of f.calls) {
        if (c.line < v.line || c.inFn !== f.calls.find((x) => x.line === v.line && x.path === m[1])?.inFn) continue;
        const w = /^[\w$]+$/.test(c.path) ? follow(model, file, f, c.path, envelopeOf) : null;
        if (!w) continue;
        const type = c.args[w.it.typeParam as number];
        const data = c.args[w.it.dataParam as number];
        if (type?.kind !== 'string' || !type.str || data?.kind !== 'ident' || data.path !== v.name) continue;
        const key = `${type.str} ${field.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          kind: 'record-version',
          name: field.name,
          store: type.str,
          value: m[1],
          evidence: `${file}:${v.line}`,
          answeredAt: `${answer.at}:${answer.it.line}`,
          note: `\`${type.str}\` carries \`${v.name}\`, the answer \`${m[1]}\` returns (the body of an HTTP response, ${answer.at}:${answer.it.line}), whose \`${field.name}\` is read from that answer.`,
        });
      }
    }
  }
  // `ws.send(JSON.stringify({ event: 'note:snapshot', data: await loadNote(id) }))`: the answer inline.
  for (const [file, f] of model.facts) {
    for (const c of f.calls) {
      const obj = c.path === 'JSON.stringify' ? c.args[0] : undefined;
      if (obj?.kind !== 'object' || !obj.props) continue;
      const named = Object.values(obj.props).find((p) => p.kind === 'string' && p.str);
      for (const p of Object.values(obj.props)) {
        const callee = p.kind === 'call' && p.path && /^[\w$]+$/.test(p.path) ? p.path : null;
        const answer = callee && named?.str ? follow(model, file, f, callee, answerOf) : null;
        const field = answer?.it.fields.find((x) => VERSION_FIELD.test(x.name));
        if (!answer || !field || !named?.str || !callee) continue;
        const key = `${named.str} ${field.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          kind: 'record-version',
          name: field.name,
          store: named.str,
          value: callee,
          evidence: `${file}:${c.line}`,
          answeredAt: `${answer.at}:${answer.it.line}`,
          note: `\`${named.str}\` carries the answer \`${callee}\` returns (the body of an HTTP response, ${answer.at}:${answer.it.line}), whose \`${field.name}\` is read from that answer.`,
        });
      }
    }
  }
  return out;
}

/**
 * `x.on('message', async …)` listeners that await (code/record-versions.ts): nothing waits for one
 * message's handler before the next one's starts (name: `message`; value: the first await's line).
 */
export function overlappingMessages(model: ModuleModel): ModelFact[] {
  const out: ModelFact[] = [];
  for (const [file, f] of model.facts)
    for (const l of f.overlappingListeners ?? [])
      out.push({
        kind: 'overlapping-messages',
        name: 'message',
        value: String(l.awaitLine),
        evidence: `${file}:${l.line}`,
        note: `The async \`message\` listener is not awaited by the emitter that calls it: once a message's handler reaches its first \`await\` (line ${l.awaitLine}), the next message on the same connection starts its own, so one connection's messages are handled concurrently and can finish in another order.`,
      });
  return out;
}
