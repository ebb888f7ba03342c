// Reads are bounded and regular-file only: a FIFO never blocks, a symlink never leads out of the
// project, a huge HTTP body is refused as it streams, and errors name the file, not its content.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchContext7 } from '../../src/docs/context7.js';
import { DATE, run } from '../cli/helpers.js';
import { SESSION, makeProject, put, tempDir } from './project.js';

const fifo = (dir: string, rel: string) => {
  put(dir, rel, '');
  execFileSync('rm', [path.join(dir, rel)]);
  execFileSync('mkfifo', [path.join(dir, rel)]);
};
const BOARD = { [SESSION]: '# Board\n\nCards move live.\n' };
const plan = (project: string) => run(['sync-architecture', '--cwd', project, '--date', DATE]);

describe('FIFOs never block a run', () => {
  it('at .claude/rt-plan.json: an input error naming the file', () => {
    const project = makeProject(BOARD);
    fifo(project, '.claude/rt-plan.json');
    const r = plan(project);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot read .claude/rt-plan.json: not a regular file');
  });

  it('at a template override and a session file: skipped with a warning, plan written', () => {
    const project = makeProject(BOARD);
    fifo(project, '.claude/templates/rt-plan/plan.md.hbs');
    fifo(project, '.claude/pipe');
    symlinkSync(path.join(project, '.claude/pipe'), path.join(project, '.claude/tasks/context_session_2.md'));
    const r = plan(project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('.claude/templates/rt-plan/plan.md.hbs: not a regular file; ignored');
    expect(r.stderr).toContain('.claude/tasks/context_session_2.md: not a regular file; skipped');
  });

  it('at the agent file under init: an input error', () => {
    const project = makeProject();
    fifo(project, '.claude/agents/websocket-realtime-engineer.md');
    const r = run(['init', '--cwd', project]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot read .claude/agents/websocket-realtime-engineer.md: not a regular file');
  });
});

describe('errors name the file, never its content', () => {
  it('a settings file linked out of the project is refused without reading it', () => {
    const outside = tempDir();
    put(outside, 'private.txt', 'PRIVATE-CONTENT-9f8e7d not json');
    const project = makeProject(BOARD);
    put(project, '.claude/.keep', '');
    symlinkSync(path.join(outside, 'private.txt'), path.join(project, '.claude/rt-plan.json'));
    const r = plan(project);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot read .claude/rt-plan.json: symbolic link to a file outside the project');
    expect(r.stdout + r.stderr).not.toContain('PRIVATE-CONTENT');
  });

  it.each([
    ['invalid JSON', '{"docs": PRIVATE-CONTENT-9f8e7d', '.claude/rt-plan.json: invalid JSON'],
    ['an unknown setting', `{"token": "PRIVATE-CONTENT-9f8e7d"}`, '.claude/rt-plan.json: unsupported setting "token"'],
    ['a long unknown setting name', `{"${'k'.repeat(100)}PRIVATE-CONTENT": 1}`, `.claude/rt-plan.json: unsupported setting "${'k'.repeat(40)}…"`],
  ])('%s in the settings', (_name, text, message) => {
    const project = makeProject({ ...BOARD, '.claude/rt-plan.json': text });
    const r = plan(project);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(message);
    expect(r.stdout + r.stderr).not.toContain('PRIVATE-CONTENT');
  });
});

describe('Context7 bodies are capped', () => {
  it('a 100 MB answer is refused as it streams in', async () => {
    let sent = 0;
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      req.socket.on('close', () => res.destroy());
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    try {
      const settings = { baseUrl: url, timeoutMs: 60_000, maxAttempts: 1, retryDelayMs: 1, maxRetryAfterMs: 1, maxSnippets: 6 };
      await expect(fetchContext7('ws', null, 'heartbeat', settings)).rejects.toThrow('response body larger than 8 MB');
      expect(sent).toBeLessThan(100 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
