import type { Db } from '../../db/prisma.ts';
import type { RiskRule } from '../../generated/prisma/client.ts';
import { RiskRejectedError } from './payouts.errors.ts';

/**
 * Risk rules for payouts (RiskRule, direction PAYOUT, ENABLED, for this merchant or every merchant, in
 * this currency or any):
 *   AMOUNT_ABOVE        amount > threshold
 *   DAILY_COUNT_ABOVE   the merchant's payouts today (UTC, not failed/rejected) + this one > threshold
 *   DAILY_VOLUME_ABOVE  their amounts today + this amount > threshold (same currency)
 *   BLOCKED_ACCOUNT     recipient account equals `value`
 * A matching REJECT rule refuses the payout (RISK_REJECTED, nothing is created); otherwise a matching
 * REVIEW rule holds it in REVIEW for finance. The daily rules read without locking: two payouts racing
 * at the limit may both pass (a soft limit, like the seeds' back offices).
 */

export interface RiskVerdict {
  action: 'ALLOW' | 'REVIEW';
  /** The rules that matched (REVIEW ones), for the timeline. */
  matched: Array<{ id: string; name: string; kind: string }>;
}

export interface RiskSubject {
  merchantId: string;
  currency: string;
  amount: bigint;
  recipientAccount: string | null;
}

export async function evaluatePayoutRisk(db: Db, subject: RiskSubject, now = new Date()): Promise<RiskVerdict> {
  const rules = await db.riskRule.findMany({
    where: {
      direction: 'PAYOUT',
      status: 'ENABLED',
      OR: [{ merchantId: null }, { merchantId: subject.merchantId }],
      AND: [{ OR: [{ currencyCode: null }, { currencyCode: subject.currency }] }],
    },
    orderBy: { id: 'asc' },
  });
  if (rules.length === 0) return { action: 'ALLOW', matched: [] };

  let today: { count: bigint; volume: bigint } | null = null;
  const loadToday = async () => {
    if (today) return today;
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [row] = await db.$queryRaw<{ count: bigint; volume: bigint | null }[]>`
      SELECT count(*)::bigint AS count, SUM(amount)::bigint AS volume FROM payouts
      WHERE "merchantId" = ${subject.merchantId}::uuid AND "currencyCode" = ${subject.currency}
        AND "createdAt" >= ${start} AND status NOT IN ('FAILED', 'REJECTED')`;
    today = { count: BigInt(row?.count ?? 0n), volume: BigInt(row?.volume ?? 0n) };
    return today;
  };

  const matched: RiskRule[] = [];
  for (const rule of rules) {
    if (await matches(rule, subject, loadToday)) {
      if (rule.action === 'REJECT') throw new RiskRejectedError(rule);
      matched.push(rule);
    }
  }
  return { action: matched.length > 0 ? 'REVIEW' : 'ALLOW', matched: matched.map(({ id, name, kind }) => ({ id, name, kind })) };
}

async function matches(rule: RiskRule, s: RiskSubject, loadToday: () => Promise<{ count: bigint; volume: bigint }>): Promise<boolean> {
  switch (rule.kind) {
    case 'AMOUNT_ABOVE':
      return rule.threshold !== null && s.amount > rule.threshold;
    case 'BLOCKED_ACCOUNT':
      return rule.value !== null && s.recipientAccount !== null && rule.value.trim() === s.recipientAccount.trim();
    case 'DAILY_COUNT_ABOVE':
      return rule.threshold !== null && (await loadToday()).count + 1n > rule.threshold;
    case 'DAILY_VOLUME_ABOVE':
      return rule.threshold !== null && rule.currencyCode !== null && (await loadToday()).volume + s.amount > rule.threshold;
    default:
      return false; // kinds for payins or from a newer version: not a payout rule
  }
}
