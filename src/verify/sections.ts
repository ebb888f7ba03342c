// The plan's required H2 sections, in PRODUCT.md's order. Templates (built-in or a
// project's overrides) must use these titles, numbered (`## 6. Architecture`) or not.

export const REQUIRED_SECTIONS = [
  'Summary',
  'Context',
  'Current state',
  'Communication requirements',
  'Transport and library decision',
  'Architecture',
  'Connection management',
  'Event protocol',
  'State synchronization',
  'Security',
  'Performance and scaling',
  'Error handling and fallbacks',
  'Observability',
  'Testing strategy',
  'Implementation steps',
  'Race conditions and edge cases',
  'References',
] as const;

export interface Heading {
  title: string;
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** H2 headings outside fenced code, with any `N.` prefix and closing `#`s removed. */
export function parseHeadings(markdown: string): Heading[] {
  const headings: Heading[] = [];
  let fence: string | null = null;
  markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((text, index) => {
      const marker = FENCE.exec(text)?.[1];
      if (marker !== undefined) {
        if (fence === null) fence = marker;
        else if (marker[0] === fence[0] && marker.length >= fence.length && text.trim() === marker) fence = null;
        return;
      }
      if (fence !== null) return;
      const match = /^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(text);
      if (!match) return;
      const title = (match[1] ?? '').replace(/^\d+[.)][ \t]*/, '').trim();
      headings.push({ title, line: index + 1 });
    });
  return headings;
}

export interface SectionProblem {
  line: number | null;
  message: string;
}

/**
 * Missing sections, reported at the heading that should follow them (or the last line),
 * and sections found before one that should precede them.
 */
export function checkSections(markdown: string): SectionProblem[] {
  const headings = parseHeadings(markdown);
  const find = (title: string): number => headings.findIndex((h) => h.title.toLowerCase() === title.toLowerCase());
  const lastLine = markdown.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').length;
  const problems: SectionProblem[] = [];
  let previous: { title: string; index: number } | null = null;
  REQUIRED_SECTIONS.forEach((title, position) => {
    const index = find(title);
    const heading = headings[index];
    if (heading === undefined) {
      const next = REQUIRED_SECTIONS.slice(position + 1)
        .map(find)
        .find((i) => i !== -1);
      const nextHeading = next === undefined ? undefined : headings[next];
      const where = nextHeading ? ` (expected before "## ${nextHeading.title}")` : ' (expected at the end)';
      problems.push({ line: nextHeading?.line ?? lastLine, message: `missing required section "## ${title}"${where}` });
      return;
    }
    if (previous !== null && index < previous.index) {
      problems.push({ line: heading.line, message: `section "${title}" must come after "${previous.title}"` });
      return;
    }
    previous = { title, index };
  });
  return problems;
}
