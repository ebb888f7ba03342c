// `rt-plan check` on a plan with 10 diagrams: the cold process against a bare `node -e ''`
// (alternating, same run), then the warm per-diagram parse time inside one process.
// Uses the compiled dist/: run after `npm run build`. `BENCH_BEFORE=<another checkout>` adds that
// checkout's built CLI to the same alternating run (target of issue 14: cold check ≤ 5× node).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate, stats } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 11);
const fixture = path.join(repo, 'test/fixtures/plans/ten-diagrams.md');
const project = mkdtempSync(path.join(tmpdir(), 'rt-plan-bench-check-'));
mkdirSync(path.join(project, '.claude/doc'), { recursive: true });
cpSync(fixture, path.join(project, '.claude/doc/websocket-realtime-chat.md'));

const commands = {
  "node -e ''": [process.execPath, ['-e', '']],
  'rt-plan check (10 diagrams)': [process.execPath, [path.join(repo, 'bin/rt-plan.js'), 'check', '--cwd', project, '--quiet']],
};
if (process.env.BENCH_BEFORE) {
  commands['before: rt-plan check (10 diagrams)'] = [
    process.execPath,
    [path.join(path.resolve(process.env.BENCH_BEFORE), 'bin/rt-plan.js'), 'check', '--cwd', project, '--quiet'],
  ];
}

const samples = alternate(commands, runs);
rmSync(project, { recursive: true, force: true });

console.log(`\n### rt-plan check, cold process (${runs} alternating runs)\n`);
const base = stats(samples["node -e ''"]).median;
console.log('| command | median ms | min ms | max ms | × node |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, xs] of Object.entries(samples)) {
  const s = stats(xs);
  console.log(`| \`${name}\` | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} | ${(s.median / base).toFixed(2)} |`);
}

// Warm: mermaid already loaded and every diagram type parsed once.
const load = (file) => import(pathToFileURL(path.join(repo, 'dist', file)).href);
const { validateMermaid } = await load('diagrams/validate.js');
const { extractMermaidBlocks } = await load('diagrams/extract.js');
const blocks = extractMermaidBlocks(readFileSync(fixture, 'utf8'));
const loadStart = process.hrtime.bigint();
for (const b of blocks) {
  const r = await validateMermaid(b.source);
  if (!r.valid) throw new Error(`fixture diagram at line ${b.startLine} is invalid: ${r.message}`);
}
const firstPass = Number(process.hrtime.bigint() - loadStart) / 1e6;
const perKind = {};
const rounds = Number(process.env.BENCH_PARSE_ROUNDS ?? 30);
for (let round = 0; round < rounds; round++) {
  for (const b of blocks) {
    const kind = /^(flowchart|stateDiagram-v2|sequenceDiagram)/m.exec(b.source)?.[1] ?? 'other';
    const start = process.hrtime.bigint();
    await validateMermaid(b.source);
    (perKind[kind] ??= []).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
console.log(`\n### Warm parse time per diagram (${rounds} rounds over the 10 diagrams)\n`);
console.log('| diagram type | diagrams | median ms | min ms | max ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [kind, xs] of Object.entries(perKind)) {
  const s = stats(xs);
  console.log(`| ${kind} | ${xs.length / rounds} | ${s.median.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} |`);
}
const all = stats(Object.values(perKind).flat());
console.log(`| all | ${blocks.length} | ${all.median.toFixed(1)} | ${all.min.toFixed(1)} | ${all.max.toFixed(1)} |`);
console.log(`\nfirst pass in this process (mermaid load + first parse of each type): ${firstPass.toFixed(0)} ms`);
