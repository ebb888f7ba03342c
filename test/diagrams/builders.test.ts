import { describe, expect, it } from 'vitest';
import { escapeLabel, flowchart, sequenceDiagram, stateDiagram } from '../../src/diagrams/builders.js';
import { validateMermaid } from '../../src/diagrams/validate.js';
import { parseDiagram } from './mermaid-db.js';

describe('escapeLabel', () => {
  it.each([
    ['Socket.IO server (v4.7.5)', 'Socket.IO server (v4.7.5)'],
    ['say "hi"', 'say #34;hi#34;'],
    ['a;b#c', 'a#59;b#35;c'],
    ['%%{init: {}}%%', '#37;#37;#123;init#58; #123;#125;#125;#37;#37;'],
    ['<script>', '#60;script#62;'],
    ['a|b`c`', 'a#124;b#96;c#96;'],
    ['line 1\r\nline 2', 'line 1<br>line 2'],
    ['ünïcødé 中文', 'ünïcødé 中文'],
    ['😀', '#128512;'],
    ['end', 'end'],
    ['tab\there', 'tab#9;here'],
  ])('%j → %j', (input, output) => {
    expect(escapeLabel(input)).toBe(output);
  });
});

describe('flowchart', () => {
  it('generates ids in insertion order and never uses the keys', () => {
    const d = flowchart('Arch "x"', {
      direction: 'TD',
      groups: [{ key: 'server', label: 'Server' }],
      nodes: [
        { key: 'client"]; click', label: 'Client', shape: 'round' },
        { key: 'io', label: 'Socket.IO', group: 'server' },
        { key: 'redis', label: 'Redis', shape: 'queue' },
        { key: 'db', label: 'Postgres', shape: 'db', group: 'server' },
        { key: 'c', label: 'Pool', shape: 'circle' },
        { key: 'h', label: 'Gateway', shape: 'hexagon' },
      ],
      edges: [
        { from: 'client"]; click', to: 'io', label: 'ws' },
        { from: 'io', to: 'redis', style: 'dashed' },
        { from: 'io', to: 'db', style: 'thick', label: 'save' },
      ],
    });
    expect(d).toEqual({
      kind: 'flowchart',
      title: 'Arch "x"',
      source: [
        '---',
        'title: "Arch \\"x\\""',
        '---',
        'flowchart TD',
        '  n0("Client")',
        '  n2>"Redis"]',
        '  n4(("Pool"))',
        '  n5{{"Gateway"}}',
        '  subgraph g0["Server"]',
        '    n1["Socket.IO"]',
        '    n3[("Postgres")]',
        '  end',
        '  n0 -->|"ws"| n1',
        '  n1 -.-> n2',
        '  n1 ==>|"save"| n3',
        '',
      ].join('\n'),
    });
  });

  it('throws on unknown or duplicate keys', () => {
    const nodes = [{ key: 'a', label: 'A' }];
    expect(() => flowchart('t', { nodes, edges: [{ from: 'a', to: 'b' }] })).toThrow('unknown node key "b"');
    expect(() => flowchart('t', { nodes: [...nodes, ...nodes], edges: [] })).toThrow('duplicate node key "a"');
    expect(() => flowchart('t', { nodes: [{ key: 'a', label: 'A', group: 'g' }], edges: [] })).toThrow('unknown group key "g"');
  });
});

describe('stateDiagram', () => {
  it('builds a stateDiagram-v2 with initial, final and notes', () => {
    const d = stateDiagram('Lifecycle', {
      states: [
        { key: 'connecting', label: 'Connecting' },
        { key: 'open', label: 'Open' },
      ],
      initial: 'connecting',
      transitions: [{ from: 'connecting', to: 'open', label: 'auth ok: token valid' }],
      final: ['open'],
      notes: [{ state: 'open', text: 'ping every 25 s' }],
    });
    expect(d.source).toBe(
      [
        '---',
        'title: "Lifecycle"',
        '---',
        'stateDiagram-v2',
        '  state "Connecting" as n0',
        '  state "Open" as n1',
        '  [*] --> n0',
        '  n0 --> n1 : auth ok#58; token valid',
        '  n1 --> [*]',
        '  note right of n1 : ping every 25 s',
        '',
      ].join('\n'),
    );
    expect(() => stateDiagram('t', { states: [], initial: 'x', transitions: [] })).toThrow('unknown state key "x"');
  });
});

describe('sequenceDiagram', () => {
  it('builds participants, messages, notes and nested blocks', () => {
    const d = sequenceDiagram('Join', {
      autonumber: true,
      participants: [
        { key: 'user', label: 'User', actor: true },
        { key: 'srv', label: 'Server' },
      ],
      steps: [
        { kind: 'message', from: 'user', to: 'srv', text: 'joinRoom' },
        {
          kind: 'block',
          type: 'alt',
          label: 'ok',
          steps: [{ kind: 'message', from: 'srv', to: 'user', text: 'ack', style: 'reply' }],
          else: [{ label: 'denied', steps: [{ kind: 'note', over: ['srv'], text: 'log' }] }],
        },
        { kind: 'block', type: 'par', label: 'fan-out', steps: [], else: [{ label: 'presence', steps: [] }] },
        { kind: 'block', type: 'critical', label: 'lock', steps: [], else: [{ label: 'timeout', steps: [] }] },
        { kind: 'block', type: 'loop', label: 'every 25 s', steps: [{ kind: 'message', from: 'srv', to: 'user', text: 'ping', style: 'async' }] },
      ],
    });
    expect(d.source).toBe(
      [
        '---',
        'title: "Join"',
        '---',
        'sequenceDiagram',
        '  autonumber',
        '  actor n0 as User',
        '  participant n1 as Server',
        '  n0->>n1: joinRoom',
        '  alt ok',
        '    n1-->>n0: ack',
        '  else denied',
        '    Note over n1: log',
        '  end',
        '  par fan-out',
        '  and presence',
        '  end',
        '  critical lock',
        '  option timeout',
        '  end',
        '  loop every 25 s',
        '    n1-)n0: ping',
        '  end',
        '',
      ].join('\n'),
    );
  });

  it('throws on unknown participants and impossible branches', () => {
    const participants = [{ key: 'a', label: 'A' }];
    expect(() => sequenceDiagram('t', { participants, steps: [{ kind: 'message', from: 'a', to: 'z', text: 'x' }] })).toThrow('unknown participant key "z"');
    expect(() => sequenceDiagram('t', { participants, steps: [{ kind: 'note', over: ['q'], text: 'x' }] })).toThrow('unknown participant key "q"');
    expect(() =>
      sequenceDiagram('t', { participants, steps: [{ kind: 'block', type: 'loop', label: 'l', steps: [], else: [{ label: 'x', steps: [] }] }] }),
    ).toThrow('a loop block has no else branches');
  });
});

describe('realistic diagrams parse with mermaid', () => {
  const diagrams = [
    flowchart('Scaling topology', {
      groups: [
        { key: 'lb', label: 'Load balancer (sticky: cookie io)' },
        { key: 'nodes', label: 'Socket.IO nodes × 3' },
      ],
      nodes: [
        { key: 'clients', label: '10 000 browsers', shape: 'circle' },
        { key: 'nginx', label: 'nginx ip_hash', group: 'lb', shape: 'hexagon' },
        { key: 'a', label: 'node-a :3000', group: 'nodes' },
        { key: 'b', label: 'node-b :3000', group: 'nodes' },
        { key: 'redis', label: '@socket.io/redis-adapter → Redis 7', shape: 'queue' },
        { key: 'pg', label: 'Postgres (messages)', shape: 'db' },
      ],
      edges: [
        { from: 'clients', to: 'nginx', label: 'wss://chat.example.com/socket.io/?EIO=4' },
        { from: 'nginx', to: 'a' },
        { from: 'nginx', to: 'b' },
        { from: 'a', to: 'redis', label: 'pub/sub', style: 'dashed' },
        { from: 'b', to: 'redis', label: 'pub/sub', style: 'dashed' },
        { from: 'a', to: 'pg', style: 'thick' },
      ],
    }),
    stateDiagram('Connection lifecycle', {
      states: [
        { key: 'idle', label: 'Idle' },
        { key: 'connecting', label: 'Connecting (handshake, JWT in auth)' },
        { key: 'connected', label: 'Connected' },
        { key: 'reconnecting', label: 'Reconnecting: backoff 500 ms × 2ⁿ ≤ 30 s + jitter' },
        { key: 'closed', label: 'Closed' },
      ],
      initial: 'idle',
      transitions: [
        { from: 'idle', to: 'connecting', label: 'connect()' },
        { from: 'connecting', to: 'connected', label: '"connect" event' },
        { from: 'connected', to: 'reconnecting', label: 'transport close / ping timeout (20 s)' },
        { from: 'reconnecting', to: 'connected', label: 'resume: replay from lastSeq' },
        { from: 'reconnecting', to: 'closed', label: '10 attempts failed' },
      ],
      final: ['closed'],
      notes: [{ state: 'connected', text: 'pingInterval 25 s; pingTimeout 20 s' }],
    }),
    sequenceDiagram('Send message with ack', {
      autonumber: true,
      participants: [
        { key: 'alice', label: 'Alice (browser)', actor: true },
        { key: 'server', label: 'server.js' },
        { key: 'bob', label: 'Bob' },
      ],
      steps: [
        { kind: 'message', from: 'alice', to: 'server', text: 'chat:message {roomId, text, clientId}' },
        {
          kind: 'block',
          type: 'alt',
          label: 'valid & authorized',
          steps: [
            { kind: 'message', from: 'server', to: 'bob', text: 'chat:message {seq: 42}', style: 'async' },
            { kind: 'message', from: 'server', to: 'alice', text: 'ack {ok: true, seq: 42}', style: 'reply' },
          ],
          else: [
            {
              label: 'rate limited (> 10 msg/s)',
              steps: [{ kind: 'message', from: 'server', to: 'alice', text: 'ack {ok: false, code: "RATE_LIMIT"}', style: 'reply' }],
            },
          ],
        },
        { kind: 'note', over: ['alice', 'bob'], text: 'ordering per room by seq' },
      ],
    }),
  ];

  it.each(diagrams.map((d) => [d.kind, d] as const))('%s parses and keeps its labels', async (_kind, d) => {
    expect(await validateMermaid(d.source)).toEqual({ valid: true });
    const parsed = await parseDiagram(d.source);
    if (d.kind === 'flowchart') {
      expect(parsed.nodes.get('n4')).toBe('@socket.io/redis-adapter → Redis 7');
      expect(parsed.edges[0]?.label).toBe('wss://chat.example.com/socket.io/?EIO=4');
    } else if (d.kind === 'state') {
      expect(parsed.nodes.get('n3')).toBe('Reconnecting: backoff 500 ms × 2ⁿ ≤ 30 s + jitter');
      expect(parsed.notes).toEqual(['pingInterval 25 s; pingTimeout 20 s']);
    } else {
      expect(parsed.edges.find((e) => e.type === 0)?.label).toBe('chat:message {roomId, text, clientId}');
      expect([...parsed.nodes.values()]).toEqual(['Alice (browser)', 'server.js', 'Bob']);
    }
  });

  it('is deterministic', () => {
    const build = () => sequenceDiagram('x', { participants: [{ key: 'a', label: 'A' }], steps: [{ kind: 'note', over: ['a'], text: 'n' }] });
    expect(build().source).toBe(build().source);
  });
});
