// The published package: runtime dependencies are exactly the packages dist/ loads from
// node_modules (everything else is bundled and belongs in devDependencies), and the bundle
// ships with its licence notices and source maps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

// Declared for code another branch is adding (the --llm option); remove once dist/ loads it.
const PENDING = ['@anthropic-ai/sdk'];

function distFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? distFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : [],
  );
}

describe('the package', () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  const declared = Object.keys({ ...pkg['dependencies'], ...pkg['optionalDependencies'] }).sort();

  it('declares as runtime dependencies exactly what dist/ imports', () => {
    const loaded = new Set<string>();
    for (const file of distFiles(path.join(REPO, 'dist'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s*|import\s*\(\s*)"((?:@[\w-][\w.-]*\/)?[\w-][\w.-]*)(?:\/[^"]*)?"/g)) {
        if (!m[1]!.startsWith('node:')) loaded.add(m[1]!);
      }
    }
    expect([...loaded].sort()).toEqual(declared.filter((d) => !PENDING.includes(d) || loaded.has(d)));
  });

  it('ships a licence, notices for the bundled code, linked source maps and repository links', () => {
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    const notices = readFileSync(path.join(REPO, 'dist/THIRD_PARTY_NOTICES'), 'utf8');
    for (const bundled of ['commander', 'handlebars', 'yaml', '@modelcontextprotocol/sdk']) expect(notices).toMatch(new RegExp(`^## ${bundled}@`, 'm'));
    expect(readFileSync(path.join(REPO, 'dist/cli.js'), 'utf8')).toMatch(/\n\/\/# sourceMappingURL=cli\.js\.map\n$/);
    expect(existsSync(path.join(REPO, 'dist/cli.js.map'))).toBe(true);
    expect(pkg['repository']).toEqual({ type: 'git', url: 'git+https://github.com/rt-plan/rt-plan.git' });
    expect(pkg['bugs']).toEqual({ url: 'https://github.com/rt-plan/rt-plan/issues' });
  });
});
