// `rt-plan check [files…] [--stale] [--json]`: the checks live in src/verify; this prints the
// report and turns `ok` into the exit code. With --stale, each plan's inputs digest is
// recomputed from the project as it is now.
import type { Logger } from '../io/log.js';
import { silentLogger } from '../io/log.js';
import { projectRoot } from '../project.js';
import { formatCheckReport, runCheck } from '../verify/check.js';

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
  // Plans of one project share their inputs: read them once per set of session files.
  const digests = new Map<string, Promise<string>>();
  const report = await runCheck({
    cwd: root,
    files: opts.files,
    stale: opts.stale,
    recompute: (sessions) => {
      const globs = sessions ?? opts.contextGlobs;
      const key = JSON.stringify(globs);
      // The pipeline (analysis, templates) loads only when --stale needs it.
      if (!digests.has(key))
        digests.set(
          key,
          import('../pipeline.js').then((p) => p.readInputs(root, globs, silentLogger)).then((r) => r.digest),
        );
      return digests.get(key)!;
    },
  });
  opts.log.result(opts.json ? JSON.stringify(report, null, 2) : formatCheckReport(report));
  return report.ok ? 0 : 1;
}
