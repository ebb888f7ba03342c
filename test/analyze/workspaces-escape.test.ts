import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { expandWorkspaces } from '../../src/analyze/workspaces.js';

it('workspace globs never reach outside the project, by pattern or by symlink', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'rtp-ws-'));
  const root = path.join(parent, 'project');
  for (const dir of [root, path.join(root, 'apps/web'), path.join(parent, 'sibling'), path.join(parent, 'elsewhere')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{}');
  }
  symlinkSync(path.join(parent, 'elsewhere'), path.join(root, 'apps/linked'));
  try {
    expect(await expandWorkspaces(root, ['../*', '../sibling', `${parent}/sibling`, 'apps/*', 'apps/linked'])).toEqual(['apps/web']);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
