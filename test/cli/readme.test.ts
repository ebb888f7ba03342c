// The README is part of the product: its excerpt must be what the example run really writes,
// and its two commands must exist.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, REPO, copyProject, planFiles, readPlan, run } from './helpers.js';

const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');

describe('README', () => {
  it('its plan excerpt is what `npm run example` writes, line for line', () => {
    const excerpt = /````markdown\n([\s\S]*?)````/.exec(readme)?.[1];
    expect(excerpt).toBeDefined();
    const project = copyProject(EXAMPLE);
    expect(run(['sync-architecture', '--cwd', project, '-q']).status).toBe(0);
    const plan = readPlan(project, planFiles(project)[0]!).split('\n');
    const lines = excerpt!.split('\n').filter((l) => l.trim() !== '' && l !== '…');
    expect(lines.length).toBeGreaterThan(15);
    for (const line of lines) expect(plan, line).toContain(line);
  });

  it('its two commands are scripts of this package', () => {
    const scripts = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(readme).toContain('npm install && npm run example');
    expect(readme).toContain('npm test');
    expect(scripts.example).toContain('examples/chat-express-socketio');
    expect(scripts.test).toContain('vitest run');
    expect(readFileSync(path.join(REPO, '.ci/run'), 'utf8')).toContain('npm test');
  });
});
