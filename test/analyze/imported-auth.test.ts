// A cookie checked in another module on the connection path (model/links.ts): a Next.js route
// handler's `await requireUser()` (next/headers cookies), Express middleware mounted on an SSE
// route (req.cookies), a Hono Worker that verifies a JWT cookie before a Durable Object.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

async function auth(files: Record<string, string>): Promise<string[]> {
  return (await analyzeTree(files)).stack.auth.map((k) => `${k.kind} ${k.evidence}`);
}

const NEXT_PKG = JSON.stringify({ name: 'x', dependencies: { next: '15.0.0', ai: '5.0.0' } });
const SESSION =
  "import { cookies } from 'next/headers';\nexport async function requireUser() {\n  const sid = (await cookies()).get('sid')?.value;\n  return sid ? { id: sid } : null;\n}\n";
const ROUTE = (from: string): string =>
  `import { streamText } from 'ai';\nimport { requireUser } from '${from}';\nexport async function POST(req: Request) {\n  const user = await requireUser();\n  if (!user) return new Response('no', { status: 401 });\n  return streamText({ model: 'm', prompt: 'p' }).toUIMessageStreamResponse();\n}\n`;

describe('a cookie read in another module on the connection path', () => {
  it('Next.js route handler through a tsconfig alias', async () => {
    expect(
      await auth({
        'package.json': NEXT_PKG,
        'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
        'lib/session.ts': SESSION,
        'app/api/chat/route.ts': ROUTE('@/lib/session'),
      }),
    ).toEqual(['session-cookie app/api/chat/route.ts:4']);
  });

  it('Next.js route handler through a relative path', async () => {
    expect(await auth({ 'package.json': NEXT_PKG, 'lib/session.ts': SESSION, 'app/api/chat/route.ts': ROUTE('../../../lib/session') })).toEqual([
      'session-cookie app/api/chat/route.ts:4',
    ]);
  });

  it('Express middleware mounted on an SSE route', async () => {
    expect(
      await auth({
        'package.json': JSON.stringify({ name: 'x', type: 'module', dependencies: { express: '4.19.2', 'cookie-parser': '1.4.6' } }),
        'src/session.js': 'export async function requireSession(req, res, next) {\n  if (!req.cookies.sid) return res.status(401).end();\n  next();\n}\n',
        'src/stream.js':
          "import { Router } from 'express';\nimport { requireSession } from './session.js';\nexport const r = Router();\nr.get('/stream', requireSession, (req, res) => {\n  res.setHeader('Content-Type', 'text/event-stream');\n  res.write('data: hi\\n\\n');\n});\n",
      }),
    ).toEqual(['session-cookie src/stream.js:4']);
  });

  it('Hono Worker verifying a JWT cookie with hono/jwt before the Durable Object', async () => {
    expect(
      await auth({
        'package.json': JSON.stringify({ name: 'x', dependencies: { hono: '4.6.3' } }),
        'src/auth.ts':
          "import { getCookie } from 'hono/cookie';\nimport { verify } from 'hono/jwt';\nexport async function memberFromCookie(c) {\n  const t = getCookie(c, 'session');\n  return t ? verify(t, c.env.SECRET) : null;\n}\n",
        'src/index.ts':
          "import { Hono } from 'hono';\nimport { memberFromCookie } from './auth';\nconst app = new Hono();\napp.get('/ws', async (c) => {\n  if (c.req.header('Upgrade') !== 'websocket') return c.text('no', 426);\n  if (!(await memberFromCookie(c))) return c.text('no', 401);\n  return c.env.ROOM.get(c.env.ROOM.idFromName('a')).fetch(c.req.raw);\n});\nexport default app;\n",
      }),
    ).toEqual(['jwt-cookie src/index.ts:6']);
  });

  it('the same check on a plain REST route makes no real-time auth claim', async () => {
    expect(
      await auth({
        'package.json': NEXT_PKG,
        'lib/session.ts': SESSION,
        'app/api/me/route.ts':
          "import { requireUser } from '../../../lib/session';\nexport async function GET() {\n  return Response.json(await requireUser());\n}\n",
      }),
    ).toEqual([]);
  });

  it('an imported helper that reads no cookie is no auth', async () => {
    expect(
      await auth({
        'package.json': NEXT_PKG,
        'lib/session.ts': "export async function requireUser() {\n  return { id: 'anon' };\n}\n",
        'app/api/chat/route.ts': ROUTE('../../../lib/session'),
      }),
    ).toEqual([]);
  });
});
