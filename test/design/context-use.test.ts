// The figures, infrastructure and problems a session states reach the plan's body: stated
// numbers replace defaults, the proxy's idle timeout bounds the heartbeat, and each reported
// problem gets a cause tied to a finding or is said to be unexplained.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { buildPlan } from '../../src/design/index.js';
import type { PlanInput } from '../../src/design/types.js';
import { chatInput } from './inputs.js';
import { UsageError } from '../../src/errors.js';

const CTX = '.claude/tasks/context_session_1.md';
const BODY = [
  'We are building team chat with rooms, presence and typing indicators.',
  'About 50,000 users, in rooms up to 50.',
  'Each user sends one message every 10 seconds.',
  'Messages must arrive within 100 ms p95.',
  'Production runs behind nginx, which cuts idle connections after 20 s.',
  'The room list looks wrong with two instances.',
  'Events are sometimes ignored.',
  'Tokens must never reach the browser.',
].join('\n');

function input(): PlanInput {
  const base = chatInput();
  base.sessions = { files: [CTX], docs: [{ path: CTX, data: {}, title: null, body: BODY }], requirements: extractRequirements(CTX, BODY), warnings: [] };
  base.analysis.findings = [
    {
      id: 'in-process-state-multi-node',
      severity: 'high',
      message: 'Room membership lives in a Map in process memory',
      evidence: 'lib/rooms.js:3',
      fix: 'Keep membership in Redis',
    },
  ];
  return base;
}

const row = (rows: { label: string; valueMd: string; sourceMd?: string }[], label: string) => rows.find((r) => r.label === label);

describe('a session with figures, infrastructure and problems', () => {
  const plan = buildPlan(input());

  it('takes the stated figures instead of defaults', () => {
    expect(row(plan.communication.rows, 'Concurrent connections')?.valueMd).toBe('50,000');
    expect(row(plan.communication.rows, 'Concurrent connections')?.sourceMd).toBe(
      `context: "About 50,000 users, in rooms up to 50." (\`${CTX}:2\`); all users online at once: an upper bound`,
    );
    expect(row(plan.communication.rows, 'Message volume')?.valueMd).toBe('5,000 msg/s published');
    expect(row(plan.communication.rows, 'Fan-out')?.valueMd).toMatch(/^50 recipients per message → 250,000 deliveries\/s/);
    expect(row(plan.communication.rows, 'Latency budget')?.valueMd).toBe('p95 < 100 ms');
    expect(plan.observability.slos[0]).toEqual({
      name: 'Delivery latency p95',
      target: '< 100 ms',
      sourceMd: `context: "Messages must arrive within 100 ms p95." (\`${CTX}:4\`)`,
    });
  });

  it('keeps the heartbeat below the stated proxy idle timeout', () => {
    expect(row(plan.connection.heartbeat, 'pingInterval')?.valueMd).toBe('10,000 ms');
    expect(row(plan.connection.heartbeat, 'nginx idle timeout')).toEqual({
      label: 'nginx idle timeout',
      valueMd: '20,000 ms: the server pings every 10,000 ms, so a healthy idle connection is never cut',
      sourceMd: `context: "Production runs behind nginx, which cuts idle connections after 20 s." (\`${CTX}:5\`)`,
    });
  });

  it('diagnoses each reported problem from the findings, or says the code shows no cause', () => {
    expect(plan.currentState.problems).toEqual([
      {
        sentence: 'The room list looks wrong with two instances.',
        evidence: `${CTX}:6`,
        causeMd:
          "Likely cause: `in-process-state-multi-node` at `lib/rooms.js:3`: state kept in one process's memory is invisible to the other instances, so each instance shows only its own part. The fix is in Findings and the implementation steps.",
        confidence: 'likely',
        targets: [{ path: 'lib/rooms.js', line: '3', fixMd: 'the fix for `in-process-state-multi-node` in Findings', finding: 'in-process-state-multi-node' }],
      },
      {
        sentence: 'Events are sometimes ignored.',
        evidence: `${CTX}:7`,
        causeMd:
          'The code does not show a likely cause: no audit finding matches this symptom. Reproduce it with the load test in Testing strategy and log the event names and socket ids on both sides.',
        confidence: 'unknown',
        targets: [],
      },
    ]);
  });

  it('lists what no section uses under Not addressed', () => {
    expect(plan.context.notAddressed.map((r) => r.evidence)).toEqual([`${CTX}:8`]);
    expect(plan.context.requirements.map((r) => `${r.label} → ${r.addressedIn || '-'}`)).toEqual([
      'feature: chat → §1, §8, §16',
      'feature: presence → §1, §8, §16',
      'feature: typing → §1, §8, §16',
      'room-size: 50 users/room → §4, §11',
      'users: 50,000 users → §4, §11',
      'message-rate: 0.1 msg/s → §4, §10, §11',
      'latency: 100 ms (p95) → §4, §13',
      'must → §4, §8, §13',
      'infra: proxy-idle-timeout (nginx, 20,000 ms) → §7',
      'reported problem → §3',
      'reported problem → §3',
      'must-not → -',
    ]);
  });
});

describe('absurd figures in the context', () => {
  it('are refused with a usage error (exit 2) naming the sentence, before anything is sized', () => {
    const bad = input();
    const body = 'Expect 5,000,000,000 concurrent users.';
    bad.sessions = { ...bad.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    let error: unknown;
    try {
      buildPlan(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toBe(
      `The session context states concurrent-users 5,000,000,000 users (${CTX}:1: "Expect 5,000,000,000 concurrent users."), outside the plausible range 1–100,000,000.`,
    );
    expect((error as UsageError).hint).toBe(`Correct the sentence in ${CTX} or override the figure with --connections.`);
  });
});

describe('absurd figures the capacity model derives or compares with', () => {
  const refused = (body: string): UsageError => {
    const bad = input();
    bad.sessions = { ...bad.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    try {
      buildPlan(bad);
    } catch (e) {
      return e as UsageError;
    }
    throw new Error('not refused');
  };

  it('rooms × their size past any real system are refused (exit 2), though each figure alone is plausible', () => {
    const error = refused('Numbers: 5,000,000,000 shops, up to 12 staff per shop on the board at once.');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('5,000,000,000 rooms of 12');
    expect(error.message).toContain('60,000,000,000 users at once, outside the plausible range 1–100,000,000');
  });

  it('a bandwidth cap of 0 Mbit/s is refused (exit 2)', () => {
    const error = refused('The relay outbound bandwidth must stay under 0 Mbit/s at peak.');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('a budget of 0 Mbit/s');
  });
});

describe('an unreadable figure in the context', () => {
  it('is refused with a usage error (exit 2) quoting it as written, even with the flag set', () => {
    const bad = input();
    const body = 'We expect 5.000.000 users at peak.';
    bad.sessions = { ...bad.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    bad.options = { capacity: { connections: 2000 } };
    let error: unknown;
    try {
      buildPlan(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toBe(
      `The session context states "5.000.000 users" (${CTX}:1: "We expect 5.000.000 users at peak."), which rt-plan cannot read as a figure.`,
    );
    expect((error as UsageError).hint).toBe(`Write it with ASCII digits and commas (e.g. 5,000,000 or 5000000; a count is not negative) in ${CTX}.`);
  });
});

describe('an absurd figure overridden by its flag', () => {
  it('is not checked, since the plan does not use it', () => {
    const bad = input();
    const body = 'Expect 5,000,000,000 concurrent users.';
    bad.sessions = { ...bad.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    bad.options = { capacity: { connections: 2000 } };
    expect(buildPlan(bad).performance.inputs[0]?.valueMd).toBe('2,000');
  });
});

describe('a deploy that cuts every connection', () => {
  it('is traced to the missing SIGTERM handler when the audit found one missing', () => {
    const i = input();
    const body = 'Problems seen:\n- Every deploy shows a spike of close code 1006 in the client logs.';
    i.sessions = { ...i.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    i.analysis.findings = [
      {
        id: 'no-graceful-shutdown',
        severity: 'medium',
        message: 'Real-time server has no SIGTERM/SIGINT handler',
        evidence: 'src/server/index.ts:9',
        fix: 'Handle SIGTERM',
      },
    ];
    expect(buildPlan(i).currentState.problems[0]?.causeMd).toBe(
      'Likely cause: `no-graceful-shutdown` at `src/server/index.ts:9`: the server does not handle SIGTERM, so a deploy kills the process with its sockets open: every client sees its connection cut without a close frame (WebSocket close code 1006), and all of them reconnect in the same moment to the instances still up. The fix is in Findings and the implementation steps.',
    );
  });
});

describe('a cause the code cannot confirm', () => {
  it('is possible, with its target at the client send (not the server handler)', () => {
    const i = input();
    const body = 'Problems seen:\n- Typing costs us a fortune in messages.';
    i.sessions = { ...i.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    i.analysis.findings = [];
    i.analysis.events = [{ name: 'typing', direction: 'client-to-server', origin: 'existing', evidence: 'server/index.js:20', transport: 'socket.io' }];
    i.analysis.modelFacts = [{ kind: 'client-send', name: 'typing', evidence: 'web/chat.js:12', note: 'typing is sent here' }];
    const [p] = buildPlan(i).currentState.problems;
    expect([p?.confidence, p?.causeMd.slice(0, 9), p?.targets?.map((t) => `${t.path}:${t.line}`)]).toEqual(['possible', 'It may be', ['web/chat.js:12']]);
  });
});

describe('a reported problem tied to what the audit found', () => {
  const problem = (body: string, findings: PlanInput['analysis']['findings']): string | undefined => {
    const i = input();
    i.sessions = { ...i.sessions, docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body) };
    i.analysis.findings = findings;
    return buildPlan(i).currentState.problems[0]?.causeMd;
  };
  const tokenInQuery = (evidence: string) => ({
    id: 'token-in-query',
    severity: 'high' as const,
    message: 'Token in the URL query',
    evidence,
    fix: 'Send it in the auth payload',
  });

  it('a token seen in proxy or log-search logs is traced to the token in the URL query, one cause with each place', () => {
    expect(
      problem('Problems seen:\n- Security found user tokens in the nginx access logs and in Datadog.', [
        tokenInQuery('server/index.js:12'),
        tokenInQuery('web/live.ts:4'),
      ]),
    ).toBe(
      'Likely cause: `token-in-query` at `server/index.js:12` and `web/live.ts:4`: the token travels in the connection URL’s query string, and proxies, load balancers and servers write the request line (path and query string) to their access logs, so every logged connection carries the token to wherever those logs are shipped. The fix is in Findings and the implementation steps.',
    );
  });

  it('an answer lost on reload or on coming back to the app is traced to the stream that dies with its request', () => {
    const lost = {
      id: 'ai-stream-lost-on-disconnect',
      severity: 'medium' as const,
      message: 'The answer is streamed only to the open request',
      evidence: 'app/api/chat/route.ts:23',
      fix: 'consumeStream',
    };
    expect(problem('Problems seen:\n- After a refresh the conversation is gone.', [lost])).toMatch(
      /^Likely cause: `ai-stream-lost-on-disconnect` at `app\/api\/chat\/route\.ts:23`: /,
    );
    expect(problem('Problems seen:\n- Coming back to the tab shows an answer that never finishes.', [lost])).toMatch(
      /^Likely cause: `ai-stream-lost-on-disconnect`/,
    );
  });

  it('something from another room shown in the open one is traced to the unfiltered room listener first', () => {
    const unfiltered = {
      id: 'room-event-unfiltered-on-client',
      severity: 'medium' as const,
      message: 'The listener applies every event',
      evidence: 'web/chat.ts:22',
      fix: 'Filter by room',
    };
    const fromPayload = { id: 'identity-from-payload', severity: 'high' as const, message: 'dto.userId', evidence: 'server/chat.ts:52', fix: 'Use the socket' };
    expect(problem('Problems seen:\n- One agent saw a reply credited to a colleague who was not on the ticket.', [fromPayload, unfiltered])).toBe(
      "Likely causes: (1) `room-event-unfiltered-on-client` at `web/chat.ts:22`: the client shows each room event without checking which room it belongs to, on one socket that stays in every room it joined, so another room's events appear in the open view; the fix filters the listener by the room on screen and leaves the old room on a switch; (2) `identity-from-payload` at `server/chat.ts:52`: who sent it is read from the client's payload, which any client can set to any name. The fix is in Findings and the implementation steps.",
    );
    expect(problem('Problems seen:\n- Messages from another room show up in the chat.', [unfiltered])).toMatch(
      /^Likely cause: `room-event-unfiltered-on-client` at `web\/chat\.ts:22`: /,
    );
    expect(problem('Problems seen:\n- Messages show up twice after a reconnect.', [unfiltered])).not.toMatch(/room-event-unfiltered-on-client/);
  });

  it('the load test is offered only for a symptom load can reproduce', () => {
    expect(problem('Problems seen:\n- The send button sometimes stays disabled.', [])).toBe(
      'The code does not show a likely cause: no audit finding matches this symptom. Reproduce it by hand, following the steps the report describes, before changing code for it.',
    );
    expect(problem('Problems seen:\n- Messages arrive late at peak hours.', [])).toMatch(/Reproduce it with the load test in Testing strategy/);
  });
});
