import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayMatch, NUMBER_RULES } from '../../src/context/figure-rules.js';
import { splitSentences } from '../../src/context/requirements.js';

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * The sentences rt-plan is tested on: every session file of the fixture projects and the
 * example, and every quoted string of the context and design tests (their session lines).
 */
function sessionSentences(): string[] {
  const roots = [path.join(repo, 'test/fixtures/projects'), path.join(repo, 'examples')];
  const out: string[] = [];
  for (const root of roots) {
    for (const project of readdirSync(root)) {
      const tasks = path.join(root, project, '.claude/tasks');
      let names: string[];
      try {
        names = readdirSync(tasks);
      } catch {
        continue;
      }
      for (const name of names.filter((n) => n.endsWith('.md'))) {
        out.push(...splitSentences(readFileSync(path.join(tasks, name), 'utf8')).map((s) => s.text));
      }
    }
  }
  for (const dir of ['test/context', 'test/design']) {
    for (const name of readdirSync(path.join(repo, dir)).filter((n) => n.endsWith('.test.ts'))) {
      const source = readFileSync(path.join(repo, dir, name), 'utf8');
      for (const m of source.matchAll(/'([^'\n]{8,})'|"([^"\n]{8,})"|`([^`]{8,})`/g)) out.push(...splitSentences(m[1] ?? m[2] ?? m[3]!).map((s) => s.text));
    }
  }
  return out;
}

describe('figure rule gates', () => {
  it('never turn away a sentence the rule matches (every session sentence of the fixtures)', () => {
    const sentences = sessionSentences();
    expect(sentences.length).toBeGreaterThan(1000);
    const missed: string[] = [];
    let matched = 0;
    for (const text of sentences) {
      const lower = text.toLowerCase();
      NUMBER_RULES.forEach((rule, i) => {
        if (!rule.pattern.test(text)) return;
        matched++;
        if (!mayMatch(rule, text, lower)) missed.push(`rule ${i} (${rule.metric}): ${text}`);
      });
    }
    expect(missed).toEqual([]);
    expect(matched).toBeGreaterThan(100);
  });

  it('let through only the rules a sentence names the words of', () => {
    const text = 'Expect 5,000 concurrent users at peak.';
    const open = NUMBER_RULES.flatMap((rule) => (mayMatch(rule, text, text.toLowerCase()) ? [`${rule.metric} ${rule.unit}`] : []));
    expect(open).toEqual(['message-rate msg/s', 'concurrent-users users', 'users users']);
  });

  it('read a case-sensitive unit as written', () => {
    const bytes = NUMBER_RULES.find((r) => r.metric === 'payload-size')!;
    expect([mayMatch(bytes, 'a 4 KB frame', 'a 4 kb frame'), mayMatch(bytes, 'a 4 kb frame', 'a 4 kb frame')]).toEqual([true, false]);
  });
});
