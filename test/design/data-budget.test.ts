// A monthly data allowance per room's site, priced against the push into that room and against a
// refetch of a whole query on every event (design/data-budget.ts). Exact values.
import { describe, expect, it } from 'vitest';
import type { DesignCtx } from '../../src/design/context.js';
import { dataBudgetRows } from '../../src/design/data-budget.js';
import type { ModelFact, Requirement } from '../../src/types.js';

const BUDGET = "the store's backhaul is a metered 4G router with 5 GB a month shared by everything in the store.";
const num = (metric: string, value: number, unit: string, sentence: string, evidence: string, extra = {}): Requirement =>
  ({ kind: 'number', metric, value, unit, sentence, evidence, ...extra }) as Requirement;
const REFETCH: ModelFact = {
  kind: 'refetch-per-event',
  name: 'ORDER_UPDATED',
  value: 'OPEN_ORDERS',
  store: 'web/Board.tsx:5',
  evidence: 'web/Board.tsx:7',
  note: '',
};

function ctx(budgetSentence: string, facts: ModelFact[] = [], fanout: 'context' | 'default' = 'context'): DesignCtx {
  return {
    input: {
      sessions: {
        requirements: [
          num('budget', 5e9, 'bytes', budgetSentence, 'ctx.md:11'),
          num('rooms', 300, 'rooms', 'We run a chain of 300 restaurants.', 'ctx.md:3', { entity: 'stores' }),
        ],
      },
      analysis: { modelFacts: facts },
    },
    capacity: {
      values: { connections: 1200, msgRate: 80, fanout: 4, payloadBytes: 512 },
      sources: { msgRate: { kind: 'context' }, fanout: { kind: fanout }, payloadBytes: { kind: 'default' }, connections: { kind: 'context' } },
    },
  } as unknown as DesignCtx;
}

describe('dataBudgetRows', () => {
  it('prices the push into one store against its monthly allowance', () => {
    expect(dataBudgetRows(ctx(BUDGET))).toEqual([
      {
        quantity: 'Pushed into one store a month at peak all day (upper bound)',
        formula: '80 msg/s ÷ 300 × 4 recipients × 512 B × 2,592,000 s',
        value: '1.42 GB',
        source: `against 5 GB a month per store, context: "${BUDGET}" (\`ctx.md:11\`); 28.3% of it, payload only (512 B a message, the assumed average), before frame, TLS and HTTP overhead`,
      },
    ]);
  });

  it('prices a refetch per event on top of the push, n + 1 times the push, without inventing n', () => {
    const rows = dataBudgetRows(ctx(BUDGET, [REFETCH]));
    // 1.4156 GB a month pushed: (2 + 1) × 1.4156 = 4.25 GB is within 5 GB, (3 + 1) × 1.4156 = 5.66 GB over it.
    expect(rows[1]).toEqual({
      quantity: 'Pushed and refetched into one store a month at peak all day (upper bound)',
      formula: '(n + 1) × 1.42 GB',
      value: 'over 5 GB from n = 3',
      source:
        "each event makes every client that shows the component download the whole `OPEN_ORDERS` result again (`web/Board.tsx:7`; an upper bound: every recipient shows it): n items of 512 B each, n times the push, on top of the push itself, before each refetch's HTTP request and headers; the list's length n is not in the context, so 5 GB a month holds only while (n + 1) × hours at peak a day stays under 84.8",
    });
  });

  it('prices nothing for memory, for an allowance not per room, or without a stated room size', () => {
    expect(dataBudgetRows(ctx('Redis has 5 GB of memory a month in the store.'))).toEqual([]);
    expect(dataBudgetRows(ctx('Our metered uplink allows 5 GB a month.'))).toEqual([]);
    expect(dataBudgetRows(ctx(BUDGET, [], 'default'))).toEqual([]);
  });
});
