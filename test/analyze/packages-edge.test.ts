import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, lookupCatalog } from '../../src/analyze/catalog.js';
import { parseManifest } from '../../src/analyze/manifest.js';
import { detectFromPackages, readPackages } from '../../src/analyze/packages.js';
import { parseLernaJson, parsePnpmWorkspace } from '../../src/analyze/workspaces.js';
import { InputError } from '../../src/errors.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rt-plan-pkg-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Writes a small project under the temp folder; values that are objects become JSON. */
async function project(name: string, files: Record<string, string | Buffer | object>): Promise<string> {
  const root = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    await mkdir(path.dirname(full), { recursive: true });
    const data = typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2);
    await writeFile(full, data);
  }
  return root;
}

describe('parseManifest', () => {
  it('finds the line of each dependency key, first section wins for duplicates', () => {
    const text = `{
  "name": "app",
  "description": "dependencies: {\\"ws\\": 1}",
  "dependencies": { "socket.io": "^4.7.5",
    "ws": "^8.0.0" },
  "devDependencies": {
    "ws": "^7.0.0",
    "vitest": "^4.1.0"
  },
  "peerDependencies": { "react": ">=18" }
}`;
    const r = parseManifest(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.manifest.dependencies).toEqual({ 'socket.io': '^4.7.5', ws: '^8.0.0', vitest: '^4.1.0', react: '>=18' });
    expect(r.manifest.dependencyLines).toEqual({ 'socket.io': 4, ws: 5, vitest: 8, react: 10 });
    expect(r.manifest.dependencySections).toEqual({
      'socket.io': 'dependencies',
      ws: 'dependencies',
      vitest: 'devDependencies',
      react: 'peerDependencies',
    });
  });

  it('reports syntax errors with line and column, never a stack', () => {
    expect(parseManifest('{\n  "a": 1\n  "b": 2\n}')).toEqual({ ok: false, message: 'invalid JSON: Unexpected token " at line 3 column 3' });
    expect(parseManifest('{\n  "dependencies": {\n    "ws": "^8"')).toEqual({
      ok: false,
      message: 'invalid JSON: Unexpected end of JSON input at line 3 column 15',
    });
    expect(parseManifest("{ 'name': 1 }")).toEqual({ ok: false, message: "invalid JSON: Unexpected token ' at line 1 column 3" });
    expect(parseManifest('[1, 2]')).toEqual({ ok: false, message: 'not a JSON object' });
    expect(parseManifest(`{"a": ${'['.repeat(100_000)}`)).toEqual({ ok: false, message: 'invalid JSON: Nesting too deep at line 1 column 263' });
  });

  it('accepts a byte-order mark and the workspaces object form', () => {
    const r = parseManifest('\uFEFF{"workspaces": {"packages": ["apps/*", 3]}, "packageManager": "yarn@1.22.22"}');
    expect(r.ok && [r.manifest.workspaces, r.manifest.packageManager, r.manifest.name]).toEqual([['apps/*'], 'yarn@1.22.22', null]);
  });
});

describe('workspace config parsers', () => {
  it('reads pnpm-workspace.yaml and lerna.json', () => {
    expect(parsePnpmWorkspace('packages:\n  - \'apps/*\'\n  - "!**/test/**"\ncatalog:\n  zod: ^3.23.8\n')).toEqual(['apps/*', '!**/test/**']);
    expect(parseLernaJson('{"version": "independent", "packages": ["modules/*"]}')).toEqual(['modules/*']);
    expect(parseLernaJson('{"version": "1.0.0"}')).toEqual(['packages/*']);
  });
});

describe('catalog', () => {
  it('matches exact names only', () => {
    for (const name of ['jws', 'wsrun', 'ws-heartbeat', 'socket.io-parser', 'engine.io-parser', 'WS', 'Socket.IO', 'constructor', '__proto__', 'toString']) {
      expect(lookupCatalog(name), name).toBeUndefined();
    }
    expect(lookupCatalog('ws')?.transports).toEqual(['websocket']);
    expect(lookupCatalog('openai')).toMatchObject({ kind: 'provider', provider: 'openai-realtime', needsCode: true });
  });

  it('covers every package the brief lists, with consistent entries', () => {
    const required = `socket.io socket.io-client engine.io engine.io-client ws isomorphic-ws websocket faye-websocket sockjs
      sockjs-client @fastify/websocket fastify-websocket express-ws uWebSockets.js @nestjs/websockets @nestjs/platform-socket.io
      @nestjs/platform-ws @hono/node-ws reconnecting-websocket partysocket react-use-websocket @microsoft/signalr graphql-ws
      subscriptions-transport-ws better-sse express-sse sse-channel eventsource @microsoft/fetch-event-source eventsource-parser
      simple-peer peerjs mediasoup mediasoup-client livekit-client livekit-server-sdk @livekit/components-react
      @supabase/supabase-js @supabase/realtime-js pusher pusher-js ably firebase @openai/agents-realtime openai @google/genai
      centrifuge yjs y-websocket @hocuspocus/server @hocuspocus/provider y-webrtc @liveblocks/client @socket.io/redis-adapter
      socket.io-redis @socket.io/redis-streams-adapter @socket.io/cluster-adapter @socket.io/sticky @socket.io/postgres-adapter
      @socket.io/mongo-adapter ioredis redis nats express fastify koa hono next nuxt @nestjs/core react vue svelte @sveltejs/kit
      vite electron`.split(/\s+/);
    expect(required.filter((n) => lookupCatalog(n) === undefined)).toEqual([]);
    for (const [name, entry] of Object.entries(CATALOG)) {
      expect(entry.kind === 'provider' ? typeof entry.provider : 'string', name).toBe('string');
      expect(entry.kind === 'scaling' ? entry.scaling : true, name).toBe(true);
      expect(entry.kind === 'framework' ? entry.transports : [], name).toEqual([]);
    }
    expect(['@supabase/supabase-js', 'openai', '@google/genai', 'firebase', 'ioredis', 'redis'].every((n) => lookupCatalog(n)?.needsCode)).toBe(true);
  });
});

describe('readPackages on bad input', () => {
  it('throws InputError (exit 3) only when the root cannot be read', async () => {
    const missing = path.join(tmp, 'does-not-exist');
    await expect(readPackages(missing)).rejects.toBeInstanceOf(InputError);
    await expect(readPackages(missing)).rejects.toMatchObject({ exitCode: 3 });
    const file = await project('a-file', { 'x.txt': 'x' });
    await expect(readPackages(path.join(file, 'x.txt'))).rejects.toMatchObject({ exitCode: 3 });
  });

  it('skips binary, non-UTF-8 and huge manifests with a warning each', async () => {
    const root = await project('bad-manifests', {
      'package.json': { name: 'root', workspaces: ['apps/*'] },
      'apps/bin/package.json': Buffer.from([0x7b, 0x00, 0x01, 0x7d]),
      'apps/latin1/package.json': Buffer.from('{"name": "caf\xe9"}', 'latin1'),
      'apps/huge/package.json': `{"name": "huge", "description": "${'x'.repeat(5 * 1024 * 1024)}"}`,
      'apps/ok/package.json': { name: 'ok', dependencies: { 'socket.io': '^4.7.5' } },
    });
    const pkgs = await readPackages(root);
    expect(pkgs.warnings).toEqual([
      { file: 'apps/bin/package.json', message: 'binary file, not JSON' },
      { file: 'apps/huge/package.json', message: 'file too large (5.0 MB; the limit is 5 MB)' },
      { file: 'apps/latin1/package.json', message: 'not valid UTF-8' },
    ]);
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'apps/ok']);
  });

  it('falls back from a broken lockfile to node_modules, then to the declared range', async () => {
    const root = await project('broken-lock', {
      'package.json': '{\n  "name": "x",\n  "dependencies": {\n    "socket.io": "^4.7.0",\n    "ws": "^8.16.0"\n  }\n}\n',
      'package-lock.json': '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/ws": {"version": "8.16.0",}\n  }\n}\n',
      'node_modules/socket.io/package.json': { name: 'socket.io', version: '4.7.4' },
    });
    const pkgs = await readPackages(root);
    expect(pkgs.warnings).toEqual([
      {
        file: 'package-lock.json',
        message: 'invalid lockfile: invalid JSON: Unexpected token } at line 4 column 45; versions come from node_modules or the declared ranges',
      },
    ]);
    expect(pkgs.packageManager).toBe('npm');
    expect(detectFromPackages(pkgs).libraries.map((l) => [l.name, l.version, l.evidence])).toEqual([
      ['socket.io', '4.7.4', 'package.json:4'],
      ['ws', '^8.16.0', 'package.json:5'],
    ]);
  });

  it('prefers the lockfile of the declared package manager and says so', async () => {
    const root = await project('two-locks', {
      'package.json': { name: 'x', packageManager: 'yarn@1.22.22', dependencies: { ws: '^8.0.0' } },
      'package-lock.json': { lockfileVersion: 3, packages: { 'node_modules/ws': { version: '8.1.0' } } },
      'yarn.lock': '# yarn lockfile v1\n\nws@^8.0.0:\n  version "8.2.0"\n',
      'lerna.json': { version: 'independent', packages: ['modules/*'] },
      'modules/a/package.json': { name: 'a', dependencies: { 'socket.io-client': '4.7.5' } },
    });
    const pkgs = await readPackages(root);
    expect(pkgs.warnings).toEqual([{ file: 'yarn.lock', message: 'several lockfiles; using this one, not package-lock.json' }]);
    expect([pkgs.packageManager, pkgs.monorepo, pkgs.resolved.lockfile]).toEqual(['yarn', 'lerna', 'yarn.lock']);
    expect(pkgs.resolved.get('', 'ws')).toBe('8.2.0');
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'modules/a']);
  });

  it('does not follow a dependency name out of node_modules', async () => {
    const root = await project('odd-names', {
      'package.json': { name: 'x', dependencies: { '../../secret': '1.0.0', ws: '^8.0.0' } },
      'secret/package.json': { name: 'secret', version: '9.9.9' },
    });
    const pkgs = await readPackages(root);
    expect(pkgs.resolved.get('', '../../secret')).toBeNull();
    expect(pkgs.resolved.get('', 'ws')).toBeNull();
  });

  it('never takes node_modules or build output for a workspace', async () => {
    const root = await project('skip-dirs', {
      'package.json': { name: 'x', workspaces: ['**'] },
      'node_modules/ws/package.json': { name: 'ws', version: '8.0.0' },
      'dist/package.json': { name: 'built' },
      'lib/core/package.json': { name: 'core' },
    });
    const pkgs = await readPackages(root);
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'lib/core']);
  });
});

describe('nested apps without workspaces', () => {
  it('reads a folder whose package.json has its own lockfile, whatever its name, and leaves vendored packages out', async () => {
    const root = await project('nested-installed', {
      'package.json': { name: 'tools', private: true },
      'app/package.json': { name: 'chat', dependencies: { 'socket.io': '^4.7.2' } },
      'app/package-lock.json': {
        name: 'chat',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'chat', dependencies: { 'socket.io': '^4.7.2' } }, 'node_modules/socket.io': { version: '4.8.1' } },
      },
      'vendor/ws/package.json': { name: 'ws', version: '8.18.0' },
      'mobile/shell/package.json': { name: 'shell' },
      'mobile/shell/yarn.lock': '# yarn lockfile v1\n',
    });
    const pkgs = await readPackages(root);
    expect(pkgs.packages.map((p) => p.dir)).toEqual(['', 'app', 'mobile/shell']);
    expect(detectFromPackages(pkgs).libraries.find((l) => l.name === 'socket.io')).toMatchObject({ version: '4.8.1', workspace: 'app' });
  });
});
