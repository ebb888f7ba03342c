import { describe, expect, it } from 'vitest';
import { validateMermaid } from '../../src/diagrams/validate.js';
import { mapParserLine } from '../../src/diagrams/source-lines.js';
import { extractMermaidBlocks } from '../../src/diagrams/extract.js';

const BAD_MESSAGE = "Parse error: Expecting '+', '-', '()', 'ACTOR', got 'TXT'";

describe('validateMermaid', () => {
  it('accepts the three diagram kinds the plan uses', async () => {
    expect(await validateMermaid('flowchart LR\n  a["A"] --> b("B")\n')).toEqual({ valid: true });
    expect(await validateMermaid('stateDiagram-v2\n  [*] --> A\n  A --> B : go\n')).toEqual({ valid: true });
    expect(await validateMermaid('sequenceDiagram\n  A->>B: hi\n')).toEqual({ valid: true });
  });

  it.each([
    ['plain', 'sequenceDiagram\n  A->>B: ok\n  A->>: bad\n', 3],
    ['frontmatter', '---\ntitle: "x"\n---\nsequenceDiagram\n  A->>B: ok\n  A->>: bad\n', 6],
    ['frontmatter and blank lines', '---\ntitle: x\n---\n\n\nsequenceDiagram\n  A->>B: ok\n  A->>: bad\n', 8],
    ['directive', '%%{init: {"theme":"dark"}}%%\nsequenceDiagram\n  A->>B: ok\n  A->>: bad\n', 4],
    ['comments inside', 'sequenceDiagram\n  %% one\n  A->>B: ok\n  %% two\n\n  A->>: bad\n', 6],
    ['CRLF', 'sequenceDiagram\r\n  A->>B: ok\r\n  A->>: bad\r\n', 3],
  ])('reports the source line with %s', async (_name, source, line) => {
    expect(await validateMermaid(source)).toEqual({ valid: false, line, message: BAD_MESSAGE });
  });

  it('reports an unclosed node on its own line, not at the end of input', async () => {
    const result = await validateMermaid('flowchart LR\n  A --> B\n  B --> C[unclosed\n  C --> D\n');
    expect(result.valid).toBe(false);
    expect(result).toMatchObject({ line: 3 });
  });

  it('reports an unknown diagram type without a line', async () => {
    expect(await validateMermaid('sequenceDiagrm\n  A->>B: x\n')).toEqual({
      valid: false,
      line: null,
      message: 'No diagram type detected for "sequenceDiagrm"',
    });
  });
});

describe('mapParserLine', () => {
  it('clamps errors past the end to the last non-blank line', () => {
    expect(mapParserLine('graph TD\n  A-->B\n  A-- >C\n\n', 5)).toBe(3);
  });
});

describe('extractMermaidBlocks', () => {
  it('finds mermaid fences with their first content line and skips other code', () => {
    const md = [
      '# Plan', // 1
      '```ts', // 2
      '```mermaid', // 3: inside a ts block, not a fence opener
      '```', // 4
      '', // 5
      '~~~~ Mermaid', // 6
      'sequenceDiagram', // 7
      '  A->>B: x', // 8
      '~~~~', // 9
      '  ```mermaid', // 10
      '  flowchart LR', // 11
      '    a --> b', // 12
      '  ```', // 13
      '```mermaid', // 14
      'stateDiagram-v2', // 15
    ].join('\n');
    expect(extractMermaidBlocks(md)).toEqual([
      { source: 'sequenceDiagram\n  A->>B: x', startLine: 7, endLine: 9 },
      { source: 'flowchart LR\n  a --> b', startLine: 11, endLine: 13 },
      { source: 'stateDiagram-v2', startLine: 15, endLine: null },
    ]);
  });
});
