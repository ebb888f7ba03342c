// A voice tool the page runs through a route the server lacks (design/tool-routes.ts): found only
// where the missing request is in the module that declares the tools.
import { describe, expect, it } from 'vitest';
import { toolRouteGaps, toolRoutesWhyMd } from '../../src/design/tool-routes.js';
import type { Analysis, Finding, ModelFact } from '../../src/types.js';

const missing = (evidence: string, route?: string, toolNameAt?: string): Finding => ({
  id: 'request-route-missing',
  severity: 'high',
  message: '',
  fix: '',
  evidence,
  ...(route ? { route } : {}),
  ...(toolNameAt ? { toolNameAt } : {}),
});
const tool: ModelFact = {
  kind: 'tool-declaration',
  name: 'find_appointment',
  evidence: 'web/tools.ts:5',
  value: 'Look up the next appointment of the caller',
  params: ['dateOfBirth'],
  note: '',
};
const route: ModelFact = { kind: 'http-route', name: 'POST /api/realtime/token', evidence: 'server/index.js:9', note: '' };
const analysis = (findings: Finding[], facts: ModelFact[]): Analysis => ({ findings, modelFacts: facts }) as unknown as Analysis;

describe('toolRouteGaps', () => {
  it('names the missing route, the server file and the tools with their inputs', () => {
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/tools/…')], [route, tool]))).toEqual([
      {
        route: 'POST /api/tools/…',
        evidence: 'web/tools.ts:12',
        serverFile: 'server/index.js',
        derivedAt: null,
        routes: ['POST /api/tools/…'],
        tools: [{ name: 'find_appointment', evidence: 'web/tools.ts:5', description: 'Look up the next appointment of the caller', params: ['dateOfBirth'] }],
      },
    ]);
  });

  it("derives one route per declared tool where the interpolated part is the tool call's name", () => {
    const other: ModelFact = { ...tool, name: 'cancel_appointment', evidence: 'web/tools.ts:6', params: ['id'] };
    const [g] = toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/tools/…', 'web/session.ts:34')], [route, tool, other]));
    expect(g?.derivedAt).toBe('web/session.ts:34');
    expect(g?.routes).toEqual(['POST /api/tools/find_appointment', 'POST /api/tools/cancel_appointment']);
    expect(toolRoutesWhyMd(g!)).toBe(
      "its interpolated part is the name of the provider's tool call (passed at `web/session.ts:34`), so the routes are derived, one per declared tool: `POST /api/tools/find_appointment` and `POST /api/tools/cancel_appointment`",
    );
  });

  it('is no tool route where the request is elsewhere, no tool is declared, or the route is unknown', () => {
    expect(toolRouteGaps(analysis([missing('web/api.ts:3', 'GET /api/items')], [route, tool]))).toEqual([]);
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/tools/…')], [route]))).toEqual([]);
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12')], [route, tool]))).toEqual([]);
  });

  it('is no tool route where the request neither says tools nor names one, and lists only the tool a segment names', () => {
    const other: ModelFact = { ...tool, name: 'cancel_appointment', evidence: 'web/tools.ts:6', params: ['id'] };
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/session')], [route, tool, other]))).toEqual([]);
    const [g] = toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/cancel_appointment')], [route, tool, other]));
    expect(g?.tools.map((t) => t.name)).toEqual(['cancel_appointment']);
  });

  it('takes the server file from the route sharing the longest leading path, and none where no route shares one', () => {
    const other: ModelFact = { kind: 'http-route', name: 'GET /health', evidence: 'server/health.js:3', note: '' };
    const tools: ModelFact = { kind: 'http-route', name: 'POST /api/tools/list', evidence: 'server/tools.js:4', note: '' };
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/tools/…')], [other, route, tools, tool]))[0]?.serverFile).toBe('server/tools.js');
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /api/tools/…')], [other, route, tool]))[0]?.serverFile).toBe('server/index.js');
    expect(toolRouteGaps(analysis([missing('web/tools.ts:12', 'POST /tools/…')], [other, route, tool]))[0]?.serverFile).toBe(null);
  });
});
