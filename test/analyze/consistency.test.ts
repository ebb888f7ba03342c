// Every rule over every fixture project: no finding may contradict a fact of the model
// (model/consistency.ts). The last tests inject contradictions and check they are caught.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeProjectModel } from '../../src/analyze/index.js';
import { contradictions } from '../../src/analyze/model/consistency.js';
import type { Finding } from '../../src/types.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'projects');
const CASES = readdirSync(FIXTURES)
  .filter((n) => /^(scan|model|plan|pkg)-/.test(n))
  .sort();

const fake = (id: string, evidence: string, message: string): Finding => ({ id, severity: 'high', message, evidence, fix: 'x' });

describe('findings are consistent with the model', () => {
  it.each(CASES)('%s', async (name) => {
    const m = await analyzeProjectModel(path.join(FIXTURES, name));
    expect(contradictions(m).map((c) => `${c.finding.id} at ${c.finding.evidence}: ${c.fact}`)).toEqual([]);
  });

  it('catches no-heartbeat on a server whose ping loop lives in a helper module', async () => {
    const m = await analyzeProjectModel(path.join(FIXTURES, 'model-ws-envelopes'));
    m.analysis.findings.push(fake('no-heartbeat', 'src/server/index.ts:11', 'WebSocket server never pings its clients, so dead connections are not detected'));
    expect(contradictions(m).map((c) => c.fact)).toEqual(["a server heartbeat is on that server's path (src/server/heartbeat.ts:9)"]);
  });

  it('catches client-only while a server entrypoint of any framework exists', async () => {
    const m = await analyzeProjectModel(path.join(FIXTURES, 'model-nest-gateway'));
    m.analysis.findings.push(fake('client-only', 'client/src/lib/socket.ts:12', 'Client-side real-time code only'));
    expect(contradictions(m).map((c) => c.fact)).toEqual(['a server entrypoint exists (src/chat/chat.gateway.ts:17, socket-server)']);
  });

  it('catches no-handshake-auth while a verified token is read at connection, and claims from test files', async () => {
    const m = await analyzeProjectModel(path.join(FIXTURES, 'scan-ws-server'));
    m.analysis.findings.push(fake('no-handshake-auth', 'src/server.js:9', 'Connections are accepted without any authentication check at the handshake'));
    m.analysis.findings.push(fake('no-origin-check', 'test/server.test.js:3', 'Handshakes are accepted from any Origin'));
    expect(contradictions(m).map((c) => c.fact)).toEqual(['a handshake gate exists (src/server.js:12)', 'the evidence is a test, example or demo file']);
  });

  it('catches no-heartbeat and no-reconnect against a managed provider, and client-only beside a PartyKit room', async () => {
    const ably = await analyzeProjectModel(path.join(FIXTURES, 'model-ably-token'));
    ably.analysis.findings.push(fake('no-heartbeat', 'web/src/realtime/client.ts:4', 'WebSocket client sends no heartbeat'));
    ably.analysis.findings.push(
      fake('no-handshake-auth', 'server/src/lib/ably.js:4', 'Connections are accepted without any authentication check at the handshake'),
    );
    expect(contradictions(ably).map((c) => c.fact)).toEqual([
      'the ably SDK keeps its connection alive itself (web/src/realtime/client.ts:4)',
      'a verified credential is read at connection (server/src/routes/ably-token.js:9, ephemeral-token)',
    ]);
    const livekit = await analyzeProjectModel(path.join(FIXTURES, 'model-livekit-data'));
    livekit.analysis.findings.push(fake('no-reconnect', 'components/StandupRoom.tsx:9', 'The client does not reconnect'));
    expect(contradictions(livekit).map((c) => c.fact)).toEqual(['the livekit SDK reconnects by itself (components/StandupRoom.tsx:9)']);
    const party = await analyzeProjectModel(path.join(FIXTURES, 'model-partykit-room'));
    party.analysis.findings.push(fake('client-only', 'src/usePartyCursors.ts:11', 'Client-side real-time code only'));
    expect(contradictions(party).map((c) => c.fact)).toEqual(['a server entrypoint exists (party/server.ts:4, ws-server)']);
  });
});
