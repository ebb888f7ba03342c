// Known unknowns. A real-time-looking package the product imports that no adapter or detector
// models is reported with file:line, and the rules that would need facts about it stay silent
// instead of guessing from what they do not understand.
import type { Finding, ModelNote, WorkspacePackage } from '../../types.js';
import { lookupCatalog } from '../catalog.js';
import type { FileFacts } from '../code/facts.js';
import { packageName } from '../code/file-context.js';
import { workspaceOf } from '../code/merge.js';
import { MODELLED_MODULES } from './adapters/index.js';
import { isNonProduction } from './scope.js';

/** Packages the built-in detectors (code/entrypoints.ts, events.ts, signals.ts, providers.ts) read. */
const DETECTED = new Set([
  'socket.io',
  'socket.io-client',
  'ws',
  'isomorphic-ws',
  'reconnecting-websocket',
  'partysocket',
  'react-use-websocket',
  'eventsource',
  '@microsoft/fetch-event-source',
  'better-sse',
  'simple-peer',
  'peerjs',
  'livekit-client',
  'livekit-server-sdk',
  '@livekit/components-react',
  '@supabase/supabase-js',
  'pusher',
  'pusher-js',
  'ably',
  'openai',
  '@openai/agents',
  '@openai/agents-realtime',
  '@google/genai',
  'uWebSockets.js',
  '@fastify/websocket',
  'fastify-websocket',
  'express-ws',
  '@socket.io/redis-adapter',
  '@socket.io/redis-streams-adapter',
  '@socket.io/cluster-adapter',
  'socket.io-redis',
  '@socket.io/sticky',
  '@socket.io/postgres-adapter',
  '@socket.io/mongo-adapter',
  'ioredis',
  'redis',
  'nats',
  'firebase',
  'engine.io',
  'engine.io-client',
]);
/** Names that say real time, for packages outside the catalog. */
const REALTIME_NAME =
  /socket|realtime|real-time|pubsub|centrifug|phoenix|actioncable|cable|mqtt|stomp|signalr|sockjs|primus|faye|liveblocks|partykit|eventsource|\bsse\b|-ws$|^ws-/i;
/** Methods that open or use a real-time channel, called on something the package gave. */
const REALTIME_CALL = /^(subscribe|newSubscription|channel|channels|publish|presence|joinChannel|createConsumer)$/;
/** General-purpose packages whose `subscribe` is not a network channel. */
const NOT_REALTIME = new Set([
  'rxjs',
  'react',
  'react-dom',
  'zustand',
  'redux',
  '@reduxjs/toolkit',
  'mobx',
  'valtio',
  'jotai',
  'svelte',
  'vue',
  '@tanstack/react-query',
  'graphql',
]);

export function findUnmodelled(facts: ReadonlyMap<string, FileFacts>): ModelNote[] {
  const out = new Map<string, ModelNote>();
  for (const f of [...facts.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    if (isNonProduction(f.file)) continue;
    for (const imp of f.imports) {
      const name = packageName(imp.source);
      if (name.startsWith('.') || name.startsWith('node:') || out.has(name) || DETECTED.has(name) || MODELLED_MODULES.has(name) || NOT_REALTIME.has(name))
        continue;
      const entry = lookupCatalog(name);
      if (entry?.kind === 'framework') continue;
      const locals = new Set(imp.locals.map((l) => l.local));
      const fromImport = (v: { init: string }): boolean => locals.has(v.init.replace(/^new /, '').split(/[.(]/)[0] ?? '');
      // `client.subscribe(topic)` belongs to the `client` declared nearest before it: one file's
      // functions each make their own `client` (a pg one here, an mqtt one there).
      const madeHere = (root: string, line: number): boolean => {
        const decls = f.vars.filter((v) => v.name === root);
        const before = decls.filter((v) => v.line <= line);
        const owner = before.length > 0 ? before.reduce((a, b) => (b.line > a.line ? b : a)) : decls[0];
        return owner !== undefined && fromImport(owner);
      };
      const called = f.calls.some((c) => REALTIME_CALL.test(c.method) && (locals.has(c.root) || madeHere(c.root, c.line)));
      const catalogued = entry !== undefined && entry.transports.length > 0;
      if (!catalogued && !REALTIME_NAME.test(name) && !called) continue;
      out.set(name, {
        name,
        evidence: `${f.file}:${imp.line}`,
        reason: catalogued ? 'a real-time library no adapter reads' : called ? 'its calls open channels or subscriptions' : 'its name says real time',
      });
    }
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Findings that only an absence of facts supports: they must not stand on what the model cannot read. */
const ABSENCE_RULES = new Set([
  'client-only',
  'no-handshake-auth',
  'no-heartbeat',
  'no-reconnect',
  'reconnect-without-backoff',
  'no-origin-check',
  'event-name-mismatch',
  'no-graceful-shutdown',
]);

/** Drop absence findings in a workspace that imports an unmodelled package (client-only anywhere). */
export function silenceUnknowns(findings: Finding[], unmodelled: readonly ModelNote[], packages: readonly WorkspacePackage[]): Finding[] {
  if (unmodelled.length === 0) return findings;
  const spaces = new Set(unmodelled.map((u) => workspaceOf(u.evidence.replace(/:\d+$/, ''), packages)));
  return findings.filter((f) => {
    if (!ABSENCE_RULES.has(f.id)) return true;
    if (f.id === 'client-only') return false;
    return !spaces.has(workspaceOf(f.evidence.replace(/:\d+$/, ''), packages)) && !spaces.has('');
  });
}
