import { randomUUID } from 'node:crypto';
import type { PrismaClient, Tx } from '../../db/prisma.ts';
import { DomainError } from '../../lib/errors.ts';
import { formatAmount, MoneyParseError, parseAmount } from '../../lib/money.ts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { accountKey, merchantAccount, platformAccount, postTransaction } from './ledger.service.ts';

/**
 * Manual adjustment (issue #4 item 6): an administrator credits or debits a merchant's AVAILABLE
 * balance in one currency, with a mandatory reason. The counterpart is the platform ADJUSTMENT account
 * (debit-normal: crediting a merchant debits it, i.e. the platform pays), so the posting balances.
 * A debit never takes AVAILABLE below zero (INSUFFICIENT_BALANCE from the ledger, nothing written).
 * Posting and audit row (`ledger.adjust`) are one transaction.
 *
 * Errors: MERCHANT_NOT_FOUND, CURRENCY_NOT_SUPPORTED (unknown currency; a disabled one may still be
 * adjusted, e.g. to clear a residue), INVALID_AMOUNT (field `amount`: not a decimal, too many digits,
 * zero), INVALID_PARAMETER (field `reason`: empty or longer than 1000), INSUFFICIENT_BALANCE,
 * IDEMPOTENCY_CONFLICT (the key was used for another adjustment).
 */

export interface AdjustmentInput {
  merchantId: string;
  currency: string;
  /** Signed decimal string in the currency's digits: "150.00" credits AVAILABLE, "-20.50" debits it; not zero. */
  amount: string;
  /** Why (shown in the audit log and the ledger transaction's description). Required, at most 1000 characters. */
  reason: string;
  actor: AuditActor;
  /** The book to adjust: false (default) the live balance, true the merchant's test balance. */
  test?: boolean;
  /**
   * Optional client key (at most 100 characters) that makes a retried submission safe: the same key for
   * the same merchant adjusts once and then returns the first result (`replayed: true`).
   */
  idempotencyKey?: string | null;
}

export interface AdjustmentResult {
  /** The ledger transaction of the adjustment. */
  transactionId: string;
  currency: string;
  /** Signed minor units applied to AVAILABLE (positive = credit). */
  amount: bigint;
  /** The merchant's AVAILABLE balance in that currency after the adjustment (minor units). */
  balance: bigint;
  /** True when the idempotency key had been used before and nothing was posted now. */
  replayed: boolean;
}

export const ADJUSTMENT_KIND = 'ADJUSTMENT';
export const ADJUSTMENT_REFERENCE = 'MERCHANT_ADJUSTMENT';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function adjustMerchantBalance(prisma: PrismaClient, input: AdjustmentInput): Promise<AdjustmentResult> {
  return prisma.$transaction((tx) => adjustMerchantBalanceInTx(tx, input), { maxWait: 15_000, timeout: 30_000 });
}

export async function adjustMerchantBalanceInTx(tx: Tx, input: AdjustmentInput): Promise<AdjustmentResult> {
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason === '') throw new DomainError('INVALID_PARAMETER', 'reason: a reason is required for a manual adjustment', { field: 'reason' });
  if (reason.length > 1000) throw new DomainError('INVALID_PARAMETER', 'reason: at most 1000 characters', { field: 'reason' });
  const clientKey = input.idempotencyKey?.trim() || null;
  if (clientKey && clientKey.length > 100) {
    throw new DomainError('INVALID_PARAMETER', 'idempotencyKey: at most 100 characters', { field: 'idempotencyKey' });
  }

  const merchant = typeof input.merchantId === 'string' && UUID.test(input.merchantId)
    ? await tx.merchant.findUnique({ where: { id: input.merchantId }, select: { id: true } })
    : null;
  if (!merchant) throw new DomainError('MERCHANT_NOT_FOUND', 'merchant not found');
  const code = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : '';
  const currency = code ? await tx.currency.findUnique({ where: { code }, select: { digits: true } }) : null;
  if (!currency) throw new DomainError('CURRENCY_NOT_SUPPORTED', `currency ${code || String(input.currency)} is not available`, { field: 'currency', currency: code });
  const amount = parseSignedAmount(input.amount, currency.digits);

  const test = input.test === true;
  const available = merchantAccount(merchant.id, code, 'AVAILABLE');
  const idempotencyKey = clientKey ? `adjustment:${test ? 'test:' : ''}${merchant.id}:${clientKey}` : `adjustment:${randomUUID()}`;
  const description = `Manual adjustment: ${reason}`;
  const posted = await postTransaction(tx, {
    kind: ADJUSTMENT_KIND,
    idempotencyKey,
    test,
    referenceType: ADJUSTMENT_REFERENCE,
    referenceId: merchant.id,
    description,
    actorType: input.actor.type,
    ...(input.actor.id ? { actorId: input.actor.id } : {}),
    lines: [
      { account: available, amount },
      { account: platformAccount(code, 'ADJUSTMENT'), amount: -amount },
    ],
  });

  if (posted.replayed) {
    const [first] = await tx.$queryRaw<{ amount: bigint; description: string | null }[]>`
      SELECT e.amount, t.description FROM ledger_entries e
      JOIN ledger_transactions t ON t.id = e."transactionId"
      JOIN ledger_accounts a ON a.id = e."accountId"
      WHERE e."transactionId" = ${posted.transactionId}::uuid AND a."ownerType" = 'MERCHANT' AND a."ownerId" = ${merchant.id}
        AND a."currencyCode" = ${code} AND a.kind = 'AVAILABLE' AND a.test = ${test}`;
    if (!first || BigInt(first.amount) !== amount || first.description !== description) {
      throw new DomainError('IDEMPOTENCY_CONFLICT', 'idempotencyKey: this key was used for a different adjustment', { field: 'idempotencyKey' });
    }
    const account = await tx.ledgerAccount.findUnique({
      where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'MERCHANT', ownerId: merchant.id, currencyCode: code, kind: 'AVAILABLE', test } },
      select: { balance: true },
    });
    return { transactionId: posted.transactionId, currency: code, amount, balance: account?.balance ?? 0n, replayed: true };
  }

  const balance = posted.balances.get(accountKey(available))!;
  await recordAudit(tx, input.actor, {
    action: 'ledger.adjust',
    merchantId: merchant.id,
    entityType: 'LedgerTransaction',
    entityId: posted.transactionId,
    before: { currency: code, ...(test ? { book: 'test' } : {}), available: formatAmount(balance - amount, currency.digits) },
    after: { currency: code, available: formatAmount(balance, currency.digits), amount: formatAmount(amount, currency.digits), reason },
  });
  return { transactionId: posted.transactionId, currency: code, amount, balance, replayed: false };
}

/** "-20.50" → −2050n for 2 digits; zero and malformed input are INVALID_AMOUNT with `field: 'amount'`. */
export function parseSignedAmount(input: unknown, digits: number): bigint {
  const text = typeof input === 'string' ? input.trim() : input;
  const negative = typeof text === 'string' && text.startsWith('-');
  let magnitude: bigint;
  try {
    magnitude = parseAmount((negative ? (text as string).slice(1) : text) as string, digits);
  } catch (error) {
    if (error instanceof MoneyParseError) throw new MoneyParseError(error.reason, `amount: ${error.message}`, { ...error.details, field: 'amount' });
    throw error;
  }
  if (magnitude === 0n) throw new DomainError('INVALID_AMOUNT', 'amount: an adjustment cannot be zero', { reason: 'ZERO', field: 'amount' });
  return negative ? -magnitude : magnitude;
}
