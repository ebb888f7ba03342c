// Rendering the 10 diagrams of a plan: rt-plan's one-browser renderer (one Chromium, one
// page, mermaid loaded once) against 10 separate `mmdc` processes, and against one `mmdc`
// over the whole Markdown file, alternating in the same run. Target: at least 5× faster
// than 10 `mmdc` runs. Uses the compiled dist/: run after `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RENDER_RUNS ?? 3);
const fixture = path.join(repo, 'test/fixtures/plans/ten-diagrams.md');
const dist = (file) => pathToFileURL(path.join(repo, 'dist', file)).href;
const { findBrowser, BROWSER_ARGS } = await import(dist('diagrams/render-svg.js'));
const { extractMermaidBlocks } = await import(dist('diagrams/extract.js'));

const browser = findBrowser(process.env);
if (browser === null) {
  console.log('\n### Rendering: skipped (no Chromium found; apt-get install chromium or set PUPPETEER_EXECUTABLE_PATH)');
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'rt-plan-bench-render-'));
const blocks = extractMermaidBlocks(readFileSync(fixture, 'utf8'));
const config = path.join(work, 'puppeteer.json');
writeFileSync(config, JSON.stringify({ executablePath: browser, headless: true, args: BROWSER_ARGS }));
blocks.forEach((b, i) => writeFileSync(path.join(work, `d${i + 1}.mmd`), b.source));
writeFileSync(path.join(work, 'plan.md'), readFileSync(fixture, 'utf8'));
const mmdc = path.join(repo, 'node_modules/.bin/mmdc');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: work });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
}

// Our renderer in a fresh process each time, like the mmdc runs: Node start, imports,
// browser launch and all 10 diagrams.
const ours = `
  const { renderDiagrams } = await import(${JSON.stringify(dist('diagrams/render-svg.js'))});
  const { extractMermaidBlocks } = await import(${JSON.stringify(dist('diagrams/extract.js'))});
  const { readFileSync, writeFileSync } = await import('node:fs');
  const blocks = extractMermaidBlocks(readFileSync(${JSON.stringify(fixture)}, 'utf8'));
  const svgs = await renderDiagrams(blocks, { format: 'svg', env: { PUPPETEER_EXECUTABLE_PATH: ${JSON.stringify(browser)} } });
  svgs.forEach((svg, i) => writeFileSync('ours-' + (i + 1) + '.svg', svg));
`;

// mermaid-cli is no longer a dependency (BENCHMARKS.md says why); its variants run only
// when someone installs it to compare again (npm install --no-save @mermaid-js/mermaid-cli@11).
const hasMmdc = existsSync(mmdc);
const variants = {
  'rt-plan renderer: one browser, one page, 10 diagrams': () => run(process.execPath, ['--input-type=module', '-e', ours]),
  ...(hasMmdc
    ? {
        '`mmdc -i plan.md` (one process, every block)': () => run(mmdc, ['-q', '-p', config, '-i', 'plan.md', '-o', 'out.md']),
        '10 separate `mmdc` processes': () => {
          for (let i = 1; i <= blocks.length; i++) run(mmdc, ['-q', '-p', config, '-i', `d${i}.mmd`, '-o', `d${i}.svg`]);
        },
      }
    : {}),
};

const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, fn] of Object.entries(variants)) {
    const start = process.hrtime.bigint();
    fn();
    samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ourMedian = median(samples['rt-plan renderer: one browser, one page, 10 diagrams']);
if (!hasMmdc) {
  console.log(`\n### Rendering ${blocks.length} diagrams to SVG (${runs} runs, ${path.basename(browser)})\n`);
  console.log(`rt-plan renderer: median ${ourMedian.toFixed(0)} ms (mermaid-cli not installed: no comparison this run)`);
  process.exit(0);
}
const baseline = median(samples['10 separate `mmdc` processes']);
console.log(`\n### Rendering ${blocks.length} diagrams to SVG (${runs} alternating runs, ${path.basename(browser)})\n`);
console.log('| variant | median ms | min ms | max ms | speed-up vs 10 mmdc |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  console.log(`| ${name} | ${m.toFixed(0)} | ${Math.min(...xs).toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${(baseline / m).toFixed(1)}× |`);
}
const speedup = baseline / median(samples['rt-plan renderer: one browser, one page, 10 diagrams']);
console.log(`\nspeed-up ${speedup.toFixed(1)}×; target ≥ 5×: ${speedup >= 5 ? 'met' : 'NOT met'}`);
