// Every quantity with its unit, every infrastructure fact, every must and every reported
// problem in a session file becomes a requirement quoting its sentence.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { describeRequirement } from '../../src/context/facts.js';
import { workloadOf } from '../../src/design/workload.js';

const rows = (body: string): string[] => extractRequirements('s.md', body).map((r) => `${describeRequirement(r)} @${r.evidence}`);

describe('extractRequirements beyond features', () => {
  it('reads figures stated the way people write them', () => {
    expect(
      rows(
        [
          'About 50,000 users, in rooms up to 50.',
          'Each user sends one message every 10 seconds.',
          'Messages must arrive within 100 ms p95.',
          'We run two Node instances behind nginx, which cuts idle connections after 60 s.',
          'Sessions last up to 30 minutes.',
          'Our Pusher plan allows 6,000,000 messages per month, and Redis has 2 GB of memory.',
          '- history per user, last 50 conversations.',
        ].join('\n'),
      ),
    ).toEqual([
      'room-size: 50 users/room @s.md:1',
      'users: 50,000 users @s.md:1',
      'message-rate: 0.1 msg/s @s.md:2',
      'latency: 100 ms (p95) @s.md:3',
      'must @s.md:3',
      'instances: 2 instances @s.md:4',
      'infra: proxy-idle-timeout (nginx, 60,000 ms) @s.md:4',
      'duration: 1,800 s @s.md:5',
      'budget: 6,000,000 msg/month @s.md:6',
      'budget: 2,000,000,000 bytes @s.md:6',
      'budget: 50 items kept @s.md:7',
    ]);
  });

  it('reads infrastructure, musts and reported problems', () => {
    expect(
      rows(
        [
          'TLS is terminated at the ALB.',
          'The API is deployed on Vercel.',
          'Tokens must never reach the browser.',
          'The room list looks wrong with two instances.',
          'Events are sometimes ignored after a reconnect.',
          'Malformed messages must get an error back instead of being dropped silently.',
        ].join('\n'),
      ),
    ).toEqual([
      'infra: load-balancer (ALB) @s.md:1',
      'infra: tls-termination (TLS) @s.md:1',
      'infra: serverless (Vercel) @s.md:2',
      'must-not @s.md:3',
      'reported problem @s.md:4',
      'reported problem @s.md:5',
      'must @s.md:6',
    ]);
  });
});

describe('a run-on sentence', () => {
  // One line with hundreds of rates once made hundreds of Context rows, each quoting the whole
  // line: megabytes of plan, then a crash in the renderer (found by a hostile review).
  const line = `Cards move live; ${Array.from({ length: 200 }, (_, i) => `${i + 1} cursor positions per second and ${i + 2} messages every ${i + 3} seconds`).join(', ')}.`;
  const reqs = extractRequirements('s.md', line);

  it('yields a few rates, not one per match', () => {
    expect(reqs.filter((r) => r.kind === 'number' && r.metric === 'message-rate').length).toBeLessThanOrEqual(8);
  });

  it('is quoted in part', () => {
    expect(Math.max(...reqs.map((r) => r.sentence.length))).toBe(300);
    expect(reqs.every((r) => r.sentence.length <= 300)).toBe(true);
  });
});

describe('what is open at the same time', () => {
  const users = (line: string) =>
    extractRequirements('s.md', line)
      .filter((r) => r.kind === 'number' && r.metric === 'concurrent-users')
      .map((r) => (r.kind === 'number' ? r.value : null));

  it('reads streams, calls and answers open together as the concurrency', () => {
    expect(users('Peak is 40 answers streaming at the same time.')).toEqual([40]);
    expect(users('At most 40 concurrent calls at the Monday 08:00 peak.')).toEqual([40]);
  });

  it('does not read a count in parentheses or a daily total as concurrency', () => {
    expect(users('About 150 smaller games (30 players) at the same time.')).toEqual([]);
    expect(users('About 3,000 signed-in users a day ask 4 questions each.')).toEqual([]);
  });
});

describe('a stated message framing', () => {
  const framings = (body: string) =>
    extractRequirements('s.md', body).flatMap((r) => (r.kind === 'constraint' ? [`${r.polarity} ${JSON.stringify(r.framing ?? null)}`] : []));
  it('reads the keys of a backticked object shape in a must or must-not', () => {
    expect(framings('Must: keep ws and the `{ event, data }` framing; keep the cookie-based login.')).toEqual(['must ["event","data"]']);
    expect(framings('Must not: change the `{type,payload}` envelope the mobile app parses.')).toEqual(['must-not ["type","payload"]']);
  });
  it('an object shape outside backticks, or a must without one, states none', () => {
    expect(framings('Must: keep the { event, data } framing.\nMust: keep `ws`.')).toEqual(['must null', 'must null']);
  });
});

describe('a fleet the team will not grow', () => {
  const ceilings = (body: string) =>
    extractRequirements('s.md', body).flatMap((r) => (r.kind === 'number' && r.metric === 'instances' ? [`${r.value} ${r.ceiling?.evidence ?? 'open'}`] : []));
  it('is capped by the figure sentence or the one after it', () => {
    expect(ceilings('Deployment: 2 Node processes on one VM behind nginx.\nWe are not planning more instances this year.')).toEqual(['2 s.md:2']);
    expect(ceilings('We run 3 pods and cannot add more.')).toEqual(['3 s.md:1']);
  });
  it('a machine count is the fleet where no process count is stated, and "today" bounds it', () => {
    expect(ceilings('Constraints: one 4-vCPU VM today; we may add a second one behind a load balancer next quarter.')).toEqual(['1 s.md:1']);
    expect(ceilings('We run two 8-core machines.')).toEqual(['2 open']);
    expect(ceilings('Two tabs on one machine must both update.')).toEqual([]);
  });
  it('a plain count, or a cap far from it, is no ceiling', () => {
    expect(ceilings('We run 2 Node processes behind nginx.\nLatency matters.\nWe are not planning more instances this year.')).toEqual(['2 open']);
  });
});

describe('HAProxy timeout tunnel', () => {
  it('is the idle timeout of an upgraded WebSocket, superseding timeout client', () => {
    const reqs = extractRequirements('s.md', 'We run behind HAProxy (`timeout tunnel 1h`, `timeout client 30s`).\n');
    const proxy = reqs.find((r) => r.kind === 'infra' && r.fact === 'proxy-idle-timeout');
    expect(proxy).toMatchObject({ valueMs: 3_600_000, setting: 'timeout tunnel', supersedes: { setting: 'timeout client', valueMs: 30_000 } });
  });
  it('reads HAProxy times without a unit as milliseconds', () => {
    const reqs = extractRequirements('s.md', 'HAProxy has timeout tunnel 50000 set.\n');
    expect(reqs.find((r) => r.kind === 'infra' && r.fact === 'proxy-idle-timeout')).toMatchObject({ valueMs: 50_000 });
  });
});

describe('nginx proxy_read_timeout', () => {
  it("is nginx's idle limit for an upgraded connection, written as the directive", () => {
    const reqs = extractRequirements('s.md', 'Deployment: 2 Node processes behind nginx (`proxy_read_timeout 60s`, TLS at nginx, `ip_hash` upstream).\n');
    expect(reqs.find((r) => r.kind === 'infra' && r.fact === 'proxy-idle-timeout')).toMatchObject({ component: 'nginx', valueMs: 60_000 });
  });
});

describe('rates scoped to one room', () => {
  it('"55 votes per second into one class" is a per-room rate; "5 times a second is plenty" is no traffic', () => {
    const reqs = extractRequirements('s.md', 'About 55 votes per second into one class. Updating it 5 times a second is plenty.\n');
    const rates = reqs.filter((r) => r.kind === 'number' && r.metric === 'message-rate');
    expect(rates).toHaveLength(1);
    expect(rates[0]).toMatchObject({ value: 55, perRoom: true });
  });
  it('"2,000 canvases open at peak" is no user count; "30 times a second per person" is a positions rate', () => {
    const reqs = extractRequirements('s.md', 'Up to 40 people per canvas, 2,000 canvases open at peak; cursors move up to 30 times a second per person.\n');
    expect(reqs.some((r) => r.kind === 'number' && r.metric === 'concurrent-users')).toBe(false);
    expect(reqs.find((r) => r.kind === 'number' && r.metric === 'message-rate')).toMatchObject({ value: 30, stream: 'positions' });
  });
});

describe('a larger user count stated for later or the peak', () => {
  it('"1,200 agents online at peak, 2,500 at the end of the quarter" keeps both, the later one larger', () => {
    const reqs = extractRequirements('s.md', 'About 1,200 agents online at peak, 2,500 at the end of the quarter.\n');
    expect(reqs.find((r) => r.kind === 'number' && r.metric === 'concurrent-users')).toMatchObject({
      value: 1_200,
      later: { value: 2_500, when: 'at the end of the quarter', scope: 'at peak' },
    });
  });
  it('"800 concurrent users on average, 3k at peak" reads the peak; a smaller figure or a duration is no later count', () => {
    const peak = extractRequirements('s.md', 'We see 800 concurrent users on average, 3k at peak.\n');
    expect(peak.find((r) => r.kind === 'number' && r.metric === 'concurrent-users')).toMatchObject({ value: 800, later: { value: 3_000, when: 'at peak' } });
    const smaller = extractRequirements('s.md', 'We see 800 concurrent users at peak, 200 at night.\n');
    expect(smaller.find((r) => r.kind === 'number' && r.metric === 'concurrent-users')).not.toHaveProperty('later');
    const duration = extractRequirements('s.md', 'We see 800 concurrent users, 5000 ms at peak is too slow.\n');
    expect(duration.find((r) => r.kind === 'number' && r.metric === 'concurrent-users')).not.toHaveProperty('later');
  });
});

describe('a burst is not the steady rate', () => {
  const SENTENCE = 'About 1,100 connected; one notification per agent every 40 s on average, bursts of 30 per minute when a major incident opens tickets.\n';
  it('"bursts of 30 per minute" is marked a burst; the average is not', () => {
    const rates = extractRequirements('s.md', SENTENCE).filter((r) => r.kind === 'number' && r.metric === 'message-rate');
    expect(rates.map((r) => (r.kind === 'number' ? [r.value, r.stream, r.burst ?? false] : []))).toEqual([
      [0.025, 'notifications', false],
      [0.5, 'notifications', true],
    ]);
  });
  it('the workload sizes from the average and keeps the burst apart', () => {
    const w = workloadOf(extractRequirements('s.md', SENTENCE), 1100);
    expect(w.streams.map((s) => [s.kind, s.published, s.stated, s.burst])).toEqual([
      ['notifications', 27.5, 1, { rate: 0.5, published: 550, formula: '0.5 msg/s per user × 1,100', evidence: 's.md:1' }],
    ]);
  });
  it('a burst with no other rate of its kind is the rate sized for', () => {
    const w = workloadOf(extractRequirements('s.md', 'About 1,100 connected; bursts of 30 notifications per minute per agent.\n'), 1100);
    expect(w.streams.map((s) => [s.kind, s.published, s.burst])).toEqual([['notifications', 550, undefined]]);
  });
});

describe('a server that closes a silent client', () => {
  it('reads the duration next to the client-silence phrase, not a rate stated earlier in the sentence', () => {
    const silent = (body: string): string[] =>
      extractRequirements('s.md', body).flatMap((r) =>
        r.kind === 'infra' && r.fact === 'client-silence-close' ? [`${describeRequirement(r)} @${r.evidence}`] : [],
      );
    expect(
      silent(
        'The API sends `vehicle.position` every 5 s per vehicle, accepts `fleet.subscribe`, closes idle sockets after 60 s without a frame from the client, and answers `ping` with `pong`.\n',
      ),
    ).toEqual(['infra: client-silence-close (server, 60,000 ms) @s.md:1']);
    expect(silent('If a client sends nothing for 30 seconds, the gateway disconnects it.\n')).toEqual([
      'infra: client-silence-close (server, 30,000 ms) @s.md:1',
    ]);
    // Silence of the server, or no close at all, is not this fact.
    expect(silent('The server sends a frame every 5 s without a frame from the client being needed.\n')).toEqual([]);
    expect(silent('Messages from the client arrive every 5 s.\n')).toEqual([]);
  });
});
