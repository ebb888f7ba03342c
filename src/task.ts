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
  const plain = task.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  // Accents fold to ASCII ("café" → "cafe"); any other script would vanish from the slug,
  // so it is refused rather than silently dropped.
  const foreign = [...new Set(plain.match(/[^\x20-\x7e]/gu) ?? [])];
  if (foreign.length > 0) {
    throw new UsageError(
      `invalid task name ${shown}: ${foreign
        .slice(0, 5)
        .map((c) => JSON.stringify(c))
        .join(', ')} cannot be part of a file name slug [a-z0-9-]`,
      {
        hint: 'use a short ASCII name such as sync-architecture',
      },
    );
  }
  const slug = plain
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) {
    throw new UsageError(`invalid task name ${shown}: it needs at least one ASCII letter or digit`, {
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
const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
/** Plan file names and frontmatter carry a four-digit year. */
const inYearRange = (date: Date): boolean => date.getUTCFullYear() >= MIN_YEAR && date.getUTCFullYear() <= MAX_YEAR;

export function resolveClock(dateOption: string | undefined, env: NodeJS.ProcessEnv, now: () => Date): Date {
  if (dateOption !== undefined) {
    const date = /^\d+$/.test(dateOption) ? new Date(Number(dateOption) * 1000) : parseIsoDate(dateOption);
    if (date === null || Number.isNaN(date.getTime())) {
      throw new UsageError(`--date ${JSON.stringify(dateOption)} is not a date`, {
        hint: 'give an ISO 8601 date such as 2026-11-21T10:15:00Z, or seconds since the epoch',
      });
    }
    if (!inYearRange(date)) throw new UsageError(`--date ${JSON.stringify(dateOption.slice(0, 40))} is outside the years ${MIN_YEAR}–${MAX_YEAR}`);
    return date;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    const date = /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : null;
    if (date === null || Number.isNaN(date.getTime())) {
      throw new UsageError(`SOURCE_DATE_EPOCH=${JSON.stringify(epoch.slice(0, 40))} is not a whole number of seconds in the range of dates`);
    }
    if (!inYearRange(date)) throw new UsageError(`SOURCE_DATE_EPOCH=${JSON.stringify(epoch.slice(0, 40))} is outside the years ${MIN_YEAR}–${MAX_YEAR}`);
    return date;
  }
  return now();
}

/**
 * ISO 8601 only. A date-time without an offset is read as UTC, not in the machine's time
 * zone, so the same --date gives the same bytes everywhere; impossible dates (02-30) fail.
 */
function parseIsoDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${offset}`);
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (calendar.getUTCMonth() !== Number(mo) - 1 || calendar.getUTCDate() !== Number(d)) return null;
  return date;
}
