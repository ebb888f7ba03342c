// The diagram keyword for error messages (`sequenceDiagram: Parse error …`), read the way
// mermaid does: after the frontmatter, directives, comments and blank lines.

const FRONTMATTER = /^[^\S\n\r]*-{3}\s*[\n\r].*?[\n\r][^\S\n\r]*-{3}\s*[\n\r]+/s;

/** The first word of the diagram and its 1-based line in `source`. */
export function diagramType(source: string): { name: string; line: number } {
  const text = source.replace(/\r\n?/g, '\n');
  const front = FRONTMATTER.exec(text)?.[0] ?? '';
  const skipped = front.split('\n').length - 1;
  const lines = text.slice(front.length).split('\n');
  for (const [i, line] of lines.entries()) {
    const content = line.replace(/%%\{.*?\}%%/g, '').trim();
    if (content === '' || content.startsWith('%%')) continue;
    return { name: /^[^\s;]+/.exec(content)?.[0] ?? 'mermaid', line: skipped + i + 1 };
  }
  return { name: 'mermaid', line: 1 };
}
