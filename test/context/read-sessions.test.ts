import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readSessions, sortSessions } from '../../src/context/read-sessions.js';
import { InputError, UsageError } from '../../src/errors.js';

let root: string;
const put = (rel: string, data: string | Buffer) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), data);
};
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rtp-ctx-'));
});

describe('readSessions', () => {
  it('finds every naming variant in tasks/ and sessions/, numbered order, _latest last', async () => {
    put('.claude/tasks/context_session_10.md', 'ten');
    put('.claude/tasks/context_session_2.md', 'two');
    put('.claude/tasks/context_session_latest.md', 'latest');
    put('.claude/sessions/context-session-001.md', 'one');
    put('.claude/tasks/notes.md', 'not a session');
    put('.claude/tasks/archived/context_session_0.md', 'old');
    const ctx = await readSessions(root);
    expect(ctx.files).toEqual([
      '.claude/sessions/context-session-001.md',
      '.claude/tasks/context_session_2.md',
      '.claude/tasks/context_session_10.md',
      '.claude/tasks/context_session_latest.md',
    ]);
    expect(ctx.warnings).toEqual([]);
  });

  it('falls back to archived sessions, and says so', async () => {
    put('.claude/tasks/archived/context_session_3.md', 'Expect 100 concurrent users.');
    const ctx = await readSessions(root);
    expect(ctx.files).toEqual(['.claude/tasks/archived/context_session_3.md']);
    expect(ctx.warnings).toEqual([{ file: null, message: 'no active session context; using the archived session files' }]);
  });

  it('skips bad files with a warning naming each, and keeps the good one', async () => {
    put('.claude/tasks/context_session_1.md', '---\ntitle: [oops\n---\nbody');
    put('.claude/tasks/context_session_2.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2]));
    put('.claude/tasks/context_session_3.md', Buffer.alloc(20 * 1024 * 1024, 'a'));
    put('.claude/tasks/context_session_4.md', Buffer.from([0x68, 0xff, 0xfe, 0x69]));
    put('.claude/tasks/context_session_5.md', 'We need presence.');
    const outside = mkdtempSync(path.join(tmpdir(), 'rtp-outside-'));
    writeFileSync(path.join(outside, 'secret.md'), 'outside text');
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, '.claude/tasks/context_session_6.md'));
    const ctx = await readSessions(root);
    expect(ctx.files).toEqual(['.claude/tasks/context_session_5.md']);
    expect(ctx.warnings.map((w) => `${w.file}: ${w.message}`)).toEqual([
      expect.stringMatching(/^\.claude\/tasks\/context_session_1\.md: invalid YAML frontmatter: .*line 3.*; skipped$/),
      '.claude/tasks/context_session_2.md: binary file, not Markdown; skipped',
      '.claude/tasks/context_session_3.md: too large (20 MB; the limit is 1 MB); skipped',
      '.claude/tasks/context_session_4.md: not valid UTF-8 text; skipped',
      '.claude/tasks/context_session_6.md: symbolic link to a file outside the project; skipped',
    ]);
    expect(ctx.requirements.map((r) => r.evidence)).toEqual(['.claude/tasks/context_session_5.md:1']);
  });

  it('no session files at all is fine', async () => {
    expect(await readSessions(root)).toEqual({ files: [], docs: [], requirements: [], warnings: [] });
  });

  it('--context globs select files; an explicit file that cannot be used is an input error', async () => {
    put('notes/rt.md', 'Chat with typing indicators.');
    put('notes/bad.md', '---\n: : :\n---\n');
    expect((await readSessions(root, { globs: ['notes/*.md'] })).files).toEqual(['notes/rt.md']);
    await expect(readSessions(root, { globs: ['notes/bad.md'] })).rejects.toThrow(InputError);
    await expect(readSessions(root, { globs: ['nothing/*.md'] })).rejects.toThrow(/no file matches/);
    await expect(readSessions(root, { globs: ['../*.md'] })).rejects.toThrow(UsageError);
  });
});

describe('sortSessions', () => {
  it('orders numerically with latest last', () => {
    expect(sortSessions(['c_latest.md', 'c_10.md', 'c_9.md'])).toEqual(['c_9.md', 'c_10.md', 'c_latest.md']);
  });
});
