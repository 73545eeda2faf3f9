import { randomBytes } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCredentials } from '../src/modules/routing/connectors/credentials.ts';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { ensureCurrency } from './support/payin-fixtures.ts';
import { fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Configuration CRUD over real HTTP GraphQL with real session cookies (issue #5): an administrator
 * builds merchants, services, channels (write-only credentials), bindings, merchant services, risk
 * rules and FX rates; the result is routable (payins and payouts go through it, fees and risk apply);
 * everybody else is refused and nothing changes; bad input has stable codes; credentials are sealed in
 * the database and never come back, not in responses and not in the audit log.
 */

type Who = 'admin' | 'finance' | 'support' | 'owner';

let env: TestEnvironment;
let shop: MerchantFixture;
let cookies: Record<Who, string>;
let adminEmail: string;

interface GqlResult<T = Record<string, any>> {
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Every response body of the file, to prove no credential ever comes back. */
const responses: string[] = [];

const gql = async <T = Record<string, any>>(who: Who, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> => {
  const res = (await env.graphql<T>(query, variables, { cookie: cookies[who] })) as GqlResult<T>;
  responses.push(JSON.stringify(res));
  return res;
};
const codeOf = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const fieldOf = (res: GqlResult) => res.errors?.[0]?.extensions?.field;
/** The data of a call that must succeed. */
const ok = <T = Record<string, any>>(res: GqlResult<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};
const tag = () => randomBytes(3).toString('hex').toUpperCase();

const CHANNEL_FIELDS = `id code name connector currencyCode hasCredentials credentialKeys settings priority weight status
  paymentLowerBound { amount } paymentUpperBound { amount } services { id lowerBound { amount } upperBound { amount } priority weight status service { code } }`;

const Q = {
  createMerchant: `mutation($input: CreateMerchantInput!) { createMerchant(input: $input) { id mchId name status country timezone contactEmail } }`,
  updateMerchant: `mutation($input: UpdateMerchantInput!) { updateMerchant(input: $input) { id mchId name status country timezone contactEmail } }`,
  createService: `mutation($input: CreateServiceInput!) { createService(input: $input) { id code name direction kind chain country requiredFields status currency { code } } }`,
  updateService: `mutation($input: UpdateServiceInput!) { updateService(input: $input) { id code name direction kind chain country requiredFields status currency { code } } }`,
  createChannel: `mutation($input: CreateChannelInput!) { createChannel(input: $input) { ${CHANNEL_FIELDS} } }`,
  updateChannel: `mutation($input: UpdateChannelInput!) { updateChannel(input: $input) { ${CHANNEL_FIELDS} } }`,
  bind: `mutation($input: BindChannelServiceInput!) { bindChannelService(input: $input) { id lowerBound { amount } upperBound { amount } priority weight status channel { code } service { code } } }`,
  updateBinding: `mutation($input: UpdateChannelServiceInput!) { updateChannelService(input: $input) { id lowerBound { amount } upperBound { amount } priority weight status } }`,
  unbind: `mutation($input: UnbindChannelServiceInput!) { unbindChannelService(input: $input) { unboundChannelServiceId channel { code services { id } } } }`,
  upsertMs: `mutation($input: UpsertMerchantServiceInput!) { upsertMerchantService(input: $input) { id status feeRate feeRatePpm settlementDays feeFixed { amount currency } singleLimitLower { amount } singleLimitUpper { amount } service { code } merchant { mchId } } }`,
  updateMs: `mutation($input: UpdateMerchantServiceInput!) { updateMerchantService(input: $input) { id status feeRate settlementDays feeFixed { amount } singleLimitLower { amount } singleLimitUpper { amount } } }`,
  createRisk: `mutation($input: CreateRiskRuleInput!) { createRiskRule(input: $input) { id name direction kind currencyCode threshold thresholdAmount { amount currency } value action status merchant { mchId } } }`,
  updateRisk: `mutation($input: UpdateRiskRuleInput!) { updateRiskRule(input: $input) { id name kind currencyCode threshold value action status merchant { mchId } } }`,
  deleteRisk: `mutation($input: DeleteRiskRuleInput!) { deleteRiskRule(input: $input) { deletedRiskRuleId } }`,
  setFx: `mutation($input: SetFxRateInput!) { setFxRate(input: $input) { id base quote rate } }`,
  deleteFx: `mutation($input: DeleteFxRateInput!) { deleteFxRate(input: $input) { deletedFxRateId } }`,
  range: `query($m: ID!, $s: String!) { availableRange(merchantId: $m, serviceCode: $s) { enabled empty text min { amount } max { amount } minDecidedBy maxDecidedBy channels { channelCode } } }`,
  testPayin: `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id orderNo status } } }`,
  testPayout: `mutation($input: CreateTestPayoutInput!) { createTestPayout(input: $input) { id payoutNo status } }`,
};

/** Row counts of everything the configuration mutations touch (nothing may change on a refusal). */
async function configCounts() {
  const db = env.prisma;
  return {
    merchants: await db.merchant.count(),
    services: await db.service.count(),
    channels: await db.channel.count(),
    bindings: await db.channelService.count(),
    merchantServices: await db.merchantService.count(),
    riskRules: await db.riskRule.count(),
    fxRates: await db.fxRate.count(),
    audit: await db.auditLog.count(),
    // updatedAt moves on any update: a refused update must not touch a row.
    lastUpdate: [
      (await db.merchant.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
      (await db.service.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
      (await db.channel.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
      (await db.channelService.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
      (await db.merchantService.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
      (await db.riskRule.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
      (await db.fxRate.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
    ],
  };
}

interface Setup {
  t: string;
  merchantId: string;
  mchId: string;
  serviceId: string;
  serviceCode: string;
  channelId: string;
  channelCode: string;
  bindingId: string;
  merchantServiceId: string;
  secret: string;
}

/** Everything a payin needs, built by the administrator through GraphQL only. */
async function adminSetup(opts: { channelSecret?: string } = {}): Promise<Setup> {
  const t = tag();
  const secret = opts.channelSecret ?? `sk_live_${randomBytes(12).toString('hex')}`;
  const merchant = ok(await gql('admin', Q.createMerchant, { input: { name: `Config Shop ${t}`, country: 'th', timezone: 'Asia/Bangkok', contactEmail: 'ops@shop.example' } })).createMerchant;
  const service = ok(
    await gql('admin', Q.createService, { input: { code: `CFG_QR_${t}`, name: 'THB QR', direction: 'PAYIN', kind: 'QR', currency: 'THB', country: 'TH', requiredFields: ['payer_name'] } }),
  ).createService;
  const channel = ok(
    await gql('admin', Q.createChannel, {
      input: {
        code: `CFG_SBX_${t}`,
        name: 'Sandbox THB',
        connector: 'sandbox',
        currency: 'THB',
        credentials: { secret, merchantNo: 'M-0042' },
        settings: { delayMs: 0, successRate: 1 },
        paymentLowerBound: '10.00',
        paymentUpperBound: '50000',
      },
    }),
  ).createChannel;
  const binding = ok(
    await gql('admin', Q.bind, { input: { channelId: channel.id, serviceId: service.id, lowerBound: '20.00', upperBound: '30000.00', priority: 0, weight: 100 } }),
  ).bindChannelService;
  const ms = ok(
    await gql('admin', Q.upsertMs, {
      input: { merchantId: merchant.id, serviceId: service.id, singleLimitLower: '50.00', singleLimitUpper: '20000.00', feeRate: '2.5', feeFixed: '1.00', settlementDays: 0 },
    }),
  ).upsertMerchantService;
  return {
    t,
    merchantId: merchant.id,
    mchId: merchant.mchId,
    serviceId: service.id,
    serviceCode: service.code,
    channelId: channel.id,
    channelCode: channel.code,
    bindingId: binding.id,
    merchantServiceId: ms.id,
    secret,
  };
}

const dbId = (gid: string) => Buffer.from(gid, 'base64').toString('utf8').split(':').slice(1).join(':');

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  await ensureCurrency(db, 'IDR', 0);
  await ensureCurrency(db, 'USDT', 6, true);
  await ensureCurrency(db, 'USD', 2);
  shop = await createMerchantFixture(db, env.services.secrets);
  const admin = await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
  adminEmail = admin.user.email;
  cookies = {
    admin: admin.cookie,
    finance: (await createUserFixture(db, { roleKey: 'FINANCE', totp: true, secrets: env.services.secrets })).cookie,
    support: (await createUserFixture(db, { roleKey: 'SUPPORT_AGENT', totp: true, secrets: env.services.secrets })).cookie,
    owner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id })).cookie,
  };
});

afterAll(async () => {
  await env?.stop();
});

describe('an administrator configures a routable setup from nothing', () => {
  it('merchant, service, channel, binding and merchant service: the range, routing, credentials and fee all follow the configuration', async () => {
    const s = await adminSetup();
    const merchant = await env.prisma.merchant.findUniqueOrThrow({ where: { id: dbId(s.merchantId) } });
    expect(merchant).toMatchObject({ country: 'TH', timezone: 'Asia/Bangkok', status: 'ACTIVE', contactEmail: 'ops@shop.example' });
    expect(merchant.mchId).toMatch(/^[1-9][0-9]{9}$/);

    // Seed 001: lower = max(10.00 channel, 50.00 service, 20.00 binding), upper = min(50000, 20000, 30000).
    const range = ok(await gql('admin', Q.range, { m: s.merchantId, s: s.serviceCode })).availableRange;
    expect(range).toMatchObject({
      enabled: true,
      empty: false,
      min: { amount: '50.00' },
      max: { amount: '20000.00' },
      minDecidedBy: 'SERVICE',
      maxDecidedBy: 'SERVICE',
      channels: [{ channelCode: s.channelCode }],
    });

    const payin = (amount: string) => gql('admin', Q.testPayin, { input: { merchantId: s.merchantId, service: s.serviceCode, amount, payerName: 'Somchai' } });
    const low = await payin('40.00');
    expect(codeOf(low)).toBe('AMOUNT_OUT_OF_RANGE');
    const created = ok(await payin('100.00')).createTestPayin.payin;
    const order = await env.prisma.order.findUniqueOrThrow({ where: { orderNo: created.orderNo } });
    expect(order.channelId).toBe(dbId(s.channelId));

    // The sandbox signs its callback with the sealed secret and verifies it with the same: the payment
    // only lands if the credentials written through GraphQL open for the connector.
    ok(await gql('admin', `mutation($id: ID!) { simulatePayinCallback(id: $id, outcome: SUCCESS) { id } }`, { id: created.id }));
    const paid = await waitFor('the simulated payment', async () => {
      const row = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      return row.status === 'SUCCEEDED' ? row : undefined;
    });
    expect(paid.fee).toBe(3_50n); // 2.5 % of 100.00 + 1.00 fixed
    const callbacks = await env.prisma.upstreamCallback.findMany({ where: { channelId: dbId(s.channelId) } });
    expect(callbacks.length).toBeGreaterThan(0);
    expect(callbacks.every((c) => c.signatureValid)).toBe(true);

    // Disabling the channel takes it out of routing at once; enabling brings it back.
    ok(await gql('admin', Q.updateChannel, { input: { id: s.channelId, status: 'DISABLED' } }));
    expect(codeOf(await payin('100.00'))).toBe('NO_CHANNEL');
    ok(await gql('admin', Q.updateChannel, { input: { id: s.channelId, status: 'ENABLED' } }));
    ok(await payin('100.00'));

    // Changing the binding's bounds moves the range; unbinding leaves no channel.
    const tightened = ok(await gql('admin', Q.updateBinding, { input: { id: s.bindingId, lowerBound: '60.00', upperBound: null, priority: 5, weight: 0 } })).updateChannelService;
    expect(tightened).toMatchObject({ lowerBound: { amount: '60.00' }, upperBound: null, priority: 5, weight: 0 });
    // Weight 0: the channel takes no traffic.
    expect(codeOf(await payin('100.00'))).toBe('NO_CHANNEL');
    ok(await gql('admin', Q.updateBinding, { input: { id: s.bindingId, weight: 100 } }));
    const range2 = ok(await gql('admin', Q.range, { m: s.merchantId, s: s.serviceCode })).availableRange;
    expect(range2).toMatchObject({ min: { amount: '60.00' }, minDecidedBy: 'BINDING', max: { amount: '20000.00' } });

    const unbound = ok(await gql('admin', Q.unbind, { input: { id: s.bindingId } })).unbindChannelService;
    expect(unbound).toEqual({ unboundChannelServiceId: s.bindingId, channel: { code: s.channelCode, services: [] } });
    expect(await env.prisma.channelService.count({ where: { id: dbId(s.bindingId) } })).toBe(0);
    expect(codeOf(await payin('100.00'))).toBe('NO_CHANNEL');
    expect(await env.prisma.order.count({ where: { id: order.id } })).toBe(1); // history untouched

    // Every step is audited by the administrator.
    const audit = await env.prisma.auditLog.findMany({ where: { actorLabel: adminEmail, entityId: { in: [dbId(s.merchantId), dbId(s.serviceId), dbId(s.channelId), dbId(s.bindingId), dbId(s.merchantServiceId)] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'merchant.create',
      'service.create',
      'channel.create',
      'channel_service.bind',
      'merchant_service.activate',
      'channel.set_status',
      'channel.set_status',
      'channel_service.update',
      'channel_service.update',
      'channel_service.unbind',
    ]);
    const activation = audit.find((a) => a.action === 'merchant_service.activate')!;
    expect(activation.merchantId).toBe(dbId(s.merchantId));
    expect(activation.after).toMatchObject({ service: s.serviceCode, feeRate: '2.5', feeFixed: '100', singleLimitLower: '5000', settlementDays: 0 });
    const disable = audit.find((a) => a.action === 'channel.set_status')!;
    expect(disable.before).toMatchObject({ status: 'ENABLED' });
    expect(disable.after).toMatchObject({ status: 'DISABLED' });
  });

  it('payouts: a payout service through the same kind of channel, and risk rules created, changed and deleted through GraphQL decide', async () => {
    const s = await adminSetup();
    const out = ok(
      await gql('admin', Q.createService, {
        input: { code: `CFG_OUT_${s.t}`, name: 'THB payout', direction: 'PAYOUT', kind: 'BANK_TRANSFER', currency: 'THB', requiredFields: ['recipient_name', 'recipient_account'] },
      }),
    ).createService;
    ok(await gql('admin', Q.bind, { input: { channelId: s.channelId, serviceId: out.id } }));
    ok(await gql('admin', Q.upsertMs, { input: { merchantId: s.merchantId, serviceId: out.id, feeFixed: '5.00' } }));
    await fundMerchant(env.prisma, dbId(s.merchantId), dbId(s.channelId), 'THB', 10_000_00n);
    // The back office's payouts are test payouts: they spend the test book.
    await fundMerchant(env.prisma, dbId(s.merchantId), dbId(s.channelId), 'THB', 10_000_00n, { test: true });

    const rule = ok(
      await gql('admin', Q.createRisk, {
        input: { name: 'Large THB payout', merchantId: s.merchantId, direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currency: 'THB', threshold: '500.00', action: 'REJECT' },
      }),
    ).createRiskRule;
    expect(rule).toMatchObject({ kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: '50000', thresholdAmount: { amount: '500.00', currency: 'THB' }, action: 'REJECT', merchant: { mchId: s.mchId } });

    const payout = (amount: string) =>
      gql('admin', Q.testPayout, { input: { merchantId: s.merchantId, service: out.code, amount, recipientName: 'Jane', recipientAccount: '1234567890' } });
    expect(codeOf(await payout('600.00'))).toBe('RISK_REJECTED');
    expect(ok(await payout('100.00')).createTestPayout.status).not.toBe('REVIEW');

    ok(await gql('admin', Q.updateRisk, { input: { id: rule.id, action: 'REVIEW' } }));
    expect(ok(await payout('600.00')).createTestPayout.status).toBe('REVIEW');

    const blocked = ok(
      await gql('admin', Q.createRisk, { input: { name: 'Blocked account', direction: 'PAYOUT', kind: 'BLOCKED_ACCOUNT', value: ' 99999999 ', action: 'REJECT' } }),
    ).createRiskRule;
    expect(blocked).toMatchObject({ value: '99999999', threshold: null, merchant: null });
    expect(codeOf(await gql('admin', Q.testPayout, { input: { merchantId: s.merchantId, service: out.code, amount: '10.00', recipientName: 'Jo', recipientAccount: '99999999' } }))).toBe(
      'RISK_REJECTED',
    );

    const deleted = ok(await gql('admin', Q.deleteRisk, { input: { id: rule.id } })).deleteRiskRule;
    expect(deleted).toEqual({ deletedRiskRuleId: rule.id });
    ok(await gql('admin', Q.deleteRisk, { input: { id: blocked.id } }));
    expect(ok(await payout('600.00')).createTestPayout.status).not.toBe('REVIEW');
    expect(codeOf(await gql('admin', Q.deleteRisk, { input: { id: rule.id } }))).toBe('RISK_RULE_NOT_FOUND');

    const riskAudit = await env.prisma.auditLog.findMany({ where: { entityType: 'RiskRule', entityId: dbId(rule.id) }, orderBy: { id: 'asc' } });
    expect(riskAudit.map((a) => a.action)).toEqual(['risk_rule.create', 'risk_rule.update', 'risk_rule.delete']);
    expect(riskAudit.every((a) => a.merchantId === null)).toBe(true); // thresholds stay out of merchants' audit view
    expect(riskAudit[1]!.before).toMatchObject({ action: 'REJECT', threshold: '50000', mchId: s.mchId });
    expect(riskAudit[1]!.after).toMatchObject({ action: 'REVIEW' });
  });
});

describe('channel credentials are write-only', () => {
  it('sealed in the database, never in a response or the audit log; replaced and cleared by update', async () => {
    const s = await adminSetup();
    const id = dbId(s.channelId);
    const raw = async () => (await env.prisma.$queryRaw<Array<{ credentialsEnc: string | null }>>`SELECT "credentialsEnc" FROM channels WHERE id = ${id}::uuid`)[0]!.credentialsEnc;

    const sealed = await raw();
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(s.secret);
    expect(sealed).not.toContain('M-0042');
    expect(openCredentials(env.services.secrets, { credentialsEnc: sealed })).toEqual({ secret: s.secret, merchantNo: 'M-0042' });

    // What the API shows: that there are credentials, and their key names (for those who may change them).
    const read = ok(await gql('admin', `query($id: ID!) { node(id: $id) { ... on Channel { ${CHANNEL_FIELDS} } } }`, { id: s.channelId })).node;
    expect(read).toMatchObject({ hasCredentials: true, credentialKeys: ['merchantNo', 'secret'], settings: { delayMs: 0, successRate: 1 } });
    const list = ok(await gql('support', `query { channels(first: 100) { nodes { code hasCredentials credentialKeys settings } } }`)).channels.nodes;
    expect(list.find((c: { code: string }) => c.code === s.channelCode)).toEqual({ code: s.channelCode, hasCredentials: true, credentialKeys: null, settings: { delayMs: 0, successRate: 1 } });

    const secret2 = `sk_rotated_${randomBytes(12).toString('hex')}`;
    const replaced = ok(await gql('admin', Q.updateChannel, { input: { id: s.channelId, credentials: { apiSecret: secret2 } } })).updateChannel;
    expect(replaced).toMatchObject({ hasCredentials: true, credentialKeys: ['apiSecret'] });
    const sealed2 = await raw();
    expect(sealed2).not.toContain(secret2);
    expect(openCredentials(env.services.secrets, { credentialsEnc: sealed2 })).toEqual({ apiSecret: secret2 });

    // An update that does not mention credentials keeps them.
    ok(await gql('admin', Q.updateChannel, { input: { id: s.channelId, name: 'Sandbox THB (renamed)' } }));
    expect(await raw()).toBe(sealed2);

    const both = await gql('admin', Q.updateChannel, { input: { id: s.channelId, credentials: { secret: 'x' }, clearCredentials: true } });
    expect(codeOf(both)).toBe('INVALID_PARAMETER');
    expect(fieldOf(both)).toBe('clearCredentials');
    const emptyValue = await gql('admin', Q.updateChannel, { input: { id: s.channelId, credentials: { secret: '' } } });
    expect({ code: codeOf(emptyValue), field: fieldOf(emptyValue) }).toEqual({ code: 'INVALID_PARAMETER', field: 'credentials' });
    const secretInSettings = await gql('admin', Q.updateChannel, { input: { id: s.channelId, settings: { delayMs: 0, apiKey: 'oops' } } });
    expect({ code: codeOf(secretInSettings), field: fieldOf(secretInSettings) }).toEqual({ code: 'INVALID_PARAMETER', field: 'settings' });
    expect(await raw()).toBe(sealed2);

    const cleared = ok(await gql('admin', Q.updateChannel, { input: { id: s.channelId, clearCredentials: true } })).updateChannel;
    expect(cleared).toMatchObject({ hasCredentials: false, credentialKeys: null });
    expect(await raw()).toBeNull();

    const audit = await env.prisma.auditLog.findMany({ where: { entityType: 'Channel', entityId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['channel.create', 'channel.update', 'channel.update', 'channel.update']);
    expect(audit[0]!.after).toMatchObject({ hasCredentials: true, credentialKeys: ['merchantNo', 'secret'] });
    expect(audit[1]!.after).toMatchObject({ credentialsReplaced: true, credentialKeys: ['apiSecret'] });
    expect(audit[3]!.after).toMatchObject({ credentialsCleared: true, hasCredentials: false });

    // No secret anywhere: every audit row and every GraphQL response of this file so far.
    const everything = JSON.stringify(await env.prisma.auditLog.findMany({ select: { before: true, after: true } }));
    for (const secret of [s.secret, secret2, 'M-0042']) {
      expect(everything).not.toContain(secret);
      expect(responses.join('\n')).not.toContain(secret);
    }
  });
});

describe('only configuration managers may change configuration', () => {
  it('Finance, Support and a merchant owner get FORBIDDEN for every mutation and nothing changes', async () => {
    const s = await adminSetup();
    const rule = ok(await gql('admin', Q.createRisk, { input: { name: 'r', direction: 'PAYOUT', kind: 'DAILY_COUNT_ABOVE', threshold: '50', action: 'REVIEW' } })).createRiskRule;
    const fx = ok(await gql('admin', Q.setFx, { input: { base: 'THB', quote: 'USD', rate: '0.0282' } })).setFxRate;
    const ownMerchant = encodeGlobalID('Merchant', shop.merchant.id);
    const t = tag();

    const attempts: Array<[string, Record<string, unknown>]> = [
      [Q.createMerchant, { input: { name: 'Nope' } }],
      [Q.updateMerchant, { input: { id: s.merchantId, status: 'SUSPENDED' } }],
      [Q.updateMerchant, { input: { id: ownMerchant, name: 'My own shop' } }],
      [Q.createService, { input: { code: `NOPE_${t}`, name: 'n', direction: 'PAYIN', kind: 'QR', currency: 'THB' } }],
      [Q.updateService, { input: { id: s.serviceId, status: 'DISABLED' } }],
      [Q.createChannel, { input: { code: `NOPE_${t}`, name: 'n', connector: 'sandbox', currency: 'THB', credentials: { secret: 'x' } } }],
      [Q.updateChannel, { input: { id: s.channelId, credentials: { secret: 'stolen' } } }],
      [Q.updateChannel, { input: { id: s.channelId, status: 'DISABLED' } }],
      [Q.bind, { input: { channelId: s.channelId, serviceId: s.serviceId } }],
      [Q.updateBinding, { input: { id: s.bindingId, weight: 0 } }],
      [Q.unbind, { input: { id: s.bindingId } }],
      [Q.upsertMs, { input: { merchantId: ownMerchant, serviceId: s.serviceId, feeRate: '0' } }],
      [Q.upsertMs, { input: { merchantId: s.merchantId, serviceId: s.serviceId, feeRate: '0' } }],
      [Q.updateMs, { input: { id: s.merchantServiceId, feeRate: '0' } }],
      [Q.createRisk, { input: { name: 'n', direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currency: 'THB', threshold: '1', action: 'REJECT' } }],
      [Q.updateRisk, { input: { id: rule.id, status: 'DISABLED' } }],
      [Q.deleteRisk, { input: { id: rule.id } }],
      [Q.setFx, { input: { base: 'THB', quote: 'USD', rate: '1' } }],
      [Q.deleteFx, { input: { id: fx.id } }],
    ];

    const before = await configCounts();
    for (const who of ['finance', 'support', 'owner'] as const) {
      for (const [query, variables] of attempts) {
        const res = await gql(who, query, variables);
        expect({ who, query: query.slice(0, 40), code: codeOf(res) }).toEqual({ who, query: query.slice(0, 40), code: 'FORBIDDEN' });
        expect(res.data ?? null).toBeNull();
      }
    }
    expect(await configCounts()).toEqual(before);

    // Signed out: UNAUTHENTICATED.
    const anonymous = await env.graphql(Q.createMerchant, { input: { name: 'x' } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a custom staff role with only CATALOG_MANAGE may change the catalogue but not merchants, risk or FX', async () => {
    const cataloguer = await createUserFixture(env.prisma, { roleKey: 'SUPPORT_AGENT', permissions: [5002], totp: true, secrets: env.services.secrets });
    const t = tag();
    const call = async (query: string, variables: Record<string, unknown>) => (await env.graphql(query, variables, { cookie: cataloguer.cookie })) as GqlResult;
    const service = await call(Q.createService, { input: { code: `CAT_${t}`, name: 'Catalogued', direction: 'PAYIN', kind: 'E_WALLET', currency: 'IDR' } });
    expect(service.errors).toBeUndefined();
    const channel = await call(Q.createChannel, { input: { code: `CAT_${t}`, name: 'c', connector: 'sandbox', currency: 'IDR' } });
    expect(channel.errors).toBeUndefined();
    expect(codeOf(await call(Q.createMerchant, { input: { name: 'x' } }))).toBe('FORBIDDEN');
    expect(codeOf(await call(Q.createRisk, { input: { name: 'n', direction: 'PAYOUT', kind: 'DAILY_COUNT_ABOVE', threshold: '5', action: 'REVIEW' } }))).toBe('FORBIDDEN');
    expect(codeOf(await call(Q.setFx, { input: { base: 'IDR', quote: 'USD', rate: '0.0000612' } }))).toBe('FORBIDDEN');
  });
});

describe('bad input has stable codes and changes nothing', () => {
  it('merchants, services, channels, bindings, merchant services, risk rules and FX rates', async () => {
    const s = await adminSetup();
    const idrService = ok(await gql('admin', Q.createService, { input: { code: `CFG_IDR_${s.t}`, name: 'IDR', direction: 'PAYIN', kind: 'QR', currency: 'IDR' } })).createService;
    const before = await configCounts();
    const expectError = async (query: string, input: Record<string, unknown>, code: string, field?: string) => {
      const res = await gql('admin', query, { input });
      expect({ code: codeOf(res), field: fieldOf(res), data: res.data ?? null }).toEqual({ code, field, data: null });
      return res;
    };

    // Merchants
    await expectError(Q.createMerchant, { name: '  ' }, 'INVALID_PARAMETER', 'name');
    await expectError(Q.createMerchant, { name: 'x', mchId: '0123456789' }, 'INVALID_PARAMETER', 'mchId');
    await expectError(Q.createMerchant, { name: 'x', mchId: s.mchId }, 'DUPLICATE', 'mchId');
    await expectError(Q.createMerchant, { name: 'x', timezone: 'Mars/Olympus_Mons' }, 'INVALID_PARAMETER', 'timezone');
    await expectError(Q.createMerchant, { name: 'x', country: 'THA' }, 'INVALID_PARAMETER', 'country');
    await expectError(Q.createMerchant, { name: 'x', contactEmail: 'not-an-email' }, 'INVALID_PARAMETER', 'contactEmail');
    await expectError(Q.createMerchant, { name: 'x', status: 'CLOSED' }, 'INVALID_PARAMETER', 'status');
    await expectError(Q.updateMerchant, { id: encodeGlobalID('Merchant', '00000000-0000-7000-8000-000000000000'), name: 'x' }, 'MERCHANT_NOT_FOUND');

    // Services
    await expectError(Q.createService, { code: s.serviceCode, name: 'again', direction: 'PAYIN', kind: 'QR', currency: 'THB' }, 'DUPLICATE', 'code');
    await expectError(Q.createService, { code: 'lower case!', name: 'x', direction: 'PAYIN', kind: 'QR', currency: 'THB' }, 'INVALID_PARAMETER', 'code');
    await expectError(Q.createService, { code: `X_${s.t}`, name: 'x', direction: 'PAYIN', kind: 'QR', currency: 'XYZ' }, 'CURRENCY_NOT_SUPPORTED', 'currency');
    await expectError(Q.createService, { code: `X_${s.t}`, name: 'x', direction: 'PAYIN', kind: 'QR', currency: 'THB', requiredFields: ['recipient_name'] }, 'INVALID_PARAMETER', 'requiredFields');
    await expectError(Q.createService, { code: `X_${s.t}`, name: 'x', direction: 'PAYIN', kind: 'CRYPTO', currency: 'USDT' }, 'INVALID_PARAMETER', 'chain');
    await expectError(Q.createService, { code: `X_${s.t}`, name: 'x', direction: 'PAYIN', kind: 'QR', currency: 'THB', chain: 'TRON' }, 'INVALID_PARAMETER', 'chain');
    // In use (a merchant service and a binding): the currency cannot change.
    await expectError(Q.updateService, { id: s.serviceId, currency: 'IDR' }, 'IN_USE', 'currency');

    // Channels
    const channel = (extra: Record<string, unknown>) => ({ code: `CH_${s.t}`, name: 'c', connector: 'sandbox', currency: 'THB', ...extra });
    await expectError(Q.createChannel, channel({ code: s.channelCode }), 'DUPLICATE', 'code');
    await expectError(Q.createChannel, channel({ connector: 'no-such-connector' }), 'INVALID_PARAMETER', 'connector');
    await expectError(Q.createChannel, channel({ paymentLowerBound: '10.001' }), 'INVALID_AMOUNT', 'paymentLowerBound');
    await expectError(Q.createChannel, channel({ paymentLowerBound: '-1' }), 'INVALID_AMOUNT', 'paymentLowerBound');
    await expectError(Q.createChannel, channel({ paymentLowerBound: '100', paymentUpperBound: '99.99' }), 'INVALID_PARAMETER', 'paymentUpperBound');
    await expectError(Q.createChannel, channel({ credentials: ['not', 'an', 'object'] }), 'INVALID_PARAMETER', 'credentials');
    await expectError(Q.createChannel, channel({ weight: -1 }), 'INVALID_PARAMETER', 'weight');
    await expectError(Q.updateChannel, { id: s.channelId, currency: 'IDR' }, 'IN_USE', 'currency');
    await expectError(Q.updateChannel, { id: s.channelId, paymentUpperBound: '5.00' }, 'INVALID_PARAMETER', 'paymentUpperBound');

    // Bindings
    await expectError(Q.bind, { channelId: s.channelId, serviceId: s.serviceId }, 'DUPLICATE', 'serviceId');
    await expectError(Q.bind, { channelId: s.channelId, serviceId: idrService.id }, 'CURRENCY_MISMATCH', 'serviceId');
    await expectError(Q.updateBinding, { id: s.bindingId, lowerBound: '40000.00' }, 'INVALID_PARAMETER', 'upperBound');

    // Merchant services
    const ms = (extra: Record<string, unknown>) => ({ merchantId: s.merchantId, serviceId: s.serviceId, ...extra });
    await expectError(Q.upsertMs, ms({ feeRate: '100.5' }), 'INVALID_PARAMETER', 'feeRate');
    await expectError(Q.upsertMs, ms({ feeRate: '1.23456' }), 'INVALID_PARAMETER', 'feeRate');
    await expectError(Q.upsertMs, ms({ feeFixed: '-1.00' }), 'INVALID_AMOUNT', 'feeFixed');
    await expectError(Q.upsertMs, ms({ feeFixed: '1.005' }), 'INVALID_AMOUNT', 'feeFixed');
    await expectError(Q.upsertMs, ms({ settlementDays: 31 }), 'INVALID_PARAMETER', 'settlementDays');
    await expectError(Q.upsertMs, ms({ singleLimitLower: '30000.00' }), 'INVALID_PARAMETER', 'singleLimitUpper');
    await expectError(Q.updateMs, { id: s.merchantServiceId, singleLimitUpper: '1.00' }, 'INVALID_PARAMETER', 'singleLimitUpper');

    // Risk rules
    const risk = (extra: Record<string, unknown>) => ({ name: 'r', direction: 'PAYOUT', action: 'REJECT', ...extra });
    await expectError(Q.createRisk, risk({ kind: 'AMOUNT_ABOVE', threshold: '100' }), 'INVALID_PARAMETER', 'currency');
    await expectError(Q.createRisk, risk({ kind: 'AMOUNT_ABOVE', currency: 'THB', threshold: '1.001' }), 'INVALID_AMOUNT', 'threshold');
    await expectError(Q.createRisk, risk({ kind: 'AMOUNT_ABOVE', currency: 'THB', threshold: '0' }), 'INVALID_PARAMETER', 'threshold');
    await expectError(Q.createRisk, risk({ kind: 'DAILY_COUNT_ABOVE', threshold: '1.5' }), 'INVALID_PARAMETER', 'threshold');
    await expectError(Q.createRisk, risk({ kind: 'BLOCKED_ACCOUNT' }), 'INVALID_PARAMETER', 'value');
    await expectError(Q.createRisk, risk({ kind: 'DAILY_VOLUME_ABOVE', currency: 'ZZZ', threshold: '1' }), 'CURRENCY_NOT_SUPPORTED', 'currency');

    // FX rates
    await expectError(Q.setFx, { base: 'THB', quote: 'USD', rate: '0' }, 'INVALID_PARAMETER', 'rate');
    await expectError(Q.setFx, { base: 'THB', quote: 'USD', rate: '-1.5' }, 'INVALID_PARAMETER', 'rate');
    await expectError(Q.setFx, { base: 'THB', quote: 'USD', rate: '0.0000000000001' }, 'INVALID_PARAMETER', 'rate');
    await expectError(Q.setFx, { base: 'THB', quote: 'THB', rate: '1' }, 'INVALID_PARAMETER', 'quote');
    await expectError(Q.setFx, { base: 'ABC', quote: 'USD', rate: '1' }, 'CURRENCY_NOT_SUPPORTED', 'base');
    await expectError(Q.deleteFx, { id: encodeGlobalID('FxRate', '00000000-0000-7000-8000-000000000000') }, 'FX_RATE_NOT_FOUND');

    expect(await configCounts()).toEqual(before);
    // A malformed id is refused before anything else.
    const badId = await gql('admin', Q.updateChannel, { input: { id: 'not-an-id', name: 'x' } });
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_ID', field: 'id' });
  });

  it('a unique key taken by a concurrent request is DUPLICATE, never a raw database error', async () => {
    const code = `RACE_${tag()}`;
    const input = { code, name: 'race', direction: 'PAYIN', kind: 'QR', currency: 'THB' };
    const results = await Promise.all([1, 2, 3, 4].map(() => gql('admin', Q.createService, { input })));
    const codes = results.map((r) => (r.errors ? codeOf(r) : 'OK')).sort();
    expect(codes).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'OK']);
    expect(await env.prisma.service.count({ where: { code } })).toBe(1);
    expect(await env.prisma.auditLog.count({ where: { action: 'service.create', after: { path: ['code'], equals: code } } })).toBe(1);
  });
});

describe('updates', () => {
  it('merchant status: suspension refuses the REST API at once, reactivation restores it; CLOSED is final', async () => {
    const client = shop.client(env.url);
    const query = () => client.post('/v1/transaction/query', { out_trade_no: 'never-created' });
    expect((await query()).body.code).toBe(40401);

    const id = encodeGlobalID('Merchant', shop.merchant.id);
    const suspended = ok(await gql('admin', Q.updateMerchant, { input: { id, status: 'SUSPENDED', name: 'Shop (on hold)', contactEmail: null } })).updateMerchant;
    expect(suspended).toMatchObject({ status: 'SUSPENDED', name: 'Shop (on hold)', contactEmail: null, mchId: shop.mchId });
    expect((await query()).body.code).toBe(40302);
    ok(await gql('admin', Q.updateMerchant, { input: { id, status: 'ACTIVE' } }));
    expect((await query()).body.code).toBe(40401);

    const audit = await env.prisma.auditLog.findMany({ where: { entityType: 'Merchant', entityId: shop.merchant.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['merchant.set_status', 'merchant.set_status']);
    expect(audit[0]!.before).toMatchObject({ status: 'ACTIVE' });
    expect(audit[0]!.after).toMatchObject({ status: 'SUSPENDED', name: 'Shop (on hold)' });

    const s = await adminSetup();
    ok(await gql('admin', Q.updateMerchant, { input: { id: s.merchantId, status: 'CLOSED' } }));
    const reopen = await gql('admin', Q.updateMerchant, { input: { id: s.merchantId, status: 'ACTIVE' } });
    expect(codeOf(reopen)).toBe('INVALID_TRANSITION');
    expect((await env.prisma.merchant.findUniqueOrThrow({ where: { id: dbId(s.merchantId) } })).status).toBe('CLOSED');
  });

  it('merchant services: upsert changes the existing activation, update by id, limits cleared with null', async () => {
    const s = await adminSetup();
    const again = ok(await gql('admin', Q.upsertMs, { input: { merchantId: s.merchantId, serviceId: s.serviceId, feeRate: '1.75', settlementDays: 2 } })).upsertMerchantService;
    expect(again).toMatchObject({ id: s.merchantServiceId, feeRate: '1.75', feeRatePpm: '17500', settlementDays: 2, feeFixed: { amount: '1.00', currency: 'THB' }, singleLimitLower: { amount: '50.00' } });
    const updated = ok(await gql('admin', Q.updateMs, { input: { id: s.merchantServiceId, singleLimitLower: null, singleLimitUpper: '0', status: 'DISABLED' } })).updateMerchantService;
    expect(updated).toMatchObject({ status: 'DISABLED', singleLimitLower: null, singleLimitUpper: null, feeRate: '1.75' });
    expect(ok(await gql('admin', Q.range, { m: s.merchantId, s: s.serviceCode })).availableRange).toMatchObject({ enabled: false });
    expect(codeOf(await gql('admin', Q.testPayin, { input: { merchantId: s.merchantId, service: s.serviceCode, amount: '100.00', payerName: 'x' } }))).toBe('SERVICE_UNAVAILABLE');

    const audit = await env.prisma.auditLog.findMany({ where: { entityType: 'MerchantService', entityId: dbId(s.merchantServiceId) }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['merchant_service.activate', 'merchant_service.update', 'merchant_service.update']);
    expect(audit[1]!.before).toMatchObject({ feeRate: '2.5', settlementDays: 0 });
    expect(audit[1]!.after).toMatchObject({ feeRate: '1.75', settlementDays: 2 });
  });

  it('services: name, kind, fields and status change; currency changes only while unused; the code is fixed', async () => {
    const t = tag();
    const created = ok(await gql('admin', Q.createService, { input: { code: `fresh_${t}`, name: 'Fresh', direction: 'PAYIN', kind: 'QR', currency: 'THB' } })).createService;
    expect(created).toMatchObject({ code: `FRESH_${t}`, status: 'ENABLED', chain: null, requiredFields: [] });
    const moved = ok(await gql('admin', Q.updateService, { input: { id: created.id, currency: 'USDT', chain: 'tron', kind: 'CRYPTO', name: 'Fresh USDT' } })).updateService;
    expect(moved).toMatchObject({ currency: { code: 'USDT' }, chain: 'TRON', kind: 'CRYPTO', name: 'Fresh USDT' });
    const fields = ok(await gql('admin', Q.updateService, { input: { id: created.id, requiredFields: ['PAYER_NAME', 'payer_name', 'payer_phone'], status: 'DISABLED', country: null } })).updateService;
    expect(fields).toMatchObject({ requiredFields: ['payer_name', 'payer_phone'], status: 'DISABLED', country: null });
    const audit = await env.prisma.auditLog.findMany({ where: { entityType: 'Service', entityId: dbId(created.id) }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['service.create', 'service.update', 'service.update']);
    expect(audit[1]!.before).toMatchObject({ currency: 'THB', chain: null });
    expect(audit[1]!.after).toMatchObject({ currency: 'USDT', chain: 'TRON' });
  });

  it('FX rates: set creates, set again replaces exactly, delete removes; all audited', async () => {
    const first = ok(await gql('admin', Q.setFx, { input: { base: 'USDT', quote: 'USD', rate: '0001.000100000000' } })).setFxRate;
    expect(first).toMatchObject({ base: 'USDT', quote: 'USD', rate: '1.0001' });
    const second = ok(await gql('admin', Q.setFx, { input: { base: 'usdt', quote: 'usd', rate: '0.999999999999' } })).setFxRate;
    expect(second).toEqual({ id: first.id, base: 'USDT', quote: 'USD', rate: '0.999999999999' });
    const stored = await env.prisma.fxRate.findUniqueOrThrow({ where: { id: dbId(first.id) } });
    expect(stored.rate.toFixed()).toBe('0.999999999999');
    const list = ok(await gql('finance', `query { fxRates(first: 50, filter: { base: "USDT" }) { nodes { id rate } } }`)).fxRates.nodes;
    expect(list).toEqual([{ id: first.id, rate: '0.999999999999' }]);

    expect(ok(await gql('admin', Q.deleteFx, { input: { id: first.id } })).deleteFxRate).toEqual({ deletedFxRateId: first.id });
    expect(await env.prisma.fxRate.count({ where: { id: dbId(first.id) } })).toBe(0);
    const audit = await env.prisma.auditLog.findMany({ where: { entityType: 'FxRate', entityId: dbId(first.id) }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ['fx_rate.set', null, { base: 'USDT', quote: 'USD', rate: '1.0001' }],
      ['fx_rate.set', { base: 'USDT', quote: 'USD', rate: '1.0001' }, { base: 'USDT', quote: 'USD', rate: '0.999999999999' }],
      ['fx_rate.delete', { base: 'USDT', quote: 'USD', rate: '0.999999999999' }, null],
    ]);
  });
});
