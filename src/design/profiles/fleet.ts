// Whether we run a fleet of socket servers of our own. Instance counts, `ulimit -n`, a
// kill-one-instance test, the reconnect storm onto survivors and a per-instance connection gauge
// describe that fleet only: a serverless host, the Workers runtime, a managed provider or a
// browser talking to a voice provider directly hold the connections instead (senior review C).
import { profileOf, type ProfileCtx } from './index.js';

export function runsOwnFleet(ctx: ProfileCtx): boolean {
  if (ctx.providerDirect) return false;
  const p = profileOf(ctx);
  // `external`: the server is someone else's (a client-only repository), and so is its fleet.
  if (p.external) return false;
  // `front` is the edge runtime or the serverless host routing each request; `socketHost` a managed provider.
  return !(p.serverless || p.front || p.socketHost || p.id === 'provider-direct' || p.id === 'webrtc' || p.id === 'managed' || p.id === 'edge');
}
