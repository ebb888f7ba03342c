// Rules unauthenticated-write-route and hard-coded-tenant: a state-changing route that checks no
// caller where the server's other routes do, and a tenant key set to a constant where the code names
// a channel from it.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'api', type: 'module', dependencies: { ably: '^2.28.0', express: '^4.21.2', 'express-session': '^1.18.1' } });

const APP = [
  "import express from 'express';",
  "import session from 'express-session';",
  "import { tokenRouter } from './token.js';",
  "import { ordersRouter } from './orders.js';",
  'const app = express();',
  'app.use(express.json());',
  'app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));',
  'EXTRA_USE',
  "app.use('/api', tokenRouter);",
  "app.use('/api', ordersRouter);",
  'app.listen(3000);',
  '',
].join('\n');

const TOKEN = [
  "import { Router } from 'express';",
  "import * as Ably from 'ably';",
  'const ably = new Ably.Rest({ key: process.env.ABLY_API_KEY });',
  'export const tokenRouter = Router();',
  "tokenRouter.get('/ably/token', async (req, res) => {",
  '  const user = req.session.user;',
  '  if (!user) return res.sendStatus(401);',
  '  res.json(await ably.auth.createTokenRequest({ clientId: user.id }));',
  '});',
  '',
].join('\n');

const ORDERS = [
  "import { Router } from 'express';",
  "import * as Ably from 'ably';",
  "import { saveStatus } from './db.js';",
  'const ably = new Ably.Rest({ key: process.env.ABLY_API_KEY });',
  'export const ordersRouter = Router();',
  "ordersRouter.post('PATH', MIDDLEWARE async (req, res) => {",
  '  CHECK',
  '  const order = await saveStatus(req.params.id, req.body.status);',
  '  await ably.channels.get(`orders:${order.shopId}`).publish("order-updated", order);',
  '  res.json(order);',
  '});',
  '',
].join('\n');

const DB =
  "const orders = new Map();\nexport async function saveStatus(id, status) {\n  const order = { ...(orders.get(id) ?? { id, shopId: 'main' }), status };\n  orders.set(id, order);\n  return order;\n}\n";

async function hits(o: { use?: string; path?: string; middleware?: string; check?: string; token?: string; db?: string; dbPath?: string } = {}) {
  const a = await analyzeTree({
    'package.json': PKG,
    'src/app.js': APP.replace('EXTRA_USE', o.use ?? ''),
    'src/token.js': o.token ?? TOKEN,
    'src/orders.js': ORDERS.replace('PATH', o.path ?? '/orders/:id/status')
      .replace('MIDDLEWARE ', o.middleware ? `${o.middleware}, ` : '')
      .replace('CHECK', o.check ?? ''),
    [o.dbPath ?? 'src/db.js']: o.db ?? DB,
  });
  return a.findings.filter((f) => f.id === 'unauthenticated-write-route' || f.id === 'hard-coded-tenant').map((f) => [f.id, f.evidence, f.message]);
}

describe('unauthenticated-write-route and hard-coded-tenant', () => {
  it('a POST that writes and publishes with no caller check, beside a route that checks the session; a constant shop that names the channel', async () => {
    expect(await hits()).toEqual([
      [
        'unauthenticated-write-route',
        'src/orders.js:6',
        '`POST /api/orders/:id/status` changes state (`saveStatus()`, `ably.channels.get().publish()`) and checks no caller: no auth middleware on the route and no read of a session, user or credential in its handler, so anyone who can reach the server can call it, while `GET /api/ably/token` checks `req.session.user` (src/token.js:6)',
      ],
      [
        'hard-coded-tenant',
        'src/db.js:3',
        "`shopId` is set to the constant `'main'` here, and src/orders.js:9 names a channel from `shopId`: a record that takes this value is sent to the subscribers of `main`, whichever shop it belongs to",
      ],
    ]);
  });

  it('quiet where the route checks its caller: inline, by middleware on the route, or by an auth middleware mounted for the app', async () => {
    const route = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'unauthenticated-write-route');
    expect(route(await hits({ check: 'if (!req.session.user) return res.sendStatus(401);' }))).toEqual([]);
    expect(route(await hits({ middleware: 'requireStaff' }))).toEqual([]);
    expect(route(await hits({ use: 'app.use(requireAuth);' }))).toEqual([]);
  });

  it('quiet where no other route checks a caller, and on a sign-in route', async () => {
    const route = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'unauthenticated-write-route');
    expect(route(await hits({ token: TOKEN.replace('  if (!user) return res.sendStatus(401);\n', '') }))).toEqual([]);
    expect(route(await hits({ path: '/login' }))).toEqual([]);
  });

  // A middleware that parses, uploads, validates or limits checks no caller; only a guard silences the rule.
  it('still reports a route whose only middleware is a body parser, upload, validator or rate limiter', async () => {
    const route = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'unauthenticated-write-route').map(([, at]) => at);
    for (const middleware of ['express.json()', "upload.single('file')", 'validate(schema)', 'rateLimit({ max: 10 })'])
      expect(route(await hits({ middleware }))).toEqual(['src/orders.js:6']);
    expect(route(await hits({ middleware: "passport.authenticate('jwt')" }))).toEqual([]);
  });

  // Public by design, or changing nothing the real-time path reads: a contact form that mails, a handler of pure calls.
  it('quiet on a public-by-design path, and on a handler whose calls write no store and publish nothing', async () => {
    const route = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'unauthenticated-write-route').map(([, at]) => at);
    expect(route(await hits({ path: '/contact' }))).toEqual([]);
    const mailer = ORDERS.replace(
      /  CHECK[\s\S]*?  res\.json\(order\);/,
      "  sendMail({ to: 'support@example.com', text: String(req.body.text).slice(0, 2000).trim() });\n  res.sendStatus(204);",
    );
    const a = await analyzeTree({
      'package.json': PKG,
      'src/app.js': APP.replace('EXTRA_USE', ''),
      'src/token.js': TOKEN,
      'src/orders.js': mailer.replace('PATH', '/messages').replace('MIDDLEWARE ', ''),
      'src/db.js': DB,
    });
    expect(a.findings.filter((f) => f.id === 'unauthenticated-write-route')).toEqual([]);
    // A SQL call writes only where its text does.
    const sql = (q: string) =>
      ORDERS.replace('  const order = await saveStatus(req.params.id, req.body.status);', `  const order = await db.query('${q}', [req.params.id]);`)
        .replace('  await ably.channels.get(`orders:${order.shopId}`).publish("order-updated", order);\n', '')
        .replace('PATH', '/orders/:id/status')
        .replace('MIDDLEWARE ', '')
        .replace('CHECK', '');
    for (const [q, expected] of [
      ['SELECT * FROM orders WHERE id = $1', []],
      ['UPDATE orders SET status = 1 WHERE id = $1', ['src/orders.js:6']],
    ] as const) {
      const b = await analyzeTree({
        'package.json': PKG,
        'src/app.js': APP.replace('EXTRA_USE', ''),
        'src/token.js': TOKEN,
        'src/orders.js': sql(q),
        'src/db.js': DB,
      });
      expect(b.findings.filter((f) => f.id === 'unauthenticated-write-route').map((f) => f.evidence)).toEqual(expected);
    }
  });

  it('no tenant finding for a constant in a seed file, or for a key no channel is named from', async () => {
    const tenant = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'hard-coded-tenant');
    expect(tenant(await hits({ dbPath: 'src/seeds/db.js', db: DB }))).toEqual([]);
    expect(tenant(await hits({ db: DB.replace("shopId: 'main'", "region: 'main'") }))).toEqual([]);
  });

  // A label or column map is no record, and a log line names no channel.
  it('no tenant finding for a label map a function returns, or where only a console.log template reads the key', async () => {
    const tenant = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'hard-coded-tenant');
    const labels = `${DB.replace("shopId: 'main'", 'shopId')}export function csvHeader() {\n  return { shopId: 'Shop', id: 'Order', status: 'Status' };\n}\n`;
    expect(tenant(await hits({ db: labels }))).toEqual([]);
    const a = await analyzeTree({
      'package.json': PKG,
      'src/app.js': APP.replace('EXTRA_USE', ''),
      'src/token.js': TOKEN,
      'src/orders.js': ORDERS.replace('PATH', '/orders/:id/status')
        .replace('MIDDLEWARE ', '')
        .replace('CHECK', '')
        .replace('ably.channels.get(`orders:${order.shopId}`)', "ably.channels.get('orders')")
        .replace('  res.json(order);', '  console.log(`status saved for ${order.shopId}`);\n  res.json(order);'),
      'src/db.js': DB,
    });
    expect(a.findings.filter((f) => f.id === 'hard-coded-tenant')).toEqual([]);
  });

  it('a constant tenant in an object handed to a store write, or spread into a record, is reported', async () => {
    const tenant = (x: Awaited<ReturnType<typeof hits>>) => x.filter(([id]) => id === 'hard-coded-tenant').map(([, at]) => at);
    const write =
      "const orders = new Map();\nexport async function saveStatus(id, status) {\n  orders.set(id, { id, shopId: 'main', status });\n  return orders.get(id);\n}\n";
    expect(tenant(await hits({ db: write }))).toEqual(['src/db.js:3']);
    const spread =
      "const orders = new Map();\nexport async function saveStatus(id, status) {\n  const order = { ...orders.get(id), shopId: 'main', status };\n  return order;\n}\n";
    expect(tenant(await hits({ db: spread }))).toEqual(['src/db.js:3']);
  });
});
