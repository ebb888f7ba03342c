// The HTTP routes a control or a step is about: the write routes the code registers (model fact
// `http-route`, each at its line) and the client actions this plan proposes as POSTs on a wire
// whose clients only receive (EventSource). A sentence about "the POST routes" names these, and
// where there are none it says nothing about them: the plan never presents a route as existing
// that the code does not show.
import type { EventSpec, ModelFact } from '../types.js';
import type { DesignCtx } from './context.js';
import { code, list } from './md.js';
import { streamPath } from './context.js';
import { eventStreamPath } from './stream-resume.js';

const WRITE = /^(POST|PUT|PATCH|DELETE) /;

/** The routes the code registers that take a request body (POST, PUT, PATCH, DELETE). */
export function writeRoutes(ctx: Pick<DesignCtx, 'input'>): ModelFact[] {
  return (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'http-route' && WRITE.test(f.name));
}

/** Client actions sent as requests: inbound events of the catalog, not a provider's protocol or a dotted library event. */
export function clientActions(events: readonly Pick<EventSpec, 'name' | 'direction'>[]): string[] {
  return [...new Set(events.filter((e) => e.direction !== 'server-to-client' && !e.name.includes('.')).map((e) => e.name))];
}

export interface PostRoutes {
  /** The routes named (`` `POST /admin/x` (`src/routes/admin.ts:10`) ``, the proposed POST routes for …). */
  md: string;
  /** The existing write routes named. */
  existing: ModelFact[];
  /** The client actions proposed as POST routes. */
  proposed: string[];
  /** More than one route. */
  plural: boolean;
}

/** A route's method and path; on a router no module rt-plan read mounts, the path as the router writes it, said so. */
export const routeNameMd = (f: ModelFact): string => `${code(f.name)}${f.mountUnknown ? ' (on a router mounted at a path rt-plan could not read)' : ''}`;

/** `POST /admin/x` (`src/routes/admin.ts:10`) */
export const routeMd = (f: ModelFact): string =>
  f.mountUnknown ? `${code(f.name)} (${code(f.evidence)}, on a router mounted at a path rt-plan could not read)` : `${code(f.name)} (${code(f.evidence)})`;

/**
 * The POST routes a control applies to: those the code registers and those this plan proposes
 * for `actions`. Null when there are neither: the plan then names no POST route.
 */
export function postRoutes(ctx: Pick<DesignCtx, 'input'>, actions: readonly string[]): PostRoutes | null {
  const existing = writeRoutes(ctx);
  if (existing.length === 0 && actions.length === 0) return null;
  const parts = [
    ...(existing.length > 0 ? [`${existing.length === 1 ? 'the route' : 'the routes'} ${list(existing.map(routeMd))}`] : []),
    ...(actions.length > 0 ? [`the proposed POST route${actions.length === 1 ? '' : 's'} for ${list(actions.map((a) => code(a)))}`] : []),
  ];
  return { md: parts.join(' and '), existing, proposed: [...actions], plural: existing.length + actions.length > 1 };
}

/**
 * The replay route a polling fallback reads, which the code does not have: proposed next to the
 * stream's route, with the file it goes in.
 */
export function proposedReplayRoute(ctx: Pick<DesignCtx, 'input' | 'layout'>): { route: string; file: string | null } {
  const fact = (ctx.input.analysis.modelFacts ?? []).find((f) => f.kind === 'sse-route');
  const base = eventStreamPath(ctx.input.analysis, streamPath(ctx.layout)).replace(/\/$/, '');
  return { route: `GET ${base}/replay?after=<last id>`, file: fact ? fact.evidence.replace(/:\d+$/, '') : ctx.layout.serverEntry };
}

/** The proposed replay route as the fallback names it: `` `GET /x/replay?after=<last id>` in `src/x.ts` ``. */
export function replayRouteMd(ctx: Pick<DesignCtx, 'input' | 'layout'>): string {
  const r = proposedReplayRoute(ctx);
  return `${code(r.route)}${r.file ? ` in ${code(r.file)}` : ''}`;
}
