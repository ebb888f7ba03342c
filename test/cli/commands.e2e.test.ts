import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, EXAMPLE, REPO, cleanEnv, copyProject, planFiles, run } from './helpers.js';

describe('rt-plan basics', () => {
  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
  });

  it('--help explains the commands with examples for each kind of user', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\nOptions shared by the commands (all but mcp; --context: plan, scan, check, review; --date, --dry-run: plan):\n');
    expect(r.stdout).toContain('\n  --json            print one JSON object on stdout and nothing else\n');
    expect(r.stdout).toContain('\n  --dry-run         print the plan on stdout and write nothing\n');
    for (const word of ['plan', 'scan', 'check', 'init', 'In a terminal', 'parent AI agent', 'In CI', 'Exit codes']) {
      expect(r.stdout).toContain(word);
    }
  });

  it('no arguments prints help on stderr with a usage exit code', () => {
    const r = run([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: rt-plan');
  });

  it('scan writes nothing and prints what it found', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['scan', '--cwd', project, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.stack.transports).toContain('socket.io');
    expect(result.events.map((e: { name: string }) => e.name)).toContain('joinRoom');
    expect(planFiles(project)).toEqual([]);
    const human = run(['scan', '--cwd', project]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('socket.io');
    expect(human.stdout).not.toMatch(/\u001b\[/);
  });

  it('init installs the agent, leaves an identical copy, refuses a changed one without --force', () => {
    const project = copyProject(EXAMPLE);
    const agent = path.join(project, '.claude/agents/websocket-realtime-engineer.md');
    expect(run(['init', '--cwd', project]).stdout).toBe(
      'Installed: .claude/agents/websocket-realtime-engineer.md\n' +
        'To let the subagent run rt-plan without asking, add "Bash(npx --no rt-plan:*)" to permissions.allow in .claude/settings.json\n',
    );
    expect(readFileSync(agent, 'utf8')).toContain('npx --no rt-plan <task> --json');
    expect(readFileSync(agent, 'utf8')).toBe(readFileSync(path.join(REPO, '.claude/agents/websocket-realtime-engineer.md'), 'utf8'));
    expect(JSON.parse(run(['init', '--json', '--cwd', project]).stdout)).toEqual({
      agent: '.claude/agents/websocket-realtime-engineer.md',
      status: 'unchanged',
      permission: 'Bash(npx --no rt-plan:*)',
    });
    writeFileSync(agent, 'my edits');
    const refused = run(['init', '--cwd', project]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/differs/);
    expect(readFileSync(agent, 'utf8')).toBe('my edits');
    expect(run(['init', '--cwd', project, '--force']).status).toBe(0);
    expect(readFileSync(agent, 'utf8')).not.toBe('my edits');
  });

  it('colour only when asked on a TTY: NO_COLOR and pipes give plain text', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['scan', '--cwd', project], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(r.stdout + r.stderr).not.toMatch(/\u001b\[/);
    const forced = run(['scan', '--cwd', project], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const flag = run(['scan', '--cwd', project, '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stdout).not.toMatch(/\u001b\[/);
  });
});

describe('--pattern choices', () => {
  it('--help lists exactly the scenarios the design stage knows', async () => {
    const { SCENARIOS } = await import('../../src/design/types.js');
    const help = run(['plan', '--help']).stdout.replace(/\s+/g, ' ');
    const listed = /force a scenario \(repeatable\): ([a-z, -]+)/
      .exec(help)?.[1]
      ?.split(', ')
      .map((s) => s.trim());
    expect(listed).toEqual([...SCENARIOS]);
  });
});

describe('edge cases of the command line', () => {
  it('usage errors under --json are one JSON object too', () => {
    for (const args of [
      ['plan', 'a', '--json', '--bogus'],
      ['plan', '--json'],
      ['plan', 'a', '--json', '--connections', 'abc'],
      ['check', '--json', '--bogus'],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout), args.join(' ')).toEqual({ error: { code: 2, message: expect.any(String) } });
    }
  });

  it('a first word one letter off a command is a typo, not a task', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['inti', '--cwd', project]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'inti'; did you mean 'init'? To plan a task of that name, run: rt-plan plan inti");
    expect(planFiles(project)).toEqual([]);
  });

  it('a reader closing the pipe early is not an error', () => {
    const project = copyProject(EXAMPLE);
    // Four scenarios make a plan larger than a pipe buffer, so writing after `head` exits hits EPIPE.
    const patterns = ['state-sync', 'voice', 'chat-collab', 'notifications'].map((p) => `--pattern ${p}`).join(' ');
    const r = spawnSync('sh', ['-c', `node "${BIN}" sync --cwd "${project}" --dry-run -q ${patterns} | head -c 10 > /dev/null`], {
      encoding: 'utf8',
      env: cleanEnv(),
    });
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it('.claude/doc as a file is an input error, not an internal one', () => {
    const project = copyProject(EXAMPLE);
    writeFileSync(path.join(project, '.claude/doc'), 'x');
    const r = run(['sync', '--cwd', project]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('cannot write into .claude/doc: it is a file, not a directory');
  });

  it('check --stale knows a plan made with --context', () => {
    const project = copyProject(EXAMPLE);
    mkdirSync(path.join(project, 'notes'));
    writeFileSync(path.join(project, 'notes/c.md'), 'Expect 777 concurrent users.\n');
    expect(run(['sync', '--cwd', project, '--stable-name', '--context', 'notes/*.md', '-q']).status).toBe(0);
    const fresh = run(['check', '--cwd', project, '--stale']);
    expect(fresh.status, fresh.stdout).toBe(0);
    writeFileSync(path.join(project, 'notes/c.md'), 'Expect 999 concurrent users.\n');
    expect(run(['check', '--cwd', project, '--stale']).status).toBe(1);
  });

  it('a failed --render leaves the written plan and reports one outcome', () => {
    const project = copyProject(EXAMPLE);
    const r = run(['sync', '--cwd', project, '--render', 'svg', '--json'], { env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' } });
    expect(r.status).toBe(3);
    const result = JSON.parse(r.stdout);
    expect(result.plan).toMatch(/^\.claude\/doc\/websocket-realtime-sync-/);
    expect(result.error).toEqual(
      expect.objectContaining({ code: 3, message: expect.stringContaining('PUPPETEER_EXECUTABLE_PATH=/nonexistent/chrome is not an executable file') }),
    );
    expect(planFiles(project)).toHaveLength(1);
  });
});
