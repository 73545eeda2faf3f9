import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { balancesOf, channelBalance, fundChannel, fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Issue #4's race: 1,000 payouts against a balance that covers exactly 100 of them, sent over many
 * HTTP connections at once into a server with a 20-connection database pool. Exactly 100 are accepted,
 * the other 900 get 40903 with a clear message, and the money adds up to the last minor unit.
 */

const TOTAL = 1000;
const COVERED = 100;
const CONCURRENCY = 64;
const AMOUNT = 123_45n; // 123.45 THB
const FEE = 3_23n; // 1 % of 123.45 = 1.2345 → 1.23, + 2.00 fixed

let env: TestEnvironment;
let merchant: MerchantFixture;
let channelId: string;

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true, env: { DB_POOL_SIZE: '20', RATE_LIMIT_PER_SECOND: '0', WORKER_CONCURRENCY: '4' } });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  merchant = await createMerchantFixture(db, env.services.secrets);
  const service = await createService(db, { code: 'THB_RACE_PAYOUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account'] });
  await activateService(db, merchant.merchant.id, service.id, { feeRatePpm: 10_000n, feeFixed: 2_00n });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 50 } }, { secrets: env.services.secrets });
  channelId = channel.id;
  await bindChannel(db, channel.id, service.id);
  await fundMerchant(db, merchant.merchant.id, channel.id, 'THB', BigInt(COVERED) * (AMOUNT + FEE));
  await fundChannel(db, channel.id, 'THB', 10_000_000_00n);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

describe('1,000 concurrent payouts against a balance for 100', () => {
  it('accepts exactly 100, refuses 900 with 40903, and the ledger balances', async () => {
    const channelBefore = await channelBalance(env.prisma, channelId, 'THB');
    const client = merchant.client(env.url);
    const codes: number[] = [];
    const messages = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const res = await client.post('/v1/payout/create', {
          out_trade_no: `RACE-${i}`,
          amount: '123.45',
          currency: 'THB',
          service: 'THB_RACE_PAYOUT',
          recipient_name: 'Race Recipient',
          recipient_account: `ACC${String(i).padStart(6, '0')}`,
        });
        codes.push(res.body.code);
        if (res.body.code !== 0) messages.add(res.body.msg);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(codes).toHaveLength(TOTAL);
    expect(codes.filter((c) => c === 0)).toHaveLength(COVERED);
    expect(codes.filter((c) => c === 40903)).toHaveLength(TOTAL - COVERED);
    for (const msg of messages) expect(msg).toMatch(/^insufficient available balance: [0-9]+\.[0-9]{2} THB available, 126\.68 THB needed \(amount \+ fee\)$/);
    expect(await env.prisma.payout.count({ where: { merchantId: merchant.merchant.id } })).toBe(COVERED);

    // Let the worker submit and settle all of them.
    const deadline = Date.now() + 120_000;
    while ((await env.prisma.payout.count({ where: { merchantId: merchant.merchant.id, status: 'SUCCEEDED' } })) < COVERED) {
      if (Date.now() > deadline) throw new Error('payouts did not settle in time');
      await new Promise((r) => setTimeout(r, 250));
    }

    expect(await balancesOf(env.prisma, merchant.merchant.id, 'THB')).toEqual({ available: 0n, frozen: 0n });
    const fees = await env.prisma.ledgerAccount.findUniqueOrThrow({
      where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'PLATFORM', ownerId: 'platform', currencyCode: 'THB', kind: 'FEES', test: false } },
    });
    expect(fees.balance).toBe(BigInt(COVERED) * FEE);
    expect(channelBefore - (await channelBalance(env.prisma, channelId, 'THB'))).toBe(BigInt(COVERED) * AMOUNT);
    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);
  }, 240_000);
});
