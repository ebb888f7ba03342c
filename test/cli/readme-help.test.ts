// The README's Commands and Options tables against the CLI's own --help: every command and
// every option is in the tables, and no table row claims an option for a command that does
// not take it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, run } from './helpers.js';

const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');

function table(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  const body = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return body
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .slice(1)
    .map((l) =>
      l
        .replace(/\\\|/g, '¦')
        .split(' | ')
        .map((c) => c.replace(/^\| |\s*\|$/g, '')),
    );
}

const flags = (text: string) => [...text.matchAll(/(?<![\w-])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]!);

function helpOptions(command: string | null): string[] {
  const out = run([...(command ? [command] : []), '--help']).stdout;
  const from = out.indexOf('\nOptions:\n');
  const rest = out.slice(from + 1);
  const section = rest.slice(0, rest.search(/\n(Commands|Options shared|Examples)[^\n]*:\n|$/));
  const names = section
    .split('\n')
    .filter((l) => /^ {2}-/.test(l))
    .flatMap((l) => flags(l.trim().split(/\s{2,}/)[0]!));
  return names.filter((n) => n !== '-h' && n !== '--help');
}

const COMMANDS = ['plan', 'scan', 'check', 'verify', 'review', 'init', 'mcp'];

describe('README tables and --help', () => {
  it('lists every command of --help in the Commands table', () => {
    const out = run(['--help']).stdout;
    const listed = [...out.slice(out.indexOf('\nCommands:\n')).matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(listed.sort()).toEqual([...COMMANDS].sort());
    const rows = table('Commands').map((r) => r[0]!);
    for (const c of COMMANDS)
      expect(
        rows.some((r) => r.includes(`rt-plan ${c}`)),
        c,
      ).toBe(true);
  });

  it('has a row for every option of every command, naming that command, and claims no option a command lacks', () => {
    const rows = table('Options').map(([opts, commands]) => {
      const cell = commands!.trim();
      const applies = cell === 'all' ? COMMANDS : cell === 'all but mcp' ? COMMANDS.filter((c) => c !== 'mcp') : cell.split(/,\s*/);
      return { options: flags(opts!), applies };
    });
    const missing: string[] = [];
    const offered = new Map(COMMANDS.map((c) => [c, helpOptions(c)]));
    for (const [command, options] of offered) {
      for (const o of options) {
        if (!rows.some((r) => r.options.includes(o) && r.applies.includes(command))) missing.push(`${command} ${o}`);
      }
    }
    expect(missing).toEqual([]);
    const false_: string[] = [];
    for (const r of rows) {
      for (const c of r.applies) {
        if (c === 'rt-plan') continue;
        for (const o of r.options) if (!offered.get(c)?.includes(o) && !o.startsWith('--llm=')) false_.push(`${c} ${o}`);
      }
    }
    expect(false_).toEqual([]);
    expect(helpOptions(null)).toEqual(['-V', '--version']);
    expect(rows.some((r) => r.options.includes('--version') && r.applies.includes('rt-plan'))).toBe(true);
  });
});
