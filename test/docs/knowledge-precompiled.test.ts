// dist/knowledge-notes.json (scripts/build.mjs) must hold exactly what parsing the shipped
// notes gives, keyed by a hash of each note's source, so the plan command can skip the YAML.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeSourceHash, parseKnowledgeNote } from '../../src/docs/knowledge.js';
import { REPO } from '../cli/helpers.js';

describe('the precompiled knowledge notes', () => {
  it('match every shipped note, parsed from its current source', () => {
    const dir = path.join(REPO, 'templates/knowledge');
    const built = JSON.parse(readFileSync(path.join(REPO, 'dist/knowledge-notes.json'), 'utf8')) as unknown[];
    const expected = readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => {
        const text = readFileSync(path.join(dir, name), 'utf8');
        return { name, hash: knowledgeSourceHash(text), note: parseKnowledgeNote(`templates/knowledge/${name}`, text) };
      });
    expect(built).toEqual(expected);
  });
});
