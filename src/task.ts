// Pure: task names and timestamps, the two parts of a plan's file name.
import { UsageError } from './errors.js';

export const MAX_SLUG_LENGTH = 64;

/**
 * "Sync Architecture" → "sync-architecture". Anything that would not survive as a plain
 * file-name slug (path separators, "..", nothing left, too long) is a usage error rather
 * than a silently mangled name.
 */
export function taskSlug(task: string): string {
  const shown = JSON.stringify(task.length > 80 ? `${task.slice(0, 77)}...` : task);
  if (/[/\\]/.test(task) || task.includes('..')) {
    throw new UsageError(`invalid task name ${shown}: it must not contain path separators or ".."`, {
      hint: 'use a short name such as sync-architecture',
    });
  }
  const slug = task
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) {
    throw new UsageError(`invalid task name ${shown}: it needs at least one letter or digit`, {
      hint: 'use a short name such as sync-architecture',
    });
  }
  if (slug.length > MAX_SLUG_LENGTH) {
    throw new UsageError(`invalid task name: "${slug.slice(0, 40)}..." is ${slug.length} characters; the limit is ${MAX_SLUG_LENGTH}`, {
      hint: 'use a short name such as sync-architecture',
    });
  }
  return slug;
}

/** YYYYMMDD-HHMMSS in UTC. */
export function timestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export function planFileName(slug: string, date: Date, stable: boolean): string {
  return stable ? `websocket-realtime-${slug}.md` : `websocket-realtime-${slug}-${timestamp(date)}.md`;
}

/** The run's clock: --date, else SOURCE_DATE_EPOCH, else now. */
export function resolveClock(dateOption: string | undefined, env: NodeJS.ProcessEnv, now: () => Date): Date {
  if (dateOption !== undefined) {
    const date = /^\d+$/.test(dateOption) ? new Date(Number(dateOption) * 1000) : new Date(dateOption);
    if (Number.isNaN(date.getTime())) {
      throw new UsageError(`--date ${JSON.stringify(dateOption)} is not a date`, {
        hint: 'give an ISO 8601 date such as 2026-11-21T10:15:00Z, or seconds since the epoch',
      });
    }
    return date;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) {
      throw new UsageError(`SOURCE_DATE_EPOCH=${JSON.stringify(epoch)} is not a whole number of seconds`);
    }
    return new Date(Number(epoch) * 1000);
  }
  return now();
}
