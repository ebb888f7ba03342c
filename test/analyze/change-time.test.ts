// A record's change time is ordered by only as far as rt-plan can say which clock set it: SQL of the
// project that writes the column from the database clock is that clock (model/change-time.ts).
import { describe, expect, it } from 'vitest';
import { changeTimes } from '../../src/analyze/model/change-time.js';
import type { FileFacts } from '../../src/analyze/code/facts.js';

const facts = (strings: { value: string; line: number }[]): ReadonlyMap<string, FileFacts> =>
  new Map([['server/src/orders.ts', { strings: strings.map((s) => ({ ...s, key: null })) } as unknown as FileFacts]]);

describe('changeTimes', () => {
  it('reads a time column an UPDATE sets from the database clock, at the line of the assignment', () => {
    expect(
      changeTimes(
        facts([
          { value: 'update orders set status = $2, updated_at = now() where id = $1 returning id', line: 23 },
          { value: 'UPDATE cards\n   SET lane = $2,\n       modifiedAt = CURRENT_TIMESTAMP\n WHERE id = $1', line: 40 },
        ]),
      ).map((f) => `${f.kind} ${f.name} ${f.value} ${f.evidence}`),
    ).toEqual(['change-time updated_at now() server/src/orders.ts:23', 'change-time modifiedAt CURRENT_TIMESTAMP server/src/orders.ts:42']);
  });

  it('reads nothing from a query that only selects, or a time the app passes in', () => {
    expect(
      changeTimes(
        facts([
          { value: 'select * from orders where updated_at = now()', line: 5 },
          { value: 'update orders set updated_at = $2 where id = $1', line: 9 },
          { value: 'updated_at = now()', line: 12 },
        ]),
      ),
    ).toEqual([]);
  });
});
