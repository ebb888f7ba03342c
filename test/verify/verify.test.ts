// rt-plan verify on three fixture projects: the plan is written, verify runs on the untouched
// copy (every planned new event missing, exit 1), then a partial implementation from
// test/fixtures/verify-<case>/impl is laid over the copy and the report must be exactly right.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify, runVerifyCommand } from '../../src/commands/verify.js';
import { WIDTH } from '../../src/contract/format.js';
import { capture, cleanup, copyTracked, tempProject, writePlan } from './verify-helpers.js';

interface Case {
  fixture: string;
  task: string;
  impl: string;
  /** Planned new events the analyzer checks, in plan order. */
  proposed: string[];
  report: string;
}

const CASES: Case[] = [
  {
    fixture: 'scan-socketio-modules',
    task: 'chat-presence',
    impl: 'verify-socketio-modules',
    // joinRoom is the project's own join (kept and extended); the rest are named in its camelCase. Typing is not asked for.
    proposed: ['leaveRoom', 'sendMessage', 'newMessage', 'updatePresence', 'sys:error', 'auth:refresh'],
    report: `Verify .claude/doc/websocket-realtime-chat-presence.md (socket.io)

Events
  done     joinRoom             client/chat.js:7
  done     roomUsers            client/chat.js:14
  partial  leaveRoom
           The server handles 'leaveRoom' but no client code sends it
           (server/index.js:30)
  done     sendMessage          client/chat.js:11
  done     newMessage           client/chat.js:15
  missing  updatePresence       planned: server → client, UpdatePresencePayload
  missing  sys:error            planned: server → client, SysErrorPayload
  missing  auth:refresh         planned: client → server, AuthRefreshPayload

Settings
  partial  heartbeat-interval   planned 25 s, found 60 s (server/index.js:12)
  manual   heartbeat-timeout    pingTimeout 20,000 ms
  done     reconnect            client/chat.js:4
  manual   payload-cap          payload cap 16 KiB
  partial  handshake-auth
           the token travels in the URL query string (server/auth.js:5)
  done     origin-allow-list
           server/index.js:12 (the audit finds an Origin check for this
           server)
  done     adapter              server/index.js:17

Findings the plan asked to fix
  fixed    token-in-query       was client/chat.js:4
  present  token-in-query       server/auth.js:5
  present  redis-client-no-error-listener  server/index.js:14
  present  polling-without-sticky-sessions  server/index.js:17
  present  in-process-state-multi-node  server/presence.js:1
  present  in-process-state-multi-node  server/rooms.js:4
  present  no-room-rejoin       client/chat.js:7
  present  join-without-access-check  server/index.js:25

7 done, 3 partial, 3 missing, 2 manual; findings: 1 fixed, 7 still present`,
  },
  {
    fixture: 'scan-ws-server',
    task: 'price-subscriptions',
    impl: 'verify-ws-server',
    proposed: ['resource:updated', 'sys:error', 'sys:ack', 'sys:ping', 'sys:pong'],
    report: `Verify .claude/doc/websocket-realtime-price-subscriptions.md (ws)

Events
  done     price                src/client.js:7
  done     subscribe            src/client.js:13
  partial  unsubscribe
           The server handles 'unsubscribe' but no client code sends it
           (src/server.js:42)
  done     resource:updated     src/client.js:8
  done     sys:error            src/client.js:9
  missing  sys:ack              planned: server → client, SysAckPayload
  missing  sys:ping             planned: client → server, SysPingPayload
  missing  sys:pong             planned: server → client, SysPongPayload

Settings
  partial  heartbeat-interval   planned 30 s, found 45 s (src/server.js:55)
  manual   heartbeat-timeout    dead peer closed within 35,000 ms
  done     reconnect            src/client.js:18
  done     payload-cap
           src/server.js:9 (maxPayload set; its value is not read)
  partial  handshake-auth
           the token travels in the URL query string (src/server.js:16)
  done     origin-allow-list
           src/server.js:9 (the audit finds an Origin check for this server)
  missing  adapter              planned: Redis pub/sub between 2 instances

Findings the plan asked to fix
  fixed    no-reconnect         was src/client.js:2
  present  token-in-query       src/client.js:4
  present  token-in-query       src/server.js:16
  fixed    unguarded-json-parse  was src/server.js:31
  present  event-name-mismatch  src/server.js:42
  present  broadcast-without-backpressure  src/server.js:65

7 done, 3 partial, 4 missing, 1 manual; findings: 2 fixed, 4 still present`,
  },
  {
    fixture: 'plan-notifications',
    task: 'order-notifications',
    impl: 'verify-notifications',
    // Over SSE only the server's events are visible; the context asks for no client actions.
    proposed: ['notification-new', 'sys:error'],
    report: `Verify .claude/doc/websocket-realtime-order-notifications.md (sse)

Events
  done     order-shipped        src/notify.js:6
  done     notification-new     src/routes/events.js:18
  missing  sys:error            planned: server → client, SysErrorPayload

Settings
  partial  heartbeat-interval
           planned 15 s, found 30 s (src/routes/events.js:10)
  manual   heartbeat-timeout    dead peer closed within 35,000 ms
  manual   reconnect            EventSource retry 500–1,500 ms, no backoff
  manual   payload-cap          payload cap 16 KiB
  manual   handshake-auth       session-cookie at the handshake
  missing  adapter              planned: Redis pub/sub between 3 instances

Findings the plan asked to fix
  present  client-chosen-identity  src/routes/events.js:9
  present  no-graceful-shutdown  src/routes/events.js:8
  fixed    sse-no-keepalive     was src/routes/events.js:7
  present  one-connection-per-user  src/routes/events.js:9
  present  sse-no-event-id      src/routes/events.js:8

2 done, 1 partial, 2 missing, 4 manual; findings: 1 fixed, 4 still present`,
  },
];

describe.each(CASES)('rt-plan verify on $fixture', (c) => {
  let dir: string;
  beforeAll(async () => {
    dir = tempProject(c.fixture);
    await writePlan(dir, c.task);
  }, 60_000);
  afterAll(() => cleanup(dir));

  it('reports every planned new event as missing on the untouched project, and exits 1', async () => {
    const report = await runVerify({ cwd: dir });
    const missing = report.items.filter((i) => i.kind === 'event' && i.status === 'missing').map((i) => i.id);
    expect(missing).toEqual(c.proposed);
    expect(report.ok).toBe(false);
    const { log } = capture();
    expect(await runVerifyCommand({ cwd: dir, json: false, log })).toBe(1);
  });

  it('reports the partial implementation item by item, with file:line, in 80 columns', async () => {
    copyTracked(`test/fixtures/${c.impl}/impl`, dir);
    const { log, out } = capture();
    const code = await runVerifyCommand({ cwd: dir, plan: `.claude/doc/websocket-realtime-${c.task}.md`, json: false, log });
    expect(out()).toBe(`${c.report}\n`);
    expect(code).toBe(1);
    expect(
      out()
        .split('\n')
        .filter((l) => l.length > WIDTH),
    ).toEqual([]);
  });

  it('gives the same report as one JSON object', async () => {
    const { log, out } = capture();
    await runVerifyCommand({ cwd: dir, json: true, log });
    const json = JSON.parse(out()) as Awaited<ReturnType<typeof runVerify>>;
    expect(json.plan).toBe(`.claude/doc/websocket-realtime-${c.task}.md`);
    expect(json.contract).toBe(`.claude/doc/websocket-realtime-${c.task}.contract.json`);
    expect(json.ok).toBe(false);
    const counts = /^(\d+) done, (\d+) partial, (\d+) missing, (\d+) manual; findings: (\d+) fixed, (\d+) still present$/.exec(
      c.report.split('\n').at(-1) ?? '',
    );
    expect(json.counts).toEqual({
      done: Number(counts?.[1]),
      partial: Number(counts?.[2]),
      missing: Number(counts?.[3]),
      manual: Number(counts?.[4]),
      fixed: Number(counts?.[5]),
      stillPresent: Number(counts?.[6]),
    });
    expect(path.isAbsolute(json.plan)).toBe(false);
  });
});
