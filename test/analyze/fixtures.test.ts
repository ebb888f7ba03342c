// The fixture matrix (antfu/ni style): one small real project per case under
// test/fixtures/projects/scan-*, each with a hand-reviewed expected.json of the exact
// stack, events, findings, warnings and scanned files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/types.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'projects');
const CASES = readdirSync(FIXTURES)
  .filter((n) => n.startsWith('scan-'))
  .sort();

function comparable(a: Analysis): unknown {
  return {
    sourceFiles: a.project.sourceFiles,
    stack: a.stack,
    events: a.events,
    findings: a.findings.map(({ id, severity, evidence, message }) => ({ id, severity, evidence, message })),
    warnings: a.warnings,
  };
}

describe('scan fixture matrix', () => {
  it('has the cases the brief asks for', () => {
    expect(CASES).toEqual([
      'scan-fastify-ws',
      'scan-gemini-live',
      'scan-gemini-live-hook',
      'scan-livekit',
      'scan-monorepo',
      'scan-nextjs-stream',
      'scan-no-realtime',
      'scan-openai-webrtc',
      'scan-published-build',
      'scan-pusher-ably',
      'scan-react-client',
      'scan-react-client-v3',
      'scan-secrets',
      'scan-socketio-cluster',
      'scan-socketio-companion-switch',
      'scan-socketio-express',
      'scan-socketio-modules',
      'scan-socketio-modules-noauth',
      'scan-socketio-token-decode',
      'scan-sse-express',
      'scan-supabase',
      'scan-traps',
      'scan-user-sockets',
      'scan-uws',
      'scan-webrtc-p2p',
      'scan-ws-guarded',
      'scan-ws-noserver',
      'scan-ws-reconnect',
      'scan-ws-server',
    ]);
  });

  it.each(CASES)('%s gives exactly the expected analysis and prints nothing', async (name) => {
    const spies = (['log', 'error', 'warn', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const analysis = await analyzeProject(path.join(FIXTURES, name));
      const expected: unknown = JSON.parse(readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8'));
      expect(comparable(analysis)).toEqual(expected);
      for (const s of [...spies, stdout, stderr]) expect(s).not.toHaveBeenCalled();
      // Every finding carries the rule's text and a public source.
      for (const f of analysis.findings) {
        expect(f.fix.length).toBeGreaterThan(20);
        expect(f.source).toMatch(/^https:\/\//);
      }
    } finally {
      for (const s of [...spies, stdout, stderr]) s.mockRestore();
    }
  });

  it('is deterministic: the same tree gives a deep-equal result', async () => {
    const dir = path.join(FIXTURES, 'scan-monorepo');
    expect(await analyzeProject(dir)).toEqual(await analyzeProject(dir));
  });

  it('reports progress through the callback only', async () => {
    const messages: string[] = [];
    await analyzeProject(path.join(FIXTURES, 'scan-ws-server'), { onProgress: (m) => messages.push(m) });
    expect(messages).toEqual(['reading package manifests', 'walking source files', 'scanning 2 source files', 'parsed 2 of 2 source files']);
  });
});

describe('traps do not fire', () => {
  it('ignores commented-out code, UI text, force-close timers, unrelated unsubscribe, dist/ and minified files', async () => {
    const a = await analyzeProject(path.join(FIXTURES, 'scan-traps'));
    expect(a.stack.transports).toEqual(['websocket']);
    expect(a.stack.libraries.map((l) => l.name)).toEqual(['ws']);
    expect(a.stack.heartbeat).toEqual({ present: false, evidence: null });
    expect(a.stack.reconnect).toEqual({ present: false, evidence: null });
    expect(a.events).toEqual([]);
    expect(a.project.sourceFiles).toEqual(['src/Banner.jsx', 'src/server.js', 'src/store.js']);
    expect(a.findings.map((f) => f.id)).not.toContain('listener-not-cleaned-up');
    expect(a.findings.map((f) => f.id)).not.toContain('token-in-query');
    expect(a.stack.entrypoints).toEqual([{ file: 'src/server.js', line: 14, kind: 'ws-server' }]);
  });
});
