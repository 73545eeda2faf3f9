import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../db/prisma.ts';
import type { MerchantScope } from './scope.ts';

/**
 * Dashboard statistics by day (seed 002 dashboard, seed 000 home page): payin and payout counts and
 * amounts per day and currency, in one GROUP BY per direction. Days are cut at midnight of the given
 * IANA time zone; rows are grouped by creation date, or by activation date (payin `paidAt`, payout
 * `finishedAt`).
 *
 * Amounts stay integers: PostgreSQL sums bigints into numerics, which come back as text and become
 * bigints again. Display-currency conversion (FX rates are display-only) is fx.ts.
 */

export type DashboardGroupBy = 'CREATED' | 'ACTIVATED';

export interface DashboardQuery {
  from: Date;
  to: Date;
  timezone: string;
  groupBy: DashboardGroupBy;
  scope: MerchantScope;
  merchantIds?: string[];
  currencies?: string[];
  serviceCodes?: string[];
  test?: boolean | null;
}

export interface DayStat {
  day: string;
  currency: string;
  count: number;
  amount: bigint;
  successCount: number;
  successAmount: bigint;
  fee: bigint;
}

interface RawRow {
  day: string;
  currency: string;
  count: number;
  amount: string;
  successCount: number;
  successAmount: string;
  fee: string;
}

const TABLES = {
  PAYIN: { table: Prisma.raw('orders'), activated: Prisma.raw('"paidAt"'), successAmount: Prisma.raw('"paidAmount"') },
  PAYOUT: { table: Prisma.raw('payouts'), activated: Prisma.raw('"finishedAt"'), successAmount: Prisma.raw('amount') },
} as const;

export async function dailyStats(db: Db, direction: 'PAYIN' | 'PAYOUT', q: DashboardQuery): Promise<DayStat[]> {
  const t = TABLES[direction];
  const ts = q.groupBy === 'ACTIVATED' ? t.activated : Prisma.raw('"createdAt"');
  const conditions: Prisma.Sql[] = [Prisma.sql`t.${ts} >= ${q.from}`, Prisma.sql`t.${ts} < ${q.to}`];
  if (!q.scope.all) {
    if (q.scope.merchantIds.length === 0) return [];
    conditions.push(Prisma.sql`t."merchantId" = ANY(${q.scope.merchantIds}::uuid[])`);
  }
  if (q.merchantIds?.length) conditions.push(Prisma.sql`t."merchantId" = ANY(${q.merchantIds}::uuid[])`);
  if (q.currencies?.length) conditions.push(Prisma.sql`t."currencyCode" = ANY(${q.currencies}::text[])`);
  if (q.serviceCodes?.length) {
    conditions.push(Prisma.sql`t."serviceId" IN (SELECT id FROM services WHERE code = ANY(${q.serviceCodes}::text[]))`);
  }
  if (q.test !== null && q.test !== undefined) conditions.push(Prisma.sql`t.test = ${q.test}`);

  const rows = await db.$queryRaw<RawRow[]>`
    SELECT to_char((t.${ts} AT TIME ZONE ${q.timezone})::date, 'YYYY-MM-DD') AS day,
           t."currencyCode" AS currency,
           count(*)::int AS count,
           coalesce(sum(t.amount), 0)::text AS amount,
           (count(*) FILTER (WHERE t.status = 'SUCCEEDED'))::int AS "successCount",
           coalesce(sum(t.${t.successAmount}) FILTER (WHERE t.status = 'SUCCEEDED'), 0)::text AS "successAmount",
           coalesce(sum(t.fee) FILTER (WHERE t.status = 'SUCCEEDED'), 0)::text AS fee
    FROM ${t.table} t
    WHERE ${Prisma.join(conditions, ' AND ')}
    GROUP BY 1, 2
    ORDER BY 1, 2`;
  return rows.map((r) => ({
    day: r.day,
    currency: r.currency,
    count: r.count,
    amount: BigInt(r.amount),
    successCount: r.successCount,
    successAmount: BigInt(r.successAmount),
    fee: BigInt(r.fee),
  }));
}

/** Sums day rows per currency. */
export function totalsByCurrency(days: readonly DayStat[]): Array<Omit<DayStat, 'day'>> {
  const totals = new Map<string, Omit<DayStat, 'day'>>();
  for (const d of days) {
    const t = totals.get(d.currency) ?? { currency: d.currency, count: 0, amount: 0n, successCount: 0, successAmount: 0n, fee: 0n };
    t.count += d.count;
    t.amount += d.amount;
    t.successCount += d.successCount;
    t.successAmount += d.successAmount;
    t.fee += d.fee;
    totals.set(d.currency, t);
  }
  return [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}
