import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiSpec, parseProjectDoc, readProjectDocs } from '../../src/docs/project-docs.js';
import { fixture } from './helpers.js';

describe('parseProjectDoc', () => {
  it('keeps only real-time sections, with their sub-sections, file and line', () => {
    const text =
      '# App\nA todo app.\n\n## Install\nnpm i\n\n## Live updates\nWe push changes over WebSocket.\n\n### Heartbeat\nping every 30 s\n\n## License\nMIT\n';
    const refs = parseProjectDoc('README.md', text);
    expect(refs.map((r) => [r.reference, r.title, r.excerpt, r.topics])).toEqual([
      ['README.md:7', 'Live updates', 'We push changes over WebSocket.\n\n### Heartbeat\nping every 30 s', ['heartbeat']],
    ]);
  });

  it('keeps a real-time ADR whole and ignores off-topic documents', () => {
    expect(parseProjectDoc('docs/adr/0001-db.md', '# 1. Use Postgres\n\n## Decision\nPostgres 16.')).toEqual([]);
    const adr = parseProjectDoc('adr/0002-sse.md', '# 2. Use SSE for notifications\n\n## Decision\nServer-sent events.');
    expect(adr.map((r) => [r.reference, r.title])).toEqual([['adr/0002-sse.md:1', '2. Use SSE for notifications']]);
  });
});

describe('parseApiSpec', () => {
  it('summarises AsyncAPI channels, operations and messages', () => {
    const spec = parseApiSpec('asyncapi.yaml', 'asyncapi: 3.0.0\ninfo:\n  title: Chat\n  version: 1.0.0\nchannels:\n  room: {}\noperations:\n  send: {}\n');
    expect(spec?.title).toBe('AsyncAPI 3.0.0: Chat');
    expect(spec?.excerpt).toBe('Channels: room\nOperations: send');
  });

  it('keeps OpenAPI only when it streams, and ignores other YAML', () => {
    expect(parseApiSpec('openapi.yaml', 'openapi: 3.1.0\ninfo:\n  title: Shop\npaths:\n  /items: {}\n')).toBeNull();
    const sse = parseApiSpec(
      'openapi.json',
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'Feed' },
        paths: { '/events': { get: { responses: { 200: { content: { 'text/event-stream': {} } } } } }, '/items': {} },
      }),
    );
    expect(sse?.excerpt).toBe('Streaming paths: /events');
    expect(parseApiSpec('config.yaml', 'name: app\n')).toBeNull();
  });
});

describe('readProjectDocs', () => {
  it('reads README, CLAUDE.md, ADRs and the AsyncAPI spec of docs-local', async () => {
    const { candidates, notices } = await readProjectDocs(fixture('docs-local'));
    expect(notices).toEqual([]);
    expect(candidates.map((c) => [c.reference, c.title])).toEqual([
      ['CLAUDE.md:7', 'WebSocket rules'],
      ['README.md:9', 'Real-time'],
      ['docs/adr/0003-websockets.md:1', '3. Use Socket.IO for live board updates'],
      ['docs/asyncapi.yaml:1', 'AsyncAPI 3.0.0: Team Board events'],
    ]);
    expect(candidates[1]?.excerpt).toContain('### Reconnection');
    expect(candidates[2]?.topics).toEqual(['heartbeat', 'reconnect', 'scaling', 'sticky-sessions', 'rooms']);
  });

  it('finds nothing in a project without docs', async () => {
    expect(await readProjectDocs(fixture('docs-none'))).toEqual({ candidates: [], notices: [] });
  });

  describe('bad files', () => {
    let dir = '';
    afterEach(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('skips binary, non-UTF-8 and huge files with one notice each', async () => {
      dir = await mkdtemp(join(tmpdir(), 'rtplan-docs-'));
      await mkdir(join(dir, 'docs'), { recursive: true });
      await writeFile(join(dir, 'README.md'), '# App\n\n## Realtime\nWebSocket chat.\n');
      await writeFile(join(dir, 'docs', 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]));
      await writeFile(join(dir, 'docs', 'latin1.md'), Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
      await writeFile(join(dir, 'docs', 'huge.md'), `# Huge\n${'websocket '.repeat(60_000)}`);
      const { candidates, notices } = await readProjectDocs(dir);
      expect(candidates.map((c) => c.reference)).toEqual(['README.md:3']);
      expect(notices).toEqual([
        'Skipped docs/binary.md: binary file, not text',
        'Skipped docs/huge.md: too large (586 KB; the limit is 512 KB)',
        'Skipped docs/latin1.md: not valid UTF-8 text',
      ]);
    });
  });
});
