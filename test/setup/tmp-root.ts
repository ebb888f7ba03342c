// Every test makes its throwaway projects under os.tmpdir(). Pointing TMPDIR at one folder per
// run, before the workers start (they inherit the environment), and removing that folder at
// the end leaves nothing behind even when a test fails before its own cleanup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'rtp-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
