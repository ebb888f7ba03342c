// Every adapter, in a fixed order, and the one place detectors call them.
import type { EntryHit } from '../../code/entrypoints.js';
import type { RawEvent } from '../../code/events.js';
import type { FileContext } from '../../code/file-context.js';
import type { FileSignals } from '../../code/signals.js';
import { ABLY_ADAPTER } from './ably.js';
import { AI_SDK_ADAPTER } from './ai-sdk.js';
import { CLOUDFLARE_ADAPTER } from './cloudflare.js';
import { GRAPHQL_ADAPTER } from './graphql.js';
import { HONO_BUN_ADAPTER } from './hono-bun.js';
import { LIVEKIT_ADAPTER } from './livekit.js';
import { NEST_ADAPTER } from './nest.js';
import { PARTYKIT_ADAPTER } from './partykit.js';
import { PUSHER_ADAPTER } from './pusher.js';
import { SUPABASE_ADAPTER } from './supabase.js';
import { UWS_ADAPTER } from './uws.js';
import type { Adapter } from './types.js';

export type { Adapter } from './types.js';

export const ADAPTERS: readonly Adapter[] = [
  NEST_ADAPTER,
  CLOUDFLARE_ADAPTER,
  HONO_BUN_ADAPTER,
  GRAPHQL_ADAPTER,
  AI_SDK_ADAPTER,
  PUSHER_ADAPTER,
  ABLY_ADAPTER,
  SUPABASE_ADAPTER,
  UWS_ADAPTER,
  PARTYKIT_ADAPTER,
  LIVEKIT_ADAPTER,
];

/** Packages some adapter (or the built-in detectors) model. */
export const MODELLED_MODULES: ReadonlySet<string> = new Set(ADAPTERS.flatMap((a) => a.modules));

export function adapterEntries(ctx: FileContext): EntryHit[] {
  return ADAPTERS.flatMap((a) => (a.entries && a.applies(ctx) ? a.entries(ctx) : []));
}

export function adapterEvents(ctx: FileContext, entries: readonly EntryHit[]): RawEvent[] {
  return ADAPTERS.flatMap((a) => (a.events && a.applies(ctx) ? a.events(ctx, entries) : []));
}

/** Add what adapters know to a file's signals (in place). */
export function addAdapterSignals(ctx: FileContext, entries: readonly EntryHit[], serverContext: boolean, signals: FileSignals): FileSignals {
  for (const a of ADAPTERS) {
    if (!a.signals || !a.applies(ctx)) continue;
    const add = a.signals(ctx, entries, serverContext);
    for (const key of Object.keys(add) as (keyof typeof add)[]) (signals[key] as unknown[]).push(...(add[key] ?? []));
  }
  return signals;
}
