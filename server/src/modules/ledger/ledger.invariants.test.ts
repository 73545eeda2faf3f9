import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { checkLedgerInvariants } from './ledger.invariants.ts';
import { channelAccount, merchantAccount, platformAccount, postTransaction } from './ledger.service.ts';

let db: TestDatabase;
const merchantId = '0195f0a0-0000-7000-8000-000000000001';
const channelId = '0195f0a0-0000-7000-8000-000000000002';

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.currency.create({ data: { code: 'THB', name: 'Thai baht', digits: 2 } });
  await db.prisma.merchant.create({ data: { id: merchantId, mchId: '1234567890', name: 'M' } });
  await db.prisma.channel.create({ data: { id: channelId, code: 'C1', name: 'C1', connector: 'sandbox', currencyCode: 'THB' } });
});

afterAll(async () => {
  await db?.drop();
});

describe('checkLedgerInvariants', () => {
  it('passes on postings made through the ledger and refuses an unbalanced or overdrawing one', async () => {
    await db.prisma.$transaction((tx) =>
      postTransaction(tx, {
        kind: 'PAYIN_SUCCESS',
        idempotencyKey: 'payin:1:success',
        lines: [
          { account: channelAccount(channelId, 'THB'), amount: -100_00n },
          { account: merchantAccount(merchantId, 'THB', 'AVAILABLE'), amount: 97_50n },
          { account: platformAccount('THB', 'FEES'), amount: 2_50n },
        ],
      }),
    );
    expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
    await expect(
      db.prisma.$transaction((tx) =>
        postTransaction(tx, { kind: 'X', idempotencyKey: 'bad', lines: [{ account: merchantAccount(merchantId, 'THB', 'AVAILABLE'), amount: 1n }, { account: platformAccount('THB', 'FEES'), amount: 1n }] }),
      ),
    ).rejects.toMatchObject({ code: 'LEDGER_UNBALANCED' });
    await expect(
      db.prisma.$transaction((tx) =>
        postTransaction(tx, {
          kind: 'TRANSFER',
          idempotencyKey: 'overdraw',
          lines: [
            { account: merchantAccount(merchantId, 'THB', 'AVAILABLE'), amount: -200_00n },
            { account: platformAccount('THB', 'CLEARING'), amount: 200_00n },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
  });

  it('finds a balance that no longer matches its entries', async () => {
    await db.prisma.$executeRaw`UPDATE ledger_accounts SET balance = balance + 1 WHERE kind = 'FEES'`;
    const violations = await checkLedgerInvariants(db.prisma);
    expect(violations.map((v) => v.rule)).toEqual(['BALANCE_NOT_SUM_OF_ENTRIES']);
  });
});
