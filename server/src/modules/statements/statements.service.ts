import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/prisma.ts';
import { DomainError } from '../../lib/errors.ts';
import { dayEnd, dayStart, FEE_LATERAL, MOVEMENT_AGGREGATES, safeZone } from './statements.sql.ts';

/**
 * Account details by day (seed 000 "Financial center → Account details"): one DailyStatement row per
 * merchant ledger account (AVAILABLE, PENDING, FROZEN) and local date in the merchant's time zone
 * (Merchant.timezone; an unknown zone falls back to UTC and the row records the zone used).
 *
 *   opening   balance at the local midnight starting the day
 *   inflow    sum of the day's positive entries;  inCount  their number
 *   outflow   sum of |negative entries|;          outCount their number
 *   fees      fees the merchant paid with the day's movements of this account (statements.sql.ts)
 *   closing   balance at the local midnight ending the day = opening + inflow − outflow
 *
 * Balances at an instant t are `account.balance − Σ entries with createdAt ≥ t`, read in the same SQL
 * statement (one snapshot), so every row rolls forward exactly: closing(D) = opening(D+1) and
 * closing = opening + inflow − outflow by construction. Everything is aggregated in PostgreSQL over the
 * ledger_entries (accountId, createdAt) index; no entry is loaded into JS.
 *
 * Days without entries get no row (an account that did not move has nothing to show that day; its
 * balance is the previous row's closing). So the rows of an account chain: each opening is the previous
 * row's closing. Only days that are over are stored, and only once SETTLE_MARGIN_MS has passed after
 * their end, so a posting that started before midnight and commits a little later is still counted in
 * its day. Today is computed live (`liveDailyStatement`), never stored.
 *
 * A merchant who changes time zone keeps its stored rows in the old zone; new days use the new zone.
 */

export type StatementAccountKind = 'AVAILABLE' | 'PENDING' | 'FROZEN';

export interface StatementRow {
  merchantId: string;
  accountId: string;
  currency: string;
  kind: StatementAccountKind;
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** IANA zone the day was cut in. */
  timezone: string;
  /** Minor units; see the module note. */
  opening: bigint;
  inflow: bigint;
  outflow: bigint;
  fees: bigint;
  closing: bigint;
  inCount: number;
  outCount: number;
}

export interface BuildResult {
  /** Statement rows computed (days with movements in the range). */
  rows: number;
  /** Rows inserted or changed. */
  written: number;
  /** Stored rows removed because their day no longer has movements (only after a time-zone change). */
  removed: number;
}

/** A day is stored only this long after it ended, so in-flight postings of its last moments are in. */
export const SETTLE_MARGIN_MS = 5 * 60_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface BuildDailyStatementsInput {
  /** Local date YYYY-MM-DD (in each merchant's zone). */
  date: string;
  /** Last date of a range starting at `date` (inclusive); default `date`. */
  toDate?: string;
  /** One merchant; default every merchant that has ledger accounts. */
  merchantId?: string;
  /** Clock for "is the day over"; default now. */
  now?: Date;
}

/**
 * Builds or refreshes (idempotent upsert) the statements of a local date, or a range of dates, for one
 * merchant or all. Days that are not over yet in a merchant's zone (plus SETTLE_MARGIN_MS) are skipped.
 * Throws INVALID_PARAMETER for a malformed date or range (more than 366 days), MERCHANT_NOT_FOUND.
 */
export async function buildDailyStatements(db: Db, input: BuildDailyStatementsInput): Promise<BuildResult> {
  const from = parseDate(input.date, 'date');
  const to = input.toDate === undefined ? from : parseDate(input.toDate, 'toDate');
  const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (span < 0) throw new DomainError('INVALID_PARAMETER', 'toDate: must not be before date', { field: 'toDate' });
  if (span > 366) throw new DomainError('INVALID_PARAMETER', 'toDate: at most 366 days at once', { field: 'toDate' });
  let merchantIds: string[];
  if (input.merchantId !== undefined) {
    const m = UUID.test(input.merchantId) ? await db.merchant.findUnique({ where: { id: input.merchantId }, select: { id: true } }) : null;
    if (!m) throw new DomainError('MERCHANT_NOT_FOUND', 'merchant not found');
    merchantIds = [m.id];
  } else {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT "merchantId" AS id FROM ledger_accounts WHERE "ownerType" = 'MERCHANT' AND "merchantId" IS NOT NULL`;
    merchantIds = rows.map((r) => r.id);
  }
  return buildRanges(db, merchantIds.map((merchantId) => ({ merchantId, from, to })), input.now ?? new Date());
}

export interface CatchUpResult extends BuildResult {
  /** Merchants that had days to build. */
  merchants: number;
}

/**
 * What the cron job runs: for every merchant, builds every finished local day from the first day with
 * entries after its latest stored statement (or its first entry ever) up to its local yesterday. So a
 * day is built soon after the merchant's midnight (+ SETTLE_MARGIN_MS), and days missed while the
 * worker was down are filled in. Cheap when there is nothing to do (an index probe per account).
 */
export async function catchUpDailyStatements(db: Db, opts: { now?: Date; merchantId?: string } = {}): Promise<CatchUpResult> {
  const now = opts.now ?? new Date();
  const only = opts.merchantId && UUID.test(opts.merchantId) ? Prisma.sql`AND m.id = ${opts.merchantId}::uuid` : Prisma.empty;
  const plans = await db.$queryRaw<{ merchantId: string; from: string; to: string }[]>`
    WITH zoned AS (
      SELECT m.id, ${safeZone(Prisma.raw('m.timezone'))} AS tz
      FROM merchants m
      WHERE EXISTS (SELECT 1 FROM ledger_accounts a WHERE a."merchantId" = m.id AND a."ownerType" = 'MERCHANT') ${only}
    ),
    latest AS (
      SELECT z.id, z.tz, (SELECT max(s.date) FROM daily_statements s WHERE s."merchantId" = z.id) AS last_date FROM zoned z
    ),
    pending AS (
      SELECT l.id, l.tz, (
        SELECT min(x.t) FROM ledger_accounts a
        CROSS JOIN LATERAL (
          SELECT e."createdAt" AS t FROM ledger_entries e
          WHERE e."accountId" = a.id
            AND e."createdAt" >= COALESCE(${dayEnd(Prisma.raw('l.last_date'), Prisma.raw('l.tz'))}, '-infinity'::timestamptz)
          ORDER BY e."createdAt" LIMIT 1
        ) x
        WHERE a."merchantId" = l.id AND a."ownerType" = 'MERCHANT' AND a.kind IN ('AVAILABLE', 'PENDING', 'FROZEN')
      ) AS first_at
      FROM latest l
    )
    SELECT p.id AS "merchantId", (p.first_at AT TIME ZONE p.tz)::date::text AS "from",
           ((${now}::timestamptz AT TIME ZONE p.tz)::date - 1)::text AS "to"
    FROM pending p
    WHERE p.first_at IS NOT NULL AND (p.first_at AT TIME ZONE p.tz)::date <= (${now}::timestamptz AT TIME ZONE p.tz)::date - 1`;
  if (plans.length === 0) return { rows: 0, written: 0, removed: 0, merchants: 0 };
  const result = await buildRanges(db, plans.map((p) => ({ merchantId: p.merchantId, from: p.from, to: p.to })), now);
  return { ...result, merchants: plans.length };
}

interface Range {
  merchantId: string;
  from: string;
  to: string;
}

/** The builder: one SQL statement computes the rows of every (merchant, date range) and upserts them. */
async function buildRanges(db: Db, ranges: Range[], now: Date): Promise<BuildResult> {
  if (ranges.length === 0) return { rows: 0, written: 0, removed: 0 };
  const cutoff = new Date(now.getTime() - SETTLE_MARGIN_MS);
  const start = dayStart(Prisma.raw('d.day'), Prisma.raw('d.tz'));
  const end = dayEnd(Prisma.raw('d.day'), Prisma.raw('d.tz'));
  const [result] = await db.$queryRaw<{ rows: number; written: number; removed: number }[]>`
    WITH plan AS (
      SELECT * FROM unnest(${ranges.map((r) => r.merchantId)}::uuid[], ${ranges.map((r) => r.from)}::date[], ${ranges.map((r) => r.to)}::date[])
        AS p(merchant_id, from_date, to_date)
    ),
    zoned AS (
      SELECT p.merchant_id, p.from_date, p.to_date, ${safeZone(Prisma.raw('m.timezone'))} AS tz
      FROM plan p JOIN merchants m ON m.id = p.merchant_id
    ),
    days0 AS (
      SELECT a.id AS account_id, a."merchantId" AS merchant_id, a."currencyCode" AS currency, a.balance, z.tz, (z.from_date + i) AS day
      FROM zoned z
      JOIN ledger_accounts a ON a."merchantId" = z.merchant_id AND a."ownerType" = 'MERCHANT' AND a.kind IN ('AVAILABLE', 'PENDING', 'FROZEN')
      CROSS JOIN generate_series(0, z.to_date - z.from_date) AS i
    ),
    days AS (
      SELECT d.*, ${start} AS start_at, ${end} AS end_at FROM days0 d WHERE ${end} <= ${cutoff}::timestamptz
    ),
    moves AS (
      SELECT d.account_id, d.day, ${MOVEMENT_AGGREGATES}
      FROM days d
      JOIN ledger_entries e ON e."accountId" = d.account_id AND e."createdAt" >= d.start_at AND e."createdAt" < d.end_at
      ${FEE_LATERAL}
      GROUP BY d.account_id, d.day
    ),
    ends AS (
      SELECT account_id, max(balance) AS balance, max(end_at) AS last_end FROM days GROUP BY account_id
    ),
    tails AS (
      SELECT x.account_id,
             x.balance - COALESCE((SELECT sum(t.amount) FROM ledger_entries t WHERE t."accountId" = x.account_id AND t."createdAt" >= x.last_end), 0) AS last_closing
      FROM ends x
    ),
    computed AS (
      SELECT mv.account_id, mv.day, d.merchant_id, d.currency, d.tz, mv.inflow, mv.outflow, mv.fees, mv.in_count, mv.out_count,
             (t.last_closing - COALESCE(sum(mv.inflow - mv.outflow) OVER later, 0))::bigint AS closing
      FROM moves mv
      JOIN days d ON d.account_id = mv.account_id AND d.day = mv.day
      JOIN tails t ON t.account_id = mv.account_id
      WINDOW later AS (PARTITION BY mv.account_id ORDER BY mv.day ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
    ),
    removed AS (
      DELETE FROM daily_statements s USING days d
      WHERE s."accountId" = d.account_id AND s.date = d.day
        AND NOT EXISTS (SELECT 1 FROM moves mv WHERE mv.account_id = d.account_id AND mv.day = d.day)
      RETURNING s.id
    ),
    written AS (
      INSERT INTO daily_statements AS s (id, "merchantId", "accountId", "currencyCode", date, timezone, opening, inflow, outflow, fees, closing, "inCount", "outCount", "createdAt", "updatedAt")
      SELECT gen_random_uuid(), c.merchant_id, c.account_id, c.currency, c.day, c.tz, c.closing - c.inflow + c.outflow, c.inflow, c.outflow, c.fees,
             c.closing, c.in_count, c.out_count, now(), now()
      FROM computed c
      ON CONFLICT ("accountId", date) DO UPDATE SET
        timezone = EXCLUDED.timezone, opening = EXCLUDED.opening, inflow = EXCLUDED.inflow, outflow = EXCLUDED.outflow, fees = EXCLUDED.fees,
        closing = EXCLUDED.closing, "inCount" = EXCLUDED."inCount", "outCount" = EXCLUDED."outCount", "updatedAt" = now()
      WHERE (s.timezone, s.opening, s.inflow, s.outflow, s.fees, s.closing, s."inCount", s."outCount")
            IS DISTINCT FROM (EXCLUDED.timezone, EXCLUDED.opening, EXCLUDED.inflow, EXCLUDED.outflow, EXCLUDED.fees, EXCLUDED.closing, EXCLUDED."inCount", EXCLUDED."outCount")
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM computed)::int AS rows, (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM removed)::int AS removed`;
  return { rows: result?.rows ?? 0, written: result?.written ?? 0, removed: result?.removed ?? 0 };
}

export interface LiveStatement {
  /** Today's local date in the merchant's zone. */
  date: string;
  timezone: string;
  /** As of this instant. */
  asOf: Date;
  /** One row per merchant account (also those without movements today); closing = current balance. */
  rows: StatementRow[];
}

/**
 * Today's statement, computed now and not stored: for each of the merchant's accounts (optionally one
 * currency), opening at today's local midnight, today's movements so far, closing = current balance.
 * Throws MERCHANT_NOT_FOUND.
 */
export async function liveDailyStatement(db: Db, merchantId: string, opts: { currency?: string | null; now?: Date } = {}): Promise<LiveStatement> {
  const now = opts.now ?? new Date();
  const merchant = UUID.test(merchantId) ? await db.merchant.findUnique({ where: { id: merchantId }, select: { id: true } }) : null;
  if (!merchant) throw new DomainError('MERCHANT_NOT_FOUND', 'merchant not found');
  const [zone] = await db.$queryRaw<{ tz: string; day: string; start_at: Date; end_at: Date }[]>`
    SELECT z.tz, z.day::text AS day, ${dayStart(Prisma.raw('z.day'), Prisma.raw('z.tz'))} AS start_at, ${dayEnd(Prisma.raw('z.day'), Prisma.raw('z.tz'))} AS end_at
    FROM (
      SELECT tz, (${now}::timestamptz AT TIME ZONE tz)::date AS day
      FROM (SELECT ${safeZone(Prisma.raw('m.timezone'))} AS tz FROM merchants m WHERE m.id = ${merchantId}::uuid) m
    ) z`;
  const { tz, day, start_at: startAt, end_at: endAt } = zone!;
  const currency = opts.currency ? Prisma.sql`AND a."currencyCode" = ${opts.currency}` : Prisma.empty;
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT a."merchantId" AS merchant_id, a.id AS account_id, a."currencyCode" AS currency, a.kind::text AS kind, ${day} AS day, ${tz} AS tz,
           (a.balance - COALESCE((SELECT sum(x.amount) FROM ledger_entries x WHERE x."accountId" = a.id AND x."createdAt" >= ${startAt}::timestamptz), 0))::bigint AS opening,
           (a.balance - COALESCE((SELECT sum(x.amount) FROM ledger_entries x WHERE x."accountId" = a.id AND x."createdAt" >= ${endAt}::timestamptz), 0))::bigint AS closing,
           mv.inflow, mv.outflow, mv.fees, mv.in_count, mv.out_count
    FROM ledger_accounts a
    CROSS JOIN LATERAL (
      SELECT ${MOVEMENT_AGGREGATES}
      FROM ledger_entries e
      ${FEE_LATERAL}
      WHERE e."accountId" = a.id AND e."createdAt" >= ${startAt}::timestamptz AND e."createdAt" < ${endAt}::timestamptz
    ) mv
    WHERE a."merchantId" = ${merchantId}::uuid AND a."ownerType" = 'MERCHANT' AND a.kind IN ('AVAILABLE', 'PENDING', 'FROZEN') ${currency}
    ORDER BY a."currencyCode", a.kind`;
  return { date: day, timezone: tz, asOf: now, rows: rows.map(toRow) };
}

export interface ListDailyStatementsInput {
  merchantId: string;
  currency?: string | null;
  kind?: StatementAccountKind | null;
  /** Inclusive local dates YYYY-MM-DD. */
  from?: string | null;
  to?: string | null;
  /** Default 100, at most 1000. Newest first. */
  limit?: number;
}

/** Stored statement rows of a merchant, newest date first (then currency, kind). */
export async function listDailyStatements(db: Db, input: ListDailyStatementsInput): Promise<StatementRow[]> {
  if (!UUID.test(input.merchantId)) return [];
  const from = input.from ? parseDate(input.from, 'from') : null;
  const to = input.to ? parseDate(input.to, 'to') : null;
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 100), 1), 1000);
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT s."merchantId" AS merchant_id, s."accountId" AS account_id, s."currencyCode" AS currency, a.kind::text AS kind, s.date::text AS day,
           s.timezone AS tz, s.opening, s.inflow, s.outflow, s.fees, s.closing, s."inCount" AS in_count, s."outCount" AS out_count
    FROM daily_statements s JOIN ledger_accounts a ON a.id = s."accountId"
    WHERE s."merchantId" = ${input.merchantId}::uuid
      ${input.currency ? Prisma.sql`AND s."currencyCode" = ${input.currency}` : Prisma.empty}
      ${input.kind ? Prisma.sql`AND a.kind = ${input.kind}::"LedgerAccountKind"` : Prisma.empty}
      ${from ? Prisma.sql`AND s.date >= ${from}::date` : Prisma.empty}
      ${to ? Prisma.sql`AND s.date <= ${to}::date` : Prisma.empty}
    ORDER BY s.date DESC, s."currencyCode", a.kind
    LIMIT ${limit}`;
  return rows.map(toRow);
}

interface RawRow {
  merchant_id: string;
  account_id: string;
  currency: string;
  kind: string;
  day: string;
  tz: string;
  opening: bigint;
  inflow: bigint;
  outflow: bigint;
  fees: bigint;
  closing: bigint;
  in_count: number;
  out_count: number;
}

function toRow(r: RawRow): StatementRow {
  return {
    merchantId: r.merchant_id,
    accountId: r.account_id,
    currency: r.currency,
    kind: r.kind as StatementAccountKind,
    date: r.day,
    timezone: r.tz,
    opening: BigInt(r.opening),
    inflow: BigInt(r.inflow),
    outflow: BigInt(r.outflow),
    fees: BigInt(r.fees),
    closing: BigInt(r.closing),
    inCount: r.in_count,
    outCount: r.out_count,
  };
}

function parseDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new DomainError('INVALID_PARAMETER', `${field}: a date YYYY-MM-DD`, { field });
  }
  return value;
}
