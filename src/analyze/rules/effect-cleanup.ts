// A React effect that calls a function of the project which opens a connection (a Gemini Live
// session, a WebSocket, an EventSource, a peer connection), the microphone or an AudioContext, and returns no
// cleanup: nothing closes what it opened when the component unmounts, and every mount opens
// another one (React's Strict Mode mounts each component twice in development).
// The function is found where the effect's file defines it or in the module it imports it from
// (the model's resolver); what it opens is a call inside that function's own body (`inFn`).
// https://react.dev/reference/react/useEffect#connecting-to-an-external-system
import type { CallFact, FileFacts } from '../code/facts.js';
import type { AuditContext, AuditRule, RuleHit } from './types.js';

interface Opener {
  /** What the call opens, in words. */
  what: string;
  /** How the cleanup closes it. */
  close: string;
}

function openerOf(c: CallFact): Opener | null {
  if (/(^|\.)live\.connect$/.test(c.path)) return { what: 'a Gemini Live session', close: 'session.close()' };
  if (/(^|\.)mediaDevices\.getUserMedia$/.test(c.path))
    return { what: 'the microphone with `getUserMedia`', close: 'stream.getTracks().forEach((t) => t.stop())' };
  if (c.isNew && /^(?:window\.)?(?:AudioContext|webkitAudioContext)$/.test(c.path)) return { what: 'an `AudioContext`', close: 'audioContext.close()' };
  if (c.isNew && c.path === 'WebSocket') return { what: 'a WebSocket', close: 'ws.close()' };
  if (c.isNew && c.path === 'EventSource') return { what: 'an EventSource', close: 'source.close()' };
  if (c.isNew && c.path === 'RTCPeerConnection') return { what: 'a peer connection', close: 'pc.close()' };
  return null;
}

/** The facts of the module that defines the function `c` calls, and its name there; null when it cannot be told. */
function calleeModule(ctx: AuditContext, file: string, facts: FileFacts, c: CallFact): { facts: FileFacts; name: string; file: string } | null {
  if (c.path !== c.method) return null;
  const imp = facts.imports.find((i) => i.locals.some((l) => l.local === c.method));
  if (!imp) return { facts, name: c.method, file };
  const local = imp.locals.find((l) => l.local === c.method)!;
  const target = ctx.resolve?.(file, imp.source) ?? null;
  const tf = target ? ctx.modules?.get(target) : undefined;
  return tf && target ? { facts: tf, name: local.imported, file: target } : null;
}

function effectOpenerHits(ctx: AuditContext): RuleHit[] {
  return ctx.analyses.flatMap((a) =>
    a.ctx.facts.effects
      .filter((eff) => eff.cleanup === null)
      .flatMap((eff) =>
        eff.calls.flatMap((c) => {
          const callee = calleeModule(ctx, a.file, a.ctx.facts, c);
          if (!callee || callee.name === 'default') return [];
          const opens = callee.facts.calls.flatMap((x) => {
            const o = x.inFn === callee.name ? openerOf(x) : null;
            return o ? [{ ...o, line: x.line }] : [];
          });
          if (opens.length === 0) return [];
          const what = opens.map((o) => `${o.what} (${callee.file}:${o.line})`);
          const whats = what.length === 1 ? what[0] : `${what.slice(0, -1).join(', ')} and ${what.at(-1)}`;
          const closes = [...new Set(opens.map((o) => `\`${o.close}\``))].join(', ');
          return [
            {
              evidence: `${a.file}:${c.line}`,
              message: `The effect calls \`${c.method}\`, which opens ${whats}, and returns no cleanup${c.floating ? `; what \`${c.method}\` returns is not kept, so nothing can close it` : ''}: ${opens.length === 1 ? 'it stays' : 'they stay'} open after the component unmounts, and every mount opens another`,
              fix: `Keep what \`${c.method}\` returns and close it in the effect's cleanup (${closes}, through the promise when it is async), so an unmount or a second mount closes the first.`,
            },
          ];
        }),
      ),
  );
}

export const EFFECT_CLEANUP_RULES: readonly AuditRule[] = [
  {
    id: 'effect-opens-without-cleanup',
    severity: 'medium',
    title: 'Connection opened in an effect without cleanup',
    why: 'An effect that opens a connection must close it in its cleanup: React runs the cleanup on unmount and before the next run, and in development mounts every component twice. Without one, each mount leaves a session, socket or microphone open, billed or holding the device, with its handlers still calling into an unmounted component.',
    fix: "Keep what the call returns and close it in the effect's cleanup.",
    source: 'https://react.dev/reference/react/useEffect#connecting-to-an-external-system',
    detect: effectOpenerHits,
  },
];
