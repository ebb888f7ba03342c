import { describe, expect, it } from 'vitest';
import { cleanPnpmVersion, lookupLock, parsePackageLock, parsePnpmLock, parseYarnLock, LockfileSyntaxError } from '../../src/analyze/lockfiles.js';

describe('parsePackageLock', () => {
  const v3 = JSON.stringify({
    name: 'mono',
    lockfileVersion: 3,
    packages: {
      '': { name: 'mono', workspaces: ['apps/*'] },
      'apps/server': { name: 'server', version: '1.0.0' },
      'apps/server/node_modules/socket.io': { version: '4.6.2' },
      'node_modules/server': { resolved: 'apps/server', link: true },
      'node_modules/socket.io': { version: '4.7.5' },
      'node_modules/@scope/pkg': { version: '2.0.0' },
      'node_modules/engine.io/node_modules/ws': { version: '8.17.1' },
    },
  });

  it('reads v3 install paths, nested before hoisted', () => {
    const lock = parsePackageLock(v3);
    expect(lock.lockfileVersion).toBe('3');
    expect([...lock.installed.keys()]).toEqual([
      'apps/server/node_modules/socket.io',
      'node_modules/socket.io',
      'node_modules/@scope/pkg',
      'node_modules/engine.io/node_modules/ws',
    ]);
    expect(lookupLock(lock, 'apps/server', 'socket.io', '~4.6.0')).toBe('4.6.2');
    expect(lookupLock(lock, 'apps/web', 'socket.io', '^4.7.0')).toBe('4.7.5');
    expect(lookupLock(lock, '', '@scope/pkg', null)).toBe('2.0.0');
    expect(lock.versions.get('socket.io')).toEqual(['4.6.2', '4.7.5']);
    // Only in a nested path: the highest version that satisfies the range.
    expect(lookupLock(lock, '', 'ws', '^8.0.0')).toBe('8.17.1');
    expect(lookupLock(lock, '', 'ws', '^7.0.0')).toBeNull();
  });

  it('reads the v1 dependency tree', () => {
    const lock = parsePackageLock(
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          ws: { version: '7.4.6' },
          'engine.io': { version: '3.5.0', dependencies: { ws: { version: '7.5.10' } } },
          local: { version: 'file:../local' },
        },
      }),
    );
    expect(Object.fromEntries(lock.installed)).toEqual({
      'node_modules/ws': '7.4.6',
      'node_modules/engine.io': '3.5.0',
      'node_modules/engine.io/node_modules/ws': '7.5.10',
    });
    expect(lookupLock(lock, '', 'ws', '^7.4.0')).toBe('7.4.6');
    expect(lookupLock(lock, '', 'local', 'file:../local')).toBeNull();
  });

  it('throws a LockfileSyntaxError naming line and column', () => {
    expect(() => parsePackageLock('{\n  "lockfileVersion": 3,\n  "packages": {\n}')).toThrow(
      new LockfileSyntaxError('invalid JSON: Unexpected end of JSON input at line 4 column 2'),
    );
    expect(() => parsePackageLock('{\n<<<<<<< HEAD\n')).toThrow('unresolved merge conflict marker at line 2');
  });
});

describe('parsePnpmLock', () => {
  it('reads v9 importers and strips nested peer suffixes', () => {
    const lock = parsePnpmLock(`lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      socket.io:
        specifier: ^4.7.0
        version: 4.7.5(bufferutil@4.0.8)(utf-8-validate@5.0.10)

  apps/web:
    dependencies:
      next:
        specifier: ^14.2.0
        version: 14.2.5(react-dom@18.3.1(react@18.3.1))(react@18.3.1)
      '@app/shared':
        specifier: workspace:^
        version: link:../../packages/shared

packages:

  '@socket.io/component-emitter@3.1.2':
    resolution: {integrity: sha512-x}

  socket.io@4.7.5:
    resolution: {integrity: sha512-x}

snapshots:

  socket.io@4.7.5(bufferutil@4.0.8)(utf-8-validate@5.0.10):
    dependencies:
      ws: 8.17.1(bufferutil@4.0.8)(utf-8-validate@5.0.10)
  ws@8.17.1(bufferutil@4.0.8)(utf-8-validate@5.0.10): {}
`);
    expect(lock.lockfileVersion).toBe('9.0');
    expect(lookupLock(lock, '', 'socket.io', '^4.7.0')).toBe('4.7.5');
    expect(lookupLock(lock, 'apps/web', 'next', '^14.2.0')).toBe('14.2.5');
    expect(lookupLock(lock, 'apps/web', '@app/shared', 'workspace:^')).toBeNull();
    expect(Object.fromEntries(lock.versions)).toEqual({
      '@socket.io/component-emitter': ['3.1.2'],
      'socket.io': ['4.7.5'],
      ws: ['8.17.1'],
    });
  });

  it('reads a v6 single-project lockfile and v5 importers', () => {
    const v6 = parsePnpmLock(`lockfileVersion: '6.0'

dependencies:
  ws:
    specifier: ^8.14.0
    version: 8.14.2(bufferutil@4.0.8)

packages:

  /ws@8.14.2(bufferutil@4.0.8):
    resolution: {integrity: sha512-x}
`);
    expect(lookupLock(v6, '', 'ws', '^8.14.0')).toBe('8.14.2');
    expect(v6.versions.get('ws')).toEqual(['8.14.2']);

    const v5 = parsePnpmLock(`lockfileVersion: 5.4

importers:

  packages/server:
    specifiers:
      ws: ^8.0.0
    dependencies:
      ws: 8.11.0_bufferutil@4.0.7

packages:

  /ws/8.11.0_bufferutil@4.0.7:
    resolution: {integrity: sha512-x}
`);
    expect(v5.lockfileVersion).toBe('5.4');
    expect(lookupLock(v5, 'packages/server', 'ws', '^8.0.0')).toBe('8.11.0');
    expect(v5.versions.get('ws')).toEqual(['8.11.0']);
  });

  it("falls back to the YAML parser when importers stray from pnpm's own layout", () => {
    const anchored = parsePnpmLock(`lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      &anchor ws:
        specifier: ^8.1.0
        version: 8.1.0
`);
    expect(anchored.importers.get('')?.get('ws')).toBe('8.1.0');
    const flow = parsePnpmLock(`lockfileVersion: '9.0'
importers:
  .:
    dependencies: {ws: {specifier: ^8.1.0, version: 8.1.0}}
  apps/x:
    dependencies:
      &anchor socket.io:
        specifier: ^4.7.0
        version: 4.7.5
`);
    expect(Object.fromEntries([...flow.importers].map(([d, m]) => [d, Object.fromEntries(m)]))).toEqual({
      '': { ws: '8.1.0' },
      'apps/x': { 'socket.io': '4.7.5' },
    });
  });

  it('cleans versions: peers, aliases, links', () => {
    expect(cleanPnpmVersion('4.7.5(bufferutil@4.0.8)(utf-8-validate@5.0.10)')).toBe('4.7.5');
    expect(cleanPnpmVersion('string-width@4.2.3')).toBe('4.2.3');
    expect(cleanPnpmVersion('/@scope/pkg@1.2.3(peer@1.0.0)')).toBe('1.2.3');
    expect(cleanPnpmVersion('link:../shared')).toBeNull();
  });

  it('uses the last YAML document and rejects text that is no lockfile', () => {
    const lock = parsePnpmLock(`---
lockfileVersion: '9.0'

importers:

  .:
    configDependencies: {}
---
lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      ws:
        specifier: ^8.18.0
        version: 8.18.0
`);
    expect(lookupLock(lock, '', 'ws', '^8.18.0')).toBe('8.18.0');
    expect(() => parsePnpmLock('importers:\n  .: {}\n')).toThrow('no lockfileVersion: not a pnpm lockfile');
    expect(() => parsePnpmLock("lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      ws: [\n")).toThrow(/^invalid YAML: /);
  });
});

describe('parseYarnLock', () => {
  it('reads v1 headers with several specs, quoted and bare', () => {
    const lock = parseYarnLock(`# yarn lockfile v1


"@socket.io/component-emitter@~3.1.0":
  version "3.1.2"
  resolved "https://registry.yarnpkg.com/@socket.io/component-emitter/-/component-emitter-3.1.2.tgz"

"socket.io@^4.7.0", socket.io@^4.7.2:
  version "4.7.5"
  dependencies:
    engine.io "~6.5.2"

socket.io@^3.0.0:
  version "3.1.2"

string-width-cjs@npm:string-width@^4.2.0:
  version "4.2.3"
`);
    expect(lock.lockfileVersion).toBe('1');
    expect(lookupLock(lock, '', 'socket.io', '^4.7.0')).toBe('4.7.5');
    expect(lookupLock(lock, '', 'socket.io', '^4.7.2')).toBe('4.7.5');
    expect(lookupLock(lock, '', 'socket.io', '^3.0.0')).toBe('3.1.2');
    expect(lookupLock(lock, '', '@socket.io/component-emitter', '~3.1.0')).toBe('3.1.2');
    expect(lookupLock(lock, '', 'string-width-cjs', 'npm:string-width@^4.2.0')).toBe('4.2.3');
    expect(lock.versions.get('socket.io')).toEqual(['3.1.2', '4.7.5']);
  });

  it('reads berry entries and skips workspaces', () => {
    const lock = parseYarnLock(`__metadata:
  version: 8
  cacheKey: 10c0

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  languageName: unknown
  linkType: soft

"socket.io@npm:^4.7.0, socket.io@npm:^4.7.2":
  version: 4.7.5
  resolution: "socket.io@npm:4.7.5"
  languageName: node
  linkType: hard
`);
    expect(lock.lockfileVersion).toBe('8');
    expect(lookupLock(lock, '', 'socket.io', '^4.7.2')).toBe('4.7.5');
    expect(lookupLock(lock, '', 'socket.io', 'npm:^4.7.0')).toBe('4.7.5');
    expect(lock.versions.has('app')).toBe(false);
  });

  it('throws on a line that is neither header nor entry', () => {
    expect(() => parseYarnLock('# yarn lockfile v1\n\nws@^8.0.0:\n  version "8.0.0"\ngarbage here\n')).toThrow('unexpected text at line 5: garbage here');
    expect(() => parseYarnLock('ws@^8:\n<<<<<<< HEAD\n  version "8.1.0"\n')).toThrow('unresolved merge conflict marker at line 2');
  });
});
