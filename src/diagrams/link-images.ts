// Adds an image link under each ```mermaid block, keeping the Mermaid text in the plan:
// renderers that understand Mermaid show the diagram, others show the picture.

import { parse } from 'yaml';
import { extractMermaidBlocks } from './extract.js';

const FRONTMATTER = /^[^\S\n]*-{3}[^\S\n]*\n(.*?)\n[^\S\n]*-{3}[^\S\n]*(\n|$)/s;

/** The diagram's frontmatter title, or null. */
function diagramTitle(source: string): string | null {
  const body = FRONTMATTER.exec(source.replace(/\r\n?/g, '\n'))?.[1];
  if (body === undefined) return null;
  try {
    const data: unknown = parse(body);
    const title = (data as { title?: unknown } | null)?.title;
    return typeof title === 'string' || typeof title === 'number' ? String(title) : null;
  } catch {
    return null;
  }
}

function altText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/([\\[\]])/g, '\\$1')
    .trim();
}

/**
 * Inserts `![<title>](<names[N]>)` after the N-th mermaid block. `names` are image paths
 * relative to the plan (e.g. `plan-name/diagram-1.svg`), one per block, in order.
 */
export function linkImages(markdown: string, names: string[]): string {
  const blocks = extractMermaidBlocks(markdown);
  if (blocks.length !== names.length) {
    throw new Error(`linkImages: ${names.length} image names for ${blocks.length} mermaid blocks`);
  }
  const newline = markdown.includes('\r\n') ? '\r\n' : '\n';
  const lines = markdown.split(/\r?\n/);
  // From the last block up, so earlier insertions do not shift later line numbers.
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i]!;
    const name = names[i]!;
    const title = altText(diagramTitle(block.source) ?? `Diagram ${i + 1}`);
    const link = `![${title}](${encodeURI(name)})`;
    const after = block.endLine ?? lines.length;
    if (lines.slice(after, after + 3).some((line) => line.trim() === link)) continue;
    lines.splice(after, 0, '', link);
  }
  return lines.join(newline);
}
