// Shared by the benchmarks: time whole commands, alternating them so that machine noise hits
// every command alike, and summarise the samples.
import { spawnSync } from 'node:child_process';

/** Wall time of one run in ms; a failing command stops the benchmark. */
export function timeCommand([cmd, args]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** One warm-up run of each, then `runs` rounds in turn: name → samples. */
export function alternate(commands, runs) {
  for (const c of Object.values(commands)) timeCommand(c);
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) for (const [name, c] of Object.entries(commands)) samples[name].push(timeCommand(c));
  return samples;
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

/**
 * The scanner's markers (src/analyze/code/markers.json) as one ripgrep pattern of plain literals.
 * A trailing \b (word bound) is dropped: ripgrep's Unicode \b leaves its literal fast path
 * (31-38 s instead of 0.1-0.5 s on the webpack tree, measured), and the bound only narrows what rt-plan parses, so
 * ripgrep gets the superset at its best speed.
 */
export function markerPattern(data) {
  const all = [...data.ast, ...Object.values(data.gated).flat()];
  return all.map((m) => (m.endsWith('\\b') ? m.slice(0, -2) : m).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
