// Benchmark: `rt-plan scan` against `rg -l` with the same candidate patterns over the same
// generated tree (~20,000 files, ~150 MB of JS/TS, a few real-time files among them).
// Run after `npm run build`: node bench/scan.mjs [--files N] [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerPattern, stats } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? def : Number(args[i + 1]);
};
const FILES = opt('files', 20_000);
const RUNS = opt('runs', 5);
const TREE = path.join(here, '.tmp', `tree-${FILES}`);

// The same literal markers the scanner's prefilter uses, escaped the same way.
const CANDIDATE_PATTERN = markerPattern(JSON.parse(readFileSync(path.join(repo, 'src/analyze/code/markers.json'), 'utf8')));

// Deterministic pseudo-random numbers, so every run measures the same tree.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const WORDS = [
  'order',
  'item',
  'price',
  'total',
  'user',
  'name',
  'list',
  'value',
  'count',
  'index',
  'label',
  'format',
  'parse',
  'render',
  'update',
  'filter',
  'amount',
  'record',
  'table',
  'column',
  'field',
  'entry',
  'result',
  'option',
  'config',
  'state',
];
const word = () => WORDS[Math.floor(rand() * WORDS.length)];

function fillerFunction(i) {
  const a = word();
  const b = word();
  return `export function ${a}${b[0].toUpperCase()}${b.slice(1)}${i}(input, opts = {}) {
  const ${a}s = Array.isArray(input) ? input : [input];
  let ${b}Sum = 0;
  for (const entry of ${a}s) {
    if (entry == null || typeof entry.${b} !== 'number') continue;
    ${b}Sum += entry.${b} * (opts.factor ?? ${(i % 7) + 1});
  }
  return { ${a}: ${a}s.length, ${b}: Math.round(${b}Sum * 100) / 100, tag: '${a}-${b}-${i}' };
}
`;
}

const REALTIME = {
  'server.js': `import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (socket) => {\n  socket.on('join', (room) => socket.join(room));\n  socket.on('say', (m) => io.to('lobby').emit('said', m));\n});\n`,
  'client.ts': `import { io } from 'socket.io-client';\nconst socket = io('https://a.example.com');\nsocket.emit('join', 'lobby');\nsocket.on('said', console.log);\n`,
  'sse.js': `export function events(req, res) {\n  res.writeHead(200, { 'Content-Type': 'text/event-stream' });\n  res.write('event: tick\\ndata: 1\\n\\n');\n}\n`,
  'feed.ts': `export function feed(url: string) {\n  const ws = new WebSocket(url);\n  ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'price') console.log(m); };\n  return ws;\n}\n`,
};

function generate() {
  if (existsSync(path.join(TREE, '.complete'))) return;
  rmSync(TREE, { recursive: true, force: true });
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(TREE, 'packages', `pkg${Math.floor(i / 1000)}`, 'src', `mod${Math.floor(i / 50) % 20}`);
    mkdirSync(dir, { recursive: true });
    const target = 2000 + Math.floor(rand() * 11_000);
    let text = `// generated module ${i}\n`;
    for (let f = 0; text.length < target; f++) text += fillerFunction(i * 100 + f);
    writeFileSync(path.join(dir, `file${i}.${i % 3 === 0 ? 'ts' : 'js'}`), text);
    bytes += text.length;
  }
  mkdirSync(path.join(TREE, 'realtime'), { recursive: true });
  for (const [name, text] of Object.entries(REALTIME)) {
    writeFileSync(path.join(TREE, 'realtime', name), text);
  }
  writeFileSync(
    path.join(TREE, 'package.json'),
    JSON.stringify({ name: 'bench-tree', dependencies: { 'socket.io': '^4.7.5', 'socket.io-client': '^4.7.5' } }, null, 2),
  );
  writeFileSync(path.join(TREE, '.complete'), String(bytes));
}

const CLI = path.join(repo, 'bin', 'rt-plan.js');

function cliWorks() {
  const r = spawnSync(process.execPath, [CLI, 'scan', '--json', '--cwd', path.join(repo, 'test/fixtures/projects/scan-ws-server')], { encoding: 'utf8' });
  try {
    return r.status === 0 && Array.isArray(JSON.parse(r.stdout).stack?.entrypoints);
  } catch {
    return false;
  }
}

/** Runs a command under /usr/bin/time -v when available; returns wall ms and peak RSS in MB. */
function timed(cmd, argv) {
  const useTime = existsSync('/usr/bin/time');
  const start = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && !(cmd === 'rg' && r.status === 1)) throw new Error(`${cmd} failed: ${r.stderr.slice(-500)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { ms, rssMB: rss ? Number(rss[1]) / 1024 : null, stdout: r.stdout };
}

const median = (xs) => stats(xs).median;

generate();
const bytes = Number(readFileSync(path.join(TREE, '.complete'), 'utf8'));
if (!cliWorks()) {
  console.error('bench/scan.mjs: `node bin/rt-plan.js scan --json` does not work; run `npm run build` first.');
  process.exit(1);
}
const EMPTY = path.join(here, '.tmp', 'empty');
mkdirSync(EMPTY, { recursive: true });
const scanCmd = [process.execPath, [CLI, 'scan', '--json', '--cwd', TREE]];
const emptyCmd = [process.execPath, [CLI, 'scan', '--json', '--cwd', EMPTY]];
const rgCmd = ['rg', ['-l', '--no-messages', '-e', CANDIDATE_PATTERN, TREE]];

const results = { rt: [], rg: [], empty: [] };
let check = null;
for (let i = 0; i < RUNS + 1; i++) {
  // Alternate, so cache state and machine noise hit both sides alike; the first round warms up.
  const g = timed(...rgCmd);
  const s = timed(...scanCmd);
  const e = timed(...emptyCmd);
  if (i === 0) {
    const out = JSON.parse(s.stdout);
    check = { rgFiles: g.stdout.split('\n').filter(Boolean).length, entrypoints: out.stack.entrypoints.length };
    continue;
  }
  results.rg.push(g);
  results.rt.push(s);
  results.empty.push(e);
}

const row = (name, rs) =>
  `| ${name} | ${median(rs.map((r) => r.ms)).toFixed(0)} | ${Math.min(...rs.map((r) => r.ms)).toFixed(0)} | ${Math.max(...rs.map((r) => r.ms)).toFixed(0)} | ${rs[0].rssMB === null ? 'n/a' : Math.max(...rs.map((r) => r.rssMB)).toFixed(0)} |`;
const ratio = median(results.rt.map((r) => r.ms)) / median(results.rg.map((r) => r.ms));
// On a shared machine the medians swing with other load; the best runs show the floor.
const ratioMin = Math.min(...results.rt.map((r) => r.ms)) / Math.min(...results.rg.map((r) => r.ms));
console.log(`Tree: ${FILES} files, ${(bytes / 1e6).toFixed(1)} MB; ${RUNS} timed runs each (after one warm-up), alternating.`);
console.log(`rg matched ${check.rgFiles} files; rt-plan scan found ${check.entrypoints} entrypoints.\n`);
console.log('| command | median ms | min ms | max ms | peak RSS MB |');
console.log('| --- | --- | --- | --- | --- |');
console.log(row('rt-plan scan --json', results.rt));
console.log(row('rg -l -e <candidate patterns>', results.rg));
console.log(row('rt-plan scan --json (empty folder: start-up cost)', results.empty));
console.log(`\nratio: ${ratio.toFixed(2)}× ripgrep by median, ${ratioMin.toFixed(2)}× by best run (target ≤ 2×); peak RSS target ≤ 300 MB.`);
