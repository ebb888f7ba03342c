// A Supabase app's contract says what Supabase and realtime-js do: no handshake or heartbeat of a
// server of ours (model-supabase-presence has none).
import { describe, expect, it } from 'vitest';
import { fixturePlan } from './fixture-plans.js';

describe('model-supabase-presence contract', () => {
  it('states the channel-join authorization and the client heartbeat, not a handshake of ours', async () => {
    const { contract } = await fixturePlan('model-supabase-presence');
    const criteria = (JSON.parse(contract ?? '{}') as { criteria: { ears: string }[] }).criteria.map((c) => c.ears);
    expect(criteria.some((e) => /at the handshake|the server SHALL send a heartbeat/.test(e))).toBe(false);
    expect(criteria).toContain(
      "WHEN a client joins a private channel THEN Supabase Realtime SHALL admit it only if the RLS policies on realtime.messages allow its user's JWT",
    );
    expect(criteria.some((e) => e.startsWith('WHEN a connection is open THEN the client (realtime-js) SHALL send a heartbeat every 15,000 ms'))).toBe(true);
  });
});
