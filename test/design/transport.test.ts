// The transport decision across stacks: keep what exists, upgrade what is end-of-life,
// follow the framework and the provider when nothing exists yet.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import { analysis, chatInput, CTX, feature, input, sessions, subscriptionsInput } from './inputs.js';

describe('transport decision', () => {
  it('totals are the weighted sums and the chosen row has the highest total', () => {
    for (const plan of [buildPlan(chatInput()), buildPlan(subscriptionsInput())]) {
      const { criteria, matrix } = plan.transportDecision;
      for (const row of matrix) expect(row.total).toBe(row.scores.reduce((sum, s, i) => sum + s * criteria[i]!.weight, 0));
      const chosen = matrix.filter((r) => r.chosen);
      expect(chosen).toHaveLength(1);
      expect(chosen[0]!.total).toBe(Math.max(...matrix.map((r) => r.total)));
    }
  });

  it('Socket.IO 2.x is kept but upgraded, with allowEIO3 during the rollout', () => {
    const i = chatInput();
    i.analysis.stack.libraries[0] = { ...i.analysis.stack.libraries[0]!, version: '2.3.0', declared: '^2.3.0' };
    const plan = buildPlan(i);
    expect(plan.transport).toBe('socket.io');
    expect(plan.transportDecision.reasonsMd[1]).toBe(
      '`socket.io` 2.3.0 is 2.x, which is end-of-life: upgrade the server to 4.x first, with `allowEIO3: true` so 2.x clients keep connecting during the client rollout.',
    );
    const step = plan.steps.find((s) => s.title === 'Upgrade Socket.IO 2.x to 4.x');
    expect(step?.files.map((f) => `${f.action} ${f.path}`)).toEqual(['change package.json', 'change server.js']);
  });

  it('a Fastify project without real-time code gets @fastify/websocket', () => {
    const s = 'Users subscribe to a dashboard and receive its updates.';
    const plan = buildPlan(
      input({
        task: 'dashboard-updates',
        sessions: sessions(CTX, s, [feature('subscriptions', s, `${CTX}:1`)]),
        analysis: analysis({
          name: 'ops-console',
          typescript: true,
          deps: { fastify: '^4.26.0' },
          sourceFiles: ['src/app.ts', 'src/routes/dashboards.ts'],
          stack: { frameworks: [{ name: 'fastify', version: '4.26.0', evidence: 'package.json:6' }] },
        }),
      }),
    );
    expect([plan.transport, plan.library]).toEqual(['websocket', '@fastify/websocket']);
    expect(plan.events.map((e) => e.name).slice(0, 3)).toEqual(['dashboard:subscribe', 'dashboard:unsubscribe', 'dashboard:updated']);
    expect(plan.steps.find((st) => st.title === 'Real-time server bootstrap')?.files.map((f) => f.path)).toEqual([
      'src/realtime/server.ts',
      'src/app.ts',
      'package.json',
    ]);
  });

  it('a voice-only OpenAI project uses WebRTC straight to the provider', () => {
    const s = 'Add a voice agent with the OpenAI Realtime API.';
    const plan = buildPlan(
      input({
        task: 'voice-agent',
        sessions: sessions(CTX, s, [feature('voice', s, `${CTX}:1`)]),
        analysis: analysis({
          name: 'talkie',
          typescript: true,
          deps: { react: '^18.3.1' },
          sourceFiles: ['src/App.tsx'],
          stack: { providers: ['openai-realtime'], frameworks: [{ name: 'react', version: '18.3.1', evidence: 'package.json:6' }] },
        }),
      }),
    );
    expect([plan.transport, plan.library]).toEqual(['webrtc', null]);
    expect(plan.events.filter((e) => e.channel === 'oai-events').map((e) => e.name)).toEqual([
      'session.update',
      'response.function_call_arguments.done',
      'conversation.item.create',
    ]);
    expect(plan.protocol.flows.map((f) => f.title)).toEqual(['Open an OpenAI Realtime session over WebRTC', 'Tool call in preview, applied after approval']);
  });

  it('voice next to chat keeps the app channel on the existing Socket.IO', () => {
    const i = chatInput();
    i.options = { patterns: ['chat-collab', 'voice'] };
    const plan = buildPlan(i);
    expect(plan.transport).toBe('socket.io');
    expect(plan.protocol.flows.map((f) => f.title)).toEqual(['chatMessage with ack and dedup', 'Open an OpenAI Realtime session over WebRTC']);
    expect(plan.context.assumptionsMd[0]).toBe(
      'No voice provider is named or detected: the plan assumes OpenAI Realtime over WebRTC, which OpenAI recommends for browsers.',
    );
  });

  it('scores candidate libraries and picks the best for the chosen transport', () => {
    const rows = (plan: ReturnType<typeof buildPlan>) =>
      plan.transportDecision.libraries.map((l) => `${l.name} ${l.scores.join('/')}=${l.total}${l.chosen ? ' chosen' : ''}`);
    expect(rows(buildPlan(chatInput()))).toEqual(['socket.io 3/3/3/2=14 chosen', 'ws 0/2/1/3=6', 'uWebSockets.js 0/1/2/1=4']);
    expect(rows(buildPlan(subscriptionsInput()))).toEqual([
      'socket.io 0/2/3/2=7',
      'ws 0/2/1/3=6',
      '@fastify/websocket 3/3/1/3=13 chosen',
      'uWebSockets.js 0/1/2/1=4',
    ]);
  });
});
