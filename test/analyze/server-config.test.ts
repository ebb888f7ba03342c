// model facts server-config, channel-publish and channel-auth-check: the Centrifugo config file the
// project keeps (settings at their lines), our publishes to a configured namespace's channels, and
// the access check a subscription-token route calls. A second layout next to model-unmodelled:
// the config at the root, a Redis engine, an address that carries a password, a POST route.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'orders', type: 'module', dependencies: { centrifuge: '^5.2.2', express: '^4.21.1', jsonwebtoken: '^9.0.2' } });

const CONFIG = [
  '{',
  '  "engine": "redis",',
  '  "redis_address": "redis://:hunter2@redis:6379",',
  '  "namespaces": [',
  '    { "name": "chat", "presence": true },',
  '    {',
  '      "name": "order",',
  '      "history_size": 20,',
  '      "history_ttl": "1h",',
  '      "force_recovery": true',
  '    }',
  '  ]',
  '}',
  '',
].join('\n');

const SERVER = [
  "import express from 'express';",
  "import jwt from 'jsonwebtoken';",
  "import { canReadOrder } from './access.js';",
  "import { centrifugo } from './centrifugo.js';",
  'const app = express();',
  "app.post('/orders/:id/state', async (req, res) => {",
  '  await centrifugo.publish(`order:${req.params.id}`, { state: req.body.state, at: Date.now() });',
  '  res.sendStatus(202);',
  '});',
  "app.post('/rt/sub-token', async (req, res) => {",
  '  const channel = String(req.body.channel);',
  "  if (!(await canReadOrder(req.user, channel.slice('order:'.length)))) return res.sendStatus(403);",
  "  res.json({ token: jwt.sign({ sub: req.user, channel }, 'k', { expiresIn: '5m' }) });",
  '});',
  'const server = app.listen(3000);',
  "process.on('SIGTERM', () => server.close());",
  '',
].join('\n');

const CLIENT = [
  "import { Centrifuge } from 'centrifuge';",
  "export const c = new Centrifuge('wss://rt.example.com/connection/websocket', { getToken: async () => '' });",
  'export function follow(id: string) {',
  '  const sub = c.newSubscription(`order:${id}`);',
  '  sub.subscribe();',
  '  return sub;',
  '}',
  '',
].join('\n');

const tree = (config: Record<string, string>) => ({
  'package.json': PKG,
  'src/server.ts': SERVER,
  'src/access.ts': 'export async function canReadOrder(user: string, id: string): Promise<boolean> { return user !== id; }\n',
  'src/centrifugo.ts': 'export const centrifugo = { publish: async (channel: string, data: unknown) => { void channel; void data; } };\n',
  'src/web/rt.ts': CLIENT,
  ...config,
});

describe('Centrifugo config and channel facts', () => {
  it('reads a root config.json: engine, namespaces and their history settings at their lines; an address only as set', async () => {
    const a = await analyzeTree(tree({ 'config.json': CONFIG }));
    const facts = (a.modelFacts ?? []).filter((f) => f.kind === 'server-config').map((f) => [f.name, f.store ?? null, f.value ?? null, f.evidence]);
    expect(facts).toEqual([
      ['file', null, 'engine', 'config.json:1'],
      ['engine', '', 'redis', 'config.json:2'],
      ['redis_address', '', 'set', 'config.json:3'],
      ['namespace', 'chat', 'chat', 'config.json:5'],
      ['presence', 'chat', 'true', 'config.json:5'],
      ['namespace', 'order', 'order', 'config.json:7'],
      ['history_size', 'order', '20', 'config.json:8'],
      ['history_ttl', 'order', '1h', 'config.json:9'],
      ['force_recovery', 'order', 'true', 'config.json:10'],
    ]);
    expect(JSON.stringify(a.modelFacts)).not.toContain('hunter2');
  });

  it('finds our publish to a configured namespace and the check the token route calls before signing', async () => {
    const a = await analyzeTree(tree({ 'config.json': CONFIG }));
    const of = (kind: string) => (a.modelFacts ?? []).filter((f) => f.kind === kind).map((f) => [f.name, f.value ?? f.store, f.evidence]);
    expect(of('channel-publish')).toEqual([['order:{id}', 'state, at', 'src/server.ts:7']]);
    expect(of('channel-auth-check')).toEqual([['canReadOrder', '/rt/sub-token', 'src/server.ts:12']]);
  });

  it("a config.json that is not Centrifugo's gives no facts", async () => {
    const a = await analyzeTree(tree({ 'config.json': JSON.stringify({ port: 3000, db: 'postgres://x' }) }));
    expect((a.modelFacts ?? []).filter((f) => f.kind === 'server-config' || f.kind === 'channel-publish')).toEqual([]);
  });
});
