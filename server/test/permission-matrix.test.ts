import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { schema } from '../src/graphql/schema/index.ts';
import { PERMISSIONS } from '../src/modules/auth/permissions.ts';
import { addMerchantKey } from '../src/modules/apps/apps.service.ts';
import { generateRsaKeyPairAsync } from '../src/lib/crypto.ts';
import { catchUpDailyStatements } from '../src/modules/statements/statements.service.ts';
import { builtInRole } from './support/auth-fixtures.ts';
import { createUserFixture, graphqlHttp } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * The permission matrix (issue #5): every query, mutation and subscription of the schema, run as every
 * built-in role, as the owner of ANOTHER merchant and anonymously, against shop A's data. Each cell is
 * "allowed" or "denied"; the expected table is written out by hand from seed 001/004 (not derived from
 * the ability code), and a denied call must change nothing. The schema's field list must equal the
 * table's, so a new operation cannot ship without its row.
 */

const WHO = ['admin', 'finance', 'support', 'owner', 'operator', 'viewer', 'otherOwner', 'anonymous'] as const;
type Who = (typeof WHO)[number];
type Outcome = 'allowed' | 'denied' | `error ${string}`;

const STAFF: Who[] = ['admin', 'finance', 'support'];
const SHOP: Who[] = ['owner', 'operator', 'viewer'];
const SIGNED_IN: Who[] = [...STAFF, ...SHOP, 'otherOwner'];
/** Everyone who reads shop A's transactions, balances and reports (MERCHANT_READ codes). */
const READERS: Who[] = [...STAFF, ...SHOP];

/** Denial codes: not signed in, not allowed, or (for rows of another merchant) "not found". */
const isDenial = (code: string) => code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || /NOT_FOUND$/.test(code);

type GqlResult = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

let env: TestEnvironment;
let shop: MerchantFixture;
let otherShop: MerchantFixture;
let cookies: Record<Exclude<Who, 'anonymous'>, string>;
let ids: Record<string, string> = {};

const gid = (type: string, id: string) => encodeGlobalID(type, id);
const send = (who: Who, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> =>
  graphqlHttp(env.url, query, variables, who === 'anonymous' ? {} : { cookie: cookies[who] });

async function asAdmin(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await send('admin', query, variables);
  if (res.errors?.length) throw new Error(`fixture failed: ${res.errors[0]!.extensions?.code} ${res.errors[0]!.message}\n${query}`);
  return res.data!;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What a denied call must not have touched: money, audit and the transactional tables (deliveries
 * retry on their own schedule, so they are compared per target row instead). */
async function globalFingerprint(): Promise<string> {
  const rows = await env.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`
    SELECT (SELECT count(*) FROM audit_logs) AS audit, (SELECT count(*) FROM ledger_entries) AS entries,
           (SELECT count(*) FROM orders) AS orders, (SELECT max("updatedAt") FROM orders) AS orders_at,
           (SELECT count(*) FROM payouts) AS payouts, (SELECT max("updatedAt") FROM payouts) AS payouts_at,
           (SELECT count(*) FROM fund_requests) AS funds, (SELECT max("updatedAt") FROM fund_requests) AS funds_at,
           (SELECT count(*) FROM merchant_destinations) AS destinations, (SELECT count(*) FROM exports) AS exports,
           (SELECT count(*) FROM api_tokens) AS tokens, (SELECT count(*) FROM api_tokens WHERE "revokedAt" IS NOT NULL) AS revoked,
           ${['services', 'channels', 'channel_services', 'merchant_services', 'risk_rules', 'fx_rates', 'apps', 'merchant_keys', 'platform_keys', 'roles', 'user_roles', 'merchants']
             .map((t) => `(SELECT md5(coalesce(string_agg(to_jsonb(x)::text, '' ORDER BY to_jsonb(x)::text), '')) FROM ${t} x) AS ${t}`).join(', ')},
           (SELECT md5(coalesce(string_agg((to_jsonb(u) - 'updatedAt' - 'lastLoginAt' - 'failedLoginCount')::text, '' ORDER BY u.id), '')) FROM users u) AS users`);
  return JSON.stringify(rows[0], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

const TABLES: Record<string, string> = {
  Payin: 'orders', Payout: 'payouts', FundRequest: 'fund_requests', MerchantDestination: 'merchant_destinations', Delivery: 'deliveries', ApiToken: 'api_tokens',
  Service: 'services', Channel: 'channels', ChannelService: 'channel_services', MerchantService: 'merchant_services', RiskRule: 'risk_rules', FxRate: 'fx_rates',
  App: 'apps', User: 'users', Role: 'roles', Merchant: 'merchants',
};

/** The target row of a call (its `id` variable), as stored. */
async function targetRow(variables: Record<string, unknown>): Promise<string> {
  const raw = variables.id ?? (variables.input as { id?: unknown } | undefined)?.id;
  if (typeof raw !== 'string') return '';
  const { typename, id } = decodeGlobalID(raw);
  const table = TABLES[typename];
  if (!table) throw new Error(`no table for ${typename}`);
  const rows = await env.prisma.$queryRawUnsafe<Array<{ row: unknown }>>(`SELECT row_to_json(t)::text AS row FROM ${table} t WHERE id = $1::uuid`, id);
  return JSON.stringify(rows);
}

/** Both fingerprints once earlier calls' background work (worker jobs) has settled. */
async function fingerprint(variables: Record<string, unknown>): Promise<string> {
  let previous = '';
  for (let i = 0; i < 40; i += 1) {
    const now = (await globalFingerprint()) + (await targetRow(variables));
    if (now === previous) return now;
    previous = now;
    await new Promise((r) => setTimeout(r, 80));
  }
  return previous;
}

/** Classifies a mutation result: errors in `errors[]` or a union member with `code`. */
function outcomeOf(res: GqlResult, field: string): Outcome {
  const code = (res.errors?.[0]?.extensions?.code as string | undefined) ?? (res.data?.[field] as { code?: string } | undefined)?.code;
  if (code) return isDenial(code) ? 'denied' : `error ${code}`;
  if (res.errors?.length) return `error ${res.errors[0]!.message}`;
  return 'allowed';
}

// ---------------------------------------------------------------------------------------------------
// Fixture builders (as the administrator): each call makes a fresh target in shop A.

const PAYIN = `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id orderNo } } }`;
const PAYOUT = `mutation($input: CreateTestPayoutInput!) { createTestPayout(input: $input) { id payoutNo status } }`;

async function newPayin(extra: Record<string, unknown> = {}): Promise<{ id: string; orderNo: string }> {
  const data = await asAdmin(PAYIN, { input: { merchantId: gid('Merchant', shop.merchant.id), service: 'THB_QR', amount: '50.00', payerName: 'Somchai', ...extra } });
  return data.createTestPayin.payin;
}

/** A payout of shop A: `review` holds it for finance (risk rule above 900.00), `stuck` leaves it PROCESSING, `succeeded` waits for success. */
async function newPayout(fate: 'review' | 'stuck' | 'succeeded', notifyUrl?: string): Promise<string> {
  const data = await asAdmin(PAYOUT, {
    input: {
      ...(notifyUrl ? { notifyUrl } : {}),
      merchantId: gid('Merchant', shop.merchant.id), service: 'THB_OUT', amount: fate === 'review' ? '950.00' : '20.00',
      recipientName: fate === 'stuck' ? 'SANDBOX STUCK' : 'Jane Doe', recipientAccount: '1234567890', bankCode: 'SCB',
    },
  });
  const { id, payoutNo } = data.createTestPayout;
  const wanted = fate === 'review' ? 'REVIEW' : fate === 'stuck' ? 'PROCESSING' : 'SUCCEEDED';
  await waitFor(async () => (await env.prisma.payout.findUniqueOrThrow({ where: { payoutNo } })).status === wanted, `payout ${wanted}`);
  return id;
}

async function newRecharge(): Promise<string> {
  const res = await send('owner', `mutation($input: CreateRechargeInput!) { createRecharge(input: $input) { id } }`, {
    input: { merchantId: gid('Merchant', shop.merchant.id), currency: 'THB', amount: '10.00', reference: `ref-${Math.random()}` },
  });
  if (res.errors) throw new Error(res.errors[0]!.message);
  return res.data!.createRecharge.id;
}

async function newDestination(): Promise<string> {
  const res = await send('owner', `mutation($input: CreateDestinationInput!) { createDestination(input: $input) { id } }`, {
    input: { merchantId: gid('Merchant', shop.merchant.id), currency: 'THB', kind: 'BANK', bankName: 'SCB', accountName: 'Shop A', accountNumber: `98${Math.floor(Math.random() * 1e9)}` },
  });
  if (res.errors) throw new Error(res.errors[0]!.message);
  return res.data!.createDestination.id;
}

async function newDelivery(): Promise<string> {
  const order = await newPayin({ notifyUrl: 'http://127.0.0.1:9/unreachable' });
  await asAdmin(`mutation($id: ID!) { closePayin(id: $id, reason: "matrix") { id } }`, { id: order.id });
  const delivery = await env.prisma.delivery.findFirstOrThrow({ where: { order: { orderNo: order.orderNo } } });
  await env.prisma.delivery.update({ where: { id: delivery.id }, data: { status: 'FAILED' } }).catch(() => undefined);
  return gid('Delivery', delivery.id);
}

async function newApiToken(): Promise<string> {
  const res = await send('owner', `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ... on CreateApiTokenPayload { apiToken { id } } } }`, {
    input: { name: `t${Math.random()}`, permissions: [PERMISSIONS.PAYIN_READ] },
  });
  const id = res.data?.createApiToken?.apiToken?.id as string | undefined;
  if (!id) throw new Error(`token fixture: ${JSON.stringify(res)}`);
  return id;
}

let serial = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(serial += 1)}`.toUpperCase();

async function newService(): Promise<string> {
  return gid('Service', (await createService(env.prisma, { code: unique('SVC'), currencyCode: 'THB' })).id);
}
async function newChannel(): Promise<{ id: string; dbId: string }> {
  const channel = await createChannel(env.prisma, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  return { id: gid('Channel', channel.id), dbId: channel.id };
}
async function newBinding(): Promise<string> {
  const service = await createService(env.prisma, { code: unique('SVC'), currencyCode: 'THB' });
  const channel = await newChannel();
  return gid('ChannelService', (await bindChannel(env.prisma, channel.dbId, service.id)).id);
}
async function newMerchantService(): Promise<string> {
  const service = await createService(env.prisma, { code: unique('SVC'), currencyCode: 'THB' });
  return gid('MerchantService', (await activateService(env.prisma, shop.merchant.id, service.id)).id);
}
async function newRiskRule(): Promise<string> {
  const rule = await env.prisma.riskRule.create({
    data: { name: unique('rule'), merchantId: shop.merchant.id, direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: 5_000_000_00n, action: 'REVIEW' },
  });
  return gid('RiskRule', rule.id);
}
async function newFxRate(): Promise<string> {
  const rate = await env.prisma.fxRate.upsert({ where: { base_quote: { base: 'USD', quote: 'THB' } }, create: { base: 'USD', quote: 'THB', rate: '35.5' }, update: {} });
  return gid('FxRate', rate.id);
}
async function newShopUser(): Promise<string> {
  return gid('User', (await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId: shop.merchant.id })).user.id);
}
async function newShopRole(): Promise<string> {
  const role = await env.prisma.role.create({ data: { name: unique('role'), scope: 'MERCHANT', builtIn: false, merchantId: shop.merchant.id, permissions: [PERMISSIONS.PAYIN_READ] } });
  return gid('Role', role.id);
}

// ---------------------------------------------------------------------------------------------------
// The table.

interface MutationCase {
  field: string;
  /** Who may, for a target of shop A. Everyone else: denied, and nothing changes. */
  allowed: Who[];
  document: string;
  /** Fresh variables for one caller. */
  variables: (who: Who) => Promise<Record<string, unknown>>;
  /** Outcomes other than allowed/denied that are the right answer for someone (e.g. a domain refusal). */
  special?: Partial<Record<Who, Outcome>>;
}

const merchantA = () => gid('Merchant', shop.merchant.id);
const payoutVars = (fate: 'review' | 'stuck' | 'succeeded', extra: Record<string, unknown> = {}) => async () => ({ id: await newPayout(fate), ...extra });
const payinVars = (extra: Record<string, unknown> = {}, notifyUrl?: string) => async () => ({ id: (await newPayin(notifyUrl ? { notifyUrl } : {})).id, ...extra });

const MUTATIONS: MutationCase[] = [
  {
    field: 'createTestPayin', allowed: ['admin', 'support', 'owner', 'operator'], document: PAYIN,
    variables: async () => ({ input: { merchantId: merchantA(), service: 'THB_QR', amount: '30.00', payerName: 'x' } }),
  },
  {
    field: 'createTestPayout', allowed: ['admin', 'support', 'owner', 'operator'], document: PAYOUT,
    variables: async () => ({ input: { merchantId: merchantA(), service: 'THB_OUT', amount: '10.00', recipientName: 'SANDBOX STUCK', recipientAccount: '1234567890', bankCode: 'SCB' } }),
  },
  { field: 'closePayin', allowed: ['admin', 'support', 'owner', 'operator'], document: `mutation($id: ID!) { closePayin(id: $id, reason: "m") { id } }`, variables: payinVars() },
  {
    field: 'simulatePayinCallback', allowed: ['admin', 'support', 'owner', 'operator'],
    document: `mutation($id: ID!) { simulatePayinCallback(id: $id, outcome: SUCCESS) { id } }`, variables: payinVars(),
  },
  {
    field: 'overridePayinStatus', allowed: ['admin'],
    document: `mutation($id: ID!) { overridePayinStatus(id: $id, status: FAILED, reason: "bank says no") { id } }`, variables: payinVars(),
  },
  {
    field: 'setPayinOriginality', allowed: ['admin', 'support'],
    document: `mutation($id: ID!) { setPayinOriginality(id: $id, originality: FRAUD, reason: "chargeback") { id } }`, variables: payinVars(),
  },
  { field: 'approvePayout', allowed: ['admin', 'finance'], document: `mutation($id: ID!) { approvePayout(id: $id) { id } }`, variables: payoutVars('review') },
  { field: 'rejectPayout', allowed: ['admin', 'finance'], document: `mutation($id: ID!) { rejectPayout(id: $id, note: "no") { id } }`, variables: payoutVars('review') },
  { field: 'reversePayout', allowed: ['admin'], document: `mutation($id: ID!) { reversePayout(id: $id, note: "returned") { id } }`, variables: payoutVars('succeeded') },
  {
    field: 'overridePayoutStatus', allowed: ['admin'],
    document: `mutation($id: ID!) { overridePayoutStatus(id: $id, status: FAILED, reason: "bank confirmed failure") { id } }`, variables: payoutVars('stuck'),
  },
  {
    field: 'setPayoutOriginality', allowed: ['admin', 'support'],
    document: `mutation($id: ID!) { setPayoutOriginality(id: $id, originality: FRAUD, reason: "mule account") { id } }`, variables: payoutVars('stuck'),
  },
  {
    field: 'simulatePayoutCallback', allowed: ['admin', 'owner', 'operator'],
    document: `mutation($id: ID!) { simulatePayoutCallback(id: $id, outcome: SUCCESS) { id } }`, variables: payoutVars('stuck'),
  },
  { field: 'resendDelivery', allowed: ['admin', 'support', 'owner', 'operator'], document: `mutation($id: ID!) { resendDelivery(id: $id) { id } }`, variables: async () => ({ id: await newDelivery() }) },
  {
    field: 'resendPayinNotification', allowed: ['admin', 'support', 'owner', 'operator'],
    document: `mutation($id: ID!) { resendPayinNotification(id: $id) { id } }`, variables: payinVars({}, 'http://127.0.0.1:9/unreachable'),
  },
  {
    field: 'resendPayoutNotification', allowed: ['admin', 'support', 'owner', 'operator'],
    document: `mutation($id: ID!) { resendPayoutNotification(id: $id) { id } }`, variables: async () => ({ id: await newPayout('stuck', 'http://127.0.0.1:9/unreachable') }),
  },
  {
    // Every holder of EXPORT_CREATE exports what it may read; the other merchant's owner gets its own rows only.
    field: 'createExport', allowed: ['admin', 'finance', 'support', 'owner', 'operator', 'otherOwner'],
    document: `mutation($f: PayinFilter) { createExport(kind: PAYINS, payinFilter: $f) { id } }`, variables: async () => ({ f: { merchantIds: [merchantA()] } }),
  },
  {
    field: 'createRecharge', allowed: ['admin', 'owner'], document: `mutation($input: CreateRechargeInput!) { createRecharge(input: $input) { id } }`,
    variables: async () => ({ input: { merchantId: merchantA(), currency: 'THB', amount: '10.00', reference: `r${Math.random()}` } }),
  },
  {
    field: 'createWithdrawal', allowed: ['admin', 'owner'], document: `mutation($input: CreateWithdrawalInput!) { createWithdrawal(input: $input) { id } }`,
    variables: async () => ({ input: { merchantId: merchantA(), currency: 'THB', amount: '10.00', destinationId: ids.destination } }),
  },
  {
    field: 'createTransfer', allowed: ['admin', 'owner'], document: `mutation($input: CreateTransferInput!) { createTransfer(input: $input) { id } }`,
    variables: async () => ({ input: { merchantId: merchantA(), currency: 'THB', amount: '10.00', targetMchId: otherShop.mchId } }),
  },
  { field: 'cancelFundRequest', allowed: ['admin', 'owner'], document: `mutation($id: ID!) { cancelFundRequest(id: $id) { id } }`, variables: async () => ({ id: await newRecharge() }) },
  { field: 'approveFundRequest', allowed: ['admin', 'finance'], document: `mutation($id: ID!) { approveFundRequest(id: $id) { id } }`, variables: async () => ({ id: await newRecharge() }) },
  { field: 'rejectFundRequest', allowed: ['admin', 'finance'], document: `mutation($id: ID!) { rejectFundRequest(id: $id, note: "no proof") { id } }`, variables: async () => ({ id: await newRecharge() }) },
  {
    field: 'createDestination', allowed: ['admin', 'owner'], document: `mutation($input: CreateDestinationInput!) { createDestination(input: $input) { id } }`,
    variables: async () => ({ input: { merchantId: merchantA(), currency: 'THB', kind: 'BANK', bankName: 'KBank', accountName: 'A', accountNumber: `11${Math.floor(Math.random() * 1e9)}` } }),
  },
  { field: 'deleteDestination', allowed: ['admin', 'owner'], document: `mutation($id: ID!) { deleteDestination(id: $id) }`, variables: async () => ({ id: await newDestination() }) },
  {
    field: 'adjustBalance', allowed: ['admin', 'finance'],
    document: `mutation($m: ID!) { adjustBalance(merchantId: $m, currency: "THB", amount: "1.00", reason: "goodwill credit") { __typename } }`,
    variables: async () => ({ m: merchantA() }),
  },
  {
    // Tokens belong to a merchant: the administrator has no merchant to issue one for (a refusal, not a permission).
    field: 'createApiToken', allowed: ['owner', 'otherOwner'],
    document: `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ... on CreateApiTokenPayload { token } } }`,
    variables: async () => ({ input: { name: `t${Math.random()}`, permissions: [PERMISSIONS.PAYIN_READ] } }),
    special: { admin: 'error INVALID_INPUT' },
  },
  {
    field: 'revokeApiToken', allowed: ['admin', 'owner'],
    document: `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { ... on ApiToken { id } } }`,
    variables: async () => ({ id: await newApiToken() }),
  },
  // Platform configuration (seed 004): the administrator only (CATALOG/MERCHANT/RISK/FX_MANAGE).
  {
    field: 'createMerchant', allowed: ['admin'], document: `mutation($input: CreateMerchantInput!) { createMerchant(input: $input) { id } }`,
    variables: async () => ({ input: { name: unique('Merchant'), timezone: 'Asia/Bangkok' } }),
  },
  {
    field: 'updateMerchant', allowed: ['admin'], document: `mutation($input: UpdateMerchantInput!) { updateMerchant(input: $input) { id } }`,
    variables: async () => ({ input: { id: merchantA(), name: unique('Shop A') } }),
  },
  {
    field: 'createService', allowed: ['admin'], document: `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`,
    variables: async () => ({ input: { code: unique('SVC'), name: 'Matrix QR', currency: 'THB', direction: 'PAYIN', kind: 'QR' } }),
  },
  {
    field: 'updateService', allowed: ['admin'], document: `mutation($input: UpdateServiceInput!) { updateService(input: $input) { id } }`,
    variables: async () => ({ input: { id: await newService(), name: 'Renamed' } }),
  },
  {
    field: 'createChannel', allowed: ['admin'], document: `mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }`,
    variables: async () => ({ input: { code: unique('ch').toLowerCase(), name: 'Matrix channel', connector: 'sandbox', currency: 'THB', credentials: { secret: 'matrix-secret' } } }),
  },
  {
    field: 'updateChannel', allowed: ['admin'], document: `mutation($input: UpdateChannelInput!) { updateChannel(input: $input) { id } }`,
    variables: async () => ({ input: { id: (await newChannel()).id, name: 'Renamed channel' } }),
  },
  {
    field: 'bindChannelService', allowed: ['admin'], document: `mutation($input: BindChannelServiceInput!) { bindChannelService(input: $input) { id } }`,
    variables: async () => ({ input: { channelId: (await newChannel()).id, serviceId: await newService() } }),
  },
  {
    field: 'updateChannelService', allowed: ['admin'], document: `mutation($input: UpdateChannelServiceInput!) { updateChannelService(input: $input) { id } }`,
    variables: async () => ({ input: { id: await newBinding(), weight: 5 } }),
  },
  {
    field: 'unbindChannelService', allowed: ['admin'], document: `mutation($input: UnbindChannelServiceInput!) { unbindChannelService(input: $input) { __typename } }`,
    variables: async () => ({ input: { id: await newBinding() } }),
  },
  {
    field: 'upsertMerchantService', allowed: ['admin'], document: `mutation($input: UpsertMerchantServiceInput!) { upsertMerchantService(input: $input) { id } }`,
    variables: async () => ({ input: { merchantId: merchantA(), serviceId: await newService(), feeRate: '1.5', feeFixed: '0.50' } }),
  },
  {
    field: 'updateMerchantService', allowed: ['admin'], document: `mutation($input: UpdateMerchantServiceInput!) { updateMerchantService(input: $input) { id } }`,
    variables: async () => ({ input: { id: await newMerchantService(), feeRate: '0' } }),
  },
  {
    field: 'createRiskRule', allowed: ['admin'], document: `mutation($input: CreateRiskRuleInput!) { createRiskRule(input: $input) { id } }`,
    variables: async () => ({ input: { name: unique('rule'), merchantId: merchantA(), direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currency: 'THB', threshold: '9000000.00', action: 'REVIEW' } }),
  },
  {
    field: 'updateRiskRule', allowed: ['admin'], document: `mutation($input: UpdateRiskRuleInput!) { updateRiskRule(input: $input) { id } }`,
    variables: async () => ({ input: { id: await newRiskRule(), name: unique('renamed') } }),
  },
  {
    field: 'deleteRiskRule', allowed: ['admin'], document: `mutation($input: DeleteRiskRuleInput!) { deleteRiskRule(input: $input) { __typename } }`,
    variables: async () => ({ input: { id: await newRiskRule() } }),
  },
  {
    field: 'setFxRate', allowed: ['admin'], document: `mutation($input: SetFxRateInput!) { setFxRate(input: $input) { id } }`,
    variables: async () => ({ input: { base: 'USD', quote: 'THB', rate: '35.25' } }),
  },
  {
    field: 'deleteFxRate', allowed: ['admin'], document: `mutation($input: DeleteFxRateInput!) { deleteFxRate(input: $input) { __typename } }`,
    variables: async () => ({ input: { id: await newFxRate() } }),
  },
  // Applications and keys (seed 000 merchant center): the administrator and the merchant's owner.
  {
    field: 'createApp', allowed: ['admin', 'owner'], document: `mutation($input: CreateAppInput!) { createApp(input: $input) { id } }`,
    variables: async () => ({ input: { merchantId: merchantA(), name: 'Matrix app' } }),
  },
  {
    field: 'updateApp', allowed: ['admin', 'owner'], document: `mutation($input: UpdateAppInput!) { updateApp(input: $input) { id } }`,
    variables: async () => ({ input: { id: ids.app, name: unique('Checkout') } }),
  },
  {
    field: 'addMerchantPublicKey', allowed: ['admin', 'owner'],
    document: `mutation($input: AddMerchantPublicKeyInput!) { addMerchantPublicKey(input: $input) { id } }`,
    variables: async () => ({ input: { id: ids.app, publicKeyPem: (await generateRsaKeyPairAsync()).publicKeyPem } }),
  },
  {
    field: 'revokeMerchantKey', allowed: ['admin', 'owner'], document: `mutation($input: RevokeMerchantKeyInput!) { revokeMerchantKey(input: $input) { id } }`,
    variables: async () => {
      const { serial: added } = await addMerchantKey(env.prisma, { id: shop.app.id }, (await generateRsaKeyPairAsync()).publicKeyPem);
      return { input: { id: ids.app, serial: added } };
    },
  },
  {
    field: 'rotatePlatformKey', allowed: ['admin', 'owner'], document: `mutation($input: RotatePlatformKeyInput!) { rotatePlatformKey(input: $input) { id } }`,
    variables: async () => ({ input: { id: ids.app } }),
  },
  // The merchant's team: the administrator and the owner (TEAM_WRITE); operators only read it.
  {
    field: 'createUser', allowed: ['admin', 'owner'], document: `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }`,
    variables: async () => ({ input: { email: `${unique('u').toLowerCase()}@shop-a.test`, name: 'New cashier', merchantId: merchantA(), roleIds: [ids.viewerRole], password: 'Str0ng-passphrase-for-matrix' } }),
  },
  {
    field: 'updateUser', allowed: ['admin', 'owner'], document: `mutation($input: UpdateUserInput!) { updateUser(input: $input) { id } }`,
    variables: async () => ({ input: { id: await newShopUser(), name: 'Renamed cashier' } }),
  },
  { field: 'resetUserTotp', allowed: ['admin', 'owner'], document: `mutation($input: UserIdInput!) { resetUserTotp(input: $input) { id } }`, variables: async () => ({ input: { id: await newShopUser() } }) },
  {
    field: 'resetUserPassword', allowed: ['admin', 'owner'], document: `mutation($input: ResetUserPasswordInput!) { resetUserPassword(input: $input) { __typename } }`,
    variables: async () => ({ input: { id: await newShopUser() } }),
  },
  { field: 'unlockUser', allowed: ['admin', 'owner'], document: `mutation($input: UserIdInput!) { unlockUser(input: $input) { id } }`, variables: async () => ({ input: { id: await newShopUser() } }) },
  {
    field: 'createRole', allowed: ['admin', 'owner'], document: `mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }`,
    variables: async () => ({ input: { name: unique('Cashiers'), scope: 'MERCHANT', merchantId: merchantA(), permissions: [PERMISSIONS.PAYIN_READ] } }),
  },
  {
    field: 'updateRole', allowed: ['admin', 'owner'], document: `mutation($input: UpdateRoleInput!) { updateRole(input: $input) { id } }`,
    variables: async () => ({ input: { id: await newShopRole(), permissions: [PERMISSIONS.PAYIN_READ, PERMISSIONS.PAYOUT_READ] } }),
  },
  { field: 'deleteRole', allowed: ['admin', 'owner'], document: `mutation($input: DeleteRoleInput!) { deleteRole(input: $input) { __typename } }`, variables: async () => ({ input: { id: await newShopRole() } }) },
];

/** The signed-in user's own account: anyone signed in, nobody anonymously (each caller a fresh user). */
const SELF_SERVICE: Record<string, { document: string; anonymous?: Outcome }> = {
  updateMyPreferences: { document: `mutation { updateMyPreferences(input: { locale: "zh" }) { __typename } }` },
  changePassword: { document: `mutation { changePassword(input: { currentPassword: "wrong-password", newPassword: "N3w-passw0rd-long" }) { __typename } }` },
  startTotpEnrolment: { document: `mutation { startTotpEnrolment { __typename } }` },
  confirmTotpEnrolment: { document: `mutation { confirmTotpEnrolment(input: { code: "000000" }) { __typename } }` },
  verifyTotp: { document: `mutation { verifyTotp(input: { code: "000000" }) { __typename } }` },
  logout: { document: `mutation { logout }`, anonymous: 'allowed' },
  logoutEverywhere: { document: `mutation { logoutEverywhere { revokedSessions } }` },
  login: { document: `mutation { login(input: { email: "nobody@example.com", password: "whatever-long" }) { __typename } }`, anonymous: 'allowed' },
};

interface QueryCase {
  field: string;
  /** Row name in the table when a field has several cases. */
  label?: string;
  /** Who sees shop A's row (or, for single values, gets an answer about shop A). */
  visible: Who[];
  document: string;
  /** Whether the result shows shop A's target. */
  sees: (data: Record<string, any>) => boolean;
  variables?: () => Record<string, unknown>;
}

const listSees = (field: string, id: () => string | undefined) => (data: Record<string, any>) =>
  ((data[field]?.nodes ?? []) as Array<{ id: string }>).some((n) => n.id === id());
const list = (field: string, visible: Who[], id: () => string | undefined, filter = ''): QueryCase => ({
  field, visible, document: `{ ${field}(first: 200${filter}) { nodes { id } } }`, sees: listSees(field, id),
});

/** Every list and lookup, against one target row of shop A each (the node() check reuses them). */
const QUERIES: QueryCase[] = [
  list('payins', READERS, () => ids.order),
  list('payouts', READERS, () => ids.payout),
  list('payments', READERS, () => ids.payment),
  list('deliveries', READERS, () => ids.delivery),
  list('ledgerAccounts', READERS, () => ids.ledgerAccount),
  list('ledgerEntries', READERS, () => ids.ledgerEntry),
  list('statements', READERS, () => ids.statement),
  list('fundRequests', READERS, () => ids.fundRequest),
  // The download center is personal: an export (its filters, its file) is seen by the user who started it.
  list('exports', ['owner'], () => ids.export),
  // … and, asked for everyone's, by whoever reads shop A's exports.
  { ...list('exports', READERS, () => ids.export, ', filter: { onlyMine: false }'), label: 'exports (everyone\'s)' },
  list('auditLogs', ['admin', 'finance'], () => ids.auditLog),
  list('apps', READERS, () => ids.app),
  list('merchants', READERS, () => ids.merchant),
  list('merchantServices', READERS, () => ids.merchantService),
  // Team: members with TEAM_READ, user administrators; a user always sees their own row (not this one).
  list('users', ['admin', 'owner', 'operator'], () => ids.user),
  list('roles', ['admin', 'owner', 'operator'], () => ids.role),
  list('riskRules', ['admin'], () => ids.riskRule),
  // A channel only shop A's service uses: staff, and shop A's members who create test orders.
  list('channels', ['admin', 'finance', 'support', 'owner', 'operator'], () => ids.channel),
  // Reference data for everyone signed in.
  list('services', SIGNED_IN, () => ids.service),
  list('fxRates', SIGNED_IN, () => ids.fxRate),
  {
    field: 'currencies', visible: [...SIGNED_IN, 'anonymous'], document: `{ currencies { code } }`,
    sees: (d) => (d.currencies ?? []).some((c: { code: string }) => c.code === 'THB'),
  },
  { field: 'apiTokens', visible: ['admin', 'owner'], document: `{ apiTokens { id } }`, sees: (d) => (d.apiTokens ?? []).some((t: { id: string }) => t.id === ids.apiToken) },
  {
    field: 'balances', visible: READERS, document: `query($m: ID) { balances(merchantId: $m) { currency available { amount } } }`,
    variables: () => ({ m: ids.merchant }), sees: (d) => (d.balances ?? []).some((b: { currency: string }) => b.currency === 'THB'),
  },
  {
    // Limit hints are merchant information: whoever reads shop A's services reads its ranges.
    field: 'availableRange', visible: READERS,
    document: `query($m: ID) { availableRange(merchantId: $m, serviceCode: "THB_QR") { text } }`,
    variables: () => ({ m: ids.merchant }), sees: (d) => d.availableRange != null,
  },
  {
    field: 'dashboard', visible: READERS,
    document: `query($m: [ID!], $from: DateTime!, $to: DateTime!) { dashboard(filter: { merchantIds: $m, from: $from, to: $to, displayCurrency: "THB" }) { payins { totals { count } } } }`,
    variables: () => ({ m: [ids.merchant], from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() }),
    sees: (d) => (d.dashboard?.payins?.totals ?? []).some((t: { count: number }) => t.count > 0),
  },
  { field: 'me', visible: SIGNED_IN, document: `{ me { email } }`, sees: (d) => d.me != null },
  {
    field: 'permissionCatalog', visible: SIGNED_IN, document: `{ permissionCatalog { code name platform } }`,
    sees: (d) => (d.permissionCatalog ?? []).some((p: { code: number }) => p.code === PERMISSIONS.OPERATION_PAYMENT_GLOBAL_WRITE),
  },
  // Counts over what each caller reads (test/operations-health.test.ts checks the numbers and isolation).
  { field: 'operationsHealth', visible: SIGNED_IN, document: `{ operationsHealth { checkedAt } }`, sees: (d) => d.operationsHealth != null },
  { field: 'health', visible: [...SIGNED_IN, 'anonymous'], document: `{ health { status } }`, sees: (d) => d.health != null },
];

/** node()/nodes() for every target: exactly who sees it in its list. */
const NODE_TARGETS: Array<{ key: string; list: string }> = [
  { key: 'order', list: 'payins' }, { key: 'payout', list: 'payouts' }, { key: 'payment', list: 'payments' },
  { key: 'delivery', list: 'deliveries' }, { key: 'ledgerAccount', list: 'ledgerAccounts' }, { key: 'ledgerEntry', list: 'ledgerEntries' },
  { key: 'statement', list: 'statements' }, { key: 'fundRequest', list: 'fundRequests' }, { key: 'export', list: 'exports (everyone\'s)' },
  { key: 'auditLog', list: 'auditLogs' }, { key: 'app', list: 'apps' }, { key: 'merchant', list: 'merchants' },
  { key: 'merchantService', list: 'merchantServices' }, { key: 'user', list: 'users' }, { key: 'role', list: 'roles' },
  { key: 'riskRule', list: 'riskRules' }, { key: 'channel', list: 'channels' },
];

const SUBSCRIPTIONS = ['payinChanged', 'payoutChanged', 'deliveryChanged', 'exportProgress'] as const;

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  env.services.config.publicUrl = env.url;
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  await ensureCurrency(db, 'USD', 2);
  shop = await createMerchantFixture(db, env.services.secrets, { merchantName: 'Shop A' });
  otherShop = await createMerchantFixture(db, env.services.secrets, { merchantName: 'Shop B' });
  const payin = await createService(db, { code: 'THB_QR', currencyCode: 'THB', requiredFields: ['payer_name'] });
  const payout = await createService(db, { code: 'THB_OUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  for (const m of [shop, otherShop]) {
    await activateService(db, m.merchant.id, payin.id, { feeRatePpm: 10_000n });
    await activateService(db, m.merchant.id, payout.id, { feeFixed: 1_00n });
  }
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, payin.id);
  await bindChannel(db, channel.id, payout.id);
  // A channel for a service only shop A has.
  const onlyA = await createService(db, { code: 'THB_ONLY_A', currencyCode: 'THB' });
  await activateService(db, shop.merchant.id, onlyA.id);
  const privateChannel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  await bindChannel(db, privateChannel.id, onlyA.id);
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', 1_000_000_00n);
  // The back office's payouts are test payouts: they spend the test book.
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', 1_000_000_00n, { test: true });
  await db.riskRule.create({ data: { name: 'Large payouts', merchantId: shop.merchant.id, direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: 900_00n, action: 'REVIEW' } });

  const staff = { totp: true, secrets: env.services.secrets } as const;
  const owner = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id });
  cookies = {
    admin: (await createUserFixture(db, { roleKey: 'ADMINISTRATOR', ...staff })).cookie!,
    finance: (await createUserFixture(db, { roleKey: 'FINANCE', ...staff })).cookie!,
    support: (await createUserFixture(db, { roleKey: 'SUPPORT_AGENT', ...staff })).cookie!,
    owner: owner.cookie!,
    operator: (await createUserFixture(db, { roleKey: 'MERCHANT_OPERATOR', merchantId: shop.merchant.id })).cookie!,
    viewer: (await createUserFixture(db, { roleKey: 'MERCHANT_VIEWER', merchantId: shop.merchant.id })).cookie!,
    otherOwner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: otherShop.merchant.id })).cookie!,
  };

  // One target row of shop A per list.
  const order = await newPayin();
  ids.order = order.id;
  await send('owner', `mutation($id: ID!) { simulatePayinCallback(id: $id, outcome: SUCCESS) { id } }`, { id: order.id });
  await waitFor(async () => (await db.order.findUniqueOrThrow({ where: { orderNo: order.orderNo } })).status === 'SUCCEEDED', 'payin success');
  const payment = await db.payment.findFirstOrThrow({ where: { order: { orderNo: order.orderNo } } });
  ids.payment = gid('Payment', payment.id);
  ids.payout = await newPayout('stuck');
  ids.delivery = await newDelivery();
  const account = await db.ledgerAccount.findFirstOrThrow({ where: { merchantId: shop.merchant.id, kind: 'AVAILABLE' } });
  ids.ledgerAccount = gid('LedgerAccount', account.id);
  ids.ledgerEntry = gid('LedgerEntry', (await db.ledgerEntry.findFirstOrThrow({ where: { accountId: account.id } })).id.toString());
  await catchUpDailyStatements(db, { now: new Date(Date.now() + 3 * 86_400_000), merchantId: shop.merchant.id });
  ids.statement = gid('DailyStatement', (await db.dailyStatement.findFirstOrThrow({ where: { merchantId: shop.merchant.id } })).id);
  ids.fundRequest = await newRecharge();
  ids.destination = await newDestination();
  const exported = await send('owner', `mutation { createExport(kind: PAYINS) { id } }`);
  ids.export = exported.data!.createExport.id;
  ids.auditLog = gid('AuditLog', (await db.auditLog.findFirstOrThrow({ where: { merchantId: shop.merchant.id } })).id.toString());
  ids.app = gid('App', shop.app.id);
  ids.merchant = gid('Merchant', shop.merchant.id);
  ids.merchantService = gid('MerchantService', (await db.merchantService.findFirstOrThrow({ where: { merchantId: shop.merchant.id } })).id);
  ids.user = gid('User', owner.user.id);
  ids.role = gid('Role', (await db.role.create({ data: { name: 'Shop A cashier', scope: 'MERCHANT', builtIn: false, merchantId: shop.merchant.id, permissions: [PERMISSIONS.PAYIN_READ] } })).id);
  ids.riskRule = gid('RiskRule', (await db.riskRule.findFirstOrThrow({ where: { merchantId: shop.merchant.id } })).id);
  ids.channel = gid('Channel', privateChannel.id);
  ids.service = gid('Service', payin.id);
  ids.fxRate = gid('FxRate', (await db.fxRate.create({ data: { base: 'THB', quote: 'USD', rate: '0.028' } })).id);
  ids.apiToken = await newApiToken();
  ids.viewerRole = gid('Role', (await builtInRole(env.prisma, 'MERCHANT_VIEWER')).id);
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

describe('permission matrix', () => {
  it('covers every query, mutation and subscription of the schema', () => {
    const covered = new Set([
      ...MUTATIONS.map((c) => c.field), ...Object.keys(SELF_SERVICE), ...QUERIES.map((c) => c.field), 'node', 'nodes', ...SUBSCRIPTIONS,
    ]);
    const fields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => Object.keys(t?.getFields() ?? {}));
    expect(fields.filter((f) => !covered.has(f)).sort(), 'add these operations to the permission matrix').toEqual([]);
  });

  it('queries: shop A rows are seen by exactly the roles that may read them', async () => {
    const expected: Record<string, Record<Who, boolean>> = {};
    const actual: Record<string, Record<Who, boolean>> = {};
    for (const c of QUERIES) {
      const row = c.label ?? c.field;
      expected[row] = {} as Record<Who, boolean>;
      actual[row] = {} as Record<Who, boolean>;
      for (const who of WHO) {
        const res = await send(who, c.document, c.variables?.() ?? {});
        const code = res.errors?.[0]?.extensions?.code as string | undefined;
        if (code && !isDenial(code)) throw new Error(`${c.field} as ${who}: ${code} ${res.errors![0]!.message}`);
        expected[row]![who] = c.visible.includes(who);
        actual[row]![who] = !code && res.data != null && c.sees(res.data);
      }
    }
    expect(actual).toEqual(expected);
  });

  it('node() and nodes(): a row is reachable by id exactly where its list shows it', async () => {
    const expected: Record<string, Record<Who, boolean>> = {};
    const actual: Record<string, Record<Who, boolean>> = {};
    for (const target of NODE_TARGETS) {
      const visible = QUERIES.find((q) => (q.label ?? q.field) === target.list)!.visible;
      const id = ids[target.key]!;
      expected[target.key] = {} as Record<Who, boolean>;
      actual[target.key] = {} as Record<Who, boolean>;
      for (const who of WHO) {
        const one = await send(who, `query($id: ID!) { node(id: $id) { id } }`, { id });
        const many = await send(who, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [id] });
        expected[target.key]![who] = visible.includes(who);
        const seenOne = one.data?.node?.id === id;
        const seenMany = many.data?.nodes?.[0]?.id === id;
        expect(seenOne, `node(${target.key}) vs nodes() as ${who}`).toBe(seenMany);
        actual[target.key]![who] = seenOne;
      }
    }
    expect(actual).toEqual(expected);
  });

  it('mutations on shop A: allowed or denied per role, and a denied call changes nothing', async () => {
    const expected: Record<string, Record<Who, Outcome>> = {};
    const actual: Record<string, Record<Who, Outcome>> = {};
    const unchanged: string[] = [];
    const unaudited = new Set<string>();
    for (const c of MUTATIONS) {
      expected[c.field] = {} as Record<Who, Outcome>;
      actual[c.field] = {} as Record<Who, Outcome>;
      const wanted = (who: Who): Outcome => c.special?.[who] ?? (c.allowed.includes(who) ? 'allowed' : 'denied');
      // Denied callers first, on targets all made beforehand: once the fixtures' background work has
      // settled, every denied call must leave the data exactly as it was.
      const order = [...WHO.filter((w) => wanted(w) !== 'allowed'), ...WHO.filter((w) => wanted(w) === 'allowed')];
      const prepared = new Map<Who, Record<string, unknown>>();
      for (const who of order) prepared.set(who, await c.variables(who));
      let baseline = await fingerprint({});
      for (const who of order) {
        const variables = prepared.get(who)!;
        const want = wanted(who);
        const target = want === 'allowed' ? '' : await targetRow(variables);
        const auditBefore = await env.prisma.auditLog.count();
        const got = outcomeOf(await send(who, c.document, variables), c.field);
        if (got === 'allowed' && (await env.prisma.auditLog.count()) === auditBefore) unaudited.add(c.field);
        if (want !== 'allowed' && got !== 'allowed') {
          const now = await globalFingerprint();
          if (now !== baseline || (await targetRow(variables)) !== target) unchanged.push(`${c.field} as ${who}`);
          baseline = now;
        }
        expected[c.field]![who] = want;
        actual[c.field]![who] = got;
      }
    }
    expect(actual).toEqual(expected);
    expect(unchanged, 'denied calls that changed data').toEqual([]);
    expect([...unaudited], 'mutations that left no audit row').toEqual([]);
  }, 480_000);

  it('self-service mutations: anyone signed in, about their own account only', async () => {
    const expected: Record<string, Record<Who, Outcome>> = {};
    const actual: Record<string, Record<Who, Outcome>> = {};
    for (const [field, c] of Object.entries(SELF_SERVICE)) {
      expected[field] = {} as Record<Who, Outcome>;
      actual[field] = {} as Record<Who, Outcome>;
      for (const who of WHO) {
        // A fresh session per call: these end sessions and change the caller's own settings.
        const roleKey = ({ admin: 'ADMINISTRATOR', finance: 'FINANCE', support: 'SUPPORT_AGENT', owner: 'MERCHANT_OWNER', operator: 'MERCHANT_OPERATOR', viewer: 'MERCHANT_VIEWER', otherOwner: 'MERCHANT_OWNER' } as const)[who as Exclude<Who, 'anonymous'>];
        const fresh = who === 'anonymous' ? null
          : await createUserFixture(env.prisma, {
            roleKey, merchantId: who === 'otherOwner' ? otherShop.merchant.id : STAFF.includes(who) ? undefined : shop.merchant.id,
            ...(STAFF.includes(who) ? { totp: true, secrets: env.services.secrets } : {}),
          });
        const res = await graphqlHttp(env.url, c.document, {}, fresh ? { cookie: fresh.cookie } : {});
        const got = outcomeOf(res, field);
        // A domain refusal about one's own account (wrong password, TOTP already on) is still "allowed" here.
        actual[field]![who] = got.startsWith('error') && !got.includes('UNAUTHENTICATED') ? 'allowed' : got;
        expected[field]![who] = who === 'anonymous' ? (c.anonymous ?? 'denied') : 'allowed';
      }
    }
    expect(actual).toEqual(expected);
  }, 120_000);

  it('subscriptions: events about shop A reach exactly the roles that may read them', async () => {
    const clients: Client[] = [];
    const received: Record<string, Set<Who>> = Object.fromEntries(SUBSCRIPTIONS.map((s) => [s, new Set<Who>()]));
    const documents: Record<(typeof SUBSCRIPTIONS)[number], string> = {
      payinChanged: `subscription { payinChanged { id } }`,
      payoutChanged: `subscription { payoutChanged { id } }`,
      deliveryChanged: `subscription { deliveryChanged { id } }`,
      exportProgress: `subscription { exportProgress { id } }`,
    };
    const subscribed: Array<Promise<void>> = [];
    try {
      for (const who of WHO) {
        const headers: Record<string, string> = who === 'anonymous' ? {} : { cookie: cookies[who] };
        class CookieWebSocket extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers });
          }
        }
        const client = createClient({ url: `${env.url.replace('http', 'ws')}/graphql`, webSocketImpl: CookieWebSocket, retryAttempts: 0 });
        clients.push(client);
        for (const name of SUBSCRIPTIONS) {
          subscribed.push(new Promise<void>((resolve) => {
            client.subscribe({ query: documents[name] }, { next: (v) => { if (v.data?.[name]) received[name]!.add(who); }, error: () => resolve(), complete: () => resolve() });
            setTimeout(resolve, 300);
          }));
        }
      }
      await Promise.all(subscribed);
      // Events about shop A: an order and a payout change, a callback delivery, the owner's export.
      const order = await newPayin({ notifyUrl: 'http://127.0.0.1:9/unreachable' });
      await send('owner', `mutation($id: ID!) { closePayin(id: $id, reason: "live") { id } }`, { id: order.id });
      await newPayout('stuck');
      await send('owner', `mutation { createExport(kind: PAYINS) { id } }`);
      await new Promise((r) => setTimeout(r, 2_500));
    } finally {
      for (const client of clients) await client.dispose();
    }
    const sorted = (s: Set<Who>) => WHO.filter((w) => s.has(w));
    expect(Object.fromEntries(SUBSCRIPTIONS.map((s) => [s, sorted(received[s]!)]))).toEqual({
      payinChanged: READERS,
      payoutChanged: READERS,
      deliveryChanged: READERS,
      // Export progress goes to the user who started the export, nobody else.
      exportProgress: ['owner'],
    });
  }, 60_000);
});
