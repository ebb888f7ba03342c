// Where rt-plan's own files are (templates, knowledge notes, the agent definition), found
// from this module's location so it works from src/ (tests), dist/ and a bundled dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  let dir = path.dirname(from);
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'templates'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`rt-plan's package root was not found above ${from}`);
    dir = parent;
  }
  return dir;
}

const PACKAGE_ROOT = findPackageRoot(fileURLToPath(import.meta.url));

export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
