// Growth of `rt-plan scan` with tree size, on real code: the corpus's babel tree (about 1k
// files), its `all` tree (about 5k), and 2, 4 and 8 hard-linked copies of `all` side by side
// (about 10k, 20k and 40k files), each against `rg -l` with the same markers and file set.
// Run after `npm run build`: node bench/scan-growth.mjs [--runs N] [--only g1k,g40k]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus } from './corpus.mjs';
import { stats } from './lib.mjs';
import { loadLine, rgFileCount, runPair } from './scan-lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const GROWTH = path.join(here, '.tmp', 'growth');
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const RUNS = Number(arg('runs', 3));
const ONLY = arg('only', '').split(',').filter(Boolean);

/** `copies` copies of `src` under one root; hard links where the platform has `cp -al`, so they cost no disk. */
function replicated(name, src, copies) {
  const tree = path.join(GROWTH, name);
  if (existsSync(path.join(tree, '.complete'))) return tree;
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  for (let i = 1; i <= copies; i++) {
    const dest = path.join(tree, `copy-${i}`);
    if (spawnSync('cp', ['-al', src, dest]).status !== 0) cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
  }
  writeFileSync(path.join(tree, 'package.json'), JSON.stringify({ name: `growth-${name}`, private: true }, null, 2));
  writeFileSync(path.join(tree, '.complete'), '');
  return tree;
}

const base = corpus();
const trees = {
  g1k: base.babel,
  g5k: base.all,
  g10k: replicated('g10k', base.all, 2),
  g20k: replicated('g20k', base.all, 4),
  g40k: replicated('g40k', base.all, 8),
};

const before = loadLine();
const rows = [];
for (const [name, tree] of Object.entries(trees)) {
  if (ONLY.length && !ONLY.includes(name)) continue;
  const rgFiles = rgFileCount(tree);
  const pairs = Array.from({ length: RUNS }, () => runPair(tree));
  const m = (k) => stats(pairs.map((p) => p[k].ms)).median;
  rows.push({
    name,
    walked: pairs[0].walked,
    rgFiles,
    matched: pairs[0].matched,
    rt: m('rt'),
    rg: m('rg'),
    rss: Math.max(...pairs.map((p) => p.rt.rssMB ?? 0)),
  });
}

console.log(`Growth on real code (corpus trees and hard-linked copies of \`all\`), ${RUNS} alternating runs each, medians.`);
console.log(`Before: ${before}; after: ${loadLine()}.\n`);
console.log('| tree | files (rt-plan / rg) | files with a marker | rt-plan scan ms | ms per 1k files | rg -l ms | ratio | rt-plan peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.walked} / ${r.rgFiles} | ${r.matched} | ${r.rt.toFixed(0)} | ${((r.rt / r.walked) * 1000).toFixed(0)} | ${r.rg.toFixed(0)} | ${(r.rt / r.rg).toFixed(1)}× | ${r.rss.toFixed(0)} |`,
  );
}
