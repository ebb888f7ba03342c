// What the client library's own keep-alive and the project's reconnect delay do, as data:
// react-use-websocket's heartbeat by version (profiles/clients.ts) and the figures of a delay
// function the analysis read (connection-providers.ts).
import { describe, expect, it } from 'vitest';
import { clientKeepAliveOf } from '../../src/design/profiles/clients.js';
import { projectDelayAt, projectDelayMd } from '../../src/design/connection-providers.js';
import type { LibraryUse, ReconnectDelay } from '../../src/types.js';

const use = (version: string | null, declared: string | null = null): LibraryUse => ({
  name: 'react-use-websocket',
  version,
  declared,
  role: 'client',
  evidence: 'package.json:5',
  kind: 'library',
  workspace: '.',
});

describe("react-use-websocket's heartbeat by version", () => {
  it('sends on a fixed timer from 4.5 to 4.9, only after receive silence from 4.10, and has none before 4.5', () => {
    expect(clientKeepAliveOf([use('4.8.1')])?.sends).toBe('fixed');
    expect(clientKeepAliveOf([use('4.10.0')])?.sends).toBe('receive-silence');
    expect(clientKeepAliveOf([use('4.13.0')])?.sends).toBe('receive-silence');
    // A declared range alone decides only where every version it allows behaves the same.
    expect(clientKeepAliveOf([use(null, '~4.8.0')])?.sends).toBe('fixed');
    expect(clientKeepAliveOf([use(null, '^4.11.0')])?.sends).toBe('receive-silence');
    expect(clientKeepAliveOf([use(null, '^4.8.0')])).toBeNull();
    expect(clientKeepAliveOf([use('4.4.0')])).toBeNull();
    expect(clientKeepAliveOf([use(null)])).toBeNull();
  });
});

describe("the project's reconnect delay", () => {
  const band: ReconnectDelay = { baseMs: 1000, factor: 2, capMs: 30000, capAt: 'before-jitter', jitter: 'band', bandLo: 0.5, bandWidth: 1 };
  it('a ±50% band around a capped exponential: the cap is applied before the band, so a delay reaches 45 s', () => {
    expect([0, 1, 5, 49].map((n) => projectDelayAt(band, n))).toEqual([
      { minMs: 500, ceilingMs: 1500, expectedMs: 1000 },
      { minMs: 1000, ceilingMs: 3000, expectedMs: 2000 },
      { minMs: 15000, ceilingMs: 45000, expectedMs: 30000 },
      { minMs: 15000, ceilingMs: 45000, expectedMs: 30000 },
    ]);
    expect(projectDelayMd(band)).toBe('min(30,000 ms, 1,000 ms × 2^n), times a random factor in [0.5, 1.5]');
  });
  it('full jitter capped after the jitter, an additive term, and none', () => {
    const after: ReconnectDelay = { baseMs: 250, factor: 2, capMs: 10000, capAt: 'after-jitter', jitter: 'full' };
    expect(projectDelayAt(after, 0)).toEqual({ minMs: 0, ceilingMs: 250, expectedMs: 125 });
    // 250 × 2^6 = 16,000: uniform in [0, 16,000] clipped at 10,000 → mean (10,000² / 2 + 6,000 × 10,000) / 16,000.
    expect(projectDelayAt(after, 6)).toEqual({ minMs: 0, ceilingMs: 10000, expectedMs: 6875 });
    expect(projectDelayMd(after)).toBe('uniform in [0, 250 ms × 2^n] (full jitter), capped at 10,000 ms');
    const add: ReconnectDelay = { baseMs: 1000, factor: 2, capMs: 60000, capAt: 'before-jitter', jitter: 'add', addMaxMs: 1000 };
    expect(projectDelayAt(add, 1)).toEqual({ minMs: 2000, ceilingMs: 3000, expectedMs: 2500 });
    expect(projectDelayMd(add)).toBe('min(60,000 ms, 1,000 ms × 2^n), plus a random 0–1,000 ms');
    const none: ReconnectDelay = { baseMs: 1000, factor: 3, capMs: null, capAt: 'before-jitter', jitter: 'none' };
    expect(projectDelayAt(none, 2)).toEqual({ minMs: 9000, ceilingMs: 9000, expectedMs: 9000 });
    expect(projectDelayMd(none)).toBe('1,000 ms × 3^n, no jitter');
  });
});
