// V8's code cache for dist/cli.cjs (see bin/load-bundle.cjs), made after planning the bundled
// example in a temporary copy, offline, so the cache also holds every function a plan run
// compiles. scripts/build.mjs runs this file in a child process: the CLI sets the exit code and
// reads process.argv as a run of its own would.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cli.cjs');
const work = mkdtempSync(path.join(tmpdir(), 'rt-plan-code-cache-'));
try {
  const example = path.join(work, 'example');
  // The example's own files only: never a plan an earlier `npm run example` left in .claude/doc/.
  const source = path.join(root, 'examples', 'chat-express-socketio');
  cpSync(source, example, { recursive: true, filter: (from) => !path.relative(source, from).startsWith(path.join('.claude', 'doc')) });
  process.argv = [process.argv[0], bundle, 'sync-architecture', '--cwd', example, '--offline', '--quiet', '--stable-name', '--date', '2026-11-21T10:15:00Z'];
  const { loadBundle } = createRequire(import.meta.url)('../bin/load-bundle.cjs');
  const run = loadBundle(bundle);
  await run.exports.done;
  if (process.exitCode) throw new Error(`build: planning the example with dist/cli.cjs exited ${process.exitCode}`);
  writeFileSync(`${bundle}.cache`, run.cacheFile());
} finally {
  rmSync(work, { recursive: true, force: true });
}
