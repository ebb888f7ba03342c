// The offline queue goes to IndexedDB only where the context asks that what a user did survives a
// reload or offline use; otherwise it is memory only, and the plan says a reload drops it.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { buildPlan } from '../../src/design/index.js';
import type { PlanInput } from '../../src/design/types.js';
import { chatInput } from './inputs.js';

const CTX = '.claude/tasks/context_session_1.md';

function withContext(body: string): PlanInput {
  const base = chatInput();
  base.task = 'team-chat';
  base.sessions = { files: [CTX], docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body), warnings: [] };
  return base;
}

const offline = (body: string) => buildPlan(withContext(body)).stateSync.offlineMd.join('\n');

describe('offline queue', () => {
  it('is memory only when the context asks nothing to survive a reload', () => {
    const md = offline('Users chat in rooms. Messages must be delivered in order.');
    expect(md).toContain('in memory, cap 500: the context asks for nothing to survive a reload, so a reload drops what was still queued');
    expect(md).not.toContain('IndexedDB');
  });

  it('a loss ruled out for one cause only (a deploy) asks nothing of a reload', () => {
    expect(offline('Users chat in rooms. A message must never be lost because of a deploy.')).not.toContain('IndexedDB');
  });

  it.each([
    'Users chat in rooms. Messages typed while offline must be sent once the connection is back.',
    'Users chat in rooms. A message being sent must not be lost on a page reload.',
    'Users chat in rooms. Targets: messages delivered within 150 ms; zero lost messages.',
  ])('goes to IndexedDB, citing the sentence, when the context asks for it: %s', (body) => {
    const md = offline(body);
    expect(md).toMatch(/in memory, and IndexedDB for what must survive a reload \(`\.claude\/tasks\/context_session_1\.md:\d+`\); cap 500/);
  });
});
