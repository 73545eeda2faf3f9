import type { Db } from '../../db/prisma.ts';
import type { RiskRule } from '../../generated/prisma/client.ts';
import type { Direction } from '../../generated/prisma/enums.ts';
import { DomainError } from '../../lib/errors.ts';
import { cachedConfig } from '../shared/config-cache.ts';

/**
 * Risk rules (RiskRule, ENABLED, of the transaction's direction, for this merchant or every merchant,
 * in this currency or any), evaluated when a payin or payout is created:
 *   AMOUNT_ABOVE        amount > threshold
 *   DAILY_COUNT_ABOVE   the merchant's transactions of that direction today (UTC, not failed, rejected,
 *                       closed or expired) + this one > threshold
 *   DAILY_VOLUME_ABOVE  their amounts today + this amount > threshold (same currency)
 *   BLOCKED_ACCOUNT     the counterparty's account (payer_account of a payin, recipient_account of a
 *                       payout) equals `value`, ignoring spaces, dashes, dots and case
 * A matching REJECT rule refuses the transaction (RISK_REJECTED, REST 42201, nothing is created).
 * Otherwise the matching REVIEW rules are returned: a payout waits in REVIEW for finance; a payin goes
 * ahead and carries a RISK_FLAGGED event on its timeline for support to look at (payins are not held).
 * A payin's BLOCKED_ACCOUNT rules are checked again when the payer gives the account on the cashier.
 * The daily rules read without locking: two transactions racing at the limit may both pass (a soft
 * limit, like the seeds' back offices).
 */

export class RiskRejectedError extends DomainError {
  constructor(rule: { id: string; name: string; kind: string }) {
    super('RISK_REJECTED', `refused by risk rule "${rule.name}"`, { rule: rule.id, kind: rule.kind });
  }
}

export interface RiskVerdict {
  action: 'ALLOW' | 'REVIEW';
  /** The rules that matched (REVIEW ones), for the timeline. */
  matched: Array<{ id: string; name: string; kind: string }>;
}

export interface RiskSubject {
  direction: Direction;
  merchantId: string;
  currency: string;
  amount: bigint;
  /** The payer's (payin) or recipient's (payout) account, when known. */
  account: string | null;
}

interface Today {
  count: bigint;
  volume: bigint;
}

/** `kinds`: only rules of these kinds (the cashier checks the payer's account, known only then). */
export async function evaluateRisk(db: Db, subject: RiskSubject, now = new Date(), opts: { kinds?: readonly string[] } = {}): Promise<RiskVerdict> {
  const rules = await cachedConfig(db, `risk-rules:${subject.direction}:${subject.merchantId}:${subject.currency}:${opts.kinds?.join(',') ?? '*'}`, () =>
    db.riskRule.findMany({
      where: {
        direction: subject.direction,
        status: 'ENABLED',
        ...(opts.kinds ? { kind: { in: [...opts.kinds] } } : {}),
        OR: [{ merchantId: null }, { merchantId: subject.merchantId }],
        AND: [{ OR: [{ currencyCode: null }, { currencyCode: subject.currency }] }],
      },
      orderBy: { id: 'asc' },
    }),
  );
  if (rules.length === 0) return { action: 'ALLOW', matched: [] };

  let today: Today | null = null;
  const loadToday = async () => (today ??= await todayOf(db, subject, now));

  const matched: RiskRule[] = [];
  for (const rule of rules) {
    if (await matches(rule, subject, loadToday)) {
      if (rule.action === 'REJECT') throw new RiskRejectedError(rule);
      matched.push(rule);
    }
  }
  return { action: matched.length > 0 ? 'REVIEW' : 'ALLOW', matched: matched.map(({ id, name, kind }) => ({ id, name, kind })) };
}

/** The merchant's transactions of the subject's direction and currency since UTC midnight that still count. */
async function todayOf(db: Db, s: RiskSubject, now: Date): Promise<Today> {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [row] =
    s.direction === 'PAYOUT'
      ? await db.$queryRaw<{ count: bigint; volume: bigint | null }[]>`
          SELECT count(*)::bigint AS count, SUM(amount)::bigint AS volume FROM payouts
          WHERE "merchantId" = ${s.merchantId}::uuid AND "currencyCode" = ${s.currency}
            AND "createdAt" >= ${start} AND status NOT IN ('FAILED', 'REJECTED')`
      : await db.$queryRaw<{ count: bigint; volume: bigint | null }[]>`
          SELECT count(*)::bigint AS count, SUM(amount)::bigint AS volume FROM orders
          WHERE "merchantId" = ${s.merchantId}::uuid AND "currencyCode" = ${s.currency}
            AND "createdAt" >= ${start} AND status NOT IN ('FAILED', 'CLOSED', 'EXPIRED')`;
  return { count: BigInt(row?.count ?? 0n), volume: BigInt(row?.volume ?? 0n) };
}

async function matches(rule: RiskRule, s: RiskSubject, loadToday: () => Promise<Today>): Promise<boolean> {
  switch (rule.kind) {
    case 'AMOUNT_ABOVE':
      return rule.threshold !== null && s.amount > rule.threshold;
    case 'BLOCKED_ACCOUNT':
      return rule.value !== null && s.account !== null && accountKey(rule.value) === accountKey(s.account);
    case 'DAILY_COUNT_ABOVE':
      return rule.threshold !== null && (await loadToday()).count + 1n > rule.threshold;
    case 'DAILY_VOLUME_ABOVE':
      return rule.threshold !== null && rule.currencyCode !== null && (await loadToday()).volume + s.amount > rule.threshold;
    default:
      return false; // a kind from a newer version: not evaluated here
  }
}

/** Accounts compare without spaces, dashes and dots, case-insensitively ("1234 5678-90" = "1234567890"). */
function accountKey(account: string): string {
  return account.replace(/[\s.-]+/g, '').toUpperCase();
}
