// Specificity of plans (issue 10): plan every plan-* and model-* fixture project with the built
// CLI, then for each plan take the share of its distinct non-empty lines that also appear in
// another fixture's plan. A plan written for its project shares little; a template with names
// swapped shares most. Target: median ≤ 0.2. Also prints the median plan length (target < 450).
// Also runs `rt-plan check` on each plan beside its contract and prints the failures.
// Run after `npm run build`. Tracked fixture files only are copied (git ls-files).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(repo, 'test/fixtures/projects');
const names = readdirSync(fixtures)
  .filter((n) => /^(plan|model)-/.test(n))
  .sort();
const work = mkdtempSync(path.join(tmpdir(), 'rt-plan-spec-'));

/** Copies only the files git tracks, so a plan left in a fixture's .claude/doc/ is never read. */
function copyTracked(name, to) {
  const r = spawnSync('git', ['ls-files', '-z', '--', `test/fixtures/projects/${name}`], { cwd: repo, encoding: 'utf8' });
  for (const rel of r.stdout.split('\0').filter(Boolean)) {
    const dest = path.join(to, path.relative(`test/fixtures/projects/${name}`, rel));
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(path.join(repo, rel), dest);
  }
}

const plans = new Map();
const checkFailures = [];
try {
  for (const name of names) {
    const dir = path.join(work, name);
    copyTracked(name, dir);
    const task = name.replace(/^(plan|model)-/, '');
    const r = spawnSync(
      process.execPath,
      [path.join(repo, 'bin/rt-plan.js'), 'plan', task, '--cwd', dir, '--quiet', '--stable-name', '--date', '2026-11-21T10:15:00Z'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`${name}: rt-plan exited ${r.status}: ${r.stderr}`);
    const docDir = path.join(dir, '.claude/doc');
    const file = readdirSync(docDir).find((f) => f.endsWith('.md'));
    plans.set(name, readFileSync(path.join(docDir, file), 'utf8'));
    // Done-when of issue 10: `rt-plan check` passes on every plan (its contract sits beside it).
    const c = spawnSync(process.execPath, [path.join(repo, 'bin/rt-plan.js'), 'check', path.join(docDir, file), '--cwd', dir], { encoding: 'utf8' });
    if (c.status !== 0) checkFailures.push(`${name}: ${(c.stdout + c.stderr).trim().split('\n')[0]}`);
  }
  if (process.env.RT_PLAN_KEEP_PLANS)
    for (const [n, t] of plans) {
      mkdirSync(process.env.RT_PLAN_KEEP_PLANS, { recursive: true });
      writeFileSync(path.join(process.env.RT_PLAN_KEEP_PLANS, `${n}.md`), t);
    }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const distinct = (text) =>
  new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  );
// A second, separately labelled figure leaves out pure Markdown structure: headings, table
// header and separator rows, code fences and bare Mermaid keywords. Every plan shares those by
// design; the figure shows how much of the main one they account for. The main one is unchanged.
const STRUCTURE = [
  /^#{1,6}\s/, // headings
  /^\|(?:\s*:?-{3,}:?\s*\|)+$/, // table separator rows
  /^(?:```|~~~)\w*$/, // code fences
  /^(?:---|flowchart \w+|sequenceDiagram|stateDiagram(?:-v2)?|graph \w+|end|autonumber)$/, // bare Mermaid keywords
];
/** Table header rows: the line right above a separator row. */
function structureLines(text) {
  const lines = text.split('\n').map((l) => l.trim());
  const out = new Set();
  lines.forEach((l, i) => {
    if (STRUCTURE.some((re) => re.test(l))) out.add(l);
    else if (l.startsWith('|') && STRUCTURE[1].test(lines[i + 1] ?? '')) out.add(l);
  });
  return out;
}
const share = (lines, others, skip) => {
  const kept = [...lines].filter((l) => !skip.has(l));
  return kept.length === 0 ? 0 : kept.filter((l) => others.has(l)).length / kept.length;
};
const sets = new Map([...plans].map(([n, t]) => [n, distinct(t)]));
const rows = [];
for (const [name, lines] of sets) {
  const others = new Set();
  for (const [other, o] of sets) if (other !== name) for (const l of o) others.add(l);
  const shared = share(lines, others, new Set());
  const sharedProse = share(lines, others, structureLines(plans.get(name)));
  rows.push({ name, lines: plans.get(name).split('\n').length, shared, sharedProse });
}
console.log(`\n### Plan specificity (${rows.length} fixture plans)\n`);
console.log('| fixture | plan lines | shared distinct lines | shared, Markdown structure left out |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.lines} | ${r.shared.toFixed(2)} | ${r.sharedProse.toFixed(2)} |`);
const m = median(rows.map((r) => r.shared));
const mp = median(rows.map((r) => r.sharedProse));
const ml = median(rows.map((r) => r.lines));
console.log(
  `\nmedian shared ${m.toFixed(2)} (target ≤ 0.2: ${m <= 0.2 ? 'met' : 'NOT met'}); median plan ${ml} lines (target < 450: ${ml < 450 ? 'met' : 'NOT met'})`,
);
console.log(`median shared without Markdown structure lines ${mp.toFixed(2)} (a second figure, not the target: how much of the share is structure)`);
// The floor: lines found in every fixture plan (required headings, table headers, front-matter
// keys, fences). No plan can share less than their share of its distinct lines, however
// specific the rest; the figure shows how much of the target they take up.
const inAll = [...sets.values()].reduce((acc, s) => new Set([...acc].filter((l) => s.has(l))));
const fm = median([...sets.values()].map((s) => inAll.size / s.size));
console.log(`${inAll.size} lines are in every plan: ${fm.toFixed(2)} of a median plan's distinct lines (the floor of the first figure)`);
console.log(
  checkFailures.length === 0
    ? `rt-plan check passed on all ${names.length} plans`
    : `rt-plan check failed on ${checkFailures.length} of ${names.length} plans:\n${checkFailures.join('\n')}`,
);
