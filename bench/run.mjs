// `npm run bench`: every benchmark, each against its baseline in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
let failed = false;
for (const name of ['plan', 'model-cost', 'scan', 'scan-real', 'scan-growth', 'check', 'render', 'specificity']) {
  if (only.length && !only.includes(name)) continue;
  const file = path.join(here, `${name}.mjs`);
  if (!existsSync(file)) continue;
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
