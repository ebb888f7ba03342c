// evaluateContract on hand-made contracts and analyses: the rules behind each status, and the
// one case the fixture runs never reach, a clean pass (ok, exit 0).
import { describe, expect, it } from 'vitest';
import { evaluateContract } from '../../src/contract/evaluate.js';
import { countsLine, formatVerify } from '../../src/contract/format.js';
import { CONTRACT_SCHEMA, type Contract } from '../../src/contract/types.js';
import type { Analysis, Finding, RtEvent } from '../../src/types.js';

function contract(over: Partial<Contract> = {}): Contract {
  return {
    schema: CONTRACT_SCHEMA,
    task: 't',
    generatedAt: '2026-11-21T10:15:00.000Z',
    transport: 'websocket',
    library: 'ws',
    events: [
      {
        name: 'room:join',
        direction: 'client-to-server',
        origin: 'proposed',
        sender: ['client'],
        handler: ['server'],
        payloadType: 'RoomJoinPayload',
        channel: 'room/{roomId}',
        check: 'analyzer',
      },
    ],
    settings: [{ id: 'heartbeat-interval', value: 30_000, planned: 'server ping every 30,000 ms', check: 'analyzer' }],
    findings: [{ id: 'no-origin-check', severity: 'high', evidence: 'src/server.js:9', message: 'Handshakes are accepted from any Origin' }],
    criteria: [
      {
        id: 'AC-1',
        requirement: 'event protocol',
        ears: 'WHEN the client sends room:join (RoomJoinPayload) THEN the server SHALL handle it',
        check: 'analyzer',
        item: 'event:room:join',
      },
    ],
    ...over,
  };
}

function analysis(events: RtEvent[], findings: Finding[], intervalMs?: number): Analysis {
  return {
    project: { name: 'p', packageManager: null, packages: [], sourceFiles: [], typescript: false },
    stack: {
      transports: ['websocket'],
      providers: [],
      libraries: [],
      scaling: [],
      auth: [],
      heartbeat: { present: true, evidence: 'src/server.js:40', ...(intervalMs === undefined ? {} : { intervalMs }) },
      reconnect: { present: false, evidence: null },
      entrypoints: [{ file: 'src/server.js', line: 9, kind: 'ws-server' }],
      frameworks: [],
    },
    events,
    findings,
    warnings: [],
  };
}

const join = (direction: RtEvent['direction']): RtEvent => ({
  name: 'room:join',
  direction,
  origin: 'existing',
  evidence: 'src/server.js:20',
  transport: 'websocket',
});
const finding = (id: string, evidence: string, message = 'm'): Finding => ({ id, severity: 'high', message, evidence, fix: 'f' });

describe('evaluateContract', () => {
  it('passes when every required item is there and the listed finding is gone (ok: exit 0)', () => {
    const e = evaluateContract(contract(), analysis([join('client-to-server')], [], 30_000));
    expect(e.ok).toBe(true);
    expect(e.items.map((i) => [i.id, i.status, i.evidence])).toEqual([
      ['room:join', 'done', 'src/server.js:20'],
      ['heartbeat-interval', 'done', 'src/server.js:40'],
    ]);
    expect(e.findings).toEqual([{ id: 'no-origin-check', planned: 'src/server.js:9', status: 'fixed', evidence: null }]);
    expect(e.criteria).toEqual([
      { id: 'AC-1', ears: 'WHEN the client sends room:join (RoomJoinPayload) THEN the server SHALL handle it', check: 'analyzer', status: 'done' },
    ]);
    expect(countsLine(e)).toBe('2 done, 0 partial, 0 missing, 0 manual; findings: 1 fixed, 0 still present');
  });

  it('fails on a finding still present in the same file, even when its line moved', () => {
    const e = evaluateContract(contract(), analysis([join('client-to-server')], [finding('no-origin-check', 'src/server.js:12')], 30_000));
    expect(e.ok).toBe(false);
    expect(e.findings).toEqual([{ id: 'no-origin-check', planned: 'src/server.js:9', status: 'still-present', evidence: 'src/server.js:12' }]);
  });

  it('calls an event found in the wrong direction partial, and a missing one missing', () => {
    expect(evaluateContract(contract(), analysis([join('server-to-client')], [], 30_000)).items[0]).toMatchObject({
      status: 'partial',
      detail: 'found server → client only',
    });
    const gone = evaluateContract(contract(), analysis([], [], 30_000));
    expect(gone.items[0]).toMatchObject({ status: 'missing', evidence: null, required: true });
    expect(gone.ok).toBe(false);
  });

  it('calls a ws heartbeat without a stated interval partial, never done', () => {
    expect(evaluateContract(contract(), analysis([join('client-to-server')], [], undefined)).items[1]).toMatchObject({
      status: 'partial',
      detail: 'heartbeat found, its interval not stated in the code',
    });
    expect(evaluateContract(contract(), analysis([join('client-to-server')], [], 25_000)).items[1]).toMatchObject({
      status: 'partial',
      detail: 'planned 30 s, found 25 s',
    });
  });

  it('never counts a provider key in client code as handshake authentication', () => {
    const c = contract({
      settings: [{ id: 'handshake-auth', value: 'ephemeral-token', planned: 'ephemeral-token at the handshake', check: 'analyzer' }],
      criteria: [],
    });
    const a = analysis([join('client-to-server')], []);
    a.stack.auth = [{ kind: 'api-key-in-client', evidence: 'src/live.ts:5' }];
    expect(evaluateContract(c, a).items[1]).toMatchObject({
      status: 'partial',
      evidence: 'src/live.ts:5',
      detail: 'a provider API key is reachable from client code',
    });
    a.stack.auth = [{ kind: 'ephemeral-token', evidence: 'server/token.ts:3' }];
    expect(evaluateContract(c, a).items[1]).toMatchObject({ status: 'done', evidence: 'server/token.ts:3', detail: null });
  });

  it('keeps every line of the text report within 80 columns, even for long names', () => {
    const long = 'x'.repeat(90);
    const c = contract({ events: [{ ...contract().events[0]!, name: long }], criteria: [] });
    const text = formatVerify({ plan: `.claude/doc/${long}.md`, transport: 'websocket', library: 'ws' }, evaluateContract(c, analysis([], [], 30_000)));
    expect(text.split('\n').filter((l) => l.length > 80)).toEqual([]);
  });
});

describe('a finding the design made from an analyzer fact', () => {
  // repeat-counted-again (design/once-per.ts) stands on the analyzer's repeat-accumulates fact: still present while it is.
  const planned = contract({ findings: [{ id: 'repeat-counted-again', severity: 'medium', evidence: 'src/game.ts:28', message: 'counts again' }] });
  const fact = {
    kind: 'repeat-accumulates' as const,
    name: 'handleAnswer',
    store: 'player.score',
    value: 'src/index.ts:22',
    evidence: 'src/game.ts:28',
    note: 'n',
  };

  it('is still present while the fact is, and fixed once it is gone', () => {
    const a = analysis([], []);
    expect(evaluateContract(planned, { ...a, modelFacts: [fact] }).findings[0]?.status).toBe('still-present');
    expect(evaluateContract(planned, a).findings[0]?.status).toBe('fixed');
  });
});
