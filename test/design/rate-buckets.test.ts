import { describe, expect, it } from 'vitest';
import { basisOf, eventWords, rateBuckets } from '../../src/design/rate-buckets.js';
import type { Stream } from '../../src/design/workload.js';

function stream(kind: string, rate: number, extra: Partial<Stream> = {}): Stream {
  return {
    kind,
    rate,
    perUser: true,
    activeShare: 1,
    published: rate,
    droppable: false,
    inbound: false,
    scope: null,
    stated: 1,
    sentence: `${rate} ${kind} per second per user`,
    evidence: `ctx.md:${rate}`,
    ...extra,
  };
}

describe('rateBuckets', () => {
  it('sizes each kind from the stream it carries, keeps joins and syncs small, and caps the connection at 2× the sum', () => {
    const positions = stream('positions', 20);
    const moves = stream('moves', 2);
    const b = rateBuckets([moves, positions], ['board:join', 'card:move', 'cursor:move', 'board:sync', 'auth:refresh']);
    expect(b.connection).toEqual({ rate: 44, burst: 88 });
    expect(b.kinds).toEqual([
      { event: 'board:join', rate: 1, burst: 5, basis: { kind: 'occasional' } },
      { event: 'card:move', rate: 4, burst: 8, basis: { kind: 'stated', stream: moves } },
      { event: 'cursor:move', rate: 40, burst: 80, basis: { kind: 'stated', stream: positions } },
      { event: 'board:sync', rate: 1, burst: 5, basis: { kind: 'occasional' } },
      { event: 'auth:refresh', rate: 1, burst: 5, basis: { kind: 'occasional' } },
    ]);
  });

  it('gives a kind with no stated rate only the connection bucket, and a slow stated kind the 2/s floor', () => {
    const keys = stream('keystrokes', 8);
    const b = rateBuckets([keys], ['note:cursor', 'note:edit', 'noteJoin']);
    expect(b.connection).toEqual({ rate: 16, burst: 32 });
    expect(b.kinds.map((k) => [k.event, k.rate, k.burst, k.basis.kind])).toEqual([
      ['note:cursor', 16, 32, 'unstated'],
      ['note:edit', 16, 32, 'stated'],
      ['noteJoin', 1, 5, 'occasional'],
    ]);
    const chat = rateBuckets([stream('messages', 0.05), stream('typing', 0.5)], ['message:send', 'agent:typing']);
    expect(chat.connection).toEqual({ rate: 10, burst: 20 });
    expect(chat.kinds.map((k) => [k.event, k.rate, k.burst])).toEqual([
      ['message:send', 2, 4],
      ['agent:typing', 2, 4],
    ]);
  });

  it('counts a send that travels with a stated kind at that kind rate, in its own bucket and the connection', () => {
    const keys = stream('keystrokes', 8);
    const together = new Map([['note:cursor', [{ event: 'note:edit', at: 'src/NoteEditor.tsx:43' }]]]);
    const b = rateBuckets([keys], ['note:cursor', 'note:edit', 'noteJoin'], together);
    expect(b.connection).toEqual({ rate: 32, burst: 64 });
    expect(b.kinds.map((k) => [k.event, k.rate, k.burst, k.basis.kind])).toEqual([
      ['note:cursor', 16, 32, 'with'],
      ['note:edit', 16, 32, 'stated'],
      ['noteJoin', 1, 5, 'occasional'],
    ]);
    expect(b.kinds[0]!.basis).toEqual({ kind: 'with', event: 'note:edit', at: 'src/NoteEditor.tsx:43', stream: keys });
    // A companion with no stated rate gives none: the rider stays on the connection's bucket.
    const none = rateBuckets([keys], ['note:cursor', 'note:ping'], new Map([['note:cursor', [{ event: 'note:ping', at: 'a.ts:1' }]]]));
    expect(none.connection).toEqual({ rate: 16, burst: 32 });
    expect(none.kinds[0]).toEqual({ event: 'note:cursor', rate: 16, burst: 32, basis: { kind: 'unstated' } });
  });

  it('leaves out what users receive and system-wide rates', () => {
    const b = rateBuckets([stream('notifications', 3, { received: true }), stream('messages', 50, { perUser: false })], ['chat:message']);
    expect(b.connection).toEqual({ rate: 10, burst: 20 });
    expect(b.kinds).toEqual([{ event: 'chat:message', rate: 10, burst: 20, basis: { kind: 'unstated' } }]);
  });
});

describe('basisOf', () => {
  it('reads the words of a name: a cursor that moves is a position, not a move', () => {
    expect(eventWords('cursorMove')).toEqual(['cursor', 'move']);
    expect(basisOf('cursor:move', [stream('moves', 2)])).toEqual({ kind: 'unstated' });
    expect(basisOf('presence.subscribe', [stream('presence', 1)])).toEqual({ kind: 'occasional' });
  });
});
