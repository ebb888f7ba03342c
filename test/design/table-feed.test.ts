// A managed provider's feed of a table's rows (Supabase Postgres Changes): where the code already
// receives a table's inserts this way, the table is the store and orders the rows, and the plan adds
// no seq, ack timeout or offline queue of its own (profiles/table-feed.ts).
import { describe, expect, it } from 'vitest';
import { tableFeedOf } from '../../src/design/profiles/table-feed.js';
import type { RtEvent } from '../../src/types.js';
import { analysis, CTX, input, sessions } from './inputs.js';

const insert: RtEvent = {
  name: 'postgres_changes:messages:INSERT',
  direction: 'server-to-client',
  origin: 'existing',
  evidence: 'src/hooks/useMessages.ts:17',
  sdk: ".on('postgres_changes', { event: 'INSERT', table: 'messages' })",
  topic: 'messages',
  payload: [
    { name: 'id', type: 'number' },
    { name: 'body', type: 'string' },
  ],
} as RtEvent;

const plan = (providers: string[], events: RtEvent[]) =>
  input({
    task: 'chat',
    analysis: analysis({ name: 'chat', sourceFiles: ['src/hooks/useMessages.ts'], stack: { providers }, events }),
    sessions: sessions(CTX, '', []),
  } as Parameters<typeof input>[0]);

describe('tableFeedOf', () => {
  it('is the table, its id and the words of the order where the code receives its inserts through Postgres Changes', () => {
    expect(tableFeedOf(plan(['supabase-realtime'], [insert]), insert.name)).toEqual({
      table: 'messages',
      key: 'id',
      event: 'postgres_changes:messages:INSERT',
      at: 'src/hooks/useMessages.ts:17',
      orderMd:
        "the `messages` table is the store and Postgres Changes delivers its rows in commit order; each row's `id` identifies it, so no seq of ours is added",
      catchUpMd:
        "on every `SUBSCRIBED` (the first join and each rejoin), and while joined when the tab regains focus and every 60 s (Supabase Realtime does not guarantee that every change reaches a joined client, and a dropped one is otherwise never noticed), the client selects the room's `messages` rows whose `id` is above the highest it shows minus 1,000 (ids come from one sequence shared by every room and are taken before commit, so a row can commit after one with a higher `id`: the window holds such a row while fewer than 1,000 rows are inserted meanwhile) and merges them by `id`, skipping the ones it already shows; the sender's own row, which comes back both from `.insert(…).select()` and from Postgres Changes, is matched by the client's idempotency key and shown once; Postgres Changes replays nothing missed while away",
      by: 'Supabase Realtime',
      deliveryMd:
        'persisted; delivered best effort while joined (Supabase Realtime does not guarantee every change), with the gaps filled by the catch-up query (State synchronization)',
    });
  });

  it('names no id and no catch-up where the code shows no id field of the row', () => {
    const feed = tableFeedOf(plan(['supabase-realtime'], [{ ...insert, payload: undefined }]), insert.name);
    expect([feed?.key, feed?.catchUpMd, feed?.orderMd]).toEqual([
      null,
      null,
      'the `messages` table is the store and Postgres Changes delivers its rows in commit order, so no seq of ours is added',
    ]);
  });

  it('is null for a provider without a table feed, a Broadcast event, or an event the plan proposes', () => {
    expect(tableFeedOf(plan(['ably'], [insert]), insert.name)).toBeNull();
    expect(tableFeedOf(plan(['supabase-realtime'], [{ ...insert, sdk: "channel.on('broadcast')" }]), insert.name)).toBeNull();
    expect(tableFeedOf(plan(['supabase-realtime'], [{ ...insert, origin: 'proposed' } as RtEvent]), insert.name)).toBeNull();
  });
});
