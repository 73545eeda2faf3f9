import { Prisma } from '../../generated/prisma/client.ts';

/**
 * SQL pieces shared by the statement builder, the live statement and the invariant checker, so the three
 * agree on what a day and a fee are.
 *
 * A local day D of time zone Z is the half-open interval [D 00:00 in Z, D+1 00:00 in Z), computed by
 * PostgreSQL (`date::timestamp AT TIME ZONE zone`), so DST days have 23 or 25 hours and half-hour zones
 * (Asia/Kolkata) cut at their own midnight. An entry belongs to the day containing its `createdAt`.
 *
 * Fees of a statement row: the signed sum of the platform FEES entries (same currency) of the ledger
 * transactions that touched the account that day, counted on the account that paid them: the
 * transaction's only merchant account, or, when a transaction touches several merchant accounts, the
 * most-debited one (a transfer's fee is the sender's, on its FROZEN account, not the receiver's). A fee
 * returned by a reversal counts negative.
 */

/** A time zone PostgreSQL knows, else UTC (a bad Merchant.timezone must not stop everyone's statements). */
export function safeZone(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${column} IN (SELECT name FROM pg_timezone_names) THEN ${column} ELSE 'UTC' END`;
}

/** Instant of local midnight starting `date` in `zone`. */
export function dayStart(date: Prisma.Sql, zone: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`((${date})::timestamp AT TIME ZONE ${zone})`;
}

/** Instant of local midnight ending `date` in `zone`. */
export function dayEnd(date: Prisma.Sql, zone: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(((${date}) + 1)::timestamp AT TIME ZONE ${zone})`;
}

/**
 * `LEFT JOIN LATERAL … fee`: the FEES amount of entry `e`'s transaction (NULL when it has none).
 * Use together with `feeOfEntry` in the select list.
 */
export const FEE_LATERAL = Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT SUM(f.amount) AS amount
    FROM ledger_entries f
    JOIN ledger_accounts fa ON fa.id = f."accountId"
    WHERE f."transactionId" = e."transactionId" AND fa."ownerType" = 'PLATFORM' AND fa.kind = 'FEES' AND fa."currencyCode" = e."currencyCode"
  ) fee ON true`;

/** The fee attributed to entry `e` (0 unless its account paid the transaction's fee). */
export const FEE_OF_ENTRY = Prisma.sql`
  CASE WHEN fee.amount IS NOT NULL AND e."accountId" = (
    SELECT p."accountId" FROM ledger_entries p
    JOIN ledger_accounts pa ON pa.id = p."accountId"
    WHERE p."transactionId" = e."transactionId" AND pa."ownerType" = 'MERCHANT' AND p."currencyCode" = e."currencyCode"
    ORDER BY p.amount ASC, p.id ASC
    LIMIT 1
  ) THEN fee.amount ELSE 0 END`;

/** Aggregates over entries `e` (joined with FEE_LATERAL): inflow, outflow, fees, in_count, out_count. */
export const MOVEMENT_AGGREGATES = Prisma.sql`
  COALESCE(SUM(e.amount) FILTER (WHERE e.amount > 0), 0)::bigint AS inflow,
  COALESCE(-SUM(e.amount) FILTER (WHERE e.amount < 0), 0)::bigint AS outflow,
  COALESCE(SUM(${FEE_OF_ENTRY}), 0)::bigint AS fees,
  (COUNT(e.id) FILTER (WHERE e.amount > 0))::int AS in_count,
  (COUNT(e.id) FILTER (WHERE e.amount < 0))::int AS out_count`;
