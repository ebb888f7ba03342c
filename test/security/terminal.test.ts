// Terminal-safe output: escape sequences and bidi overrides from a project are shown escaped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inert } from '../../src/shared/inert.js';
import { DATE, planFiles, run } from '../cli/helpers.js';
import { SESSION, makeProject } from './project.js';

const ESC = '\u001b';
const RLO = '\u202e';
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('escape sequences and bidi overrides', () => {
  it('never reach stdout, stderr or the plan raw', () => {
    const project = makeProject({
      'package.json': JSON.stringify({ name: `app${ESC}]0;pwned${ESC}\\`, version: '1.0.0', dependencies: { 'socket.io': '^4.7.0' } }),
      [SESSION]: `# Board${ESC}[2J\n\nCards move live; expect 2,000 concurrent users${RLO}txt.exe.\n`,
      'src/server.js': `import { Server } from 'socket.io';\nconst io = new Server(3000);\nio.on('connection', (s) => s.on('card${ESC}[31m:move${RLO}', () => {}));\n`,
      [`src/bad${ESC}[2Kname.js`]: Buffer.from([0x69, 0x6f, 0x28, 0xff, 0xfe, 0x29, 0x73, 0x6f, 0x63, 0x6b, 0x65, 0x74, 0x2e, 0x69, 0x6f]),
    });
    const outputs: string[] = [];
    const plan = ['sync-architecture', '--cwd', project, '--date', DATE];
    const scan = ['scan', '--cwd', project];
    for (const args of [[...plan, '--dry-run', '--verbose'], [...plan, '--json'], plan, [...scan, '--verbose'], [...scan, '--json']]) {
      const r = run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    outputs.push(readFileSync(path.join(project, '.claude/doc', planFiles(project)[0]!), 'utf8'));
    // With colours on, rt-plan's own colour codes pass; the project's escape sequence does not.
    const coloured = run([...scan, '--verbose'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
    expect(coloured.stdout + coloured.stderr).not.toContain(`card${ESC}`);
    expect(coloured.stdout).toContain('card\\u001b[31m:move');
    expect(outputs.filter((text) => RAW.test(text))).toEqual([]);
    expect(outputs.join('\n')).toContain('card\\u001b[31m:move\\u202e');
  });

  it('inert() writes visible escapes and keeps newlines and tabs', () => {
    expect(inert(`a${ESC}[31mb\tc\r\nd\re${RLO}`)).toBe('a\\u001b[31mb\tc\r\nd\\u000de\\u202e');
  });
});
