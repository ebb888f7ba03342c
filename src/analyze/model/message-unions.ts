// Payloads from the project's declared message types. A union of shapes told apart by a
// string-literal `type` (`type ServerFrame = { type: 'chat.new'; id: string; … } | …`) states
// every field of the message of that `type`, closed: where no send site lists them all (a
// handler reads one field, a wrapper sends `{ type, payload }`), the declaration completes the
// event's payload, cited at its own line. Only unions named as messages count, and only when
// every declaration of that `type` agrees, so an unrelated union never speaks for an event.
import type { RtEvent } from '../../types.js';
import type { FileFacts } from '../code/facts.js';
import type { RawEvent } from '../code/events.js';
import { enveloped, ev, mergePayload } from '../code/merge.js';

/** Names a union of messages goes by: `ServerFrame`, `Inbound`, `ClientMessage`, `WsEvent`, `Packet`. */
export const MESSAGE_UNION = /(?:message|msg|frame|event|inbound|outbound|packet|payload|envelope|command)s?$/i;

export function withDeclaredPayloads(events: RtEvent[], raw: readonly RawEvent[], modules: ReadonlyMap<string, FileFacts>): RtEvent[] {
  const declared = new Map<string, { file: string; line: number; fields: RawEvent['payload'] }[]>();
  for (const [file, f] of [...modules].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (const u of f.module?.messageUnions ?? []) {
      if (!MESSAGE_UNION.test(u.name)) continue;
      for (const m of u.members) {
        const list = declared.get(m.type) ?? [];
        list.push({ file, line: m.line, fields: { ...m.site, fields: m.site.fields.map((x) => ({ ...x, file })) } });
        declared.set(m.type, list);
      }
    }
  if (declared.size === 0) return events;
  return events.map((e) => {
    if (e.bare) return e;
    const decls = declared.get(e.name);
    if (!decls) return e;
    // Two declarations of one `type` with different fields (a client's and a server's `typing`): neither is the payload.
    const keys = new Set(decls.map((d) => (d.fields?.fields ?? []).map((x) => x.name).join('\u0000')));
    const first = decls[0]!;
    if (keys.size !== 1 || (first.fields?.fields.length ?? 0) === 0) return e;
    // A site listing every key already says the payload; the declaration still types the keys it
    // lists when they are the same keys and the site types none of them (`{ id: sender.id, x: msg.x }`).
    if (e.closed) {
      const same = [...keys][0] === e.closed.fields.join('\u0000');
      const untyped = (e.payload ?? []).every((p) => p.type === 'unknown');
      if (!same || !untyped || first.fields!.fields.every((f) => f.type === 'unknown')) return e;
    }
    const sites = enveloped(raw.filter((r) => r.name === e.name && r.transport === e.transport && !r.wildcard));
    const pseudo = { ...(sites[0] ?? ({} as RawEvent)), file: first.file, line: first.line, payload: first.fields } as RawEvent;
    const payload = mergePayload([pseudo, ...sites]);
    if (!payload) return e;
    const fields = first.fields!.fields;
    return { ...e, payload, closed: { evidence: ev(first.file, fields[0]?.line ?? first.line), fields: fields.map((f) => f.name) } };
  });
}
