import { describe, expect, it } from 'vitest';
import { clip, sectionBlocks, splitSections } from '../../src/docs/markdown.js';

const doc = ['Intro line', '', '# Title', 'text', '## Real-time', 'push', '```sh', '# not a heading', '```', '### Heartbeat', 'ping', '## Other', 'x'].join(
  '\n',
);

describe('splitSections', () => {
  it('splits at headings, keeps line numbers and ignores headings in fenced code', () => {
    expect(splitSections(doc).map((s) => [s.heading, s.level, s.line])).toEqual([
      ['', 0, 1],
      ['Title', 1, 3],
      ['Real-time', 2, 5],
      ['Heartbeat', 3, 10],
      ['Other', 2, 12],
    ]);
    expect(splitSections(doc)[2]?.body).toBe('push\n```sh\n# not a heading\n```');
  });

  it('keeps sub-sections inside their parent block', () => {
    const blocks = sectionBlocks(splitSections(doc));
    expect(blocks[2]?.body).toBe('push\n```sh\n# not a heading\n```\n\n### Heartbeat\nping');
    expect(blocks[4]?.body).toBe('x');
  });

  it('handles CRLF line endings', () => {
    expect(splitSections('# A\r\none\r\n## B\r\ntwo').map((s) => s.body)).toEqual(['one', 'two']);
  });
});

describe('clip', () => {
  it('returns short text unchanged and cuts long text at a line boundary', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('line one\nline two\nline three', 20)).toBe('line one\nline two\n…');
  });
});
