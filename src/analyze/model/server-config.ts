// The config file of a real-time server product the project runs itself (Centrifugo): the
// settings a plan reasons about (channel history and recovery per namespace, the engine or broker
// that lets several nodes share channels, who may subscribe), each at its line, and the calls of
// our code that publish to a channel of a configured namespace. Only a JSON config is read; a
// YAML or TOML one, or settings given as environment variables, are not seen, and the facts say
// only what the file shows.
// centrifugal.dev/docs/server/configuration (JSON, YAML or TOML; `-c` flag), /docs/server/channels
// (namespace `name`, `namespace:rest` channels, history_size, history_ttl, force_recovery, presence,
// force_positioning, allow_subscribe_for_client, proxy_subscribe), /docs/server/engines (engine,
// broker, redis_address).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Evidence, ModelFact } from '../../types.js';
import { readLimitedText } from '../../shared/read-limited.js';
import type { FileFacts } from '../code/facts.js';
import { isNonProduction } from './scope.js';
import type { ArgInfo } from '../code/ast.js';

/** Where a Centrifugo config usually sits next to the app (docker-compose mounts one of these). */
const CANDIDATES = [
  'centrifugo/config.json',
  'centrifugo.json',
  'centrifugo/centrifugo.json',
  'config/centrifugo.json',
  'deploy/centrifugo/config.json',
  'infra/centrifugo/config.json',
  'docker/centrifugo/config.json',
  'config.json',
];

/** Keys only a Centrifugo config has: a plain `config.json` without any is someone else's. */
const CENTRIFUGO_KEYS =
  /"(namespaces|allowed_origins|token_hmac_secret_key|api_key|history_size|history_ttl|force_recovery|allow_subscribe_for_client|client_channel_limit|engine|broker|redis_address|presence)"\s*:/;

/** Namespace settings a plan reads: history and recovery, presence, positioning, who may subscribe. */
const NAMESPACE_KEYS = [
  'history_size',
  'history_ttl',
  'force_recovery',
  'allow_recovery',
  'force_positioning',
  'allow_positioning',
  'presence',
  'allow_subscribe_for_client',
  'allow_subscribe_for_anonymous',
  'proxy_subscribe',
  'subscribe_proxy_name',
];
/** Top-level settings: the engine or broker several nodes share, and the defaults for channels outside a namespace. */
const TOP_KEYS = ['engine', 'broker', 'redis_address', 'nats_url', 'client_channel_limit', ...NAMESPACE_KEYS];

const MAX_BYTES = 256 * 1024;

/** 1-based line of the first `"key":` at or after `from` (a character offset), or null. */
function keyLine(text: string, key: string, from = 0, to = text.length): { line: number; at: number } | null {
  const re = new RegExp(`"${key}"\\s*:`, 'g');
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m || m.index >= to) return null;
  return { line: text.slice(0, m.index).split('\n').length, at: m.index };
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
/** Addresses may carry a password (`redis://:secret@host`): only that they are set is kept. */
const ADDRESS_KEYS = new Set(['redis_address', 'nats_url']);

/** The Centrifugo config file the project keeps, read as JSON, with the settings at their lines. */
export async function serverConfigFacts(root: string, modules: ReadonlyMap<string, FileFacts>): Promise<ModelFact[]> {
  const facts = [...modules.values()].filter((f) => !isNonProduction(f.file));
  const within = await fs.realpath(root).catch(() => path.resolve(root));
  for (const rel of CANDIDATES) {
    const read = await readLimitedText(path.join(within, rel), { maxBytes: MAX_BYTES, within });
    if (!read.ok || !CENTRIFUGO_KEYS.test(read.text)) continue;
    let config: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(read.text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) continue;
      config = parsed as Record<string, unknown>;
    } catch {
      continue;
    }
    return [...configFacts(rel, read.text, config), ...publishSites(facts, namespacesOf(config)), ...channelTokenChecks(facts)];
  }
  return [];
}

function namespacesOf(config: Record<string, unknown>): string[] {
  const ns = Array.isArray(config.namespaces) ? config.namespaces : [];
  return ns.map((n) => (n && typeof n === 'object' ? (n as Record<string, unknown>).name : undefined)).filter((n): n is string => typeof n === 'string');
}

function configFacts(file: string, text: string, config: Record<string, unknown>): ModelFact[] {
  const ev = (line: number): Evidence => `${file}:${line}`;
  const out: ModelFact[] = [];
  const nsStart = keyLine(text, 'namespaces');
  const topEnd = nsStart?.at ?? text.length;
  const set = TOP_KEYS.filter((k) => k in config);
  out.push({
    kind: 'server-config',
    name: 'file',
    evidence: ev(1),
    value: set.filter((k) => k === 'engine' || k === 'broker').join(', '),
    note: `\`${file}\` is the Centrifugo config file the project keeps; it sets ${
      'engine' in config || 'broker' in config
        ? `the engine or broker (${['engine', 'broker']
            .filter((k) => k in config)
            .map((k) => `\`${k}\``)
            .join(', ')})`
        : 'no `engine` or `broker`, so unless the environment sets one Centrifugo runs its default Memory engine, which keeps channels, history and presence on one node'
    }.`,
  });
  for (const k of set) {
    // A key before the namespaces array is top-level; one inside it belongs to a namespace.
    const at = keyLine(text, k, 0, topEnd) ?? keyLine(text, k);
    if (!at) continue;
    const value = ADDRESS_KEYS.has(k) ? 'set' : shown(config[k]);
    out.push({
      kind: 'server-config',
      name: k,
      store: '',
      value,
      evidence: ev(at.line),
      note: ADDRESS_KEYS.has(k) ? `Centrifugo's config sets \`${k}\`.` : `Centrifugo sets \`${k}\` to \`${value}\` at the top level.`,
    });
  }
  const namespaces = Array.isArray(config.namespaces) ? config.namespaces : [];
  let cursor = nsStart?.at ?? 0;
  for (const raw of namespaces) {
    if (!raw || typeof raw !== 'object') continue;
    const ns = raw as Record<string, unknown>;
    if (typeof ns.name !== 'string') continue;
    const nameAt = keyLine(text, 'name', cursor);
    if (!nameAt) continue;
    // This namespace's keys lie between its `name` and the next namespace's `name` (keys in either order are rare; the line is the first match after the name).
    const next = keyLine(text, 'name', nameAt.at + 1);
    const end = next?.at ?? text.length;
    out.push({
      kind: 'server-config',
      name: 'namespace',
      store: ns.name,
      value: ns.name,
      evidence: ev(nameAt.line),
      note: `Centrifugo namespace \`${ns.name}\`: its channels are named \`${ns.name}:<id>\`.`,
    });
    for (const k of NAMESPACE_KEYS) {
      if (!(k in ns)) continue;
      const at = keyLine(text, k, cursor, end) ?? nameAt;
      out.push({
        kind: 'server-config',
        name: k,
        store: ns.name,
        value: shown(ns[k]),
        evidence: ev(at.line),
        note: `Centrifugo namespace \`${ns.name}\` sets \`${k}\` to \`${shown(ns[k])}\`.`,
      });
    }
    cursor = nameAt.at + 1;
  }
  return out;
}

/** `parcel:{id}` of a template `` `parcel:${req.params.id}` `` whose prefix is a configured namespace. */
function channelOf(arg: ArgInfo | undefined, namespaces: readonly string[]): string | null {
  if (!arg || (arg.kind !== 'template' && arg.kind !== 'string') || !arg.str) return null;
  const m = /^([A-Za-z][\w-]*):(.*)$/.exec(arg.str);
  if (!m || !namespaces.includes(m[1]!)) return null;
  return `${m[1]}:${m[2]!.replace(/\$\{[^}]*\}/g, '{id}')}`;
}

/**
 * A server-side call that passes a channel of a configured namespace and an object literal (our
 * publish through Centrifugo's server API): name: the channel; value: the object's keys as written.
 */
function publishSites(modules: readonly FileFacts[], namespaces: readonly string[]): ModelFact[] {
  if (namespaces.length === 0) return [];
  const out: ModelFact[] = [];
  for (const a of modules) {
    for (const c of a.calls) {
      const channel = channelOf(c.args[0], namespaces);
      const data = c.args[1];
      if (!channel || !data || data.kind !== 'object' || !data.props) continue;
      const keys = Object.keys(data.props);
      out.push({
        kind: 'channel-publish',
        name: channel,
        value: keys.join(', '),
        evidence: `${a.file}:${c.line}`,
        note: `\`${c.path}\` publishes \`{ ${keys.join(', ')} }\` to the channel \`${channel}\` of the Centrifugo namespace \`${channel.split(':')[0]}\`.`,
      });
    }
  }
  return out;
}

/** A function whose name says it decides access (`ownsParcel`, `canRead`, `isMember`). */
const PREDICATE = /^(owns|can|may|is|has|check|authori[sz]e|allowed|assert|verify)[A-Z]/;

/**
 * The route that signs subscription tokens for a configured namespace's channels (a handler
 * that signs an object carrying `channel`), and the access check it calls before signing
 * (an imported predicate such as `ownsParcel`): name: the check; store: the route path.
 */
export function channelTokenChecks(modules: readonly FileFacts[]): ModelFact[] {
  const out: ModelFact[] = [];
  for (const a of modules) {
    const calls = a.calls;
    const signs = calls.filter((c) => c.method === 'sign' && c.args[0]?.kind === 'object' && c.args[0].props !== undefined && 'channel' in c.args[0].props);
    if (signs.length === 0) continue;
    const imported = new Set(a.imports.filter((i) => i.source.startsWith('.')).flatMap((i) => i.locals.map((l) => l.local)));
    for (const route of calls.filter((c) => /^(get|post|all)$/.test(c.method) && typeof c.args[0]?.str === 'string')) {
      const handler = [...route.args].reverse().find((x) => x.kind === 'function');
      if (!handler || handler.endLine === undefined) continue;
      const inside = (line: number) => line >= handler.line && line <= handler.endLine!;
      if (!signs.some((s) => inside(s.line))) continue;
      const check = calls.find((c) => inside(c.line) && c.path === c.root && imported.has(c.root) && PREDICATE.test(c.root));
      if (!check) continue;
      out.push({
        kind: 'channel-auth-check',
        name: check.root,
        store: route.args[0]!.str!,
        evidence: `${a.file}:${check.line}`,
        note: `\`${route.args[0]!.str}\` signs a subscription token for a channel only after \`${check.root}\` allows it.`,
      });
    }
  }
  return out;
}
