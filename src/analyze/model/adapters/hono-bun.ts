// Hono's `upgradeWebSocket(c => ({ onMessage, onClose }))` and Bun's
// `Bun.serve({ websocket: { message, open, close } })` + `server.upgrade(req)`.
// https://hono.dev/docs/helpers/websocket · https://bun.sh/docs/api/websockets
import type { EntryHit } from '../../code/entrypoints.js';
import type { FileContext } from '../../code/file-context.js';
import { findProp } from '../../code/file-context.js';
import type { Adapter } from './types.js';

const HONO_WS = ['hono/cloudflare-workers', 'hono/bun', 'hono/deno', '@hono/node-ws', 'hono/ws'];

export const HONO_BUN_ADAPTER: Adapter = {
  name: 'hono-bun',
  modules: HONO_WS,
  applies: (ctx) => ctx.facts.calls.some((c) => c.method === 'upgradeWebSocket' || c.path === 'Bun.serve'),
  entries: (ctx) =>
    ctx.facts.calls.flatMap((c): EntryHit[] => {
      const hono = c.method === 'upgradeWebSocket' && HONO_WS.some((m) => ctx.sources.has(m));
      const bun = c.path === 'Bun.serve' && findProp(c.args, 'websocket') !== null;
      return hono || bun ? [{ file: ctx.file, line: c.line, kind: 'ws-server', side: 'server', transport: 'websocket', provider: null, call: c }] : [];
    }),
};
