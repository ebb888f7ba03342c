import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_BUDGET, gatherDocs, type GatherDocsOptions } from '../../src/docs/index.js';
import type { Analysis, Requirement } from '../../src/types.js';
import { chatRequirements, DATE, fixture, lib, makeAnalysis } from './helpers.js';

function options(extra: Partial<GatherDocsOptions> = {}): GatherDocsOptions {
  return { mode: 'local', offline: false, budget: DEFAULT_DOCS_BUDGET, date: DATE, env: {}, ...extra };
}

async function run(root: string, analysis: Analysis, requirements: Requirement[] = [], extra: Partial<GatherDocsOptions> = {}) {
  return gatherDocs({ root, task: 'sync-architecture', requirements, analysis, options: options(extra) });
}

describe('gatherDocs', () => {
  it('cites installed docs and the notes matching the installed versions (docs-installed)', async () => {
    const analysis = makeAnalysis([lib('ws', '^8.18.0'), lib('socket.io', '^4.7.0')], { transports: ['websocket', 'socket.io'] });
    const docs = await run(fixture('docs-installed'), analysis, chatRequirements);
    expect(docs.notices).toEqual([]);
    const knowledge = docs.refs.filter((r) => r.source === 'knowledge');
    expect(knowledge.map((r) => [r.id, r.reference, r.library, r.version])).toEqual([
      ['K1', 'templates/knowledge/ws-8.md', 'ws', '8.18.0'],
      ['K2', 'templates/knowledge/socket-io-v4.md', 'socket.io', '4.7.5'],
      ['K3', 'templates/knowledge/socket-io-v4-recovery.md', 'socket.io', '4.7.5'],
      ['K4', 'templates/knowledge/websocket-protocol.md', 'websocket', '*'],
      ['K5', 'templates/knowledge/rt-plan-defaults.md', 'rt-plan', '*'],
      ['K6', 'templates/knowledge/rt-plan-protocol.md', 'rt-plan', '*'],
      ['K7', 'templates/knowledge/rt-plan-operations.md', 'rt-plan', '*'],
      ['K8', 'templates/knowledge/redis-adapter.md', '@socket.io/redis-adapter', '*'],
      ['K9', 'templates/knowledge/redis-streams-adapter.md', '@socket.io/redis-streams-adapter', '*'],
      ['K10', 'templates/knowledge/redis-sharded-adapter.md', '@socket.io/redis-adapter', '>=8.2.0'],
    ]);
    expect(knowledge[1]?.retrieved).toBe('2026-11-21');
    expect(knowledge[1]?.links).toContain('https://socket.io/docs/v4/server-options/');
    const packages = docs.refs.filter((r) => r.source === 'package');
    expect(packages.map((r) => r.id)).toEqual(packages.map((_, i) => `N${i + 1}`));
    expect(packages.map((r) => r.reference)).toContain('node_modules/@types/ws/index.d.ts:20');
    expect(packages.find((r) => r.reference === 'node_modules/ws/README.md:23')?.version).toBe('8.18.0');
    expect(docs.refs.filter((r) => r.source === 'project')).toEqual([]);
    expect(docs.refs.map((r) => r.source)).toEqual([...packages.map(() => 'package'), ...knowledge.map(() => 'knowledge')]);
  });

  it('is deterministic: same inputs, same refs and ids', async () => {
    const analysis = makeAnalysis([lib('ws', '8.18.0'), lib('socket.io', '4.7.5')]);
    const first = await run(fixture('docs-installed'), analysis, chatRequirements);
    const second = await run(fixture('docs-installed'), analysis, chatRequirements);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('cites the project docs of docs-local', async () => {
    const analysis = makeAnalysis([lib('socket.io', '4.7.5')], { transports: ['socket.io'] });
    const docs = await run(fixture('docs-local'), analysis);
    expect(docs.refs.filter((r) => r.source === 'project').map((r) => [r.id, r.reference])).toEqual([
      ['P1', 'docs/adr/0003-websockets.md:1'],
      ['P2', 'docs/asyncapi.yaml:1'],
      ['P3', 'README.md:9'],
      ['P4', 'CLAUDE.md:7'],
    ]);
    expect(docs.notices).toEqual(['node_modules not found: installed package docs skipped, versions taken from the lockfile or package.json']);
  });

  it('gives a Socket.IO 2 project the v2 note, never the v4 ones (docs-socketio2)', async () => {
    const analysis = makeAnalysis([lib('socket.io', '^2.3.0')], { transports: ['socket.io'] });
    const docs = await run(fixture('docs-socketio2'), analysis);
    const notes = docs.refs.filter((r) => r.source === 'knowledge').map((r) => [r.reference, r.version]);
    expect(notes).toEqual([
      ['templates/knowledge/socket-io-v2.md', '2.4.1'],
      ['templates/knowledge/rt-plan-protocol.md', '*'],
      ['templates/knowledge/rt-plan-defaults.md', '*'],
      ['templates/knowledge/rt-plan-operations.md', '*'],
    ]);
  });

  it('works with no docs and no node_modules (docs-none)', async () => {
    const analysis = makeAnalysis([lib('ws', '^8.18.0')], { transports: ['websocket'] });
    const lines: string[] = [];
    const docs = await run(fixture('docs-none'), analysis, [], { onNotice: (l) => lines.push(l) });
    expect(docs.refs.map((r) => [r.id, r.reference])).toEqual([
      ['K1', 'templates/knowledge/ws-8.md'],
      ['K2', 'templates/knowledge/websocket-protocol.md'],
      ['K3', 'templates/knowledge/rt-plan-protocol.md'],
      ['K4', 'templates/knowledge/rt-plan-operations.md'],
      ['K5', 'templates/knowledge/rt-plan-defaults.md'],
    ]);
    expect(docs.notices).toEqual(['node_modules not found: installed package docs skipped, versions taken from the lockfile or package.json']);
    expect(lines).toEqual(docs.notices);
  });

  it('keeps the excerpts within the budget, best first', async () => {
    const analysis = makeAnalysis([lib('ws', '8.18.0'), lib('socket.io', '4.7.5')]);
    for (const budget of [600, 3000, 9000]) {
      const docs = await run(fixture('docs-installed'), analysis, chatRequirements, { budget });
      const used = docs.refs.reduce((sum, r) => sum + r.excerpt.length, 0);
      expect(used).toBeLessThanOrEqual(budget);
      expect(docs.refs.length).toBeGreaterThan(0);
    }
    const tight = await run(fixture('docs-installed'), analysis, chatRequirements, { budget: 600 });
    // The curated note about the stack ranks first, clipped to fit.
    expect(tight.refs.map((r) => r.reference)).toEqual(['templates/knowledge/ws-8.md']);
    expect(tight.refs[0]?.excerpt.endsWith('…')).toBe(true);
  });

  it('falls back to the default budget for a non-positive one', async () => {
    const analysis = makeAnalysis([lib('ws', '8.18.0')]);
    const zero = await run(fixture('docs-installed'), analysis, [], { budget: 0 });
    const normal = await run(fixture('docs-installed'), analysis, []);
    expect(zero).toEqual(normal);
  });
});
