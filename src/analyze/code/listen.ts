// Where the process's HTTP server starts listening: the server a deploy drains (`server.close()`
// stops new connections), which is not the route or handler a stream is written in.
// Node's `server.listen()` (https://nodejs.org/api/net.html#serverlisten) covers http/https
// servers, Express `app.listen` (https://expressjs.com/en/api.html#app.listen), Fastify, Koa and
// Socket.IO `io.listen`; @hono/node-server's `serve()` (https://hono.dev/docs/getting-started/nodejs);
// `Bun.serve()` and `Deno.serve()`. Event-listener APIs named `listen` (Laravel Echo's
// `channel(…).listen('Event', cb)`) take an event name first and are not servers.
import type { CallFact } from './facts.js';
import { type FileContext, moduleOf } from './file-context.js';

/** Raw TCP and UDP servers (an ident or syslog listener next to the web server) carry no HTTP. */
const NOT_HTTP = new Set(['net', 'node:net', 'dgram', 'node:dgram', 'tls', 'node:tls']);

function isListen(c: CallFact, ctx: FileContext): boolean {
  if (c.isNew) return false;
  if (c.method === 'listen' && c.path.includes('.')) {
    const first = c.args[0];
    const init = ctx.facts.vars.find((v) => v.name === c.root)?.init.replace(/^new /, '');
    if (init !== undefined && NOT_HTTP.has(moduleOf(ctx, init) ?? '')) return false;
    return first === undefined || (first.kind !== 'string' && first.kind !== 'template' && first.kind !== 'function');
  }
  if (c.path === 'Bun.serve' || c.path === 'Deno.serve') return true;
  return c.method === 'serve' && moduleOf(ctx, c.path) === '@hono/node-server';
}

/** The first line of the file where an HTTP server starts listening, or null. */
export function listenLine(ctx: FileContext): number | null {
  const lines = ctx.facts.calls.filter((c) => isListen(c, ctx)).map((c) => c.line);
  return lines.length > 0 ? Math.min(...lines) : null;
}
