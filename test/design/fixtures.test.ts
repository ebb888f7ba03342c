// The plan-* fixture projects through the real context reader and analyzer. Assertions are
// about the design stage's behaviour on real inputs (scenario, transport, real file names,
// valid diagrams); exact analyzer output is tested by the analyzer's own suite.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import { validateMermaid } from '../../src/diagrams/validate.js';
import { renderPlan } from '../../src/render/engine.js';
import { NOW } from './inputs.js';

const ROOT = fileURLToPath(new URL('../fixtures/projects/', import.meta.url));

const CASES: [fixture: string, task: string, scenario: string, transport: string, realFile: string][] = [
  ['plan-state-sync', 'sync-architecture', 'state-sync', 'websocket', 'src/server.ts'],
  ['plan-ai-streaming', 'ai-answers', 'ai-streaming', 'sse', 'app/api/answer/route.ts'],
  ['plan-subscriptions', 'agent-subscriptions', 'subscriptions', 'websocket', 'server/src/websocket/index.ts'],
  ['plan-chat-collab', 'team-chat', 'chat-collab', 'socket.io', 'server.js'],
  ['plan-voice', 'voice-assistant', 'voice', 'websocket', 'src/services/liveClient.ts'],
  ['plan-notifications', 'order-notifications', 'notifications', 'sse', 'src/routes/events.js'],
  ['plan-collab-editing', 'shared-notes', 'collab-editing', 'websocket', 'server/index.ts'],
];

describe.each(CASES)('%s', (fixture, task, scenario, transport, realFile) => {
  it('plans the scenario on the real project', async () => {
    const root = path.join(ROOT, fixture);
    const sessions = await readSessions(root, { globs: [] });
    const analysis = await analyzeProject(root);
    const plan = buildPlan({ task, now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
    expect(plan.scenarios.map((s) => s.id)).toContain(scenario);
    expect(plan.transport).toBe(transport);
    expect(plan.context.sessionFiles).toEqual(['.claude/tasks/context_session_1.md']);
    const markdown = renderPlan(plan, { frontmatter: '---\ntask: "x"\n---\n' });
    expect(markdown).toContain(`\`${realFile}\``);
    for (const d of plan.diagrams) expect(await validateMermaid(d.source), d.title).toEqual({ valid: true });
  });
});
