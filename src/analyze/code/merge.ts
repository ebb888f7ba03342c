// Joins what the manifests declare with what the code does into the `Stack` and event catalog.
// Pure and deterministic: every list is sorted with plain code-unit comparison.
import type { AuthKind, Direction, Evidence, LibraryUse, PayloadField, RtEvent, Stack, WorkspacePackage } from '../../types.js';
import { lookupCatalog } from '../catalog.js';
import type { PackageDetection } from '../package-detect.js';
import { packageName } from './file-context.js';
import type { RawEvent } from './events.js';
import type { SiteField } from './payloads.js';
import type { FileAnalysis } from './scan.js';
import { checksUpgrade } from '../model/imported-auth.js';
import { listenLine } from './listen.js';
import { socketClientConnect } from './socket-client.js';

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const ev = (file: string, line: number): Evidence => `${file}:${line}`;

/** Sort key that orders `file:line` evidence by file, then numerically by line. */
function evKey(e: Evidence | null): [string, number] {
  if (e === null) return ['', 0];
  const i = e.lastIndexOf(':');
  return [e.slice(0, i), Number(e.slice(i + 1))];
}
export function cmpEvidence(a: Evidence | null, b: Evidence | null): number {
  const [fa, la] = evKey(a);
  const [fb, lb] = evKey(b);
  return fa !== fb ? cmp(fa, fb) : la - lb;
}

/** Workspace directory of a file: the deepest package dir containing it. */
export function workspaceOf(file: string, packages: readonly WorkspacePackage[]): string {
  let best = '';
  for (const p of packages) if (p.dir !== '' && (file === p.dir || file.startsWith(`${p.dir}/`)) && p.dir.length > best.length) best = p.dir;
  return best;
}

const SERVER_KINDS = new Set(['socket-server', 'ws-server', 'sse-endpoint']);
const TEST_FILE = /(^|\/)(tests?|__tests__|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
const PROVIDER_CANDIDATE: Record<string, string> = { '@supabase/supabase-js': 'supabase-realtime', openai: 'openai-realtime', '@google/genai': 'gemini-live' };
/** A Redis adapter wired in code is Redis pub/sub carrying socket traffic: it confirms the client package. */
const REDIS_ADAPTERS = ['@socket.io/redis-adapter', '@socket.io/redis-streams-adapter', 'socket.io-redis'];
const REDIS_CLIENTS = new Set(['redis', 'ioredis']);
const PUBSUB_CANDIDATE: Record<string, string> = { ioredis: 'redis-pubsub', redis: 'redis-pubsub', nats: 'nats' };

/** Whether the code confirms a `needsCode` package, declared or only imported. */
function confirmedByCode(name: string, providers: Set<string>, scalingNames: Set<string>): boolean {
  const p = PROVIDER_CANDIDATE[name];
  const s = PUBSUB_CANDIDATE[name];
  return (
    (p !== undefined && providers.has(p)) ||
    (s !== undefined && scalingNames.has(s)) ||
    (REDIS_CLIENTS.has(name) && REDIS_ADAPTERS.some((a) => scalingNames.has(a)))
  );
}

/**
 * Frameworks whose own package serves the real-time route: Hono's streamSSE (hono/streaming) or
 * upgradeWebSocket, or a Hono route that checks the Upgrade header before handing the request to
 * a Durable Object. Express or Fastify writing SSE by hand stay frameworks only.
 * https://hono.dev/docs/helpers/streaming · https://hono.dev/docs/helpers/websocket
 */
const REALTIME_FRAMEWORKS = new Set(['hono']);

function servesRealtime(a: FileAnalysis, name: string): boolean {
  if (!a.ctx.sources.has(name)) return false;
  if (a.entries.some((e) => SERVER_KINDS.has(e.kind))) return true;
  return checksUpgrade(a.ctx.facts);
}

function libraries(
  analyses: readonly FileAnalysis[],
  pkg: PackageDetection,
  packages: readonly WorkspacePackage[],
  providers: Set<string>,
  scalingNames: Set<string>,
): LibraryUse[] {
  const confirmed = (name: string): boolean =>
    REALTIME_FRAMEWORKS.has(name) ? analyses.some((a) => servesRealtime(a, name)) : confirmedByCode(name, providers, scalingNames);
  const out = [...pkg.libraries, ...pkg.candidates.filter((c) => confirmed(c.name))];
  const declared = new Set(packages.flatMap((p) => Object.keys(p.dependencies)));
  const seen = new Set<string>();
  for (const a of analyses) {
    for (const imp of a.ctx.facts.imports) {
      const name = packageName(imp.source);
      const entry = lookupCatalog(name);
      if (!entry || entry.kind === 'framework' || declared.has(name) || seen.has(name)) continue;
      if (entry.needsCode && !confirmedByCode(name, providers, scalingNames)) continue;
      seen.add(name);
      out.push({
        name,
        version: null,
        declared: null,
        role: entry.role,
        evidence: ev(a.file, imp.line),
        kind: entry.kind,
        workspace: workspaceOf(a.file, packages),
      });
    }
  }
  return out
    .map((l) => sidedByImports(l, analyses))
    .sort((x, y) => cmp(x.workspace, y.workspace) || cmp(x.name, y.name) || cmpEvidence(x.evidence, y.evidence));
}

/**
 * A provider SDK that runs in Node and in the browser (`openai`, `@google/genai`) is on the side
 * of the code that imports it: `openai` imported only by a server route that mints client secrets
 * is the server's SDK, whatever the catalog's usual role. Unchanged when no importing file shows
 * its side (one without a connection or route says nothing), or the files disagree.
 */
function sidedByImports(l: LibraryUse, analyses: readonly FileAnalysis[]): LibraryUse {
  if (l.kind !== 'provider' || l.role === 'both') return l;
  const importers = analyses.filter((a) => a.ctx.facts.imports.some((i) => packageName(i.source) === l.name));
  if (importers.length === 0 || importers.some((a) => a.entries.length === 0)) return l;
  const sides = new Set(importers.flatMap((a) => a.entries.map((e) => e.side)));
  const [side] = [...sides];
  return sides.size === 1 && side !== undefined && side !== l.role ? { ...l, role: side } : l;
}

/** Serves real-time connections itself: a server entry point, or Socket.IO events on the server side. */
function servesConnections(a: FileAnalysis): boolean {
  return a.entries.some((e) => SERVER_KINDS.has(e.kind)) || a.events.some((e) => e.side === 'server' && e.transport === 'socket.io');
}

/** 0: the module serves connections; 1: it imports (by relative path) one that does; 2: neither. */
const stem = (file: string): string => file.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');

/** `serving`: the stems (no extension, no `/index`) of the modules that serve connections. */
function listenRank(a: FileAnalysis, serving: ReadonlySet<string>): number {
  if (serving.has(stem(a.file))) return 0;
  const dir = a.file.includes('/') ? a.file.slice(0, a.file.lastIndexOf('/')) : '';
  const imports = a.ctx.facts.imports.some((i) => {
    if (!i.source.startsWith('.')) return false;
    const parts: string[] = dir === '' ? [] : dir.split('/');
    for (const seg of i.source.replace(/\.[cm]?[jt]sx?$/, '').split('/')) {
      if (seg === '..') parts.pop();
      else if (seg !== '.') parts.push(seg);
    }
    return serving.has(stem(parts.join('/')));
  });
  return imports ? 1 : 2;
}

function firstBy<T extends { file: string; line: number }>(items: T[], pref: (t: T) => number = () => 0): T | undefined {
  return [...items].sort((a, b) => pref(a) - pref(b) || cmp(a.file, b.file) || a.line - b.line)[0];
}

export function buildStack(analyses: readonly FileAnalysis[], pkg: PackageDetection, packages: readonly WorkspacePackage[]): Stack {
  const entries = analyses.flatMap((a) => a.entries);
  const providerEntries = new Set(entries.flatMap((e) => (e.provider ? [e.provider] : [])));
  // A project that serves WebSocket connections itself and never makes the provider's client or
  // server instance (it imports the SDK for a utility, as a Pusher-protocol server signs with
  // `Pusher.Token`) does not carry its traffic on that provider: declared is not built on.
  const ownServer = entries.some((e) => e.kind === 'ws-server' || e.kind === 'socket-server');
  const providers = new Set([...pkg.providers.filter((p) => !ownServer || providerEntries.has(p)), ...providerEntries]);
  const scalingHits = analyses.flatMap((a) => a.signals.scaling.map((s) => ({ ...s, file: a.file })));
  const scalingNames = new Set(scalingHits.map((s) => s.name));
  const scaling = new Map<string, Evidence>();
  for (const s of scalingHits.sort((a, b) => cmp(a.file, b.file) || a.line - b.line)) if (!scaling.has(s.name)) scaling.set(s.name, ev(s.file, s.line));
  for (const s of pkg.scaling) if (!scaling.has(s.name)) scaling.set(s.name, s.evidence);

  const authHits = analyses.flatMap((a) => a.signals.auth.map((x) => ({ ...x, file: x.file ?? a.file })));
  const auth = new Map<AuthKind, Evidence>();
  // Server-side evidence first: that is where the handshake is decided.
  const sideRank = (h: { side: string }): number => (h.side === 'server' ? 0 : 1);
  for (const h of authHits.sort((a, b) => sideRank(a) - sideRank(b) || cmp(a.file, b.file) || a.line - b.line))
    if (!auth.has(h.kind)) auth.set(h.kind, ev(h.file, h.line));
  const servers = entries.filter((e) => SERVER_KINDS.has(e.kind) && e.kind !== 'sse-endpoint').sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
  const gated = analyses.some((a) => a.signals.authGate.length > 0) || authHits.some((h) => h.side === 'server');
  const firstServer = servers[0];
  const gate = firstBy(analyses.flatMap((a) => a.signals.authGate.map((line) => ({ file: a.file, line }))));
  if (firstServer && !gated) auth.set('none', ev(firstServer.file, firstServer.line));
  const gatePackage = gate ? gateFrom(analyses, gate) : undefined;
  // SSE routes are claimed open only where the model shows it (model/route-auth.ts).
  const open = firstBy(analyses.flatMap((a) => (a.signals.openRoutes ?? []).map((line) => ({ file: a.file, line }))));
  if (!firstServer && open && !gated) auth.set('none', ev(open.file, open.line));

  const keyed = authHits.filter((h) => h.side === 'server' && h.key).sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
  const keys: { name: string; evidence: Evidence }[] = [];
  for (const h of keyed) if (!keys.some((k) => k.name === h.key)) keys.push({ name: h.key as string, evidence: ev(h.file, h.line) });
  const clientAuth = firstBy(authHits.filter((h) => h.side === 'client' && h.kind === 'jwt-header'));

  const hb = firstBy(
    analyses.flatMap((a) => a.signals.heartbeat.map((h) => ({ ...h, file: a.file }))),
    // Server side first; on a side, a heartbeat the code configures (an interval it sets) before
    // one a library keeps by default, so the plan reads the interval the project chose.
    (h) => (h.side === 'server' ? 0 : 2) + (h.intervalMs !== undefined ? 0 : 1),
  );
  const timed = firstBy(analyses.flatMap((a) => (a.signals.timedSends ?? []).map((t) => ({ ...t, file: a.file }))));
  // The project's own retry loop says more than the default a library or the browser retries with.
  const rc = firstBy(
    analyses.flatMap((a) => a.signals.reconnect.map((r) => ({ ...r, file: a.file }))),
    (r) => (r.builtin ? 1 : 0),
  );

  // A test file's `server.listen(0)` is not the deployed server. The one the real-time server
  // rides on comes first: in a module that serves connections, then in one that imports such a
  // module, before a listen elsewhere (a helper script's MQTT or mock server).
  const serving = new Set(analyses.filter(servesConnections).map((a) => stem(a.file)));
  const listen = firstBy(
    analyses.flatMap((a) => {
      const line = TEST_FILE.test(a.file) ? null : listenLine(a.ctx);
      return line === null ? [] : [{ file: a.file, line, rank: listenRank(a, serving) }];
    }),
    (l) => l.rank,
  );

  // The process's own SIGTERM/SIGINT handler (or Nest's enableShutdownHooks): where a drain goes.
  const shutdown = firstBy(analyses.flatMap((a) => (TEST_FILE.test(a.file) ? [] : a.signals.shutdown.map((line) => ({ file: a.file, line })))));

  // The Socket.IO client's connect call, where every one found is written alike (a plan repeats its URL and options).
  const connects = entries
    .filter((e) => e.kind === 'socket-client' && e.call !== null && !TEST_FILE.test(e.file))
    .sort((a, b) => cmp(a.file, b.file) || a.line - b.line)
    .map((e) => socketClientConnect(e.call!, e.file));
  const same = (c: (typeof connects)[number]) => JSON.stringify({ ...c, evidence: '' });
  const socketClient = connects.length > 0 && connects.every((c) => same(c) === same(connects[0]!)) ? connects[0] : undefined;

  return {
    transports: [...new Set([...pkg.transports, ...entries.flatMap((e) => [...(e.transport ? [e.transport] : []), ...(e.alsoTransports ?? [])])])].sort(cmp),
    providers: [...providers].sort(cmp),
    libraries: libraries(analyses, pkg, packages, providers, scalingNames),
    scaling: [...scaling].map(([name, evidence]) => ({ name, evidence })).sort((a, b) => cmp(a.name, b.name)),
    auth: [...auth].map(([kind, evidence]) => ({ kind, evidence })).sort((a, b) => cmp(a.kind, b.kind)),
    // A gate made by a package's factory is kept whatever the auth kinds say: a query token may be what it consumes.
    ...(gate && (auth.size === 0 || gatePackage) ? { authGate: ev(gate.file, gate.line), ...gatePackage } : {}),
    ...(keys.length > 0 ? { handshakeAuth: { keys, client: clientAuth ? ev(clientAuth.file, clientAuth.line) : null } } : {}),
    heartbeat: hb
      ? {
          present: true,
          evidence: ev(hb.file, hb.line),
          ...(hb.intervalMs !== undefined ? { intervalMs: hb.intervalMs } : {}),
          ...(hb.timeoutMs !== undefined ? { timeoutMs: hb.timeoutMs } : {}),
          ...(hb.pingTimeoutMs !== undefined ? { pingTimeoutMs: hb.pingTimeoutMs } : {}),
        }
      : {
          present: false,
          evidence: null,
          ...(timed
            ? {
                timedSend: {
                  name: timed.name,
                  evidence: ev(timed.file, timed.line),
                  ...(timed.intervalMs !== undefined ? { intervalMs: timed.intervalMs } : {}),
                },
              }
            : {}),
        },
    reconnect: rc ? { present: true, evidence: ev(rc.file, rc.line), backoff: rc.backoff, jitter: rc.jitter } : { present: false, evidence: null },
    entrypoints: entries
      .map((e) => ({ file: e.file, line: e.line, kind: e.kind }))
      .sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.kind, b.kind)),
    ...(listen ? { listen: ev(listen.file, listen.line) } : {}),
    ...(shutdown ? { shutdown: ev(shutdown.file, shutdown.line) } : {}),
    ...(shutdown && analyses.some((a) => a.file === shutdown.file && a.signals.shutdownHooks.includes(shutdown.line)) ? { shutdownHooks: true as const } : {}),
    ...(socketClient ? { socketClient } : {}),
    frameworks: [...pkg.frameworks].sort((a, b) => cmp(a.name, b.name) || cmpEvidence(a.evidence, b.evidence)),
  };
}

export function directionOf(e: RawEvent): Exclude<Direction, 'both'> {
  if (e.fixed) return e.fixed;
  return (e.side === 'server') === (e.act === 'emit') ? 'server-to-client' : 'client-to-server';
}

/** Two sites disagree on a type: a literal union still fits its base type; anything else is unknown. */
function unify(types: readonly string[]): string {
  const set = [...new Set(types)];
  if (set.length <= 1) return set[0] ?? 'unknown';
  // Arrays whose items the sites type differently (`[...set]`, a `string[]` parameter) are still arrays.
  if (set.every((t) => t.endsWith('[]'))) return 'unknown[]';
  const bases = new Set(
    set.map((t) => (/^'[^']*'( \| '[^']*')*$/.test(t) ? 'string' : t === 'integer' || /^-?\d+(\.\d+)?( \| -?\d+(\.\d+)?)*$/.test(t) ? 'number' : t)),
  );
  return bases.size === 1 ? (bases.values().next().value as string) : 'unknown';
}

/**
 * Union of the fields every site names, in order of first sight (sites arrive sorted by file
 * and line). A field is optional when a site says so, when a complete site (an emitted object
 * literal, a closed TS type) lacks it, or when only `type`-dispatch reads name it. Each field
 * cites where it was seen, and where its type came from when that is another place.
 */
export function mergePayload(sites: readonly RawEvent[]): PayloadField[] | undefined {
  const acc = new Map<
    string,
    {
      types: string[];
      optional: boolean;
      sent: boolean;
      seen: Evidence;
      typedAt: Evidence | null;
      nested?: SiteField[];
      nestedRead?: boolean;
      sender?: PayloadField['sender'];
    }
  >();
  for (const s of sites) {
    for (const f of s.payload?.fields ?? []) {
      const at = ev(f.file ?? s.file, f.line);
      const entry = acc.get(f.name) ?? { types: [], optional: false, sent: false, seen: at, typedAt: null };
      // The keys a sender lists win over the ones a handler is only seen reading inside the field.
      if (f.nested && (!entry.nested || (entry.nestedRead && f.hedged !== true))) {
        entry.nested = f.nested;
        entry.nestedRead = f.hedged === true;
      }
      // Only the server stamping it from the sending connection says who sent it.
      if (f.sender && s.side === 'server' && s.act === 'emit') entry.sender ??= { value: f.sender, at };
      if (f.type !== 'unknown') {
        entry.types.push(f.type);
        entry.typedAt ??= at;
      }
      entry.optional ||= f.optional;
      entry.sent ||= f.hedged !== true;
      acc.set(f.name, entry);
    }
  }
  for (const s of sites) {
    // A bare value (the other direction's `emit('x', id)`) lists no keys of an object: it makes none optional.
    if (!s.payload?.complete || s.payload.bare) continue;
    const names = new Set(s.payload.fields.map((f) => f.name));
    for (const [name, entry] of acc) if (!names.has(name)) entry.optional = true;
  }
  for (const entry of acc.values()) if (!entry.sent) entry.optional = true;
  if (acc.size === 0) return undefined;
  return [...acc].map(([name, e]) => {
    // Keys only read inside it (`msg.payload.agentId`) still make it an object.
    const type = unify(e.types) === 'unknown' && e.nested ? 'Record<string, unknown>' : unify(e.types);
    const from = type !== 'unknown' && e.typedAt !== null && e.typedAt !== e.seen ? `${e.seen}, ${e.typedAt}` : e.seen;
    return {
      name,
      type,
      ...(e.optional ? { optional: true } : {}),
      description: `inferred from ${from}`,
      ...(e.nested ? { fields: nestedFields(e.nested) } : {}),
      ...(e.sender ? { sender: e.sender } : {}),
    };
  });
}

function nestedFields(fields: readonly SiteField[]): NonNullable<PayloadField['fields']> {
  return fields.map((f) => ({ name: f.name, type: f.type, ...(f.nested ? { fields: nestedFields(f.nested) } : {}) }));
}

/** The package the first handshake gate's factory is imported from (`socketio-jwt`), where the code shows it. */
function gateFrom(
  analyses: readonly { file: string; signals: { authGateFrom?: { line: number; source: string; property?: string | null }[] } }[],
  gate: { file: string; line: number },
) {
  const from = analyses.find((a) => a.file === gate.file)?.signals.authGateFrom?.find((g) => g.line === gate.line);
  if (!from) return undefined;
  return { authGateFrom: from.source, ...(from.property !== undefined ? { authGateProperty: from.property } : {}) };
}

/**
 * One bare value (a string, a number) when a site shows it and no site sends or reads an object:
 * its type when the sites agree, the name a handler gives it, and the first place that shows it.
 */
export function mergeBare(sites: readonly RawEvent[]): RtEvent['bare'] | undefined {
  const bare = sites.flatMap((s) => (s.payload?.bare ? [{ ...s.payload.bare, file: s.payload.bare.file ?? s.file }] : []));
  if (bare.length === 0 || sites.some((s) => (s.payload?.fields.length ?? 0) > 0)) return undefined;
  const first = bare[0]!;
  const name = bare.find((b) => b.name)?.name;
  const room = bare.some((b) => b.room) ? { room: true as const } : {};
  // The most later arguments any handler of the event takes: every one of them is a slot in use.
  const most = bare.reduce<string[]>((most, b) => ((b.after?.length ?? 0) > most.length ? b.after! : most), []);
  // Socket.IO hands the acknowledgement callback over last: a handler that calls it, or a sender that
  // passes a function last (the event is acked), makes the last parameter the ack, never a slot to fill.
  const called = bare.find((b) => b.ack)?.ack;
  const tail = most[most.length - 1];
  const ackName = called ?? (sites.some((s) => s.acked) && tail && /^[\w$]+$/.test(tail) ? tail : undefined);
  const after = ackName && tail === ackName ? most.slice(0, -1) : most;
  return {
    type: unify(bare.map((b) => b.type)),
    ...(name ? { name } : {}),
    evidence: ev(first.file, first.line),
    ...room,
    ...(after.length > 0 ? { after } : {}),
    ...(ackName ? { ack: ackName } : {}),
  };
}

/**
 * What the clients of a both-ways event send, where it is not an object with fields: the bare value
 * their sends or the server's handler show, or nothing but the event (a complete literal with no
 * field besides its `type`). Undefined where any client-to-server site names a field.
 */
function sentOf(sites: readonly RawEvent[]): RtEvent['sent'] {
  const inbound = sites.filter((s) => directionOf(s) === 'client-to-server');
  if (inbound.length === 0 || inbound.some((s) => (s.payload?.fields.length ?? 0) > 0)) return undefined;
  const bare = mergeBare(inbound);
  if (bare) return { bare: { type: bare.type, ...(bare.name ? { name: bare.name } : {}), evidence: bare.evidence }, evidence: bare.evidence };
  const empty = inbound.find((s) => s.payload?.complete && !s.payload.bare && !s.payload.ref && !s.payload.echo);
  return empty ? { none: true, evidence: ev(empty.file, empty.line) } : undefined;
}

/**
 * An event whose only payload is a handler's parameter sent on unchanged (`socket.on('card:move',
 * (move) => io.emit('card:moved', move))`) carries the handled event's payload: its fields, or
 * its bare value, as merged from every site of that event. Nothing is claimed when the echoed
 * event's payload is not shown either, or when another site of the event sends something else.
 */
function withEchoes(events: RtEvent[], groups: ReadonlyMap<string, RawEvent[]>): RtEvent[] {
  const byName = new Map(events.map((e) => [e.name, e]));
  for (const list of groups.values()) {
    const echo = list.find((e) => e.payload?.echo);
    if (!echo || list.some((e) => e.act === 'emit' && !e.payload?.echo) || list.some((e) => (e.payload?.fields.length ?? 0) > 0 || e.payload?.bare)) continue;
    const handled = [...groups.values()].flat().find((h) => h.act === 'handle' && h.file === echo.file && h.line === echo.payload!.echo!.line);
    const event = byName.get(list[0]!.name);
    const source = handled ? byName.get(handled.name) : undefined;
    if (!event || !source || source === event || (!source.payload && !source.bare)) continue;
    if (source.payload) event.payload = source.payload.map((p) => ({ ...p }));
    if (source.bare) event.bare = { ...source.bare };
    if (source.closed) event.closed = source.closed;
    event.echoes = { event: source.name, evidence: ev(echo.file, echo.line) };
  }
  return events;
}

/**
 * A wrapper that puts what it is given under a key of its envelope (`_send(type, payload)` →
 * `{ type, payload }`) sends those fields under that key where another site of the event reads the
 * key itself (`msg.payload.symbols`): the payload is the envelope, so they nest there. Where no
 * site reads the key (an `{ event, data }` framing whose handlers get `data`), they stay the payload.
 */
export function enveloped(list: readonly RawEvent[]): RawEvent[] {
  const named = new Set(list.filter((e) => !e.payload?.envelopeKey).flatMap((e) => (e.payload?.fields ?? []).map((f) => f.name)));
  return list.map((e) => {
    const key = e.payload?.envelopeKey;
    if (!key || !named.has(key) || e.payload!.bare) return e;
    const fields = e.payload!.fields;
    return { ...e, payload: { fields: [{ name: key, type: 'Record<string, unknown>', optional: false, line: e.line, nested: fields }], complete: false } };
  });
}

export function mergeEvents(raw: readonly RawEvent[]): RtEvent[] {
  const groups = new Map<string, RawEvent[]>();
  for (const e of raw) {
    if (e.wildcard) continue;
    const ns = e.namespace && e.namespace !== '/' ? e.namespace : '';
    const key = `${e.transport}\u0000${ns}\u0000${e.name}`;
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  const out: RtEvent[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
    const first = list[0] as RawEvent;
    const dirs = new Set(list.map(directionOf));
    const event: RtEvent = {
      name: first.name,
      direction: dirs.size > 1 ? 'both' : (dirs.values().next().value as Direction),
      origin: 'existing',
      evidence: ev(first.file, first.line),
      transport: first.transport,
    };
    if (first.namespace && first.namespace !== '/') event.namespace = first.namespace;
    const protocol = list.find((e) => e.protocol)?.protocol;
    if (protocol) event.protocol = protocol;
    const sdk = list.find((e) => e.sdk)?.sdk;
    if (sdk) event.sdk = sdk;
    const topic = list.find((e) => e.topic)?.topic;
    if (topic) event.topic = topic;
    // Only where every sending site sets the same delivery: a site that leaves it unset, or sets the other, makes it unknown.
    const senders = list.filter((e) => e.sdk);
    const modes = new Set(senders.map((e) => e.delivery));
    const mode = modes.size === 1 ? senders[0]?.delivery : undefined;
    if (mode) event.delivery = { mode, evidence: ev(senders[0]!.file, senders[0]!.line) };
    const room = list.find((e) => e.room)?.room;
    if (room) event.room = room;
    const acked = list.find((e) => e.acked);
    if (acked) event.acked = ev(acked.file, acked.line);
    const waited = list.find((e) => e.afterAwait);
    if (waited?.afterAwait) event.afterAwait = { event: waited.afterAwait.event, at: ev(waited.file, waited.afterAwait.line) };
    const sites = enveloped(list);
    const payload = mergePayload(sites);
    if (payload) event.payload = payload;
    // The complete site that types the most fields (a closed TS type over a literal of untyped reads).
    const typed = (e: RawEvent) => e.payload?.fields.filter((f) => f.type !== 'unknown').length ?? 0;
    const closed = sites.filter((e) => e.payload?.complete && e.payload.fields.length > 0).sort((a, b) => typed(b) - typed(a))[0];
    if (payload && closed)
      event.closed = {
        evidence: ev(closed.payload!.fields[0]?.file ?? closed.file, closed.payload!.fields[0]?.line ?? closed.line),
        fields: closed.payload!.fields.map((f) => f.name),
      };
    // A complete literal with no key besides its `type` (`{ type: 'pong' }`), and no site that shows more: it carries nothing else.
    const empty = sites.find((e) => e.payload?.complete && !e.payload.bare && !e.payload.ref && !e.payload.echo && e.payload.fields.length === 0);
    if (!payload && empty && !list.some((e) => e.payload?.bare || e.payload?.ref || e.payload?.echo))
      event.closed = { evidence: ev(empty.file, empty.line), fields: [] };
    const bare = mergeBare(list);
    if (bare && !payload) event.bare = bare;
    const sent = payload && event.direction === 'both' ? sentOf(list) : undefined;
    if (sent) event.sent = sent;
    const declared = [
      ...new Map(list.flatMap((e) => (e.payload?.declared ? [[`${e.payload.declared.file}:${e.payload.declared.line}`, e.payload.declared]] : []))).values(),
    ];
    if (payload && declared.length === 1) event.declaredType = { name: declared[0]!.name, evidence: ev(declared[0]!.file, declared[0]!.line) };
    out.push(event);
  }
  return withEchoes(out, groups).sort((a, b) => cmp(a.name, b.name) || cmp(a.transport ?? '', b.transport ?? '') || cmp(a.namespace ?? '', b.namespace ?? ''));
}
