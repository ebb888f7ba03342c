// Hand-made PlanInputs mirroring the fixture projects under test/fixtures/projects/plan-*,
// so the design stage is tested without the analyzer: what the analyzer should find in each
// fixture is written out here explicitly.
import type { Analysis, DocRef, Feature, Requirement, SessionContext } from '../../src/types.js';
import type { PlanInput } from '../../src/design/types.js';

export const NOW = new Date('2026-11-21T10:15:00Z');

export function analysis(partial: {
  name: string;
  typescript?: boolean;
  deps?: Record<string, string>;
  sourceFiles: string[];
  stack?: Partial<Analysis['stack']>;
  events?: Analysis['events'];
  findings?: Analysis['findings'];
  packages?: Analysis['project']['packages'];
}): Analysis {
  const deps = partial.deps ?? {};
  return {
    project: {
      name: partial.name,
      packageManager: 'npm',
      packages: partial.packages ?? [
        {
          dir: '',
          name: partial.name,
          manifest: 'package.json',
          dependencies: deps,
          dependencyLines: Object.fromEntries(Object.keys(deps).map((d, i) => [d, 6 + i])),
        },
      ],
      sourceFiles: [...partial.sourceFiles].sort(),
      typescript: partial.typescript ?? false,
    },
    stack: {
      transports: [],
      providers: [],
      libraries: [],
      scaling: [],
      auth: [],
      heartbeat: { present: false, evidence: null },
      reconnect: { present: false, evidence: null },
      entrypoints: [],
      frameworks: [],
      ...partial.stack,
    },
    events: partial.events ?? [],
    findings: partial.findings ?? [],
    warnings: [],
  };
}

export function sessions(file: string, body: string, requirements: Requirement[]): SessionContext {
  return { files: [file], docs: [{ path: file, data: {}, title: null, body }], requirements, warnings: [] };
}

export const KNOWLEDGE: DocRef[] = [
  {
    id: 'K1',
    source: 'knowledge',
    library: 'socket.io',
    version: '>=4',
    reference: 'templates/knowledge/socket-io-v4.md',
    title: 'Socket.IO v4 server options',
    excerpt: '',
    topics: ['heartbeat', 'payload-limit', 'resume', 'sticky-sessions'],
    links: ['https://socket.io/docs/v4/server-options/'],
  },
  {
    id: 'K2',
    source: 'knowledge',
    library: '@socket.io/redis-adapter',
    version: '>=8',
    reference: 'templates/knowledge/socket-io-redis-adapter.md',
    title: 'Socket.IO Redis adapters',
    excerpt: '',
    topics: ['scaling', 'redis', 'resume'],
    links: ['https://socket.io/docs/v4/redis-adapter/'],
  },
  {
    id: 'K3',
    source: 'knowledge',
    library: 'ws',
    version: '>=8',
    reference: 'templates/knowledge/ws-8.md',
    title: 'ws 8 server',
    excerpt: '',
    topics: ['heartbeat', 'payload-limit', 'compression'],
    links: ['https://github.com/websockets/ws'],
  },
  {
    id: 'K4',
    source: 'knowledge',
    library: null,
    version: null,
    reference: 'templates/knowledge/sse.md',
    title: 'Server-sent events',
    excerpt: '',
    topics: ['sse', 'keep-alive', 'resume'],
    links: ['https://html.spec.whatwg.org/multipage/server-sent-events.html'],
  },
  {
    id: 'K5',
    source: 'knowledge',
    library: 'openai-realtime',
    version: null,
    reference: 'templates/knowledge/openai-realtime.md',
    title: 'OpenAI Realtime over WebRTC',
    excerpt: '',
    topics: ['ephemeral-token', 'webrtc'],
    links: ['https://platform.openai.com/docs/guides/realtime-webrtc'],
  },
  {
    id: 'K6',
    source: 'knowledge',
    library: 'gemini-live',
    version: null,
    reference: 'templates/knowledge/gemini-live.md',
    title: 'Gemini Live sessions',
    excerpt: '',
    topics: ['session-limits', 'ephemeral-token', 'resume'],
    links: ['https://firebase.google.com/docs/ai-logic/live-api'],
  },
];

export function input(p: Omit<PlanInput, 'now' | 'toolVersion' | 'docs' | 'options'> & Partial<Pick<PlanInput, 'docs' | 'options'>>): PlanInput {
  return { now: NOW, toolVersion: '0.1.0', docs: { refs: KNOWLEDGE, notices: [] }, options: {}, ...p };
}

export const feature = (feature: Feature, sentence: string, evidence: string): Requirement => ({ kind: 'feature', feature, sentence, evidence });
export const number = (
  metric: 'concurrent-users' | 'message-rate' | 'latency' | 'room-size' | 'payload-size',
  value: number,
  unit: string,
  sentence: string,
  evidence: string,
): Requirement => ({ kind: 'number', metric, value, unit, sentence, evidence });

export const CTX = '.claude/tasks/context_session_1.md';

/** Express + Socket.IO 4 chat with a Redis adapter, two existing events and two findings. */
export function chatInput(): PlanInput {
  const s1 = 'We are building team chat with rooms, presence and typing indicators.';
  const s2 = 'It must handle 20,000 concurrent users, with rooms of up to 50 members.';
  return input({
    task: 'team-chat',
    sessions: sessions(CTX, `# Team chat\n\n${s1}\n${s2}\n`, [
      feature('chat', s1, `${CTX}:3`),
      feature('presence', s1, `${CTX}:3`),
      feature('typing', s1, `${CTX}:3`),
      number('concurrent-users', 20000, 'users', s2, `${CTX}:4`),
      number('room-size', 50, 'users/room', s2, `${CTX}:4`),
    ]),
    analysis: analysis({
      name: 'acme-chat',
      deps: { express: '^4.19.2', 'socket.io': '^4.7.2', '@socket.io/redis-adapter': '^8.3.0', redis: '^4.6.13' },
      sourceFiles: ['server.js', 'public/client.js', 'lib/rooms.js'],
      stack: {
        transports: ['socket.io'],
        libraries: [
          { name: 'socket.io', version: '4.7.2', declared: '^4.7.2', role: 'server', evidence: 'package.json:7', kind: 'library', workspace: '' },
          {
            name: '@socket.io/redis-adapter',
            version: '8.3.0',
            declared: '^8.3.0',
            role: 'server',
            evidence: 'package.json:8',
            kind: 'scaling',
            workspace: '',
          },
        ],
        scaling: [{ name: '@socket.io/redis-adapter', evidence: 'server.js:12' }],
        auth: [{ kind: 'jwt-query', evidence: 'server.js:18' }],
        heartbeat: { present: true, evidence: 'server.js:9', intervalMs: 10000 },
        entrypoints: [
          { file: 'server.js', line: 9, kind: 'socket-server' },
          { file: 'public/client.js', line: 1, kind: 'socket-client' },
        ],
        frameworks: [{ name: 'express', version: '4.19.2', evidence: 'package.json:6' }],
      },
      events: [
        { name: 'joinRoom', direction: 'client-to-server', origin: 'existing', evidence: 'server.js:22', transport: 'socket.io' },
        { name: 'chatMessage', direction: 'both', origin: 'existing', evidence: 'server.js:27', transport: 'socket.io' },
      ],
      findings: [
        {
          id: 'in-memory-state',
          severity: 'high',
          message: 'Room membership lives in a Map in process memory',
          evidence: 'lib/rooms.js:3',
          fix: 'Keep membership in Redis so every node sees it',
        },
        {
          id: 'no-ack',
          severity: 'medium',
          message: 'chatMessage is emitted without an acknowledgement',
          evidence: 'public/client.js:14',
          fix: 'Use emitWithAck with a timeout and a client message id',
        },
      ],
    }),
  });
}

/** Next.js app without real-time code that wants streamed AI answers. */
export function aiInput(): PlanInput {
  const s1 = 'Stream the assistant answers token by token to the browser.';
  const s2 = 'First tokens should appear within 300 ms.';
  return input({
    task: 'ai-answers',
    sessions: sessions(CTX, `${s1}\n${s2}\n`, [feature('ai-streaming', s1, `${CTX}:1`), number('latency', 300, 'ms', s2, `${CTX}:2`)]),
    analysis: analysis({
      name: 'helpdesk-web',
      typescript: true,
      deps: { next: '14.2.3', react: '18.3.1', openai: '^4.52.0' },
      sourceFiles: ['app/page.tsx', 'app/api/answer/route.ts', 'lib/openai.ts'],
      stack: {
        frameworks: [
          { name: 'next', version: '14.2.3', evidence: 'package.json:6' },
          { name: 'react', version: '18.3.1', evidence: 'package.json:7' },
        ],
      },
    }),
  });
}

const lib = (
  name: string,
  version: string,
  role: 'server' | 'client' | 'both',
  evidence: string,
  kind: 'library' | 'provider' | 'scaling' = 'library',
  workspace = '',
) => ({ name, version, declared: version, role, evidence, kind, workspace });

/** TypeScript ws server + CLI + React dashboard that must stay in sync. */
export function stateSyncInput(): PlanInput {
  const s1 = 'The terminal CLI and the web dashboard must stay in sync: when a build changes state in one, the other shows it within 200 ms.';
  const s2 = 'About 500 concurrent users watch builds at peak.';
  return input({
    task: 'sync-architecture',
    sessions: sessions(CTX, `${s1}\n${s2}\n`, [
      feature('state-sync', s1, `${CTX}:4`),
      number('concurrent-users', 500, 'users', s2, `${CTX}:5`),
      number('latency', 200, 'ms', s1, `${CTX}:4`),
    ]),
    analysis: analysis({
      name: 'devtail',
      typescript: true,
      deps: { express: '^4.19.2', ws: '^8.16.0', react: '^18.3.1' },
      sourceFiles: ['src/builds.ts', 'src/cli/watch.ts', 'src/server.ts', 'web/src/App.tsx'],
      stack: {
        transports: ['websocket'],
        libraries: [lib('ws', '8.16.0', 'both', 'package.json:8')],
        auth: [{ kind: 'none', evidence: 'src/server.ts:8' }],
        entrypoints: [
          { file: 'src/cli/watch.ts', line: 3, kind: 'ws-client' },
          { file: 'src/server.ts', line: 8, kind: 'ws-server' },
          { file: 'web/src/App.tsx', line: 6, kind: 'ws-client' },
        ],
        frameworks: [
          { name: 'express', version: '4.19.2', evidence: 'package.json:7' },
          { name: 'react', version: '18.3.1', evidence: 'package.json:9' },
        ],
      },
      events: [
        { name: 'command', direction: 'client-to-server', origin: 'existing', evidence: 'src/server.ts:16', transport: 'websocket' },
        { name: 'state', direction: 'server-to-client', origin: 'existing', evidence: 'src/server.ts:13', transport: 'websocket' },
      ],
      findings: [
        {
          id: 'no-heartbeat',
          severity: 'high',
          message: 'No ping/pong: dead sockets stay in the clients set',
          evidence: 'src/server.ts:8',
          fix: 'ws.ping() every 30 s, terminate sockets that miss a pong',
        },
        {
          id: 'no-reconnect',
          severity: 'high',
          message: 'The dashboard never reconnects after a drop',
          evidence: 'web/src/App.tsx:6',
          fix: 'Reconnect with exponential backoff and full jitter',
        },
        {
          id: 'no-reconnect',
          severity: 'high',
          message: 'The CLI never reconnects after a drop',
          evidence: 'src/cli/watch.ts:3',
          fix: 'Reconnect with exponential backoff and full jitter',
        },
      ],
    }),
  });
}

/** Fastify + @fastify/websocket monorepo where clients subscribe to agents. */
export function subscriptionsInput(): PlanInput {
  const s1 = "Clients subscribe to an agent to stream the agent's output and status changes; workspace updates go to everyone watching the workspace.";
  return input({
    task: 'agent-subscriptions',
    sessions: sessions(CTX, `# Agent output in the browser\n\n${s1}\nMalformed messages must get an error back instead of being dropped silently.\n`, [
      feature('subscriptions', s1, `${CTX}:3`),
    ]),
    analysis: analysis({
      name: 'agent-hub',
      typescript: true,
      sourceFiles: ['server/src/index.ts', 'server/src/websocket/index.ts', 'web/src/lib/websocket.ts'],
      packages: [
        { dir: '', name: 'agent-hub', manifest: 'package.json', dependencies: {}, dependencyLines: {} },
        {
          dir: 'server',
          name: '@agent-hub/server',
          manifest: 'server/package.json',
          dependencies: { fastify: '^4.26.2', '@fastify/websocket': '^10.0.1' },
          dependencyLines: { fastify: 7, '@fastify/websocket': 8 },
        },
        { dir: 'web', name: '@agent-hub/web', manifest: 'web/package.json', dependencies: { react: '^18.3.1' }, dependencyLines: { react: 6 } },
      ],
      stack: {
        transports: ['websocket'],
        libraries: [lib('@fastify/websocket', '10.0.1', 'server', 'server/package.json:8', 'library', 'server')],
        auth: [{ kind: 'none', evidence: 'server/src/websocket/index.ts:13' }],
        heartbeat: { present: true, evidence: 'server/src/websocket/index.ts:17', intervalMs: 30000 },
        entrypoints: [
          { file: 'server/src/websocket/index.ts', line: 13, kind: 'ws-server' },
          { file: 'web/src/lib/websocket.ts', line: 5, kind: 'ws-client' },
        ],
        frameworks: [
          { name: 'fastify', version: '4.26.2', evidence: 'server/package.json:7' },
          { name: 'react', version: '18.3.1', evidence: 'web/package.json:6' },
        ],
      },
      events: [
        { name: 'agent:output', direction: 'server-to-client', origin: 'existing', evidence: 'server/src/websocket/index.ts:38', transport: 'websocket' },
        { name: 'subscribe:agent', direction: 'client-to-server', origin: 'existing', evidence: 'server/src/websocket/index.ts:28', transport: 'websocket' },
        { name: 'unsubscribe:agent', direction: 'client-to-server', origin: 'existing', evidence: 'server/src/websocket/index.ts:29', transport: 'websocket' },
      ],
      findings: [
        {
          id: 'no-origin-check',
          severity: 'high',
          message: 'The upgrade accepts any Origin',
          evidence: 'server/src/websocket/index.ts:13',
          fix: 'Check Origin against an allow-list before the upgrade',
        },
        {
          id: 'malformed-message-swallowed',
          severity: 'medium',
          message: 'Invalid JSON is only logged; the client gets no error',
          evidence: 'server/src/websocket/index.ts:31',
          fix: 'Answer with an error event carrying a code',
        },
      ],
    }),
  });
}

/** React canvas app calling Gemini Live from the browser with a VITE_ key. */
export function voiceInput(): PlanInput {
  const s1 =
    'Add a voice assistant to the canvas with Gemini Live: the user speaks, and tool calls like magic_edit are previewed on the canvas and applied only after the user approves.';
  return input({
    task: 'voice-assistant',
    sessions: sessions(CTX, `${s1}\n`, [feature('voice', s1, `${CTX}:1`)]),
    analysis: analysis({
      name: 'canvas-studio',
      typescript: true,
      deps: { react: '^18.3.1', '@google/genai': '^0.14.0', vite: '^5.2.0' },
      sourceFiles: ['src/components/Canvas.tsx', 'src/services/liveClient.ts'],
      stack: {
        transports: ['websocket'],
        providers: ['gemini-live'],
        libraries: [lib('@google/genai', '0.14.0', 'client', 'package.json:11', 'provider')],
        auth: [{ kind: 'api-key-in-client', evidence: 'src/services/liveClient.ts:5' }],
        entrypoints: [{ file: 'src/services/liveClient.ts', line: 8, kind: 'provider-client' }],
        frameworks: [
          { name: 'react', version: '18.3.1', evidence: 'package.json:10' },
          { name: 'vite', version: '5.2.0', evidence: 'package.json:14' },
        ],
      },
      findings: [
        {
          id: 'api-key-in-browser',
          severity: 'critical',
          message: 'VITE_GEMINI_API_KEY is bundled into the browser build',
          evidence: 'src/services/liveClient.ts:5',
          fix: 'Mint ephemeral tokens on a server route',
        },
      ],
    }),
  });
}

/** Express app with a hand-rolled SSE endpoint that needs replayable notifications. */
export function notificationsInput(): PlanInput {
  const s1 = 'Push notifications to shoppers when their order ships; shoppers who were offline should get missed notifications after reconnecting.';
  const s2 = 'Expect 8,000 concurrent users on sale days.';
  return input({
    task: 'order-notifications',
    sessions: sessions(CTX, `${s1}\n${s2}\n`, [feature('notifications', s1, `${CTX}:1`), number('concurrent-users', 8000, 'users', s2, `${CTX}:2`)]),
    analysis: analysis({
      name: 'shopfront-api',
      deps: { express: '^4.18.2' },
      sourceFiles: ['src/app.js', 'src/notify.js', 'src/routes/events.js'],
      stack: {
        transports: ['sse'],
        entrypoints: [{ file: 'src/routes/events.js', line: 7, kind: 'sse-endpoint' }],
        frameworks: [{ name: 'express', version: '4.18.2', evidence: 'package.json:6' }],
      },
      events: [{ name: 'order-shipped', direction: 'server-to-client', origin: 'existing', evidence: 'src/notify.js:7', transport: 'sse' }],
      findings: [
        {
          id: 'sse-no-keepalive',
          severity: 'medium',
          message: 'No keep-alive comments: proxies close idle streams',
          evidence: 'src/routes/events.js:7',
          fix: 'Write ": keep-alive" every 15 s',
        },
        {
          id: 'sse-no-event-id',
          severity: 'low',
          message: 'Events carry no id: Last-Event-ID resume is impossible',
          evidence: 'src/notify.js:7',
          fix: 'Send id: with a per-user sequence number',
        },
      ],
    }),
  });
}

/** Notes app with no real-time code at all that wants Google-Docs-style editing. */
export function collabInput(): PlanInput {
  const s1 = 'Several people edit the same document at the same time, like Google Docs, and offline edits must merge when they come back online.';
  const s2 = 'Documents have up to 10 editors per document.';
  return input({
    task: 'shared-notes',
    sessions: sessions(CTX, `# Shared notes\n\n${s1}\n${s2}\n`, [
      feature('collaborative-editing', s1, `${CTX}:3`),
      number('room-size', 10, 'users/room', s2, `${CTX}:4`),
    ]),
    analysis: analysis({
      name: 'notes-app',
      typescript: true,
      deps: { express: '^4.19.2', react: '^18.3.1' },
      sourceFiles: ['client/src/Editor.tsx', 'server/index.ts', 'server/notes.ts'],
      stack: {
        frameworks: [
          { name: 'express', version: '4.19.2', evidence: 'package.json:7' },
          { name: 'react', version: '18.3.1', evidence: 'package.json:8' },
        ],
      },
    }),
  });
}

export const ALL: Record<string, () => PlanInput> = {
  'state-sync': stateSyncInput,
  'ai-streaming': aiInput,
  subscriptions: subscriptionsInput,
  'chat-collab': chatInput,
  voice: voiceInput,
  notifications: notificationsInput,
  'collab-editing': collabInput,
};

/** The chat project with names built to break Markdown and Mermaid. */
export function hostileInput() {
  const input = chatInput();
  const nasty = 'we"ird|name`end %% ]]> <script>x</script>\n; #1 🚀';
  input.analysis.project.name = nasty;
  input.analysis.project.sourceFiles = ['src/a|b`end.js', 'server.js'];
  input.analysis.stack.entrypoints = [
    { file: 'src/a|b`end.js', line: 3, kind: 'socket-server' },
    { file: 'public/c"l;i}e{nt.js', line: 1, kind: 'socket-client' },
  ];
  input.analysis.events = [
    { name: 'evil|event`end', direction: 'both', origin: 'existing', evidence: 'src/a|b`end.js:4' },
    { name: 'x"]) --> y', direction: 'client-to-server', origin: 'existing', evidence: null },
  ];
  input.sessions.docs[0]!.body += '\nThe board %% end "quoted" board.';
  return input;
}
