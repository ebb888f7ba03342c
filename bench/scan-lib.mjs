// Shared by the real-code scan benchmarks (scan-real.mjs, scan-growth.mjs): ripgrep over the
// same file set (rt-plan's source extensions and skip list as globs) and the same markers, and
// one timed run of a command with its peak RSS.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerPattern } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.join(here, '..');
export const CLI = path.join(repo, 'bin', 'rt-plan.js');

export const PATTERN = markerPattern(JSON.parse(readFileSync(path.join(repo, 'src/analyze/code/markers.json'), 'utf8')));
// The walk's rules (src/analyze/walk.ts) as ripgrep globs, so both read the same files.
const walk = readFileSync(path.join(repo, 'src/analyze/walk.ts'), 'utf8');
const list = (name) => [...new RegExp(`${name} = new Set\\(\\[([^\\]]*)\\]`).exec(walk)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
const EXTS = list('SOURCE_EXTENSIONS').map((e) => e.slice(1));
export const GLOBS = [`*.{${EXTS.join(',')}}`, '!*.d.ts', '!*.min.js', '!*.min.cjs', '!*.min.mjs', ...list('SKIP_DIRS').map((d) => `!${d}`)].flatMap((g) => [
  '-g',
  g,
]);

/** Wall time in ms, peak RSS in MB (when /usr/bin/time is there) and stdout of one run. */
export function timed(cmd, argv) {
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

/** Files ripgrep would search in `tree`. */
export function rgFileCount(tree) {
  return spawnSync('rg', ['--files', '--no-ignore', '--hidden', ...GLOBS, tree], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .stdout.split('\n')
    .filter(Boolean).length;
}

/** One alternating pair: `rg -l` with the markers, then `rt-plan scan --json`. */
export function runPair(tree) {
  const g = timed('rg', ['-l', '--no-messages', '--no-ignore', '--hidden', ...GLOBS, '-e', PATTERN, tree]);
  const s = timed(process.execPath, [CLI, 'scan', '--json', '--cwd', tree]);
  const sf = JSON.parse(s.stdout).project.sourceFiles;
  return { rg: g, rt: s, matched: g.stdout.split('\n').filter(Boolean).length, walked: Array.isArray(sf) ? sf.length : sf };
}

/** The machine's load, said with every table: the machine these run on is shared. */
export function loadLine() {
  return `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} on ${os.availableParallelism()} cores`;
}
