import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import type { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Payin risk rules (modules/risk/risk.service.ts), through the merchant REST API with real signatures
 * and through the back office's createTestPayin: REJECT refuses with 42201 / RISK_REJECTED and writes
 * nothing; REVIEW lets the payin through with a RISK_FLAGGED event on its timeline; rules of other
 * merchants, currencies, directions or disabled ones do not apply.
 */

let env: TestEnvironment;
let merchant: MerchantFixture;
let other: MerchantFixture;
let client: MerchantClient;
let admin: string;
let counter = 0;

const prepayment = (overrides: Record<string, unknown> = {}) => ({
  out_trade_no: `RISK-${Date.now()}-${++counter}`,
  amount: '150.00',
  currency: 'THB',
  service: 'THB_BANK',
  expire_second: 600,
  order_type: 'platform_order',
  payer_name: 'Somchai',
  ...overrides,
});

const create = (body: Record<string, unknown>, via: MerchantClient = client) => via.post<{ prepay_id: string }>('/v1/transaction/prepayment', body);
const ordersOf = (outTradeNo: string) => env.prisma.order.count({ where: { outTradeNo } });
const rule = (data: { name: string; kind: string; action: 'REJECT' | 'REVIEW'; threshold?: bigint; value?: string; currencyCode?: string; merchantId?: string; direction?: 'PAYIN' | 'PAYOUT'; status?: 'ENABLED' | 'DISABLED' }) =>
  env.prisma.riskRule.create({ data: { direction: 'PAYIN', ...data } });

beforeAll(async () => {
  env = await createTestEnvironment();
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  await ensureCurrency(db, 'BRL', 2);
  merchant = await createMerchantFixture(db, env.services.secrets);
  other = await createMerchantFixture(db, env.services.secrets);
  client = merchant.client(env.url);
  const service = await createService(db, { code: 'THB_BANK', currencyCode: 'THB', requiredFields: ['payer_name'], country: 'TH' });
  for (const m of [merchant, other]) await activateService(db, m.merchant.id, service.id, { singleLimitLower: 1_00n, singleLimitUpper: 100_000_00n });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 100, successRate: 1 } }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, service.id);
  admin = (await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets })).cookie;
});

afterEach(async () => {
  await env.prisma.riskRule.deleteMany({});
});

afterAll(async () => {
  await env?.stop();
});

describe('payin risk rules', () => {
  it('REJECT: an amount above the threshold gets 42201 and creates nothing; at the threshold it passes', async () => {
    await rule({ name: 'large THB deposits', kind: 'AMOUNT_ABOVE', action: 'REJECT', currencyCode: 'THB', threshold: 10_000_00n });
    const refused = prepayment({ amount: '10000.01' });
    const res = await create(refused);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 42201 });
    expect(res.body.msg).toContain('large THB deposits');
    expect(await ordersOf(refused.out_trade_no)).toBe(0);

    const atLimit = prepayment({ amount: '10000.00' });
    expect((await create(atLimit)).body.code).toBe(0);
    expect(await ordersOf(atLimit.out_trade_no)).toBe(1);
  });

  it('REJECT: a blocked payer account; other accounts and other merchants are not affected', async () => {
    await rule({ name: 'known mule account', kind: 'BLOCKED_ACCOUNT', action: 'REJECT', value: '9876543210', merchantId: merchant.merchant.id });
    expect((await create(prepayment({ payer_account: '9876543210' }))).body.code).toBe(42201);
    expect((await create(prepayment({ payer_account: '1111111111' }))).body.code).toBe(0);
    expect((await create(prepayment({ payer_account: '9876543210' }), other.client(env.url))).body.code).toBe(0);
  });

  it('REJECT: the daily count counts today’s live payins of this merchant; failed, closed or expired ones do not count', async () => {
    await rule({ name: 'three a day', kind: 'DAILY_COUNT_ABOVE', action: 'REJECT', threshold: 3n, merchantId: other.merchant.id });
    const otherClient = other.client(env.url);
    const today = await env.prisma.order.count({ where: { merchantId: other.merchant.id, status: { notIn: ['FAILED', 'CLOSED', 'EXPIRED'] } } });
    for (let i = today; i < 3; i++) expect((await create(prepayment(), otherClient)).body.code).toBe(0);
    expect((await create(prepayment(), otherClient)).body.code).toBe(42201);
    // One of them closes: there is room for one more.
    const first = await env.prisma.order.findFirstOrThrow({ where: { merchantId: other.merchant.id, status: 'PENDING' } });
    await env.prisma.order.update({ where: { id: first.id }, data: { status: 'CLOSED' } });
    expect((await create(prepayment(), otherClient)).body.code).toBe(0);
    expect((await create(prepayment(), otherClient)).body.code).toBe(42201);
  });

  it('rules of another direction or currency, and disabled rules, do not apply', async () => {
    await rule({ name: 'payout rule', kind: 'AMOUNT_ABOVE', action: 'REJECT', currencyCode: 'THB', threshold: 1n, direction: 'PAYOUT' });
    await rule({ name: 'BRL rule', kind: 'AMOUNT_ABOVE', action: 'REJECT', currencyCode: 'BRL', threshold: 1n });
    await rule({ name: 'disabled', kind: 'AMOUNT_ABOVE', action: 'REJECT', currencyCode: 'THB', threshold: 1n, status: 'DISABLED' });
    expect((await create(prepayment())).body.code).toBe(0);
  });

  it('REVIEW: the payin is created and its timeline says which rules flagged it', async () => {
    const flagged = await rule({ name: 'watch big deposits', kind: 'AMOUNT_ABOVE', action: 'REVIEW', currencyCode: 'THB', threshold: 5_000_00n });
    const big = prepayment({ amount: '6000.00' });
    const res = await create(big);
    expect(res.body.code).toBe(0);
    const order = await env.prisma.order.findFirstOrThrow({ where: { outTradeNo: big.out_trade_no }, include: { events: true } });
    expect(order.status).toBe('PENDING');
    const event = order.events.find((e) => e.type === 'RISK_FLAGGED');
    expect(event?.message).toBe('flagged for review by "watch big deposits"');
    expect(event?.data).toEqual({ rules: [{ id: flagged.id, name: 'watch big deposits', kind: 'AMOUNT_ABOVE' }] });

    const small = prepayment({ amount: '100.00' });
    await create(small);
    const plain = await env.prisma.order.findFirstOrThrow({ where: { outTradeNo: small.out_trade_no }, include: { events: true } });
    expect(plain.events.map((e) => e.type)).not.toContain('RISK_FLAGGED');
  });

  it('an identical repeat of an order created before a REJECT rule still returns that order', async () => {
    const body = prepayment({ amount: '700.00' });
    const first = await create(body);
    expect(first.body.code).toBe(0);
    await rule({ name: 'new limit', kind: 'AMOUNT_ABOVE', action: 'REJECT', currencyCode: 'THB', threshold: 500_00n });
    const again = await create(body);
    expect(again.body.code).toBe(0);
    expect(again.body.data.prepay_id).toBe(first.body.data.prepay_id);
  });

  it('the back office’s test deposit is refused with RISK_REJECTED and nothing is written', async () => {
    await rule({ name: 'large THB deposits', kind: 'AMOUNT_ABOVE', action: 'REJECT', currencyCode: 'THB', threshold: 1_000_00n });
    const before = await env.prisma.order.count();
    const auditBefore = await env.prisma.auditLog.count();
    const res = await env.graphql<{ createTestPayin: unknown }>(
      `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id } } }`,
      { input: { merchantId: encodeGlobalID('Merchant', merchant.merchant.id), service: 'THB_BANK', amount: '1500.00', payerName: 'Somchai' } },
      { cookie: admin },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('RISK_REJECTED');
    expect(await env.prisma.order.count()).toBe(before);
    expect(await env.prisma.auditLog.count()).toBe(auditBefore);
  });
});
