// What the project model costs `rt-plan <task>` (issue 9), in one run: this tree's build
// against the same source built with the model's cross-module work switched off (no import
// closure read, no values folded across modules, no instances, wrappers or imported auth
// followed), plus a bare `node -e ''`, alternating. Per-file facts are still collected in both,
// so only the model's own layer differs. The variant is built from `git archive HEAD` in a
// temporary folder; uncommitted changes are not in it. Run after `npm run build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, stats } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 21);
const work = mkdtempSync(path.join(tmpdir(), 'rt-plan-model-cost-'));

/** Replace `from` by `to` in one file of the variant; a pattern that is gone stops the benchmark. */
function patch(rel, from, to) {
  const file = path.join(work, 'src', rel);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`model-cost: ${rel} no longer contains the patched text; update bench/model-cost.mjs`);
  writeFileSync(file, text.replace(from, to));
}

try {
  execFileSync('sh', ['-c', `git archive HEAD | tar -x -C "${work}"`], { cwd: repo });
  symlinkSync(path.join(repo, 'node_modules'), path.join(work, 'node_modules'));
  patch('analyze/model/index.ts', 'export const CLOSURE_DEPTH = 3;', 'export const CLOSURE_DEPTH = 0;');
  patch(
    'analyze/code/scan.ts',
    'analyzeFacts(model.values.foldFacts(f), opts.socketIoSide?.(f.file) ?? null, model)',
    'analyzeFacts(f, opts.socketIoSide?.(f.file) ?? null, undefined)',
  );
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: work, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`model-cost: building the variant failed: ${built.stderr}`);

  const project = path.join(work, 'project');
  cpSync(path.join(repo, 'examples/chat-express-socketio'), project, { recursive: true });
  const plan = (root) => [
    process.execPath,
    [path.join(root, 'bin/rt-plan.js'), 'sync-architecture', '--cwd', project, '--quiet', '--stable-name', '--dry-run', '--date', '2026-11-21T10:15:00Z'],
  ];
  const commands = { "node -e ''": [process.execPath, ['-e', '']], 'model on (this build)': plan(repo), 'model off (variant)': plan(work) };
  const samples = alternate(commands, runs);
  const base = stats(samples["node -e ''"]).median;
  console.log(`\n### What the project model costs rt-plan <task> on the example (${runs} alternating runs)\n`);
  console.log('| command | median ms | min ms | max ms | × node |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, xs] of Object.entries(samples)) {
    const s = stats(xs);
    console.log(`| ${name} | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} | ${(s.median / base).toFixed(2)} |`);
  }
  const on = stats(samples['model on (this build)']).median;
  const off = stats(samples['model off (variant)']).median;
  console.log(`\nmodel on − model off: ${(on - off).toFixed(0)} ms (${(((on - off) / off) * 100).toFixed(1)}%)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
