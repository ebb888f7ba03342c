// What a client library's own keep-alive does, by version: when it sends its heartbeat message
// and what makes it close the socket. Sections read this instead of assuming that a configured
// interval is a message sent on that interval whatever else is on the wire.
import semver from 'semver';
import type { LibraryUse } from '../../types.js';

export interface ClientKeepAlive {
  library: string;
  /** The versions this behaviour is the library's. */
  range: string;
  /**
   * `fixed`: the message goes every interval whatever else is sent or received;
   * `receive-silence`: only once nothing has been received for the interval, so a client that keeps
   * receiving sends nothing (a server that closes on client silence is not kept happy by it).
   */
  sends: 'fixed' | 'receive-silence';
  /** The option names, for the plan's words. */
  intervalOption: string;
  timeoutOption: string;
  /** Where the behaviour is read from. */
  sourceMd: string;
}

// react-use-websocket added `heartbeat` in 4.5.0; dist/lib/heartbeat.js up to 4.9.0 sends `message`
// on a setInterval of `interval`; from 4.10.0 it sends only when `lastMessageTime` (set on every
// message received) is `interval` old, and closes when it is `timeout` old.
const CLIENT_KEEPALIVES: readonly ClientKeepAlive[] = [
  {
    library: 'react-use-websocket',
    range: '>=4.5.0 <4.10.0',
    sends: 'fixed',
    intervalOption: 'heartbeat.interval',
    timeoutOption: 'heartbeat.timeout',
    sourceMd: "react-use-websocket's heartbeat (4.5–4.9) sends its message on a fixed timer",
  },
  {
    library: 'react-use-websocket',
    range: '>=4.10.0',
    sends: 'receive-silence',
    intervalOption: 'heartbeat.interval',
    timeoutOption: 'heartbeat.timeout',
    sourceMd:
      "react-use-websocket's heartbeat (≥ 4.10) counts only what arrives: it sends its message once nothing has been received for the interval, and closes the socket once nothing has been received for the timeout",
  },
];

/** The keep-alive behaviour of the client library the project uses at its version; null when unknown. */
export function clientKeepAliveOf(libraries: readonly LibraryUse[]): ClientKeepAlive | null {
  for (const use of libraries) {
    // A resolved version decides; a declared range only where every version it allows behaves the same.
    const exact = use.version ? semver.valid(semver.coerce(use.version)) : null;
    const range = !exact && use.declared && semver.validRange(use.declared) ? use.declared : null;
    const hit = CLIENT_KEEPALIVES.find(
      (k) => k.library === use.name && (exact ? semver.satisfies(exact, k.range) : range ? semver.subset(range, k.range) : false),
    );
    if (hit) return hit;
  }
  return null;
}

/**
 * The schedule a self-reconnecting client library follows by default, by version: how long it waits
 * before the first retry after an accepted connection drops, how that delay grows, and the options
 * that change it. Sections read this instead of describing rt-plan's own full-jitter policy, which
 * such a client never runs.
 */
export interface ClientReconnectDefaults {
  library: string;
  /** The versions this schedule is the library's. */
  range: string;
  /** The first retry after a drop waits between these (equal: no jitter). */
  firstMinMs: number;
  firstMaxMs: number;
  /** How the first delay is drawn, for the plan's words. */
  drawnMd: string;
  /** Each further retry waits the first delay times factor^(n−1), up to capMs. */
  factor: number;
  capMs: number;
  /** The options that set the first delay and the ceiling. */
  minOption: string;
  maxOption: string;
  /** Where the schedule is read from. */
  sourceMd: string;
}

// reconnecting-websocket 4.4.0 dist: DEFAULT.minReconnectionDelay = 1000 + Math.random() * 4000 (module
// level, so drawn once per page), maxReconnectionDelay 10000, reconnectionDelayGrowFactor 1.3; _getNextDelay
// waits minReconnectionDelay × 1.3^(retryCount − 1) once retryCount > 0, and retryCount is 1 on the first
// retry after a connection that stayed open minUptime (5 s). partysocket 1.3.0 dist/ws.js (its fork):
// the same code with DEFAULT.minReconnectionDelay = 3000, no random part.
const CLIENT_RECONNECT_DEFAULTS: readonly ClientReconnectDefaults[] = [
  {
    library: 'reconnecting-websocket',
    range: '>=4.4.0 <5.0.0',
    firstMinMs: 1_000,
    firstMaxMs: 5_000,
    drawnMd: 'drawn once per page load',
    factor: 1.3,
    capMs: 10_000,
    minOption: 'minReconnectionDelay',
    maxOption: 'maxReconnectionDelay',
    sourceMd: 'reconnecting-websocket 4.4.0 source (`DEFAULT`, `_getNextDelay`): https://github.com/pladaria/reconnecting-websocket',
  },
  {
    library: 'partysocket',
    range: '>=1.3.0 <1.4.0',
    firstMinMs: 3_000,
    firstMaxMs: 3_000,
    drawnMd: 'the same for every client, with no jitter',
    factor: 1.3,
    capMs: 10_000,
    minOption: 'minReconnectionDelay',
    maxOption: 'maxReconnectionDelay',
    sourceMd: 'partysocket 1.3.0 source (`dist/ws.js`: `DEFAULT`, `_getNextDelay`): https://github.com/cloudflare/partykit/tree/main/packages/partysocket',
  },
];

/** The default reconnect schedule of the self-reconnecting client the project uses at its version; null when unknown. */
export function clientReconnectDefaultsOf(libraries: readonly LibraryUse[]): (ClientReconnectDefaults & { version: string }) | null {
  for (const use of libraries) {
    const exact = use.version ? semver.valid(semver.coerce(use.version)) : null;
    const range = !exact && use.declared && semver.validRange(use.declared) ? use.declared : null;
    const hit = CLIENT_RECONNECT_DEFAULTS.find(
      (k) => k.library === use.name && (exact ? semver.satisfies(exact, k.range) : range ? semver.subset(range, k.range) : false),
    );
    if (hit) return { ...hit, version: exact ?? use.declared ?? '' };
  }
  return null;
}
