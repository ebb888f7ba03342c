// `rt-plan verify` through the built CLI: the wiring, the exit codes and the one JSON object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers.js';
import { cleanup, tempProject } from '../verify/verify-helpers.js';

describe('rt-plan verify (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempProject('scan-socketio-modules');
  });
  afterAll(() => cleanup(dir));

  it('is an input error (exit 3) before any plan exists, as one JSON object with --json', () => {
    const r = run(['verify', '--cwd', dir, '--json']);
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 3,
        message: 'no plan to verify: .claude/doc does not exist',
        hint: 'run `rt-plan <task>` first, or name the plan: rt-plan verify <plan.md>',
      },
    });
  });

  it('exits 1 on the untouched project and lists the contract as an artifact of the plan', () => {
    const plan = run(['chat-presence', '--cwd', dir, '--date', '2026-11-21T10:15:00Z', '--offline', '--json']);
    expect(plan.status).toBe(0);
    expect(JSON.parse(plan.stdout).artifacts).toEqual(['.claude/doc/websocket-realtime-chat-presence-20261121-101500.contract.json']);
    const r = run(['verify', '--cwd', dir, '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.plan).toBe('.claude/doc/websocket-realtime-chat-presence-20261121-101500.md');
    expect(json.counts).toEqual({ done: 6, partial: 1, missing: 6, manual: 2, fixed: 0, stillPresent: 8 });
    const text = run(['verify', '--cwd', dir, '-q']);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('6 done, 1 partial, 6 missing, 2 manual; findings: 0 fixed, 8 still present');
  });
});
