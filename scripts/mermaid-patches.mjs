// Patches applied to mermaid's sources when scripts/build.mjs bundles them for `rt-plan check`
// (dist/vendor/mermaid.cjs, which only parses: SVG rendering loads mermaid's own browser build).
// Each patch names the file it applies to by a line only that file has and the number of
// places it changes, so a mermaid update that moves the code fails the build instead of
// silently dropping the patch.
import { readFileSync } from 'node:fs';

const PATCHES = [
  {
    // mermaid copies its whole configuration (assignWithDepth) on every getConfig(), which its
    // parsers call per message and per state: about a third of a cold check went there, most
    // of it in Object.defineProperty for each new key. A plain assignment creates the same own,
    // writable, enumerable, configurable property on these plain objects; the key __proto__
    // keeps defineProperty.
    name: 'config copy without defineProperty',
    file: 'var assignWithDepth = ',
    find: /Object\.defineProperty\(dst, key, \{\s*value: (void 0|srcValue),\s*writable: true,\s*enumerable: true,\s*configurable: true\s*\}\)/g,
    count: 2,
    replace: (_whole, value) =>
      `(key === "__proto__" ? Object.defineProperty(dst, key, { value: ${value}, writable: true, enumerable: true, configurable: true }) : dst[key] = ${value})`,
  },
  {
    // The sequence diagram's database asks for that copy once per actor and per message only
    // to read sequence.wrap. A database lives for one parse, during which the configuration
    // does not change (directives are applied before), so it reads it once; and wrapping is
    // layout, which never decides whether a diagram parses.
    name: 'sequence wrap read once per parse',
    file: 'autoWrap() {',
    find: /return getConfig2\(\)\.sequence\?\.wrap \?\? false;/g,
    count: 1,
    replace: () => 'return (this.rtPlanWrap ??= [getConfig2().sequence?.wrap ?? false])[0];',
  },
];

/** The esbuild plugin; the build fails unless every patch applied exactly where expected. */
export function mermaidPatchesPlugin() {
  return {
    name: 'mermaid-patches',
    setup(b) {
      const applied = new Set();
      b.onLoad({ filter: /[\\/]mermaid[\\/]dist[\\/].*\.mjs$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8');
        const here = PATCHES.filter((p) => text.includes(p.file));
        if (here.length === 0) return undefined;
        for (const p of here) {
          const found = text.match(p.find)?.length ?? 0;
          if (found !== p.count)
            throw new Error(`build: mermaid changed where "${p.name}" applies (${found} places, expected ${p.count}); review scripts/mermaid-patches.mjs`);
          text = text.replace(p.find, p.replace);
          applied.add(p.name);
        }
        return { contents: text, loader: 'js' };
      });
      b.onEnd(() => {
        const missing = PATCHES.filter((p) => !applied.has(p.name)).map((p) => p.name);
        if (missing.length > 0) throw new Error(`build: mermaid patches not applied: ${missing.join(', ')}; review scripts/mermaid-patches.mjs`);
      });
    },
  };
}
