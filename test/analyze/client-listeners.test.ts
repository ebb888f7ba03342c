// model facts unguarded-listener-parse and listener-kept: a client listener on its connection
// object that parses outside try/catch, and an effect's listener its cleanup does not take off.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/types.js';
import { analyzeTree } from './tree.js';

const facts = (a: Analysis) =>
  (a.modelFacts ?? []).filter((f) => f.kind === 'unguarded-listener-parse' || f.kind === 'listener-kept').map((f) => [f.kind, f.name, f.evidence]);
const pkg = JSON.stringify({ name: 'x', dependencies: { react: '^18.3.1' } });
const component = (body: string[]) =>
  analyzeTree({
    'package.json': pkg,
    'src/Live.tsx': [
      "import { useEffect, useState } from 'react';",
      'export function Live() {',
      "  const [ws] = useState(() => new WebSocket('wss://example.test/live'));",
      '  const [items, setItems] = useState([]);',
      '  useEffect(() => {',
      ...body,
      '  }, [ws]);',
      '  return null;',
      '}',
      '',
    ].join('\n'),
  });

describe('client listeners', () => {
  it('LiveKit: the DataReceived listener parses outside try/catch, and the inline Disconnected listener is never taken off', async () => {
    const a = await analyzeProject(path.join(import.meta.dirname, '..', 'fixtures', 'projects', 'model-livekit-data'));
    expect(facts(a)).toEqual([
      ['unguarded-listener-parse', 'RoomEvent.DataReceived', 'components/StandupRoom.tsx:15'],
      ['listener-kept', 'RoomEvent.Disconnected', 'components/StandupRoom.tsx:20'],
    ]);
  });
  it("an inline listener the cleanup cannot name is reported; a browser WebSocket's addEventListener parse is not (an EventTarget reports the throw and goes on)", async () => {
    const a = await component([
      '    const onMessage = (e) => setItems((p) => [...p, JSON.parse(e.data)]);',
      "    ws.addEventListener('message', onMessage);",
      "    ws.addEventListener('close', () => setItems([]));",
      "    return () => ws.removeEventListener('message', onMessage);",
    ]);
    expect(facts(a)).toEqual([['listener-kept', 'close', 'src/Live.tsx:8']]);
  });
  it("an emitter's listener (socket.on) parsing outside try/catch is reported: the emitter's emit rethrows it", async () => {
    const a = await analyzeTree({
      'package.json': JSON.stringify({ name: 'x', dependencies: { 'socket.io-client': '^4.8.1' } }),
      'src/live.ts': [
        "import { io } from 'socket.io-client';",
        "const socket = io('/board');",
        "socket.on('card', (raw) => render(JSON.parse(raw)));",
        "const es = new EventSource('/events');",
        "es.addEventListener('status', (e) => render(JSON.parse(e.data)));",
        '',
      ].join('\n'),
    });
    expect(facts(a)).toEqual([['unguarded-listener-parse', 'card', 'src/live.ts:3']]);
  });
  it('a parse inside try/catch and a listener taken off by name are not reported', async () => {
    const a = await component([
      '    const onMessage = (e) => {',
      '      try {',
      '        setItems((p) => [...p, JSON.parse(e.data)]);',
      '      } catch {',
      '        return;',
      '      }',
      '    };',
      "    ws.addEventListener('message', onMessage);",
      "    return () => ws.removeEventListener('message', onMessage);",
    ]);
    expect(facts(a)).toEqual([]);
  });
  it('a cleanup that closes the connection without taking listeners off one by one says nothing about them', async () => {
    const a = await component(["    ws.addEventListener('close', () => setItems([]));", '    return () => ws.close();']);
    expect(facts(a)).toEqual([]);
  });
  // socket.io-client's emitter (component-emitter): `off(event)` with no handler removes every listener of that event.
  it("Socket.IO: off('event') with no handler is the cleanup of that event's inline listeners; another event's is not", async () => {
    const socketFile = (cleanup: string[]) =>
      analyzeTree({
        'package.json': JSON.stringify({ name: 'x', dependencies: { react: '^18.3.1', 'socket.io-client': '^4.8.1' } }),
        'src/Board.tsx': [
          "import { useEffect, useState } from 'react';",
          "import { io } from 'socket.io-client';",
          "const socket = io('/board');",
          'export function Board() {',
          '  const [cards, setCards] = useState([]);',
          '  useEffect(() => {',
          "    socket.on('connect', () => setCards([]));",
          "    socket.on('card:moved', (c) => setCards((cs) => [...cs, c]));",
          '    return () => {',
          ...cleanup,
          '    };',
          '  }, []);',
          '  return null;',
          '}',
          '',
        ].join('\n'),
      });
    expect(facts(await socketFile(["      socket.off('connect');", "      socket.off('card:moved');", '      socket.disconnect();']))).toEqual([]);
    expect(facts(await socketFile(["      socket.off('connect');", "      socket.off('disconnect');"]))).toEqual([
      ['listener-kept', 'card:moved', 'src/Board.tsx:8'],
    ]);
  });
});
