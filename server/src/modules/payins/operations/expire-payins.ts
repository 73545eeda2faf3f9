import type { PrismaClient } from '../../../db/prisma.ts';
import type { EventBus } from '../../../events/event-bus.ts';
import { formatAmount } from '../../../lib/money.ts';
import { currencyDigits } from '../../catalog/catalog.service.ts';
import { creditPayinFunds } from '../payins.ledger.ts';
import { findPayin, transitionPayin } from '../payins.transition.ts';
import { SYSTEM_ACTOR, inTransaction } from '../../shared/process.ts';
import { notifyPayinStatus } from '../payins.notify.ts';

/**
 * Cron task `orders:expire` (every minute): PENDING/PROCESSING payins past `expireAt` → EXPIRED, in
 * batches locked with FOR UPDATE SKIP LOCKED (several workers never take the same order, and an order
 * being paid right now is simply picked up next time).
 *
 * Underpaid orders (accumulation in progress): the money actually received is credited to the merchant
 * at expiry (fee on the received total; ledger key `payin:<id>:partial`), and the timeline says how
 * much of the amount arrived. The order is EXPIRED, paid_amount shows the partial sum, paid_at stays
 * null (it never completed), accumulationStatus stays IN_PROGRESS (the stockpile never completed).
 */

export const EXPIRE_BATCH_SIZE = 100;

export async function expirePayins(
  services: { prisma: PrismaClient; events: EventBus },
  opts: { now?: Date; batchSize?: number; maxBatches?: number } = {},
): Promise<{ expired: number }> {
  const batchSize = opts.batchSize ?? EXPIRE_BATCH_SIZE;
  let expired = 0;
  for (let batch = 0; batch < (opts.maxBatches ?? 100); batch++) {
    const now = opts.now ?? new Date();
    const count = await inTransaction(services, async (tx, outbox) => {
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM orders
        WHERE status IN ('PENDING', 'PROCESSING') AND "expireAt" <= ${now}
        ORDER BY "expireAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED`;
      for (const { id } of due) {
        const order = (await findPayin(tx, { id }))!;
        const digits = await currencyDigits(tx, order.currencyCode);
        let fee = order.fee;
        let message = 'expired without payment';
        if (order.paidAmount > 0n) {
          const credit = await creditPayinFunds(tx, order, {
            gross: order.paidAmount,
            creditedBefore: 0n,
            feeBefore: 0n,
            kind: 'PAYIN_PARTIAL',
            idempotencyKey: `payin:${order.id}:partial`,
            occurredAt: now,
            actor: SYSTEM_ACTOR,
          });
          fee = credit.fee;
          const f = (v: bigint) => formatAmount(v, digits);
          message = `expired underpaid: ${f(order.paidAmount)} of ${f(order.amount)} ${order.currencyCode} received; the received money is credited (fee ${f(credit.fee)}, net ${f(credit.net)})`;
        }
        const expiredPayin = await transitionPayin(tx, outbox, order, 'EXPIRED', {
          type: 'EXPIRED',
          message,
          data: { expireAt: order.expireAt.toISOString(), paidAmount: formatAmount(order.paidAmount, digits) },
          actor: SYSTEM_ACTOR,
          patch: { fee, finishedAt: now },
        });
        await notifyPayinStatus(tx, expiredPayin);
      }
      return due.length;
    });
    expired += count;
    if (count < batchSize) break;
  }
  return { expired };
}
