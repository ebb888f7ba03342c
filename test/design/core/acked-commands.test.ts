// A Socket.IO request the server answers through its acknowledgement (`getDatabaseSize`,
// `addProxy` with a callback) is a command, not a stored object whose changes are delivered; one
// named by a read verb is a query, which a retry runs again. An object that also goes out to other
// clients (`card:move` acked, `card:moved` broadcast) stays what its events make it.
import { describe, expect, it } from 'vitest';
import { objectsFromCode } from '../../../src/design/core/objects.js';
import type { RtEvent } from '../../../src/types.js';

const ev = (name: string, direction: RtEvent['direction'], at: string, acked?: string): RtEvent => ({
  name,
  direction,
  origin: 'existing',
  evidence: at,
  transport: 'socket.io',
  ...(acked ? { acked } : {}),
});

const kinds = (events: RtEvent[]) =>
  objectsFromCode({ events, findings: [], requirements: [] }).map((o) => [o.name, o.kind, o.query ?? false, o.decision.lifetime, o.decision.conflict]);

describe('acknowledged requests', () => {
  it('are commands, and a read verb makes one a query', () => {
    expect(
      kinds([
        ev('addProxy', 'client-to-server', 'server/p.js:9', 'server/p.js:9'),
        ev('deleteProxy', 'client-to-server', 'server/p.js:14', 'server/p.js:14'),
        ev('getDatabaseSize', 'client-to-server', 'server/d.js:6', 'server/d.js:6'),
        ev('listMonitors', 'client-to-server', 'server/m.js:3', 'src/m.vue:8'),
      ]),
    ).toEqual([
      ['proxy', 'command', false, 'transient', 'runs-once'],
      ['database-size', 'command', true, 'transient', 'runs-once'],
      ['monitor', 'command', true, 'transient', 'runs-once'],
    ]);
  });

  it('stay objects when one of their events is not acked or the server sends them on', () => {
    expect(
      kinds([
        ev('addProxy', 'client-to-server', 'server/p.js:9', 'server/p.js:9'),
        ev('proxyAdded', 'server-to-client', 'server/p.js:11'),
        ev('saveSettings', 'client-to-server', 'server/s.js:4'),
      ]),
    ).toEqual([
      ['proxy', 'record', false, 'persisted', 'field-lww-in-server-order'],
      ['setting', 'record', false, 'persisted', 'field-lww-in-server-order'],
    ]);
  });
});
