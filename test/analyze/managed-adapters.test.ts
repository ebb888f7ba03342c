// The Ably, Supabase Realtime, LiveKit, PartyKit and uWebSockets.js adapters on layouts other
// than their model-* fixtures (model-matrix.test.ts): SDK instances and handlers in other
// modules, options in another file, a monorepo package, a Next.js route. Facts asserted exactly.
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/types.js';
import { analyzeTree as analyze } from './tree.js';

const pkg = (deps: Record<string, string>): string => JSON.stringify({ name: 'x', type: 'module', dependencies: deps });
const entries = (a: Analysis) => a.stack.entrypoints.map((e) => `${e.kind} ${e.file}:${e.line}`);
const events = (a: Analysis) => a.events.map((e) => `${e.name} ${e.direction} ${e.evidence}`);
const ids = (a: Analysis) => a.findings.map((f) => `${f.id} ${f.evidence}`);
const liveness = (a: Analysis) => ({ heartbeat: a.stack.heartbeat.evidence, reconnect: a.stack.reconnect.evidence });

describe('Ably', () => {
  it("a file that imports ably claims nothing for other objects: redis.publish, another SDK's auth.requestToken", async () => {
    const a = await analyze({
      'package.json': pkg({ ably: '^2.28.0', ioredis: '^5.4.1', express: '^4.21.2' }),
      'src/jobs.js':
        "import * as Ably from 'ably';\nimport Redis from 'ioredis';\nimport express from 'express';\nexport const rest = new Ably.Rest({ key: process.env.ABLY_KEY });\nconst redis = new Redis();\nconst app = express();\napp.get('/auth/session', async (req, res) => res.json(await keycloak.auth.requestToken(req.user)));\nredis.publish('order-shipped', '1');\nredis.subscribe('order-cancelled', () => {});\napp.listen(3000);\n",
    });
    expect(entries(a).filter((e) => e.startsWith('token-route'))).toEqual([]);
    expect(events(a)).toEqual([]);
    expect(a.stack.auth.filter((k) => k.kind === 'ephemeral-token')).toEqual([]);
  });

  it('a Next.js route signs with auth.requestToken; a worker holding the key is the server SDK, not a client', async () => {
    const a = await analyze({
      'package.json': pkg({ ably: '^2.28.0', next: '^15.1.3', express: '^4.21.2' }),
      'app/api/ably/route.ts':
        "import Ably from 'ably';\nconst rest = new Ably.Rest({ key: process.env.ABLY_API_KEY });\nexport async function GET() {\n  return Response.json(await rest.auth.requestToken({ clientId: 'u1' }));\n}\n",
      'worker/index.ts':
        "import express from 'express';\nimport * as Ably from 'ably';\nconst ably = new Ably.Realtime({ key: process.env.ABLY_API_KEY });\nconst ch = ably.channels.get('jobs');\nch.subscribe('job-queued', () => {});\nexpress().listen(3000);\n",
      'src/live.ts':
        "import { Realtime } from 'ably';\nexport const live = new Realtime({\n  authCallback: async (_p, cb) => cb(null, await (await fetch('/api/ably')).text()),\n});\nlive.channels.get('jobs').publish('job-queued', {});\n",
    });
    expect(entries(a)).toEqual([
      'provider-server app/api/ably/route.ts:2',
      'token-route app/api/ably/route.ts:4',
      'provider-client src/live.ts:2',
      'provider-server worker/index.ts:3',
    ]);
    expect(events(a)).toEqual(['job-queued client-to-server src/live.ts:5']);
    expect(a.stack.auth.map((k) => `${k.kind} ${k.evidence}`)).toEqual(['ephemeral-token app/api/ably/route.ts:4']);
    expect(liveness(a)).toEqual({ heartbeat: 'src/live.ts:2', reconnect: 'src/live.ts:2' });
    expect(ids(a)).toEqual([]);
  });

  it('a Next.js client component (next/link) publishes from the client; a route handler from the server', async () => {
    const a = await analyze({
      'package.json': pkg({ ably: '^2.28.0', next: '^15.1.3' }),
      'components/Vote.tsx':
        "'use client';\nimport Link from 'next/link';\nimport * as Ably from 'ably';\nconst ably = new Ably.Realtime({ authUrl: '/api/token' });\nexport const vote = () => ably.channels.get('poll').publish('vote', 1);\nexport const Back = () => <Link href='/'>back</Link>;\n",
      'app/api/close/route.ts':
        "import * as Ably from 'ably';\nconst ably = new Ably.Rest({ key: process.env.ABLY_API_KEY });\nexport async function POST() {\n  await ably.channels.get('poll').publish('closed', {});\n  return new Response(null);\n}\n",
    });
    expect(events(a)).toEqual(['closed server-to-client app/api/close/route.ts:4', 'vote client-to-server components/Vote.tsx:5']);
  });

  it('a browser client holding the key is still a client (and its key is flagged)', async () => {
    const a = await analyze({
      'package.json': pkg({ ably: '^2.28.0' }),
      'src/ably.ts': "import * as Ably from 'ably';\nexport const ably = new Ably.Realtime({ key: import.meta.env.VITE_ABLY_KEY });\n",
    });
    expect(entries(a)).toEqual(['provider-client src/ably.ts:2']);
    expect(ids(a)).toEqual(['api-key-in-browser src/ably.ts:2']);
  });
});

describe('Supabase Realtime', () => {
  it('track() is presence only on a channel: analytics.track({...}) next to a channel is not an event', async () => {
    const a = await analyze({
      'package.json': pkg({ '@supabase/supabase-js': '^2.49.1' }),
      'src/app.js':
        "import { createClient } from '@supabase/supabase-js';\nconst supabase = createClient('https://x.supabase.co', 'anon');\nconst orders = supabase.channel('orders');\norders.on('broadcast', { event: 'x' }, () => {}).subscribe();\nanalytics.track({ event: 'checkout', plan: 'pro' });\n",
    });
    expect(events(a).filter((e) => e.startsWith('presence:track'))).toEqual([]);
  });

  it('in a monorepo package: the heartbeat option set where the client is created, broadcast sent and received', async () => {
    const a = await analyze({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': pkg({ '@supabase/supabase-js': '^2.119.1', react: '^18.3.1' }),
      'apps/web/src/db.ts':
        "import { createClient } from '@supabase/supabase-js';\nexport const db = createClient('https://x.supabase.co', 'anon', {\n  realtime: { heartbeatIntervalMs: 10000 },\n});\n",
      'apps/web/src/useCursor.ts':
        "import { useEffect } from 'react';\nimport { db } from './db';\nexport function useCursor() {\n  useEffect(() => {\n    const cursors = db.channel('cursors');\n    cursors.on('broadcast', { event: 'move' }, () => {}).subscribe();\n    return () => {\n      db.removeChannel(cursors);\n    };\n  }, []);\n  return (x: number) => db.channel('cursors').send({ type: 'broadcast', event: 'move', payload: { x } });\n}\n",
    });
    expect(entries(a)).toEqual(['provider-client apps/web/src/useCursor.ts:5', 'provider-client apps/web/src/useCursor.ts:11']);
    expect(events(a)).toEqual(['move both apps/web/src/useCursor.ts:6']);
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'apps/web/src/db.ts:3', intervalMs: 10000 });
    expect(a.stack.reconnect).toEqual({ present: true, evidence: 'apps/web/src/useCursor.ts:5', backoff: true, jitter: false });
    expect(ids(a)).toEqual([]);
  });

  it('a Postgres change carries a row of its table: the table is the topic, beside the SDK label', async () => {
    const a = await analyze({
      'package.json': pkg({ '@supabase/supabase-js': '^2.119.1', react: '^18.3.1' }),
      'src/useMessages.ts':
        "import { createClient } from '@supabase/supabase-js';\nconst db = createClient('https://x.supabase.co', 'anon');\nexport const watch = (roomId: string) =>\n  db.channel(`room:${roomId}:messages`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, () => {}).on('broadcast', { event: 'typing' }, () => {}).subscribe();\n",
    });
    expect(a.events.map((e) => [e.name, e.sdk ?? null, e.topic ?? null, e.room ?? null])).toEqual([
      ['postgres_changes:messages:INSERT', ".on('postgres_changes', { event: 'INSERT', table: 'messages' })", 'messages', 'room:{roomId}:messages'],
      ['typing', null, null, 'room:{roomId}:messages'],
    ]);
  });

  it("a Postgres change's row is what its callback casts `payload.new` to: that type's fields, where the file declares it; an untyped row stays unshown", async () => {
    const a = await analyze({
      'package.json': pkg({ '@supabase/supabase-js': '^2.119.1', react: '^18.3.1' }),
      'src/useMessages.ts':
        "import { createClient } from '@supabase/supabase-js';\nconst db = createClient('https://x.supabase.co', 'anon');\nexport interface Message {\n  id: number;\n  room_id: string;\n  body: string;\n}\nexport const watch = (roomId: string, add: (m: Message) => void) =>\n  db\n    .channel(`room:${roomId}`)\n    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, (payload) => add(payload.new as Message))\n    .on('postgres_changes', { event: 'DELETE', schema: 'public', table: 'reactions' }, (payload) => add(payload.old as Message))\n    .subscribe();\n",
    });
    expect(
      a.events.map((e) => [
        e.name,
        (e.payload ?? []).map((p) => `${p.name}: ${p.type}`),
        e.declaredType ? `${e.declaredType.name} ${e.declaredType.evidence}` : null,
      ]),
    ).toEqual([
      ['postgres_changes:messages:INSERT', ['id: number', 'room_id: string', 'body: string'], 'Message src/useMessages.ts:3'],
      ['postgres_changes:reactions:DELETE', [], null],
    ]);
  });
});

describe('uWebSockets.js', () => {
  const APP = "import uWS from 'uWebSockets.js';\nexport const app = uWS.App();\n";
  it('the app created in one module, the route in another with its behavior from a third', async () => {
    const a = await analyze({
      'package.json': pkg({ 'uWebSockets.js': 'github:uNetworking/uWebSockets.js#v20.51.0' }),
      'src/app.ts': APP,
      'src/behavior.ts': 'export const liveBehavior = {\n  idleTimeout: 60,\n  maxPayloadLength: 16384,\n  message: (ws, msg) => ws.send(msg),\n};\n',
      'src/routes/live.ts':
        "import { app } from '../app';\nimport { liveBehavior } from '../behavior';\napp.ws('/live', liveBehavior);\napp.listen(9001, () => {});\nexport const push = (t: string) => app.publish(`news/${t}`, JSON.stringify({ type: 'headline', t }));\n",
    });
    expect(entries(a)).toEqual(['ws-server src/routes/live.ts:3']);
    expect(a.events.map((e) => `${e.name} ${e.direction} ${e.evidence} ${e.room}`)).toEqual(['headline server-to-client src/routes/live.ts:5 news/*']);
    expect(a.stack.heartbeat).toEqual({ present: true, evidence: 'src/routes/live.ts:3' });
    expect(ids(a)).not.toContain('client-only src/routes/live.ts:3');
  });

  it('sendPingsAutomatically: false leaves the server without a heartbeat; an upgrade that verifies is the gate', async () => {
    const a = await analyze({
      'package.json': pkg({ 'uWebSockets.js': 'github:uNetworking/uWebSockets.js#v20.51.0' }),
      'src/app.ts': APP,
      'src/server.ts':
        "import { app } from './app';\nimport { verifySession } from './session';\napp.ws('/*', {\n  sendPingsAutomatically: false,\n  maxPayloadLength: 4096,\n  upgrade: (res, req, ctx) => {\n    if (!verifySession(req.getHeader('cookie'))) return res.end('no');\n    res.upgrade({}, req.getHeader('sec-websocket-key'), '', '', ctx);\n  },\n});\n",
    });
    expect(entries(a)).toEqual(['ws-server src/server.ts:3']);
    expect(a.stack.heartbeat.present).toBe(false);
    expect(ids(a).filter((f) => /heartbeat|handshake-auth/.test(f))).toEqual(['no-heartbeat src/server.ts:3']);
  });
});

describe('PartyKit', () => {
  it('a room that authenticates in onBeforeConnect, in src/ with its handlers inline', async () => {
    const a = await analyze({
      'package.json': pkg({ partysocket: '^1.3.0', partykit: '^0.0.115' }),
      'src/server.ts':
        "import type * as Party from 'partykit/server';\nimport { verifyToken } from './auth';\nexport default class Game implements Party.Server {\n  constructor(readonly room: Party.Room) {}\n  static async onBeforeConnect(req: Party.Request) {\n    await verifyToken(new URL(req.url).searchParams.get('token'));\n    return req;\n  }\n  onMessage(message: string) {\n    const msg = JSON.parse(message);\n    if (msg.type === 'shoot') this.room.broadcast(JSON.stringify({ type: 'hit' }));\n  }\n  onError(conn: Party.Connection) {}\n}\n",
    });
    expect(entries(a)).toEqual(['ws-server src/server.ts:3']);
    expect(events(a)).toEqual(['hit server-to-client src/server.ts:11', 'shoot client-to-server src/server.ts:11']);
    expect(ids(a).filter((f) => /handshake-auth|client-only|graceful|socket-error/.test(f))).toEqual([]);
  });

  it('a class with onConnect that does not import partykit is not a room', async () => {
    const a = await analyze({
      'package.json': pkg({}),
      'src/socket-tracker.ts': 'export class Tracker {\n  onConnect(socket: unknown) {}\n  onMessage(m: string) {}\n}\n',
    });
    expect(entries(a)).toEqual([]);
  });
});

describe('LiveKit', () => {
  it('an Express token route and room service in one module, a client hook publishing data without a topic', async () => {
    const a = await analyze({
      'server/package.json': pkg({ express: '^4.21.2', 'livekit-server-sdk': '^2.19.2' }),
      'server/src/livekit.ts':
        "import express from 'express';\nimport { AccessToken, RoomServiceClient } from 'livekit-server-sdk';\nconst rooms = new RoomServiceClient(process.env.LIVEKIT_URL!);\nexport const router = express.Router();\nrouter.get('/token', async (req, res) => {\n  const at = new AccessToken(undefined, undefined, { identity: req.session.user.id });\n  at.addGrant({ roomJoin: true, room: 'lobby' });\n  res.json({ token: await at.toJwt() });\n});\nrouter.post('/kick', async (req, res) => {\n  await rooms.sendData('lobby', new Uint8Array(), 0);\n  res.end();\n});\n",
      'web/package.json': pkg({ 'livekit-client': '^2.23.0', react: '^18.3.1' }),
      'web/src/useLobby.ts':
        "import { Room, RoomEvent } from 'livekit-client';\nexport const room = new Room();\nroom.on(RoomEvent.DataReceived, () => {});\nexport const ping = () => room.localParticipant.publishData(new Uint8Array([1]), { reliable: false });\n",
    });
    expect(entries(a)).toEqual(['provider-server server/src/livekit.ts:3', 'token-route server/src/livekit.ts:6', 'provider-client web/src/useLobby.ts:2']);
    expect(events(a)).toEqual(['DataReceived server-to-client web/src/useLobby.ts:3', 'data:* both server/src/livekit.ts:11']);
    expect(liveness(a)).toEqual({ heartbeat: 'web/src/useLobby.ts:2', reconnect: 'web/src/useLobby.ts:2' });
    expect(ids(a)).toEqual([]);
    // The server sends reliable (kind 0), the client lossy (`reliable: false`): the event's delivery is not one mode.
    expect(a.events.find((e) => e.name === 'data:*')?.delivery).toBeUndefined();
  });

  it("the default reconnect policy is jittered (livekit-client's DefaultReconnectPolicy); a policy of the project's own is not read as jittered", async () => {
    const web = (room: string) => ({
      'package.json': pkg({ 'livekit-client': '^2.23.0', react: '^18.3.1' }),
      'src/room.ts': `import { Room } from 'livekit-client';\nexport const room = ${room};\n`,
    });
    const plain = await analyze(web('new Room({ adaptiveStream: true })'));
    expect(plain.stack.reconnect).toEqual({ present: true, evidence: 'src/room.ts:2', backoff: true, jitter: true });
    const own = await analyze(web('new Room({\n  reconnectPolicy: { nextRetryDelayInMs: () => 1000 },\n})'));
    expect(own.stack.reconnect).toEqual({ present: true, evidence: 'src/room.ts:3', backoff: true, jitter: false });
  });

  it("reads each data message's delivery from the sending call: `reliable` on publishData, the kind on sendData", async () => {
    const a = await analyze({
      'package.json': pkg({ next: '^15.0.0', 'livekit-server-sdk': '^2.19.2', 'livekit-client': '^2.23.0', react: '^18.3.1' }),
      'lib/rooms.ts':
        "import { RoomServiceClient, DataPacket_Kind } from 'livekit-server-sdk';\nconst rooms = new RoomServiceClient(process.env.LIVEKIT_URL!);\nexport const count = (n: number) => rooms.sendData('a', new Uint8Array([n]), DataPacket_Kind.LOSSY, { topic: 'count' });\nexport const notice = () => rooms.sendData('a', new Uint8Array(), 0, { topic: 'notice' });\n",
      'components/Room.tsx':
        "import { Room } from 'livekit-client';\nexport const room = new Room();\nexport const react = () => room.localParticipant.publishData(new Uint8Array([1]), { reliable: true, topic: 'reactions' });\nexport const move = () => room.localParticipant.publishData(new Uint8Array([2]), { reliable: false, topic: 'cursor' });\nexport const note = () => room.localParticipant.publishData(new Uint8Array([3]), { topic: 'note' });\n",
    });
    expect(a.events.filter((e) => e.name.startsWith('data:')).map((e) => [e.name, e.delivery ?? null])).toEqual([
      ['data:count', { mode: 'lossy', evidence: 'lib/rooms.ts:3' }],
      ['data:cursor', { mode: 'lossy', evidence: 'components/Room.tsx:4' }],
      ['data:note', null],
      ['data:notice', { mode: 'reliable', evidence: 'lib/rooms.ts:4' }],
      ['data:reactions', { mode: 'reliable', evidence: 'components/Room.tsx:3' }],
    ]);
  });
});
