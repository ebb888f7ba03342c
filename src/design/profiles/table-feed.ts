// A managed provider that delivers a database table's inserts to subscribers (Supabase Postgres
// Changes): where the code already receives a table's rows this way, the table is the store and its
// rows carry their own id and commit order. A plan on such a feed adds no seq, ack timeout or offline
// queue of its own on top of it; the provider's data (rowChanges in scenarios/kit.ts) says the words.
import type { PlanInput } from '../types.js';
import { managedProvider } from '../scenarios/kit.js';

export interface TableFeed {
  /** The table whose inserts the code receives (`messages`). */
  table: string;
  /** The row's id field, as the code reads it (`id`); null where the code shows no payload field of it. */
  key: string | null;
  /** rt-plan's label of the existing event (`postgres_changes:messages:INSERT`). */
  event: string;
  /** Where the code subscribes. */
  at: string | null;
  /** What orders and stores the rows, for Ordering and Core design. */
  orderMd: string;
  /** The catch-up on a rejoin, for State synchronization; null without a key to merge by. */
  catchUpMd: string | null;
  /** The provider's label. */
  by: string;
  /** What the feed promises about delivery while joined (Core design). */
  deliveryMd: string;
}

/**
 * The table feed an existing server → client event stands for, when the provider delivers table rows
 * and `eventName` is one of them (an event the code receives through the provider's row-change call);
 * null otherwise.
 */
export function tableFeedOf(input: PlanInput, eventName: string): TableFeed | null {
  const p = managedProvider(input);
  const rows = p?.rowChanges;
  if (!p || !rows) return null;
  const e = input.analysis.events.find(
    (x) => x.name === eventName && x.origin === 'existing' && x.direction !== 'client-to-server' && x.topic && x.sdk && rows.sdk.test(x.sdk),
  );
  if (!e?.topic) return null;
  // The catch-up merges by the row's id: named only where the code shows one (the project's type or a handler's read).
  const key = e.payload?.some((f) => f.name === 'id') ? 'id' : null;
  return {
    table: e.topic,
    key,
    event: e.name,
    at: e.evidence,
    orderMd: rows.feedOrderMd(e.topic, key),
    catchUpMd: key ? rows.feedCatchUpMd(e.topic, key) : null,
    by: p.label,
    deliveryMd: rows.feedDeliveryMd,
  };
}
