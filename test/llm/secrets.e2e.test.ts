// Hard-coded credentials in the project (and one pasted into the session notes) never reach
// the model: no request body contains any of their values.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DATE, EXAMPLE, copyProject, runAsync } from '../cli/helpers.js';
import { GOOD_REVIEW, startMessages, type FakeMessages } from './messages-server.js';

// Assembled at run time so that no key-shaped string is committed.
const SECRETS = {
  anthropic: ['sk', 'ant', 'api03', 'Vq3Lp9Xz2Rt6Wn1Bc8Md4Kf7Hj5Gs0Ya'].join('-'),
  stripe: ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_'),
  aws: ['AKIA', 'J5W3Q8R2T6Y1U4I7'].join(''),
  github: ['ghp', 'Xk29Lm47Qp81Zr36Ws05Vt72Yu94Bn13Ca68'].join('_'),
  pemBody: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  generic: 'team-chat-dev-secret-7f3a9c2e51',
  password: 'Pw7fK2qX9mZ4vB8nR1sT',
};

let server: FakeMessages | null = null;
let project: string | null = null;
afterEach(async () => {
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

it('no request body carries a value the secret detector flags', async () => {
  server = await startMessages([{ toolInput: GOOD_REVIEW }]);
  project = copyProject(EXAMPLE);
  appendFileSync(
    path.join(project, 'server/auth.js'),
    [
      '',
      `export const ANTHROPIC_API_KEY = '${SECRETS.anthropic}';`,
      `export const billing = { apiKey: "${SECRETS.stripe}", awsKeyId: '${SECRETS.aws}' };`,
      `export const deployToken = \`${SECRETS.github}\`;`,
      `export const db = { password: '${SECRETS.password}' };`,
      `export const signingKey = \`-----BEGIN PRIVATE KEY-----`,
      SECRETS.pemBody,
      `-----END PRIVATE KEY-----\`;`,
      '',
    ].join('\n'),
  );
  const session = path.join(project, '.claude/tasks/context_session_1.md');
  writeFileSync(session, `${readFileSync(session, 'utf8')}\n- The staging key ${SECRETS.anthropic} is in server/auth.js for now.\n`);

  const r = await runAsync(['sync-architecture', '--cwd', project, '--date', DATE, '--llm'], {
    env: { ANTHROPIC_API_KEY: 'test-key-2', ANTHROPIC_BASE_URL: server.url },
  });
  expect(r.status, r.stderr).toBe(0);
  expect(server.received).toHaveLength(1);
  const raw = server.received[0]!.raw;
  // The excerpt of the file is there, with placeholders where the values were.
  expect(raw).toContain('server/auth.js');
  expect(raw).toContain("export const ANTHROPIC_API_KEY = '«redacted: anthropic-api-key»';");
  expect(raw).toContain('The staging key «redacted: anthropic-api-key» is in server/auth.js');
  for (const [name, value] of Object.entries(SECRETS)) expect(raw.includes(value), name).toBe(false);
});
