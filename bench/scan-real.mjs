// Benchmark: `rt-plan scan` against `rg -l` on trees of real code (bench/corpus.json), over the
// same file set (rt-plan's source extensions and skip list given to ripgrep as globs) and the same
// markers. Run after `npm run build`: node bench/scan-real.mjs [--runs N] [--only name,name]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus } from './corpus.mjs';
import { markerPattern, stats } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const CLI = path.join(repo, 'bin', 'rt-plan.js');
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : args[i + 1];
};
const RUNS = Number(arg('runs', 3));
const ONLY = arg('only', '').split(',').filter(Boolean);

const PATTERN = markerPattern(JSON.parse(readFileSync(path.join(repo, 'src/analyze/code/markers.json'), 'utf8')));
// The walk's rules (src/analyze/walk.ts) as ripgrep globs, so both read the same files.
const walk = readFileSync(path.join(repo, 'src/analyze/walk.ts'), 'utf8');
const list = (name) => [...new RegExp(`${name} = new Set\\(\\[([^\\]]*)\\]`).exec(walk)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
const EXTS = list('SOURCE_EXTENSIONS').map((e) => e.slice(1));
const GLOBS = [`*.{${EXTS.join(',')}}`, '!*.d.ts', '!*.min.js', '!*.min.cjs', '!*.min.mjs', ...list('SKIP_DIRS').map((d) => `!${d}`)].flatMap((g) => ['-g', g]);

function timed(cmd, argv) {
  const useTime = existsSync('/usr/bin/time');
  const start = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
    : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && !(cmd === 'rg' && r.status === 1)) throw new Error(`${cmd} failed: ${r.stderr.slice(-500)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { ms, rssMB: rss ? Number(rss[1]) / 1024 : null, stdout: r.stdout };
}

const rows = [];
for (const [name, tree] of Object.entries(corpus())) {
  if (ONLY.length && !ONLY.includes(name)) continue;
  const rgFiles = spawnSync('rg', ['--files', '--no-ignore', '--hidden', ...GLOBS, tree], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .stdout.split('\n')
    .filter(Boolean).length;
  const rt = [];
  const rg = [];
  let walked = null;
  let matched = null;
  for (let i = 0; i < RUNS; i++) {
    const g = timed('rg', ['-l', '--no-messages', '--no-ignore', '--hidden', ...GLOBS, '-e', PATTERN, tree]);
    const s = timed(process.execPath, [CLI, 'scan', '--json', '--cwd', tree]);
    matched = g.stdout.split('\n').filter(Boolean).length;
    const sf = JSON.parse(s.stdout).project.sourceFiles;
    walked = Array.isArray(sf) ? sf.length : sf;
    rg.push(g);
    rt.push(s);
  }
  const m = (rs) => stats(rs.map((r) => r.ms)).median;
  rows.push({ name, walked, rgFiles, matched, rt: m(rt), rg: m(rg), rss: Math.max(...rt.map((r) => r.rssMB ?? 0)) });
}

console.log(`Real-code corpus (bench/corpus.json), ${RUNS} alternating runs each; same file set and markers for both.\n`);
console.log('| tree | files (rt-plan / rg) | files with a marker | rt-plan scan ms | rg -l ms | ratio | rt-plan peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.walked} / ${r.rgFiles} | ${r.matched} | ${r.rt.toFixed(0)} | ${r.rg.toFixed(0)} | ${(r.rt / r.rg).toFixed(1)}× | ${r.rss.toFixed(0)} |`,
  );
}
console.log('\ntargets: ratio ≤ 3× and peak RSS ≤ 300 MB on every tree.');
