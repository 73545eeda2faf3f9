import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../src/lib/errors.ts';
import type { AuditActor } from '../src/modules/audit/audit.service.ts';
import { approveFundRequest } from '../src/modules/funds/operations/approve-fund-request.ts';
import { createTransfer } from '../src/modules/funds/operations/create-fund-request.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { applyUpstreamPayment } from '../src/modules/payins/operations/apply-upstream-payment.ts';
import { createPayin } from '../src/modules/payins/operations/create-payin.ts';
import { reversePayin } from '../src/modules/payins/operations/reverse-payin.ts';
import { createPayout } from '../src/modules/payouts/operations/create-payout.ts';
import { submitPayout } from '../src/modules/payouts/operations/submit-payout.ts';
import { reconcileOne } from '../src/modules/payouts/operations/reconcile-payouts.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundChannel } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Issue #4: payins, payouts, reversals and transfers run concurrently for a while on a few hot accounts
 * (two merchants, one channel, the platform fee account), then the ledger must hold every invariant
 * and the books must agree with the business records: each merchant's FROZEN balance equals what its
 * open payouts and open transfers hold, and every payin's entries net to what its status says.
 * Expected refusals (insufficient balance, a reversal losing to a payout for the same money) are fine;
 * any other error fails the test.
 */

const ROUNDS = 6;
const PER_ROUND = 24;

let env: TestEnvironment;
let a: MerchantFixture;
let b: MerchantFixture;
let channelId: string;
const staff: AuditActor = { type: 'USER', id: '0195f0a0-0000-7000-8000-00000000aaaa', label: 'finance@test' };
const succeeded: Array<{ merchantId: string; id: string }> = [];
const counts = { payins: 0, reversals: 0, payouts: 0, transfers: 0, refused: 0 };

beforeAll(async () => {
  env = await createTestEnvironment({ env: { DB_POOL_SIZE: '16' } });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  a = await createMerchantFixture(db, env.services.secrets);
  b = await createMerchantFixture(db, env.services.secrets);
  const payin = await createService(db, { code: 'THB_HOT_IN', currencyCode: 'THB' });
  const payout = await createService(db, { code: 'THB_HOT_OUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account'] });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0, payoutCallbacks: false } }, { secrets: env.services.secrets });
  channelId = channel.id;
  for (const id of [payin.id, payout.id]) await bindChannel(db, channel.id, id);
  for (const m of [a, b]) {
    await activateService(db, m.merchant.id, payin.id, { feeRatePpm: 15_000n, feeFixed: 1_00n });
    await activateService(db, m.merchant.id, payout.id, { feeRatePpm: 5_000n, feeFixed: 3_00n });
  }
  await fundChannel(db, channel.id, 'THB', 100_000_000n);
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const amount = () => `${100 + Math.floor(Math.random() * 900)}.${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;

async function payin(m: MerchantFixture): Promise<void> {
  const created = await createPayin(env.services, {
    merchantId: m.merchant.id, mchId: m.mchId, appDbId: null, test: false, defaultNotifyUrl: null, creationType: 'AUTO',
    params: { out_trade_no: `HOT-IN-${randomUUID()}`, amount: amount(), currency: 'THB', service: 'THB_HOT_IN' },
  });
  await applyUpstreamPayment(env.services, {
    channelId, orderRef: created.order.orderNo, status: 'PAID',
    payments: [{ txnId: `T-${randomUUID()}`, amount: created.order.amount, paidAt: new Date() }],
  });
  succeeded.push({ merchantId: m.merchant.id, id: created.order.id });
  counts.payins++;
}

async function reversal(): Promise<void> {
  const target = succeeded.splice(Math.floor(Math.random() * succeeded.length), 1)[0];
  if (!target) return;
  await reversePayin(env.services, { key: { id: target.id }, actor: { type: 'USER', id: staff.id ?? null }, reason: 'concurrency test' });
  counts.reversals++;
}

async function payout(m: MerchantFixture): Promise<void> {
  const created = await createPayout(env.services, {
    merchantId: m.merchant.id, mchId: m.mchId, appDbId: null, test: false, defaultNotifyUrl: null, creationType: 'AUTO',
    params: { out_trade_no: `HOT-OUT-${randomUUID()}`, amount: amount(), currency: 'THB', service: 'THB_HOT_OUT', recipient_name: pick(['Ann', 'SANDBOX FAIL']), recipient_account: '12345678' },
  });
  counts.payouts++;
  // Half are sent and resolved by querying the sandbox right away; the rest stay in flight (frozen).
  if (Math.random() < 0.5) {
    await submitPayout(env.services, created.payout.id);
    await reconcileOne(env.services, created.payout.id);
  }
}

async function transfer(from: MerchantFixture, to: MerchantFixture): Promise<void> {
  const created = await createTransfer(env.services, { merchantId: from.merchant.id, currency: 'THB', amount: amount(), targetMchId: to.mchId, actor: staff });
  counts.transfers++;
  if (Math.random() < 0.6) await approveFundRequest(env.services, { request: { id: created.request.id }, actor: staff, note: null });
}

describe('payins, payouts, reversals and transfers at once on hot accounts', () => {
  it('keeps the ledger exact and in agreement with every business record', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ops = Array.from({ length: PER_ROUND }, (_, i) => {
        const m = i % 2 === 0 ? a : b;
        const other = m === a ? b : a;
        const r = Math.random();
        if (r < 0.4) return () => payin(m);
        if (r < 0.55) return () => reversal();
        if (r < 0.8) return () => payout(m);
        return () => transfer(m, other);
      });
      const results = await Promise.allSettled(ops.map((op) => op()));
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        if (isDomainError(r.reason, 'INSUFFICIENT_BALANCE') || isDomainError(r.reason, 'INVALID_TRANSITION')) counts.refused++;
        else throw r.reason;
      }
    }
    expect(counts.payins).toBeGreaterThan(20);
    expect(counts.payouts + counts.transfers).toBeGreaterThan(10);

    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);

    for (const m of [a, b]) {
      const frozen = await env.prisma.ledgerAccount.findUnique({
        where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'MERCHANT', ownerId: m.merchant.id, currencyCode: 'THB', kind: 'FROZEN', test: false } },
      });
      const [held] = await env.prisma.$queryRaw<{ sum: bigint | null }[]>`
        SELECT (COALESCE((SELECT SUM(amount + fee) FROM payouts WHERE "merchantId" = ${m.merchant.id}::uuid AND status IN ('REVIEW', 'PENDING', 'PROCESSING')), 0)
              + COALESCE((SELECT SUM(amount + fee) FROM fund_requests WHERE "merchantId" = ${m.merchant.id}::uuid AND status = 'NEW' AND kind IN ('WITHDRAWAL', 'TRANSFER')), 0))::bigint AS sum`;
      expect(frozen?.balance ?? 0n).toBe(BigInt(held?.sum ?? 0n));
    }

    // Every payin's postings net to: SUCCEEDED → gross taken from the channel; REVERSED → nothing.
    const mismatched = await env.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*)::bigint AS n FROM orders o
      WHERE o."merchantId" IN (${a.merchant.id}::uuid, ${b.merchant.id}::uuid)
        AND COALESCE((SELECT SUM(e.amount) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e."transactionId"
                      JOIN ledger_accounts acc ON acc.id = e."accountId"
                      WHERE t."referenceType" = 'ORDER' AND t."referenceId" = o.id::text AND acc."ownerType" = 'CHANNEL'), 0)
            <> CASE WHEN o.status = 'SUCCEEDED' THEN -o."paidAmount" ELSE 0 END`;
    expect(Number(mismatched[0]!.n)).toBe(0);
  }, 240_000);
});
