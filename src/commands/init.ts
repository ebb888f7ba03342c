// `rt-plan init`: install the subagent definition into the project's .claude/agents/.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Logger } from '../io/log.js';
import { ProjectWriter } from '../io/safe-write.js';
import { projectRoot } from '../project.js';
import { packagePath } from '../paths.js';

export const AGENT_PATH = '.claude/agents/websocket-realtime-engineer.md';
/** The Claude Code permission that lets the subagent run the local planner without asking. */
export const PERMISSION_RULE = 'Bash(npx --no rt-plan:*)';

function shippedAgent(): string {
  return readFileSync(packagePath(AGENT_PATH), 'utf8');
}

const STATUS_TEXT = { installed: 'Installed', unchanged: 'Already up to date', replaced: 'Replaced' } as const;

export interface InitOptions {
  cwd: string;
  force: boolean;
  json: boolean;
  log: Logger;
}

export async function runInit(opts: InitOptions): Promise<number> {
  const writer = await ProjectWriter.open(await projectRoot(opts.cwd));
  const shipped = shippedAgent();
  const existing = await writer.readIfExists(AGENT_PATH);
  let status: keyof typeof STATUS_TEXT;
  if (existing === shipped) {
    status = 'unchanged';
  } else if (existing !== null && !opts.force) {
    throw new InputError(`${AGENT_PATH} exists and differs from the version rt-plan ships`, {
      hint: 'keep your changes, or run `rt-plan init --force` to replace it',
    });
  } else {
    await writer.writeReplace(AGENT_PATH, shipped);
    status = existing === null ? 'installed' : 'replaced';
  }
  if (opts.json) {
    opts.log.result(JSON.stringify({ agent: AGENT_PATH, status, permission: PERMISSION_RULE }));
  } else {
    // rt-plan writes only inside .claude/ and never edits the user's settings: it says the rule.
    opts.log.result(
      `${STATUS_TEXT[status]}: ${AGENT_PATH}\n` +
        `To let the subagent run rt-plan without asking, add "${PERMISSION_RULE}" to permissions.allow in .claude/settings.json`,
    );
  }
  return 0;
}
