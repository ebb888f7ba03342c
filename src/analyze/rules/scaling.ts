// Scaling rules: state that a multi-node adapter does not share, sticky sessions, backpressure.
import type { AuditRule } from './types.js';
import { signalEvidence } from './types.js';
import { changesState } from '../model/plan-facts.js';
import { MANAGED_RUNTIME } from './connection.js';

export const SCALING_RULES: readonly AuditRule[] = [
  {
    id: 'in-process-state-multi-node',
    severity: 'high',
    title: 'In-process state next to a multi-node adapter',
    why: 'The adapter shares broadcasts between nodes, not memory: a Map of users, rooms or presence kept in one process is invisible to the others, so each node sees a different subset.',
    fix: 'Move shared state to Redis (hashes/sets with TTLs) or derive it from the adapter (`io.fetchSockets()`, `serverSideEmit`), and keep only per-connection data in memory.',
    source: 'https://socket.io/docs/v4/using-multiple-nodes/',
    detect: (ctx) => {
      if (signalEvidence(ctx, (a) => a.signals.multiNode).length === 0) return [];
      // Socket.IO and ws servers (a cluster fork splits a ws server's memory as much as an adapter does).
      const servers = new Set(
        ctx.analyses
          .filter(
            (a) =>
              a.entries.some((e) => e.kind === 'socket-server' || e.kind === 'ws-server') ||
              a.events.some((e) => e.transport === 'socket.io' && e.side === 'server'),
          )
          .map((a) => a.file),
      );
      const behind = ctx.entries.some((e) => e.kind === 'socket-server') ? 'behind the adapter' : 'of the cluster';
      // A module a server imports (a rooms Map in ./rooms.js) lives in the same process. Only
      // state the module changes counts: a constant Set of allowed origins is the same everywhere.
      return ctx.analyses
        .filter((a) => servers.has(a.file) || (a.companionOf ?? []).some((root) => servers.has(root)))
        .flatMap((a) =>
          a.ctx.facts.topLevel
            .filter((t) => changesState(a.ctx.facts, t.name))
            .map((t) => ({
              evidence: `${a.file}:${t.line}`,
              message: t.owner
                ? `${t.kind} field \`${t.owner}.${t.name.slice('this.'.length)}\` of a once-per-process \`${t.owner}\` holds state that other nodes ${behind} cannot see`
                : `Module-level ${t.kind} \`${t.name}\` holds state that other nodes ${behind} cannot see`,
            })),
        );
    },
  },
  {
    id: 'polling-without-sticky-sessions',
    severity: 'high',
    title: 'Long-polling across nodes without sticky sessions',
    why: 'Socket.IO starts with HTTP long-polling; its requests must all reach the node that holds the session. Without sticky sessions they land on other nodes and fail with "Session ID unknown".',
    fix: 'Enable sticky sessions at the load balancer (cookie or IP hash) or with @socket.io/sticky for the cluster module, or restrict both sides to `transports: ["websocket"]`.',
    source: 'https://socket.io/docs/v4/using-multiple-nodes/#enabling-sticky-session',
    detect: (ctx) => {
      const multi = signalEvidence(ctx, (a) => a.signals.multiNode);
      const sticky = signalEvidence(ctx, (a) => a.signals.sticky);
      const wsOnly = signalEvidence(ctx, (a) => a.signals.websocketOnly);
      if (!ctx.entries.some((e) => e.kind === 'socket-server') || multi.length === 0 || sticky.length > 0 || wsOnly.length > 0) return [];
      return [{ evidence: multi[0] as string, message: 'Socket.IO runs on several nodes with long-polling enabled and no sticky sessions' }];
    },
  },
  {
    id: 'broadcast-without-backpressure',
    severity: 'medium',
    title: 'Broadcast without backpressure',
    why: 'send() queues data in memory when a client reads slowly; a loop that broadcasts to every client without checking bufferedAmount lets one slow consumer grow the server heap without bound.',
    fix: 'Skip or drop messages for clients whose `bufferedAmount` is above a threshold (e.g. 1 MiB), and disconnect clients that stay above it.',
    source: 'https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/bufferedAmount',
    detect: (ctx) => {
      if (signalEvidence(ctx, (a) => a.signals.bufferedAmount).length > 0) return [];
      // A Workers / Durable Objects WebSocket exposes no bufferedAmount to check: the fix cannot apply there.
      const servers = ctx.entries.filter((e) => e.kind === 'ws-server' || e.kind === 'socket-server');
      if (servers.length > 0 && servers.every((e) => MANAGED_RUNTIME.has(e.provider ?? ''))) return [];
      return ctx.analyses.flatMap((a) => {
        const first = a.signals.loopSends[0];
        return first === undefined
          ? []
          : [{ evidence: `${a.file}:${first}`, message: 'Broadcast loop calls send() on every client without checking bufferedAmount' }];
      });
    },
  },
];
