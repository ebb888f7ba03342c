// Room counts (context/room-count.ts): how many rooms the per-room figures apply to, stated in
// several phrasings, and counts that are not rooms.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import type { NumberRequirement } from '../../src/types.js';

const numbers = (body: string, metric: string) =>
  extractRequirements('ctx.md', body)
    .filter((r): r is NumberRequirement => r.kind === 'number' && r.metric === metric)
    .map((r) => [r.value, r.unit, r.evidence]);

describe('room counts', () => {
  it.each([
    ['300 stores with 2-4 screens each.', 300, 'stores', 4],
    ['We have about 40 rooms of up to 50.', 40, 'rooms', 50],
    ['There are 12 boards, each watched by 5\u201310 people.', 12, 'boards', 10],
    ['We serve 1,200 classes with 30 students each.', 1200, 'classes', 30],
    ['We run a kitchen display system for a chain of 300 restaurants. Each store has 2 to 4 screens subscribed to its orders.', 300, 'stores', 4],
    ['40 shops use it. Up to 12 staff per shop are signed in at once.', 40, 'shops', 12],
  ])('%s', (body, count, unit, size) => {
    expect(numbers(body, 'rooms')).toEqual([[count, unit, 'ctx.md:1']]);
    expect(numbers(body, 'room-size').map(([v]) => v)).toContain(size);
  });

  it.each([
    // A count of what each user joins or follows is not the rooms.
    'Each user joins 3 rooms; a room has up to 50 members.',
    'A dashboard follows up to 20 channels, and a channel has 5 viewers on average.',
    // Counts of other things next to a room size.
    'A store moves about 40 orders per 10 minutes; each store has 2 to 4 screens.',
    'Deployment: 2 replicas. Each room has 8 players.',
    // A count of rooms with no size stated for them.
    'We have 300 stores and 5 GB of Redis.',
    // A count of one kind of room next to the size of another.
    'There are 300 stores. Each board has 6 people on it.',
    // Rooms per user.
    'Each user has 3 rooms open; a room has 4 people.',
    // A version before a room phrase.
    'Use socket.io 4 with rooms of 25 users.',
  ])('no room count: %s', (body) => {
    expect(numbers(body, 'rooms')).toEqual([]);
  });
});
