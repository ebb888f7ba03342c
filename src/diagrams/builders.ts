// The only producers of Mermaid text. Node ids are generated here (n0, n1, … in insertion
// order) so user data never becomes syntax; every piece of user text goes through
// escapeLabel, which keeps letters, digits and a few inert characters and turns everything
// else into Mermaid entity codes (`#35;`). Mermaid replaces those codes with placeholders
// before its lexers run, so an encoded character can never be read as syntax.

import type { Diagram } from '../types.js';

/**
 * Characters verified inert, raw, in every label position the builders emit (see the
 * property test). Kept out on purpose: `"` `:` `;` `#` `%` (entities, comments, directives
 * such as `%%{init}%%`, which mermaid finds anywhere in the text), `<` `>` `&` (HTML),
 * backticks (markdown strings), `{` `}` `|`, backslash and every control or separator character.
 */
const SAFE = /^[\p{L}\p{N}\p{M} .,_/()'?!+=*@$~[\]-]$/u;

export function escapeLabel(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    if (ch === '\n') out += '<br>';
    else if (SAFE.test(ch)) out += ch;
    else out += `#${ch.codePointAt(0)};`;
  }
  return out;
}

/** A label that is never empty, since some Mermaid positions reject empty text. */
function label(text: string): string {
  const escaped = escapeLabel(text).trim();
  return escaped === '' ? '#160;' : escaped;
}

/** The title goes into YAML frontmatter as a JSON string; JSON strings are valid YAML. */
function frontmatter(title: string): string {
  const quoted = JSON.stringify(title).replace(/[#%;:<>&`{}[\]|\u2028\u2029]/g, (ch) => {
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `---\ntitle: ${quoted}\n---\n`;
}

/** Maps caller keys to generated ids; unknown or duplicate keys are programming errors. */
class IdMap {
  private readonly ids = new Map<string, string>();
  constructor(
    private readonly prefix: string,
    private readonly what: string,
  ) {}

  add(key: string): string {
    if (this.ids.has(key)) throw new Error(`duplicate ${this.what} key ${JSON.stringify(key)}`);
    const id = `${this.prefix}${this.ids.size}`;
    this.ids.set(key, id);
    return id;
  }

  get(key: string): string {
    const id = this.ids.get(key);
    if (id === undefined) throw new Error(`unknown ${this.what} key ${JSON.stringify(key)}`);
    return id;
  }
}

// ─── flowchart ──────────────────────────────────────────────────────────────

export interface FlowNode {
  key: string;
  label: string;
  shape?: 'rect' | 'round' | 'db' | 'queue' | 'circle' | 'hexagon';
  group?: string;
}
export interface FlowEdge {
  from: string;
  to: string;
  label?: string;
  style?: 'solid' | 'dashed' | 'thick';
}

const SHAPES: Record<NonNullable<FlowNode['shape']>, [string, string]> = {
  rect: ['["', '"]'],
  round: ['("', '")'],
  db: ['[("', '")]'],
  queue: ['>"', '"]'],
  circle: ['(("', '"))'],
  hexagon: ['{{"', '"}}'],
};

const ARROWS: Record<NonNullable<FlowEdge['style']>, string> = {
  solid: '-->',
  dashed: '-.->',
  thick: '==>',
};

export function flowchart(
  title: string,
  spec: { direction?: 'LR' | 'TD'; groups?: { key: string; label: string }[]; nodes: FlowNode[]; edges: FlowEdge[] },
): Diagram {
  const nodeIds = new IdMap('n', 'node');
  const groupIds = new IdMap('g', 'group');
  const groups = spec.groups ?? [];
  for (const group of groups) groupIds.add(group.key);
  for (const node of spec.nodes) {
    nodeIds.add(node.key);
    if (node.group !== undefined) groupIds.get(node.group);
  }
  const nodeLine = (node: FlowNode, indent: string): string => {
    const [open, close] = SHAPES[node.shape ?? 'rect'];
    return `${indent}${nodeIds.get(node.key)}${open}${label(node.label)}${close}`;
  };

  const lines = [`flowchart ${spec.direction ?? 'LR'}`];
  // Ungrouped nodes first, then each group's nodes inside its subgraph; ids still follow
  // the spec's order, so the output depends only on the spec.
  for (const node of spec.nodes) if (node.group === undefined) lines.push(nodeLine(node, '  '));
  for (const group of groups) {
    lines.push(`  subgraph ${groupIds.get(group.key)}["${label(group.label)}"]`);
    for (const node of spec.nodes) if (node.group === group.key) lines.push(nodeLine(node, '    '));
    lines.push('  end');
  }
  for (const edge of spec.edges) {
    const arrow = ARROWS[edge.style ?? 'solid'];
    const text = edge.label === undefined ? '' : `|"${label(edge.label)}"|`;
    lines.push(`  ${nodeIds.get(edge.from)} ${arrow}${text} ${nodeIds.get(edge.to)}`);
  }
  return { kind: 'flowchart', title, source: frontmatter(title) + lines.join('\n') + '\n' };
}

// ─── state diagram ──────────────────────────────────────────────────────────

export interface StateSpec {
  key: string;
  label: string;
}

export function stateDiagram(
  title: string,
  spec: {
    states: StateSpec[];
    initial: string;
    transitions: { from: string; to: string; label?: string }[];
    final?: string[];
    notes?: { state: string; text: string }[];
  },
): Diagram {
  const ids = new IdMap('n', 'state');
  const lines = ['stateDiagram-v2'];
  for (const state of spec.states) lines.push(`  state "${label(state.label)}" as ${ids.add(state.key)}`);
  lines.push(`  [*] --> ${ids.get(spec.initial)}`);
  for (const t of spec.transitions) {
    const text = t.label === undefined ? '' : ` : ${label(t.label)}`;
    lines.push(`  ${ids.get(t.from)} --> ${ids.get(t.to)}${text}`);
  }
  for (const key of spec.final ?? []) lines.push(`  ${ids.get(key)} --> [*]`);
  for (const note of spec.notes ?? []) lines.push(`  note right of ${ids.get(note.state)} : ${label(note.text)}`);
  return { kind: 'state', title, source: frontmatter(title) + lines.join('\n') + '\n' };
}

// ─── sequence diagram ───────────────────────────────────────────────────────

export type SeqStep =
  | { kind: 'message'; from: string; to: string; text: string; style?: 'sync' | 'async' | 'reply' }
  | { kind: 'note'; over: string[]; text: string }
  | {
      kind: 'block';
      type: 'alt' | 'opt' | 'loop' | 'par' | 'critical';
      label: string;
      steps: SeqStep[];
      else?: { label: string; steps: SeqStep[] }[];
    };

const MESSAGE_ARROWS = { sync: '->>', async: '-)', reply: '-->>' } as const;
/** The keyword that separates the branches of each block type. */
const BRANCH_KEYWORD = { alt: 'else', opt: 'else', loop: 'else', par: 'and', critical: 'option' } as const;

export function sequenceDiagram(
  title: string,
  spec: { participants: { key: string; label: string; actor?: boolean }[]; steps: SeqStep[]; autonumber?: boolean },
): Diagram {
  const ids = new IdMap('n', 'participant');
  const lines = ['sequenceDiagram'];
  if (spec.autonumber) lines.push('  autonumber');
  for (const p of spec.participants) {
    lines.push(`  ${p.actor ? 'actor' : 'participant'} ${ids.add(p.key)} as ${label(p.label)}`);
  }
  const emit = (steps: SeqStep[], indent: string): void => {
    for (const step of steps) {
      if (step.kind === 'message') {
        const arrow = MESSAGE_ARROWS[step.style ?? 'sync'];
        lines.push(`${indent}${ids.get(step.from)}${arrow}${ids.get(step.to)}: ${label(step.text)}`);
      } else if (step.kind === 'note') {
        if (step.over.length === 0) throw new Error('a sequence note needs at least one participant');
        const over = step.over.map((key) => ids.get(key)).join(',');
        lines.push(`${indent}Note over ${over}: ${label(step.text)}`);
      } else {
        const branches = step.else ?? [];
        if (branches.length > 0 && (step.type === 'opt' || step.type === 'loop')) {
          throw new Error(`a ${step.type} block has no else branches`);
        }
        lines.push(`${indent}${step.type} ${label(step.label)}`);
        emit(step.steps, indent + '  ');
        for (const branch of branches) {
          lines.push(`${indent}${BRANCH_KEYWORD[step.type]} ${label(branch.label)}`);
          emit(branch.steps, indent + '  ');
        }
        lines.push(`${indent}end`);
      }
    }
  };
  emit(spec.steps, '  ');
  return { kind: 'sequence', title, source: frontmatter(title) + lines.join('\n') + '\n' };
}
