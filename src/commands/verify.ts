// `rt-plan verify [plan.md]`: re-analyze the project and compare it with the plan's contract
// (the `.contract.json` next to the plan). `runVerify` returns the report as data so other
// front ends (the MCP server) can offer the same read-only answer; the command prints it and
// turns `ok` into the exit code. Writes nothing.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, describeError } from '../errors.js';
import type { Logger } from '../io/log.js';
import { projectRoot } from '../project.js';
import { contractDigest, contractPathOf, parseContract, recordedContractDigest } from '../contract/file.js';
import { evaluateContract, type Evaluation } from '../contract/evaluate.js';
import { formatVerify } from '../contract/format.js';
import { readNamedText } from '../shared/read-limited.js';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface VerifyRequest {
  cwd: string;
  /** Plan file, relative to cwd; default: the newest rt-plan plan in `.claude/doc/`. */
  plan?: string;
  onProgress?: (msg: string) => void;
}

export interface VerifyReport extends Evaluation {
  plan: string;
  contract: string;
  task: string;
  transport: string;
  library: string | null;
}

export async function runVerify(req: VerifyRequest): Promise<VerifyReport> {
  const root = await projectRoot(req.cwd);
  const planFile = req.plan ? path.resolve(req.cwd, req.plan) : await newestPlan(root);
  const shown = display(root, planFile);
  const plan = await readNamedText(root, planFile, MAX_FILE_BYTES);
  if (!plan.ok) throw new InputError(`cannot read ${shown}: ${plan.missing ? 'no such file' : plan.reason}`);
  const markdown = plan.text;
  const contractFile = contractPathOf(planFile);
  const contractShown = display(root, contractFile);
  // The sidecar must stay in the plan's own folder: a link out of it is never read, so its
  // content cannot reach a JSON parse error on the terminal.
  const sidecar = await readNamedText(path.dirname(planFile), contractFile, MAX_FILE_BYTES);
  if (!sidecar.ok) {
    throw new InputError(`${shown} has no contract: cannot read ${contractShown} (${sidecar.reason})`, {
      hint: 'plans written before `rt-plan verify` existed carry none: regenerate the plan with `rt-plan <task>`',
    });
  }
  const text = sidecar.text;
  const recorded = recordedContractDigest(markdown);
  if (recorded && recorded.digest !== contractDigest(text)) {
    throw new InputError(`${contractShown} was changed after the plan was written (its digest differs from the plan's contract_digest)`, {
      hint: 'restore it, or regenerate the plan with `rt-plan <task>`',
    });
  }
  const contract = parseContract(text);
  if (typeof contract === 'string') throw new InputError(`${contractShown}: ${contract}`);
  req.onProgress?.('analyzing project');
  const { analyzeProject } = await import('../analyze/index.js');
  const analysis = await analyzeProject(root, req.onProgress ? { onProgress: req.onProgress } : {});
  return {
    plan: shown,
    contract: contractShown,
    task: contract.task,
    transport: contract.transport,
    library: contract.library,
    ...evaluateContract(contract, analysis),
  };
}

export interface VerifyCommandOptions {
  cwd: string;
  plan?: string;
  json: boolean;
  log: Logger;
}

export async function runVerifyCommand(opts: VerifyCommandOptions): Promise<number> {
  const report = await runVerify({ cwd: opts.cwd, ...(opts.plan ? { plan: opts.plan } : {}), onProgress: (m) => opts.log.step(m) });
  opts.log.result(opts.json ? JSON.stringify(report, null, 2) : formatVerify(report, report));
  return report.ok ? 0 : 1;
}

function display(root: string, file: string): string {
  const relative = path.relative(root, file);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/');
}

/** The most recently written rt-plan plan; the name breaks ties, so the answer is stable. */
async function newestPlan(root: string): Promise<string> {
  const dir = path.join(root, '.claude', 'doc');
  const names = await readdir(dir).catch((cause: unknown) => {
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? '.claude/doc does not exist' : `cannot read .claude/doc (${describeError(cause)})`;
    throw new InputError(`no plan to verify: ${why}`, { hint: 'run `rt-plan <task>` first, or name the plan: rt-plan verify <plan.md>', cause });
  });
  const plans = names.filter((n) => /^websocket-realtime-.+\.md$/.test(n));
  if (plans.length === 0) throw new InputError('no plan to verify in .claude/doc', { hint: 'run `rt-plan <task>` first' });
  const dated = await Promise.all(plans.map(async (n) => ({ n, t: (await stat(path.join(dir, n))).mtimeMs })));
  dated.sort((a, b) => b.t - a.t || (a.n < b.n ? 1 : a.n > b.n ? -1 : 0));
  return path.join(dir, dated[0]!.n);
}
