import { appState } from '@/store/app-store';
import { session } from '@/store/session-store';

/** The viewer's time zone (their account preference), else the browser's. */
export function viewerTimeZone(): string {
  return session.viewer?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let hit = formatters.get(key);
  if (!hit) {
    hit = new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, hit);
  }
  return hit;
}

/** An ISO timestamp in the viewer's zone and language; '—' for none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return formatter(appState.locale, viewerTimeZone(), true).format(new Date(iso));
}

/**
 * An ISO timestamp, short, for a few recent rows (dashboard): the time alone when it is today in the
 * viewer's zone, else month, day and minutes; '—' for none. formatDateTime gives the whole of it.
 */
export function formatRecentDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const timeZone = viewerTimeZone();
  const date = new Date(iso);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date) === todayYmd(timeZone);
  const options: Intl.DateTimeFormatOptions = today
    ? { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
    : { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat(appState.locale, options).format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return formatter(appState.locale, viewerTimeZone(), false).format(new Date(iso));
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of local midnight starting day `ymd` (YYYY-MM-DD) in `timeZone`, as an ISO string. */
export function zonedMidnight(ymd: string, timeZone: string = viewerTimeZone()): string {
  const [y, m, d] = ymd.split('-').map((part) => Number(part));
  const guess = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  let instant = guess - zoneOffsetMs(guess, timeZone);
  // Once more, for days whose offset differs from the guess's (DST changes).
  instant = guess - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** YYYY-MM-DD of a date picker value (a browser-local timestamp). */
export function ymdOfLocal(timestamp: number): string {
  const date = new Date(timestamp);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The day after `ymd`. */
export function nextDay(ymd: string): string {
  const [y, m, d] = ymd.split('-').map((part) => Number(part));
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  return next.toISOString().slice(0, 10);
}

/** Today in the viewer's zone, YYYY-MM-DD. */
export function todayYmd(timeZone: string = viewerTimeZone()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/**
 * For date pickers (`is-date-disabled`): the picker's day `timestamp` (its local midnight) is after
 * today in the viewer's time zone. Comparing with Date.now() would use the browser's zone instead and
 * forbid the viewer's today whenever their zone is ahead of the browser's.
 */
export function isAfterViewerToday(timestamp: number): boolean {
  return ymdOfLocal(timestamp) > todayYmd();
}

/** `ymd` moved by `days` (negative: back). */
export function addDays(ymd: string, days: number): string {
  const [y, m, d] = ymd.split('-').map((part) => Number(part));
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** A browser-local timestamp of the start of `ymd` (what NDatePicker shows as that day). */
export function localTimestampOf(ymd: string): number {
  const [y, m, d] = ymd.split('-').map((part) => Number(part));
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

/** A DateRangeInput for days `from`..`to` (inclusive) in the viewer's zone. */
export function dayRangeInput(from: string | null | undefined, to: string | null | undefined): { from?: string; to?: string } | null {
  if (!from && !to) return null;
  return {
    ...(from ? { from: zonedMidnight(from) } : {}),
    ...(to ? { to: zonedMidnight(nextDay(to)) } : {}),
  };
}
