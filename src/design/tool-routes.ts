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
  /** The file that registers the server's routes, where the route goes; null when none is known. */
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

export function toolRouteGaps(analysis: Analysis): ToolRouteGap[] {
  const facts = analysis.modelFacts ?? [];
  const tools = facts.filter((f) => f.kind === 'tool-declaration');
  if (tools.length === 0) return [];
  const serverRoute = facts.find((f) => f.kind === 'http-route');
  return analysis.findings
    .filter((f) => f.id === 'request-route-missing' && f.route)
    .flatMap((f) => {
      const declared = tools.filter((t) => fileOf(t.evidence) === fileOf(f.evidence));
      if (declared.length === 0) return [];
      const route = f.route!;
      const one = route.split('\u2026').length === 2;
      const derivedAt = f.toolNameAt && one ? f.toolNameAt : null;
      return [
        {
          route,
          evidence: f.evidence,
          serverFile: serverRoute ? fileOf(serverRoute.evidence) : null,
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
