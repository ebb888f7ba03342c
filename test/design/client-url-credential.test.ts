// A credential in the Socket.IO client's URL never reaches the plan: the client snippet keeps the
// URL's origin and path, says its query string stays as today, and moves a credential to `auth`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/io/log.js';
import { preparePlan } from '../../src/pipeline.js';
import { NOW } from './inputs.js';

const TOKEN = '8f3a9c1e77b24d0a9e5f6c3b2a1d0e9f8c7b6a5d';
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'board',
    private: true,
    dependencies: { express: '^4.21.2', 'socket.io': '^4.8.1', 'socket.io-client': '^4.8.1', react: '^18.3.1' },
  }),
  'server/index.js': [
    "import express from 'express';",
    "import { createServer } from 'node:http';",
    "import { Server } from 'socket.io';",
    'const app = express();',
    'const server = createServer(app);',
    'const io = new Server(server);',
    "io.on('connection', (socket) => {",
    "  socket.on('join', (id) => socket.join(`workspace:${id}`));",
    "  socket.on('card:move', (card) => io.to(`workspace:${card.workspaceId}`).emit('card:moved', card));",
    '});',
    'server.listen(3000);',
    '',
  ].join('\n'),
  'web/src/socket.ts': `import { io } from 'socket.io-client';\nexport const socket = io('https://rt.example.com/board?token=${TOKEN}', { autoConnect: false });\n`,
  '.claude/tasks/context_session_1.md':
    '# Live board\n\nTeam members watch a workspace board; when a card moves, everyone viewing that workspace sees it within 300 ms p95. About 2,000 concurrent users.\n',
};

describe('the Socket.IO client snippet and a credential in the io() URL', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-url-cred-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Writes the project into `dir` and plans it offline: the plan's Markdown. */
  async function planOf(dir: string, files: Record<string, string>): Promise<string> {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const { markdown } = await preparePlan({
      cwd: dir,
      task: 'board',
      now: NOW,
      contextGlobs: [],
      docs: { mode: 'local', offline: true },
      options: {},
      env: {},
      log: silentLogger,
    });
    return markdown;
  }

  it('keeps origin and path, never the token, and says where the credential goes', async () => {
    const markdown = await planOf(root, FILES);
    expect(markdown).not.toContain(TOKEN);
    expect(markdown).not.toContain('board?token=');
    expect(markdown).toContain(
      "const socket = io('https://rt.example.com/board' /* the query string (or a token-like path segment, shown as {redacted}) as today (web/src/socket.ts:2), not copied into this plan; a credential in it moves to auth below */, {",
    );
  });

  it('replaces a token-like path segment of the URL in the plan', async () => {
    const dir = path.join(root, 'path-token');
    const files = {
      ...FILES,
      'web/src/socket.ts': `import { io } from 'socket.io-client';\nexport const socket = io('https://rt.example.com/board/${TOKEN}', { autoConnect: false });\n`,
    };
    const markdown = await planOf(dir, files);
    expect(markdown).not.toContain(TOKEN);
    expect(markdown).toContain(
      "io('https://rt.example.com/board/{redacted}' /* the query string (or a token-like path segment, shown as {redacted}) as today (web/src/socket.ts:2)",
    );
  });
});
