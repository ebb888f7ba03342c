// Pure Markdown helpers: split a document into heading-delimited sections, group them with
// their sub-sections, and clip excerpts to a size.

export interface Section {
  /** Heading text without the leading #s; '' for the text before the first heading. */
  heading: string;
  level: number;
  /** 1-based line of the heading (or of the first line for the preamble). */
  line: number;
  /** Section text without its heading line, trimmed. */
  body: string;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * Splits Markdown into sections at headings of any level. Headings inside fenced code are
 * ignored, so a `# comment` in a shell example does not start a section.
 */
export function splitSections(text: string): Section[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: Section[] = [];
  let current: Section & { lines: string[] } = { heading: '', level: 0, line: 1, body: '', lines: [] };
  let fence: string | null = null;
  const flush = (): void => {
    const body = current.lines.join('\n').trim();
    if (current.heading !== '' || body !== '') {
      sections.push({ heading: current.heading, level: current.level, line: current.line, body });
    }
  };
  lines.forEach((raw, index) => {
    const fenceMatch = FENCE.exec(raw);
    if (fenceMatch) {
      const marker = fenceMatch[1] ?? '```';
      if (fence === null) fence = marker;
      else if (fence === marker) fence = null;
      current.lines.push(raw);
      return;
    }
    const heading = fence === null ? HEADING.exec(raw) : null;
    if (heading) {
      flush();
      current = {
        heading: (heading[2] ?? '').trim(),
        level: (heading[1] ?? '#').length,
        line: index + 1,
        body: '',
        lines: [],
      };
      return;
    }
    current.lines.push(raw);
  });
  flush();
  return sections;
}

/**
 * Groups each section with its sub-sections, so a "## Real-time" section keeps its
 * "### Heartbeat" child. Returns one block per section, holding the text up to the next
 * heading of the same or a higher level.
 */
export function sectionBlocks(sections: Section[]): Section[] {
  return sections.map((section, index) => {
    const parts = [section.body];
    for (let next = index + 1; next < sections.length; next++) {
      const child = sections[next];
      if (!child || (section.level > 0 && child.level <= section.level) || section.level === 0) break;
      parts.push(`${'#'.repeat(child.level)} ${child.heading}\n${child.body}`);
    }
    return {
      ...section,
      body: parts
        .filter((p) => p !== '')
        .join('\n\n')
        .trim(),
    };
  });
}

/** Cuts text at a paragraph or line boundary near `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const slice = text.slice(0, max);
  const cut = Math.max(slice.lastIndexOf('\n\n'), slice.lastIndexOf('\n'));
  const body = cut > max * 0.5 ? slice.slice(0, cut) : slice;
  return `${body.trimEnd()}\n…`;
}

/**
 * The most specific sections whose own text (heading and body, children excluded) passes
 * `keep`, each returned as a block with its sub-sections. A document title section whose own
 * intro is off-topic does not swallow the whole file; its matching children are taken instead.
 */
export function relevantBlocks(sections: Section[], keep: (text: string) => boolean): Section[] {
  const blocks = sectionBlocks(sections);
  const kept: Section[] = [];
  let skipDeeperThan = 0;
  sections.forEach((section, index) => {
    if (skipDeeperThan > 0 && section.level > skipDeeperThan) return;
    skipDeeperThan = 0;
    const block = blocks[index];
    if (!block || block.body === '' || !keep(`${section.heading}\n${section.body}`)) return;
    kept.push(block);
    if (section.level > 0) skipDeeperThan = section.level;
  });
  return kept;
}
