// buildStack: packages that count as real-time only when code confirms them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStack } from '../../src/analyze/code/merge.js';
import { scanFiles } from '../../src/analyze/code/scan.js';
import type { PackageDetection } from '../../src/analyze/package-detect.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-merge-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NOTHING_DECLARED: PackageDetection = { libraries: [], frameworks: [], transports: [], providers: [], scaling: [], candidates: [] };

const SERVER = [
  "import { Server } from 'socket.io';",
  "import { createAdapter } from '@socket.io/redis-adapter';",
  "import { createClient } from 'redis';",
  'const pub = createClient();',
  'const sub = pub.duplicate();',
  'const io = new Server(3000);',
  'io.adapter(createAdapter(pub, sub));',
  '',
].join('\n');

describe('buildStack', () => {
  it('lists an undeclared redis client wired into the Redis adapter, as it does a declared one', async () => {
    const root = path.join(tmp, 'undeclared');
    mkdirSync(root);
    writeFileSync(path.join(root, 'server.js'), SERVER);
    const scan = await scanFiles(root, ['server.js']);
    const stack = buildStack(scan.analyses, NOTHING_DECLARED, []);
    expect(stack.libraries.map((l) => [l.name, l.evidence])).toEqual([
      ['@socket.io/redis-adapter', 'server.js:2'],
      ['redis', 'server.js:3'],
      ['socket.io', 'server.js:1'],
    ]);
  });
});
