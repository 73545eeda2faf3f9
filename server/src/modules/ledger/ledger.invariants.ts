import type { Db } from '../../db/prisma.ts';

export interface LedgerViolation {
  rule: 'CURRENCY_SUM_NOT_ZERO' | 'TRANSACTION_UNBALANCED' | 'BALANCE_NOT_SUM_OF_ENTRIES' | 'BALANCE_AFTER_MISMATCH' | 'NEGATIVE_BALANCE';
  detail: string;
}

/**
 * The ledger's invariants, checked in SQL over the whole ledger: entries sum to zero per currency and
 * per transaction; each account's balance equals the sum of its entries and its latest balance-after;
 * accounts that may not go below zero are not below zero (debit-normal channel balances are stored
 * negative, so for them "below zero" means a positive stored balance).
 */
export async function checkLedgerInvariants(db: Db): Promise<LedgerViolation[]> {
  const violations: LedgerViolation[] = [];

  const currencies = await db.$queryRaw<{ currencyCode: string; sum: bigint }[]>`
    SELECT "currencyCode", SUM(amount)::bigint AS sum FROM ledger_entries GROUP BY "currencyCode" HAVING SUM(amount) <> 0`;
  for (const c of currencies) violations.push({ rule: 'CURRENCY_SUM_NOT_ZERO', detail: `${c.currencyCode} entries sum to ${c.sum}` });

  const transactions = await db.$queryRaw<{ transactionId: string; currencyCode: string; sum: bigint }[]>`
    SELECT "transactionId", "currencyCode", SUM(amount)::bigint AS sum FROM ledger_entries
    GROUP BY "transactionId", "currencyCode" HAVING SUM(amount) <> 0 LIMIT 100`;
  for (const t of transactions) {
    violations.push({ rule: 'TRANSACTION_UNBALANCED', detail: `transaction ${t.transactionId} ${t.currencyCode} sums to ${t.sum}` });
  }

  const accounts = await db.$queryRaw<{ id: string; key: string; balance: bigint; sum: bigint; last: bigint | null }[]>`
    SELECT a.id, a."ownerType" || ':' || a."ownerId" || ':' || a."currencyCode" || ':' || a.kind AS key, a.balance,
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
    SELECT "ownerType" || ':' || "ownerId" || ':' || "currencyCode" || ':' || kind AS key, balance FROM ledger_accounts
    WHERE (kind IN ('AVAILABLE', 'PENDING', 'FROZEN') AND balance < 0) OR (kind = 'BALANCE' AND balance > 0)
    LIMIT 100`;
  for (const n of negative) violations.push({ rule: 'NEGATIVE_BALANCE', detail: `${n.key}: stored balance ${n.balance}` });

  return violations;
}
