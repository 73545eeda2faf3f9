import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { checkLedgerInvariants } from './ledger.invariants.ts';
import { channelAccount, merchantAccount, platformAccount, postTransaction } from './ledger.service.ts';
import { buildDailyStatements } from '../statements/statements.service.ts';

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
        test: false,
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
        postTransaction(tx, { kind: 'X', idempotencyKey: 'bad', test: false, lines: [{ account: merchantAccount(merchantId, 'THB', 'AVAILABLE'), amount: 1n }, { account: platformAccount('THB', 'FEES'), amount: 1n }] }),
      ),
    ).rejects.toMatchObject({ code: 'LEDGER_UNBALANCED' });
    await expect(
      db.prisma.$transaction((tx) =>
        postTransaction(tx, {
          kind: 'TRANSFER',
          idempotencyKey: 'overdraw',
          test: false,
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

describe('checkLedgerInvariants on daily statements', () => {
  let sdb: TestDatabase;
  const m = '0195f0a0-0000-7000-8000-000000000011';
  const c = '0195f0a0-0000-7000-8000-000000000012';
  const payin = (key: string, at: string, gross: bigint) =>
    sdb.prisma.$transaction((tx) =>
      postTransaction(tx, {
        kind: 'PAYIN_SUCCESS',
        idempotencyKey: key,
        test: false,
        occurredAt: new Date(at),
        lines: [
          { account: channelAccount(c, 'THB'), amount: -gross },
          { account: merchantAccount(m, 'THB', 'AVAILABLE'), amount: gross },
        ],
      }),
    );

  beforeAll(async () => {
    sdb = await createTestDatabase();
    await sdb.prisma.currency.create({ data: { code: 'THB', name: 'Thai baht', digits: 2 } });
    await sdb.prisma.merchant.create({ data: { id: m, mchId: '1234567891', name: 'M', timezone: 'Asia/Bangkok' } });
    await sdb.prisma.channel.create({ data: { id: c, code: 'C2', name: 'C2', connector: 'sandbox', currencyCode: 'THB' } });
    await payin('p1', '2026-01-01T10:00:00Z', 10_00n);
    await payin('p2', '2026-01-02T10:00:00Z', 20_00n);
    await payin('p3', '2026-01-03T10:00:00Z', 40_00n);
    await buildDailyStatements(sdb.prisma, { date: '2026-01-01', toDate: '2026-01-03', now: new Date('2026-02-01T00:00:00Z') });
  });

  afterAll(async () => {
    await sdb?.drop();
  });

  it('passes on built statements and catches a tampered one', async () => {
    expect(await sdb.prisma.dailyStatement.count()).toBe(3);
    expect(await checkLedgerInvariants(sdb.prisma)).toEqual([]);
    await sdb.prisma.$executeRaw`UPDATE daily_statements SET closing = closing - 1 WHERE date = '2026-01-02'`;
    const violations = await checkLedgerInvariants(sdb.prisma);
    expect(violations.map((v) => v.rule).sort()).toEqual(['STATEMENT_CHAIN_BROKEN', 'STATEMENT_NOT_BALANCED']);
    expect(violations[0]!.detail).toContain('1234567891 THB AVAILABLE 2026-01-0');
  });
});
