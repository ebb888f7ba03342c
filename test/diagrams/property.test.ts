// Hostile labels cannot break or inject into a diagram: every diagram the builders make
// from random hostile text parses, has exactly the nodes, edges, participants and
// messages of its spec, and gives back each label as written.

import { describe, expect, it } from 'vitest';
import { flowchart, sequenceDiagram, stateDiagram } from '../../src/diagrams/builders.js';
import type { FlowNode, SeqStep } from '../../src/diagrams/builders.js';
import { validateMermaid } from '../../src/diagrams/validate.js';
import { parseDiagram } from './mermaid-db.js';
import { parse as parseYaml } from 'yaml';

/** mulberry32: a tiny seeded PRNG, so every run tests the same cases. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '((',
  '))',
  '[(',
  '|',
  ';',
  '#',
  '%%',
  '`',
  '```',
  'end',
  'End',
  'else',
  'and',
  'option',
  'participant x',
  'actor y',
  'Note over a',
  'note',
  'loop',
  'alt',
  'as',
  'state',
  'subgraph',
  '[*]',
  '-->',
  '->>',
  '-)',
  '-.->',
  '==>',
  ':',
  'wrap:',
  'style a fill:#f00;',
  'classDef c fill:#f00;',
  '%%{init: {"theme":"dark"}}%%',
  '#quot;',
  '#35;',
  '#59;',
  '&amp;',
  '&lt;',
  '<script>alert(1)</script>',
  '<br>',
  '\\',
  '\n',
  '\r\n',
  '\t',
  '\u2028',
  '\u0007',
  ' ',
  '  ',
  'é',
  'ünïcødé',
  '中文',
  'עברית',
  '😀',
  '👨‍👩‍👧',
  'x',
  'room-1',
  'user.id',
  '42',
  'click n0 call alert()',
  '---',
  'title: x',
  '@{ shape: circle }',
  '<',
  '>',
  '&',
];

function hostile(random: () => number): string {
  const parts = 1 + Math.floor(random() * 5);
  let text = '';
  for (let i = 0; i < parts; i++) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
  return text;
}

/** What a label should read back as: CRLF → LF, outer spaces trimmed, empty → NBSP. */
function expected(text: string): string {
  const clean = text.replace(/\r\n?/g, '\n').replace(/^ +| +$/g, '');
  return clean === '' ? '\u00a0' : clean;
}

const SHAPES: NonNullable<FlowNode['shape']>[] = ['rect', 'round', 'db', 'queue', 'circle', 'hexagon'];
const CASES = 200;

describe('builders against hostile labels (seeded property test)', () => {
  it(`keeps ${CASES} random flowcharts intact`, async () => {
    const random = prng(1);
    for (let c = 0; c < CASES; c++) {
      const groups = [{ key: 'g', label: hostile(random) }];
      const nodes: FlowNode[] = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => ({
        key: `k${i}`,
        label: hostile(random),
        shape: SHAPES[Math.floor(random() * SHAPES.length)]!,
        ...(random() < 0.4 ? { group: 'g' } : {}),
      }));
      const edges = nodes.slice(1).map((node, i) => ({ from: `k${i}`, to: node.key, label: hostile(random) }));
      const d = flowchart(hostile(random), { groups, nodes, edges });
      const parsed = await parseDiagram(d.source);
      expect([...parsed.nodes.keys()].sort()).toEqual(nodes.map((_, i) => `n${i}`).sort());
      nodes.forEach((node, i) => expect(parsed.nodes.get(`n${i}`)).toBe(expected(node.label)));
      expect(parsed.edges).toEqual(edges.map((e, i) => ({ from: `n${i}`, to: `n${i + 1}`, label: expected(e.label) })));
      const members = nodes.flatMap((n, i) => (n.group ? [`n${i}`] : []));
      expect(parsed.groups.map((g) => ({ ...g, members: [...g.members].sort() }))).toEqual([
        { id: 'g0', label: expected(groups[0]!.label), members: members.sort() },
      ]);
    }
  });

  it(`keeps ${CASES} random state diagrams intact`, async () => {
    const random = prng(2);
    for (let c = 0; c < CASES; c++) {
      const states = Array.from({ length: 2 + Math.floor(random() * 3) }, (_, i) => ({ key: `s${i}`, label: hostile(random) }));
      const transitions = states.slice(1).map((s, i) => ({ from: `s${i}`, to: s.key, label: hostile(random) }));
      const note = { state: 's0', text: hostile(random) };
      const last = states[states.length - 1]!.key;
      const d = stateDiagram(hostile(random), { states, initial: 's0', transitions, final: [last], notes: [note] });
      const parsed = await parseDiagram(d.source);
      const ids = states.map((_, i) => `n${i}`);
      expect([...parsed.nodes.keys()].sort()).toEqual([...ids, 'root_end', 'root_start'].sort());
      states.forEach((s, i) => expect(parsed.nodes.get(`n${i}`)).toBe(expected(s.label)));
      expect(parsed.edges).toEqual([
        { from: 'root_start', to: 'n0', label: '' },
        ...transitions.map((t, i) => ({ from: `n${i}`, to: `n${i + 1}`, label: expected(t.label) })),
        { from: `n${states.length - 1}`, to: 'root_end', label: '' },
      ]);
      expect(parsed.notes).toEqual([expected(note.text)]);
    }
  });

  it(`keeps ${CASES} random sequence diagrams intact`, async () => {
    const random = prng(3);
    for (let c = 0; c < CASES; c++) {
      const participants = [
        { key: 'a', label: hostile(random), actor: true },
        { key: 'b', label: hostile(random) },
      ];
      const m1 = hostile(random);
      const m2 = hostile(random);
      const m3 = hostile(random);
      const noteText = hostile(random);
      const blockLabel = hostile(random);
      const elseLabel = hostile(random);
      const steps: SeqStep[] = [
        { kind: 'message', from: 'a', to: 'b', text: m1 },
        { kind: 'note', over: ['a', 'b'], text: noteText },
        {
          kind: 'block',
          type: (['alt', 'par', 'critical'] as const)[c % 3]!,
          label: blockLabel,
          steps: [{ kind: 'message', from: 'b', to: 'a', text: m2, style: 'reply' }],
          else: [{ label: elseLabel, steps: [{ kind: 'message', from: 'a', to: 'b', text: m3, style: 'async' }] }],
        },
      ];
      const d = sequenceDiagram(hostile(random), { participants, steps, autonumber: random() < 0.5 });
      const parsed = await parseDiagram(d.source);
      expect([...parsed.nodes.entries()]).toEqual([
        ['n0', expected(participants[0]!.label)],
        ['n1', expected(participants[1]!.label)],
      ]);
      const arrows = parsed.edges.filter((e) => e.type === 0 || e.type === 1 || e.type === 24 || e.type === 2);
      expect(arrows).toEqual([
        { from: 'n0', to: 'n1', label: expected(m1), type: 0 },
        { from: 'n0', to: 'n1', label: expected(noteText), type: 2 },
        { from: 'n1', to: 'n0', label: expected(m2), type: 1 },
        { from: 'n0', to: 'n1', label: expected(m3), type: 24 },
      ]);
      const blockLabels = parsed.edges.filter((e) => e.type !== undefined && e.type >= 10 && e.type !== 24 && e.type !== 26);
      expect(blockLabels.map((e) => e.label)).toEqual([expected(blockLabel), expected(elseLabel), '']);
    }
  });

  it('keeps hostile titles in the frontmatter, read back as written', async () => {
    const random = prng(4);
    for (let c = 0; c < 100; c++) {
      const title = hostile(random);
      const d = sequenceDiagram(title, { participants: [{ key: 'a', label: 'A' }], steps: [] });
      expect(await validateMermaid(d.source)).toEqual({ valid: true });
      const parsed = await parseDiagram(d.source);
      expect([...parsed.nodes.keys()]).toEqual(['n0']);
      expect(parsed.edges).toEqual([]);
      const front = /^---\n(.*)\n---\nsequenceDiagram\n/.exec(d.source);
      expect(front).not.toBeNull();
      expect(parseYaml(front![1]!)).toEqual({ title });
    }
  });
});
