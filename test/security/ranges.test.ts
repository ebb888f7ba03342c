// Inputs validated for range: dates in the years 1970–9999, capacity numbers within sane bounds.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveClock } from '../../src/task.js';
import { run } from '../cli/helpers.js';
import { makeProject } from './project.js';

const clock =
  (date: string | undefined, env: NodeJS.ProcessEnv = {}) =>
  () =>
    resolveClock(date, env, () => new Date(0));

describe('--date and SOURCE_DATE_EPOCH', () => {
  it.each([
    ['10000-01-01', /is not a date/],
    ['253402300800', /--date "253402300800" is outside the years 1970–9999/],
    ['1969-12-31', /--date "1969-12-31" is outside the years 1970–9999/],
  ])('--date %s is a usage error', (date, message) => {
    expect(clock(date)).toThrow(UsageError);
    expect(clock(date)).toThrow(message);
  });

  it('keeps the edges of the range', () => {
    expect(clock('9999-12-31T23:59:59Z')().toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(clock('0')().toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  it('SOURCE_DATE_EPOCH past 9999 is a usage error', () => {
    expect(clock(undefined, { SOURCE_DATE_EPOCH: '253402300800' })).toThrow(/SOURCE_DATE_EPOCH="253402300800" is outside the years 1970–9999/);
  });

  it('exits 2 on the command line', () => {
    const r = run(['sync-architecture', '--cwd', makeProject(), '--date', '253402300800']);
    expect(r.status).toBe(2);
  });
});

describe('capacity numbers', () => {
  it.each([
    ['--connections', '10000000000', '--connections takes a number no larger than 1,000,000,000'],
    ['--msg-rate', '1e12', '--msg-rate takes a number no larger than 1,000,000,000'],
    ['--payload-bytes', '2147483648', '--payload-bytes takes a number no larger than 1,073,741,824'],
    ['--fanout', '1000000000', '--fanout takes a number no larger than 100,000,000'],
  ])('%s %s exits 2', (flag, value, message) => {
    const r = run(['sync-architecture', '--cwd', makeProject(), '--dry-run', flag, value]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
