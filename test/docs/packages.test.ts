import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTypeDeclarations, readInstalledPackages } from '../../src/docs/packages.js';
import { fixture, lib, makeAnalysis } from './helpers.js';

describe('extractTypeDeclarations', () => {
  it('cuts option and event-map declarations at their closing brace', () => {
    const text =
      'declare class A {}\ninterface ServerOptions {\n  a: number;\n  nested: { b: string };\n}\ntype Other = string;\ntype ClientEvents = { ping: () => void };\n';
    expect(extractTypeDeclarations(text)).toEqual([
      { name: 'ServerOptions', line: 2, text: 'interface ServerOptions {\n  a: number;\n  nested: { b: string };\n}' },
      { name: 'ClientEvents', line: 7, text: 'type ClientEvents = { ping: () => void };' },
    ]);
  });
});

describe('readInstalledPackages', () => {
  it('reads exact versions, README and doc/ sections, and type definitions (own or @types)', async () => {
    const analysis = makeAnalysis([lib('ws', '^8.18.0'), lib('socket.io', '^4.7.0')]);
    const result = await readInstalledPackages(fixture('docs-installed'), analysis.stack.libraries, analysis.project.packages);
    expect(result.notices).toEqual([]);
    expect(result.installed).toEqual({ ws: '8.18.0', 'socket.io': '4.7.5' });
    expect(result.candidates.map((c) => c.reference)).toEqual([
      'node_modules/ws/README.md:16',
      'node_modules/ws/README.md:23',
      'node_modules/ws/doc/ws.md:5',
      'node_modules/ws/doc/ws.md:14',
      'node_modules/ws/doc/ws.md:22',
      'node_modules/@types/ws/index.d.ts:13',
      'node_modules/@types/ws/index.d.ts:20',
      'node_modules/socket.io/README.md:7',
      'node_modules/socket.io/README.md:12',
      'node_modules/socket.io/README.md:17',
      'node_modules/socket.io/dist/index.d.ts:6',
    ]);
    const heartbeat = result.candidates[1];
    expect(heartbeat?.title).toBe('ws: How to detect and close broken connections?');
    expect(heartbeat?.version).toBe('8.18.0');
    expect(heartbeat?.topics).toEqual(['heartbeat']);
    expect(result.candidates[6]?.excerpt).toContain('maxPayload?: number | undefined;');
  });

  it('reports a missing package and a missing node_modules once', async () => {
    const analysis = makeAnalysis([lib('socket.io', '2.4.1'), lib('socket.io-client', '2.4.0')]);
    const some = await readInstalledPackages(fixture('docs-socketio2'), analysis.stack.libraries, analysis.project.packages);
    expect(some.installed).toEqual({ 'socket.io': '2.4.1' });
    expect(some.notices).toEqual(['Not installed in node_modules: socket.io-client (versions from the lockfile)']);
    const none = await readInstalledPackages(fixture('docs-none'), [lib('ws', '^8.18.0')], analysis.project.packages);
    expect(none).toEqual({
      candidates: [],
      installed: {},
      byUse: {},
      notices: ['node_modules not found: installed package docs skipped, versions taken from the lockfile or package.json'],
    });
  });

  it('prefers the workspace node_modules over the hoisted root copy', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rtplan-ws-'));
    try {
      for (const [dir, version] of [
        ['', '8.18.0'],
        ['packages/app/', '7.5.10'],
      ] as const) {
        await mkdir(join(root, `${dir}node_modules/ws`), { recursive: true });
        await writeFile(join(root, `${dir}node_modules/ws/package.json`), JSON.stringify({ name: 'ws', version }));
      }
      const analysis = makeAnalysis([lib('ws', '^7.0.0', { workspace: 'packages/app' }), lib('ws', '^8.0.0', { workspace: 'packages/web' })]);
      analysis.project.packages.push(
        { dir: 'packages/app', name: 'app', manifest: 'packages/app/package.json', dependencies: {}, dependencyLines: {} },
        { dir: 'packages/web', name: 'web', manifest: 'packages/web/package.json', dependencies: {}, dependencyLines: {} },
      );
      const result = await readInstalledPackages(root, analysis.stack.libraries, analysis.project.packages);
      // The first workspace's copy wins for the version; packages/web falls back to the root copy.
      expect(result.installed).toEqual({ ws: '7.5.10' });
      expect(result.byUse).toEqual({ 'packages/app\u0000ws': '7.5.10', 'packages/web\u0000ws': '8.18.0' });
      expect(result.notices).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
