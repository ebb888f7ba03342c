#!/usr/bin/env node
// With --verbose, internal errors print a stack trace for a bug report: map it through
// dist/'s source maps to src/ file:line. Enabled before the bundle loads (Node maps only the
// files loaded after), and only then: parsing maps costs start-up time on every other run.
if (process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
await import('../dist/cli.js');
