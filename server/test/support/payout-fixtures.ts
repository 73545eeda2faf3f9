import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/db/prisma.ts';
import { channelAccount, merchantAccount, platformAccount, postTransaction } from '../../src/modules/ledger/ledger.service.ts';

/**
 * Money for payout tests, posted through the real ledger: `fundMerchant` is what a settled payin does
 * without a fee (the channel holds the money, the merchant may spend it); `fundChannel` tops up a
 * channel's balance at its upstream without giving anyone a balance (platform ADJUSTMENT counterpart).
 */
export async function fundMerchant(db: PrismaClient, merchantId: string, channelId: string, currency: string, amount: bigint, book: { test?: boolean } = {}): Promise<void> {
  await db.$transaction((tx) =>
    postTransaction(tx, {
      kind: 'TEST_FUNDING',
      idempotencyKey: `test-funding:${randomUUID()}`,
      test: book.test === true,
      lines: [
        { account: channelAccount(channelId, currency), amount: -amount },
        { account: merchantAccount(merchantId, currency, 'AVAILABLE'), amount },
      ],
    }),
  );
}

export async function fundChannel(db: PrismaClient, channelId: string, currency: string, amount: bigint, book: { test?: boolean } = {}): Promise<void> {
  await db.$transaction((tx) =>
    postTransaction(tx, {
      kind: 'TEST_FUNDING',
      idempotencyKey: `test-funding:${randomUUID()}`,
      test: book.test === true,
      lines: [
        { account: channelAccount(channelId, currency), amount: -amount },
        { account: platformAccount(currency, 'ADJUSTMENT'), amount },
      ],
    }),
  );
}

export async function balancesOf(db: PrismaClient, merchantId: string, currency: string, test = false): Promise<{ available: bigint; frozen: bigint }> {
  const rows = await db.ledgerAccount.findMany({ where: { ownerType: 'MERCHANT', ownerId: merchantId, currencyCode: currency, test } });
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.balance ?? 0n;
  return { available: of('AVAILABLE'), frozen: of('FROZEN') };
}

export async function channelBalance(db: PrismaClient, channelId: string, currency: string, test = false): Promise<bigint> {
  const row = await db.ledgerAccount.findUnique({
    where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'CHANNEL', ownerId: channelId, currencyCode: currency, kind: 'BALANCE', test } },
  });
  return -(row?.balance ?? 0n);
}
