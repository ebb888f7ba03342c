// What a client's listeners on its real-time connection do with what arrives, and whether the
// effect that adds them takes them off again. Both are read on the connection object the client
// entry creates (`const [room] = useState(() => new Room())`, `const socket = io()`).
// - A listener registered on an emitter (`on`, `addListener`) that parses the message with
//   `JSON.parse` outside try/catch: the throw escapes the listener into the emitter that called it,
//   instead of the message being ignored. Not an EventTarget's `addEventListener`, which reports the
//   error and goes on.
// - A React effect that registers a listener its cleanup cannot take off (an inline function, when
//   the cleanup removes listeners one by one): each run of the effect adds one more to the same
//   object. https://react.dev/reference/react/useEffect#connecting-to-an-external-system
import type { ModelFact } from '../../types.js';
import type { FileAnalysis } from '../code/scan.js';

const CLIENT_KINDS = new Set(['provider-client', 'ws-client', 'socket-client', 'sse-client']);
const REGISTER = /^(on|addListener|addEventListener|bind)$/;
/** An EventEmitter-style registration: the emitter calls the listener from `emit`, which a throw leaves. */
const EMITTER_REGISTER = /^(on|addListener)$/;
const REMOVE_ONE = /^(off|removeListener|removeEventListener|unbind)$/;
/** Removals that, given only an event name, take off every listener of that event (component-emitter, mitt, pusher-js). */
const REMOVE_EVENT = /^(off|unbind)$/;
const REMOVE_ALL = /^(removeAllListeners|unbind_all|offAny)$/;

const eventOf = (a: { str?: string; path?: string } | undefined): string => a?.str ?? a?.path ?? '';

/** The names the client entries of this file are held in. */
function clientVars(a: FileAnalysis): Set<string> {
  const lines = new Set(a.entries.filter((e) => CLIENT_KINDS.has(e.kind)).map((e) => e.line));
  return new Set(a.ctx.facts.vars.filter((v) => lines.has(v.line)).map((v) => v.name));
}

export function clientListenerFacts(a: FileAnalysis): ModelFact[] {
  const vars = clientVars(a);
  if (vars.size === 0) return [];
  const calls = a.ctx.facts.calls;
  const recv = (path: string, method: string): string => path.slice(0, -(method.length + 1));
  const regs = calls.filter((c) => REGISTER.test(c.method) && vars.has(recv(c.path, c.method)) && c.args.length >= 2);
  const out: ModelFact[] = [];
  for (const p of calls.filter((c) => c.path === 'JSON.parse' && !c.inTry)) {
    // The listener the parse runs in: a function registered by name, or an inline one around it.
    // Only an emitter's (`on`, `addListener`), whose emit rethrows what a listener throws: an
    // EventTarget (`addEventListener` on a browser WebSocket or EventSource) reports the error and
    // goes on dispatching, and `bind` is not known to rethrow, so neither is claimed.
    // https://dom.spec.whatwg.org/#concept-event-listener-inner-invoke ("report the exception")
    const reg = regs.find((r) => {
      if (!EMITTER_REGISTER.test(r.method)) return false;
      const fn = r.args[1]!;
      return (fn.kind === 'ident' && fn.path === p.inFn) || (fn.kind === 'function' && fn.line === p.fnAt);
    });
    if (!reg) continue;
    const event = reg.args[0]?.str ?? reg.args[0]?.path ?? '';
    out.push({
      kind: 'unguarded-listener-parse',
      name: event,
      evidence: `${a.file}:${p.line}`,
      note: `\`JSON.parse\` reads what the \`${event}\` listener (registered at line ${reg.line}) receives, outside try/catch: a message that is not JSON throws out of the listener into the code that called it, instead of being ignored.`,
    });
  }
  for (const eff of a.ctx.facts.effects) {
    const cleanup = eff.cleanup ?? [];
    for (const r of eff.calls.filter((c) => REGISTER.test(c.method) && vars.has(recv(c.path, c.method)) && c.args.length >= 2)) {
      const on = recv(r.path, r.method);
      // The object is made outside the effect (state, a ref, the module): it outlives each run of it.
      const made = a.ctx.facts.vars.find((v) => v.name === on);
      if (!made || made.line >= eff.line) continue;
      if (cleanup.some((c) => c === `${on}.removeAllListeners` || (REMOVE_ALL.test(c.split('.').pop() ?? '') && c.startsWith(`${on}.`)))) continue;
      const fn = r.args[1]!;
      const event = eventOf(r.args[0]);
      // Taken off by name (`off('x', onX)`), or with every listener of its event: `off('x')` with no
      // handler removes them all in Socket.IO's client (component-emitter), mitt and Pusher's `unbind`.
      const removed = a.ctx.facts.calls.some(
        (c) =>
          REMOVE_ONE.test(c.method) &&
          recv(c.path, c.method) === on &&
          c.line > r.line &&
          eventOf(c.args[0]) === event &&
          ((fn.kind === 'ident' && c.args[1]?.kind === 'ident' && c.args[1].path === fn.path) || (c.args.length === 1 && REMOVE_EVENT.test(c.method))),
      );
      if (removed) continue;
      // Only where the cleanup takes listeners off one by one: one that closes or disconnects says nothing of them here.
      if (!cleanup.some((c) => REMOVE_ONE.test(c.split('.').pop() ?? '') && c.startsWith(`${on}.`))) continue;
      out.push({
        kind: 'listener-kept',
        name: event,
        evidence: `${a.file}:${r.line}`,
        note: `The effect at line ${eff.line} registers a \`${event}\` listener on \`${on}\` here that its cleanup does not take off (${fn.kind === 'function' ? 'an inline function, which no `off` call can name' : `no \`off\` names \`${fn.path}\``}), and \`${on}\` is made outside the effect (line ${made.line}): each run of the effect adds one more to it.`,
      });
    }
  }
  return out;
}
