import { session } from '@/store/session-store';

/** The viewer's time zone (their account preference), else the browser's. */
export function viewerTimeZone(): string {
  return session.viewer?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/**
 * Parts of an instant in `timeZone`, as numbers padded to two digits (year to four). One formatter per zone:
 * every date shown is built from these, so it reads the same in every language (`2026-12-07 14:03`).
 */
interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(date: Date, timeZone: string): ZonedParts {
  let fmt = partFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    partFormatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { year: get('year').padStart(4, '0'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "UTC+8", "UTC−3:30", "UTC": the viewer's zone's offset at `iso` (now by default), for a small label beside times. */
export function zoneLabel(iso?: string | null, timeZone: string = viewerTimeZone()): string {
  const instant = parse(iso)?.getTime() ?? Date.now();
  const minutes = Math.round(zoneOffsetMs(instant, timeZone) / 60_000);
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  const rest = abs % 60;
  return `UTC${sign}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}

/**
 * The one way an instant is shown: `2026-12-07 14:03` in the viewer's zone, in every language; '—' for
 * none. `{ zone: true }` adds the zone's label (`2026-12-07 14:03 UTC+8`) where the zone matters
 * (drawers, timelines, statements); `timeZone` shows it in another zone than the viewer's (a statement's).
 */
export function formatDateTime(iso: string | null | undefined, options: { zone?: boolean; timeZone?: string } = {}): string {
  const date = parse(iso);
  if (!date) return '—';
  const timeZone = options.timeZone ?? viewerTimeZone();
  const p = zonedParts(date, timeZone);
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return options.zone ? `${text} ${zoneLabel(iso, timeZone)}` : text;
}

/**
 * An instant, short, for a few recent rows (dashboard): `14:03` when it is today in the viewer's zone,
 * else `12-07 14:03`; '—' for none. formatDateTime gives the whole of it.
 */
export function formatRecentDateTime(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return '—';
  const timeZone = viewerTimeZone();
  const p = zonedParts(date, timeZone);
  const today = `${p.year}-${p.month}-${p.day}` === todayYmd(timeZone);
  return today ? `${p.hour}:${p.minute}` : `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The time of day alone, `14:03`, in the viewer's zone ('' for none): for "try again after 14:03". */
export function formatClock(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return '';
  const p = zonedParts(date, viewerTimeZone());
  return `${p.hour}:${p.minute}`;
}

/** The day of an instant in the viewer's zone, `2026-12-07`; '—' for none. */
export function formatDate(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return '—';
  const p = zonedParts(date, viewerTimeZone());
  return `${p.year}-${p.month}-${p.day}`;
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
