// Build dist/: one bundled ESM entry with lazily loaded chunks, plus the shipped Handlebars
// templates precompiled. Bundling and precompiling cut the plan command's cold start by about
// a third (see BENCHMARKS.md): Node spends most of a short run loading and compiling modules.
// Type checking is `npm run typecheck` (tsc); esbuild only strips types.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import Handlebars from 'handlebars';
import { thirdPartyNotices } from './notices.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

/**
 * Mermaid's ESM build is about 1,250 files: resolving and compiling them is most of a cold
 * `rt-plan check`. One bundled file (dist/vendor/mermaid.js) loads about three times faster.
 * DOMPurify stays outside it, so the stubs validate.ts puts on the shared instance still apply.
 */
async function bundleMermaid() {
  return build({
    stdin: { contents: "export { default } from 'mermaid';", resolveDir: root, loader: 'js' },
    outfile: path.join(dist, 'vendor', 'mermaid.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['dompurify'],
    banner: { js: "import { createRequire as __rtPlanRequire } from 'node:module'; const require = __rtPlanRequire(import.meta.url);" },
    logLevel: 'error',
    legalComments: 'none',
    metafile: true,
    minifyWhitespace: true,
    minifySyntax: true,
  });
}

/** Both builds' inputs, so the notices cover mermaid's bundle too. */
function mergeMetafiles(a, b) {
  return { ...a, inputs: { ...a.inputs, ...b.inputs } };
}

/** `import('mermaid')` in dist/diagrams/ (one level below dist/) loads the bundle instead. */
function mermaidBundlePlugin() {
  return {
    name: 'mermaid-bundle',
    setup(b) {
      b.onResolve({ filter: /^mermaid$/ }, () => ({ path: '../vendor/mermaid.js', external: true }));
    },
  };
}

const mermaidBundle = await bundleMermaid();
const bundle = await build({
  // The CLI, the scan's worker entry, plus the modules the benchmarks drive directly (bench/*.mjs).
  entryPoints: ['cli.ts', 'scan-worker.ts', 'diagrams/validate.ts', 'diagrams/render-svg.ts', 'diagrams/extract.ts'].map((f) => path.join(root, 'src', f)),
  outbase: path.join(root, 'src'),
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Native, heavy or browser-bound packages stay in node_modules and load only when used.
  external: ['oxc-parser', 'dompurify', 'puppeteer-core', 'zod', '@asyncapi/parser', '@anthropic-ai/sdk'],
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

writeFileSync(path.join(dist, 'THIRD_PARTY_NOTICES'), thirdPartyNotices(root, mergeMetafiles(bundle.metafile, mermaidBundle.metafile)));
// The bundle is reached by a path relative to the importing file: fail the build, not `check`, if it moved.
for (const file of readdirSync(dist, { recursive: true })) {
  if (!String(file).endsWith('.js')) continue;
  const text = readFileSync(path.join(dist, String(file)), 'utf8');
  const dir = path.dirname(String(file));
  if (text.includes('../vendor/mermaid.js') && (dir === '.' || dir.includes(path.sep))) {
    throw new Error(`build: ${file} imports ../vendor/mermaid.js from the wrong depth`);
  }
}
