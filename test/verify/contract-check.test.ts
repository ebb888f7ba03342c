// The contract survives `rt-plan check` and `check --stale`, and check reports a contract that
// is missing, edited, or not a contract at all, at the frontmatter line that names it.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckCommand } from '../../src/commands/check.js';
import { runVerify } from '../../src/commands/verify.js';
import { contractDigest } from '../../src/contract/file.js';
import { capture, cleanup, tempProject, writePlan } from './verify-helpers.js';

const PLAN = '.claude/doc/websocket-realtime-chat-presence.md';
const CONTRACT = '.claude/doc/websocket-realtime-chat-presence.contract.json';

describe('the contract next to a plan', () => {
  let dir: string;
  let original: string;
  beforeAll(async () => {
    dir = tempProject('scan-socketio-modules');
    await writePlan(dir, 'chat-presence');
    original = readFileSync(path.join(dir, CONTRACT), 'utf8');
  }, 60_000);
  afterAll(() => cleanup(dir));

  const check = async (stale: boolean) => {
    const { log, out } = capture();
    const code = await runCheckCommand({ cwd: dir, files: [PLAN], stale, json: false, contextGlobs: [], log });
    return { code, text: out().trim() };
  };

  it('is named by digest in the frontmatter, line 8', () => {
    const lines = readFileSync(path.join(dir, PLAN), 'utf8').split('\n');
    expect(lines[7]).toBe(`contract_digest: "${contractDigest(original)}"`);
    expect(JSON.parse(original)).toMatchObject({ schema: 'rt-plan/contract@1', task: 'chat-presence', transport: 'socket.io', library: 'socket.io' });
  });

  it('passes check and check --stale as written', async () => {
    // Architecture and the join flow (the code's joinRoom opens it); the send flow is cited from the protocol note, since the code has no send event.
    expect(await check(false)).toEqual({ code: 0, text: `${PLAN}: ok (2 diagrams)\n1 plan checked: all valid` });
    expect(await check(true)).toEqual({ code: 0, text: `${PLAN}: ok (2 diagrams)\n1 plan checked: all valid` });
  });

  it('fails check when the contract was edited, and verify refuses it (exit 3)', async () => {
    appendFileSync(path.join(dir, CONTRACT), ' ');
    expect(await check(false)).toEqual({
      code: 1,
      text: `${PLAN}:8: contract websocket-realtime-chat-presence.contract.json was modified after the plan was written (digest differs)\n1 plan checked: 1 file failed`,
    });
    await expect(runVerify({ cwd: dir })).rejects.toMatchObject({
      exitCode: 3,
      message: `${CONTRACT} was changed after the plan was written (its digest differs from the plan's contract_digest)`,
    });
    writeFileSync(path.join(dir, CONTRACT), original);
  });

  it('fails check --stale when the contract is missing, and verify says how to get one', async () => {
    rmSync(path.join(dir, CONTRACT));
    expect(await check(true)).toEqual({
      code: 1,
      text: `${PLAN}:8: contract websocket-realtime-chat-presence.contract.json is missing: \`rt-plan verify\` needs it; regenerate the plan\n1 plan checked: 1 file failed`,
    });
    await expect(runVerify({ cwd: dir })).rejects.toMatchObject({
      exitCode: 3,
      hint: 'plans written before `rt-plan verify` existed carry none: regenerate the plan with `rt-plan <task>`',
    });
    writeFileSync(path.join(dir, CONTRACT), original);
    expect((await check(true)).code).toBe(0);
  });
});

describe('parseContract', () => {
  it('says the text is not JSON without quoting it (the parser quotes the first bytes)', async () => {
    const { parseContract } = await import('../../src/contract/file.js');
    expect(parseContract('aws_secret = "PRIVATE-5c4b3a"')).toBe('not valid JSON');
  });
});
