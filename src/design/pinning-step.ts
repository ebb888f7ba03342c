// Socket.IO on several instances with long-polling: each session's requests must reach the
// instance that holds it (socket.io/docs/v4/using-multiple-nodes). The audit finding points at the
// line that spreads Socket.IO over instances (the adapter); its fix is not there but at the load
// balancer (stickiness) with credentials on a cross-origin client, or WebSocket only on both
// sides. This step says which, as the plan chooses, where the code shows the client's io() call.
import type { Finding, InfraRequirement } from '../types.js';
import type { DesignCtx } from './context.js';
import { mentionsNginx, stickySessions, websocketOnly } from './architecture.js';
import { quoteOf } from './constraints.js';
import { code } from './md.js';
import type { StepDraft } from './scenarios/kit.js';

/** Audit findings whose fix is at the load balancer or the transports, not at the line they point at. */
export const PINNING_FINDINGS = new Set(['polling-without-sticky-sessions']);

/** A context sentence that says stickiness is off today ("stickiness disabled", "no sticky sessions"). */
const STICKY_OFF = /\bstick(?:iness|y sessions?)\b[^.;]*\b(?:disabled|off|not enabled)\b|\b(?:no|without|disabled)\s+stick(?:iness|y sessions?)\b/i;

/** The load balancer the context names, if any ("ALB"). */
function statedBalancer(ctx: DesignCtx): InfraRequirement | undefined {
  return ctx.input.sessions.requirements.find(
    (r): r is InfraRequirement => r.kind === 'infra' && (r.fact === 'load-balancer' || r.fact === 'proxy-idle-timeout'),
  );
}

function fileLine(at: string): { path: string; line: string } {
  const path = at.replace(/:\d+$/, '');
  return { path, line: at.slice(path.length + 1) };
}

/**
 * Where a pinning finding's fix is: `noteMd`, said at the finding's line in the findings step, and a
 * step of its own where the fix changes a file of the project (a step with no file is not kept).
 */
export function pinningFix(ctx: DesignCtx, findings: readonly Finding[]): { noteMd: string; step: StepDraft | null } | null {
  const step = pinningStep(ctx, findings);
  if (!step) return null;
  return {
    noteMd: step.files.length > 0 ? `not fixed in this file: see "${step.title}"` : `not fixed in this file: ${step.inlineMd}`,
    step: step.files.length > 0 ? step : null,
  };
}

function pinningStep(ctx: DesignCtx, findings: readonly Finding[]): (StepDraft & { inlineMd: string }) | null {
  const f = findings.find((x) => PINNING_FINDINGS.has(x.id));
  if (!f) return null;
  const client = ctx.input.analysis.stack.socketClient;
  const at = client ? fileLine(client.evidence) : null;
  const only = websocketOnly(ctx);
  if (only || !stickySessions(ctx)) {
    const server = ctx.input.analysis.stack.entrypoints.find((e) => e.kind === 'socket-server');
    const files = [
      ...(server
        ? [
            {
              path: server.file,
              action: 'change' as const,
              why: `${code("transports: ['websocket']")} on the server (line ${server.line})`,
              lines: [String(server.line)],
            },
          ]
        : []),
      ...(at
        ? [
            {
              path: at.path,
              action: 'change' as const,
              why: `${code("transports: ['websocket']")} on the ${code('io()')} call (line ${at.line})`,
              lines: [at.line],
            },
          ]
        : []),
    ];
    return {
      title: 'Accept WebSocket only on both sides',
      files,
      inlineMd: `${code("transports: ['websocket']")} on the server and on every client`,
      detailMd: `The fix for ${code(f.id)} (${code(f.evidence)}): with no long-polling there is no session for another instance to miss, so no instance has to pin a client.${only ? ` Chosen because ${only.whyMd}.` : ''}`,
    };
  }
  const lb = statedBalancer(ctx);
  const off = ctx.input.sessions.requirements.find((r) => 'sentence' in r && STICKY_OFF.test(r.sentence));
  // As Architecture pins: nginx by client address (ip_hash), an AWS ALB/ELB by cookie only, any other by either.
  const nginx = mentionsNginx(ctx);
  const alb = lb !== undefined && /\b(?:ALB|ELB)\b|application load balancer/i.test(lb.component);
  const how = nginx
    ? `${code('ip_hash')} in the nginx upstream`
    : alb
      ? `cookie stickiness on the ${lb!.component}'s target group`
      : `stickiness on ${lb ? `the ${lb.component}` : 'the load balancer'} (by client address or by cookie)`;
  // A client on another origin sends the stickiness cookie with its polling requests only with credentials.
  const files =
    at && !client!.sameOrigin && !nginx
      ? [
          {
            path: at.path,
            action: 'change' as const,
            why: `${code('withCredentials: true')} on the ${code('io()')} call (line ${at.line}), so the stickiness cookie rides on its cross-origin polling requests (the server's CORS must allow credentials); not needed if the page and the socket URL share one origin, nor with stickiness by client address`,
            lines: [at.line],
          },
        ]
      : [];
  return {
    title: 'Pin each client to one instance at the load balancer',
    files,
    inlineMd: `enable ${how}`,
    detailMd: `The fix for ${code(f.id)} (${code(f.evidence)}) is not in that file: enable ${how}, so every long-polling request of a session reaches the instance that holds it${off ? `; today it is off: ${quoteOf(off as { sentence: string; evidence: string })}` : ''}. This is load balancer configuration, not code.`,
  };
}
