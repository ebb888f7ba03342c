// `rt-plan <task>` end to end against a bare `node -e ''`, alternating every command in one run
// so machine noise hits all alike, on two projects: the example (target ≤ 3.5×) and a 100-file
// Next.js-like app (bench/app-fixture.mjs, target ≤ 4×). Run after `npm run build`.
// `BENCH_BEFORE=<another checkout>` adds that checkout's built CLI to the same run, so a change
// is measured before and after side by side (build it there first).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppFixture } from './app-fixture.mjs';
import { alternate, stats } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 21);
const work = mkdtempSync(path.join(tmpdir(), 'rt-plan-bench-'));
const example = path.join(work, 'example');
cpSync(path.join(repo, 'examples/chat-express-socketio'), example, { recursive: true });
const app = path.join(work, 'app');
const appFiles = buildAppFixture(repo, app);

const plan = (checkout, project) => [
  process.execPath,
  [path.join(checkout, 'bin/rt-plan.js'), 'sync-architecture', '--cwd', project, '--quiet', '--stable-name', '--date', '2026-11-21T10:15:00Z'],
];
const projects = { example: [example, 3.5], [`app (${appFiles} files)`]: [app, 4] };
const builds = { '': repo, ...(process.env.BENCH_BEFORE ? { 'before: ': path.resolve(process.env.BENCH_BEFORE) } : {}) };
const commands = { "node -e ''": [process.execPath, ['-e', '']] };
for (const [label, checkout] of Object.entries(builds)) {
  for (const [name, [dir]] of Object.entries(projects)) commands[`${label}rt-plan sync-architecture, ${name}`] = plan(checkout, dir);
}

let samples;
try {
  samples = alternate(commands, runs);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const base = stats(samples["node -e ''"]).median;
console.log(`\n### rt-plan <task> end to end (${runs} alternating runs)\n`);
console.log('| command | median ms | min ms | max ms | × node |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, xs] of Object.entries(samples)) {
  const s = stats(xs);
  console.log(`| \`${name}\` | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} | ${(s.median / base).toFixed(2)} |`);
}
console.log('');
for (const [name, [, target]] of Object.entries(projects)) {
  const ratio = stats(samples[`rt-plan sync-architecture, ${name}`]).median / base;
  console.log(`${name}: ${ratio.toFixed(2)}× bare Node; target ≤ ${target}×: ${ratio <= target ? 'met' : 'NOT met'}`);
}
