// No detected secret in any output: plan, AsyncAPI, --json, scan, stdout and stderr.
// Key-shaped values are assembled at run time so that none is committed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../src/shared/redact.js';
import { DATE, run } from '../cli/helpers.js';
import { SESSION, makeProject } from './project.js';

const rep = (s: string, n: number) => s.repeat(n);
const KEYS = {
  github: 'ghp' + '_' + rep('Ab3dE', 8) + 'Zz9q',
  urlPassword: 'S3cr3t' + 'Passw0rdXyz42',
  anthropic: 'sk-' + 'ant-api03-' + rep('Qw7eR', 6),
  openai: 'sk-' + 'proj-' + rep('Lm4nO', 6),
  aws: 'AKIA' + 'QWERTYUIOP123456',
  stripe: 'sk_' + 'live_' + rep('9aB8c', 5),
  roomSecret: 'Tq8vW2xZ4' + 'mN6pR1sK3yB5cF7hJ9lD0gA',
  eventSecret: 'rk_' + 'live_' + rep('7yU6t', 5),
};

function hostileProject(): string {
  return makeProject({
    'package.json': JSON.stringify({
      name: 'leaky-app',
      version: '1.0.0',
      dependencies: {
        'socket.io': `git+https://deploy:${KEYS.github}@github.com/socketio/socket.io.git`,
        express: '^4.19.0',
        ws: `https://ci:${KEYS.urlPassword}@registry.acme.internal/ws-8.18.0.tgz`,
      },
    }),
    'README.md': `# Leaky board\n\n## Real-time\n\nCards move live over Socket.IO; set OPENAI_API_KEY=${KEYS.openai} and the Anthropic key ${KEYS.anthropic} before you start.\n`,
    'docs/realtime.md': `# Real-time notes\n\n## Rooms\n\nEach board is a Socket.IO room. The staging AWS key is ${KEYS.aws}.\n`,
    [SESSION]: `# Board sync\n\nExpect 5,000 concurrent users; the payment key ${KEYS.stripe} must stay server-side.\nUpdates must arrive within 200 ms.\n`,
    'src/server.js': [
      "import { Server } from 'socket.io';",
      'const io = new Server(3000);',
      `const roomSecret = '${KEYS.roomSecret}';`,
      "io.on('connection', (socket) => {",
      '  socket.join(roomSecret);',
      `  socket.on('card:move', (card) => io.to(roomSecret).emit('${KEYS.eventSecret}', card));`,
      '});',
      '',
    ].join('\n'),
  });
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...filesUnder(abs));
    else out.push(abs);
  }
  return out;
}

function leaks(text: string): string[] {
  return Object.entries(KEYS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

describe('no detected secret leaves the process', () => {
  it('redacts every path: plan, AsyncAPI, --json, scan, stdout and stderr', () => {
    const project = hostileProject();
    const outputs: Record<string, string> = {};
    const runs = {
      plan: ['sync-architecture', '--cwd', project, '--date', DATE, '--asyncapi'],
      planJson: ['sync-architecture', '--cwd', project, '--date', DATE, '--json'],
      dryRun: ['sync-architecture', '--cwd', project, '--date', DATE, '--dry-run', '--verbose'],
      scan: ['scan', '--cwd', project, '--verbose'],
      scanJson: ['scan', '--cwd', project, '--json'],
    };
    for (const [name, args] of Object.entries(runs)) {
      const r = run(args);
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      outputs[`${name} stdout`] = r.stdout;
      outputs[`${name} stderr`] = r.stderr;
    }
    const written = filesUnder(path.join(project, '.claude/doc'));
    expect(written.some((f) => f.endsWith('.asyncapi.yaml'))).toBe(true);
    for (const file of written) outputs[path.basename(file)] = readFileSync(file, 'utf8');
    const found = Object.entries(outputs).flatMap(([where, text]) => leaks(text).map((key) => `${key} in ${where}`));
    expect(found).toEqual([]);
    // The redaction is visible, so a reader knows something was there.
    expect(outputs['scanJson stdout']).toContain('«redacted: url-credentials»@github.com');
    expect(outputs['planJson stdout']).toContain('«redacted: stripe-secret-key»');
    const events = (JSON.parse(outputs['planJson stdout']!) as { events: { name: string }[] }).events.map((e) => e.name);
    expect(events).toContain('«redacted: stripe-secret-key»');
  });
});

describe('redact()', () => {
  it.each([
    [`git+https://deploy:${KEYS.github}@github.com/a/b.git`, 'git+https://«redacted: url-credentials»@github.com/a/b.git'],
    [`https://${KEYS.github}@github.com/a/b.git`, 'https://«redacted: url-credentials»@github.com/a/b.git'],
    [`https://user:${KEYS.urlPassword}@host/x`, 'https://«redacted: url-credentials»@host/x'],
    [`key ${KEYS.anthropic}.`, 'key «redacted: anthropic-api-key».'],
    [`OPENAI_API_KEY=${KEYS.openai}`, 'OPENAI_API_KEY=«redacted: openai-api-key»'],
    [`clientSecret: "${KEYS.roomSecret}"`, 'clientSecret: "«redacted: generic-secret»"'],
    ['ssh://git@github.com/a/b.git and https://example.com/a', 'ssh://git@github.com/a/b.git and https://example.com/a'],
    ['apiKey: process.env.API_KEY', 'apiKey: process.env.API_KEY'],
    // '_' and '-' do not hide a token: event names built around one are redacted too.
    [`token_${KEYS.github}`, 'token_«redacted: github-token»'],
    [`${KEYS.github}-ok`, '«redacted: github-token»-ok'],
    // A query value under a credential's name, which the assignment pass reads as part of the URL.
    [
      "io('https://rt.example.com/board?token=8f3a9c1e77b24d0a9e5f6c3b2a1d0e9f8c7b6a5d', {",
      "io('https://rt.example.com/board?token=«redacted: url-query-credential»', {",
    ],
    ['wss://h/ws?room=r1&access_token=abcdefgh12345678&v=2', 'wss://h/ws?room=r1&access_token=«redacted: generic-secret»&v=2'],
    ['/hook?sig=0a1b2c3d4e5f6a7b', '/hook?sig=«redacted: url-query-credential»'],
    ["query: 'token=8f3a9c1e77b24d0a9e5f'", "query: 'token=«redacted: url-query-credential»'"],
    // Names and short values are not credentials; a template's expression is not a value.
    ['wss://h/ws?room=general-chat&page=12', 'wss://h/ws?room=general-chat&page=12'],
    ['`/ws?token=${token}`', '`/ws?token=${token}`'],
    ['/ws?token=abc', '/ws?token=abc'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  // The `name = value` pattern let a name start anywhere in a run of word characters and grow
  // to its end: a session line of 100,000 letters took 34 s (quadratic). Names now stop at 128
  // characters; a quadratic pattern makes this test time out.
  it('stays linear on a long run of word characters, and still judges the value after it', () => {
    const run = 'x'.repeat(300_000);
    expect(redact(`${run} clientSecret: "${KEYS.roomSecret}"`)).toBe(`${run} clientSecret: "«redacted: generic-secret»"`);
    expect(redact('1e1'.repeat(100_000))).toBe('1e1'.repeat(100_000));
  });
});
