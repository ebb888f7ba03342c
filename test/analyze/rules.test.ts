// The audit rules are data: complete, unique, sourced, and each one both fires and stays quiet
// somewhere in the fixture matrix.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/analyze/rules/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'projects');
const expectedIds = readdirSync(FIXTURES)
  .filter((n) => n.startsWith('scan-') || n.startsWith('model-'))
  .map((n) => {
    // scan-* list every finding; model-* list findings that must appear (model-matrix.test.ts checks both).
    const e = JSON.parse(readFileSync(path.join(FIXTURES, n, 'expected.json'), 'utf8')) as { findings?: { id: string }[] };
    return { name: n, ids: new Set((e.findings ?? []).map((f) => f.id)) };
  });

const REQUIRED = [
  'no-heartbeat',
  'no-reconnect',
  'reconnect-without-backoff',
  'token-in-query',
  'api-key-in-browser',
  'no-handshake-auth',
  'no-origin-check',
  'no-payload-limit',
  'broadcast-without-backpressure',
  'in-process-state-multi-node',
  'polling-without-sticky-sessions',
  'no-graceful-shutdown',
  'unhandled-socket-error',
  'sse-no-keepalive',
  'sse-no-event-id',
  'webrtc-no-ice-servers',
  'listener-not-cleaned-up',
  'hard-coded-secret',
  'event-name-mismatch',
  'unguarded-json-parse',
];

describe('audit rules', () => {
  it('has at least 15 rules with unique ids, including every rule the issue lists', () => {
    const ids = RULES.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(15);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of REQUIRED) expect(ids).toContain(id);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s is complete', (_id, rule) => {
    expect(['critical', 'high', 'medium', 'low', 'info']).toContain(rule.severity);
    expect(rule.title.length).toBeGreaterThan(5);
    expect(rule.why.length).toBeGreaterThan(40);
    expect(rule.fix.length).toBeGreaterThan(30);
    expect(rule.source).toMatch(/^https:\/\/[a-z0-9.-]+\//);
  });

  it.each(RULES.map((r) => r.id))('%s fires in one fixture and stays quiet in another', (id) => {
    expect(expectedIds.filter((e) => e.ids.has(id)).map((e) => e.name).length).toBeGreaterThan(0);
    expect(expectedIds.filter((e) => !e.ids.has(id)).map((e) => e.name).length).toBeGreaterThan(0);
  });
});
