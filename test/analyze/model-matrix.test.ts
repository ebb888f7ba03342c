// The project-model fixture matrix: test/fixtures/projects/model-*/expected.json lists facts
// that must be found and findings that must not appear (format: model-expect.ts). Expectations
// the model does not meet yet are listed in KNOWN_GAPS with why; the test fails both when a
// new expectation is missed and when a listed gap is closed (so the list stays true).
// MODEL_FIXTURES=<dir> runs the same matrix over another folder of model-* fixtures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { missedExpectations, type ModelExpected } from './model-expect.js';

const FIXTURES = process.env.MODEL_FIXTURES ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'projects');
const CASES = readdirSync(FIXTURES)
  .filter((n) => n.startsWith('model-') && existsSync(path.join(FIXTURES, n, 'expected.json')))
  .sort();

/**
 * Expectations not met yet, per fixture, exactly as missedExpectations words them. Every
 * must-not expectation is met: what is left are facts not found (a missing claim, not a false one).
 */
const KNOWN_GAPS: Record<string, string[]> = {};

describe('project model fixture matrix', () => {
  it.skipIf(CASES.length > 0)('has model fixtures', () => {
    expect(CASES.length).toBeGreaterThan(0);
  });

  it.each(CASES)('%s: every expected fact found, no must-not finding', async (name) => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as ModelExpected;
    expect(expected.description.length).toBeGreaterThan(0);
    const missed = missedExpectations(await analyzeProject(path.join(FIXTURES, name)), expected);
    if (process.env.MODEL_FIXTURES) {
      expect(missed).toEqual([]);
      return;
    }
    expect(missed).toEqual(KNOWN_GAPS[name] ?? []);
  });
});
