import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFromPackages, readPackages } from '../../src/analyze/packages.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/projects');
const read = (name: string) => readPackages(path.join(FIXTURES, name));

describe('readPackages + detectFromPackages on fixture projects', () => {
  it('pkg-npm-workspaces: hoisted and nested package-lock v3 entries', async () => {
    const pkgs = await read('pkg-npm-workspaces');
    expect(pkgs.packageManager).toBe('npm');
    expect(pkgs.monorepo).toBe('npm');
    expect(pkgs.warnings).toEqual([]);
    expect(pkgs.resolved.lockfile).toBe('package-lock.json');
    expect(pkgs.packages.map((p) => [p.dir, p.name, p.manifest])).toEqual([
      ['', 'chat-monorepo', 'package.json'],
      ['apps/server', '@chat/server', 'apps/server/package.json'],
      ['apps/web', '@chat/web', 'apps/web/package.json'],
    ]);
    // ws: nested 8.17.1 for the server, the hoisted 7.5.10 everywhere else.
    expect(pkgs.resolved.get('apps/server', 'ws')).toBe('8.17.1');
    expect(pkgs.resolved.get('apps/web', 'ws')).toBe('7.5.10');
    expect(pkgs.resolved.get('', 'ws')).toBe('7.5.10');
    expect(pkgs.resolved.get('./apps/server/', 'ws')).toBe('8.17.1');

    const d = detectFromPackages(pkgs);
    expect(d.libraries).toEqual([
      {
        name: '@socket.io/redis-adapter',
        version: '8.3.0',
        declared: '^8.3.0',
        role: 'server',
        evidence: 'apps/server/package.json:11',
        kind: 'scaling',
        workspace: 'apps/server',
      },
      {
        name: 'socket.io',
        version: '4.7.5',
        declared: '^4.7.5',
        role: 'server',
        evidence: 'apps/server/package.json:14',
        kind: 'library',
        workspace: 'apps/server',
      },
      { name: 'ws', version: '8.17.1', declared: '^8.17.0', role: 'both', evidence: 'apps/server/package.json:15', kind: 'library', workspace: 'apps/server' },
      {
        name: 'socket.io-client',
        version: '4.7.5',
        declared: '^4.7.5',
        role: 'client',
        evidence: 'apps/web/package.json:13',
        kind: 'library',
        workspace: 'apps/web',
      },
    ]);
    expect(d.candidates).toEqual([
      {
        name: 'redis',
        version: '4.6.14',
        declared: '^4.6.13',
        role: 'server',
        evidence: 'apps/server/package.json:13',
        kind: 'scaling',
        workspace: 'apps/server',
      },
    ]);
    expect(d.frameworks).toEqual([
      { name: 'express', version: '4.19.2', evidence: 'apps/server/package.json:12' },
      { name: 'react', version: '18.3.1', evidence: 'apps/web/package.json:11' },
      { name: 'vite', version: '5.2.11', evidence: 'apps/web/package.json:16' },
    ]);
    expect(d.transports).toEqual(['socket.io', 'websocket']);
    expect(d.providers).toEqual([]);
    expect(d.scaling).toEqual([{ name: '@socket.io/redis-adapter', evidence: 'apps/server/package.json:11' }]);
  });

  it('pkg-pnpm-monorepo: pnpm-lock v9 peer suffixes, turbo, globstar and negation', async () => {
    const pkgs = await read('pkg-pnpm-monorepo');
    expect(pkgs.packageManager).toBe('pnpm');
    expect(pkgs.monorepo).toBe('turbo');
    expect(pkgs.warnings).toEqual([]);
    // packages/shared/dist (build output) and packages/shared/test/** (negated) are not workspaces.
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'apps/api', 'apps/dashboard', 'packages/shared']);
    expect(pkgs.resolved.get('apps/dashboard', 'next')).toBe('14.2.5');
    expect(pkgs.resolved.get('apps/dashboard', 'react-dom')).toBe('18.3.1');
    expect(pkgs.resolved.get('apps/api', '@rd/shared')).toBeNull();

    const d = detectFromPackages(pkgs);
    expect(d.libraries).toEqual([
      {
        name: '@fastify/websocket',
        version: '10.0.1',
        declared: '^10.0.1',
        role: 'server',
        evidence: 'apps/api/package.json:10',
        kind: 'library',
        workspace: 'apps/api',
      },
      { name: 'ws', version: '8.18.0', declared: '^8.18.0', role: 'both', evidence: 'apps/api/package.json:14', kind: 'library', workspace: 'apps/api' },
      {
        name: 'reconnecting-websocket',
        version: '4.4.0',
        declared: '^4.4.0',
        role: 'client',
        evidence: 'apps/dashboard/package.json:15',
        kind: 'library',
        workspace: 'apps/dashboard',
      },
    ]);
    expect(d.candidates).toEqual([
      { name: 'ioredis', version: '5.4.1', declared: '^5.4.1', role: 'server', evidence: 'apps/api/package.json:13', kind: 'scaling', workspace: 'apps/api' },
      {
        name: '@supabase/supabase-js',
        version: '2.45.4',
        declared: '^2.45.4',
        role: 'client',
        evidence: 'apps/dashboard/package.json:11',
        kind: 'provider',
        workspace: 'apps/dashboard',
      },
    ]);
    expect(d.frameworks).toEqual([
      { name: 'fastify', version: '4.28.1', evidence: 'apps/api/package.json:12' },
      { name: 'next', version: '14.2.5', evidence: 'apps/dashboard/package.json:12' },
      { name: 'react', version: '18.3.1', evidence: 'apps/dashboard/package.json:13' },
    ]);
    // needsCode candidates add no transport or provider until code confirms them.
    expect(d.transports).toEqual(['websocket']);
    expect(d.providers).toEqual([]);
    expect(d.scaling).toEqual([]);
  });

  it('pkg-yarn-v1: workspaces object form, specs shared by one header', async () => {
    const pkgs = await read('pkg-yarn-v1');
    expect([pkgs.packageManager, pkgs.monorepo, pkgs.resolved.lockfile]).toEqual(['yarn', 'yarn', 'yarn.lock']);
    const d = detectFromPackages(pkgs);
    expect(d.libraries).toEqual([
      {
        name: 'socket.io',
        version: '4.7.5',
        declared: '^4.7.0',
        role: 'server',
        evidence: 'packages/client/package.json:10',
        kind: 'library',
        workspace: 'packages/client',
      },
      {
        name: 'socket.io-client',
        version: '4.7.5',
        declared: '^4.7.0',
        role: 'client',
        evidence: 'packages/client/package.json:6',
        kind: 'library',
        workspace: 'packages/client',
      },
      {
        name: '@socket.io/sticky',
        version: '1.0.4',
        declared: '^1.0.4',
        role: 'server',
        evidence: 'packages/server/package.json:7',
        kind: 'scaling',
        workspace: 'packages/server',
      },
      {
        name: 'socket.io',
        version: '4.7.5',
        declared: '^4.7.2',
        role: 'server',
        evidence: 'packages/server/package.json:9',
        kind: 'library',
        workspace: 'packages/server',
      },
    ]);
    expect(d.frameworks).toEqual([
      { name: 'vue', version: '3.4.27', evidence: 'packages/client/package.json:7' },
      { name: 'express', version: '4.19.2', evidence: 'packages/server/package.json:8' },
    ]);
    expect(d.transports).toEqual(['socket.io']);
    expect(d.scaling).toEqual([{ name: '@socket.io/sticky', evidence: 'packages/server/package.json:7' }]);
  });

  it('pkg-yarn-berry: YAML lockfile with npm: protocol specs', async () => {
    const pkgs = await read('pkg-yarn-berry');
    expect([pkgs.packageManager, pkgs.monorepo, pkgs.resolved.lockfile]).toEqual(['yarn', 'yarn', 'yarn.lock']);
    const d = detectFromPackages(pkgs);
    expect(d.libraries).toEqual([
      {
        name: '@hocuspocus/provider',
        version: '2.13.5',
        declared: '^2.13.5',
        role: 'client',
        evidence: 'packages/editor/package.json:6',
        kind: 'library',
        workspace: 'packages/editor',
      },
      {
        name: 'yjs',
        version: '13.6.15',
        declared: '^13.6.0',
        role: 'both',
        evidence: 'packages/editor/package.json:8',
        kind: 'library',
        workspace: 'packages/editor',
      },
      {
        name: '@hocuspocus/server',
        version: '2.13.5',
        declared: '^2.13.5',
        role: 'server',
        evidence: 'packages/sync-server/package.json:7',
        kind: 'library',
        workspace: 'packages/sync-server',
      },
      {
        name: 'yjs',
        version: '13.6.15',
        declared: '^13.6.14',
        role: 'both',
        evidence: 'packages/sync-server/package.json:8',
        kind: 'library',
        workspace: 'packages/sync-server',
      },
    ]);
    expect(d.transports).toEqual(['websocket']);
    // A transitive package resolves through the only version the lockfile holds.
    expect(pkgs.resolved.get('packages/sync-server', 'ws')).toBe('8.18.0');
  });

  it('pkg-lookalikes: names that merely contain ws or socket.io detect nothing', async () => {
    const pkgs = await read('pkg-lookalikes');
    expect(Object.keys(pkgs.packages[0]!.dependencies).sort()).toEqual([
      'engine.io-parser',
      'jws',
      'socket.io-parser',
      'sse-fixtures',
      'websocket-extensions',
      'ws-heartbeat',
      'wsrun',
      'wss-utils',
    ]);
    expect(detectFromPackages(pkgs)).toEqual({
      libraries: [],
      frameworks: [],
      transports: [],
      providers: [],
      scaling: [],
      candidates: [],
    });
  });

  it('pkg-invalid-json: the broken workspace is a warning with line and column, the rest is read', async () => {
    const pkgs = await read('pkg-invalid-json');
    expect(pkgs.warnings).toEqual([{ file: 'apps/web/package.json', message: 'invalid JSON: Unexpected token } at line 7 column 3' }]);
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'apps/api']);
    expect(detectFromPackages(pkgs).libraries).toEqual([
      { name: 'socket.io', version: '^4.7.5', declared: '^4.7.5', role: 'server', evidence: 'apps/api/package.json:6', kind: 'library', workspace: 'apps/api' },
    ]);
  });

  it('pkg-no-lockfile: installed node_modules version, else the declared range', async () => {
    const pkgs = await read('pkg-no-lockfile');
    expect([pkgs.packageManager, pkgs.monorepo, pkgs.resolved.lockfile]).toEqual([null, null, null]);
    expect(detectFromPackages(pkgs).libraries).toEqual([
      { name: 'eventsource', version: '^2.0.2', declared: '^2.0.2', role: 'client', evidence: 'package.json:10', kind: 'library', workspace: '' },
      { name: 'ws', version: '8.16.0', declared: '^8.16.0', role: 'both', evidence: 'package.json:11', kind: 'library', workspace: '' },
    ]);
    expect(pkgs.resolved.get('', 'eventsource')).toBeNull();
  });

  it('pkg-client-server: no workspaces config, app folders with their own v1/v2 lockfiles', async () => {
    const pkgs = await read('pkg-client-server');
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'client', 'server']);
    expect([pkgs.packageManager, pkgs.monorepo, pkgs.resolved.lockfile]).toEqual(['npm', null, null]);
    expect(pkgs.resolved.lockfiles).toEqual(['client/package-lock.json', 'server/package-lock.json']);
    const d = detectFromPackages(pkgs);
    expect(d.libraries).toEqual([
      {
        name: 'socket.io-client',
        version: '4.4.1',
        declared: '^4.4.1',
        role: 'client',
        evidence: 'client/package.json:7',
        kind: 'library',
        workspace: 'client',
      },
      { name: 'socket.io', version: '4.4.1', declared: '^4.4.1', role: 'server', evidence: 'server/package.json:7', kind: 'library', workspace: 'server' },
    ]);
    expect(d.frameworks).toEqual([
      { name: 'react', version: '17.0.2', evidence: 'client/package.json:6' },
      { name: 'express', version: '4.17.2', evidence: 'server/package.json:6' },
    ]);
    // v1 nesting: express's own debug 2.6.9 does not shadow the top-level 4.3.3.
    expect(pkgs.resolved.get('server', 'debug')).toBe('4.3.3');
  });
});
