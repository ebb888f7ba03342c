// `rt-plan review <plan> --input <file|->`: the subagent's own review, verified and put in the plan.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, DATE, EXAMPLE, cleanEnv, copyProject, run } from '../cli/helpers.js';
import { GOOD_REVIEW } from './messages-server.js';

const PLAN = '.claude/doc/websocket-realtime-sync-architecture.md';
let project: string;
let original: string;

beforeAll(() => {
  project = copyProject(EXAMPLE);
  const r = run(['sync-architecture', '--cwd', project, '--date', DATE, '--stable-name']);
  expect(r.status, r.stderr).toBe(0);
  original = readFileSync(path.join(project, PLAN), 'utf8');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const planNow = () => readFileSync(path.join(project, PLAN), 'utf8');
const review = (input: string, stdin?: string) =>
  spawnSync(process.execPath, [BIN, 'review', PLAN, '--input', input, '--cwd', project], { env: cleanEnv(), encoding: 'utf8', input: stdin ?? '' });

describe('rt-plan review', () => {
  it('--schema prints the JSON Schema', () => {
    const r = run(['review', '--schema']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.required).toEqual(['summary', 'items']);
    expect(schema.properties.items.items.properties.kind.enum).toEqual(['change', 'diagnosis', 'finding', 'risk']);
  });

  it('verifies a review from stdin, writes the section after the Summary, and the plan still passes check', () => {
    const r = review('-', JSON.stringify(GOOD_REVIEW));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`I've created a detailed real-time communication plan at ${PLAN}, please read that first before you proceed with implementation.\n`);
    expect(r.stderr).toContain('design review: 1 kept, 1 dropped');
    const text = planNow();
    expect(text).toContain('- **Rooms are not re-joined after a reconnect** (diagnosis; source: review input):');
    expect(text).toContain('1 item dropped: Invented handler (evidence "server/index.js:999": line 999 is past the end of server/index.js (52 lines)).');
    // Only the section was added: the rest of the plan is byte for byte what it was.
    const start = text.indexOf('<!-- rt-plan:design-review -->');
    const end = text.indexOf('<!-- /rt-plan:design-review -->') + '<!-- /rt-plan:design-review -->\n\n'.length;
    expect(text.slice(0, start) + text.slice(end)).toBe(original);
    const check = run(['check', PLAN, '--cwd', project, '--stale']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('a hallucinating review keeps nothing; a second review replaces the first', () => {
    const file = path.join(project, 'review.json');
    writeFileSync(
      file,
      JSON.stringify({
        summary: 'Made up.',
        items: [
          { kind: 'finding', title: 'Uses ws', detail: 'x', evidence: ['server/index.js:3'], libraries: ['ws'] },
          { kind: 'change', title: 'Rename handler', detail: 'Change the existing `roomRename` event.', evidence: ['server/index.js:27'] },
          { kind: 'risk', title: 'Ghost file', detail: 'x', evidence: ['server/ghost.js:1'] },
        ],
      }),
    );
    const r = review('review.json');
    expect(r.status, r.stderr).toBe(0);
    const text = planNow();
    expect(text.match(/## Design review/g)).toHaveLength(1);
    expect(text).not.toContain('Rooms are not re-joined');
    expect(text).toContain('No item of this review survived verification.');
    expect(text).toContain(
      '3 items dropped: Uses ws (says the project uses "ws", which no package.json declares); Rename handler (says the event "roomRename" exists; the analysis found no such event); Ghost file (evidence "server/ghost.js:1": no such file in the project).',
    );
  });

  it('invalid JSON and schema violations exit 3 naming the problem, and leave the plan alone', () => {
    const before = planNow();
    const bad = review('-', '{"summary": "x", items: []}');
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/^error: --input stdin: invalid JSON: /m);
    const wrong = review('-', JSON.stringify({ summary: 'x', items: [{ kind: 'praise', title: 'x', detail: 'y', evidence: ['a.js:1'] }] }));
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain('error: --input stdin does not match the review schema: items[0].kind: expected one of change, diagnosis, finding, risk');
    expect(wrong.stderr).toContain('hint: rt-plan review --schema prints the JSON Schema');
    expect(planNow()).toBe(before);
  });

  it('without a plan or --input it is a usage error', () => {
    expect(run(['review', '--cwd', project]).status).toBe(2);
  });
});
