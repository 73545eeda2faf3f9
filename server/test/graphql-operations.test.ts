import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { balancesOf, fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Back-office mutations over real HTTP GraphQL with real session cookies: who may do what, that
 * another merchant's rows are "not found", the stable error codes, and that the money and the audit
 * log follow.
 */

let env: TestEnvironment;
let shop: MerchantFixture;
let otherShop: MerchantFixture;
let cookies: Record<'admin' | 'finance' | 'support' | 'owner' | 'viewer' | 'otherOwner', string>;
let channelId: string;

const gql = async <T = Record<string, any>>(who: keyof typeof cookies, query: string, variables?: Record<string, unknown>) => {
  const res = await env.graphql<T>(query, variables, { cookie: cookies[who] });
  return res;
};
const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;

const CREATE_PAYIN = `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { paymentUrl payin { id status orderNo } } }`;
const CREATE_PAYOUT = `mutation($input: CreateTestPayoutInput!) { createTestPayout(input: $input) { id status payoutNo } }`;

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  shop = await createMerchantFixture(db, env.services.secrets);
  otherShop = await createMerchantFixture(db, env.services.secrets);
  const payin = await createService(db, { code: 'THB_QR', currencyCode: 'THB', requiredFields: ['payer_name'] });
  const payout = await createService(db, { code: 'THB_OUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  for (const m of [shop, otherShop]) {
    await activateService(db, m.merchant.id, payin.id, { singleLimitLower: 10_00n, feeRatePpm: 20_000n });
    await activateService(db, m.merchant.id, payout.id, { feeFixed: 5_00n });
  }
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  channelId = channel.id;
  await bindChannel(db, channel.id, payin.id);
  await bindChannel(db, channel.id, payout.id);
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', 1_000_00n);
  // The back office's payouts here are test payouts: they spend the test book.
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', 1_000_00n, { test: true });
  cookies = {
    admin: (await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets })).cookie,
    finance: (await createUserFixture(db, { roleKey: 'FINANCE', totp: true, secrets: env.services.secrets })).cookie,
    support: (await createUserFixture(db, { roleKey: 'SUPPORT_AGENT', totp: true, secrets: env.services.secrets })).cookie,
    owner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id })).cookie,
    viewer: (await createUserFixture(db, { roleKey: 'MERCHANT_VIEWER', merchantId: shop.merchant.id })).cookie,
    otherOwner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: otherShop.merchant.id })).cookie,
  };
});

afterAll(async () => {
  await env?.stop();
});

const merchantGid = (id: string) => encodeGlobalID('Merchant', id);

describe('test deposits (seed 001)', () => {
  it('a merchant owner creates one for its own merchant and gets the cashier link; payer fields and limits are enforced', async () => {
    const ok = await gql('owner', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '150.00', payerName: 'Somchai' } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createTestPayin.paymentUrl).toMatch(/\/pay\/order\?prepay_id=[0-9a-f]{64}$/);
    expect(ok.data!.createTestPayin.payin.status).toBe('PENDING');
    const row = await env.prisma.order.findUniqueOrThrow({ where: { orderNo: ok.data!.createTestPayin.payin.orderNo } });
    expect(row).toMatchObject({ test: true, creationType: 'MANUAL' });

    const missing = await gql('owner', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '150.00' } });
    expect(codeOf(missing)).toBe('INVALID_PARAMETER');
    expect(missing.errors![0]!.extensions).toMatchObject({ field: 'payer_name' });
    const low = await gql('owner', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '5.00', payerName: 'x' } });
    expect(codeOf(low)).toBe('AMOUNT_OUT_OF_RANGE');
    expect(low.errors![0]!.extensions).toMatchObject({ min: '10.00', max: null });
  });

  it('a merchant user cannot create for another merchant, a viewer cannot create at all; support can for any merchant', async () => {
    const foreign = await gql('otherOwner', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '20', payerName: 'x' } });
    expect(codeOf(foreign)).toBe('MERCHANT_NOT_FOUND');
    const viewer = await gql('viewer', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '20', payerName: 'x' } });
    expect(codeOf(viewer)).toBe('FORBIDDEN');
    const support = await gql('support', CREATE_PAYIN, { input: { merchantId: merchantGid(otherShop.merchant.id), service: 'THB_QR', amount: '20', payerName: 'x' } });
    expect(support.errors).toBeUndefined();
  });
});

describe('payin manual operations', () => {
  it('simulate a success, mark fraud, and override-reverse with audit rows; other merchants get NOT_FOUND', async () => {
    const created = await gql('owner', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '200.00', payerName: 'Somchai' } });
    const orderId = created.data!.createTestPayin.payin.id as string;
    const before = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
    const liveBefore = await balancesOf(env.prisma, shop.merchant.id, 'THB');

    const stranger = await gql('otherOwner', `mutation($id: ID!) { simulatePayinCallback(id: $id, outcome: SUCCESS) { status } }`, { id: orderId });
    expect(codeOf(stranger)).toBe('ORDER_NOT_FOUND');
    const sim = await gql('owner', `mutation($id: ID!) { simulatePayinCallback(id: $id, outcome: SUCCESS) { id } }`, { id: orderId });
    expect(sim.errors).toBeUndefined();
    const deadline = Date.now() + 20_000;
    while ((await env.prisma.order.findFirstOrThrow({ where: { orderNo: created.data!.createTestPayin.payin.orderNo } })).status !== 'SUCCEEDED') {
      if (Date.now() > deadline) throw new Error('simulated payment did not arrive');
      await new Promise((r) => setTimeout(r, 100));
    }
    const credited = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
    expect(credited.available - before.available).toBe(196_00n); // 200.00 − 2 %, in the test book
    expect(await balancesOf(env.prisma, shop.merchant.id, 'THB')).toEqual(liveBefore);

    const ownerFraud = await gql('owner', `mutation($id: ID!) { setPayinOriginality(id: $id, originality: FRAUD, reason: "chargeback") { originality } }`, { id: orderId });
    expect(codeOf(ownerFraud)).toBe('FORBIDDEN');
    const fraud = await gql('support', `mutation($id: ID!) { setPayinOriginality(id: $id, originality: FRAUD, reason: "chargeback") { originality } }`, { id: orderId });
    expect(fraud.data).toEqual({ setPayinOriginality: { originality: 'FRAUD' } });

    const noReason = await gql('admin', `mutation($id: ID!) { overridePayinStatus(id: $id, status: REVERSED, reason: " ") { status } }`, { id: orderId });
    expect(codeOf(noReason)).toBe('INVALID_PARAMETER');
    const reversed = await gql('admin', `mutation($id: ID!) { overridePayinStatus(id: $id, status: REVERSED, reason: "bank recalled the transfer") { status } }`, { id: orderId });
    expect(reversed.data).toEqual({ overridePayinStatus: { status: 'REVERSED' } });
    expect(await balancesOf(env.prisma, shop.merchant.id, 'THB', true)).toEqual(before);
    const audit = await env.prisma.auditLog.findMany({ where: { action: { in: ['payin.set_originality', 'payin.override_status'] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['payin.override_status', 'payin.set_originality']);
  });
});

describe('test payouts and finance review', () => {
  it('creates a payout, finance cannot reject it once sent, admin reverses it; insufficient balance has its code', async () => {
    const created = await gql('owner', CREATE_PAYOUT, {
      input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_OUT', amount: '100.00', recipientName: 'Jane', recipientAccount: '123456789', bankCode: 'SCB' },
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createTestPayout.id as string;
    const deadline = Date.now() + 20_000;
    while ((await env.prisma.payout.findFirstOrThrow({ where: { payoutNo: created.data!.createTestPayout.payoutNo } })).status !== 'SUCCEEDED') {
      if (Date.now() > deadline) throw new Error('payout did not settle');
      await new Promise((r) => setTimeout(r, 100));
    }
    const late = await gql('finance', `mutation($id: ID!) { rejectPayout(id: $id, note: "too late") { status } }`, { id });
    expect(codeOf(late)).toBe('INVALID_TRANSITION');
    const ownerReverse = await gql('owner', `mutation($id: ID!) { reversePayout(id: $id, note: "x") { status } }`, { id });
    expect(codeOf(ownerReverse)).toBe('FORBIDDEN');
    const reversed = await gql('admin', `mutation($id: ID!) { reversePayout(id: $id, note: "returned by the bank") { status } }`, { id });
    expect(reversed.data).toEqual({ reversePayout: { status: 'REVERSED' } });

    const tooMuch = await gql('owner', CREATE_PAYOUT, {
      input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_OUT', amount: '100000.00', recipientName: 'Jane', recipientAccount: '123456789', bankCode: 'SCB' },
    });
    expect(codeOf(tooMuch)).toBe('INSUFFICIENT_BALANCE');
    expect(tooMuch.errors![0]!.message).toMatch(/THB available, 100005.00 THB needed/);
    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);
  });

  it('resending a callback needs the resend permission and a readable delivery', async () => {
    const created = await gql('owner', CREATE_PAYIN, {
      input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '50.00', payerName: 'A', notifyUrl: 'http://127.0.0.1:9/unreachable' },
    });
    const orderId = created.data!.createTestPayin.payin.id as string;
    await gql('owner', `mutation($id: ID!) { closePayin(id: $id, reason: "test") { status } }`, { id: orderId });
    const delivery = await env.prisma.delivery.findFirstOrThrow({ where: { order: { orderNo: created.data!.createTestPayin.payin.orderNo } } });
    const deliveryId = encodeGlobalID('Delivery', delivery.id);
    const viewer = await gql('viewer', `mutation($id: ID!) { resendDelivery(id: $id) { id } }`, { id: deliveryId });
    expect(codeOf(viewer)).toBe('FORBIDDEN');
    const stranger = await gql('otherOwner', `mutation($id: ID!) { resendDelivery(id: $id) { id } }`, { id: deliveryId });
    expect(codeOf(stranger)).toBe('DELIVERY_NOT_FOUND');
  });
});
