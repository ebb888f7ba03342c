// An ESLint-RuleTester-style harness for audit rules: each case is a small project (several
// files, so cross-file rules are tested across files); `valid` cases must give no finding of
// the rule, `invalid` ones exactly the listed evidence. Trees live in one temp folder per run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';

export interface RuleCase {
  name: string;
  files: Record<string, string>;
}

export interface InvalidCase extends RuleCase {
  /** Evidence (`file:line`) of every finding the rule must give, in order. */
  errors: string[];
  /** When given, the message of every finding, in the same order. */
  messages?: string[];
}

export function ruleTester(id: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `rt-plan-rule-${id}-`));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let n = 0;
  const findings = async (c: RuleCase) => {
    const root = path.join(tmp, String(n++));
    for (const [rel, text] of Object.entries(c.files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return (await analyzeProject(root)).findings.filter((f) => f.id === id);
  };
  const run = async (c: RuleCase): Promise<string[]> => (await findings(c)).map((f) => f.evidence);
  describe(id, () => {
    it.each(cases.valid.map((c) => [c.name, c] as const))('valid: %s', async (_n, c) => {
      expect(await run(c)).toEqual([]);
    });
    it.each(cases.invalid.map((c) => [c.name, c] as const))('invalid: %s', async (_n, c) => {
      const found = await findings(c);
      expect(found.map((f) => f.evidence)).toEqual(c.errors);
      if (c.messages) expect(found.map((f) => f.message)).toEqual(c.messages);
    });
  });
}
