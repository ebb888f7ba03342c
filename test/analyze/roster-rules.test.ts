// A count derived from a room's roster, pushed from a provider webhook on the join event only (roster.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { ruleTester } from './rule-tester.js';

const LK_PKG = '{ "name": "app", "dependencies": { "livekit-server-sdk": "2.19.2", "next": "15.0.0" } }';
const LK_LIB =
  "import { RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';\nexport const rooms = new RoomServiceClient('https://x', 'k', 's');\nexport const hooks = new WebhookReceiver('k', 's');\n";
const LK_ROUTE = (test: string): string =>
  `import { rooms, hooks } from '../../lib/livekit';\nexport async function POST(req: Request) {\n  const ev = await hooks.receive(await req.text(), req.headers.get('Authorization') ?? undefined);\n  if (${test} && ev.room) {\n    const list = await rooms.listParticipants(ev.room.name);\n    await rooms.sendData(ev.room.name, new TextEncoder().encode(JSON.stringify({ count: list.length })), 0, { topic: 'count' });\n  }\n  return new Response('ok');\n}\n`;
const PUSHER_PKG = '{ "name": "app", "dependencies": { "pusher": "5.2.0", "express": "4.19.2" } }';
const PUSHER_HOOK = (events: string): string =>
  `import express from 'express';\nimport Pusher from 'pusher';\nconst pusher = new Pusher({ appId: '1', key: 'k', secret: 's', cluster: 'eu' });\nconst app = express();\nconst online = new Map();\napp.post('/hooks', express.json(), (req, res) => {\n  for (const e of req.body.events) {\n${events}  }\n  res.sendStatus(200);\n});\n`;

ruleTester('roster-count-on-join-only', {
  valid: [
    {
      name: 'LiveKit: sent on joins and leaves',
      files: {
        'package.json': LK_PKG,
        'lib/livekit.ts': LK_LIB,
        'app/hook/route.ts': LK_ROUTE("(ev.event === 'participant_joined' || ev.event === 'participant_left')"),
      },
    },
    {
      name: 'LiveKit: a greeting on join carries no figure',
      files: {
        'package.json': LK_PKG,
        'lib/livekit.ts': LK_LIB,
        'app/hook/route.ts':
          "import { rooms, hooks } from '../../lib/livekit';\nexport async function POST(req: Request) {\n  const ev = await hooks.receive(await req.text(), req.headers.get('Authorization') ?? undefined);\n  if (ev.event === 'participant_joined' && ev.room) {\n    await rooms.sendData(ev.room.name, new TextEncoder().encode(JSON.stringify({ text: 'hi' })), 0, { topic: 'greeting' });\n  }\n  return new Response('ok');\n}\n",
      },
    },
    {
      name: 'Pusher: member_added and member_removed',
      files: {
        'package.json': PUSHER_PKG,
        'src/hooks.js': PUSHER_HOOK(
          "    if (e.name === 'member_added' || e.name === 'member_removed') pusher.trigger(e.channel, 'online-count', { count: 1 });\n",
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'LiveKit: sent on participant_joined only',
      files: { 'package.json': LK_PKG, 'lib/livekit.ts': LK_LIB, 'app/hook/route.ts': LK_ROUTE("ev.event === 'participant_joined'") },
      errors: ['app/hook/route.ts:6'],
    },
    {
      name: 'Pusher: sent on member_added only',
      files: {
        'package.json': PUSHER_PKG,
        'src/hooks.js': PUSHER_HOOK("    if (e.name === 'member_added') pusher.trigger(e.channel, 'online-count', { count: 1 });\n"),
      },
      errors: ['src/hooks.js:8'],
    },
  ],
});

// The fix counts on each client: the finding names where clients read the pushed figure (by its topic).
describe('roster-count-on-join-only readAt', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-roster-read-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (files: Record<string, string>): string => {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      writeFileSync(path.join(tmp, rel), text);
    }
    return tmp;
  };
  it('lists the client file that tests for the topic, and no server file', async () => {
    const root = write({
      'package.json': '{ "name": "app", "dependencies": { "livekit-server-sdk": "2.19.2", "livekit-client": "2.15.0", "next": "15.0.0" } }',
      'lib/livekit.ts': LK_LIB,
      'app/hook/route.ts': LK_ROUTE("ev.event === 'participant_joined'"),
      'app/other/route.ts': "export const TOPIC = 'count';\n",
      'components/Room.tsx':
        "import { Room, RoomEvent } from 'livekit-client';\nconst room = new Room();\nexport function watch(set: (n: number) => void) {\n  room.on(RoomEvent.DataReceived, (payload: Uint8Array, _p?: unknown, _k?: unknown, topic?: string) => {\n    if (topic === 'count') set(JSON.parse(new TextDecoder().decode(payload)).count);\n  });\n}\n",
    });
    const f = (await analyzeProject(root)).findings.filter((x) => x.id === 'roster-count-on-join-only');
    expect(f.map((x) => [x.evidence, x.readAt])).toEqual([['app/hook/route.ts:6', ['components/Room.tsx:5']]]);
  });
});
