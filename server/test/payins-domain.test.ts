import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Merchant, MerchantService, Service } from '../src/generated/prisma/client.ts';
import { DomainError } from '../src/lib/errors.ts';
import { computeFee } from '../src/lib/money.ts';
import { merchantBalances, merchantAccount, platformAccount, postTransaction } from '../src/modules/ledger/ledger.service.ts';
import { applyUpstreamPayment } from '../src/modules/payins/operations/apply-upstream-payment.ts';
import { closePayin } from '../src/modules/payins/operations/close-payin.ts';
import { createPayin, type CreatePayinInput } from '../src/modules/payins/operations/create-payin.ts';
import { expirePayins } from '../src/modules/payins/operations/expire-payins.ts';
import { releaseDueSettlements } from '../src/modules/payins/operations/release-settlements.ts';
import { reversePayin } from '../src/modules/payins/operations/reverse-payin.ts';
import { simulateCallback } from '../src/modules/payins/operations/simulate-callback.ts';
import { submitPayer } from '../src/modules/payins/operations/submit-payer.ts';
import { getPayin, getPayinForCashier } from '../src/modules/payins/payins.service.ts';
import { activateService, bindChannel, createChannel, createMerchant, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { ledgerInvariants, payinServices } from './support/payin-services.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

let db: TestDatabase;
let services: ReturnType<typeof payinServices>;
let merchant: Merchant;
let service: Service;
let ms: MerchantService;
let channel: Channel;

const FEE_PPM = 25_000n; // 2.5 %
const FEE_FIXED = 100n; // 1.00 THB

beforeAll(async () => {
  db = await createTestDatabase();
  services = payinServices(db.prisma);
  const p = db.prisma;
  await ensureCurrency(p, 'THB', 2);
  await ensureCurrency(p, 'USD', 2);
  merchant = await createMerchant(p);
  service = await createService(p, { code: 'THB_BANK', currencyCode: 'THB', requiredFields: ['payer_name'] });
  ms = await activateService(p, merchant.id, service.id, {
    singleLimitLower: 10_000n, // 100.00
    singleLimitUpper: 5_000_000n, // 50,000.00
    feeRatePpm: FEE_PPM,
    feeFixed: FEE_FIXED,
  });
  channel = await createChannel(p, { code: 'SBX_THB', currencyCode: 'THB', settings: { delayMs: 5000, successRate: 1 } }, { secrets: services.secrets });
  await bindChannel(p, channel.id, service.id);
});

afterAll(async () => {
  await services?.events.close();
  await db?.drop();
});

let serial = 0;
function input(params: Record<string, unknown> = {}, extra: Partial<CreatePayinInput> = {}): CreatePayinInput {
  return {
    merchantId: merchant.id,
    mchId: merchant.mchId,
    appDbId: null,
    test: true,
    defaultNotifyUrl: 'https://merchant.example/notify',
    creationType: 'AUTO',
    params: { out_trade_no: `T${Date.now()}_${++serial}`, amount: '100.00', currency: 'THB', payer_name: 'Somchai', ...params },
    ...extra,
  };
}

it('needs the payer fields up front for back-office orders; API orders leave them to the cashier', async () => {
  const manual = await domainError(createPayin(services, input({ payer_name: undefined }, { creationType: 'MANUAL' })));
  expect(manual.code).toBe('INVALID_PARAMETER');
  expect(manual.details?.field).toBe('payer_name');
  const api = await createPayin(services, input({ payer_name: undefined }));
  expect(api.created).toBe(true);
  const refused = await domainError(submitPayer(services, { prepayId: api.order.prepayId }));
  expect(refused.details?.field).toBe('payer_name');
});

async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const pay = (orderNo: string, txnId: string, amount: bigint, status: 'PAID' | 'FAILED' | 'REVERSED' = 'PAID') =>
  applyUpstreamPayment(services, {
    channelId: channel.id,
    channelCode: channel.code,
    orderRef: orderNo,
    status,
    payments: status === 'PAID' ? [{ txnId, amount, paidAt: new Date() }] : [],
  });

const events = async (orderId: string) =>
  (await db.prisma.orderEvent.findMany({ where: { orderId }, orderBy: { id: 'asc' } })).map((e) => e.type);

// The orders of these tests are test orders (input() below): their money lives in the test book.
const available = async () => (await merchantBalances(db.prisma, merchant.id, true, 'THB'))[0]?.available ?? 0n;

describe('create payin', () => {
  it('creates a PENDING order with instructions and a timeline', async () => {
    const result = await createPayin(services, input({ out_trade_no: 'ORDER-1', amount: '150.00', attach: 'x=1' }));
    expect(result.created).toBe(true);
    expect(result.object).toMatchObject({
      mch_id: merchant.mchId,
      out_trade_no: 'ORDER-1',
      status: 'PENDING',
      amount: '150.00',
      paid_amount: '0.00',
      fee: '0.00',
      currency: 'THB',
      chain: null,
      service: 'THB_BANK',
      attach: 'x=1',
      test: true,
      paid_at: null,
      payments: [],
      sequence: 1,
    });
    expect(result.object.order_no).toMatch(/^P\d{20}$/);
    expect(result.prepayment).toMatchObject({ prepay_id: result.order.prepayId, status: 'PENDING', amount: '150.00', currency: 'THB' });
    expect(result.prepayment.payment_url).toBe(`http://payrail.test/pay/order?prepay_id=${result.order.prepayId}`);
    expect(result.order.instructions).toMatchObject({ type: 'bank', reference: result.order.orderNo.slice(-10), amount: '150.00' });
    expect(result.order.upstreamRef).toMatch(/^SBX/);
    expect(result.order.notifyUrl).toBe('https://merchant.example/notify');
    expect(await events(result.order.id)).toEqual(['CREATED', 'ROUTED', 'UPSTREAM_CREATED']);
    const routed = await db.prisma.orderEvent.findFirst({ where: { orderId: result.order.id, type: 'ROUTED' } });
    expect(routed?.data).toMatchObject({ chosen: 'SBX_THB', amount: '150.00', candidates: [{ channel: 'SBX_THB', excluded: null }] });
  });

  it('returns the same order for an identical repeat (number or string amount, defaults spelled out)', async () => {
    const again = await createPayin(services, input({ out_trade_no: 'ORDER-1', amount: 150, attach: 'x=1', locale: 'en', expire_second: 3600 }));
    expect(again.created).toBe(false);
    expect(again.object.out_trade_no).toBe('ORDER-1');
    expect(await db.prisma.order.count({ where: { outTradeNo: 'ORDER-1' } })).toBe(1);
  });

  it('refuses the same out_trade_no with a different parameter (IDEMPOTENCY_CONFLICT), changing nothing', async () => {
    const error = await domainError(createPayin(services, input({ out_trade_no: 'ORDER-1', amount: '151.00', attach: 'x=1' })));
    expect(error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await getPayin(db.prisma, merchant.id, { outTradeNo: 'ORDER-1' })).object.amount).toBe('150.00');
  });

  it('returns the existing order on repeat even when the decision would now fail', async () => {
    await db.prisma.merchantService.update({ where: { id: ms.id }, data: { status: 'DISABLED' } });
    try {
      expect((await createPayin(services, input({ out_trade_no: 'ORDER-1', amount: '150.00', attach: 'x=1' }))).created).toBe(false);
      expect((await domainError(createPayin(services, input()))).code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await db.prisma.merchantService.update({ where: { id: ms.id }, data: { status: 'ENABLED' } });
    }
  });

  it('makes one order of 50 concurrent identical creates', async () => {
    const params = { out_trade_no: 'CONCURRENT-1', amount: '250.00' };
    const results = await Promise.all(Array.from({ length: 50 }, () => createPayin(services, input(params))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.object.order_no)).size).toBe(1);
    expect(await db.prisma.order.count({ where: { outTradeNo: 'CONCURRENT-1' } })).toBe(1);
    expect(await db.prisma.orderEvent.count({ where: { order: { outTradeNo: 'CONCURRENT-1' }, type: 'CREATED' } })).toBe(1);
  });

  it.each([
    [{ out_trade_no: 'bad no!' }, 'INVALID_PARAMETER', 'out_trade_no'],
    [{ out_trade_no: 'x'.repeat(65) }, 'INVALID_PARAMETER', 'out_trade_no'],
    [{ expire_second: 59 }, 'INVALID_PARAMETER', 'expire_second'],
    [{ expire_second: 86_401 }, 'INVALID_PARAMETER', 'expire_second'],
    [{ expire_second: 600.5 }, 'INVALID_PARAMETER', 'expire_second'],
    [{ amount: '100.001' }, 'INVALID_AMOUNT', 'amount'],
    [{ amount: '0' }, 'INVALID_AMOUNT', 'amount'],
    [{ amount: '-5' }, 'INVALID_AMOUNT', 'amount'],
    [{ amount: undefined }, 'INVALID_AMOUNT', 'amount'],
    [{ currency: undefined }, 'INVALID_PARAMETER', 'currency'],
    [{ attach: 'a'.repeat(513) }, 'INVALID_PARAMETER', 'attach'],
    [{ description: 'd'.repeat(257) }, 'INVALID_PARAMETER', 'description'],
    [{ locale: 'fr' }, 'INVALID_PARAMETER', 'locale'],
    [{ notify_url: 'ftp://x.example/n' }, 'INVALID_PARAMETER', 'notify_url'],
    [{ return_url: 'not a url' }, 'INVALID_PARAMETER', 'return_url'],
    [{ notify_url: `https://x.example/${'p'.repeat(1020)}` }, 'INVALID_PARAMETER', 'notify_url'],
    [{ order_type: 'other' }, 'INVALID_PARAMETER', 'order_type'],
    [{ order_type: 'merchant_order' }, 'INVALID_PARAMETER', 'to_address'],
    [{ payer_phone: 12345 }, 'INVALID_PARAMETER', 'payer_phone'],
    [{ user_id: 'u'.repeat(129) }, 'INVALID_PARAMETER', 'user_id'],
    [{ service: 'THB_BANK', currency: 'USD' }, 'INVALID_PARAMETER', 'currency'],
  ])('rejects %o with %s (field %s)', async (params, code, field) => {
    const error = await domainError(createPayin(services, input(params as Record<string, unknown>)));
    expect(error.code).toBe(code);
    expect(error.details?.field).toBe(field);
  });

  it('rejects an amount outside the available range with min/max, and unknown services', async () => {
    const error = await domainError(createPayin(services, input({ amount: '99.99' })));
    expect(error.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(error.details).toEqual({ min: '100.00', max: '50000.00' });
    expect((await domainError(createPayin(services, input({ service: 'NOPE' })))).code).toBe('SERVICE_UNAVAILABLE');
    expect((await domainError(createPayin(services, input({ currency: 'XXX' })))).code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('close, submit, cashier', () => {
  it('closes an unpaid order once; a second close is INVALID_TRANSITION', async () => {
    const { order } = await createPayin(services, input());
    const closed = await closePayin(services, { merchantId: merchant.id, outTradeNo: order.outTradeNo, actor: { type: 'APP' } });
    expect(closed.object).toMatchObject({ status: 'CLOSED', sequence: 2 });
    expect(await events(order.id)).toContain('CLOSED');
    const deliveries = await db.prisma.delivery.findMany({ where: { orderId: order.id } });
    expect(deliveries.map((d) => [d.sequence, JSON.parse(d.body).data.status])).toEqual([[2, 'CLOSED']]);
    expect(services.published).toContainEqual({ id: order.id, merchantId: merchant.id, status: 'CLOSED', sequence: 2 });
    const again = await domainError(closePayin(services, { merchantId: merchant.id, outTradeNo: order.outTradeNo, actor: { type: 'APP' } }));
    expect(again.code).toBe('INVALID_TRANSITION');
    expect(again.details).toEqual({ from: 'CLOSED', to: 'CLOSED' });
    expect((await domainError(closePayin(services, { merchantId: merchant.id, outTradeNo: 'nope', actor: { type: 'APP' } }))).code).toBe('ORDER_NOT_FOUND');
  });

  it('submits the payer (PENDING → PROCESSING, fills missing payer fields) and schedules the sandbox callback', async () => {
    const { order } = await createPayin(services, input());
    const cashier = await getPayinForCashier(db.prisma, order.prepayId);
    expect(cashier).toMatchObject({ status: 'PENDING', amount: '100.00', currency: 'THB', missingFields: [], instructions: { type: 'bank' } });
    const submitted = await submitPayer(services, { prepayId: order.prepayId, payer: { payer_name: 'Other', payer_account: '123456' }, random: () => 0 });
    expect(submitted.object).toMatchObject({ status: 'PROCESSING', sequence: 2 });
    expect(submitted.order.payerName).toBe('Somchai'); // given ones are never overwritten
    expect(submitted.order.payerAccount).toBe('123456');
    expect(submitted.simulation?.outcome).toBe('success');
    const jobs = await db.prisma.$queryRaw<{ payload: { channel: string; body: string } }[]>`
      SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'sandbox:deliver'`;
    expect(jobs.some((j) => JSON.parse(j.payload.body).merchant_order_no === order.orderNo)).toBe(true);
    expect((await domainError(submitPayer(services, { prepayId: order.prepayId }))).code).toBe('INVALID_TRANSITION');
    expect((await domainError(getPayinForCashier(db.prisma, 'f'.repeat(64)))).code).toBe('ORDER_NOT_FOUND');
  });
});

describe('upstream payments and the ledger', () => {
  it('accumulates two payments, ignores a duplicate, records an overpay, credits net of fee', async () => {
    const { order } = await createPayin(services, input({ amount: '100.00' }));
    const first = await pay(order.orderNo, 'TXN-A1', 4_000n);
    expect(first.outcome).toBe('APPLIED');
    expect(first.order).toMatchObject({ status: 'PROCESSING', accumulationStatus: 'IN_PROGRESS', paidAmount: 4_000n, sequence: 2 });
    expect(await available()).toBe(0n); // nothing credited while accumulating

    const duplicate = await pay(order.orderNo, 'TXN-A1', 4_000n);
    expect(duplicate.outcome).toBe('DUPLICATE');
    expect(duplicate.order.paidAmount).toBe(4_000n);

    const second = await pay(order.orderNo, 'TXN-A2', 7_000n);
    expect(second.outcome).toBe('APPLIED');
    const fee = computeFee(11_000n, FEE_PPM, FEE_FIXED); // 275 + 100
    expect(fee).toBe(375n);
    expect(second.order).toMatchObject({ status: 'SUCCEEDED', accumulationStatus: 'COMPLETED', paidAmount: 11_000n, fee, sequence: 3 });
    expect(second.order.paidAt).toBeInstanceOf(Date);
    const object = (await getPayin(db.prisma, merchant.id, { outTradeNo: order.outTradeNo })).object;
    expect(object).toMatchObject({ status: 'SUCCEEDED', amount: '100.00', paid_amount: '110.00', fee: '3.75' });
    expect(object.payments.map((p) => [p.txn_id, p.amount])).toEqual([
      ['TXN-A1', '40.00'],
      ['TXN-A2', '70.00'],
    ]);
    expect(await events(order.id)).toEqual(
      expect.arrayContaining(['PAYMENT_RECEIVED', 'ACCUMULATING', 'OVERPAID', 'SUCCEEDED']),
    );

    expect(await available()).toBe(11_000n - fee);
    const fees = await db.prisma.ledgerAccount.findFirst({ where: { ownerType: 'PLATFORM', kind: 'FEES', currencyCode: 'THB', test: true } });
    expect(fees?.balance).toBe(fee);
    const channelBalance = await db.prisma.ledgerAccount.findFirst({ where: { ownerType: 'CHANNEL', ownerId: channel.id, test: true } });
    expect(channelBalance?.balance).toBe(-11_000n);
    expect(await ledgerInvariants(db.prisma)).toEqual({ totalSum: 0n, mismatched: 0 });

    // out of order: FAILED after SUCCEEDED is ignored (timeline note), a repeated payment is a no-op
    const late = await pay(order.orderNo, '', 0n, 'FAILED');
    expect(late.outcome).toBe('IGNORED');
    expect(late.order.status).toBe('SUCCEEDED');
    expect(await events(order.id)).toContain('CALLBACK_IGNORED');
    expect((await pay(order.orderNo, 'TXN-A2', 7_000n)).outcome).toBe('DUPLICATE');

    // callbacks went out for each status change, in sequence
    const deliveries = await db.prisma.delivery.findMany({ where: { orderId: order.id }, orderBy: { sequence: 'asc' } });
    expect(deliveries.map((d) => [d.sequence, JSON.parse(d.body).data.status])).toEqual([
      [2, 'PROCESSING'],
      [3, 'SUCCEEDED'],
    ]);

    // status reversal: every posting negated, merchant back where it was
    const before = await available();
    const reversed = await reversePayin(services, { key: { id: order.id }, actor: { type: 'USER', id: 'staff' }, reason: 'chargeback' });
    expect(reversed.object).toMatchObject({ status: 'REVERSED', sequence: 4 });
    expect(await available()).toBe(before - (11_000n - fee));
    expect((await db.prisma.payment.findMany({ where: { orderId: order.id } })).every((p) => p.status === 'REVERSED')).toBe(true);
    expect(await ledgerInvariants(db.prisma)).toEqual({ totalSum: 0n, mismatched: 0 });
    const net = await db.prisma.$queryRaw<{ sum: bigint }[]>`
      SELECT COALESCE(SUM(e.amount), 0)::bigint AS sum FROM ledger_entries e JOIN ledger_transactions t ON t.id = e."transactionId"
      JOIN ledger_accounts a ON a.id = e."accountId"
      WHERE t."referenceId" = ${order.id} AND a."ownerType" = 'MERCHANT'`;
    expect(net[0]?.sum).toBe(0n);
    expect((await domainError(reversePayin(services, { key: { id: order.id }, actor: { type: 'SYSTEM' } }))).code).toBe('INVALID_TRANSITION');
    // a duplicate upstream reversal is a no-op
    expect((await pay(order.orderNo, '', 0n, 'REVERSED')).outcome).toBe('DUPLICATE');
  });

  it('pays directly from PENDING in one payment and fails an unpaid order', async () => {
    const { order } = await createPayin(services, input({ amount: '200.00' }));
    const paid = await pay(order.orderNo, 'TXN-B1', 20_000n);
    expect(paid.order).toMatchObject({ status: 'SUCCEEDED', sequence: 2, paidAmount: 20_000n });

    const other = await createPayin(services, input());
    const failed = await pay(other.order.orderNo, '', 0n, 'FAILED');
    expect(failed.order).toMatchObject({ status: 'FAILED', sequence: 2 });
    expect((await pay(other.order.orderNo, '', 0n, 'FAILED')).outcome).toBe('DUPLICATE');
  });

  it('refuses a reversal the merchant cannot cover (INSUFFICIENT_BALANCE) and changes nothing', async () => {
    const { order } = await createPayin(services, input({ amount: '300.00' }));
    await pay(order.orderNo, 'TXN-C1', 30_000n);
    const all = await available();
    // the merchant spends everything (e.g. a withdrawal): move it out of AVAILABLE
    await postTransaction(db.prisma, {
      kind: 'TEST_SPEND',
      idempotencyKey: `test-spend-${order.id}`,
      test: true,
      lines: [
        { account: merchantAccount(merchant.id, 'THB', 'AVAILABLE'), amount: -all },
        { account: platformAccount('THB', 'CLEARING'), amount: all },
      ],
    });
    const error = await domainError(reversePayin(services, { key: { id: order.id }, actor: { type: 'SYSTEM' } }));
    expect(error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await getPayin(db.prisma, merchant.id, { outTradeNo: order.outTradeNo })).object.status).toBe('SUCCEEDED');
    // give it back so later balances add up
    await postTransaction(db.prisma, {
      kind: 'TEST_SPEND',
      idempotencyKey: `test-unspend-${order.id}`,
      test: true,
      lines: [
        { account: merchantAccount(merchant.id, 'THB', 'AVAILABLE'), amount: all },
        { account: platformAccount('THB', 'CLEARING'), amount: -all },
      ],
    });
  });

  it('credits a payment arriving after expiry or success at once (late payment), status unchanged', async () => {
    const { order } = await createPayin(services, input({ amount: '100.00' }));
    await pay(order.orderNo, 'TXN-D1', 10_000n);
    const before = await available();
    const extra = await pay(order.orderNo, 'TXN-D2', 1_000n);
    expect(extra.order).toMatchObject({ status: 'SUCCEEDED', paidAmount: 11_000n, fee: computeFee(11_000n, FEE_PPM, FEE_FIXED) });
    const feeDelta = computeFee(11_000n, FEE_PPM, FEE_FIXED) - computeFee(10_000n, FEE_PPM, FEE_FIXED);
    expect(await available()).toBe(before + 1_000n - feeDelta);
    expect(await events(order.id)).toEqual(expect.arrayContaining(['LATE_PAYMENT', 'OVERPAID']));
    expect(await ledgerInvariants(db.prisma)).toEqual({ totalSum: 0n, mismatched: 0 });
  });
});

describe('expiry and T+N settlement', () => {
  it('expires open orders past expireAt in batches; an underpaid one gets what it received credited', async () => {
    const unpaid = await createPayin(services, input({ expire_second: 60 }));
    const partial = await createPayin(services, input({ amount: '500.00', expire_second: 60 }));
    const fresh = await createPayin(services, input({ expire_second: 3600 }));
    await pay(partial.order.orderNo, 'TXN-E1', 20_000n);
    const before = await available();

    const { expired } = await expirePayins(services, { now: new Date(Date.now() + 120_000), batchSize: 1 });
    expect(expired).toBeGreaterThanOrEqual(2);
    const status = async (id: string) => (await db.prisma.order.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(unpaid.order.id)).toBe('EXPIRED');
    expect(await status(fresh.order.id)).toBe('PENDING');
    const p = await db.prisma.order.findUniqueOrThrow({ where: { id: partial.order.id } });
    const fee = computeFee(20_000n, FEE_PPM, FEE_FIXED);
    expect(p).toMatchObject({ status: 'EXPIRED', paidAmount: 20_000n, fee, paidAt: null, sequence: 3 });
    expect(await available()).toBe(before + 20_000n - fee);
    const note = await db.prisma.orderEvent.findFirst({ where: { orderId: partial.order.id, type: 'EXPIRED' } });
    expect(note?.message).toContain('200.00 of 500.00 THB received');
    expect(await ledgerInvariants(db.prisma)).toEqual({ totalSum: 0n, mismatched: 0 });
    expect((await expirePayins(services, { now: new Date(Date.now() + 120_000) })).expired).toBe(0);
  });

  it('holds the net of a T+N service as PENDING and releases it when due', async () => {
    const m2 = await createMerchant(db.prisma, 'T+1 merchant');
    await activateService(db.prisma, m2.id, service.id, { settlementDays: 1, feeRatePpm: 10_000n });
    const { order } = await createPayin(services, { ...input({ amount: '1000.00' }), merchantId: m2.id, mchId: m2.mchId });
    await pay(order.orderNo, 'TXN-F1', 100_000n);
    const [b1] = await merchantBalances(db.prisma, m2.id, true, 'THB');
    expect(b1).toMatchObject({ available: 0n, pending: 99_000n });
    const pending = await db.prisma.pendingSettlement.findUniqueOrThrow({ where: { orderId: order.id } });
    expect(pending.amount).toBe(99_000n);
    expect(pending.releaseAt.getTime() - order.createdAt.getTime()).toBeGreaterThan(86_000_000);

    expect((await releaseDueSettlements(services, { now: new Date() })).released).toBe(0);
    expect((await releaseDueSettlements(services, { now: new Date(Date.now() + 2 * 86_400_000) })).released).toBe(1);
    const [b2] = await merchantBalances(db.prisma, m2.id, true, 'THB');
    expect(b2).toMatchObject({ available: 99_000n, pending: 0n });

    // a reversal after release takes it back from AVAILABLE, exactly
    await reversePayin(services, { key: { id: order.id }, actor: { type: 'SYSTEM' } });
    const [b3] = await merchantBalances(db.prisma, m2.id, true, 'THB');
    expect(b3).toMatchObject({ available: 0n, pending: 0n });
    expect(await ledgerInvariants(db.prisma)).toEqual({ totalSum: 0n, mismatched: 0 });
  });
});

describe('simulate callback', () => {
  it('is for test orders in progress only, on sandbox channels', async () => {
    const live = await createPayin(services, input({}, { test: false }));
    expect((await domainError(simulateCallback(services, { key: { id: live.order.id }, outcome: 'success', actor: { type: 'USER' } }))).code).toBe(
      'TEST_ORDER_REQUIRED',
    );
    const { order } = await createPayin(services, input());
    const scheduled = await simulateCallback(services, { key: { id: order.id }, outcome: 'failure', actor: { type: 'USER', id: 'staff' } });
    expect(scheduled.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await events(order.id)).toContain('CALLBACK_SIMULATED');
    expect(
      (await domainError(simulateCallback(services, { key: { id: order.id }, outcome: 'reversal', actor: { type: 'USER' } }))).code,
    ).toBe('INVALID_TRANSITION');
  });
});

describe('remote connectors (built to fail, in test helpers)', () => {
  it('calls a remote connector after commit: instructions attached on success, FAILED when it throws', async () => {
    const { registerConnector, sandboxLike } = await import('./support/test-connectors.ts');
    registerConnector(sandboxLike('remote-ok', { fail: false }));
    registerConnector(sandboxLike('remote-down', { fail: true }));
    const remoteService = await createService(db.prisma, { code: 'THB_REMOTE', currencyCode: 'THB' });
    await activateService(db.prisma, merchant.id, remoteService.id);
    const ok = await createChannel(db.prisma, { code: 'REMOTE_OK', currencyCode: 'THB', connector: 'remote-ok' });
    const down = await createChannel(db.prisma, { code: 'REMOTE_DOWN', currencyCode: 'THB', connector: 'remote-down' });
    await bindChannel(db.prisma, ok.id, remoteService.id, { priority: 0 });
    await bindChannel(db.prisma, down.id, remoteService.id, { priority: 1 });

    const good = await createPayin(services, input({ service: 'THB_REMOTE' }));
    expect(good.order).toMatchObject({ status: 'PENDING', upstreamRef: 'REMOTE-REF' });
    expect(await events(good.order.id)).toEqual(['CREATED', 'ROUTED', 'UPSTREAM_CREATED']);

    await db.prisma.channel.update({ where: { id: ok.id }, data: { status: 'DISABLED' } });
    const bad = await createPayin(services, input({ service: 'THB_REMOTE' }));
    expect(bad.created).toBe(true);
    expect(bad.order).toMatchObject({ status: 'FAILED', sequence: 2, instructions: null });
    expect(await events(bad.order.id)).toEqual(['CREATED', 'ROUTED', 'UPSTREAM_CREATE_FAILED']);
  });
});
