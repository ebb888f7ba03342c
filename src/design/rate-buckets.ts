// The token buckets Security sets on a connection of ours where the context states per-user send
// rates: one for the connection as a whole, and one per client event kind inside it, each sized from
// what the model knows of that kind. Pure data; security.ts words the row.
import type { Stream } from './workload.js';

/** Headroom of a limit over the per-user peak the context states (rt-plan-defaults). */
export const RATE_HEADROOM = 2;
/** The per-connection floor: a limit below it would refuse a user whose frames arrive bunched. */
export const CONNECTION_FLOOR = 10;
/** The floor of a kind's own bucket: frames bunched after a stall, and a stated average is not a peak. */
export const KIND_FLOOR = 2;
/** An occasional kind (a join, a sync, a token refresh): its rate and the burst a reconnect's rejoin needs. */
export const OCCASIONAL = { rate: 1, burst: 5 } as const;

/**
 * The words of a client event's name that say which stated stream it carries, by the stream kinds of
 * requirements.ts; the first that matches wins, so a cursor's move is a position, not a card's move.
 */
export const SEND_KIND_WORDS: ReadonlyArray<readonly [kind: string, words: RegExp]> = [
  ['positions', /^(?:cursors?|pointers?|positions?|mouse|awareness)$/],
  ['typing', /^typing$/],
  ['drag', /^drag(?:s|ging)?$/],
  ['presence', /^presence$/],
  ['keystrokes', /^(?:edits?|changes?|updates?|inserts?|deletes?|patch(?:es)?|deltas?|ops?|operations?|inputs?|keystrokes?|text)$/],
  ['moves', /^moves?$/],
  ['price ticks', /^(?:trades?|ticks?|quotes?|prices?)$/],
  ['votes', /^votes?$/],
  ['answers', /^answers?$/],
  ['notifications', /^notifications?$/],
  ['comments', /^comments?$/],
  ['reactions', /^(?:react|reactions?)$/],
  ['messages', /^(?:messages?|msg|chat|send|post)$/],
];

/**
 * Words of an event a client sends on connecting, opening or leaving a room, catching up or renewing
 * its token: not a stream a user keeps up while acting.
 */
export const OCCASIONAL_WORDS =
  /^(?:join|leave|subscribe|unsubscribe|sync|resync|refresh|auth|authenticate|hello|identify|resume|enter|exit|open|close|snapshot)$/;

/** "cursor:move", "noteEdit", "board.sync" → its lower-case words. */
export function eventWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export type KindBasis =
  /** The context states a per-user rate of the stream this kind carries. */
  | { kind: 'stated'; stream: Stream }
  /** Sent on connecting, joining, catching up or refreshing: a small bucket. */
  | { kind: 'occasional' }
  /** No stated rate fits it: only the per-connection bucket bounds it. */
  | { kind: 'unstated' }
  /**
   * No stated rate of its own, but the client sends it on every send of a kind that has one (an
   * edit and a cursor move per keystroke, `at` its send site): it goes at that kind's rate.
   */
  | { kind: 'with'; event: string; at: string; stream: Stream };

export interface KindBucket {
  event: string;
  rate: number;
  burst: number;
  basis: KindBasis;
}

export interface RateBuckets {
  /** All client messages of one connection together. */
  connection: { rate: number; burst: number };
  kinds: KindBucket[];
}

/** The stated per-user stream a client event carries, if its name says so; else whether it is occasional. */
export function basisOf(event: string, streams: Stream[]): KindBasis {
  const words = eventWords(event);
  if (words.some((w) => OCCASIONAL_WORDS.test(w))) return { kind: 'occasional' };
  for (const [kind, re] of SEND_KIND_WORDS) {
    if (!words.some((w) => re.test(w))) continue;
    const stream = streams.find((s) => s.kind === kind);
    // A name that says what it carries, with no rate stated for that: no other stream's rate fits it.
    return stream ? { kind: 'stated', stream } : { kind: 'unstated' };
  }
  return { kind: 'unstated' };
}

/** For each client event, the events the client sends on every send of it, and where it is sent (model fact `client-send`). */
export type Together = ReadonlyMap<string, ReadonlyArray<{ event: string; at: string }>>;

export const connectionRate = (statedTotal: number): number => Math.max(CONNECTION_FLOOR, Math.ceil(statedTotal * RATE_HEADROOM));

/**
 * One bucket per client event kind inside one per connection. A kind whose stream the context rates
 * gets RATE_HEADROOM× that rate (at least KIND_FLOOR, at most the connection's), an occasional kind
 * OCCASIONAL, and a kind with no stated rate the connection's bucket only. Each burst but the
 * occasional one is 2 s at its rate.
 */
export function rateBuckets(streams: Stream[], events: string[], together: Together = new Map()): RateBuckets {
  const sent = streams.filter((s) => s.perUser && !s.received);
  const bases = new Map(events.map((event) => [event, basisOf(event, sent)]));
  // A kind with no stated rate that travels with a stated one goes at that one's rate, and adds it to the connection's.
  for (const [event, basis] of bases) {
    if (basis.kind !== 'unstated') continue;
    const companion = (together.get(event) ?? []).map((t) => ({ t, b: bases.get(t.event) })).find((x) => x.b?.kind === 'stated');
    if (companion?.b?.kind === 'stated') bases.set(event, { kind: 'with', event: companion.t.event, at: companion.t.at, stream: companion.b.stream });
  }
  const riders = [...bases.values()].flatMap((b) => (b.kind === 'with' ? [b.stream.rate] : []));
  const rate = connectionRate(sent.reduce((a, s) => a + s.rate, 0) + riders.reduce((a, r) => a + r, 0));
  const connection = { rate, burst: rate * 2 };
  const kinds = events.map((event): KindBucket => {
    const basis = bases.get(event)!;
    if (basis.kind === 'stated' || basis.kind === 'with') {
      const r = Math.min(rate, Math.max(KIND_FLOOR, Math.ceil(basis.stream.rate * RATE_HEADROOM)));
      return { event, rate: r, burst: r * 2, basis };
    }
    if (basis.kind === 'occasional') return { event, rate: OCCASIONAL.rate, burst: OCCASIONAL.burst, basis };
    return { event, ...connection, basis };
  });
  return { connection, kinds };
}
