// The byte-level multi-literal search must agree exactly with the plain regex of the markers.
import { describe, expect, it } from 'vitest';
import { COMMON_PAIRS, compileMarkers, hasMarker } from '../../src/analyze/code/prefilter.js';
import { CANDIDATE_MARKERS, CANDIDATE_PATTERN } from '../../src/analyze/code/source.js';

const matcher = compileMarkers(CANDIDATE_MARKERS, COMMON_PAIRS);
const re = new RegExp(CANDIDATE_PATTERN);
const has = (s: string): boolean => hasMarker(Buffer.from(s, 'latin1'), matcher);

describe('hasMarker', () => {
  it('finds every marker alone, at the start, in the middle and at the end', () => {
    for (const m of CANDIDATE_MARKERS) {
      expect([has(m), has(`${m} x`), has(`ab ${m} cd`), has(`xyz${m}`)], m).toEqual([true, true, true, true]);
    }
  });

  it('finds nothing in code without markers, or in cut-off markers', () => {
    expect(has('export function add(a, b) {\n  return a + b;\n}\n')).toBe(false);
    expect(has('')).toBe(false);
    expect(has('soc')).toBe(false);
    for (const m of CANDIDATE_MARKERS) expect(has(m.slice(0, -1)), m).toBe(re.test(m.slice(0, -1)));
  });

  it('agrees with the regex on random text built from marker fragments', () => {
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const pieces = [...CANDIDATE_MARKERS.map((m) => m.slice(0, 1 + rand(m.length))), ' ', '\n', 'e', 'ts', "'", '_', 'en'];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      while (s.length < 60) s += pieces[rand(pieces.length)];
      expect(has(s), s).toBe(re.test(s));
    }
  });

  it('rejects markers shorter than its 4-byte keys', () => {
    expect(() => compileMarkers(['ws', 'socket'], COMMON_PAIRS)).toThrow('every marker must be at least 4 bytes long');
  });

  it.each([[['abcd', 'wxyz0', 'long-marker']], [['socket', 'origin', 'Realtime', 'EventSource']], [['aaaaaaa', 'aaab', 'baaaaaaaaaa']]])(
    'agrees with the regex for the window of the shortest marker: %j',
    (markers) => {
      const m = compileMarkers(markers, COMMON_PAIRS);
      expect(m.w).toBe(Math.min(...markers.map((x) => x.length)));
      const pattern = new RegExp(markers.map((x) => x.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'));
      let seed = 11;
      const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
      const pieces = [...markers.map((x) => x.slice(rand(x.length), 1 + rand(x.length + 1))), 'a', 'b', ' ', '-'];
      for (let i = 0; i < 2000; i++) {
        let text = '';
        while (text.length < 40) text += pieces[rand(pieces.length)];
        expect(hasMarker(Buffer.from(text, 'latin1'), m), text).toBe(pattern.test(text));
      }
    },
  );
});
