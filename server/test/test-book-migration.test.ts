import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR } from '../src/db/migrator.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { merchantBalances } from '../src/modules/ledger/ledger.service.ts';
import { applyUpstreamPayment } from '../src/modules/payins/operations/apply-upstream-payment.ts';
import { createPayin } from '../src/modules/payins/operations/create-payin.ts';
import { activateService, bindChannel, createChannel, createMerchant, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { payinServices } from './support/payin-services.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/**
 * The test-book migration (issue "Trust", defect 1): before it, test orders posted to the same accounts
 * as live ones. This test builds that old world on purpose (a live and a test order paid, then the test
 * postings put back on the live accounts as the old code wrote them), runs the migration's data step
 * as committed in prisma/migrations, and checks that the test money left the live book, that each book
 * balances on its own and that the ledger check is green.
 */

const MIGRATION = '20261207155413_test_book';

let db: TestDatabase;
let services: ReturnType<typeof payinServices>;

beforeAll(async () => {
  db = await createTestDatabase();
  services = payinServices(db.prisma);
});

afterAll(async () => {
  await services?.events.close();
  await db?.drop();
});

/** The statements after the migration's schema changes: the part that moves existing rows. */
async function dataStep(): Promise<string> {
  const sql = await readFile(path.join(DEFAULT_MIGRATIONS_DIR, MIGRATION, 'migration.sql'), 'utf8');
  const start = sql.indexOf('-- Test money moves to the test book');
  if (start < 0) throw new Error(`${MIGRATION} has no data step`);
  return sql.slice(start);
}

/** Puts every test posting back on the live accounts, as the code before the test book wrote them. */
async function recreateTheOldWorld(): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`
      INSERT INTO ledger_accounts (id, "ownerType", "ownerId", "merchantId", "channelId", "currencyCode", kind, balance, test, "createdAt", "updatedAt")
      SELECT gen_random_uuid(), t."ownerType", t."ownerId", t."merchantId", t."channelId", t."currencyCode", t.kind, 0, false, now(), now()
      FROM ledger_accounts t WHERE t.test
      ON CONFLICT ("ownerType", "ownerId", "currencyCode", kind, test) DO NOTHING`);
    await tx.$executeRawUnsafe(`
      UPDATE ledger_entries e SET "accountId" = live.id
      FROM ledger_accounts t, ledger_accounts live
      WHERE e."accountId" = t.id AND t.test AND NOT live.test
        AND live."ownerType" = t."ownerType" AND live."ownerId" = t."ownerId" AND live."currencyCode" = t."currencyCode" AND live.kind = t.kind`);
    await tx.$executeRawUnsafe(`DELETE FROM ledger_accounts WHERE test`);
    await tx.$executeRawUnsafe(`UPDATE ledger_transactions SET test = false`);
    await tx.$executeRawUnsafe(`UPDATE pending_settlements SET test = false`);
    await tx.$executeRawUnsafe(`
      UPDATE ledger_entries e SET "balanceAfter" = r.running
      FROM (SELECT id, SUM(amount) OVER (PARTITION BY "accountId" ORDER BY id) AS running FROM ledger_entries) r WHERE r.id = e.id`);
    await tx.$executeRawUnsafe(`UPDATE ledger_accounts a SET balance = COALESCE((SELECT SUM(amount) FROM ledger_entries e WHERE e."accountId" = a.id), 0)`);
  });
}

describe(`migration ${MIGRATION}`, () => {
  it('moves the postings of test orders to the test book; both books balance and the ledger check is green', async () => {
    const p = db.prisma;
    await ensureCurrency(p, 'THB', 2);
    const merchant = await createMerchant(p);
    const service = await createService(p, { code: 'THB_BANK', currencyCode: 'THB' });
    await activateService(p, merchant.id, service.id, { feeRatePpm: 10_000n, settlementDays: 0 });
    const channel = await createChannel(p, { code: 'SBX_MIG', currencyCode: 'THB', settings: { delayMs: 60_000 } }, { secrets: services.secrets });
    await bindChannel(p, channel.id, service.id);

    const params = (no: string, amount: string) => ({ mch_id: merchant.mchId, out_trade_no: no, service: 'THB_BANK', amount, currency: 'THB' });
    const base = { merchantId: merchant.id, mchId: merchant.mchId, appDbId: null, defaultNotifyUrl: null, creationType: 'MANUAL' as const };
    const live = await createPayin(services, { ...base, test: false, params: params('LIVE-1', '100.00') });
    const test = await createPayin(services, { ...base, test: true, params: params('TEST-1', '4900.00') });
    for (const [order, amount] of [[live.order, 100_00n], [test.order, 4_900_00n]] as const) {
      await applyUpstreamPayment(services, {
        channelId: channel.id, channelCode: channel.code, orderRef: order.orderNo, status: 'PAID',
        payments: [{ txnId: `TXN-${order.orderNo}`, amount, paidAt: new Date() }],
      });
    }
    const expected = { live: (await merchantBalances(p, merchant.id, false, 'THB'))[0]!, test: (await merchantBalances(p, merchant.id, true, 'THB'))[0]! };
    expect(expected.live.available).toBe(99_00n);
    expect(expected.test.available).toBe(4_851_00n);

    await recreateTheOldWorld();
    // The old world: 4,851.00 of test money counted as live.
    expect((await merchantBalances(p, merchant.id, false, 'THB'))[0]!.available).toBe(99_00n + 4_851_00n);
    expect(await checkLedgerInvariants(p)).toContainEqual(expect.objectContaining({ rule: 'TEST_MONEY_IN_LIVE_BOOK' }));

    await p.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL search_path TO public`);
      for (const statement of splitStatements(await dataStep())) await tx.$executeRawUnsafe(statement);
    });

    expect((await merchantBalances(p, merchant.id, false, 'THB'))[0]).toMatchObject({ available: 99_00n, pending: 0n, frozen: 0n });
    expect((await merchantBalances(p, merchant.id, true, 'THB'))[0]).toMatchObject({ available: 4_851_00n });
    expect(await p.ledgerTransaction.count({ where: { test: true, referenceId: test.order.id } })).toBe(1);
    expect(await p.ledgerTransaction.count({ where: { test: true, referenceId: live.order.id } })).toBe(0);
    const channelBooks = await p.ledgerAccount.findMany({ where: { ownerType: 'CHANNEL', ownerId: channel.id }, orderBy: { test: 'asc' } });
    expect(channelBooks.map((a) => [a.test, a.balance])).toEqual([[false, -100_00n], [true, -4_900_00n]]);
    expect(await checkLedgerInvariants(p)).toEqual([]);
  });
});

/** Splits the data step into statements (it has no semicolons inside literals or bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
