// model facts channel-grant, access-refusal, delivery-filter: who the code lets reach which channel.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function facts(files: Record<string, string>, deps: Record<string, string>) {
  const a = await analyzeTree({ 'package.json': JSON.stringify({ name: 'x', type: 'module', dependencies: deps }), ...files });
  return (a.modelFacts ?? [])
    .filter((f) => f.kind === 'channel-grant' || f.kind === 'access-refusal' || f.kind === 'delivery-filter')
    .sort((x, y) => Number(x.evidence.split(':')[1]) - Number(y.evidence.split(':')[1]))
    .map((f) => ({
      kind: f.kind,
      name: f.name,
      value: f.value,
      evidence: f.evidence,
      ...(f.fromRequest ? { fromRequest: true } : {}),
      ...(f.checked ? { checked: true } : {}),
      ...(f.condition ? { condition: f.condition } : {}),
      ...(f.route ? { route: f.route } : {}),
    }));
}

const ABLY = [
  "import express from 'express';",
  "import * as Ably from 'ably';",
  'const ably = new Ably.Rest({ key: process.env.ABLY_API_KEY });',
  'const app = express();',
  "app.post('/realtime/token', async (req, res) => {",
  '  const user = req.session.user;',
  '  if (!user) return res.status(401).end();',
  '  const tokenRequest = await ably.auth.createTokenRequest({',
  '    clientId: user.id,',
  '    capability: {',
  "      [`team:${user.teamId}`]: ['subscribe'],",
  "      'announcements': ['subscribe', 'history'],",
  '    },',
  '  });',
  '  res.json(tokenRequest);',
  '});',
  'app.listen(3000);',
  '',
].join('\n');

describe('channel access', () => {
  it('an Ably capability per channel, and the 401 in front of it', async () => {
    expect(await facts({ 'src/server.js': ABLY }, { express: '^4.0.0', ably: '^2.0.0' })).toEqual([
      { kind: 'access-refusal', name: '!user', value: '401', evidence: 'src/server.js:7', route: '/realtime/token' },
      { kind: 'channel-grant', name: '`team:${user.teamId}`', value: 'subscribe', evidence: 'src/server.js:11', route: '/realtime/token' },
      { kind: 'channel-grant', name: 'announcements', value: 'subscribe, history', evidence: 'src/server.js:12', route: '/realtime/token' },
    ]);
  });

  it('a LiveKit grant for a room the client names, unchecked, in a Next.js route handler', async () => {
    const route = [
      "import { AccessToken } from 'livekit-server-sdk';",
      "import { auth } from '@/auth';",
      'export async function GET(req: Request) {',
      '  const session = await auth();',
      "  if (!session) return new Response('no', { status: 401 });",
      "  const roomName = new URL(req.url).searchParams.get('room')!;",
      '  const at = new AccessToken(process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET, { identity: session.user.id });',
      '  at.addGrant({ roomJoin: true, room: roomName, canSubscribe: true, canPublish: false });',
      '  return Response.json({ token: await at.toJwt() });',
      '}',
      '',
    ].join('\n');
    const out = await facts({ 'app/api/token/route.ts': route }, { next: '^15.0.0', 'livekit-server-sdk': '^2.0.0' });
    expect(out.find((f) => f.kind === 'channel-grant')).toEqual({
      kind: 'channel-grant',
      name: 'roomName',
      value: 'roomJoin, canSubscribe',
      evidence: 'app/api/token/route.ts:8',
      fromRequest: true,
    });
  });

  it('a room the client names is checked when a check call takes it before the grant', async () => {
    const route = [
      "import { AccessToken } from 'livekit-server-sdk';",
      "import { canJoinRoom } from './acl';",
      'export async function POST(req: Request) {',
      '  const { room, user } = await req.json();',
      "  if (!(await canJoinRoom(user, room))) throw new Error('forbidden');",
      '  const at = new AccessToken(process.env.LIVEKIT_API_KEY, process.env.LIVEKIT_API_SECRET, { identity: user });',
      '  at.addGrant({ roomJoin: true, room });',
      '  return Response.json({ token: await at.toJwt() });',
      '}',
      '',
    ].join('\n');
    const out = await facts({ 'app/api/token/route.ts': route }, { next: '^15.0.0', 'livekit-server-sdk': '^2.0.0' });
    expect(out.find((f) => f.kind === 'channel-grant')).toMatchObject({ name: 'room', checked: true });
  });

  it('a JWT that names its channel, signed after a 403 check', async () => {
    const route = [
      "import { Router } from 'express';",
      "import jwt from 'jsonwebtoken';",
      "import { ownsOrder } from './acl.js';",
      'export const tokens = Router();',
      "tokens.get('/api/centrifugo/subscription-token', async (req, res) => {",
      '  const channel = String(req.query.channel);',
      '  if (!(await ownsOrder(req.user.id, channel))) return res.sendStatus(403);',
      "  res.json({ token: jwt.sign({ sub: req.user.id, channel }, 'k') });",
      '});',
      '',
    ].join('\n');
    const server = [
      "import express from 'express';",
      "import { tokens } from './routes/tokens.js';",
      'const app = express();',
      'app.use(tokens);',
      'const server = app.listen(3000);',
      "process.on('SIGTERM', () => server.close());",
      '',
    ].join('\n');
    const client = ["import { Centrifuge } from 'centrifuge';", "export const c = new Centrifuge('wss://rt.example.com/connection/websocket');", ''].join('\n');
    const files = { 'src/routes/tokens.js': route, 'src/server.js': server, 'src/web/realtime.js': client };
    expect(await facts(files, { express: '^4.0.0', jsonwebtoken: '^9.0.0', centrifuge: '^5.0.0' })).toEqual([
      {
        kind: 'access-refusal',
        name: '!ownsOrder(req.user.id, channel)',
        value: '403',
        evidence: 'src/routes/tokens.js:7',
        route: '/api/centrifugo/subscription-token',
      },
      {
        kind: 'channel-grant',
        name: 'channel',
        value: '',
        evidence: 'src/routes/tokens.js:8',
        fromRequest: true,
        checked: true,
        route: '/api/centrifugo/subscription-token',
      },
    ]);
  });

  it('a Pusher authorization on Fastify with the older authenticate(): a check before it, 403 after', async () => {
    const server = [
      "import Fastify from 'fastify';",
      "import Pusher from 'pusher';",
      "import { isMember } from './acl.js';",
      'const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET });',
      'const app = Fastify();',
      "app.post('/pusher/auth', async (req, reply) => {",
      '  const { socket_id, channel_name } = req.body;',
      '  if (await isMember(req.user, channel_name)) return pusher.authenticate(socket_id, channel_name);',
      '  return reply.code(403).send();',
      '});',
      'app.listen({ port: 3000 });',
      '',
    ].join('\n');
    expect(await facts({ 'src/server.js': server }, { fastify: '^4.0.0', pusher: '^5.0.0' })).toEqual([
      {
        kind: 'channel-grant',
        name: 'channel_name',
        value: '',
        evidence: 'src/server.js:8',
        fromRequest: true,
        checked: true,
        condition: 'isMember(req.user, channel_name)',
        route: '/pusher/auth',
      },
      { kind: 'access-refusal', name: '', value: '403', evidence: 'src/server.js:9', route: '/pusher/auth' },
    ]);
  });

  it('a 403 in a route that mints nothing says nothing about channels', async () => {
    const route = [
      "import express from 'express';",
      "import { WebSocketServer } from 'ws';",
      'const app = express();',
      "app.post('/api/orders', (req, res) => {",
      '  if (!req.user.admin) return res.sendStatus(403);',
      '  res.sendStatus(201);',
      '});',
      'const server = app.listen(3000);',
      'new WebSocketServer({ server });',
      '',
    ].join('\n');
    expect(await facts({ 'src/server.js': route }, { express: '^4.0.0', ws: '^8.0.0' })).toEqual([]);
  });

  it('a stream handler that sends only what matches the connection', async () => {
    const server = [
      "import express from 'express';",
      "import { EventEmitter } from 'node:events';",
      'const bus = new EventEmitter();',
      'const app = express();',
      "app.get('/events', (req, res) => {",
      "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
      '  const user = req.user;',
      '  const onEvent = (e) => {',
      '    if (e.orgId === user.orgId) res.write(`data: ${JSON.stringify(e)}\\n\\n`);',
      '  };',
      "  bus.on('event', onEvent);",
      '});',
      'app.listen(3000);',
      '',
    ].join('\n');
    expect(await facts({ 'src/server.js': server }, { express: '^4.0.0' })).toEqual([
      { kind: 'delivery-filter', name: 'e.orgId === user.orgId', value: undefined, evidence: 'src/server.js:9', route: '/events' },
    ]);
  });
});
