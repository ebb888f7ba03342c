// Reads back what mermaid's parser understood from a diagram: the nodes, edges,
// participants and messages in its database, with entity codes decoded to text.
// The property test compares these with the builder's input.

import { getMermaid } from '../../src/diagrams/validate.js';

export interface Parsed {
  type: string;
  /** id → label */
  nodes: Map<string, string>;
  /** "from->to" with the label, in order */
  edges: { from: string; to: string; label: string; type?: number }[];
  groups: { id: string; label: string; members: string[] }[];
  notes: string[];
}

/** Mermaid swaps `#code;` for placeholders before lexing; undo that, then `<br>`. */
export function decode(text: string): string {
  return text
    .replace(/<br>/g, '\n')
    .replace(/ﬂ°°(\d+)¶ß/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/ﬂ°(\w+)¶ß/g, (_, name: string) => `&${name};`);
}

interface Db {
  [key: string]: (...args: unknown[]) => unknown;
}

export async function parseDiagram(source: string): Promise<Parsed> {
  const mermaid = (await getMermaid()) as unknown as {
    mermaidAPI: { getDiagramFromText(text: string): Promise<{ type: string; db: Db }> };
  };
  const { type, db } = await mermaid.mermaidAPI.getDiagramFromText(source);
  const out: Parsed = { type, nodes: new Map(), edges: [], groups: [], notes: [] };
  if (type.startsWith('flowchart')) {
    for (const v of (db.getVertices!() as Map<string, { id: string; text: string }>).values()) out.nodes.set(v.id, decode(v.text));
    for (const e of db.getEdges!() as { start: string; end: string; text: string }[]) {
      out.edges.push({ from: e.start, to: e.end, label: decode(e.text ?? '') });
    }
    for (const g of db.getSubGraphs!() as { id: string; title: string; nodes: string[] }[]) {
      out.groups.push({ id: g.id, label: decode(g.title), members: [...g.nodes] });
    }
  } else if (type.startsWith('state')) {
    for (const [id, s] of db.getStates!() as Map<string, { descriptions: string[]; note?: { text: string } }>) {
      out.nodes.set(id, decode(s.descriptions.join('\n')));
      if (s.note) out.notes.push(decode(s.note.text));
    }
    for (const r of db.getRelations!() as { id1: string; id2: string; relationTitle?: string }[]) {
      out.edges.push({ from: r.id1, to: r.id2, label: decode(r.relationTitle ?? '') });
    }
  } else if (type === 'sequence') {
    for (const a of (db.getActors!() as Map<string, { name: string; description: string }>).values()) {
      out.nodes.set(a.name, decode(a.description));
    }
    for (const m of db.getMessages!() as { from?: string; to?: string; message: unknown; type: number }[]) {
      const text = typeof m.message === 'string' ? m.message : ((m.message as { text?: string } | undefined)?.text ?? '');
      out.edges.push({ from: m.from ?? '', to: m.to ?? '', label: decode(text), type: m.type });
    }
  }
  return out;
}
