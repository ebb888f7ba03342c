import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { planFileName, resolveClock, taskSlug, timestamp } from '../../src/task.js';

describe('taskSlug', () => {
  it.each([
    ['sync-architecture', 'sync-architecture'],
    ['Sync Architecture', 'sync-architecture'],
    ['syncArchitecture', 'sync-architecture'],
    ['  chat_presence v2 ', 'chat-presence-v2'],
    ['café-sync', 'cafe-sync'],
  ])('%j → %s', (input, slug) => expect(taskSlug(input)).toBe(slug));

  it.each(['../x', '/etc/passwd', '', 'a/b', '..', 'x'.repeat(300), '🎉🚀', '!!!', 'a\\b', '日本語', 'ünïcödé-чат', 'sync-🎉', 'a\nb'])(
    'rejects %j as a usage error',
    (input) => {
      expect(() => taskSlug(input)).toThrow(UsageError);
    },
  );

  it('accepts exactly 64 characters', () => expect(taskSlug('a'.repeat(64))).toHaveLength(64));
});

describe('clock and names', () => {
  const date = new Date('2026-11-21T10:15:09Z');
  it('formats UTC timestamps', () => expect(timestamp(date)).toBe('20261121-101509'));
  it('names plans', () => {
    expect(planFileName('sync', date, false)).toBe('websocket-realtime-sync-20261121-101509.md');
    expect(planFileName('sync', date, true)).toBe('websocket-realtime-sync.md');
  });
  it('prefers --date, then SOURCE_DATE_EPOCH, then now', () => {
    const now = () => new Date(0);
    expect(resolveClock('2026-11-21T10:15:09Z', { SOURCE_DATE_EPOCH: '1' }, now)).toEqual(date);
    expect(resolveClock(undefined, { SOURCE_DATE_EPOCH: '1763720109' }, now).toISOString()).toBe('2025-11-21T10:15:09.000Z');
    expect(resolveClock(undefined, {}, now)).toEqual(new Date(0));
    expect(() => resolveClock('yesterday', {}, now)).toThrow(UsageError);
    expect(() => resolveClock(undefined, { SOURCE_DATE_EPOCH: 'x' }, now)).toThrow(UsageError);
    expect(() => resolveClock(undefined, { SOURCE_DATE_EPOCH: '99999999999999' }, now)).toThrow(UsageError);
  });

  it('reads a date-time without an offset as UTC, whatever the time zone, and refuses impossible dates', () => {
    const now = () => new Date(0);
    expect(resolveClock('2026-11-21T10:15:00', {}, now).toISOString()).toBe('2026-11-21T10:15:00.000Z');
    expect(resolveClock('2026-11-21', {}, now).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(resolveClock('2026-11-21T12:15:00+02:00', {}, now).toISOString()).toBe('2026-11-21T10:15:00.000Z');
    expect(() => resolveClock('2026-02-30', {}, now)).toThrow(UsageError);
    expect(() => resolveClock('Nov 21 2026', {}, now)).toThrow(UsageError);
  });
});
