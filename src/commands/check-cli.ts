// `rt-plan check`: validate plans; with --stale, recompute each plan's inputs digest.
import type { Logger } from '../io/log.js';
import { readInputs } from '../pipeline.js';
import { projectRoot } from '../project.js';
import { silentLogger } from '../io/log.js';

export interface CheckCommandOptions {
  cwd: string;
  files: string[];
  stale: boolean;
  json: boolean;
  contextGlobs: string[];
  log: Logger;
}

export async function runCheckCommand(opts: CheckCommandOptions): Promise<number> {
  const root = await projectRoot(opts.cwd);
  const { runCheck, formatCheckReport } = await import('./check.js');
  // Plans of one project share their inputs: read them once per set of session files.
  const digests = new Map<string, Promise<string>>();
  const report = await runCheck({
    cwd: root,
    files: opts.files,
    stale: opts.stale,
    recompute: (sessions) => {
      const globs = sessions ?? opts.contextGlobs;
      const key = JSON.stringify(globs);
      if (!digests.has(key)) digests.set(key, readInputs(root, globs, silentLogger).then((r) => r.digest));
      return digests.get(key)!;
    },
  });
  if (opts.json) opts.log.result(JSON.stringify(report, null, 2));
  else opts.log.result(formatCheckReport(report));
  return report.ok ? 0 : 1;
}
