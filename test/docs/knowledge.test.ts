import { describe, expect, it } from 'vitest';
import { appliesTo, effectiveVersion, KnowledgeNoteError, knowledgeFor, loadKnowledge, parseKnowledgeNote } from '../../src/docs/knowledge.js';

const ids = (library: string, version: string | null): string[] => knowledgeFor(library, version).map((n) => n.id);

describe('shipped knowledge notes', () => {
  const notes = loadKnowledge();

  it('all parse, cite public https sources and use the shared topic vocabulary', () => {
    expect(notes.length).toBe(26);
    const vocabulary = new Set([
      'heartbeat',
      'reconnect',
      'scaling',
      'sticky-sessions',
      'auth',
      'compression',
      'payload-limit',
      'resume',
      'ephemeral-token',
      'session-limits',
      'backpressure',
      'rooms',
      'presence',
      'signalling',
      'state-sync',
      'security',
      'defaults',
      'observability',
      'testing',
      // rt-plan's operations note: the standard codes, controls, reconnect snippet and load-test skeletons.
      'errors',
      'baseline-security',
      'reconnect-code',
      'load-test',
      'protocol-conventions',
      'edge-case-catalog',
      // A managed provider's plan limits and how it counts messages (the capacity table's quota rows).
      'quotas',
    ]);
    for (const note of notes) {
      expect(
        note.sources.every((s) => s.startsWith('https://')),
        note.id,
      ).toBe(true);
      expect(
        note.topics.filter((t) => !vocabulary.has(t)),
        note.id,
      ).toEqual([]);
      expect(note.body.length, note.id).toBeGreaterThan(400);
    }
  });

  it('covers every library the brief names', () => {
    for (const name of [
      'socket.io',
      'ws',
      '@fastify/websocket',
      'uWebSockets.js',
      'sse',
      'eventsource',
      'webrtc',
      '@socket.io/redis-adapter',
      '@socket.io/redis-streams-adapter',
      'yjs',
      'y-websocket',
      'openai-realtime',
      'gemini-live',
      'supabase-realtime',
      'livekit',
    ]) {
      expect(ids(name, null).length, name).toBeGreaterThan(0);
    }
  });
});

describe('knowledgeFor version ranges', () => {
  it.each([
    ['socket.io', '2.4.1', ['socket-io-v2']],
    ['socket.io', '^2.3.0', ['socket-io-v2']],
    ['socket.io', '3.1.2', ['socket-io-v3']],
    ['socket.io', '4.5.4', ['socket-io-v4']],
    ['socket.io', '4.7.5', ['socket-io-v4', 'socket-io-v4-recovery']],
    ['socket.io-client', '~4.6.1', ['socket-io-v4', 'socket-io-v4-recovery']],
    ['ws', '6.2.2', ['ws-legacy']],
    ['ws', '7.5.10', ['ws-legacy']],
    ['ws', '8.18.0', ['ws-8']],
    ['@fastify/websocket', '9.0.0', ['fastify-websocket-legacy']],
    ['@fastify/websocket', '10.0.1', ['fastify-websocket']],
    ['@socket.io/redis-adapter', '8.1.0', ['redis-adapter']],
    ['@socket.io/redis-adapter', '8.3.0', ['redis-adapter', 'redis-sharded-adapter']],
    ['express', '4.19.2', []],
  ] as const)('%s@%s → %j', (library, version, expected) => {
    expect(ids(library, version)).toEqual(expected);
  });

  it('with no version known assumes the current release line (open-ended ranges only)', () => {
    expect(ids('socket.io', null)).toEqual(['socket-io-v4', 'socket-io-v4-recovery']);
    expect(ids('socket.io', 'latest')).toEqual(['socket-io-v4', 'socket-io-v4-recovery']);
    expect(ids('ws', '*')).toEqual(['ws-8']);
    expect(ids('ws', 'github:websockets/ws')).toEqual(['ws-8']);
  });

  it('matches library names case-insensitively', () => {
    expect(ids('uWebSockets.js', null)).toEqual(['uwebsockets-js']);
  });
});

describe('helpers', () => {
  it('effectiveVersion reads exact versions, range floors and unknowns', () => {
    expect(effectiveVersion('v4.7.5')).toBe('4.7.5');
    expect(effectiveVersion('^2.3.0')).toBe('2.3.0');
    expect(effectiveVersion('>=8')).toBe('8.0.0');
    expect(effectiveVersion('latest')).toBeNull();
    expect(effectiveVersion(null)).toBeNull();
  });

  it('appliesTo honours prereleases of the matching line', () => {
    expect(appliesTo('>=4', '4.0.0-beta.1')).toBe(true);
    expect(appliesTo('<3', '3.0.0')).toBe(false);
  });

  it('parseKnowledgeNote rejects a note without sources or with a bad range', () => {
    expect(() => parseKnowledgeNote('x.md', '---\nlibrary: ws\ntitle: X\nversions: ">=8"\n---\nbody')).toThrow(KnowledgeNoteError);
    expect(() => parseKnowledgeNote('x.md', '---\nlibrary: ws\ntitle: X\nversions: "not a range"\nsources: [https://a.example]\n---\nbody')).toThrow(
      KnowledgeNoteError,
    );
    expect(
      parseKnowledgeNote(
        'templates/knowledge/x.md',
        '---\nlibrary: [WS]\ntitle: X\nversions: ">=8"\ntopics: [heartbeat]\nsources: https://a.example\n---\n\nbody\n',
      ),
    ).toEqual({
      id: 'x',
      file: 'templates/knowledge/x.md',
      libraries: ['ws'],
      versions: '>=8',
      topics: ['heartbeat'],
      sources: ['https://a.example'],
      title: 'X',
      body: 'body',
    });
  });
});
