// The package layer of the model: which declared real-time dependencies the product code
// imports. A dependency no production file imports is unused: it is not the project's stack
// and never "the existing transport". Before calling one unused, the production files are
// searched for its quoted name, so an import the parser did not see (a file the prefilter
// skipped) keeps it in the stack: unused is claimed only when nothing names it.
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { ModelNote, WorkspacePackage } from '../../types.js';
import { lookupCatalog } from '../catalog.js';
import type { FileFacts } from '../code/facts.js';
import { packageName } from '../code/file-context.js';
import { workspaceOf } from '../code/merge.js';
import { isNonProduction } from './scope.js';

/** Packages loaded by another package at run time, never imported by the product itself. */
const IMPLIED_BY: Record<string, string[]> = {
  '@nestjs/platform-socket.io': ['@nestjs/websockets', '@nestjs/core'],
  '@nestjs/platform-ws': ['@nestjs/websockets', '@nestjs/core'],
  'engine.io': ['socket.io'],
  'engine.io-client': ['socket.io-client'],
};

/** Files read when confirming that a dependency is named nowhere. */
const MAX_CONFIRM_FILES = 3000;
const MAX_READ = 256 * 1024;

async function head(abs: string): Promise<string> {
  const fh = await open(abs, 'r').catch(() => null);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(MAX_READ);
    const { bytesRead } = await fh.read(buf, 0, MAX_READ, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Commented-out code (`// import { Server } from 'socket.io'`, a `/* … *\/` block) uses no package. */
export function uncommented(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else out += c;
  }
  return out;
}

/** Declared catalog dependencies (frameworks aside) that no production file imports or names. */
export async function unusedDependencies(
  root: string,
  packages: readonly WorkspacePackage[],
  facts: ReadonlyMap<string, FileFacts>,
  files: readonly string[],
): Promise<ModelNote[]> {
  const imported = new Set<string>();
  for (const f of facts.values())
    if (!isNonProduction(f.file)) for (const i of f.imports) imported.add(`${workspaceOf(f.file, packages)}\u0000${packageName(i.source)}`);
  const suspects: { pkg: WorkspacePackage; name: string }[] = [];
  for (const pkg of packages) {
    for (const name of Object.keys(pkg.dependencies)) {
      const entry = lookupCatalog(name);
      if (!entry || entry.kind === 'framework' || name.startsWith('@types/')) continue;
      // A root manifest often declares what its nested apps import.
      const used = [...imported].some((k) => k.endsWith(`\u0000${name}`) && (pkg.dir === '' || k.startsWith(`${pkg.dir}\u0000`)));
      const implied = (IMPLIED_BY[name] ?? []).some((by) => [...imported].some((k) => k.endsWith(`\u0000${by}`)));
      if (!used && !implied) suspects.push({ pkg, name });
    }
  }
  if (suspects.length === 0) return [];
  const prod = files.filter((f) => !isNonProduction(f)).slice(0, MAX_CONFIRM_FILES);
  const texts = await Promise.all(prod.map(async (f) => [f, uncommented(await head(path.join(root, f)))] as const));
  return suspects
    .filter(({ pkg, name }) => {
      const quoted = new RegExp(`['"\`]${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(['"\`/])`);
      return !texts.some(([f, t]) => (pkg.dir === '' || workspaceOf(f, packages) === pkg.dir) && quoted.test(t));
    })
    .map(({ pkg, name }) => {
      const line = pkg.dependencyLines[name];
      return { name, evidence: line === undefined ? pkg.manifest : `${pkg.manifest}:${line}`, reason: 'declared but imported by no production source file' };
    })
    .sort((a, b) => (a.evidence < b.evidence ? -1 : a.evidence > b.evidence ? 1 : 0));
}
