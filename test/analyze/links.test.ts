// Sends and listeners reached through another module (model/links.ts): a broadcast helper in
// rooms.ts, a React context's emit/subscribe, a hook over react-use-websocket's sendJsonMessage.
// Each layout is a small tree; events are asserted exactly, with the caller's line as evidence.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function events(files: Record<string, string>): Promise<string[]> {
  const a = await analyzeTree(files);
  return a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`);
}

const WS_PKG = JSON.stringify({ name: 'x', type: 'module', dependencies: { ws: '^8.18.0', react: '^18.3.1' } });
const ROOMS =
  "import type { WebSocket } from 'ws';\nconst rooms = new Map<string, Set<WebSocket>>();\nexport function broadcast(room: string, event: string, data: unknown): void {\n  const frame = JSON.stringify({ event, data });\n  for (const ws of rooms.get(room) ?? []) ws.send(frame);\n}\n";
const SERVER =
  "import { WebSocketServer } from 'ws';\nimport { onMessage } from './handlers.js';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => ws.on('message', (raw) => onMessage(ws, JSON.parse(String(raw)))));\n";

describe('a broadcast helper imported from another module', () => {
  it('names the event at the call', async () => {
    const got = await events({
      'package.json': WS_PKG,
      'src/server.ts': SERVER,
      'src/rooms.ts': ROOMS,
      'src/handlers.ts':
        "import { broadcast as fanOut } from './rooms.js';\nexport function onMessage(ws: unknown, msg: { type: string; room: string }) {\n  switch (msg.type) {\n    case 'edit':\n      fanOut(msg.room, 'patched', msg);\n  }\n}\n",
    });
    expect(got.filter((e) => e.startsWith('patched'))).toEqual(['patched server-to-client src/handlers.ts:5']);
  });

  it('a local function of the same name is not the helper', async () => {
    const got = await events({
      'package.json': WS_PKG,
      'src/server.ts': SERVER,
      'src/rooms.ts': ROOMS,
      'src/handlers.ts':
        "function broadcast(room: string, event: string, data: unknown) { console.log(room, event, data); }\nexport function onMessage(ws: unknown, msg: { type: string; room: string }) {\n  switch (msg.type) {\n    case 'edit':\n      broadcast(msg.room, 'patched', msg);\n  }\n}\n",
    });
    expect(got.filter((e) => e.startsWith('patched'))).toEqual([]);
  });
});

const PROVIDER =
  "import { createContext, useCallback, useContext, useRef, type ReactNode } from 'react';\nconst Ctx = createContext<any>(null);\nexport function SocketProvider({ children }: { children: ReactNode }) {\n  const ws = useRef(new WebSocket('wss://x.example/ws'));\n  const listeners = useRef(new Map());\n  const emit = useCallback((event: string, data: unknown) => ws.current.send(JSON.stringify({ event, data })), []);\n  const subscribe = useCallback((event: string, fn: (d: unknown) => void) => { listeners.current.set(event, fn); return () => listeners.current.delete(event); }, []);\n  return <Ctx.Provider value={{ emit, subscribe }}>{children}</Ctx.Provider>;\n}\nexport function useSocket() {\n  return useContext(Ctx);\n}\n";
const EDITOR =
  "import { useEffect } from 'react';\nimport { useSocket } from './SocketProvider';\nexport function Editor() {\n  const { emit, subscribe: on } = useSocket();\n  useEffect(() => on('saved', () => {}), [on]);\n  return <button onClick={() => emit('save', { at: 1 })}>save</button>;\n}\n";

describe('emit and subscribe from a React context in another module', () => {
  it('in a flat src/ tree', async () => {
    expect(await events({ 'package.json': WS_PKG, 'src/SocketProvider.tsx': PROVIDER, 'src/Editor.tsx': EDITOR })).toEqual([
      'save client-to-server src/Editor.tsx:6',
      'saved server-to-client src/Editor.tsx:5',
    ]);
  });

  it("reads what the wrapper sends from the call's object literal", async () => {
    const a = await analyzeTree({ 'package.json': WS_PKG, 'src/SocketProvider.tsx': PROVIDER, 'src/Editor.tsx': EDITOR });
    expect(a.events.find((e) => e.name === 'save')?.payload?.map((f) => `${f.name}: ${f.type}`)).toEqual(['at: number']);
    // A listener's payload is not read from the call: its handler shows it, or nothing does.
    expect(a.events.find((e) => e.name === 'saved')?.payload ?? []).toEqual([]);
  });

  it("reads a listener's payload from its callback's declared parameter type, not from the call", async () => {
    const editor = EDITOR.replace("on('saved', () => {})", "on('saved', (p: { version: number }) => void p)");
    const a = await analyzeTree({ 'package.json': WS_PKG, 'src/SocketProvider.tsx': PROVIDER, 'src/Editor.tsx': editor });
    expect(a.events.find((e) => e.name === 'saved')?.payload?.map((f) => `${f.name}: ${f.type} ${f.description}`)).toEqual([
      'version: number inferred from src/Editor.tsx:5',
    ]);
  });

  it('in nested folders, through a path alias', async () => {
    expect(
      await events({
        'package.json': WS_PKG,
        'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
        'src/realtime/SocketProvider.tsx': PROVIDER,
        'src/features/notes/Editor.tsx': EDITOR.replace("'./SocketProvider'", "'@/realtime/SocketProvider'"),
      }),
    ).toEqual(['save client-to-server src/features/notes/Editor.tsx:6', 'saved server-to-client src/features/notes/Editor.tsx:5']);
  });

  it('a hook of a module without a socket lends no listener', async () => {
    const plain = PROVIDER.replace("useRef(new WebSocket('wss://x.example/ws'))", 'useRef(bus)').replace(
      'import {',
      'const bus = { send: (s: string) => s };\nimport {',
    );
    expect(await events({ 'package.json': WS_PKG, 'src/SocketProvider.tsx': plain, 'src/Editor.tsx': EDITOR })).toEqual([]);
  });
});

describe('a hook over react-use-websocket', () => {
  const pkg = JSON.stringify({ name: 'x', type: 'module', dependencies: { 'react-use-websocket': '^4.8.1', react: '^18.3.1' } });
  const provider =
    "import { createContext, useCallback, useContext } from 'react';\nimport useWebSocket from 'react-use-websocket';\nconst Ctx = createContext<any>(null);\nexport function RealtimeProvider({ children }: any) {\n  const { sendJsonMessage, lastJsonMessage } = useWebSocket('wss://x.example/ws');\n  const send = useCallback((type: string, payload: unknown) => sendJsonMessage({ type, payload }), [sendJsonMessage]);\n  return <Ctx.Provider value={{ send, last: lastJsonMessage }}>{children}</Ctx.Provider>;\n}\nexport const useRealtime = () => useContext(Ctx);\n";
  it('sends through the context and reads message types in another component', async () => {
    const got = await events({
      'package.json': pkg,
      'src/realtime/RealtimeProvider.tsx': provider,
      'src/Assign.tsx':
        "import { useRealtime } from './realtime/RealtimeProvider';\nexport function Assign() {\n  const { send } = useRealtime();\n  return <button onClick={() => send('job.assign', {})} />;\n}\n",
      'src/useJobs.ts':
        "import { useRealtime } from './realtime/RealtimeProvider';\nexport function useJobs() {\n  const { last } = useRealtime();\n  switch (last?.type) {\n    case 'job.updated':\n      return last.payload;\n  }\n  return null;\n}\n",
    });
    expect(got).toEqual(['job.assign client-to-server src/Assign.tsx:4', 'job.updated server-to-client src/useJobs.ts:5']);
  });
});

describe('a handler registry in another module', () => {
  const registry = (param: string): Record<string, string> => ({
    'package.json': WS_PKG,
    'src/server.ts':
      "import { WebSocketServer } from 'ws';\nimport { handlers } from './handlers.js';\nconst wss = new WebSocketServer({ port: 8080 });\nwss.on('connection', (ws) => ws.on('message', (raw) => {\n  const msg = JSON.parse(String(raw));\n  handlers[msg.event]?.(ws, msg.data);\n}));\n",
    'src/handlers.ts': `export interface Edit {\n  id: string;\n  ops: unknown[];\n}\nexport const handlers: Record<string, (ws: unknown, data: any) => void> = {\n  'doc:edit': (ws, ${param}) => {},\n};\n`,
  });
  const fields = async (files: Record<string, string>): Promise<string[] | undefined> =>
    (await analyzeTree(files)).events.find((e) => e.name === 'doc:edit')?.payload?.map((f) => `${f.name}: ${f.type} ${f.description}`);

  it("reads each handler's payload parameter from its declared type, cited in the registry's module", async () => {
    expect(await fields(registry('data: Edit'))).toEqual(['id: string inferred from src/handlers.ts:2', 'ops: unknown[] inferred from src/handlers.ts:3']);
  });

  it('an untyped payload parameter shows no fields', async () => {
    expect(await fields(registry('data'))).toBeUndefined();
  });

  it('the socket parameter is not the payload', async () => {
    expect(await fields(registry('_x: { id: string }'))).toBeUndefined();
  });

  it("an `{ event, data }` frame's payload is what `data` holds, not the envelope", async () => {
    const files = registry('data');
    files['src/server.ts'] +=
      "export function fail(ws: { send(s: string): void }) {\n  ws.send(JSON.stringify({ event: 'doc:error', data: { message: 'x', code: 1 } }));\n}\n";
    const a = await analyzeTree(files);
    expect(a.events.find((e) => e.name === 'doc:error')?.payload?.map((f) => `${f.name}: ${f.type}`)).toEqual(['message: string', 'code: number']);
  });
});
