import { describe, expect, it } from 'vitest';
import { addedFieldsSize, estimatePayload, fieldReading, streamEventSize } from '../../src/design/payload-size.js';
import { logEntryPayload } from '../../src/design/redis-memory.js';
import type { RtEvent } from '../../src/types.js';
import type { Stream } from '../../src/design/workload.js';

const stream = (kind: string, published: number): Stream => ({
  kind,
  rate: published,
  perUser: false,
  activeShare: 1,
  published,
  droppable: false,
  inbound: false,
  scope: null,
  stated: 1,
  sentence: '',
  evidence: 'ctx.md:1',
});
const field = (name: string, type = 'unknown') => ({ name, type, description: 'inferred from a.js:3' });

describe('payload size from the code', () => {
  it('reads ids, numbers and short strings; free text and collections have no size', () => {
    expect(fieldReading({ name: 'userId', type: 'unknown' })).toMatchObject({ bytes: 38 });
    expect(fieldReading({ name: 'x', type: 'unknown' })).toMatchObject({ bytes: 8 });
    expect(fieldReading({ name: 'done', type: 'boolean' })).toMatchObject({ bytes: 5 });
    expect(fieldReading({ name: 'text', type: 'string' })).toEqual({ unknown: 'free text' });
    expect(fieldReading({ name: 'counts', type: 'unknown' })).toEqual({ unknown: 'a collection' });
    expect(fieldReading({ name: 'ops', type: 'unknown[]' })).toEqual({ unknown: 'an array' });
  });

  it('an object the code spells out is the sum of its keys; one key of unknown size leaves it unknown', () => {
    const tick = {
      name: 'payload',
      type: 'Record<string, unknown>',
      fields: [
        { name: 'symbol', type: 'unknown' },
        { name: 'price', type: 'unknown' },
        { name: 'ts', type: 'unknown' },
      ],
    };
    // {"symbol":…,"price":…,"ts":…}: 2 braces + (6+3+26, a short string) + (5+3+8) + (2+3+8) + 2 commas
    expect(fieldReading(tick)).toMatchObject({ bytes: 68 });
    expect(fieldReading({ ...tick, fields: [{ name: 'text', type: 'string' }] })).toEqual({ unknown: 'free text in payload.text' });
    expect(fieldReading({ name: 'payload', type: 'Record<string, unknown>' })).toEqual({ unknown: 'an object' });
  });

  it('sizes a stream from a closed shape and mixes the default for the streams it cannot size', () => {
    const events: RtEvent[] = [
      {
        name: 'cursor:moved',
        direction: 'server-to-client',
        origin: 'existing',
        evidence: 'a.js:3',
        payload: [field('userId'), field('x'), field('y')],
        closed: { evidence: 'a.js:3', fields: ['userId', 'x', 'y'] },
      },
      {
        name: 'message:new',
        direction: 'server-to-client',
        origin: 'existing',
        evidence: 'a.js:9',
        payload: [field('id'), field('text')],
        closed: { evidence: 'a.js:9', fields: ['id', 'text'] },
      },
    ];
    // {"userId":<38>,"x":8,"y":8} = 2 + (6+3+38) + (1+3+8) × 2 + 2 commas = 75; + "cursor:moved" (12) + 10 framing = 97
    const one = estimatePayload(events, [stream('positions', 100)], 512);
    expect(one && 'value' in one ? one.value : null).toBe(97);
    const mixed = estimatePayload(events, [stream('positions', 100), stream('messages', 100)], 512);
    expect(mixed && 'value' in mixed ? mixed.value : null).toBe(Math.ceil((97 + 512) / 2));
    expect(mixed && 'value' in mixed ? mixed.source.note : '').toContain('`text` (free text)');
  });

  it('never sizes a shape no site lists in full (a reader, a spread)', () => {
    const open: RtEvent[] = [{ name: 'comment-added', direction: 'server-to-client', origin: 'existing', evidence: 'a.js:3', payload: [field('author')] }];
    expect(estimatePayload(open, [stream('comments', 1)], 512)).toEqual({ whyMd: expect.stringContaining('no site lists all') });
    expect(estimatePayload(open, [], 512)).toBeNull();
  });
});

describe('a change log entry is the change it holds, with the fields the plan adds', () => {
  const events: RtEvent[] = [
    {
      name: 'card:moved',
      direction: 'server-to-client',
      origin: 'existing',
      evidence: 'b.js:6',
      payload: [field('cardId'), field('column'), field('position'), field('by')],
      closed: { evidence: 'b.js:6', fields: ['cardId', 'column', 'position', 'by'] },
    },
    {
      name: 'cursor:moved',
      direction: 'server-to-client',
      origin: 'existing',
      evidence: 'b.js:11',
      payload: [field('userId'), field('x'), field('y')],
      closed: { evidence: 'b.js:11', fields: ['userId', 'x', 'y'] },
    },
  ];
  const catalog = [
    {
      name: 'card:moved',
      payload: [
        ...['cardId', 'column', 'position', 'by'].map((n) => field(n)),
        { name: 'seq', type: 'number' },
        { name: 'mutationId', type: 'string', optional: true },
      ],
    },
  ];

  it('sizes the logged event, not the average of every stream', () => {
    // {"cardId":<38>,"column":<26>,"position":8,"by":<26>} = 2 + 47 + 35 + 19 + 31 + 3 commas = 137; + "card:moved" (10) + 10 = 157
    expect(streamEventSize('moves', events)).toMatchObject({ event: 'card:moved', bytes: 157 });
    // ,"seq":8 = 1 + 3 + 3 + 8 = 15; ,"mutationId":<38> = 1 + 10 + 3 + 38 = 52
    expect(
      addedFieldsSize([
        { name: 'seq', type: 'number' },
        { name: 'mutationId', type: 'string' },
      ]).bytes,
    ).toBe(67);
    const moves = { ...stream('moves', 360) };
    const entry = logEntryPayload([moves], events, catalog, 512);
    expect(entry?.bytes).toBe(224);
    expect(entry?.md).toBe('each entry holds a `card:moved` ≈ 224 B (157 B as the code sends it + `seq` ~15 B, `mutationId` ~52 B the plan adds)');
  });

  it('keeps the default for a logged stream the code does not size, weighted with the sized ones', () => {
    expect(logEntryPayload([stream('messages', 10)], events, catalog, 512)).toEqual({
      bytes: 512,
      md: "each entry holds one of the messages at rt-plan's 512-byte default, as in the average (the code does not size them)",
    });
    // (30 × 224 + 10 × 512) ÷ 40 = 296
    expect(logEntryPayload([stream('moves', 30), stream('messages', 10)], events, catalog, 512)?.bytes).toBe(296);
    expect(logEntryPayload([], events, catalog, 512)).toBeNull();
  });
});
