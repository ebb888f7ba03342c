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
