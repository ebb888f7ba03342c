// A voice tool the page runs through an HTTP route of ours that the server does not have: the
// audit's `request-route-missing` at a request in the module that declares the tools. The plan
// names what is missing (the route, the tools it would serve, their declared inputs) and what the
// route must check, never a body for it: the project has none to read. Pure: Analysis in, data out.
import type { Analysis } from '../types.js';
import { code, list } from './md.js';

export interface ToolRouteGap {
  /** The request as the client writes it (`POST /api/tools/…`). */
  route: string;
  /** Where the client makes it. */
  evidence: string;
  /** The file that registers the server route sharing the longest leading path with the request, where the route goes; null when none does. */
  serverFile: string | null;
  /**
   * Where the request's interpolated part is given the tool call's name (the analyzer's
   * `toolNameAt`): the route is then one per declared tool (`routes`); null when not traced.
   */
  derivedAt: string | null;
  /** The routes as the server would register them: one per declared tool when derived, else `route` as written. */
  routes: string[];
  tools: { name: string; evidence: string; description: string | null; params: string[] | null }[];
}

const fileOf = (evidence: string): string => evidence.replace(/:\d+$/, '');
const segments = (route: string): string[] => (route.replace(/^[A-Z]+\s+/, '').split(/[?#]/)[0] ?? '').split('/').filter(Boolean);
// A path segment that says the request runs a tool (`/api/tools/…`, `/tool-call`), whatever the tool.
const TOOL_SEGMENT = /^tools?(?:[-_]?(?:call|calls|run|runs))?$/i;

/**
 * The tools a request runs: every declared tool where its interpolated part is the tool call's name
 * (derived) or a path segment says tools; the one tool a segment names; none otherwise (the request
 * is then some other route rt-plan did not find, not a tool route).
 */
function toolsOf<T extends { name: string }>(route: string, derived: boolean, declared: T[]): T[] {
  const segs = segments(route);
  const named = declared.filter((t) => segs.includes(t.name));
  if (named.length > 0) return named;
  return derived || segs.some((s) => TOOL_SEGMENT.test(s)) ? declared : [];
}

/** The file of the server route that shares the longest leading path with the request (at least one segment); null when none does. */
function serverFileOf(route: string, routes: { name: string; evidence: string }[]): string | null {
  const want = segments(route);
  let best: { file: string; n: number } | null = null;
  for (const r of routes) {
    const have = segments(r.name);
    let n = 0;
    while (n < want.length && n < have.length && want[n] === have[n] && !want[n]!.includes('\u2026')) n++;
    if (n > 0 && (!best || n > best.n)) best = { file: fileOf(r.evidence), n };
  }
  return best?.file ?? null;
}

export function toolRouteGaps(analysis: Analysis): ToolRouteGap[] {
  const facts = analysis.modelFacts ?? [];
  const tools = facts.filter((f) => f.kind === 'tool-declaration');
  if (tools.length === 0) return [];
  const serverRoutes = facts.filter((f) => f.kind === 'http-route');
  return analysis.findings
    .filter((f) => f.id === 'request-route-missing' && f.route)
    .flatMap((f) => {
      const route = f.route!;
      const one = route.split('\u2026').length === 2;
      const derivedAt = f.toolNameAt && one ? f.toolNameAt : null;
      const declared = toolsOf(
        route,
        derivedAt !== null,
        tools.filter((t) => fileOf(t.evidence) === fileOf(f.evidence)),
      );
      if (declared.length === 0) return [];
      return [
        {
          route,
          evidence: f.evidence,
          serverFile: serverFileOf(route, serverRoutes),
          derivedAt,
          routes: derivedAt ? declared.map((t) => route.replace('\u2026', t.name)) : [route],
          tools: declared.map((t) => ({ name: t.name, evidence: t.evidence, description: t.value ?? null, params: t.params ?? null })),
        },
      ];
    });
}

/** Why the routes are one per declared tool, when derived: the request's interpolated part is the tool call's name. */
export function toolRoutesWhyMd(g: ToolRouteGap): string {
  return g.derivedAt
    ? `its interpolated part is the name of the provider's tool call (passed at ${code(g.derivedAt)}), so the routes are derived, one per declared tool: ${list(g.routes.map(code))}`
    : '';
}
