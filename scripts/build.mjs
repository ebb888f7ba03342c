// Build dist/: one bundled ESM entry with lazily loaded chunks, plus the shipped Handlebars
// templates precompiled. Bundling and precompiling cut the plan command's cold start by about
// a third (see BENCHMARKS.md): Node spends most of a short run loading and compiling modules.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';
import Handlebars from 'handlebars';
import { mermaidPatchesPlugin } from './mermaid-patches.mjs';
import { thirdPartyNotices } from './notices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

/**
 * Mermaid's ESM build is about 1,250 files: resolving and compiling them is most of a cold
 * `rt-plan check`. One bundled file loads about three times faster; as CommonJS it runs
 * through vm.Script, so V8's code cache for it can be stored next to it (below).
 * DOMPurify stays outside it, so the stubs validate.ts puts on the shared instance still apply.
 */
async function bundleMermaid() {
  return build({
    stdin: { contents: "module.exports = require('mermaid').default;", resolveDir: root, loader: 'js' },
    outfile: path.join(dist, 'vendor', 'mermaid.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['dompurify'],
    logLevel: 'error',
    legalComments: 'none',
    metafile: true,
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    plugins: [mermaidPatchesPlugin()],
  });
}

/** Both builds' inputs, so the notices cover mermaid's bundle too. */
function mergeMetafiles(a, b) {
  return { ...a, inputs: { ...a.inputs, ...b.inputs } };
}

/**
 * validate.ts runs dist/vendor/mermaid.cjs; its `import('mermaid')` is only for src/ before any
 * build, so in dist/ it becomes a module that says what is missing.
 */
function mermaidBundlePlugin() {
  return {
    name: 'mermaid-bundle',
    setup(b) {
      b.onResolve({ filter: /^mermaid$/ }, () => ({ path: 'mermaid', namespace: 'rt-plan-no-mermaid' }));
      b.onLoad({ filter: /.*/, namespace: 'rt-plan-no-mermaid' }, () => ({
        contents: "throw new Error('dist/vendor/mermaid.cjs is missing: run npm run build');",
        loader: 'js',
      }));
    },
  };
}

/** Native, heavy or browser-bound packages stay in node_modules and load only when used. */
const EXTERNAL = ['oxc-parser', 'dompurify', 'puppeteer-core', 'zod', '@asyncapi/parser', '@anthropic-ai/sdk'];

const mermaidBundle = await bundleMermaid();
const bundle = await build({
  // The CLI, the scan's worker entry, the knowledge notes (parsed below), plus the modules the
  // benchmarks drive directly (bench/*.mjs).
  entryPoints: ['cli.ts', 'scan-worker.ts', 'docs/knowledge.ts', 'diagrams/validate.ts', 'diagrams/render-svg.ts', 'diagrams/extract.ts'].map((f) =>
    path.join(root, 'src', f),
  ),
  outbase: path.join(root, 'src'),
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  banner: { js: "import { createRequire as __rtPlanRequire } from 'node:module'; const require = __rtPlanRequire(import.meta.url);" },
  logLevel: 'warning',
  // Licences of bundled code go to dist/THIRD_PARTY_NOTICES instead (scripts/notices.mjs).
  legalComments: 'none',
  metafile: true,
  // Linked maps: bin/rt-plan.js turns them on with --verbose, so a bug report's stack points
  // at src/ lines; without --verbose Node never reads them.
  sourcemap: 'linked',
  sourcesContent: false,
  plugins: [mermaidBundlePlugin()],
  // Whitespace and syntax only: names stay readable in --verbose stack traces, and Node
  // parses less on every start.
  minifyWhitespace: true,
  minifySyntax: true,
});

// Precompiled templates, keyed by name, with the hash of the source they came from: the
// engine uses one only while the shipped .hbs file still has that hash.
const templatesDir = path.join(root, 'templates');
const sources = [['plan.md', path.join(templatesDir, 'plan.md.hbs')]];
for (const file of readdirSync(path.join(templatesDir, 'partials')).sort()) {
  if (file.endsWith('.hbs')) sources.push([file.slice(0, -4), path.join(templatesDir, 'partials', file)]);
}
const entries = sources.map(([name, file]) => {
  const source = readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const spec = Handlebars.precompile(source, { strict: false, noEscape: false });
  return `  ${JSON.stringify(name)}: { hash: ${JSON.stringify(hash)}, spec: ${spec} },`;
});
writeFileSync(path.join(dist, 'precompiled-templates.cjs'), `exports.precompiled = {\n${entries.join('\n')}\n};\n`);

// The templates' text holds non-ASCII characters; escaped, the CLI bundle stays ASCII.
const precompiledAscii = (
  await transform(readFileSync(path.join(dist, 'precompiled-templates.cjs'), 'utf8'), { format: 'cjs', charset: 'ascii', minifyWhitespace: true })
).code;

// The CLI again as one CommonJS file, which bin/rt-plan.js runs with V8's code cache
// (bin/load-bundle.cjs; made at the end of this script): Node 20 keeps no code cache for ES
// modules, and compiling was about a third of a short run. Lazy imports become lazy requires
// (a dynamic import() from a script with a code cache loses its loader); the ES module build
// above stays for --verbose, whose stack traces go through its source maps.
const cliBundle = await build({
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outfile: path.join(dist, 'cli.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  supported: { 'dynamic-import': false },
  external: EXTERNAL,
  // The precompiled templates go inside (render/engine.ts reads RT_PLAN_PRECOMPILED), so the
  // code cache holds their functions too, instead of Node compiling 166 KB on every run.
  define: { 'import.meta.url': '__rtPlanModuleUrl', RT_PLAN_PRECOMPILED: '__rtPlanPrecompiled' },
  banner: {
    js: [
      "var __rtPlanModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      `var __rtPlanPrecompiled = (function (exports) {\n${precompiledAscii}\nreturn exports.precompiled;\n})({});`,
    ].join('\n'),
  },
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [mermaidBundlePlugin()],
  minifyWhitespace: true,
  minifySyntax: true,
});
// A warning here is code that behaves otherwise in CommonJS (an import.meta other than .url,
// say), so it stops the build instead of shipping a CLI that differs from the ES module one.
if (cliBundle.warnings.length > 0) throw new Error('build: dist/cli.cjs: esbuild warned (above); the CommonJS bundle would differ from the ES modules');

writeFileSync(path.join(dist, 'THIRD_PARTY_NOTICES'), thirdPartyNotices(root, mergeMetafiles(bundle.metafile, mermaidBundle.metafile)));

// The knowledge notes parsed once here instead of on every run; each keeps the hash of its
// source, so an edited note is parsed again at run time until the next build.
const knowledge = await import(pathToFileURL(path.join(dist, 'docs', 'knowledge.js')).href);
const knowledgeDir = path.join(templatesDir, 'knowledge');
const notes = knowledge.loadKnowledge(knowledgeDir);
const parsed = readdirSync(knowledgeDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => {
    const note = notes.find((n) => n.id === name.slice(0, -3));
    if (!note) throw new Error(`build: knowledge note ${name} was not loaded`);
    return { name, hash: knowledge.knowledgeSourceHash(readFileSync(path.join(knowledgeDir, name), 'utf8')), note };
  });
writeFileSync(path.join(dist, 'knowledge-notes.json'), JSON.stringify(parsed));

// V8's code cache for mermaid, made after parsing each diagram type `check` meets, so it also
// holds the functions compiled while parsing. Valid for this Node version; others recompile.
// The file starts with the bundle's SHA-256 (validate.ts uses it only for those bytes).
const { validateMermaid, mermaidCodeCache } = await import(pathToFileURL(path.join(dist, 'diagrams', 'validate.js')).href);
for (const source of [
  'flowchart LR\n  a["A"] --> b("B")\n',
  'stateDiagram-v2\n  [*] --> A\n  A --> B : go\n',
  'sequenceDiagram\n  A->>B: hi\n  B-->>A: ok\n',
]) {
  const result = await validateMermaid(source);
  if (!result.valid) throw new Error(`build: the bundled mermaid rejects a valid diagram: ${result.message}`);
}
const cache = mermaidCodeCache();
if (!cache) throw new Error('build: validate.js did not load dist/vendor/mermaid.cjs');
writeFileSync(path.join(dist, 'vendor', 'mermaid.cjs.cache'), cache);

// Last, when the rest of dist/ is in place: the CLI's code cache, from a plan of the example.
execFileSync(process.execPath, [path.join(root, 'scripts', 'cli-code-cache.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
