// What a real-time server product the project runs itself has built in (Centrifugo), as data the
// sections read instead of comparing names: clients subscribe to channels on its own protocol,
// authorized by a subscription token or a subscribe proxy; it keeps channel history and recovers
// what a client missed; it needs a shared engine or broker for more than one node; and its config
// file holds these settings, which the analysis reads at their lines (model facts `server-config`,
// `channel-publish`, `channel-auth-check`).
// centrifugal.dev/docs/server/channels (namespaces, `namespace:rest`, history_size, history_ttl,
// force_recovery, allow_subscribe_for_client, proxy_subscribe), /docs/server/history_and_recovery,
// /docs/server/channel_token_auth, /docs/server/proxy (subscribe proxy), /docs/server/engines
// (Memory engine one node; Redis engine or Nats broker for several), /docs/server/codes (3010
// "insufficient state": a wrong client position in a channel's publication stream),
// /docs/transports/client_api (Subscription `subscribed` context: `recovered`, `wasRecovering`).
import type { ModelFact } from '../../types.js';
import type { PlanInput } from '../types.js';
import { code, fmt, list } from '../md.js';
import type { NumberRequirement, Requirement } from '../../types.js';
import { quoteOf } from '../constraints.js';

export interface ChannelServer {
  id: string;
  label: string;
  /** Channels of a namespace are `<namespace><sep><rest>`. */
  namespaceSep: string;
  /** How a client subscribes to one channel: the server's own protocol, never an event of ours. */
  subscribeMd: (channel: string) => string;
  /** The ways the server lets a client into a channel that needs permission. */
  permissionMd: string;
  /** What the server's own history gives a client that comes back, and where the client reads whether it did. */
  history: { sizeKey: string; ttlKey: string; recoveryKeys: string[]; docsMd: string; clientMd: string };
  /** The disconnect a wrong stream position causes, and what it means. */
  insufficientState: { match: RegExp; meaningMd: string };
  /** Several nodes: the engine or broker they must share, and the config keys that choose it. */
  multiNode: { keys: string[]; needMd: string };
  /** Presence on a channel, a namespace option. */
  presenceMd: string;
  /** The setting that caps channels per connection. */
  channelLimitKey: string;
  /** The browser SDK's package. */
  clientPackage: string;
  /** The Event protocol line: what the wire carries, so nothing of ours rides next to it. */
  conventionMd: string;
  /** Tests in the server's own terms, for one channel. */
  tests: (channel: string) => string[];
  /** Metrics of ours on this server, replacing the scenario metrics it makes meaningless (an index of ours it holds instead). */
  metrics: { replaces: string[]; add: { name: string; type: string; labels: string; whyMd: string }[] };
}

const CENTRIFUGO: ChannelServer = {
  id: 'centrifugo',
  label: 'Centrifugo',
  namespaceSep: ':',
  subscribeMd: (channel) =>
    `the SDK's ${code('newSubscription(channel, { getToken })')} and ${code('subscribe()')} for ${code(channel)}: a subscribe command of Centrifugo's own client protocol, not an event of ours; ${code('unsubscribe()')} and ${code('removeSubscription()')} leave it`,
  permissionMd: `Centrifugo lets a client into the channel only with a subscription token (a JWT naming the channel, signed by our route), after our backend answers a subscribe proxy (${code('proxy_subscribe')}), or as a server-side subscription our connection token names; each way the access rule is ours`,
  history: {
    sizeKey: 'history_size',
    ttlKey: 'history_ttl',
    recoveryKeys: ['force_recovery', 'allow_recovery'],
    docsMd: 'https://centrifugal.dev/docs/server/history_and_recovery',
    clientMd: `the subscription's ${code('subscribed')} event says whether it did (${code('recoverable')} says whether the channel allows recovery at all): ${code('wasRecovering')} with ${code('recovered: false')} means the missed publications are gone, and the client must reload what the screen shows over HTTP`,
  },
  insufficientState: {
    match: /insufficient state/i,
    meaningMd: `Centrifugo sends "insufficient state" when it finds a client's position in a channel's publication stream wrong (publications it should have had did not reach it), so that the client comes back and recovers the missed ones from the channel's history (https://centrifugal.dev/docs/server/codes)`,
  },
  multiNode: {
    keys: ['engine', 'broker'],
    needMd: `Before the second node runs, set the Redis engine in the config both nodes load (${code('"engine": "redis"')} with ${code('redis_address')}; a Redis-compatible server works too): it carries each publication to the node that holds its subscribers and keeps history and presence for all nodes, so a client that reconnects to the other node still recovers what it missed. A Nats broker carries publications only and keeps no history, so it does not fit channels that recover from history (https://centrifugal.dev/docs/server/engines)`,
  },
  presenceMd: `Centrifugo presence (${code('presence')} in the namespace config)`,
  channelLimitKey: 'client_channel_limit',
  clientPackage: 'centrifuge',
  conventionMd: `The wire is Centrifugo's own client protocol and stays the only one on the socket: the SDK connects with a connection token, sends a subscribe command per channel (with its subscription token), and receives each publication on a channel as that channel's data; a publication carries no event name of ours, Centrifugo numbers it (an offset in the channel's stream) where the namespace keeps history, and Centrifugo's own replies, disconnect codes and pings cover acks, errors and liveness. No envelope, ${code('sys:ack')}, ${code('sys:ping')} or ${code('sys:error')} of ours rides next to it.`,
  metrics: {
    replaces: ['subscriptions_active'],
    add: [
      {
        name: 'recovery_failed_total',
        type: 'counter',
        labels: 'namespace',
        whyMd: `subscriptions Centrifugo could not recover (${code('subscribed')} with ${code('wasRecovering')} and ${code('recovered: false')}), reported by clients; read next to Centrifugo's own subscription and disconnect metrics, where "insufficient state" shows`,
      },
    ],
  },
  tests: (channel) => [
    `against Centrifugo started with the project's config: a client with a subscription token for ${code(channel)} receives a publication published through the server API; one without a token for that channel is refused (permission denied)`,
    `a client that drops and comes back within the history window gets the missed publications (${code('subscribed')} with ${code('recovered: true')}); one away longer gets ${code('recovered: false')} and reloads the timeline over HTTP`,
  ],
};

const SERVERS: readonly ChannelServer[] = [CENTRIFUGO];

/** The channel server the project runs, when the analysis detected one. */
export function channelServer(input: PlanInput): ChannelServer | null {
  const found = new Set(input.analysis.stack.providers);
  return SERVERS.find((s) => found.has(s.id)) ?? null;
}

const facts = (input: PlanInput, kind: ModelFact['kind']): ModelFact[] => (input.analysis.modelFacts ?? []).filter((f) => f.kind === kind);

/** The server's config file as the analysis read it, or null when the repository shows none. */
export function serverConfigFile(input: PlanInput): ModelFact | null {
  return facts(input, 'server-config').find((f) => f.name === 'file') ?? null;
}

/** A setting of a namespace (or of the top level, `''`), at its line. */
export function serverSetting(input: PlanInput, namespace: string, key: string): ModelFact | undefined {
  return facts(input, 'server-config').find((f) => f.name === key && f.store === namespace);
}

/** The configured namespace named like the entity (`parcel`), if any. */
export function entityNamespace(input: PlanInput, entity: string): ModelFact | undefined {
  return facts(input, 'server-config').find((f) => f.name === 'namespace' && f.store === entity);
}

/** Where our code publishes to the entity's channels (`publish` at src/api/server.ts:12). */
export function channelPublish(input: PlanInput, namespace: string): ModelFact | undefined {
  return facts(input, 'channel-publish').find((f) => f.name.startsWith(`${namespace}:`));
}

/** The access check our subscription-token route calls (`ownsParcel`). */
export function channelAuthCheck(input: PlanInput): ModelFact | undefined {
  return facts(input, 'channel-auth-check')[0];
}

/** `600s` → 600 000 ms; null for what is not a plain duration. */
export function durationMs(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1_000);
}

/** `history_size 50 (file:8), history_ttl 600s (file:9), force_recovery true (file:10)` for the namespace, or null when none is set. */
export function historyMd(server: ChannelServer, input: PlanInput, namespace: string): string | null {
  const keys = [server.history.sizeKey, server.history.ttlKey, ...server.history.recoveryKeys];
  const set = keys.map((k) => serverSetting(input, namespace, k)).filter((f): f is ModelFact => f !== undefined);
  if (set.length === 0) return null;
  return set.map((f) => `${code(f.name)} ${code(f.value ?? '')} (${code(f.evidence)})`).join(', ');
}

/** The engine keys the config sets, or null when it sets none. */
export function engineSettings(server: ChannelServer, input: PlanInput): ModelFact[] {
  return server.multiNode.keys.map((k) => serverSetting(input, '', k)).filter((f): f is ModelFact => f !== undefined);
}

/** The per-connection channel cap the config sets, as `client_channel_limit` `16` (`file:4`). */
export function channelLimitMd(server: ChannelServer, input: PlanInput): string | null {
  const f = serverSetting(input, '', server.channelLimitKey);
  return f ? `${code(f.name)} ${code(f.value ?? '')} (${code(f.evidence)})` : null;
}

/** Who may subscribe to a channel: the server's ways in, and the access check our token route calls (`ownsParcel` at its line) or the one to write. */
export function channelPermissionMd(server: ChannelServer, input: PlanInput, entity: string, namespace: string): string {
  const check = channelAuthCheck(input);
  const closed = serverSetting(input, namespace, 'allow_subscribe_for_client');
  const gate =
    closed && closed.value === 'false'
      ? `The namespace lets no client subscribe on its own (${code('allow_subscribe_for_client')} ${code('false')}, ${code(closed.evidence)}), so ${server.permissionMd}`
      : `Unless the namespace lets any client subscribe (${code('allow_subscribe_for_client')}, to keep off for a private channel), ${server.permissionMd}`;
  return check
    ? `${gate}: here our route ${code(check.store ?? '')} signs a subscription token only after ${code(check.name)} allows it (${code(check.evidence)})`
    : `${gate}: the route that signs subscription tokens checks that the user may read the ${entity} first`;
}

/** The stated node count of the server ("must be able to run as 2 nodes"), and the must on its line. */
function statedNodes(input: PlanInput): { n: NumberRequirement; must: Requirement | undefined } | null {
  const reqs = input.sessions.requirements;
  const n = reqs.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'instances' && r.unit === 'instances' && r.value > 1);
  return n ? { n, must: reqs.find((r) => r.kind === 'constraint' && r.evidence === n.evidence) } : null;
}

/**
 * Performance and scaling on a server product we run: what the context's node count needs of its
 * config (a shared engine or broker, read at its line, or the default engine the config leaves), and
 * the money budget those nodes weigh on, unpriced.
 */
export function serverNodeNotes(server: ChannelServer, input: PlanInput): string[] {
  const out: string[] = [];
  const nodes = statedNodes(input);
  const file = serverConfigFile(input);
  const engine = engineSettings(server, input);
  if (nodes) {
    const config = !file
      ? `rt-plan read no ${server.label} config file in the repository (only a JSON one is read), so which engine runs is not known here. `
      : engine.length > 0
        ? `The config sets ${engine.map((f) => `${code(f.name)} ${code(f.value ?? '')} (${code(f.evidence)})`).join(' and ')}: check that both nodes point at the same one. `
        : `${code(file.evidence.replace(/:\d+$/, ''))} sets no ${code('engine')} or ${code('broker')}, so unless the environment sets one (${code('CENTRIFUGO_ENGINE')}) ${server.label} runs its default Memory engine: as configured today a second node would neither receive the first node's publications nor share its history. `;
    out.push(
      `${fmt(nodes.n.value)} ${server.label} nodes, as the context asks: ${quoteOf(nodes.must ?? nodes.n)}. ${config}${server.multiNode.needMd}. Put the load balancer in front of both nodes (any node can take any connection once the engine is shared), and count the Redis server as one more thing to run.`,
    );
  }
  const money = input.sessions.requirements.find((r): r is NumberRequirement => r.kind === 'number' && r.metric === 'budget' && r.unit === 'currency/month');
  if (money) {
    const must = input.sessions.requirements.find((r) => r.kind === 'constraint' && r.evidence === money.evidence);
    out.push(
      `Money budget, ${quoteOf(must ?? money)}: the pool is ${nodes ? `the ${fmt(nodes.n.value)} ${server.label} nodes` : `the ${server.label} node`}${nodes && engine.length === 0 ? ', the Redis server a second node needs' : ''} and our API. rt-plan prices nothing offline: whether they fit the budget (${fmt(money.value)} a month, as stated) is for you to check against your provider's prices; the load test's connections and memory per node say how small each VM can be.`,
    );
  }
  return out;
}

/** "up to 10 minutes away", "offline for at most 5 min": how long a client may be gone and still get what it missed. */
const ABSENCE =
  /\b(?:up to|at most|for)\s+(\d+(?:\.\d+)?)\s*(minutes?|mins?|seconds?|secs?|s|hours?|h)\b[^.;]{0,20}\b(?:away|offline|in the background|disconnected|gone)\b|\b(?:away|offline|background|disconnected)\b[^.;]{0,40}\b(?:up to|at most)\s+(\d+(?:\.\d+)?)\s*(minutes?|mins?|seconds?|secs?|s|hours?|h)\b/i;

function absenceOf(input: PlanInput): { ms: number; md: string; sentence: string; evidence: string } | null {
  for (const r of input.sessions.requirements) {
    if (r.kind === 'problem' || !('sentence' in r)) continue;
    const m = ABSENCE.exec(r.sentence);
    if (!m) continue;
    const n = Number(m[1] ?? m[3]);
    const unit = (m[2] ?? m[4] ?? 's').toLowerCase();
    const ms = n * (unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1_000);
    return { ms, md: `${m[1] ?? m[3]} ${m[2] ?? m[4]}`, sentence: r.sentence, evidence: r.evidence };
  }
  return null;
}

/**
 * A reported problem that names the server's own "insufficient state": what it means, how far back
 * the namespace's history lets a client recover (its settings at their lines, against how long the
 * context says a client may be away), what the client must do when it cannot, and the access check
 * every new subscription waits on. Null when the sentence does not name it.
 */
export function insufficientStateMd(server: ChannelServer, input: PlanInput, sentence: string, namespace: string): string | null {
  if (!server.insufficientState.match.test(sentence)) return null;
  const parts = [`${server.insufficientState.meaningMd}.`];
  const history = historyMd(server, input, namespace);
  const ttl = serverSetting(input, namespace, server.history.ttlKey);
  const ttlMs = durationMs(ttl?.value);
  const away = absenceOf(input);
  if (history) {
    parts.push(`That recovery reaches back only as far as the namespace ${code(namespace)} keeps history: ${history}.`);
    if (ttl && ttlMs !== null && away && ttlMs <= away.ms * 1.5)
      parts.push(
        `The context wants nothing missing after ${away.md} away ("${away.sentence.replace(/"/g, "'")}", ${code(away.evidence)}), and ${code(server.history.ttlKey)} ${code(ttl.value ?? '')} (${code(ttl.evidence)}) ${ttlMs < away.ms ? 'is shorter than that' : ttlMs === away.ms ? 'is exactly that' : 'leaves little margin over it'}: a phone back after that long, plus the time its reconnect and new tokens take, can find the channel's history expired, and then ${server.label} cannot recover what it missed. Raise ${code(server.history.ttlKey)} well above the longest absence the context allows (with ${code(server.history.sizeKey)} above the publications one channel gets in that time).`,
      );
  } else {
    parts.push(
      `rt-plan read no history settings for the namespace ${code(namespace)} in a ${server.label} config file, so how far back recovery reaches is not known here: check ${code(server.history.sizeKey)}, ${code(server.history.ttlKey)} and ${list(server.history.recoveryKeys.map((k) => code(k)))} in the config ${server.label} runs with.`,
    );
  }
  parts.push(
    `After a resubscribe, ${server.history.clientMd}; rt-plan does not model the ${code(server.clientPackage)} client, so it cannot tell whether the timeline does that; one that only appends publications keeps the gap until a reload.`,
  );
  const check = channelAuthCheck(input);
  if (check)
    parts.push(
      `Every new subscription token waits on ${code(check.name)} (${code(check.evidence)}): at a hub peak many clients resubscribe at once, and while that check is slow or failing their subscriptions stay down, so watch that route's latency and errors at the peak.`,
    );
  parts.push(`Reproduce it with the load test at the stated peak and read ${server.label}'s disconnect and unsubscribe codes in its logs and metrics.`);
  return parts.join(' ');
}

/** What the server's config must change for the context's figures: a history window above the stated absence, a shared engine for the stated nodes. */
export function serverConfigChanges(server: ChannelServer, input: PlanInput, namespace: string): string[] {
  const out: string[] = [];
  const ttl = serverSetting(input, namespace, server.history.ttlKey);
  const ttlMs = durationMs(ttl?.value);
  const away = absenceOf(input);
  if (ttl && ttlMs !== null && away && ttlMs <= away.ms * 1.5)
    out.push(
      `raise ${code(server.history.ttlKey)} of the ${code(namespace)} namespace (${code(ttl.value ?? '')} at ${code(ttl.evidence)}) well above the ${away.md} away the context allows (${code(away.evidence)})`,
    );
  if (statedNodes(input) && engineSettings(server, input).length === 0)
    out.push(
      `set the Redis engine (${code('"engine": "redis"')}, ${code('redis_address')}) before the second node runs (${code(statedNodes(input)!.n.evidence)})`,
    );
  return out;
}
