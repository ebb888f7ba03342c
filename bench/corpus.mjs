// Builds the real-code benchmark corpus described in bench/corpus.json under bench/.tmp/corpus/:
// one tree per entry (its installed dependency tree copied to vendor/, plus the real-time example
// app), and `all` with every tree together. Idempotent: a finished tree has a .complete marker.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..');
export const CORPUS = path.join(here, '.tmp', 'corpus');
const SCRATCH = path.join(here, '.tmp', 'corpus-src');

const spec = JSON.parse(readFileSync(path.join(here, 'corpus.json'), 'utf8'));

function install(name, packages) {
  const dir = path.join(SCRATCH, name);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--omit=optional', '--no-audit', '--no-fund', ...packages], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm install ${packages.join(' ')} failed: ${r.stderr.slice(-400)}`);
  writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

function addApp(tree) {
  cpSync(path.join(repo, spec.app), path.join(tree, 'app'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.claude${path.sep}doc`),
  });
}

function build(name, sources) {
  const tree = path.join(CORPUS, name);
  if (existsSync(path.join(tree, '.complete'))) return tree;
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  for (const [src, under] of sources) cpSync(path.join(src, 'node_modules'), path.join(tree, under), { recursive: true, verbatimSymlinks: true });
  addApp(tree);
  writeFileSync(path.join(tree, 'package.json'), JSON.stringify({ name: `corpus-${name}`, private: true }, null, 2));
  writeFileSync(path.join(tree, '.complete'), '');
  return tree;
}

/** name → absolute tree path, building what is missing. */
export function corpus() {
  const trees = {};
  const all = [];
  for (const [name, packages] of Object.entries(spec.trees)) {
    const src = install(name, packages);
    trees[name] = build(name, [[src, 'vendor']]);
    all.push([src, `vendor-${name}`]);
  }
  trees.all = build('all', all);
  return trees;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(corpus(), null, 2));
