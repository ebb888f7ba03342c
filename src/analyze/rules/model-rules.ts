// Rules that read the project model across files: room re-joins after a reconnect, volatile
// emits of messages that must arrive, identity taken from the payload, subscriptions opened in
// effects without cleanup, and AI answers lost when the client disconnects.
import { entryOptions } from '../code/entrypoints.js';
import { firstString } from '../code/file-context.js';
import type { CallFact } from '../code/fact-types.js';
import type { FileAnalysis } from '../code/scan.js';
import { STREAM_RESPONSE } from '../model/adapters/ai-sdk.js';
import { listenerHits } from './protocol.js';
import { type AuditRule, type RuleHit, at } from './types.js';

const JOIN = /join|subscribe|enter|watch/i;
/** Messages that a newer one supersedes: losing one is harmless, so `volatile` fits them. */
const EPHEMERAL = /cursor|typing|presence|position|pointer|mouse|ping|heartbeat|progress|viewport|scroll|awareness|telemetry|tick|price|location|viewers/i;
const IDENTITY_FIELD = /^(userId|user_id|authorId|author_id|senderId|sender_id|fromUserId|uid|ownerId)$/;
const LISTEN = new Set(['on', 'once']);

const isSioClient = (a: FileAnalysis): boolean =>
  a.ctx.sources.has('socket.io-client') || a.events.some((e) => e.transport === 'socket.io' && e.side === 'client');
const isServerSide = (a: FileAnalysis): boolean =>
  a.companionOf !== undefined || a.entries.some((e) => e.side === 'server') || a.events.some((e) => e.side === 'server');

/** Events Socket.IO fires itself: a listener for one is not a handler of a client's message. */
const RESERVED = /^(connect|connection|disconnect|disconnecting|error|connect_error|reconnect)$/;

interface JoiningListener {
  event: string;
  file: string;
  /** The listener's line. */
  line: number;
  /** The `join` call on the listener's own socket. */
  join: CallFact;
  /** The handler's first parameter: the client's payload. */
  payload: string | undefined;
}

/**
 * Server listeners for a client's event that put their own socket in a room:
 * `socket.on('login', (data) => { socket.join(…) })`, also in a module the socket is handed to.
 */
function joiningListeners(analyses: readonly FileAnalysis[]): JoiningListener[] {
  return analyses.filter(isServerSide).flatMap((a) =>
    a.ctx.facts.calls.flatMap((l) => {
      const event = firstString(l.args[0]);
      const fn = l.args.find((x) => x.kind === 'function');
      if (!LISTEN.has(l.method) || event === null || RESERVED.test(event) || !fn) return [];
      const join = a.ctx.facts.calls.find((c) => c.method === 'join' && c.root === l.root && c.listener === l.line && c.line >= l.line);
      return join ? [{ event, file: a.file, line: l.line, join, payload: fn.params?.[0] }] : [];
    }),
  );
}

/**
 * The server's `connectionStateRecovery` option, where a Socket.IO server sets it: a reconnect within
 * `maxDisconnectionDuration` (2 minutes by default) gets the old socket's id and rooms back, so a room
 * is lost only after a longer drop or when recovery fails (`socket.recovered === false`).
 * https://socket.io/docs/v4/connection-state-recovery
 */
function stateRecovery(analyses: readonly FileAnalysis[]): { evidence: string; withinMd: string } | null {
  for (const a of analyses) {
    for (const e of a.entries) {
      if (e.kind !== 'socket-server') continue;
      const o = entryOptions(e)?.props?.connectionStateRecovery;
      // `true` turns it on with the defaults (Socket.IO merges the option over them); `false` leaves it off.
      if (!o || (o.kind === 'bool' && o.bool !== true)) continue;
      const d = o.props?.maxDisconnectionDuration;
      const withinMd =
        d?.kind === 'number' && d.num !== undefined && Number.isFinite(d.num)
          ? `\`maxDisconnectionDuration\` (${d.num.toLocaleString('en-US')} ms here)`
          : d
            ? '`maxDisconnectionDuration` as set there'
            : o.kind === 'object' || o.kind === 'bool'
              ? '`maxDisconnectionDuration` (2 minutes by default)'
              : '`maxDisconnectionDuration`';
      return { evidence: `${a.file}:${o.line}`, withinMd };
    }
  }
  return null;
}

/** Who loses the room after a reconnect: every reconnected socket, or with state recovery only those whose drop outlasts it. */
function afterReconnect(recovery: ReturnType<typeof stateRecovery>): string {
  return recovery
    ? `the server sets \`connectionStateRecovery\` (${recovery.evidence}), which gives a socket back its rooms when it reconnects within ${recovery.withinMd}; after a longer drop, or when recovery fails (\`socket.recovered === false\`), the new server-side socket`
    : 'after an automatic reconnect the new server-side socket';
}

function rejoinHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  const clients = analyses.filter(isSioClient);
  // A 'connect' (or manager 'reconnect') listener anywhere on the client side may re-join.
  const rejoins = clients.some((a) => a.ctx.facts.calls.some((c) => LISTEN.has(c.method) && /^(connect|reconnect)$/.test(firstString(c.args[0]) ?? '')));
  if (rejoins) return [];
  // The server joins the room inside the handler of an event the client sends: a client that
  // sends it outside any 'connect' listener sends it once, and a reconnected socket never joins.
  const joins = new Map(joiningListeners(analyses).map((j) => [j.event, j] as const));
  const recovery = stateRecovery(analyses.filter(isServerSide));
  const lost = afterReconnect(recovery);
  const once: RuleHit[] = clients.flatMap((a) =>
    a.ctx.facts.calls
      .filter((c) => c.method === 'emit' && c.args[0]?.kind === 'string' && joins.has(c.args[0].str ?? ''))
      .map((c) => {
        const j = joins.get(c.args[0]?.str ?? '')!;
        return {
          evidence: `${a.file}:${c.line}`,
          event: j.event,
          message: `'${j.event}' is sent outside any 'connect' listener, and the server joins the room only in its '${j.event}' handler (${j.file}:${j.join.line}): ${lost} never receives '${j.event}', so it is in no room`,
          fix: `Send '${j.event}' again in a \`socket.on('connect', …)\` listener (it runs after every reconnect), or verify the user in \`io.use()\` and join the room in the \`connection\` handler.`,
        };
      }),
  );
  const seen = new Set(once.map((h) => h.evidence));
  return once.concat(effectJoinHits(clients, recovery ? lost : 'after a reconnect the server has a new socket that').filter((h) => !seen.has(h.evidence)));
}

function effectJoinHits(clients: readonly FileAnalysis[], lost: string): RuleHit[] {
  return clients.flatMap((a) =>
    a.ctx.facts.effects.flatMap((eff) =>
      eff.calls
        .filter((c) => c.method === 'emit' && c.args[0]?.kind === 'string' && JOIN.test(c.args[0].str ?? ''))
        .slice(0, 1)
        .map((c) => ({
          evidence: `${a.file}:${c.line}`,
          event: c.args[0]?.str,
          message: `'${c.args[0]?.str}' is emitted once when the effect runs; ${lost} is in no room, and nothing joins again`,
        })),
    ),
  );
}

/** A call that checks a credential: a password hash, a signed token, a session lookup. */
const VERIFY = /verif|compare|authenticat|check|validat|login|signin|decode|bcrypt|argon|scrypt|timingSafeEqual/i;
/** A payload field that carries a credential. */
const SECRET_FIELD = /pass(word|wd)?|token|secret|jwt|otp|ticket/i;
/**
 * A call that checks the user may do this (`canRead(user, room)`, `authorize(…)`, `checkAccess`,
 * `assertMember`, `isRoomMember`, `hasAccess`): an access check stands between the message and the join.
 */
const AUTHORIZE = /^(?:can[A-Z_]|authori[sz]e|check|assert|is\w*Member|has\w*(?:Access|Permission|Role))/;
/**
 * The last key of a value that names the user: `data.username`, `data.userId`, `socket.userID`,
 * `socket.data.user`. A room id (`data.roomId`, `data.boardId`) names no user.
 */
const USER_NAMED = /^(?:user|users?_?name|user_?id|uid|email|login)$/i;
const lastKey = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/**
 * `socket.on('login', (data) => { socket.userID = data.username; socket.join(socket.userID); })`:
 * a room named by the user the client's message names (a payload field named for the user, or a
 * value the handler also keeps as the connection's user), joined with nothing in the handler checking
 * a credential or the user's access (no call that verifies or authorizes, no credential field of the
 * payload handed to a call). Where a handshake gate (`io.use`) authenticates the connection, a user
 * id in the payload is `identity-from-payload`'s finding, not this one.
 */
function unverifiedJoinHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  if (analyses.some((a) => a.signals.authGate.length > 0)) return [];
  const byFile = new Map(analyses.map((a) => [a.file, a] as const));
  return joiningListeners(analyses).flatMap((j) => {
    const a = byFile.get(j.file)!;
    const p = j.payload;
    const room = j.join.args[0];
    if (!p || !room?.path || (room.kind !== 'member' && room.kind !== 'ident')) return [];
    const fromPayload = (line: number): string | undefined =>
      a.ctx.facts.members.find((m) => m.line === line && m.path.startsWith(`${p}.`) && !SECRET_FIELD.test(m.path.slice(p.length + 1)))?.path;
    // The room is a payload field, or a value the same handler set from one (`socket.userID = data.username`).
    const write = (a.ctx.facts.writes ?? []).find((w) => w.target === room.path && w.listener === j.line && fromPayload(w.line) !== undefined);
    const source = room.path.startsWith(`${p}.`) ? room.path : write ? fromPayload(write.line) : undefined;
    if (!source || !(USER_NAMED.test(lastKey(source)) || USER_NAMED.test(lastKey(room.path)))) return [];
    const inHandler = a.ctx.facts.calls.filter((c) => c.listener === j.line && c.line >= j.line);
    const checks = inHandler.some(
      (c) =>
        VERIFY.test(c.method) ||
        VERIFY.test(c.path) ||
        AUTHORIZE.test(c.method) ||
        c.args.some((x) => x.path !== undefined && x.path.startsWith(`${p}.`) && SECRET_FIELD.test(x.path.slice(p.length + 1))),
    );
    if (checks) return [];
    return [
      {
        evidence: `${a.file}:${write?.line ?? j.join.line}`,
        message: `The '${j.event}' handler takes the user from \`${source}\` of the client's message${write ? ` (\`${write.target}\`)` : ''} and joins that user's room (line ${j.join.line}) without checking any credential: any client can send another user's name and receive that user's room`,
      },
    ];
  });
}

function volatileHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.flatMap((a) =>
    a.ctx.facts.calls
      .filter((c) => c.method === 'emit' && /(^|\.)volatile\./.test(c.path) && c.args[0]?.kind === 'string' && !EPHEMERAL.test(c.args[0].str ?? ''))
      .map((c) => ({
        evidence: `${a.file}:${c.line}`,
        message: `'${c.args[0]?.str}' is emitted with volatile: Socket.IO drops it when the client is not ready or the buffer is full, and nothing sends it again`,
      })),
  );
}

/** Parameters that carry the client's message: Socket.IO handler arguments, Nest @SubscribeMessage bodies. */
function payloadParams(a: FileAnalysis): Set<string> {
  const out = new Set<string>();
  for (const c of a.ctx.facts.calls) {
    const name = firstString(c.args[0]);
    if (!LISTEN.has(c.method) || name === null || /^(connect|connection|disconnect)$/.test(name)) continue;
    for (const p of c.args.find((x) => x.kind === 'function')?.params ?? []) if (p) out.add(p);
  }
  for (const k of a.ctx.facts.module?.classes ?? []) {
    for (const m of k.methods) if (m.decorators.some((d) => d.name === 'SubscribeMessage')) for (const p of m.params.slice(1)) if (p) out.add(p);
  }
  return out;
}

function identityHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  // Only where the server knows who the client is: otherwise there is nothing better to use.
  const verified = analyses.some((a) => a.signals.authGate.length > 0 || a.signals.auth.some((h) => h.side === 'server' && h.kind !== 'api-key-in-client'));
  if (!verified) return [];
  return analyses.filter(isServerSide).flatMap((a) => {
    const params = payloadParams(a);
    return a.ctx.facts.members
      .filter((m) => {
        const [root, field, more] = m.path.split('.');
        return more === undefined && root !== undefined && params.has(root) && IDENTITY_FIELD.test(field ?? '');
      })
      .map((m) => ({
        evidence: `${a.file}:${m.line}`,
        message: `\`${m.path}\` takes the user's identity from the client's message; any client can claim to be anyone`,
      }));
  });
}

/** Who a message claims to be from: a display name counts, since receivers show it. */
const PEER_IDENTITY = /^(name|user|userName|username|displayName|author|userId|user_id|authorId|senderId|uid)$/;

/**
 * Pusher client events on a presence channel: Pusher adds the sender's verified `user_id` to
 * each one (the bind callback's second argument), so a receiver that shows a name or id from
 * the payload trusts what any member could write instead.
 * https://pusher.com/docs/channels/using_channels/events/#user-id-in-client-events
 */
function peerIdentityHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.flatMap((a) => {
    if (!a.ctx.sources.has('pusher-js') || !a.ctx.facts.strings.some((s) => s.value.startsWith('presence-'))) return [];
    const params = new Set<string>();
    for (const c of a.ctx.facts.calls) {
      if (c.method !== 'bind' || !(firstString(c.args[0]) ?? '').startsWith('client-')) continue;
      const p = c.args.find((x) => x.kind === 'function')?.params?.[0];
      if (p) params.add(p);
    }
    return a.ctx.facts.members
      .filter((m) => {
        const [root, field, more] = m.path.split('.');
        return more === undefined && root !== undefined && params.has(root) && PEER_IDENTITY.test(field ?? '');
      })
      .map((m) => ({
        evidence: `${a.file}:${m.line}`,
        message: `\`${m.path}\` shows who sent a client event from its payload, which any channel member can forge; Pusher adds the verified user_id to client events on presence channels`,
        // pusher-js passes client events on presence channels a second argument whose `user_id` Pusher
        // sets from the member the authorization route signed (pusher-js README, "Binding to events").
        fix: "Take the sender from the handler's second argument (`(data, metadata) => …`): Pusher sets `metadata.user_id` to the member the authorization route signed; show `channel.members.get(metadata.user_id).info` (the name the server put in `user_info`) and ignore names in the payload.",
      }));
  });
}

function effectSubscriptionHits(analyses: readonly FileAnalysis[], listeners: ReadonlySet<string>): RuleHit[] {
  return analyses.flatMap((a) =>
    a.ctx.facts.effects
      .filter((eff) => eff.cleanup === null)
      .flatMap((eff) => eff.calls.filter((c) => c.method === 'subscribe' && c.path.includes('.')).slice(0, 1))
      .filter((c) => !listeners.has(`${a.file}:${c.line}`))
      .map((c) => ({
        evidence: `${a.file}:${c.line}`,
        message: `Effect opens \`${c.path}\` and returns no cleanup: every remount adds a subscription that is never closed`,
      })),
  );
}

/** A field that names which version of a document a copy or a change is based on. */
const VERSION_FIELD = /^(?:base|expected|last|current|server|parent|known)?_?(?:version|rev|revision|etag)$/i;
/** Calls that send a value to the server (or build the body that does). */
const WRITE = /^(?:emit|emitWithAck|send|sendJson|sendJSON|sendJsonMessage|sendMessage|publish|trigger|mutate|stringify)$/;
const LISTENER = /^(?:on|once|subscribe|listen|addListener|addEventListener|bind|onEvent|onMessage)$/;

/**
 * Optimistic concurrency on the client: a write carries the version its copy is based on
 * (`{ baseVersion: version }`) and the server refuses writes based on an older one. A listener
 * that moves that version forward from a server event but leaves the copy as it was makes the
 * next write claim a version its content is not at: the check passes and the write, built from
 * the stale copy, erases the change the event announced. Fires only where the listener's
 * callback reads nothing but version fields of the event and sets nothing but that version.
 */
function staleVersionHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses
    .filter((a) => !isServerSide(a))
    .flatMap((a) => {
      const { calls, members, assigns } = a.ctx.facts;
      // `{ baseVersion: version }` in a write: the local variable the writes are based on, and where.
      const based = new Map<string, number>();
      for (const c of calls) {
        if (!WRITE.test(c.method)) continue;
        for (const arg of c.args)
          for (const [k, v] of Object.entries(arg.props ?? {}))
            if (VERSION_FIELD.test(k) && v.kind === 'ident' && v.path && !based.has(v.path)) based.set(v.path, c.line);
      }
      if (based.size === 0) return [];
      return calls.flatMap((l): RuleHit[] => {
        const event = firstString(l.args[0]);
        const fn = l.args.find((x) => x.kind === 'function');
        if (!LISTENER.test(l.method) || event === null || !fn || fn.endLine === undefined) return [];
        const param = fn.params?.[0] || null;
        const picked = fn.destructured ?? [];
        if (!param && picked.length === 0) return [];
        const within = (line: number): boolean => line >= l.line && line <= fn.endLine!;
        const inner = calls.filter((c) => c.listener === l.line);
        // What the callback reads of the event: `p.version`, or `({ version })`.
        const reads = [
          ...(param ? members.filter((m) => within(m.line) && m.path.startsWith(`${param}.`)).map((m) => m.path.split('.')[1] ?? '') : []),
          ...picked,
        ];
        if (reads.length === 0 || !reads.every((f) => VERSION_FIELD.test(f))) return [];
        // The whole event handed on (`apply(p)`) may apply the change.
        const usesWhole = param !== null && inner.some((c) => c.args.some((x) => x.kind === 'ident' && x.path === param));
        if (usesWhole || assigns.some((s) => within(s.line) && !VERSION_FIELD.test(s.target.split('.').pop() ?? ''))) return [];
        const hits = [...based].flatMap(([name, writeLine]) => {
          const setter = `set${name[0]!.toUpperCase()}${name.slice(1)}`;
          const sets = inner.some((c) => c.path === setter);
          const others = inner.some((c) => c.path !== setter && !/^console\./.test(c.path));
          return sets && !others ? [{ name, setter, writeLine }] : [];
        });
        return hits.slice(0, 1).map((h) => ({
          evidence: `${a.file}:${l.line}`,
          message: `The '${event}' listener moves '${h.name}' forward (${h.setter}) but applies nothing the event carries: the local copy stays as it was, and the next write (line ${h.writeLine}) sends that stale copy with the new '${h.name}', so a version check on it passes and it erases the other client's change`,
        }));
      });
    });
}

function aiStreamHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.flatMap((a) => {
    const entry = a.entries.find((e) => e.kind === 'sse-endpoint' && STREAM_RESPONSE.test(e.call?.method ?? ''));
    if (!entry) return [];
    const keeps = a.ctx.facts.calls.some((c) => c.method === 'consumeStream' || c.args.some((x) => x.props?.onFinish !== undefined));
    return keeps
      ? []
      : [
          {
            evidence: at(entry),
            message: 'The answer is streamed only to the open request: if the client disconnects the generation stops with it and nothing saves the answer',
          },
        ];
  });
}

/** A credential's name: what goes stale when read once and reused. */
const CREDENTIAL = /^(?:token|accessToken|access_token|authToken|jwt|idToken|bearer|ticket)$/i;

/**
 * `new ReconnectingWebSocket(() => \`wss://…?token=${token}\`)`: the library calls the URL function again
 * on every reconnect, but the function only reads a token captured outside it (a parameter of the
 * code that opened the socket, a module constant), so every reconnect sends the same one.
 */
function capturedTokenHits(analyses: readonly FileAnalysis[]): RuleHit[] {
  return analyses.flatMap((a) =>
    a.ctx.facts.calls.flatMap((c) => {
      const fn = c.isNew ? c.args[0] : undefined;
      const url = fn?.kind === 'function' ? fn.returns : undefined;
      if (url?.kind !== 'template' || !/^wss?:|^\$\{/.test(url.str ?? '')) return [];
      const own = new Set(fn!.params ?? []);
      const hit = (url.exprs ?? []).find((x) => x.kind === 'ident' && x.path && CREDENTIAL.test(x.path) && !own.has(x.path));
      return hit
        ? [
            {
              evidence: `${a.file}:${c.line}`,
              message: `the URL function passed to '${c.method}' puts '${hit.path}' in the URL, read once outside it: each reconnect calls the function again but sends the same token, so once it expires every reconnect is refused`,
            },
          ]
        : [];
    }),
  );
}

export const MODEL_RULES: readonly AuditRule[] = [
  {
    id: 'token-captured-for-reconnect',
    severity: 'high',
    title: 'Reconnects reuse a token read once',
    why: 'The client library builds the URL again for every reconnect, but the token in it was read once when the socket was created: after it expires, every reconnect fails authentication and the client never comes back.',
    fix: 'Read a fresh token inside the function that builds each connection URL (an async URL provider that asks the auth client for a current token, or fetches a short-lived ticket), not once outside it.',
    source: 'https://github.com/pladaria/reconnecting-websocket#update-url',
    detect: (ctx) => capturedTokenHits(ctx.analyses),
  },
  {
    id: 'identity-from-payload',
    severity: 'high',
    title: "Identity taken from the client's payload",
    why: 'The handshake verified who the client is, but the handler trusts a user id the client wrote into the message: a client can post as, or act for, any other user.',
    fix: 'Read the identity from what the handshake verified (`socket.data.user`, `client.data.user`, the token claims) and ignore ids in the payload.',
    source: 'https://cheatsheetseries.owasp.org/cheatsheets/WebSocket_Security_Cheat_Sheet.html',
    detect: (ctx) => [...identityHits(ctx.analyses), ...peerIdentityHits(ctx.analyses)],
  },
  {
    id: 'identity-unverified-join',
    severity: 'high',
    title: "A user's room joined on the client's word",
    why: "The handler takes who the user is from a field of the client's message and joins that user's room without checking a password, token or session: anyone can name another user and receive everything sent to that user.",
    fix: 'Verify the credential first (a password hash against the user store, or a signed token), refuse through the acknowledgement when it fails, and take the user id only from what was verified; or authenticate in `io.use()` and read `socket.data.user`.',
    source: 'https://cheatsheetseries.owasp.org/cheatsheets/WebSocket_Security_Cheat_Sheet.html',
    detect: (ctx) => unverifiedJoinHits(ctx.analyses),
  },
  {
    id: 'no-room-rejoin',
    severity: 'medium',
    title: 'Rooms not re-joined after a reconnect',
    why: 'Socket.IO reconnects with a new server-side socket that belongs to no room: a client that joined once when the component mounted silently stops receiving room broadcasts after the first network blip or deploy.',
    fix: "Join in a `socket.on('connect', …)` handler (it runs on every reconnect), or have the server re-join from the authenticated user's state at connection.",
    source: 'https://socket.io/docs/v4/rooms/#disconnection',
    detect: (ctx) => rejoinHits(ctx.analyses),
  },
  {
    id: 'volatile-critical-emit',
    severity: 'medium',
    title: 'Volatile emit for a message that must arrive',
    why: 'A volatile emit is dropped when the client is not connected or its buffer is full; that fits cursor positions, not state changes the client cannot recover.',
    fix: 'Emit state changes normally (with an ack and a retry if they matter); keep volatile for messages a newer one supersedes (cursors, typing).',
    source: 'https://socket.io/docs/v4/emitting-events/#volatile-events',
    detect: (ctx) => volatileHits(ctx.analyses),
  },
  {
    id: 'subscription-without-cleanup',
    severity: 'medium',
    title: 'Subscription opened in an effect without cleanup',
    why: 'Each mount opens one more subscription and none is closed: duplicate updates, leaked sockets and state updates on unmounted components.',
    fix: 'Keep the subscription the call returns and return `() => subscription.unsubscribe()` from the effect.',
    source: 'https://react.dev/reference/react/useEffect#connecting-to-an-external-system',
    // listener-not-cleaned-up already names effects that register on a known real-time receiver.
    detect: (ctx) => effectSubscriptionHits(ctx.analyses, new Set(listenerHits(ctx).map((h) => h.evidence))),
  },
  {
    id: 'version-advanced-without-change',
    severity: 'high',
    title: 'Version moved forward without applying the change',
    why: "An optimistic version check refuses a write based on an older version only if the version a client sends matches the content it sends. A listener that takes the new version from a server event but keeps the old content lets the client's next write pass the check with content that lacks the other client's change, which it then overwrites.",
    fix: 'Apply the change the event carries to the local copy in the same update that moves the version (or, when it carries none, fetch the new state before moving the version); send changes as operations against `baseVersion`, and when the server refuses one, rebase it on the current version instead of resending the whole text.',
    source: 'https://developer.mozilla.org/docs/Web/HTTP/Headers/If-Match',
    detect: (ctx) => staleVersionHits(ctx.analyses),
  },
  {
    id: 'ai-stream-lost-on-disconnect',
    severity: 'medium',
    title: 'AI answer lost when the client disconnects',
    why: 'The model keeps generating (and billing) but the answer lives only in the HTTP response: a closed tab or a network drop loses it, and the chat history misses the message.',
    fix: 'Call `result.consumeStream()` so generation finishes without a reader, and persist the final messages in `onFinish` of `toUIMessageStreamResponse` (or `streamText`).',
    source: 'https://ai-sdk.dev/docs/ai-sdk-ui/chatbot-message-persistence',
    detect: (ctx) => aiStreamHits(ctx.analyses),
  },
];
