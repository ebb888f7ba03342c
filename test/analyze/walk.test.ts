// The source walk and file classification, on temporary trees built per test.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifySource, extractScripts } from '../../src/analyze/code/source.js';
import { scanFiles, scanProject } from '../../src/analyze/code/scan.js';
import { walkProject } from '../../src/analyze/walk.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-walk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

describe('walkProject', () => {
  it('keeps source files and skips dependencies, build output, VCS and ignored files', async () => {
    const root = tree('skips', {
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': '',
      'src/b.tsx': '',
      'src/c.mjs': '',
      'src/d.cjs': '',
      'src/e.vue': '',
      'src/f.svelte': '',
      'src/g.jsx': '',
      'src/types.d.ts': '',
      'src/readme.md': '',
      'src/x.gen.ts': '',
      'src/vendor.min.js': '',
      'generated/h.ts': '',
      'node_modules/ws/index.js': '',
      'dist/bundle.js': '',
      'build/i.js': '',
      '.next/j.js': '',
      'coverage/k.js': '',
      '.git/hooks/l.js': '',
      'packages/app/.gitignore': 'secret-dir/\n',
      'packages/app/secret-dir/m.ts': '',
      'packages/app/n.ts': '',
      'src/schema.graphql': '',
      'src/ops.gql': '',
      'node_modules/x/schema.graphql': '',
      'packages/app/secret-dir/s.graphql': '',
      'public/tv.html': '',
      'views/board.ejs': '',
      'node_modules/x/page.html': '',
      'packages/app/secret-dir/p.hbs': '',
    });
    expect(await walkProject(root)).toEqual({
      files: ['packages/app/n.ts', 'src/a.ts', 'src/b.tsx', 'src/c.mjs', 'src/d.cjs', 'src/e.vue', 'src/f.svelte', 'src/g.jsx'],
      graphql: ['src/ops.gql', 'src/schema.graphql'],
      pages: ['public/tv.html', 'views/board.ejs'],
      warnings: [],
    });
  });

  it('never follows symlinks, and warns about those that leave the project', async () => {
    const outside = tree('outside', { 'evil.ts': 'new WebSocket("x")' });
    const root = tree('links', { 'src/real.ts': '' });
    symlinkSync(path.join(outside, 'evil.ts'), path.join(root, 'src', 'evil.ts'));
    symlinkSync(outside, path.join(root, 'linked-dir'));
    symlinkSync(path.join(root, 'src', 'real.ts'), path.join(root, 'src', 'alias.ts'));
    expect(await walkProject(root)).toEqual({
      files: ['src/real.ts'],
      graphql: [],
      pages: [],
      warnings: [
        { file: 'linked-dir', message: 'symbolic link points outside the project; not followed' },
        { file: 'src/evil.ts', message: 'symbolic link points outside the project; not followed' },
      ],
    });
  });

  it("reads a published package's build folder when its manifest points there and there is no src/", async () => {
    const root = tree('published', {
      'package.json': JSON.stringify({ name: 'p', main: './dist/index.js', bin: { p: 'bin/p.js' } }),
      'bin/p.js': '',
      'dist/index.js': '',
      'dist/lib/server.js': '',
      'dist/index.d.ts': '',
      'build/other.js': '',
    });
    expect(await walkProject(root)).toEqual({
      files: ['bin/p.js', 'dist/index.js', 'dist/lib/server.js'],
      graphql: [],
      pages: [],
      warnings: [
        {
          file: 'dist',
          message:
            "read as the project's code although it is build output: the manifest's entry (dist/index.js) is there and no source file was found outside it but the manifest's entries and tooling (configs, tests, benchmarks, scripts); file:line refer to the built files",
        },
      ],
    });
  });

  it('reads it also beside tool configs, tests and benchmarks, which are not sources of the package', async () => {
    const root = tree('published-tooling', {
      'package.json': JSON.stringify({ name: 'p', main: 'dist/index.js', bin: { p: 'bin/server.js' } }),
      'bin/server.js': '',
      'babel.config.js': '',
      '.eslintrc.js': '',
      'jest.config.ts': '',
      'benchmark/ci-local.js': '',
      'tests/server.test.ts': '',
      'dist/index.js': '',
    });
    expect((await walkProject(root)).files).toEqual([
      '.eslintrc.js',
      'babel.config.js',
      'benchmark/ci-local.js',
      'bin/server.js',
      'dist/index.js',
      'jest.config.ts',
      'tests/server.test.ts',
    ]);
  });

  it('keeps skipping the build folder of a checkout that has its sources, or that ignores it', async () => {
    const withSrc = tree('with-src', {
      'package.json': JSON.stringify({ name: 'p', main: 'dist/index.js' }),
      'src/index.ts': '',
      'dist/index.js': '',
    });
    expect((await walkProject(withSrc)).files).toEqual(['src/index.ts']);
    const ignored = tree('ignored-dist', {
      '.gitignore': 'dist/\n',
      'package.json': JSON.stringify({ name: 'p', exports: { '.': { require: './dist/index.cjs' } } }),
      'index.js': '',
      'dist/index.cjs': '',
    });
    expect(await walkProject(ignored)).toEqual({ files: ['index.js'], graphql: [], pages: [], warnings: [] });
    // A GitHub Action or a Node package that commits dist/ next to its sources in lib/ (or at the root): the sources are read, the build is not.
    const lib = tree('lib-and-dist', {
      'package.json': JSON.stringify({ name: 'p', main: 'dist/index.js' }),
      'lib/main.ts': '',
      'dist/index.js': '',
    });
    expect(await walkProject(lib)).toEqual({ files: ['lib/main.ts'], graphql: [], pages: [], warnings: [] });
    const rootSources = tree('root-and-dist', {
      'package.json': JSON.stringify({ name: 'p', main: 'dist/index.js', bin: { p: 'bin/p.js' } }),
      'bin/p.js': '',
      'server.js': '',
      'dist/index.js': '',
    });
    expect(await walkProject(rootSources)).toEqual({ files: ['bin/p.js', 'server.js'], graphql: [], pages: [], warnings: [] });
    const elsewhere = tree('main-elsewhere', { 'package.json': JSON.stringify({ name: 'p', main: 'index.js' }), 'index.js': '', 'dist/x.js': '' });
    expect((await walkProject(elsewhere)).files).toEqual(['index.js']);
  });

  it('throws an input error for a missing folder', async () => {
    await expect(walkProject(path.join(tmp, 'nope'))).rejects.toMatchObject({ exitCode: 3 });
  });
});

describe('scanFiles', () => {
  it('warns about huge, binary, non-UTF-8 and minified files, and reads a file whose only long line is the first', async () => {
    const root = tree('kinds', {
      'big.js': `const ws = new WebSocket("x");\n${'// padding\n'.repeat(220_000)}`,
      'bin.js': Buffer.from([0x57, 0x65, 0x62, 0x53, 0x00, 0x01]),
      'latin.js': Buffer.from('const s = "WebSocket caf\xe9";\n', 'latin1'),
      'min.js': `var a=${'1+'.repeat(800)}1;new WebSocket("x");\n`,
      'ok.js': 'const ws = new WebSocket("wss://a.example");\n',
      'banner.js': `/*! ${'license text '.repeat(100)}*/\nconst ws = new WebSocket("wss://b.example");\n`,
      'plain.js': 'export const x = 1;\n',
    });
    const files = ['banner.js', 'big.js', 'bin.js', 'latin.js', 'min.js', 'ok.js', 'plain.js'];
    const result = await scanFiles(root, files);
    expect(result.warnings).toEqual([
      { file: 'big.js', message: 'file is larger than 2 MB (2420031 bytes); skipped' },
      { file: 'bin.js', message: 'binary content in a source file; skipped' },
      { file: 'latin.js', message: 'not valid UTF-8; skipped' },
      { file: 'min.js', message: 'minified or generated code (most of its first lines are over 1,000 characters); skipped', kind: 'skipped-generated' },
    ]);
    expect(result.scanned).toEqual(['banner.js', 'ok.js', 'plain.js']);
    expect(result.analyses.map((a) => [a.file, a.entries.map((e) => `${e.kind}@${e.line}`)])).toEqual([
      ['banner.js', ['ws-client@2']],
      ['ok.js', ['ws-client@1']],
    ]);
    // The worker-thread path used for large trees gives the same result.
    const threaded = await scanFiles(root, files, { workerThreshold: 0, workers: 2 });
    expect(threaded.warnings).toEqual(result.warnings);
    expect(threaded.scanned).toEqual(result.scanned);
    expect(threaded.analyses.map((a) => a.file)).toEqual(['banner.js', 'ok.js']);
  });

  it('pipelines the walk into worker threads with the same result as in-process', async () => {
    const root = tree('pipeline', {
      'a/one.js': 'export const x = 1;\n',
      'a/two.js': "import { io } from 'socket.io-client';\nexport const s = io('/');\n",
      'b/three.ts': 'const es = new EventSource("/e");\n',
      'b/big.js': `${'x'.repeat(10)}\n${'// pad\n'.repeat(400_000)}`,
    });
    const inline = await scanProject(root);
    const threaded = await scanProject(root, { workerThreshold: 1, workers: 2 });
    expect(threaded.files).toEqual(['a/one.js', 'a/two.js', 'b/big.js', 'b/three.ts']);
    expect(threaded.scanned).toEqual(inline.scanned);
    expect(threaded.warnings).toEqual(inline.warnings);
    expect(threaded.warnings).toEqual([{ file: 'b/big.js', message: 'file is larger than 2 MB (2800011 bytes); skipped' }]);
    expect(threaded.analyses.map((a) => [a.file, a.entries.map((e) => e.kind)])).toEqual([
      ['a/two.js', ['socket-client']],
      ['b/three.ts', ['sse-client']],
    ]);
    expect(inline.analyses.map((a) => a.file)).toEqual(['a/two.js', 'b/three.ts']);
  });
});

describe('classifySource and extractScripts', () => {
  const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

  it('parses only files with a candidate marker', () => {
    expect(classifySource('a.ts', enc('export const add = (a: number, b: number) => a + b;\n'))).toEqual({ kind: 'skip', reason: 'not-candidate' });
    expect(classifySource('a.ts', enc('const s = new EventSource("/e");\n'))).toEqual({
      kind: 'parse',
      blocks: [{ code: 'const s = new EventSource("/e");\n', lang: 'ts', lineOffset: 0 }],
    });
    expect(classifySource('a.js', enc('io("x"); // socket.io\n'))).toMatchObject({ kind: 'parse', blocks: [{ lang: 'jsx' }] });
  });

  it('keeps the line offset of .vue and .svelte script blocks', () => {
    const vue = '<template>\n  <p>hi</p>\n</template>\n\n<script setup lang="ts">\nconst ws = new WebSocket("x");\n</script>\n';
    expect(extractScripts(vue)).toEqual([{ code: '\nconst ws = new WebSocket("x");\n', lang: 'ts', lineOffset: 4 }]);
    const svelte = '<script>\nlet a = 1;\n</script>\n<script context="module" lang="ts">\nexport const b = 2;\n</script>\n';
    expect(extractScripts(svelte).map((b) => [b.lang, b.lineOffset])).toEqual([
      ['jsx', 0],
      ['ts', 3],
    ]);
  });
});
