import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../src/generated/prisma/client.ts';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { BASE_TIME, buildWorld, type GraphqlWorld } from './support/graphql-data.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * The GraphQL read schema over real HTTP: every seed-002 filter of `orders` (and the payout ones),
 * keyset pagination, total counts, sorting, money formatting, masking, and the guarantee that a
 * merchant user never sees another merchant's rows through a list, `node()` or a nested relation.
 */

let env: TestEnvironment;
let world: GraphqlWorld;
let admin: UserFixture;
let ownerA: UserFixture;
let viewerA: UserFixture;
let ownerB: UserFixture;

const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTestEnvironment();
  world = await buildWorld(env.prisma);
  admin = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
  ownerA = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: world.a.id });
  viewerA = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId: world.a.id });
  ownerB = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: world.b.id });
  await env.prisma.export.create({ data: { userId: ownerA.user.id, merchantId: world.a.id, kind: 'PAYINS', status: 'RUNNING', totalRows: 200, processedRows: 50 } });
  await env.prisma.export.create({ data: { userId: ownerB.user.id, merchantId: world.b.id, kind: 'PAYINS' } });
});

afterAll(async () => {
  await env?.stop();
});

async function gql<T = any>(who: UserFixture | null, query: string, variables: Record<string, unknown> = {}) {
  const result = await env.graphql<T>(query, variables, who ? { cookie: who.cookie } : {});
  return result;
}

async function ok<T = any>(who: UserFixture | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await gql<T>(who, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}

const ORDERS = /* GraphQL */ `
  query Payins($filter: PayinFilter, $sort: PayinSort, $first: Int, $after: String, $last: Int, $before: String) {
    payins(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id orderNo } }
    }
  }
`;

async function orderNos(who: UserFixture, filter: Record<string, unknown>): Promise<string[]> {
  const data = await ok(who, ORDERS, { filter, first: 200 });
  expect(data.payins.totalCount).toBe(data.payins.edges.length);
  return data.payins.edges.map((e: any) => e.node.orderNo).sort();
}

const nos = (rows: Order[]) => rows.map((o) => o.orderNo).sort();
const iso = (ms: number) => new Date(ms).toISOString();

describe('orders: every seed-002 filter narrows exactly', () => {
  const cases: Array<[string, () => Record<string, unknown>, (o: Order) => boolean]> = [
    ['ids (node ids and raw uuids)', () => ({ ids: [encodeGlobalID('Payin', world.orders[3]!.id), world.orders[7]!.id] }), (o) => o === world.orders[3] || o === world.orders[7]],
    ['orderNo', () => ({ orderNo: world.orders[5]!.orderNo }), (o) => o === world.orders[5]],
    ['outTradeNo', () => ({ outTradeNo: world.orders[6]!.outTradeNo }), (o) => o === world.orders[6]],
    ['userLabel', () => ({ userLabel: 'user-2' }), (o) => o.userLabel === 'user-2'],
    ['creationType MANUAL', () => ({ creationType: 'MANUAL' }), (o) => o.creationType === 'MANUAL'],
    ['creationType AUTO', () => ({ creationType: 'AUTO' }), (o) => o.creationType === 'AUTO'],
    ['originality FRAUD', () => ({ originality: 'FRAUD' }), (o) => o.originality === 'FRAUD'],
    ['postbackStatus SENT|ERROR', () => ({ postbackStatus: ['SENT', 'ERROR'] }), (o) => ['SENT', 'ERROR'].includes(o.postbackStatus)],
    ['accumulationStatus IN_PROGRESS', () => ({ accumulationStatus: ['IN_PROGRESS'] }), (o) => o.accumulationStatus === 'IN_PROGRESS'],
    ['status list', () => ({ status: ['SUCCEEDED', 'REVERSED'] }), (o) => ['SUCCEEDED', 'REVERSED'].includes(o.status)],
    ['service codes (wallet type)', () => ({ serviceCodes: [world.services.idr.code] }), (o) => o.serviceId === world.services.idr.id],
    ['service kinds', () => ({ serviceKinds: ['CRYPTO'] }), (o) => o.serviceId === world.services.usdt.id],
    ['channel ids', () => ({ channelIds: [world.channels.thb2.id] }), (o) => o.channelId === world.channels.thb2.id],
    ['merchant ids', () => ({ merchantIds: [world.b.id] }), (o) => o.merchantId === world.b.id],
    ['currencies', () => ({ currencies: ['IDR'] }), (o) => o.currencyCode === 'IDR'],
    [
      'created date range (from inclusive, to exclusive)',
      () => ({ createdAt: { from: iso(BASE_TIME + 5 * HOUR), to: iso(BASE_TIME + 17 * HOUR) } }),
      (o) => o.createdAt.getTime() >= BASE_TIME + 5 * HOUR && o.createdAt.getTime() < BASE_TIME + 17 * HOUR,
    ],
    [
      'activation date range',
      () => ({ paidAt: { from: iso(BASE_TIME + 2 * HOUR), to: iso(BASE_TIME + 20 * HOUR) } }),
      (o) => !!o.paidAt && o.paidAt.getTime() >= BASE_TIME + 2 * HOUR && o.paidAt.getTime() < BASE_TIME + 20 * HOUR,
    ],
    ['activation date from only', () => ({ paidAt: { from: iso(BASE_TIME + 25 * HOUR) } }), (o) => !!o.paidAt && o.paidAt.getTime() >= BASE_TIME + 25 * HOUR],
    [
      'amount range in THB (decimal strings)',
      () => ({ amount: { currency: 'THB', min: '200.00', max: '400.5' } }),
      (o) => o.currencyCode === 'THB' && o.amount >= 20_000n && o.amount <= 40_050n,
    ],
    ['amount range in IDR, min only', () => ({ amount: { currency: 'IDR', min: '300' } }), (o) => o.currencyCode === 'IDR' && o.amount >= 300n],
    ['test flag true', () => ({ test: true }), (o) => o.test],
    ['test flag false', () => ({ test: false }), (o) => !o.test],
    ['search by out_trade_no', () => ({ search: world.orders[9]!.outTradeNo }), (o) => o === world.orders[9]],
    ['search by label', () => ({ search: 'user-4' }), (o) => o.userLabel === 'user-4'],
    [
      'several filters combine with AND',
      () => ({ status: ['SUCCEEDED'], serviceCodes: [world.services.thb.code], merchantIds: [world.a.id] }),
      (o) => o.status === 'SUCCEEDED' && o.serviceId === world.services.thb.id && o.merchantId === world.a.id,
    ],
  ];

  for (const [name, filter, predicate] of cases) {
    it(name, async () => {
      const expected = nos(world.orders.filter(predicate));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(world.orders.length);
      expect(await orderNos(admin, filter())).toEqual(expected);
    });
  }

  it('refuses an amount with more digits than the currency has, a bad id and a bad cursor', async () => {
    const tooPrecise = await gql(admin, ORDERS, { filter: { amount: { currency: 'IDR', min: '1.5' } } });
    expect(tooPrecise.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooPrecise.errors?.[0]?.extensions?.reason).toBe('INVALID_AMOUNT');
    const badId = await gql(admin, ORDERS, { filter: { ids: ['not-an-id'] } });
    expect(badId.errors?.[0]?.extensions?.reason).toBe('INVALID_ID');
    const badCursor = await gql(admin, ORDERS, { after: 'garbage' });
    expect(badCursor.errors?.[0]?.extensions?.reason).toBe('INVALID_CURSOR');
  });
});

describe('orders: keyset pagination and sorting', () => {
  type SortCase = { sort?: Record<string, unknown>; key: (o: Order) => number | bigint | null; direction: 'asc' | 'desc' };
  const sorts: Array<[string, SortCase]> = [
    ['default (created, newest first)', { key: (o) => o.createdAt.getTime(), direction: 'desc' }],
    ['created ascending', { sort: { field: 'CREATED_AT', direction: 'ASC' }, key: (o) => o.createdAt.getTime(), direction: 'asc' }],
    ['activation date descending, NULLs (not activated) first', { sort: { field: 'PAID_AT', direction: 'DESC' }, key: (o) => o.paidAt?.getTime() ?? null, direction: 'desc' }],
    ['activation date ascending, NULLs last', { sort: { field: 'PAID_AT', direction: 'ASC' }, key: (o) => o.paidAt?.getTime() ?? null, direction: 'asc' }],
    ['amount ascending', { sort: { field: 'AMOUNT', direction: 'ASC' }, key: (o) => o.amount, direction: 'asc' }],
  ];

  function expectedOrder(c: SortCase, rows: Order[]): string[] {
    const dir = c.direction === 'asc' ? 1 : -1;
    return [...rows]
      .sort((x, y) => {
        const a = c.key(x);
        const b = c.key(y);
        if (a === null || b === null) {
          // NULL is greater than every value (PostgreSQL's order): last ascending, first descending.
          if (a !== b) return (a === null ? 1 : -1) * dir;
        } else if (a !== b) return (a < b ? -1 : 1) * dir;
        return (x.id < y.id ? -1 : x.id > y.id ? 1 : 0) * dir;
      })
      .map((o) => o.orderNo);
  }

  for (const [name, c] of sorts) {
    it(`forward pages return every row exactly once in order: ${name}`, async () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        const data = await ok(admin, ORDERS, { first: 7, after, sort: c.sort });
        expect(data.payins.totalCount).toBe(world.orders.length);
        seen.push(...data.payins.edges.map((e: any) => e.node.orderNo));
        if (!data.payins.pageInfo.hasNextPage) break;
        after = data.payins.pageInfo.endCursor;
      }
      expect(seen).toEqual(expectedOrder(c, world.orders));
    });
  }

  it('backward pages (last/before) return every row exactly once, and totalCount follows the filter', async () => {
    const filter = { status: ['SUCCEEDED', 'FAILED', 'PENDING'] };
    const rows = world.orders.filter((o) => filter.status.includes(o.status));
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 20; page++) {
      const data = await ok(admin, ORDERS, { filter, last: 4, before });
      expect(data.payins.totalCount).toBe(rows.length);
      seen.unshift(...data.payins.edges.map((e: any) => e.node.orderNo));
      if (!data.payins.pageInfo.hasPreviousPage) break;
      before = data.payins.pageInfo.startCursor;
    }
    expect(seen).toEqual(expectedOrder(sorts[0]![1], rows));
  });

  it('a cursor of one sort order is refused by another', async () => {
    const data = await ok(admin, ORDERS, { first: 2 });
    const other = await gql(admin, ORDERS, { first: 2, after: data.payins.pageInfo.endCursor, sort: { field: 'AMOUNT', direction: 'DESC' } });
    expect(other.errors?.[0]?.extensions?.reason).toBe('INVALID_CURSOR');
  });

  it('totalCount alone reads no page', async () => {
    const data = await ok(admin, `query { payins(filter: { test: true }) { totalCount } }`);
    expect(data.payins.totalCount).toBe(world.orders.filter((o) => o.test).length);
  });
});

describe('payouts: filters, sort and pagination', () => {
  const PAYOUTS = /* GraphQL */ `
    query Payouts($filter: PayoutFilter, $sort: PayoutSort, $first: Int, $after: String) {
      payouts(filter: $filter, sort: $sort, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { payoutNo } }
      }
    }
  `;
  const cases: Array<[string, () => Record<string, unknown>, (p: GraphqlWorld['payouts'][number]) => boolean]> = [
    ['status', () => ({ status: ['SUCCEEDED', 'REJECTED'] }), (p) => ['SUCCEEDED', 'REJECTED'].includes(p.status)],
    ['recipient account', () => ({ recipientAccount: world.payouts[4]!.recipientAccount }), (p) => p === world.payouts[4]],
    ['label', () => ({ userLabel: 'puser-1' }), (p) => p.userLabel === 'puser-1'],
    ['payoutNo', () => ({ payoutNo: world.payouts[2]!.payoutNo }), (p) => p === world.payouts[2]],
    ['postback', () => ({ postbackStatus: ['ERROR'] }), (p) => p.postbackStatus === 'ERROR'],
    ['creation type', () => ({ creationType: 'MANUAL' }), (p) => p.creationType === 'MANUAL'],
    ['merchant', () => ({ merchantIds: [world.b.id] }), (p) => p.merchantId === world.b.id],
    ['finished range', () => ({ finishedAt: { from: iso(BASE_TIME), to: iso(BASE_TIME + 12 * HOUR) } }), (p) => !!p.finishedAt && p.finishedAt.getTime() < BASE_TIME + 12 * HOUR],
    ['amount', () => ({ amount: { currency: 'THB', min: '1500', max: '2500.00' } }), (p) => p.amount >= 150_000n && p.amount <= 250_000n],
    ['test', () => ({ test: true }), (p) => p.test],
    ['search recipient', () => ({ search: world.payouts[6]!.recipientAccount }), (p) => p === world.payouts[6]],
  ];
  for (const [name, filter, predicate] of cases) {
    it(name, async () => {
      const expected = world.payouts.filter(predicate).map((p) => p.payoutNo).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(world.payouts.length);
      const data = await ok(admin, PAYOUTS, { filter: filter(), first: 100 });
      expect(data.payouts.totalCount).toBe(expected.length);
      expect(data.payouts.edges.map((e: any) => e.node.payoutNo).sort()).toEqual(expected);
    });
  }

  it('pages by amount descending, every row once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const data = await ok(admin, PAYOUTS, { first: 3, after, sort: { field: 'AMOUNT', direction: 'DESC' } });
      seen.push(...data.payouts.edges.map((e: any) => e.node.payoutNo));
      if (!data.payouts.pageInfo.hasNextPage) break;
      after = data.payouts.pageInfo.endCursor;
    }
    const expected = [...world.payouts].sort((x, y) => (x.amount === y.amount ? (x.id < y.id ? 1 : -1) : x.amount < y.amount ? 1 : -1));
    expect(seen).toEqual(expected.map((p) => p.payoutNo));
  });
});

describe('the other lists: filters narrow, totalCount agrees', () => {
  beforeAll(async () => {
    await env.prisma.riskRule.create({ data: { name: 'Global big payin', direction: 'PAYIN', kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: 1_000_000n, action: 'REVIEW' } });
    await env.prisma.riskRule.create({ data: { name: 'A payouts', merchantId: world.a.id, direction: 'PAYOUT', kind: 'DAILY_COUNT_ABOVE', threshold: 50n, action: 'REJECT' } });
    await env.prisma.fxRate.create({ data: { base: 'THB', quote: 'USD', rate: '0.028' } });
    await env.prisma.fxRate.create({ data: { base: 'USD', quote: 'USDT', rate: '1.25' } });
  });

  const FILTER_TYPES: Record<string, string> = {
    services: 'ServiceFilter', channels: 'ChannelFilter', merchantServices: 'MerchantServiceFilter', merchants: 'MerchantFilter',
    apps: 'AppFilter', users: 'UserFilter', roles: 'RoleFilter', payments: 'PaymentFilter', deliveries: 'DeliveryFilter',
    ledgerAccounts: 'LedgerAccountFilter', ledgerEntries: 'LedgerEntryFilter', statements: 'StatementFilter',
    fundRequests: 'FundRequestFilter', auditLogs: 'AuditLogFilter', riskRules: 'RiskRuleFilter', fxRates: 'FxRateFilter',
  };
  const paidOrder = () => world.orders.find((o) => o.paidAt && o.channelId)!;
  const cases: Array<[string, string, () => Record<string, unknown>, () => number]> = [
    ['services by direction', 'services', () => ({ direction: 'PAYOUT' }), () => 1],
    ['services by kind', 'services', () => ({ kinds: ['CRYPTO', 'QR'] }), () => 2],
    ['channels by currency', 'channels', () => ({ currencies: ['THB'] }), () => 2],
    ['channels by service', 'channels', () => ({ serviceCodes: [world.services.idr.code] }), () => 1],
    ['merchant services by merchant and direction', 'merchantServices', () => ({ merchantIds: [world.a.id], direction: 'PAYIN' }), () => 3],
    ['merchants by search', 'merchants', () => ({ search: 'chant b' }), () => 1],
    ['apps by merchant', 'apps', () => ({ merchantIds: [world.b.id] }), () => 1],
    ['users: staff only', 'users', () => ({ staff: true }), () => 1],
    ['users by role', 'users', () => ({ roleKeys: ['MERCHANT_OWNER'] }), () => 2],
    ['users by merchant', 'users', () => ({ merchantIds: [world.a.id] }), () => 2],
    ['roles by scope', 'roles', () => ({ scope: 'GLOBAL' }), () => 1],
    ['roles by permission code', 'roles', () => ({ permission: 5007 }), () => 1],
    ['payments by payin', 'payments', () => ({ payinIds: [paidOrder().id] }), () => 1],
    ['payments by channel', 'payments', () => ({ channelIds: [world.channels.idr.id] }), () => world.orders.filter((o) => o.paidAt && o.channelId === world.channels.idr.id).length],
    ['deliveries by status', 'deliveries', () => ({ status: ['SENT'] }), () => world.orders.filter((o) => o.status !== 'PENDING' && o.postbackStatus === 'SENT').length],
    ['deliveries by merchant', 'deliveries', () => ({ merchantIds: [world.b.id] }), () => world.orders.filter((o) => o.status !== 'PENDING' && o.merchantId === world.b.id).length],
    ['ledger accounts by merchant and kind', 'ledgerAccounts', () => ({ merchantIds: [world.a.id], kinds: ['PENDING'] }), () => 1],
    ['ledger accounts by owner type', 'ledgerAccounts', () => ({ ownerTypes: ['PLATFORM'] }), () => 2],
    ['ledger entries: credits on merchant A', 'ledgerEntries', () => ({ merchantIds: [world.a.id], side: 'CREDIT' }), () => 2],
    ['ledger entries: debits on adjustment accounts', 'ledgerEntries', () => ({ accountKinds: ['ADJUSTMENT'], side: 'DEBIT' }), () => 3],
    ['ledger entries by currency', 'ledgerEntries', () => ({ currencies: ['IDR'] }), () => 2],
    ['statements by merchant and days (inclusive)', 'statements', () => ({ merchantIds: [world.a.id], date: { from: '2026-10-02', to: '2026-10-03' } }), () => 2],
    ['fund requests by kind', 'fundRequests', () => ({ kinds: ['RECHARGE'] }), () => 1],
    ['fund requests by status', 'fundRequests', () => ({ status: ['NEW'] }), () => 2],
    ['fund requests by target', 'fundRequests', () => ({ targetMerchantIds: [world.b.id] }), () => 1],
    ['audit log by action', 'auditLogs', () => ({ actions: ['platform.action'] }), () => 1],
    ['audit log by entity', 'auditLogs', () => ({ entityType: 'Merchant', entityId: world.a.id }), () => 1],
    ['risk rules for every merchant', 'riskRules', () => ({ global: true }), () => 1],
    ['risk rules by merchant', 'riskRules', () => ({ merchantIds: [world.a.id] }), () => 1],
    ['fx rates by base', 'fxRates', () => ({ base: 'THB' }), () => 1],
  ];
  for (const [name, field, filter, expected] of cases) {
    it(name, async () => {
      const filterType = FILTER_TYPES[field];
      const data = await ok(admin, `query ($f: ${filterType}) { ${field}(filter: $f, first: 200) { totalCount edges { node { id } } } }`, { f: filter() });
      const all = await ok(admin, `query { ${field} { totalCount } }`);
      expect(data[field].totalCount).toBe(expected());
      expect(data[field].edges).toHaveLength(expected());
      expect(all[field].totalCount).toBeGreaterThan(expected());
    });
  }
});

describe('money is exact decimal strings with the currency digits', () => {
  it('formats THB with 2, IDR with 0 and USDT with 6 digits', async () => {
    const pick = (code: string) => world.orders.find((o) => o.currencyCode === code)!;
    const query = /* GraphQL */ `
      query ($ids: [ID!]!) {
        nodes(ids: $ids) { ... on Payin { amount { amount currency digits minorUnits } fee { amount } } }
      }
    `;
    const [thb, idr, usdt] = [pick('THB'), pick('IDR'), pick('USDT')];
    const data = await ok(admin, query, { ids: [thb, idr, usdt].map((o) => encodeGlobalID('Payin', o.id)) });
    const [t, i, u] = data.nodes;
    const expectFormat = (got: any, minor: bigint, digits: number, currency: string) => {
      const text = minor.toString().padStart(digits + 1, '0');
      expect(got.amount).toEqual({
        amount: digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`,
        currency,
        digits,
        minorUnits: minor.toString(),
      });
    };
    expectFormat(t, thb.amount, 2, 'THB');
    expectFormat(i, idr.amount, 0, 'IDR');
    expectFormat(u, usdt.amount, 6, 'USDT');
    expect(i.amount.amount).not.toContain('.');
    expect(u.amount.amount).toMatch(/^\d+\.\d{6}$/);
  });

  it('balances per currency: available, pending, frozen and total', async () => {
    const query = `query { balances { merchant { id } currency available { amount } pending { amount } frozen { amount } total { amount currency } } }`;
    const mine = await ok(viewerA, query);
    expect(mine.balances).toEqual([
      { merchant: { id: encodeGlobalID('Merchant', world.a.id) }, currency: 'IDR', available: { amount: '0' }, pending: { amount: '5000000' }, frozen: { amount: '0' }, total: { amount: '5000000', currency: 'IDR' } },
      { merchant: { id: encodeGlobalID('Merchant', world.a.id) }, currency: 'THB', available: { amount: '1234.56' }, pending: { amount: '0.00' }, frozen: { amount: '0.00' }, total: { amount: '1234.56', currency: 'THB' } },
    ]);
    const all = await ok(admin, query);
    expect(all.balances).toHaveLength(3);
    const other = await ok(viewerA, `query ($m: ID) { balances(merchantId: $m) { currency } }`, { m: world.b.id });
    expect(other.balances).toEqual([]);
  });
});

describe('a merchant user never sees another merchant through lists, node() or nested relations', () => {
  const LISTS: Array<[string, string]> = [
    ['payins', 'payins(first: 200) { totalCount nodes { merchant { id } payments { payin { merchant { id } } } deliveries { merchant { id } } } }'],
    ['payouts', 'payouts(first: 200) { totalCount nodes { merchant { id } } }'],
    ['payments', 'payments(first: 200) { totalCount nodes { payin { merchant { id } } } }'],
    ['deliveries', 'deliveries(first: 200) { totalCount nodes { merchant { id } payin { merchant { id } } } }'],
    ['ledgerAccounts', 'ledgerAccounts(first: 200) { totalCount nodes { merchant { id } } }'],
    ['ledgerEntries', 'ledgerEntries(first: 200) { totalCount nodes { account { merchant { id } } transaction { entries { account { merchant { id } } } } } }'],
    ['statements', 'statements(first: 200) { totalCount nodes { merchant { id } } }'],
    ['fundRequests', 'fundRequests(first: 200) { totalCount nodes { merchant { id } } }'],
    ['merchants', 'merchants(first: 200) { totalCount nodes { id } }'],
    ['apps', 'apps(first: 200) { totalCount nodes { merchant { id } } }'],
    ['merchantServices', 'merchantServices(first: 200) { totalCount nodes { merchant { id } } }'],
    ['users', 'users(first: 200) { totalCount nodes { merchant { id } } }'],
    ['exports', 'exports(first: 200, filter: { onlyMine: false }) { totalCount nodes { merchant { id } } }'],
    ['auditLogs', 'auditLogs(first: 200) { totalCount nodes { merchant { id } } }'],
  ];
  /** Lists a merchant owner has no permission for: empty, never an error. */
  const OWNER_CANNOT_READ = new Set(['auditLogs']);

  /** Every merchant id anywhere in a result. */
  function merchantIds(value: unknown, out = new Set<string>()): Set<string> {
    if (Array.isArray(value)) value.forEach((v) => merchantIds(v, out));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'merchant' && v && typeof v === 'object' && 'id' in v) out.add(decodeGlobalID((v as { id: string }).id).id);
        else if (k === 'id' && typeof v === 'string' && decodeGlobalID(v).typename === 'Merchant') out.add(decodeGlobalID(v).id);
        else merchantIds(v, out);
      }
    }
    return out;
  }

  for (const [name, selection] of LISTS) {
    it(`${name}: staff see both merchants, merchant A's owner only A`, async () => {
      const all = await ok(admin, `query { ${selection} }`);
      expect([...merchantIds(all)].sort()).toEqual([world.a.id, world.b.id].sort());
      const mine = await ok(ownerA, `query { ${selection} }`);
      const seen = merchantIds(mine);
      if (OWNER_CANNOT_READ.has(name)) {
        expect(mine[name].totalCount).toBe(0);
        expect([...seen]).toEqual([]);
        return;
      }
      expect(mine[name].totalCount).toBeGreaterThan(0);
      expect([...seen]).toEqual([world.a.id]);
      expect(mine[name].totalCount).toBeLessThan(all[name].totalCount);
    });
  }

  it("node() and nodes() return null for another merchant's rows", async () => {
    const orderA = world.orders.find((o) => o.merchantId === world.a.id)!;
    const orderB = world.orders.find((o) => o.merchantId === world.b.id)!;
    const payoutB = world.payouts.find((p) => p.merchantId === world.b.id)!;
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
    const ids = [encodeGlobalID('Payin', orderA.id), encodeGlobalID('Payin', orderB.id), encodeGlobalID('Payout', payoutB.id), encodeGlobalID('Merchant', world.b.id)];
    const mine = await ok(viewerA, query, { ids });
    expect(mine.nodes).toEqual([{ id: ids[0] }, null, null, null]);
    const staff = await ok(admin, query, { ids });
    expect(staff.nodes).toEqual(ids.map((id) => ({ id })));
    const single = await ok(ownerA, `query ($id: ID!) { node(id: $id) { id } }`, { id: ids[1] });
    expect(single.node).toBeNull();
  });

  it('a list or node the viewer has no rule for is empty, with or without filters', async () => {
    const filtered = await ok(ownerA, `query { auditLogs(filter: { actions: ["test.action"], merchantIds: ["${world.a.id}"] }) { totalCount nodes { id } } }`);
    expect(filtered.auditLogs).toEqual({ totalCount: 0, nodes: [] });
    const log = await env.prisma.auditLog.findFirstOrThrow({ where: { merchantId: world.a.id } });
    const staff = await ok(admin, `query ($id: ID!) { node(id: $id) { id } }`, { id: encodeGlobalID('AuditLog', log.id.toString()) });
    expect(staff.node).not.toBeNull();
    const mine = await ok(ownerA, `query ($id: ID!) { node(id: $id) { id } }`, { id: encodeGlobalID('AuditLog', log.id.toString()) });
    expect(mine.node).toBeNull();
  });

  it("a transfer to another merchant shows its account number, not the merchant's record", async () => {
    const query = `query { fundRequests(filter: { kinds: [TRANSFER] }) { nodes { targetMchId targetMerchant { id name } } } }`;
    const mine = await ok(ownerA, query);
    expect(mine.fundRequests.nodes).toEqual([{ targetMchId: world.b.mchId, targetMerchant: null }]);
    const staff = await ok(admin, query);
    expect(staff.fundRequests.nodes[0].targetMerchant).toEqual({ id: encodeGlobalID('Merchant', world.b.id), name: world.b.name });
  });

  it('channels behind an order are hidden from a merchant viewer without operation rights', async () => {
    const query = `query { payins(first: 5, filter: { serviceKinds: [BANK_TRANSFER] }) { nodes { channel { code hasCredentials } } } }`;
    const viewer = await ok(viewerA, query);
    expect(viewer.payins.nodes.every((n: any) => n.channel === null)).toBe(true);
    const staff = await ok(admin, query);
    expect(staff.payins.nodes.some((n: any) => n.channel?.hasCredentials === true)).toBe(true);
  });

  it('asks for sign-in when there is no session', async () => {
    const result = await gql(null, `query { payins { totalCount } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const node = await gql(null, `query ($id: ID!) { node(id: $id) { id } }`, { id: encodeGlobalID('Payin', world.orders[0]!.id) });
    expect(node.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('sensitive numbers are masked unless the ability grants readSensitive', () => {
  const query = /* GraphQL */ `
    query ($payin: ID!, $payout: ID!) {
      payin: node(id: $payin) { ... on Payin { payerAccount payerIdNumber payerName } }
      payout: node(id: $payout) { ... on Payout { recipientAccount recipientIdNumber } }
    }
  `;
  it('a merchant viewer sees masks, the owner and staff the numbers', async () => {
    const order = world.orders.find((o) => o.merchantId === world.a.id)!;
    const payout = world.payouts.find((p) => p.merchantId === world.a.id)!;
    const vars = { payin: encodeGlobalID('Payin', order.id), payout: encodeGlobalID('Payout', payout.id) };
    const viewer = await ok(viewerA, query, vars);
    expect(viewer.payin.payerAccount).toBe(`••••${order.payerAccount!.slice(-4)}`);
    expect(viewer.payin.payerIdNumber).toBe(`••••${order.payerIdNumber!.slice(-4)}`);
    expect(viewer.payin.payerName).toBe(order.payerName);
    expect(viewer.payout.recipientAccount).toBe(`••••${payout.recipientAccount!.slice(-4)}`);
    expect(JSON.stringify(viewer)).not.toContain(order.payerAccount!);
    for (const who of [ownerA, admin]) {
      const full = await ok(who, query, vars);
      expect(full.payin.payerAccount).toBe(order.payerAccount);
      expect(full.payout.recipientIdNumber).toBe(payout.recipientIdNumber);
    }
  });

  it('secrets are not in the read types at all', async () => {
    const data = await ok(admin, `query { __schema { types { name fields { name } } } }`);
    const readTypes = new Set(['App', 'PlatformKey', 'MerchantKey', 'Channel', 'User', 'Export', 'Merchant', 'ChannelService', 'Delivery']);
    const fields = data.__schema.types
      .filter((t: any) => readTypes.has(t.name))
      .flatMap((t: any) => (t.fields ?? []).map((f: any) => `${t.name}.${f.name}`));
    expect(fields).toContain('Channel.hasCredentials');
    for (const secret of ['private', 'credentialsEnc', 'settingsSecret', 'password', 'totpSecret', 'hash', 'content', 'failedLogin']) {
      expect(fields.filter((f: string) => f.toLowerCase().includes(secret.toLowerCase())), secret).toEqual([]);
    }
  });
});

describe('exports, availability and dashboard', () => {
  it("exports lists the viewer's own exports with progress", async () => {
    const data = await ok(ownerA, `query { exports { totalCount nodes { kind status processedRows totalRows progressPercent user { id } } } }`);
    expect(data.exports).toEqual({
      totalCount: 1,
      nodes: [{ kind: 'PAYINS', status: 'RUNNING', processedRows: 50, totalRows: 200, progressPercent: 25, user: { id: encodeGlobalID('User', ownerA.user.id) } }],
    });
  });

  it('availableRange applies the seed-001 rule and names the deciding bound of each side', async () => {
    const ms = await env.prisma.merchantService.findFirstOrThrow({ where: { merchantId: world.a.id, serviceId: world.services.thb.id } });
    await env.prisma.merchantService.update({ where: { id: ms.id }, data: { singleLimitLower: 50_000n, singleLimitUpper: 2_000_000n } });
    await env.prisma.channel.update({ where: { id: world.channels.thb1.id }, data: { paymentLowerBound: 10_000n, paymentUpperBound: 5_000_000n } });
    await env.prisma.channelService.updateMany({ where: { channelId: world.channels.thb2.id, serviceId: world.services.thb.id }, data: { upperBound: 1_500_000n } });
    const query = /* GraphQL */ `
      query ($code: String!, $channel: ID) {
        availableRange(serviceCode: $code, channelId: $channel) {
          currency enabled empty text min { amount } max { amount } minDecidedBy maxDecidedBy
          channels { channelCode min { amount } max { amount } minDecidedBy maxDecidedBy }
        }
      }
    `;
    const one = await ok(ownerA, query, { code: world.services.thb.code, channel: world.channels.thb1.id });
    expect(one.availableRange).toMatchObject({
      currency: 'THB',
      enabled: true,
      empty: false,
      text: '500.00 – 20000.00 THB',
      min: { amount: '500.00' },
      max: { amount: '20000.00' },
      minDecidedBy: 'SERVICE',
      maxDecidedBy: 'SERVICE',
    });
    const union = await ok(ownerA, query, { code: world.services.thb.code });
    expect(union.availableRange.channels).toHaveLength(2);
    const thb2 = union.availableRange.channels.find((c: any) => c.channelCode === world.channels.thb2.code);
    expect(thb2).toMatchObject({ max: { amount: '15000.00' }, maxDecidedBy: 'BINDING' });
    expect(union.availableRange).toMatchObject({ min: { amount: '500.00' }, max: { amount: '20000.00' }, maxDecidedBy: 'SERVICE' });
    const denied = await gql(ownerB, `query ($m: ID, $code: String!) { availableRange(merchantId: $m, serviceCode: $code) { empty } }`, {
      m: world.a.id,
      code: world.services.thb.code,
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('dashboard: counts and amounts per day and currency, scoped to the viewer', async () => {
    const query = /* GraphQL */ `
      query ($filter: DashboardFilter!) {
        dashboard(filter: $filter) {
          payins { days { day currency count successCount amount { amount } successAmount { amount } successRate } totals { currency count successCount successAmount { minorUnits } } }
          payouts { totals { currency count successCount } }
        }
      }
    `;
    const filter = { from: iso(BASE_TIME), to: iso(BASE_TIME + 3 * 24 * HOUR) };
    const check = async (who: UserFixture, merchantIds: string[]) => {
      const data = await ok(who, query, { filter });
      const rows = world.orders.filter((o) => merchantIds.includes(o.merchantId));
      for (const currency of ['THB', 'IDR', 'USDT']) {
        const mine = rows.filter((o) => o.currencyCode === currency);
        const total = data.dashboard.payins.totals.find((t: any) => t.currency === currency);
        expect(total.count).toBe(mine.length);
        expect(total.successCount).toBe(mine.filter((o) => o.status === 'SUCCEEDED').length);
        const paid = mine.filter((o) => o.status === 'SUCCEEDED').reduce((s, o) => s + o.paidAmount, 0n);
        expect(total.successAmount.minorUnits).toBe(paid.toString());
      }
      const days = data.dashboard.payins.days;
      expect(days.reduce((s: number, d: any) => s + d.count, 0)).toBe(rows.length);
      const payouts = world.payouts.filter((p) => merchantIds.includes(p.merchantId));
      expect(data.dashboard.payouts.totals[0].count).toBe(payouts.length);
      return data;
    };
    await check(admin, [world.a.id, world.b.id]);
    await check(viewerA, [world.a.id]);
  });

  it('dashboard: amounts in the display currency through the FX rates (direct or inverse), null without a rate', async () => {
    const query = /* GraphQL */ `
      query ($filter: DashboardFilter!) {
        dashboard(filter: $filter) { displayCurrency payins { totals { currency successAmount { minorUnits } successAmountDisplay { amount currency minorUnits } } } }
      }
    `;
    const data = await ok(admin, query, { filter: { from: iso(BASE_TIME), to: iso(BASE_TIME + 3 * 24 * HOUR), displayCurrency: 'USD' } });
    const totals = Object.fromEntries(data.dashboard.payins.totals.map((t: any) => [t.currency, t]));
    const half = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);
    // THB → USD at 0.028, both with 2 digits.
    const thb = BigInt(totals.THB.successAmount.minorUnits);
    expect(totals.THB.successAmountDisplay).toMatchObject({ currency: 'USD', minorUnits: half(thb * 28n, 1000n).toString() });
    // USDT (6 digits) → USD through the inverse of USD → USDT 1.25.
    const usdt = BigInt(totals.USDT.successAmount.minorUnits);
    expect(totals.USDT.successAmountDisplay.minorUnits).toBe(half(usdt, 12_500n).toString()); // m / 10^6 / 1.25 * 10^2
    expect(totals.IDR.successAmountDisplay).toBeNull();
  });
});
