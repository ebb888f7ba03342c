#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// With --verbose, internal errors print a stack trace for a bug report: map it through
// dist/'s source maps to src/ file:line. Enabled before the bundle loads (Node maps only the
// files loaded after), and only then: parsing maps costs start-up time on every other run.
// The ES module build is the one with maps; every other run takes the CommonJS bundle and its
// V8 code cache (load-bundle.cjs), which starts about a third faster.
const verbose = process.argv.includes('--verbose');
const bundle = fileURLToPath(new URL(verbose ? '../dist/cli.js' : '../dist/cli.cjs', import.meta.url));
// A checkout that was never built (or built by an older version) has no bundle: say so, exit 4.
if (!existsSync(bundle)) {
  process.stderr.write(`rt-plan: internal error: ${bundle} is missing; run \`npm run build\` in the rt-plan folder\n`);
  process.exit(4);
}
if (verbose) {
  process.setSourceMapsEnabled(true);
  await (await import('../dist/cli.js')).done;
} else {
  const { loadBundle } = createRequire(import.meta.url)('./load-bundle.cjs');
  await loadBundle(bundle).exports.done;
}
