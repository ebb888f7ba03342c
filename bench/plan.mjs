// `rt-plan <task>` end to end on the example project against a bare `node -e ''`, alternating
// the two in one run so machine noise hits both alike. Targets (issue 2): median ≤ 250 ms
// and ≤ 4× the bare Node start. Run after `npm run build`.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, stats } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 21);
const project = mkdtempSync(path.join(tmpdir(), 'rt-plan-bench-'));
cpSync(path.join(repo, 'examples/chat-express-socketio'), project, { recursive: true });

const commands = {
  "node -e ''": [process.execPath, ['-e', '']],
  'rt-plan sync-architecture': [
    process.execPath,
    [path.join(repo, 'bin/rt-plan.js'), 'sync-architecture', '--cwd', project, '--quiet', '--stable-name', '--date', '2026-11-21T10:15:00Z'],
  ],
};

const samples = alternate(commands, runs);
rmSync(project, { recursive: true, force: true });

const base = stats(samples["node -e ''"]);
const plan = stats(samples['rt-plan sync-architecture']);
const ratio = plan.median / base.median;
console.log(`\n### rt-plan <task> end to end (${runs} alternating runs)\n`);
console.log('| command | median ms | min ms | max ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, s] of [
  ["node -e ''", base],
  ['rt-plan sync-architecture (example project)', plan],
]) {
  console.log(`| \`${name}\` | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} |`);
}
console.log(`\nratio ${ratio.toFixed(2)}× bare Node; target ≤ 250 ms and ≤ 4×: ${plan.median <= 250 && ratio <= 4 ? 'met' : 'NOT met'}`);
