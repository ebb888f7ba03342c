// The same event read on the client and on the server is one event of the plan. The analyzer
// keeps them apart where their namespaces differ (a client connecting to `/support` by URL, a
// Nest gateway declaring it), and each side may show a different part of it: the client's
// listener no payload, the server's emit the object it sends. One row carries what every side shows.
import type { PayloadField, RtEvent } from '../types.js';

/** Fields of every site, first seen first; a typed sighting wins over an untyped one, and a field any site sends unconditionally is not optional. */
function unionPayload(group: readonly RtEvent[]): PayloadField[] {
  const out = new Map<string, PayloadField>();
  for (const e of group) {
    for (const p of e.payload ?? []) {
      const had = out.get(p.name);
      if (!had) {
        out.set(p.name, { ...p });
        continue;
      }
      const next = had.type === 'unknown' && p.type !== 'unknown' ? { ...p } : had;
      if (!had.optional || !p.optional) delete next.optional;
      out.set(p.name, next);
    }
  }
  return [...out.values()];
}

/** One event per name, in first-seen order: the first site's evidence and direction, the namespace a side declares, the payload every side shows. */
export function onePerName(events: readonly RtEvent[]): RtEvent[] {
  const groups = new Map<string, RtEvent[]>();
  for (const e of events) groups.set(e.name, [...(groups.get(e.name) ?? []), e]);
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    if (group.length === 1) return first;
    const out: RtEvent = { ...first };
    const ns = first.namespace ?? group.find((o) => o.namespace)?.namespace;
    if (ns) out.namespace = ns;
    const payload = unionPayload(group);
    if (payload.length > 0) {
      out.payload = payload;
      delete out.bare;
    } else {
      const bare = group.find((o) => o.bare)?.bare;
      if (bare) out.bare = bare;
    }
    // What clients send, where a side shows it differs from the server's object.
    const sent = group.find((o) => o.sent)?.sent;
    if (sent && payload.length > 0) out.sent = sent;
    return out;
  });
}
