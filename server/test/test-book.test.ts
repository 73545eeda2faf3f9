import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPairAsync, keySerial } from '../src/lib/crypto.ts';
import { createApp } from '../src/modules/apps/apps.service.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { PERMISSIONS as P } from '../src/modules/auth/permissions.ts';
import { createUserFixture, graphqlHttp } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { balancesOf, fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Issue "Trust", defects 1 and 6: test money never becomes real money. Reproduced from outside as the
 * tester did: a merchant owner (and an API token with the test permissions) creates a test payin of
 * 100.00 and simulates the upstream paying 4,900.00. Before the test book, the order succeeded and the
 * merchant's LIVE available balance grew by the simulated amount, spendable as a payout, withdrawal or
 * transfer. Now a simulated payment carries at most what the order misses, test orders post only to the
 * test book, REST test applications read only test data, and simulated reversals need a staff permission.
 */

let env: TestEnvironment;
let shop: MerchantFixture;
let otherShop: MerchantFixture;
let liveClient: MerchantClient;
let testClient: MerchantClient;
let cookies: Record<'admin' | 'finance' | 'owner' | 'operator' | 'otherOwner', string>;
let token: string;

const LIVE_FUNDING = 500_00n;

const gql = (who: keyof typeof cookies | 'token', query: string, variables?: Record<string, unknown>) =>
  graphqlHttp(env.url, query, variables ?? {}, who === 'token' ? { bearer: token } : { cookie: cookies[who] }) as Promise<{
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  }>;
const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;
const merchantGid = (id: string) => encodeGlobalID('Merchant', id);
const thb = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

const CREATE_PAYIN = `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id orderNo status } } }`;
const CREATE_PAYOUT = `mutation($input: CreateTestPayoutInput!) { createTestPayout(input: $input) { id payoutNo status } }`;
const SIMULATE = `mutation($id: ID!, $outcome: SimulatedOutcome!, $amount: Decimal) { simulatePayinCallback(id: $id, outcome: $outcome, amount: $amount) { id status } }`;
const SIMULATE_PAYOUT = `mutation($id: ID!, $outcome: SimulatedOutcome!) { simulatePayoutCallback(id: $id, outcome: $outcome) { id status } }`;
const BALANCES = `query($test: Boolean) { balances(test: $test) { currency available { amount } pending { amount } frozen { amount } } }`;

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const orderStatus = async (orderNo: string) => (await env.prisma.order.findFirstOrThrow({ where: { orderNo } })).status;
const payoutStatus = async (payoutNo: string) => (await env.prisma.payout.findFirstOrThrow({ where: { payoutNo } })).status;

/** What the merchant holds in the live book: available + pending + frozen, per kind. */
async function liveBook(merchantId: string) {
  const rows = await env.prisma.ledgerAccount.findMany({ where: { ownerType: 'MERCHANT', ownerId: merchantId, test: false } });
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.balance ?? 0n;
  return { available: of('AVAILABLE'), pending: of('PENDING'), frozen: of('FROZEN') };
}

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  shop = await createMerchantFixture(db, env.services.secrets, { app: { test: true } });
  otherShop = await createMerchantFixture(db, env.services.secrets);
  testClient = shop.client(env.url);
  // The same merchant's live application.
  const keys = await generateRsaKeyPairAsync();
  const live = await createApp(db, env.services.secrets, { merchantId: shop.merchant.id, name: 'Live app', publicKeyPem: keys.publicKeyPem });
  liveClient = new MerchantClient({ baseUrl: env.url, appId: live.app.appId, mchId: shop.mchId, privateKeyPem: keys.privateKeyPem, serial: keySerial(keys.publicKeyPem) });

  const payin = await createService(db, { code: 'THB_QR', currencyCode: 'THB', requiredFields: ['payer_name'] });
  const payout = await createService(db, { code: 'THB_OUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  for (const m of [shop, otherShop]) {
    await activateService(db, m.merchant.id, payin.id, { singleLimitLower: 10_00n, feeRatePpm: 20_000n });
    await activateService(db, m.merchant.id, payout.id, { feeFixed: 5_00n });
  }
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, payin.id);
  await bindChannel(db, channel.id, payout.id);
  // Some real money, so that "spend the minted money" would have had a channel to go through.
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', LIVE_FUNDING);

  const owner = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id });
  cookies = {
    admin: (await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets })).cookie,
    finance: (await createUserFixture(db, { roleKey: 'FINANCE', totp: true, secrets: env.services.secrets })).cookie,
    owner: owner.cookie,
    operator: (await createUserFixture(db, { roleKey: 'MERCHANT_OPERATOR', merchantId: shop.merchant.id })).cookie,
    otherOwner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: otherShop.merchant.id })).cookie,
  };
  const minted = await gql(
    'owner',
    `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { __typename ... on CreateApiTokenPayload { token } } }`,
    { input: { name: 'test tools', permissions: [P.PAYIN_READ, P.PAYIN_WRITE, P.PAYOUT_READ, P.PAYOUT_WRITE, P.OPERATION_PAYMENT_WRITE, P.BALANCE_READ] } },
  );
  token = minted.data!.createApiToken.token;
  expect(token).toMatch(/^prt_/);
});

afterAll(async () => {
  await env?.stop();
});

describe('a test payment cannot mint live money (defect 1)', () => {
  for (const who of ['owner', 'operator', 'token'] as const) {
    it(`as ${who}: a simulated payment above what the order misses is refused; a paid test order credits only the test book`, async () => {
      const liveBefore = await liveBook(shop.merchant.id);
      const testBefore = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
      const created = await gql(who, CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '100.00', payerName: 'Tester' } });
      expect(created.errors).toBeUndefined();
      const { id, orderNo } = created.data!.createTestPayin.payin;

      const minted = await gql(who, SIMULATE, { id, outcome: 'SUCCESS', amount: '4900.00' });
      expect(codeOf(minted)).toBe('INVALID_AMOUNT');
      expect(minted.errors![0]!.extensions).toMatchObject({ field: 'amount', reason: 'EXCEEDS_ORDER', max: '10000' });
      const zero = await gql(who, SIMULATE, { id, outcome: 'SUCCESS', amount: '0.00' });
      expect(codeOf(zero)).toBe('INVALID_AMOUNT');

      // A sub-payment within the order is fine, and the rest then.
      expect((await gql(who, SIMULATE, { id, outcome: 'SUCCESS', amount: '40.00' })).errors).toBeUndefined();
      await waitFor('the partial payment', async () => (await env.prisma.order.findFirstOrThrow({ where: { orderNo } })).paidAmount === 40_00n);
      expect(codeOf(await gql(who, SIMULATE, { id, outcome: 'SUCCESS', amount: '60.01' }))).toBe('INVALID_AMOUNT');
      expect((await gql(who, SIMULATE, { id, outcome: 'SUCCESS' })).errors).toBeUndefined();
      await waitFor('the test order to succeed', async () => (await orderStatus(orderNo)) === 'SUCCEEDED');

      expect(await liveBook(shop.merchant.id)).toEqual(liveBefore);
      const testAfter = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
      expect(testAfter.available - testBefore.available).toBe(98_00n); // 100.00 − 2 %

      // What GraphQL shows: the live book by default, the test book on request.
      const live = await gql(who, BALANCES, {});
      expect(live.errors).toBeUndefined();
      expect(live.data!.balances).toEqual([{ currency: 'THB', available: { amount: thb(liveBefore.available) }, pending: { amount: '0.00' }, frozen: { amount: '0.00' } }]);
      const test = await gql(who, BALANCES, { test: true });
      expect(test.data!.balances[0].available.amount).toBe(thb(testAfter.available));
    });
  }

  it('the test money cannot be paid out, withdrawn or transferred as live money', async () => {
    // More test money than live money, as after a day of simulations.
    const channel = await env.prisma.channel.findFirstOrThrow();
    await fundMerchant(env.prisma, shop.merchant.id, channel.id, 'THB', 1_000_00n, { test: true });
    const test = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
    expect(test.available).toBeGreaterThan(LIVE_FUNDING);
    const beyondLive = thb(LIVE_FUNDING + 1_00n);

    // Live withdrawal and transfer of more than the live balance: refused, although the test book holds it.
    const destination = await gql(
      'owner',
      `mutation($input: CreateDestinationInput!) { createDestination(input: $input) { id } }`,
      { input: { merchantId: merchantGid(shop.merchant.id), kind: 'BANK', label: 'Main', currency: 'THB', bankName: 'SCB', accountName: 'Shop', accountNumber: '1234567890' } },
    );
    expect(destination.errors).toBeUndefined();
    const withdrawal = await gql('owner', `mutation($input: CreateWithdrawalInput!) { createWithdrawal(input: $input) { id } }`, {
      input: { merchantId: merchantGid(shop.merchant.id), currency: 'THB', amount: beyondLive, destinationId: destination.data!.createDestination.id },
    });
    expect(codeOf(withdrawal)).toBe('INSUFFICIENT_BALANCE');
    const transfer = await gql('owner', `mutation($input: CreateTransferInput!) { createTransfer(input: $input) { id } }`, {
      input: { merchantId: merchantGid(shop.merchant.id), currency: 'THB', amount: beyondLive, targetMchId: otherShop.mchId },
    });
    expect(codeOf(transfer)).toBe('INSUFFICIENT_BALANCE');

    // A live payout over REST (the live application) cannot spend it either.
    const payout = await liveClient.post('/v1/payout/create', {
      out_trade_no: 'LIVE-PAYOUT-1', service: 'THB_OUT', amount: beyondLive, currency: 'THB',
      recipient_name: 'Jane', recipient_account: '123456789', bank_code: 'SCB',
    });
    expect(payout.body.code).toBe(40903);

    // A test payout spends the test book, and its simulated success leaves the live book alone.
    const liveBefore = await liveBook(shop.merchant.id);
    const created = await gql('owner', CREATE_PAYOUT, {
      input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_OUT', amount: '50.00', recipientName: 'Jane', recipientAccount: '123456789', bankCode: 'SCB' },
    });
    expect(created.errors).toBeUndefined();
    await waitFor('the test payout to settle', async () => (await payoutStatus(created.data!.createTestPayout.payoutNo)) === 'SUCCEEDED');
    expect(await liveBook(shop.merchant.id)).toEqual(liveBefore);
    expect((await balancesOf(env.prisma, shop.merchant.id, 'THB', true)).available).toBe(test.available - 55_00n);
  });

  it('a test recharge approved by finance raises the test balance only', async () => {
    const liveBefore = await liveBook(shop.merchant.id);
    const testBefore = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
    const recharge = await gql('owner', `mutation($input: CreateRechargeInput!) { createRecharge(input: $input) { id test } }`, {
      input: { merchantId: merchantGid(shop.merchant.id), currency: 'THB', amount: '300.00', reference: 'SANDBOX-TOPUP', test: true },
    });
    expect(recharge.errors).toBeUndefined();
    expect(recharge.data!.createRecharge.test).toBe(true);
    const approved = await gql('finance', `mutation($id: ID!) { approveFundRequest(id: $id) { status } }`, { id: recharge.data!.createRecharge.id });
    expect(approved.errors).toBeUndefined();
    expect(await liveBook(shop.merchant.id)).toEqual(liveBefore);
    expect((await balancesOf(env.prisma, shop.merchant.id, 'THB', true)).available).toBe(testBefore.available + 300_00n);
    const listed = await gql('owner', `{ live: fundRequests(filter: { test: false }) { totalCount } test: fundRequests(filter: { test: true }) { totalCount } }`);
    expect(listed.data).toMatchObject({ test: { totalCount: 1 } });
  });
});

describe('simulated reversals are for staff (defect 6)', () => {
  it('a merchant cannot simulate a reversal of a payin or a payout; an administrator can', async () => {
    const created = await gql('owner', CREATE_PAYIN, { input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_QR', amount: '20.00', payerName: 'Tester' } });
    const { id, orderNo } = created.data!.createTestPayin.payin;
    await gql('owner', SIMULATE, { id, outcome: 'SUCCESS' });
    await waitFor('the test order to succeed', async () => (await orderStatus(orderNo)) === 'SUCCEEDED');
    for (const who of ['owner', 'operator', 'token'] as const) {
      expect(codeOf(await gql(who, SIMULATE, { id, outcome: 'REVERSAL' }))).toBe('FORBIDDEN');
    }
    expect(await orderStatus(orderNo)).toBe('SUCCEEDED');
    expect((await gql('admin', SIMULATE, { id, outcome: 'REVERSAL' })).errors).toBeUndefined();
    await waitFor('the reversal', async () => (await orderStatus(orderNo)) === 'REVERSED');

    const payout = await gql('owner', CREATE_PAYOUT, {
      input: { merchantId: merchantGid(shop.merchant.id), service: 'THB_OUT', amount: '10.00', recipientName: 'Jane', recipientAccount: '123456789', bankCode: 'SCB' },
    });
    const payoutNo = payout.data!.createTestPayout.payoutNo;
    await waitFor('the test payout to settle', async () => (await payoutStatus(payoutNo)) === 'SUCCEEDED');
    for (const who of ['owner', 'operator', 'token'] as const) {
      expect(codeOf(await gql(who, SIMULATE_PAYOUT, { id: payout.data!.createTestPayout.id, outcome: 'REVERSAL' }))).toBe('FORBIDDEN');
    }
    expect(await payoutStatus(payoutNo)).toBe('SUCCEEDED');
  });
});

describe('REST applications read their own book', () => {
  it('a test application pays a test order: its balance query shows the test book, the live application sees neither the order nor the money', async () => {
    const liveBefore = await liveClient.post<Array<{ currency: string; available: string }>>('/v1/balance/query', { currency: 'THB' });
    expect(liveBefore.body.code).toBe(0);
    const created = await testClient.post<{ prepay_id: string; order_no: string }>('/v1/transaction/prepayment', {
      out_trade_no: 'TEST-APP-1', service: 'THB_QR', amount: '200.00', currency: 'THB', payer_name: 'Tester',
    });
    expect(created.body.code).toBe(0);
    const submitted = await fetch(`${env.url}/pay/api/order/${created.body.data.prepay_id}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payer_account: '1234567890' }),
    });
    expect(submitted.status).toBe(200);
    await waitFor('the test order to succeed', async () => {
      const q = await testClient.post<{ status: string }>('/v1/transaction/query', { out_trade_no: 'TEST-APP-1' });
      return q.body.data?.status === 'SUCCEEDED';
    });

    const testBalance = await testClient.post<Array<{ currency: string; available: string }>>('/v1/balance/query', { currency: 'THB' });
    const inTestBook = await balancesOf(env.prisma, shop.merchant.id, 'THB', true);
    expect(testBalance.body.data).toEqual([expect.objectContaining({ currency: 'THB', available: thb(inTestBook.available) })]);
    const liveAfter = await liveClient.post('/v1/balance/query', { currency: 'THB' });
    expect(liveAfter.body.data).toEqual(liveBefore.body.data);

    const seenLive = await liveClient.post('/v1/transaction/query', { out_trade_no: 'TEST-APP-1' });
    expect(seenLive.body.code).toBe(40401);
    const closedLive = await liveClient.post('/v1/transaction/close', { out_trade_no: 'TEST-APP-1' });
    expect(closedLive.body.code).toBe(40401);
  });
});

describe('the books stay apart', () => {
  it('the ledger check passes, and every live credit of a merchant is a confirmed live payment, an approved fund request or a staff adjustment', async () => {
    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);
    // Every live ledger transaction that raised a merchant's live holdings (available + pending + frozen).
    const growth = await env.prisma.$queryRaw<Array<{ kind: string; referenceType: string | null; allowed: boolean }>>`
      SELECT t.kind, t."referenceType",
        CASE
          WHEN t.kind = 'TEST_FUNDING' THEN true
          WHEN t."referenceType" = 'ORDER' THEN EXISTS (
            SELECT 1 FROM orders o WHERE o.id::text = t."referenceId" AND NOT o.test
              AND EXISTS (SELECT 1 FROM payments p WHERE p."orderId" = o.id))
          WHEN t."referenceType" = 'FUND_REQUEST' THEN EXISTS (
            SELECT 1 FROM fund_requests f WHERE f.id::text = t."referenceId" AND NOT f.test AND f.status = 'APPROVED')
          WHEN t."referenceType" = 'PAYOUT' THEN EXISTS (SELECT 1 FROM payouts p WHERE p.id::text = t."referenceId" AND NOT p.test)
          WHEN t."referenceType" = 'MERCHANT_ADJUSTMENT' THEN t."actorType" = 'USER'
          ELSE false
        END AS allowed
      FROM ledger_transactions t
      WHERE NOT t.test AND (
        SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e."accountId"
        WHERE e."transactionId" = t.id AND a."ownerType" = 'MERCHANT') > 0`;
    expect(growth.filter((g) => !g.allowed)).toEqual([]);
    expect(await liveBook(shop.merchant.id)).toEqual({ available: LIVE_FUNDING, pending: 0n, frozen: 0n });
    const testTransactions = await env.prisma.ledgerTransaction.count({ where: { test: true } });
    expect(testTransactions).toBeGreaterThan(5);
  });
});
