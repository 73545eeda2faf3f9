import type { Tx } from '../../db/prisma.ts';
import type { LedgerAccountKind, LedgerOwnerType } from '../../generated/prisma/enums.ts';
import { computeFee } from '../../lib/money.ts';
import { channelAccount, merchantAccount, platformAccount, postTransaction, type AccountRef, type PostingLine } from '../ledger/ledger.service.ts';
import type { LoadedPayin } from './payins.transition.ts';
import type { Actor } from '../shared/process.ts';

/**
 * Money movements of payins, always through `postTransaction` in the caller's transaction.
 * Every posting references the order (`referenceType: 'ORDER'`, `referenceId: order.id`), so the sum of
 * an order's entries per account is its exact net effect — which is what a reversal negates.
 *
 * Crediting received money: channel BALANCE is debited the gross (we hold it at the upstream), the
 * merchant is credited gross − fee (AVAILABLE, or PENDING + a PendingSettlement row for T+N services),
 * platform FEES is credited the fee. The fee is `computeFee(total received, rate, fixed)` of the
 * merchant service; when more money arrives after a first credit, only the fee difference is taken.
 */

export const PAYIN_REFERENCE = 'ORDER';
const DAY_MS = 86_400_000;

export interface CreditInput {
  /** Money being credited now (minor units). */
  gross: bigint;
  /** Money of this order credited before (0 for the first credit). */
  creditedBefore: bigint;
  /** Fee already taken on `creditedBefore`. */
  feeBefore: bigint;
  kind: 'PAYIN_SUCCESS' | 'PAYIN_PARTIAL' | 'PAYIN_LATE_PAYMENT';
  idempotencyKey: string;
  occurredAt: Date;
  actor: Actor;
  description?: string;
}

export interface CreditResult {
  /** Total fee of the order after this credit. */
  fee: bigint;
  feeDelta: bigint;
  net: bigint;
  /** Where the net went. */
  merchantAccount: 'AVAILABLE' | 'PENDING';
}

export async function creditPayinFunds(tx: Tx, order: LoadedPayin, input: CreditInput): Promise<CreditResult> {
  if (input.gross <= 0n) throw new RangeError('a payin credit must be positive');
  const ms = await tx.merchantService.findUniqueOrThrow({
    where: { merchantId_serviceId: { merchantId: order.merchantId, serviceId: order.serviceId } },
    select: { feeRatePpm: true, feeFixed: true, settlementDays: true },
  });
  const fee = computeFee(input.creditedBefore + input.gross, ms.feeRatePpm, ms.feeFixed);
  let feeDelta = fee - input.feeBefore;
  if (feeDelta < 0n) feeDelta = 0n;
  if (feeDelta > input.gross) feeDelta = input.gross;
  const net = input.gross - feeDelta;

  let target: 'AVAILABLE' | 'PENDING' = 'AVAILABLE';
  if (ms.settlementDays > 0 && net > 0n) {
    const releaseAt = new Date(input.occurredAt.getTime() + ms.settlementDays * DAY_MS);
    const existing = await tx.pendingSettlement.findUnique({ where: { orderId: order.id } });
    if (!existing) {
      await tx.pendingSettlement.create({
        data: { merchantId: order.merchantId, orderId: order.id, currencyCode: order.currencyCode, amount: net, releaseAt, test: order.test },
      });
      target = 'PENDING';
    } else if (existing.releasedAt === null) {
      await tx.pendingSettlement.update({
        where: { id: existing.id },
        data: { amount: { increment: net }, releaseAt: existing.releaseAt > releaseAt ? existing.releaseAt : releaseAt },
      });
      target = 'PENDING';
    }
    // Already released: the order's settlement period is over; the late money is available at once.
  }

  await postTransaction(tx, {
    kind: input.kind,
    idempotencyKey: input.idempotencyKey,
    test: order.test,
    referenceType: PAYIN_REFERENCE,
    referenceId: order.id,
    description: input.description ?? `${input.kind} ${order.orderNo}`,
    actorType: input.actor.type,
    ...(input.actor.id ? { actorId: input.actor.id } : {}),
    lines: [
      { account: channelAccount(order.channelId!, order.currencyCode), amount: -input.gross },
      { account: merchantAccount(order.merchantId, order.currencyCode, target), amount: net },
      { account: platformAccount(order.currencyCode, 'FEES'), amount: feeDelta },
    ],
  });
  return { fee: input.feeBefore + feeDelta, feeDelta, net, merchantAccount: target };
}

/**
 * Negates every ledger entry of the order (per account), exactly: the status reversal of seed 000.
 * An unreleased PendingSettlement is cancelled (deleted) because its PENDING money is taken back.
 * Throws INSUFFICIENT_BALANCE when the merchant no longer has the money.
 */
export async function reversePayinFunds(tx: Tx, order: LoadedPayin, actor: Actor, reason: string | null): Promise<{ lines: PostingLine[] }> {
  const sums = await tx.$queryRaw<{ ownerType: LedgerOwnerType; ownerId: string; currencyCode: string; kind: LedgerAccountKind; amount: bigint }[]>`
    SELECT a."ownerType", a."ownerId", a."currencyCode", a.kind, SUM(e.amount)::bigint AS amount
    FROM ledger_entries e
    JOIN ledger_transactions t ON t.id = e."transactionId"
    JOIN ledger_accounts a ON a.id = e."accountId"
    WHERE t."referenceType" = ${PAYIN_REFERENCE} AND t."referenceId" = ${order.id}
    GROUP BY a."ownerType", a."ownerId", a."currencyCode", a.kind`;
  const lines: PostingLine[] = sums
    .map((s) => ({ account: { ownerType: s.ownerType, ownerId: s.ownerId, currency: s.currencyCode, kind: s.kind } as AccountRef, amount: -BigInt(s.amount) }))
    .filter((l) => l.amount !== 0n);
  await tx.pendingSettlement.deleteMany({ where: { orderId: order.id, releasedAt: null } });
  if (lines.length === 0) return { lines };
  await postTransaction(tx, {
    kind: 'PAYIN_REVERSAL',
    idempotencyKey: `payin:${order.id}:reversal`,
    test: order.test,
    referenceType: PAYIN_REFERENCE,
    referenceId: order.id,
    description: `PAYIN_REVERSAL ${order.orderNo}${reason ? `: ${reason}` : ''}`,
    actorType: actor.type,
    ...(actor.id ? { actorId: actor.id } : {}),
    lines,
  });
  return { lines };
}
