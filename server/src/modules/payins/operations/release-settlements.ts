import type { PrismaClient } from '../../../db/prisma.ts';
import { merchantAccount, postTransaction } from '../../ledger/ledger.service.ts';
import { PAYIN_REFERENCE } from '../payins.ledger.ts';

/**
 * Cron task `settlements:release`: T+N payins whose settlement period is over move from the merchant's
 * PENDING to AVAILABLE (ledger key `payin:<orderId>:release`, referencing the order so a later reversal
 * nets it out). Batches locked with FOR UPDATE SKIP LOCKED.
 */
export async function releaseDueSettlements(
  services: { prisma: PrismaClient },
  opts: { now?: Date; batchSize?: number } = {},
): Promise<{ released: number }> {
  const batchSize = opts.batchSize ?? 200;
  let released = 0;
  for (;;) {
    const now = opts.now ?? new Date();
    const count = await services.prisma.$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<{ id: string; merchantId: string; orderId: string; currencyCode: string; amount: bigint; test: boolean }[]>`
          SELECT id, "merchantId", "orderId", "currencyCode", amount, test FROM pending_settlements
          WHERE "releasedAt" IS NULL AND "releaseAt" <= ${now}
          ORDER BY "releaseAt" LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED`;
        for (const s of due) {
          const amount = BigInt(s.amount);
          if (amount > 0n) {
            await postTransaction(tx, {
              kind: 'PAYIN_SETTLEMENT_RELEASE',
              idempotencyKey: `payin:${s.orderId}:release`,
              test: s.test,
              referenceType: PAYIN_REFERENCE,
              referenceId: s.orderId,
              description: 'T+N settlement released',
              lines: [
                { account: merchantAccount(s.merchantId, s.currencyCode, 'PENDING'), amount: -amount },
                { account: merchantAccount(s.merchantId, s.currencyCode, 'AVAILABLE'), amount },
              ],
            });
          }
          await tx.pendingSettlement.update({ where: { id: s.id }, data: { releasedAt: now } });
        }
        return due.length;
      },
      { maxWait: 15_000, timeout: 60_000 },
    );
    released += count;
    if (count < batchSize) break;
  }
  return { released };
}
