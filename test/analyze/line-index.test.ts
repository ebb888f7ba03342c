import { expect, it } from 'vitest';
import { LineIndex } from '../../src/analyze/code/ast.js';

it('counts \\n, \\r\\n and a lone \\r as line ends', () => {
  const text = 'a\nb\r\nc\rd';
  const index = new LineIndex(text);
  expect(['a', 'b', 'c', 'd'].map((ch) => index.line(text.indexOf(ch)))).toEqual([1, 2, 3, 4]);
});
