import { readFileSync } from 'node:fs';
import { packagePath } from './paths.js';

let cached: string | undefined;

/** rt-plan's own version, from its package.json (read once, only when asked). */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
