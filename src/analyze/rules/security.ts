// Security rules: handshake authentication, token placement, secrets, Origin checks, limits.
import { honoWsSource } from '../model/adapters/hono-bun.js';
import type { PresenceGuard } from '../model/imported-auth.js';
import type { AuditContext, AuditRule, RuleHit } from './types.js';
import { at, signalEvidence } from './types.js';

/** The Pusher WebSocket protocol's own events (https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/). */
const PUSHER_PROTOCOL_EVENT = /^pusher(_internal)?:/;

const SOCKET_SERVERS = new Set(['socket-server', 'ws-server']);

/** The Hono adapter module an `upgradeWebSocket` entry's helper comes from. */
function honoSource(ctx: AuditContext, e: AuditContext['entries'][number]): string | null {
  const a = ctx.analyses.find((x) => x.file === e.file);
  return a && e.call ? honoWsSource(a.ctx, e.call.path) : null;
}

function isFirebaseConfig(a: AuditContext['analyses'][number]): boolean {
  return [...a.ctx.sources].some((s) => s === 'firebase' || s.startsWith('firebase/')) || a.ctx.facts.strings.some((s) => s.key === 'authDomain');
}

function authHits(ctx: AuditContext, kind: string, message: (side: string) => string): RuleHit[] {
  const seen = new Set<string>();
  const out: RuleHit[] = [];
  for (const a of ctx.analyses) {
    for (const h of a.signals.auth) {
      const evidence = `${h.file ?? a.file}:${h.line}`;
      if (h.kind !== kind || seen.has(evidence)) continue;
      seen.add(evidence);
      out.push({ evidence, message: message(h.side) });
    }
  }
  return out;
}

/** What a presence-only guard accepts, and what a client sends to pass it. */
function presenceMessage(g: PresenceGuard): string {
  const who = g.name ? `\`${g.name}\`` : 'The guard';
  const { kind, name } = g.read;
  const [what, send] =
    kind === 'cookie' && name !== null
      ? [`a \`${name}\` cookie is present`, `a \`${name}\` cookie with any value`]
      : kind === 'header' && name !== null
        ? [`an \`${name}\` header is present`, `an \`${name}\` header with any value`]
        : kind === 'cookie'
          ? ['the cookie it reads is present', 'that cookie with any value']
          : ['the request carries any Cookie header', 'any cookie'];
  return `${who} lets the request through when ${what} and never checks the value (no session lookup, signature or token verification): a client that sends ${send} gets past it`;
}

export const SECURITY_RULES: readonly AuditRule[] = [
  {
    id: 'cookie-presence-auth',
    severity: 'high',
    title: 'Credential checked for presence only',
    why: 'A guard that only tests that a cookie or header exists lets in anyone who sends one: cookies and headers are written by the client, so only a server-side session lookup or a signature check proves who the caller is.',
    fix: 'Look the value up in the session store (express-session, iron-session, lucia) or verify its signature or JWT (`getSignedCookie`, `jwt.verify`) before calling `next()`, and reject unknown or expired values with 401.',
    source: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html',
    detect: (ctx) => ctx.analyses.flatMap((a) => (a.signals.presenceAuth ?? []).map((g) => ({ evidence: `${g.file}:${g.line}`, message: presenceMessage(g) }))),
  },
  {
    id: 'client-chosen-identity',
    severity: 'critical',
    title: 'Connection identity chosen by the client',
    why: "Query strings, route parameters and handshake fields are written by the client: a server that files a connection under the user id it is sent, with no authentication, delivers any user's events to whoever names that user.",
    fix: 'Authenticate the request (session cookie, verified JWT or a short-lived ticket) and take the user id from the verified identity, never from the query or the handshake fields; reject the connection with 401 when there is none.',
    source: 'https://owasp.org/Top10/A01_2021-Broken_Access_Control/',
    detect: (ctx) => {
      // Only where nothing on the server authenticates: with a session or token check, a user id in
      // the query may be a filter the server checks against it, which the analysis cannot tell.
      const authenticated = ctx.analyses.some(
        (a) => a.signals.authGate.length > 0 || a.signals.auth.some((h) => h.side === 'server') || (a.signals.presenceAuth ?? []).length > 0,
      );
      if (authenticated) return [];
      // A signature over the request authenticates only that request: the same request (its name and
      // the function it belongs to) read in the same file, not another handler that also calls it `req`;
      // every request of the file where it runs before every route.
      const unsigned = (a: (typeof ctx.analyses)[number]) =>
        (a.signals.clientIdentity ?? []).filter((h) => !(a.signals.signedRequest ?? []).some((s) => s.all || (s.request === h.request && s.fnAt === h.fnAt)));
      return ctx.analyses.flatMap((a) =>
        unsigned(a)
          .slice(0, 1)
          .map((h) => ({
            evidence: `${a.file}:${h.line}`,
            message: `The server takes the user id from \`${h.expr}\`, a value the client sends, and nothing on the server authenticates the request: anyone can send another user's id and be treated as that user`,
          })),
      );
    },
  },
  {
    id: 'token-in-query',
    severity: 'high',
    title: 'Token in the query string',
    why: 'URLs are written to proxy, load-balancer and server access logs and kept in browser history, so a token in the query string leaks to everyone who can read those logs.',
    fix: 'Send the token in the Socket.IO `auth` payload, a first authentication message, an HttpOnly cookie, or the Sec-WebSocket-Protocol header; if a URL token is unavoidable, make it a single-use ticket that expires in seconds.',
    source: 'https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url',
    detect: (ctx) =>
      authHits(ctx, 'jwt-query', (side) =>
        side === 'client' ? 'Client puts the auth token in the connection URL query string' : 'Server reads the auth token from the query string',
      ),
  },
  {
    id: 'api-key-in-browser',
    severity: 'critical',
    title: 'API key shipped to the browser',
    why: 'Variables prefixed VITE_, NEXT_PUBLIC_ or REACT_APP_ are inlined into the JavaScript bundle: anyone can read the key from the browser and spend your quota or access your account.',
    fix: 'Keep the key on the server and mint a short-lived ephemeral token (OpenAI Realtime client secret, Gemini ephemeral token, LiveKit access token) from an authenticated route.',
    source: 'https://vite.dev/guide/env-and-mode',
    detect: (ctx) =>
      authHits(ctx, 'api-key-in-client', () => 'A secret API key is read from a client-exposed environment variable and ends up in the browser bundle'),
  },
  {
    id: 'no-handshake-auth',
    severity: 'high',
    title: 'No authentication at the handshake',
    why: 'Anyone who can reach the endpoint can open a connection, receive broadcasts and send events; authenticating later, per message, is easy to forget on one handler.',
    fix: 'Authenticate during the handshake (Socket.IO `io.use` middleware, ws `verifyClient` or the HTTP `upgrade` handler) and reject the connection before it is accepted; attach the user to the socket.',
    source: 'https://socket.io/docs/v4/middlewares/',
    detect: (ctx) => {
      // Authentication by the first message is not at the handshake: the finding stands, and says where it is.
      const gated = ctx.analyses.some((a) => a.signals.authGate.length > 0 || a.signals.auth.some((h) => h.side === 'server' && h.kind !== 'first-message'));
      if (gated) return [];
      const first = signalEvidence(ctx, (a) => a.signals.auth.filter((h) => h.kind === 'first-message' && h.file === undefined).map((h) => h.line))[0];
      const message = first
        ? `Connections are accepted without authentication at the handshake; the first message authenticates them (${first}) before any other handler is registered`
        : 'Connections are accepted without any authentication check at the handshake';
      const servers = ctx.entries.filter((e) => SOCKET_SERVERS.has(e.kind));
      // A server speaking the Pusher protocol (it sends the protocol's `pusher:` events): its
      // connections are anonymous by design, and private- and presence- channels are authorized per
      // subscription by the signature `pusher:subscribe` carries. Whether this server verifies it is not read.
      const pusher = ctx.rawEvents.find((e) => e.side === 'server' && e.transport === 'websocket' && PUSHER_PROTOCOL_EVENT.test(e.name) && !e.protocol);
      if (pusher && !first)
        return servers.map((e) => ({
          evidence: at(e),
          message: `Connections are accepted without authentication at the handshake, as the Pusher protocol it speaks (\`${pusher.name}\` at ${pusher.file}:${pusher.line}) has it: only private- and presence- channel subscriptions are authorized, by the \`auth\` signature of \`pusher:subscribe\`; rt-plan does not read whether that signature is verified`,
          severity: 'info' as const,
          why: 'Pusher clients connect anonymously and need no credential to read public channels; what must hold is that every private- or presence- subscription (and a user sign-in) is refused unless its signature, made by the app secret, matches.',
          fix: 'Keep the handshake anonymous, as Pusher clients expect; verify the `auth` of every private-/presence- `pusher:subscribe` (HMAC-SHA256 of `socket_id:channel_name`, with the channel data for presence) against the app secret before subscribing, and refuse an unknown app key at the upgrade.',
          source: 'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/',
        }));
      return servers.map((e) => ({ evidence: at(e), message }));
    },
  },
  {
    id: 'no-origin-check',
    severity: 'high',
    title: 'No Origin check',
    why: 'Browsers send cookies with cross-site WebSocket handshakes and WebSockets are not covered by CORS, so any web page can open an authenticated socket as the visitor (cross-site WebSocket hijacking).',
    fix: 'Check the Origin header against an allow-list at the handshake (ws `verifyClient`, the `upgrade` handler, or Socket.IO `cors.origin` / `allowRequest`); never allow `*` with credentials.',
    source: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/10-Testing_WebSockets',
    detect: (ctx) => {
      const wildcard = signalEvidence(ctx, (a) => a.signals.corsWildcard).map((evidence) => ({
        evidence,
        message: 'CORS origin allows any site (`*` or `true`)',
      }));
      if (wildcard.length > 0) return wildcard;
      if (signalEvidence(ctx, (a) => a.signals.originCheck).length > 0) return [];
      return ctx.entries.filter((e) => SOCKET_SERVERS.has(e.kind)).map((e) => ({ evidence: at(e), message: 'Handshakes are accepted from any Origin' }));
    },
  },
  {
    id: 'no-payload-limit',
    severity: 'medium',
    title: 'No payload size limit',
    why: 'The ws library accepts messages up to 100 MiB by default: a single client can exhaust server memory with a few large frames.',
    fix: 'Set `maxPayload` (ws, @fastify/websocket options) to the largest message the protocol needs, e.g. 64 KiB, and validate sizes per event.',
    source: 'https://github.com/websockets/ws/blob/master/doc/ws.md#new-websocketserveroptions-callback',
    detect: (ctx) => {
      if (signalEvidence(ctx, (a) => a.signals.payloadLimit).length > 0) return [];
      return (
        ctx.entries
          // Workers and Durable Objects cap a WebSocket message at 1 MiB themselves; of Hono's
          // helpers only @hono/node-ws makes a ws server with ws's default (its own
          // `new WebSocketServer({ noServer: true })`), the others run on Bun, Deno or Workers.
          .filter((e) => e.kind === 'ws-server' && e.call?.method !== 'ws' && !(e.provider ?? '').startsWith('cloudflare-'))
          .filter((e) => e.call?.method !== 'upgradeWebSocket' || honoSource(ctx, e) === '@hono/node-ws')
          .map((e) => ({ evidence: at(e), message: 'WebSocket server sets no maxPayload, so the 100 MiB default applies' }))
      );
    },
  },
  {
    id: 'hard-coded-secret',
    severity: 'critical',
    title: 'Hard-coded secret',
    why: 'A credential in source code is in every clone, fork, CI log and bundle built from it, and stays in git history after it is removed.',
    fix: 'Revoke and rotate the credential now, read it from the server environment or a secret manager, and add a secret scanner to CI.',
    source: 'https://cwe.mitre.org/data/definitions/798.html',
    // A Firebase web config's Google API key identifies the project; security rules guard the data.
    // https://firebase.google.com/docs/projects/api-keys
    detect: (ctx) =>
      ctx.analyses.flatMap((a) =>
        a.ctx.facts.secrets
          .filter((s) => !(s.kind === 'google-api-key' && isFirebaseConfig(a)))
          .map((s) => ({ evidence: `${a.file}:${s.line}`, message: `Hard-coded credential (${s.kind}) in source; the value is not shown here` })),
      ),
  },
  {
    id: 'permessage-deflate-enabled',
    severity: 'low',
    title: 'Per-message compression enabled without limits',
    why: 'permessage-deflate keeps a zlib context per connection (hundreds of KB each) and costs CPU on every frame; with many connections it dominates memory, and it is slow for small messages.',
    fix: 'Enable compression only for large payloads (set `threshold`, limit `concurrencyLimit`, disable context takeover) or turn it off and measure.',
    source: 'https://github.com/websockets/ws#websocket-compression',
    detect: (ctx) =>
      signalEvidence(ctx, (a) => (a.entries.some((e) => e.side === 'server') ? a.signals.compression : [])).map((evidence) => ({
        evidence,
        message: 'Per-message deflate is enabled on the server',
      })),
  },
  {
    id: 'unguarded-json-parse',
    severity: 'high',
    title: 'Inbound frames parsed without a guard',
    why: "A 'message' listener runs inside the socket's event emitter: JSON.parse throwing on one malformed or hostile frame becomes an uncaught exception that stops the process and every connection on it.",
    fix: 'Parse inbound frames in try/catch (or a safe-parse helper that also validates the schema), answer a malformed frame with an error message, count it, and keep the connection open unless the client keeps sending garbage.',
    source: 'https://cheatsheetseries.owasp.org/cheatsheets/WebSocket_Security_Cheat_Sheet.html',
    detect: (ctx) =>
      ctx.analyses
        .filter((a) => a.entries.some((e) => e.kind === 'ws-server'))
        .flatMap((a) =>
          a.ctx.facts.calls
            .filter((c) => c.path === 'JSON.parse' && c.inMessage && !c.inTry)
            .map((c) => ({
              evidence: `${a.file}:${c.line}`,
              message: "JSON.parse of an inbound frame outside try/catch: one malformed frame throws inside the 'message' listener and crashes the server",
            })),
        ),
  },
];
