import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/prisma.ts';
import { formatAmount } from '../../lib/money.ts';
import { dayEnd, dayStart, FEE_LATERAL, MOVEMENT_AGGREGATES, safeZone } from '../statements/statements.sql.ts';

export type LedgerRule =
  | 'CURRENCY_SUM_NOT_ZERO'
  | 'BOOKS_MIXED'
  | 'TEST_MONEY_IN_LIVE_BOOK'
  | 'TRANSACTION_UNBALANCED'
  | 'BALANCE_NOT_SUM_OF_ENTRIES'
  | 'BALANCE_AFTER_MISMATCH'
  | 'NEGATIVE_BALANCE'
  | 'STATEMENT_NOT_BALANCED'
  | 'STATEMENT_CHAIN_BROKEN'
  | 'STATEMENT_MOVEMENTS_MISMATCH'
  | 'STATEMENT_CLOSING_MISMATCH'
  | 'STATEMENT_ENTRIES_UNCOVERED';

export interface LedgerViolation {
  rule: LedgerRule;
  detail: string;
  /** For statement rules: the statement row's account and local date. */
  statement?: { accountId: string; date: string };
}

/** At most this many violations are reported per rule. */
const LIMIT = 100;

/**
 * The ledger's invariants, checked in SQL over the whole ledger: entries sum to zero per currency and
 * per transaction and per book (test and live each sum to zero on their own); no transaction touches
 * both books, and no test order, payout or fund request moved a live account; each account's balance equals the sum of its entries and its latest balance-after;
 * accounts that may not go below zero are not below zero (debit-normal channel balances are stored
 * negative, so for them "below zero" means a positive stored balance).
 *
 * And the daily statements roll forward (modules/statements):
 *   STATEMENT_NOT_BALANCED       a row's closing ≠ opening + inflow − outflow (or a negative flow/count)
 *   STATEMENT_CHAIN_BROKEN       a row's opening ≠ the closing of the account's previous row
 *   STATEMENT_MOVEMENTS_MISMATCH a row's inflow/outflow/fees/counts ≠ the entries of its local day
 *   STATEMENT_CLOSING_MISMATCH   an account's latest row's closing ≠ the account's balance at the end of
 *                                that day (balance − entries created since)
 *   STATEMENT_ENTRIES_UNCOVERED  entries before the end of the latest row lie on no row's day (a day
 *                                with movements has no statement)
 * Together they prove every stored row: working back from the latest row (its closing is the real
 * balance, its movements are the real ones, so its opening is too), the chain carries that to each
 * earlier row, and no movement falls between rows. A stale row (an entry posted into a day after it
 * was built) shows up as a mismatch; rebuilding that day (buildDailyStatements) fixes it.
 */
export async function checkLedgerInvariants(db: Db): Promise<LedgerViolation[]> {
  const violations: LedgerViolation[] = [];

  const currencies = await db.$queryRaw<{ currencyCode: string; test: boolean; sum: bigint }[]>`
    SELECT e."currencyCode", a.test, SUM(e.amount)::bigint AS sum
    FROM ledger_entries e JOIN ledger_accounts a ON a.id = e."accountId"
    GROUP BY e."currencyCode", a.test HAVING SUM(e.amount) <> 0`;
  for (const c of currencies) {
    violations.push({ rule: 'CURRENCY_SUM_NOT_ZERO', detail: `${c.currencyCode} entries of the ${c.test ? 'test' : 'live'} book sum to ${c.sum}` });
  }

  const mixed = await db.$queryRaw<{ transactionId: string; kind: string }[]>`
    SELECT t.id AS "transactionId", t.kind FROM ledger_transactions t
    WHERE EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_accounts a ON a.id = e."accountId" WHERE e."transactionId" = t.id AND a.test <> t.test)
    LIMIT 100`;
  for (const m of mixed) violations.push({ rule: 'BOOKS_MIXED', detail: `transaction ${m.transactionId} (${m.kind}) has entries outside its book` });

  const leaked = await db.$queryRaw<{ transactionId: string; kind: string; reference: string }[]>`
    SELECT t.id AS "transactionId", t.kind, t."referenceType" || ' ' || t."referenceId" AS reference
    FROM ledger_transactions t
    WHERE NOT t.test AND (
      (t."referenceType" = 'ORDER' AND EXISTS (SELECT 1 FROM orders o WHERE o.id::text = t."referenceId" AND o.test))
      OR (t."referenceType" = 'PAYOUT' AND EXISTS (SELECT 1 FROM payouts p WHERE p.id::text = t."referenceId" AND p.test))
      OR (t."referenceType" = 'FUND_REQUEST' AND EXISTS (SELECT 1 FROM fund_requests f WHERE f.id::text = t."referenceId" AND f.test)))
    LIMIT 100`;
  for (const l of leaked) {
    violations.push({ rule: 'TEST_MONEY_IN_LIVE_BOOK', detail: `transaction ${l.transactionId} (${l.kind}) of test ${l.reference} posted to the live book` });
  }

  const transactions = await db.$queryRaw<{ transactionId: string; currencyCode: string; sum: bigint }[]>`
    SELECT "transactionId", "currencyCode", SUM(amount)::bigint AS sum FROM ledger_entries
    GROUP BY "transactionId", "currencyCode" HAVING SUM(amount) <> 0 LIMIT 100`;
  for (const t of transactions) {
    violations.push({ rule: 'TRANSACTION_UNBALANCED', detail: `transaction ${t.transactionId} ${t.currencyCode} sums to ${t.sum}` });
  }

  const accounts = await db.$queryRaw<{ id: string; key: string; balance: bigint; sum: bigint; last: bigint | null }[]>`
    SELECT a.id, a."ownerType" || ':' || a."ownerId" || ':' || a."currencyCode" || ':' || a.kind || CASE WHEN a.test THEN ':test' ELSE '' END AS key, a.balance,
           COALESCE(s.sum, 0)::bigint AS sum, l."balanceAfter" AS last
    FROM ledger_accounts a
    LEFT JOIN (SELECT "accountId", SUM(amount) AS sum FROM ledger_entries GROUP BY "accountId") s ON s."accountId" = a.id
    LEFT JOIN LATERAL (SELECT "balanceAfter" FROM ledger_entries e WHERE e."accountId" = a.id ORDER BY e.id DESC LIMIT 1) l ON true
    WHERE a.balance <> COALESCE(s.sum, 0) OR (l."balanceAfter" IS NOT NULL AND l."balanceAfter" <> a.balance)
    LIMIT 100`;
  for (const a of accounts) {
    if (BigInt(a.balance) !== BigInt(a.sum)) {
      violations.push({ rule: 'BALANCE_NOT_SUM_OF_ENTRIES', detail: `${a.key}: balance ${a.balance}, entries sum to ${a.sum}` });
    } else {
      violations.push({ rule: 'BALANCE_AFTER_MISMATCH', detail: `${a.key}: balance ${a.balance}, latest balance-after ${a.last}` });
    }
  }

  const negative = await db.$queryRaw<{ key: string; balance: bigint }[]>`
    SELECT "ownerType" || ':' || "ownerId" || ':' || "currencyCode" || ':' || kind || CASE WHEN test THEN ':test' ELSE '' END AS key, balance FROM ledger_accounts
    WHERE (kind IN ('AVAILABLE', 'PENDING', 'FROZEN') AND balance < 0) OR (kind = 'BALANCE' AND balance > 0)
    LIMIT 100`;
  for (const n of negative) violations.push({ rule: 'NEGATIVE_BALANCE', detail: `${n.key}: stored balance ${n.balance}` });

  violations.push(...(await checkStatementInvariants(db)));
  return violations;
}

interface StatementRef {
  accountId: string;
  day: string;
  tz: string;
  mchId: string;
  currency: string;
  kind: string;
  digits: number;
}

const REF_COLUMNS = Prisma.sql`s."accountId", s.date::text AS day, s.timezone AS tz, m."mchId", s."currencyCode" AS currency, a.kind::text AS kind, COALESCE(c.digits, 0) AS digits`;
const REF_JOINS = Prisma.sql`
  JOIN ledger_accounts a ON a.id = s."accountId"
  JOIN merchants m ON m.id = s."merchantId"
  LEFT JOIN currencies c ON c.code = s."currencyCode"`;

function label(r: StatementRef): string {
  return `merchant ${r.mchId} ${r.currency} ${r.kind} ${r.day} (${r.tz})`;
}

function ref(r: StatementRef) {
  return { accountId: r.accountId, date: r.day };
}

/** The statement rules of checkLedgerInvariants (see there). */
export async function checkStatementInvariants(db: Db): Promise<LedgerViolation[]> {
  const violations: LedgerViolation[] = [];
  const zone = safeZone(Prisma.raw('s.timezone'));
  const fmt = (v: bigint, r: StatementRef) => formatAmount(BigInt(v), r.digits);

  type Row = StatementRef & { opening: bigint; inflow: bigint; outflow: bigint; closing: bigint; in_count: number; out_count: number; prev_day: string | null; prev_closing: bigint | null };
  const rows = await db.$queryRaw<Row[]>`
    SELECT * FROM (
      SELECT ${REF_COLUMNS}, s.opening, s.inflow, s.outflow, s.closing, s."inCount" AS in_count, s."outCount" AS out_count,
             lag(s.date::text) OVER w AS prev_day, lag(s.closing) OVER w AS prev_closing
      FROM daily_statements s ${REF_JOINS}
      WINDOW w AS (PARTITION BY s."accountId" ORDER BY s.date)
    ) x
    WHERE x.closing <> x.opening + x.inflow - x.outflow OR x.inflow < 0 OR x.outflow < 0 OR x.in_count < 0 OR x.out_count < 0
       OR (x.prev_closing IS NOT NULL AND x.opening <> x.prev_closing)
    ORDER BY x."accountId", x.day
    LIMIT ${LIMIT * 2}`;
  for (const r of rows) {
    const balanced = BigInt(r.closing) === BigInt(r.opening) + BigInt(r.inflow) - BigInt(r.outflow);
    if (!balanced || BigInt(r.inflow) < 0n || BigInt(r.outflow) < 0n || r.in_count < 0 || r.out_count < 0) {
      violations.push({
        rule: 'STATEMENT_NOT_BALANCED',
        detail: `${label(r)}: opening ${fmt(r.opening, r)} + inflow ${fmt(r.inflow, r)} − outflow ${fmt(r.outflow, r)} ≠ closing ${fmt(r.closing, r)}`,
        statement: ref(r),
      });
    }
    if (r.prev_closing !== null && BigInt(r.opening) !== BigInt(r.prev_closing)) {
      violations.push({
        rule: 'STATEMENT_CHAIN_BROKEN',
        detail: `${label(r)}: opening ${fmt(r.opening, r)} ≠ closing ${fmt(r.prev_closing, r)} of ${r.prev_day}`,
        statement: ref(r),
      });
    }
  }

  type Moves = StatementRef & { s_in: bigint; s_out: bigint; s_fees: bigint; s_in_count: number; s_out_count: number } & {
    inflow: bigint; outflow: bigint; fees: bigint; in_count: number; out_count: number;
  };
  const moves = await db.$queryRaw<Moves[]>`
    SELECT ${REF_COLUMNS}, s.inflow AS s_in, s.outflow AS s_out, s.fees AS s_fees, s."inCount" AS s_in_count, s."outCount" AS s_out_count, mv.*
    FROM daily_statements s ${REF_JOINS}
    CROSS JOIN LATERAL (
      SELECT ${MOVEMENT_AGGREGATES}
      FROM ledger_entries e
      ${FEE_LATERAL}
      WHERE e."accountId" = s."accountId" AND e."createdAt" >= ${dayStart(Prisma.raw('s.date'), zone)} AND e."createdAt" < ${dayEnd(Prisma.raw('s.date'), zone)}
    ) mv
    WHERE (s.inflow, s.outflow, s.fees, s."inCount", s."outCount") IS DISTINCT FROM (mv.inflow, mv.outflow, mv.fees, mv.in_count, mv.out_count)
    ORDER BY s."accountId", s.date
    LIMIT ${LIMIT}`;
  for (const r of moves) {
    violations.push({
      rule: 'STATEMENT_MOVEMENTS_MISMATCH',
      detail:
        `${label(r)}: stored inflow ${fmt(r.s_in, r)} (${r.s_in_count}) outflow ${fmt(r.s_out, r)} (${r.s_out_count}) fees ${fmt(r.s_fees, r)}, ` +
        `entries of the day: inflow ${fmt(r.inflow, r)} (${r.in_count}) outflow ${fmt(r.outflow, r)} (${r.out_count}) fees ${fmt(r.fees, r)}`,
      statement: ref(r),
    });
  }

  type Last = StatementRef & { closing: bigint; actual: bigint; entries: bigint; covered: bigint };
  const lasts = await db.$queryRaw<Last[]>`
    WITH latest AS (
      SELECT DISTINCT ON (s."accountId") s.*, ${dayEnd(Prisma.raw('s.date'), zone)} AS end_at
      FROM daily_statements s
      ORDER BY s."accountId", s.date DESC
    ),
    covered AS (
      SELECT "accountId", SUM("inCount" + "outCount")::bigint AS n FROM daily_statements GROUP BY "accountId"
    ),
    checked AS (
      SELECT ${REF_COLUMNS}, s.closing,
             (a.balance - COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e."accountId" = s."accountId" AND e."createdAt" >= s.end_at), 0))::bigint AS actual,
             (SELECT count(*) FROM ledger_entries e WHERE e."accountId" = s."accountId" AND e."createdAt" < s.end_at)::bigint AS entries,
             cv.n AS covered
      FROM latest s ${REF_JOINS}
      JOIN covered cv ON cv."accountId" = s."accountId"
    )
    SELECT * FROM checked WHERE closing <> actual OR entries <> covered
    ORDER BY "accountId"
    LIMIT ${LIMIT * 2}`;
  for (const r of lasts) {
    if (BigInt(r.closing) !== BigInt(r.actual)) {
      violations.push({
        rule: 'STATEMENT_CLOSING_MISMATCH',
        detail: `${label(r)} is the latest row: closing ${fmt(r.closing, r)} ≠ balance ${fmt(r.actual, r)} at that day's end`,
        statement: ref(r),
      });
    }
    if (BigInt(r.entries) !== BigInt(r.covered)) {
      violations.push({
        rule: 'STATEMENT_ENTRIES_UNCOVERED',
        detail: `${label(r)}: ${r.entries} entries up to the end of this latest row, but the rows count ${r.covered} (a day with movements has no statement, or rows overlap)`,
        statement: ref(r),
      });
    }
  }
  return violations;
}
