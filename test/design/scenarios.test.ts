// One case per scenario (the hand-made inputs mirror the plan-* fixture projects): exact
// scenario selection, transport, event catalog, flows and diagrams on the model, and a
// reviewed snapshot of the rendered Markdown.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import { speakingNames } from '../../src/design/scenarios/index.js';
import type { Plan } from '../../src/design/types.js';
import { renderPlan } from '../../src/render/engine.js';
import { REQUIRED_SECTIONS } from '../../src/verify/sections.js';
import { ALL, chatInput } from './inputs.js';

const FRONTMATTER = '---\ntask: "test"\n---\n';
// The sections `rt-plan check` requires (test/cli/plan.e2e.test.ts pins the list itself against PRODUCT.md).
const SECTIONS = REQUIRED_SECTIONS;

interface Expected {
  scenarios: string[];
  transport: string;
  library: string | null;
  existing: string[];
  proposed: string[];
  flows: string[];
  /** Standard flows whose opening event the code lacks: cited from the protocol note, not drawn. */
  cited?: string[];
}

const EXPECTED: Record<string, Expected> = {
  'state-sync': {
    scenarios: ['state-sync'],
    transport: 'websocket',
    library: 'ws',
    existing: ['command', 'state'],
    // Named after the context's entity in the project's style; the existing command/state events carry the seq and mutationId.
    proposed: ['build:sync', 'build:snapshot', 'sys:error', 'sys:ack', 'sys:ping', 'sys:pong'],
    flows: [],
    cited: ['build:sync and catch-up'],
  },
  'ai-streaming': {
    scenarios: ['ai-streaming'],
    transport: 'sse',
    library: null,
    existing: [],
    proposed: ['ai:request', 'ai:start', 'ai:chunk', 'ai:end', 'ai:cancel', 'ai:resume', 'sys:error'],
    flows: [],
    cited: ['Stream an AI response', 'Cancel and resume'],
  },
  subscriptions: {
    scenarios: ['subscriptions'],
    transport: 'websocket',
    library: '@fastify/websocket',
    existing: ['agent:output', 'subscribe:agent', 'unsubscribe:agent'],
    // agent:output already carries the agent's updates: extended with a seq, no agent:updated next to it. The
    // context also names the agent's status and the workspace's updates, which no event carries yet.
    proposed: ['agent:status', 'subscribe:workspace', 'unsubscribe:workspace', 'workspace:update', 'sys:error', 'sys:ack', 'sys:ping', 'sys:pong'],
    flows: ['Subscribe to an agent'],
  },
  'chat-collab': {
    scenarios: ['chat-collab'],
    transport: 'socket.io',
    library: 'socket.io',
    existing: ['joinRoom', 'chatMessage'],
    // joinRoom and chatMessage serve join, send and new: only the missing roles are proposed, in the project's camelCase.
    proposed: ['leaveRoom', 'updatePresence', 'updateTyping', 'sys:error', 'auth:refresh'],
    flows: ['chatMessage with ack and dedup', 'joinRoom with catch-up and presence'],
  },
  voice: {
    scenarios: ['voice'],
    transport: 'websocket',
    library: '@google/genai',
    existing: [],
    // The browser talks to the provider directly: no channel of ours carries sys:error, and the
    // approval between a toolCall and its toolResponse is page state, not an event of ours.
    proposed: ['toolCall', 'toolResponse', 'toolCallCancellation', 'goAway', 'sessionResumptionUpdate'],
    flows: ['Gemini Live session with resumption', 'Tool call in preview, applied after approval'],
  },
  notifications: {
    scenarios: ['notifications'],
    transport: 'sse',
    library: null,
    existing: ['order-shipped'],
    proposed: ['notification-new', 'sys:error'],
    flows: [],
    cited: ['Deliver a notification', 'Replay missed notifications'],
  },
  'collab-editing': {
    scenarios: ['collab-editing'],
    transport: 'websocket',
    library: 'y-websocket',
    existing: [],
    proposed: ['sync.step1', 'sync.step2', 'sync.update', 'awareness.update'],
    flows: ['Open a document (Yjs sync)', 'Concurrent edits merge'],
  },
};

function render(plan: Plan): string {
  return renderPlan(plan, { frontmatter: FRONTMATTER });
}

describe.each(Object.keys(EXPECTED))('scenario %s', (name) => {
  const plan = buildPlan(ALL[name]!());
  const want = EXPECTED[name]!;
  const markdown = render(plan);

  it('selects the scenario, transport and library', () => {
    expect(plan.scenarios.map((s) => s.id)).toEqual(want.scenarios);
    expect(plan.transport).toBe(want.transport);
    expect(plan.library).toBe(want.library);
  });

  it('keeps existing events and adds the scenario events', () => {
    expect(plan.events.filter((e) => e.origin === 'existing').map((e) => e.name)).toEqual(want.existing);
    expect(plan.events.filter((e) => e.origin === 'proposed').map((e) => e.name)).toEqual(want.proposed);
    for (const e of plan.events.filter((x) => x.origin === 'existing')) expect(e.evidence).toMatch(/:\d+$/);
  });

  it('has one sequence diagram per key flow, after architecture (the lifecycle and topology are data, not drawn)', () => {
    expect(plan.protocol.flows.map((f) => f.title)).toEqual(want.flows);
    expect((plan.protocol.citedFlows?.flows ?? []).map((f) => f.title)).toEqual(want.cited ?? []);
    expect(plan.diagrams.map((d) => d.title)).toEqual(['Architecture and data flow', ...want.flows]);
    expect(plan.diagrams.map((d) => d.kind)).toEqual(['flowchart', ...want.flows.map(() => 'sequence')]);
  });

  it('renders the 17 sections in order, one mermaid block per diagram', () => {
    // Core design opens the Event protocol section (an H3), so the 17 sections of PRODUCT.md keep their numbers.
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(SECTIONS.map((s, i) => `## ${i + 1}. ${s}`));
    expect(markdown.split('\n').filter((l) => l === '```mermaid')).toHaveLength(plan.diagrams.length);
    expect(markdown.split('\n').slice(0, 5)).toEqual(['---', 'task: "test"', '---', '', `# ${plan.title}`]);
  });

  it('names implementation files that exist in the project or sit in its layout', () => {
    const files = new Set(ALL[name]!().analysis.project.sourceFiles);
    const changed = plan.steps.flatMap((s) => s.files).filter((f) => f.action === 'change' && !f.path.endsWith('package.json'));
    for (const f of changed) expect(files.has(f.path), f.path).toBe(true);
  });

  // One snapshot file per section, so a change shows up in the section it touches.
  it('matches the reviewed rendering, section by section', async () => {
    const [head, ...parts] = markdown.split(/^(?=## \d+\. )/m);
    await expect(head).toMatchFileSnapshot(`__snapshots__/sections/${name}/00-title.md`);
    for (const part of parts) {
      const [, n, title] = /^## (\d+)\. (.*)/.exec(part)!;
      await expect(part).toMatchFileSnapshot(`__snapshots__/sections/${name}/${n!.padStart(2, '0')}-${title!.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`);
    }
  });
});

describe('cross-cutting', () => {
  it('a project without real-time code is planned from scratch', () => {
    const plan = buildPlan(ALL['collab-editing']!());
    expect(plan.currentState.hasRealtime).toBe(false);
    expect(plan.currentState.statementMd).toContain('**No real-time code was found**');
    expect(plan.currentState.stack.map((r) => r.label)).toEqual(['Framework', 'Framework', 'Heartbeat', 'Reconnection', 'Project']);
    expect(plan.transportDecision.reasonsMd[0]).toBe('No real-time code exists yet, so the choice follows the needs alone.');
  });

  it('reuses the heartbeat interval the project already configured', () => {
    const plan = buildPlan(ALL['chat-collab']!());
    expect(plan.connection.heartbeat[0]).toEqual({ label: 'pingInterval', valueMd: '10,000 ms', sourceMd: 'project value (found at server.js:9)' });
    expect(plan.connection.heartbeat[2]?.valueMd).toBe('≤ 30,000 ms');
  });

  it('uses Socket.IO defaults when the project sets no heartbeat', () => {
    const input = ALL['chat-collab']!();
    input.analysis.stack.heartbeat = { present: false, evidence: null };
    const plan = buildPlan(input);
    expect(plan.connection.heartbeat.slice(0, 2).map((r) => `${r.label} ${r.valueMd}`)).toEqual(['pingInterval 25,000 ms', 'pingTimeout 20,000 ms']);
    expect(plan.connection.heartbeat[0]?.sourceMd).toBe('Socket.IO v4 default [K1]');
  });

  it('cites inline only refs that match a decision; References lists every gathered ref, without pasting excerpts', () => {
    const input = ALL['chat-collab']!();
    const plan = buildPlan(input);
    expect(plan.references.map((r) => r.id)).toEqual(input.docs.refs.map((r) => r.id));
    expect(plan.references.filter((r) => r.cited).map((r) => r.id)).toEqual(['K1', 'K2', 'K3']);
    const markdown = render(plan);
    const [body, references] = markdown.split('## 17. References');
    for (const id of ['K1', 'K2', 'K3']) expect(body).toContain(`[${id}]`);
    expect(body).not.toContain('[K4]');
    expect(references).toContain('[K4]');
    for (const ref of input.docs.refs.filter((r) => r.excerpt.trim() !== '')) expect(references).not.toContain(ref.excerpt.trim().split('\n')[0]!);
    expect(
      buildPlan(ALL['ai-streaming']!())
        .references.filter((r) => r.cited)
        .map((r) => r.id),
    ).toEqual(['K4']);
  });

  it('is deterministic and does not mutate its input', () => {
    const input = ALL['state-sync']!();
    const before = JSON.stringify(input);
    expect(render(buildPlan(input))).toBe(render(buildPlan(ALL['state-sync']!())));
    expect(JSON.stringify(input)).toBe(before);
  });

  it('--pattern forces exactly the given scenarios, in canonical order', () => {
    const input = ALL['chat-collab']!();
    input.options = { patterns: ['voice', 'state-sync'] };
    const plan = buildPlan(input);
    expect(plan.scenarios.map((s) => s.id)).toEqual(['state-sync', 'voice']);
    expect(plan.scenarios[0]?.reasonMd).toBe('forced with `--pattern state-sync`');
    expect(plan.transport).toBe('socket.io');
  });

  it('capacity flags override the context', () => {
    const input = ALL['chat-collab']!();
    input.options = { capacity: { connections: 50_000, msgRate: 2_000, payloadBytes: 256, fanout: 10 } };
    const plan = buildPlan(input);
    expect(plan.performance.inputs.map((r) => `${r.valueMd} ${r.sourceMd}`)).toEqual([
      '50,000 flag `--connections`',
      '2,000 flag `--msg-rate`',
      '256 flag `--payload-bytes`',
      '10 flag `--fanout`',
    ]);
    expect(plan.performance.capacity.find((r) => r.quantity === 'Instances deployed (N+1)')?.value).toBe('9'); // ⌈50,000/7,000⌉ + 1
  });

  it('without requirements, existing event names pick the scenario; with nothing at all, state sync is the stated default', () => {
    const fromEvents = chatInput();
    fromEvents.task = 'improve-reliability';
    fromEvents.sessions = { files: [], docs: [], requirements: [], warnings: [] };
    const plan = buildPlan(fromEvents);
    expect(plan.scenarios).toEqual([{ id: 'chat-collab', title: 'Chat rooms and presence', reasonMd: 'existing events `chatMessage`' }]);
    expect(plan.context.assumptionsMd[0]).toBe('No session context file was found: requirements come from the task name and the code only.');

    // A monitoring dashboard's protocol: a credential event (`loginByToken`) and a tool's log line
    // (`cloudflared_message`) among twenty names are not AI streaming or chat.
    const dashboard = chatInput();
    dashboard.task = 'improve-reliability';
    dashboard.sessions = { files: [], docs: [], requirements: [], warnings: [] };
    const names = ['loginByToken', 'cloudflared_message', 'monitorList', 'heartbeat', 'heartbeatList', 'avgPing', 'uptime', 'certInfo', 'add', 'editMonitor'];
    const more = [
      'deleteMonitor',
      'pauseMonitor',
      'resumeMonitor',
      'getMonitorBeats',
      'proxyList',
      'dockerHostList',
      'info',
      'setup',
      'clearEvents',
      'clearStatistics',
    ];
    dashboard.analysis.events = [...names, ...more].map((name, i) => ({
      name,
      direction: 'server-to-client' as const,
      origin: 'existing' as const,
      evidence: `src/mixins/socket.js:${100 + i}`,
      transport: 'socket.io' as const,
    }));
    expect(buildPlan(dashboard).scenarios.map((x) => `${x.id}: ${x.reasonMd}`)).toEqual([
      'state-sync: default: no requirement, task word or provider pointed elsewhere (assumption)',
    ]);

    // Two names of the feature's own select it in a protocol of any size (2 chat events among 11, 18%), a join or an error notice not among them;
    // one name does only when it is the whole protocol.
    const picked = (eventNames: string[]) => {
      const inp = chatInput();
      inp.task = 'improve-reliability';
      inp.sessions = { files: [], docs: [], requirements: [], warnings: [] };
      inp.analysis.events = eventNames.map((name, i) => ({
        name,
        direction: 'server-to-client' as const,
        origin: 'existing' as const,
        evidence: `src/socket.js:${10 + i}`,
        transport: 'socket.io' as const,
      }));
      return buildPlan(inp).scenarios.map((x) => `${x.id}: ${x.reasonMd}`);
    };
    const other = ['monitorList', 'avgPing', 'uptime', 'certInfo', 'add', 'editMonitor', 'deleteMonitor', 'info', 'setup'];
    expect(picked(['typing', 'chatMessage', ...other])).toEqual(['chat-collab: existing events `typing` and `chatMessage`']);
    // A join is membership of a room, not a chat name: with one chat name among eleven, the events do not speak for chat.
    expect(picked(['joinRoom', 'chatMessage', ...other])).toEqual([
      'state-sync: default: no requirement, task word or provider pointed elsewhere (assumption)',
    ]);
    expect(picked(['room:join', 'chat:send', 'chat:message', ...other])).toEqual(['chat-collab: existing events `chat:send` and `chat:message`']);
    // A subscribe matched by its verb is the subscriptions scenario's own request.
    expect(picked(['fleet.subscribe'])).toEqual(['subscriptions: existing events `fleet.subscribe`']);

    // A 40-event delivery tracker that fans out by rooms and has error and system notices is no chat.
    const tracker = [
      'joinRoom',
      'leaveRoom',
      'error_message',
      'system_message',
      ...Array.from(
        { length: 36 },
        (_, i) =>
          ['parcel', 'driver', 'route', 'depot'][i % 4]! +
          ['Scanned', 'Moved', 'Assigned', 'Delivered', 'Delayed', 'Eta', 'Photo', 'Signed', 'Returned'][Math.floor(i / 4)]!,
      ),
    ];
    expect(new Set(tracker).size).toBe(40);
    expect(picked(tracker)).toEqual(['state-sync: default: no requirement, task word or provider pointed elsewhere (assumption)']);
    expect(picked(['chatMessage', ...other])).toEqual(['state-sync: default: no requirement, task word or provider pointed elsewhere (assumption)']);
    expect(picked(['chatMessage'])).toEqual(['chat-collab: existing events `chatMessage`']);
    // One name in a protocol of one feature's size (five names) speaks for it; in six it does not.
    expect(picked(['chatMessage', ...other.slice(0, 4)])).toEqual(['chat-collab: existing events `chatMessage`']);
    expect(picked(['chatMessage', ...other.slice(0, 5)])).toEqual([
      'state-sync: default: no requirement, task word or provider pointed elsewhere (assumption)',
    ]);

    const nothing = ALL['collab-editing']!();
    nothing.task = 'improve-reliability';
    nothing.sessions = { files: [], docs: [], requirements: [], warnings: [] };
    expect(buildPlan(nothing).scenarios.map((x) => `${x.id}: ${x.reasonMd}`)).toEqual([
      'state-sync: default: no requirement, task word or provider pointed elsewhere (assumption)',
    ]);
  });
});

describe('speakingNames', () => {
  it('leaves out error and system notices, and membership names the hint matches only by what is joined', () => {
    const chat = /room|message|typing|presence|chat/i;
    expect(
      speakingNames(chat, ['joinRoom', 'leaveRoom', 'room:join', 'error_message', 'system_message', 'sysMessage', 'chatMessage', 'typing', 'newMessage']),
    ).toEqual(['chatMessage', 'typing', 'newMessage']);
    expect(speakingNames(/subscri/i, ['fleet.subscribe', 'unsubscribe', 'subscriptionError', 'joinRoom'])).toEqual(['fleet.subscribe', 'unsubscribe']);
  });
});
