// model fact presence-per-connection: a presence list built from an SDK call that returns one
// member per connection (Ably's `presence.get()`), mapped to the client id with nothing that makes
// it unique, lists a person once per tab or device.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { react: '^18.3.0', ably: '^2.28.0' } });

async function facts(list: string, enter = 'channel.presence.enter({ name: me.name });') {
  const hook = [
    "import { useEffect, useState } from 'react';",
    "import { realtime } from './client';",
    'export function useStaff(shopId: string, me: { name: string }) {',
    '  const [staff, setStaff] = useState<string[]>([]);',
    '  useEffect(() => {',
    '    const channel = realtime.channels.get(`orders:${shopId}`);',
    '    const refresh = async () => {',
    '      const members = await channel.presence.get();',
    `      ${list}`,
    '    };',
    '    channel.presence.subscribe(refresh);',
    `    ${enter}`,
    '    return () => { channel.presence.unsubscribe(refresh); channel.presence.leave(); };',
    '  }, [shopId]);',
    '  return staff;',
    '}',
    '',
  ].join('\n');
  const a = await analyzeTree({
    'package.json': PKG,
    'src/client.ts': "import * as Ably from 'ably';\nexport const realtime = new Ably.Realtime({ authUrl: '/api/ably/token' });\n",
    'src/useStaff.ts': hook,
  });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'presence-per-connection').map((f) => [f.name, f.evidence, f.value, f.note]);
}

describe('presence-per-connection', () => {
  it('members mapped to their clientId, with what they entered not read', async () => {
    expect(await facts('setStaff(members.map((p) => p.clientId));')).toEqual([
      [
        'members.map',
        'src/useStaff.ts:9',
        'clientId',
        '`setStaff` lists `p.clientId` of every member `channel.presence.get()` returns (line 8), with nothing that makes the list unique: Ably returns one member per connection, and a client connected twice (two tabs, two devices) is two members with the same `clientId` and different `connectionId`s, so a person with two tabs or devices is listed twice. It also shows ids, while each member enters with `{ name }` (line 12), which the list does not read.',
      ],
    ]);
  });
  it('without the enter sentence where members enter with no data', async () => {
    const found = await facts('setStaff(members.map((p) => p.clientId));', 'channel.presence.enter();');
    expect(String(found[0]?.[3]).endsWith('is listed twice.')).toBe(true);
  });
  it('not when the list is made unique or reads what members entered', async () => {
    expect(await facts('setStaff([...new Set(members.map((p) => p.clientId))]);')).toEqual([]);
    expect(await facts('setStaff(members.filter((p, i) => members.findIndex((q) => q.clientId === p.clientId) === i).map((p) => p.clientId));')).toEqual([]);
    expect(await facts('setStaff(members.map((p) => p.data.name));')).toEqual([]);
  });
});
