// Benchmark: `rt-plan scan` against `rg -l` on trees of real code (bench/corpus.json), over the
// same file set (rt-plan's source extensions and skip list given to ripgrep as globs) and the same
// markers. Run after `npm run build`: node bench/scan-real.mjs [--runs N] [--only name,name]
import { corpus } from './corpus.mjs';
import { stats } from './lib.mjs';
import { loadLine, rgFileCount, runPair } from './scan-lib.mjs';

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const RUNS = Number(arg('runs', 3));
const ONLY = arg('only', '').split(',').filter(Boolean);

const before = loadLine();
const rows = [];
for (const [name, tree] of Object.entries(corpus())) {
  if (ONLY.length && !ONLY.includes(name)) continue;
  const rgFiles = rgFileCount(tree);
  const rt = [];
  const rg = [];
  let walked = null;
  let matched = null;
  for (let i = 0; i < RUNS; i++) {
    const p = runPair(tree);
    matched = p.matched;
    walked = p.walked;
    rg.push(p.rg);
    rt.push(p.rt);
  }
  const m = (rs) => stats(rs.map((r) => r.ms)).median;
  rows.push({ name, walked, rgFiles, matched, rt: m(rt), rg: m(rg), rss: Math.max(...rt.map((r) => r.rssMB ?? 0)) });
}

console.log(`Real-code corpus (bench/corpus.json), ${RUNS} alternating runs each; same file set and markers for both.`);
console.log(`Before: ${before}; after: ${loadLine()}.\n`);
console.log('| tree | files (rt-plan / rg) | files with a marker | rt-plan scan ms | rg -l ms | ratio | rt-plan peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.walked} / ${r.rgFiles} | ${r.matched} | ${r.rt.toFixed(0)} | ${r.rg.toFixed(0)} | ${(r.rt / r.rg).toFixed(1)}× | ${r.rss.toFixed(0)} |`,
  );
}
console.log('\ntargets: ratio ≤ 3× and peak RSS ≤ 300 MB on every tree.');
