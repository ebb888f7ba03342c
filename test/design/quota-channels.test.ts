// The per-connection channel cap of a provider plan, against the channels the code names by an id.
import { describe, expect, it } from 'vitest';
import { quotaRows, type QuotaInput } from '../../src/design/quota-rows.js';
import { quotaProfile } from '../../src/design/profiles/quotas.js';
import type { Workload } from '../../src/design/workload.js';

const w = { streams: [], room: null, largestRoom: null, budgets: [], scopedPeak: null, roomCount: null, roomClasses: null, quotas: [] } as unknown as Workload;
const base: QuotaInput = {
  w,
  connections: 300,
  connectionsEvidence: null,
  msgRate: 2,
  fanout: 60,
  payloadBytes: 512,
  provider: quotaProfile(['supabase-realtime']),
  cite: '',
  presence: false,
  dailyUsers: null,
  typingUncounted: false,
  typing: false,
};
const channelRows = (q: QuotaInput) => quotaRows(q).filter((r) => r.quantity.startsWith('Channels per connection'));

describe('channels per connection', () => {
  it('a channel per message is one more channel per message shown, against the 100 Supabase allows a connection', () => {
    expect(channelRows({ ...base, templatedChannels: [{ channel: 'reactions:{messageId}', evidence: 'src/useReactions.ts:10' }] })).toEqual([
      {
        quantity: "Channels per connection against Supabase Realtime's 100",
        formula: 'reactions:{messageId}',
        value: 'one per value of each id a tab shows at once',
        source:
          "Supabase Realtime limits a connection to 100 channels (its limits page; an Enterprise project can have more); the code opens `reactions:{messageId}` (listener at src/useReactions.ts:10): a channel per item (one per message) passes the cap once a tab shows that many, so carry such items on one channel per room (a filter on the room's id) instead",
      },
    ]);
  });

  it('no row without a templated channel, or for a provider whose cap rt-plan does not hold', () => {
    expect(channelRows(base)).toEqual([]);
    expect(channelRows({ ...base, provider: quotaProfile(['ably']), templatedChannels: [{ channel: 'room:{id}', evidence: 'a.ts:1' }] })).toEqual([]);
  });
});
