// Finds ```mermaid fences in Markdown the CommonMark way: a fence of three or more
// backticks or tildes, indented at most three spaces, closed by a fence of the same
// character at least as long; an unclosed fence runs to the end of the document.
// Other fenced blocks are skipped whole, so a mermaid example inside them is not a diagram.

export interface MermaidBlock {
  source: string;
  /** 1-based line of the first line inside the fence. */
  startLine: number;
  /** 1-based line of the closing fence, or null when the fence is never closed. */
  endLine: number | null;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

export function extractMermaidBlocks(markdown: string): MermaidBlock[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: MermaidBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPEN.exec(lines[i] ?? '');
    if (!open) {
      i++;
      continue;
    }
    const indent = (open[1] ?? '').length;
    const fence = open[2] ?? '```';
    const info = (open[3] ?? '').toLowerCase();
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end] ?? '')) end++;
    if (info === 'mermaid') {
      // Content lines lose up to the fence's own indentation, as CommonMark specifies.
      const body = lines.slice(i + 1, end).map((line) => line.replace(new RegExp(`^ {0,${indent}}`), ''));
      blocks.push({ source: body.join('\n'), startLine: i + 2, endLine: end < lines.length ? end + 1 : null });
    }
    i = end + 1;
  }
  return blocks;
}
