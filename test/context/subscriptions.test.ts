import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';

const read = (t: string) =>
  extractRequirements('c.md', t)
    .filter((r) => r.kind === 'number' && (r.metric === 'subscriptions' || r.metric === 'entities'))
    .map((r) => (r.kind === 'number' ? [r.metric, r.value, r.unit, r.bound ?? null] : null));

describe('subscriptions per connection', () => {
  it('reads a typical count, its stated maximum and how many entities exist', () => {
    expect(read('A watchlist has 20 symbols on average (50 max). The feed covers 8,000 symbols.')).toEqual([
      ['subscriptions', 20, 'symbols/connection', null],
      ['subscriptions', 50, 'symbols/connection', 'max'],
      ['entities', 8000, 'symbols', null],
    ]);
    expect(read('Each client watches 20 symbols (50 max).')).toEqual([
      ['subscriptions', 20, 'symbols/connection', null],
      ['subscriptions', 50, 'symbols/connection', 'max'],
    ]);
    expect(read('Every user follows up to 200 channels.')).toEqual([['subscriptions', 200, 'channels/connection', 'max']]);
    expect(read('Each dispatcher tracks 40 vehicles, at most 60; the fleet has 1,200 vehicles.')).toEqual([
      ['subscriptions', 40, 'vehicles/connection', null],
      ['subscriptions', 60, 'vehicles/connection', 'max'],
      ['entities', 1200, 'vehicles', null],
    ]);
  });
  it('reads nothing from a total or a sentence without a count', () => {
    expect(read('Each browser watches symbols (watch / unwatch).')).toEqual([]);
    expect(read('We track 1,200 vehicles, each reporting every 5 s.')).toEqual([]);
    expect(read('Each user watches 3 seconds of video.')).toEqual([]);
  });
});
