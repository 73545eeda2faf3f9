import { PrismaPg } from '@prisma/adapter-pg';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * payinChanged reads the changed row once per event for every subscriber of the process that selects
 * the same fields (graphql/live/shared-rows.ts). Sharing the row must not share what a subscriber may
 * see: with the very same document, merchant B's users never receive merchant A's change (and the
 * other way round), staff receive both, and a staff subscription narrowed to merchant B gets only B's.
 * Subscribers with the same document, variables and rules (two tabs of one user, two administrators)
 * share one execution (shared-subscriptions.ts); the others run their own. And the row is read once,
 * not once per subscriber: counted with Prisma's query log on a client
 * swapped into the services before anyone subscribes (each operation's context takes `services.prisma`).
 */

const DOCUMENT = /* GraphQL */ `
  subscription Live($merchantIds: [ID!]) {
    payinChanged(merchantIds: $merchantIds) {
      orderNo
      status
      amount { amount currency }
      merchant { mchId }
      service { code }
      channel { code }
    }
  }
`;

type Seen = Array<{ orderNo: string; status: string; mchId: string }>;

let env: TestEnvironment;
let counting: PrismaClient;
let statements: string[] = [];
let shopA: MerchantFixture;
let shopB: MerchantFixture;
let ownerA: UserFixture;
let ownerB: UserFixture;
let admin: UserFixture;
let otherAdmin: UserFixture;
const clients: Client[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  shopA = await createMerchantFixture(db, env.services.secrets, { merchantName: 'Shop A' });
  shopB = await createMerchantFixture(db, env.services.secrets, { merchantName: 'Shop B' });
  const service = await createService(db, { code: 'THB_FANOUT', currencyCode: 'THB' });
  const channel = await createChannel(db, { currencyCode: 'THB' }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, service.id);
  for (const m of [shopA, shopB]) await activateService(db, m.merchant.id, service.id);
  ownerA = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shopA.merchant.id });
  ownerB = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shopB.merchant.id });
  admin = await createUserFixture(db, { roleKey: 'ADMINISTRATOR', secrets: env.services.secrets });
  otherAdmin = await createUserFixture(db, { roleKey: 'ADMINISTRATOR', secrets: env.services.secrets });
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.databaseUrl, max: 3 }), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => statements.push(event.query));
  counting = client;
  env.services.prisma = counting as never;
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  if (env) env.services.prisma = env.prisma;
  await counting?.$disconnect();
  await env?.stop();
});

/** One socket with one subscription; resolves once the server has acknowledged the connection. */
async function subscribe(cookie: string, variables: Record<string, unknown> = {}): Promise<Seen> {
  const seen: Seen = [];
  await new Promise<void>((resolve, reject) => {
    const client = createClient({
      url: `${env.url.replace('http', 'ws')}/graphql`,
      retryAttempts: 0,
      lazy: false,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { cookie } });
        }
      },
      on: { connected: () => resolve(), error: reject },
    });
    clients.push(client);
    client.subscribe(
      { query: DOCUMENT, variables },
      {
        next: (value) => {
          const p = (value.data as { payinChanged: { orderNo: string; status: string; merchant: { mchId: string } } | null }).payinChanged;
          seen.push({ orderNo: p?.orderNo ?? '', status: p?.status ?? String(JSON.stringify(value.errors)), mchId: p?.merchant.mchId ?? '' });
        },
        error: (error) => seen.push({ orderNo: '', status: `error ${String(error)}`, mchId: '' }),
        complete: () => {},
      },
    );
  });
  return seen;
}

async function createTestPayin(merchant: MerchantFixture, cookie: string): Promise<{ id: string; orderNo: string }> {
  const res = await env.graphql<{ createTestPayin: { payin: { id: string; orderNo: string } } }>(
    `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { payin { id orderNo } } }`,
    { input: { merchantId: encodeGlobalID('Merchant', merchant.merchant.id), service: 'THB_FANOUT', amount: '42.00' } },
    { cookie },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createTestPayin.payin;
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Statements reading one payin by id (the subscription's read, and the mutation's own). */
const payinReads = () => statements.filter((q) => /FROM "public"\."orders"/.test(q) && /"public"\."orders"\."id" = /.test(q)).length;

describe('payinChanged with one shared read per event', () => {
  it('gives each subscriber exactly what its own read rule allows, reading the row once for all of them', async () => {
    // What creating a payin reads with nobody subscribed: the mutation's own reads.
    statements = [];
    await createTestPayin(shopA, ownerA.cookie);
    await new Promise((r) => setTimeout(r, 300));
    const mutationReads = payinReads();

    const a1 = await subscribe(ownerA.cookie);
    const a2 = await subscribe(ownerA.cookie);
    const b = await subscribe(ownerB.cookie);
    const staff = await subscribe(admin.cookie);
    const staffOnlyB = await subscribe(admin.cookie, { merchantIds: [encodeGlobalID('Merchant', shopB.merchant.id)] });
    // Another person with the same rules and document: served by the same execution (shared-subscriptions.ts).
    const staff2 = await subscribe(otherAdmin.cookie);
    // graphql-ws does not acknowledge a subscription: probe until every one has seen a change.
    const all = [a1, a2, b, staff, staffOnlyB, staff2];
    for (let probe = 0; all.some((seen) => seen.length === 0); probe++) {
      if (probe === 20) throw new Error('the subscriptions never became live');
      if (a1.length === 0 || a2.length === 0) await createTestPayin(shopA, ownerA.cookie);
      if (b.length === 0 || staffOnlyB.length === 0 || staff.length === 0 || staff2.length === 0) await createTestPayin(shopB, ownerB.cookie);
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const seen of all) seen.length = 0;

    statements = [];
    const payinA = await createTestPayin(shopA, ownerA.cookie);
    await until(() => a1.length + a2.length + staff.length + staff2.length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    const readsA = payinReads();

    const payinB = await createTestPayin(shopB, ownerB.cookie);
    await until(() => b.length >= 1 && staff.length >= 2 && staff2.length >= 2 && staffOnlyB.length >= 1);
    await new Promise((r) => setTimeout(r, 500));

    const onlyA = [{ orderNo: payinA.orderNo, status: 'PENDING', mchId: shopA.mchId }];
    const onlyB = [{ orderNo: payinB.orderNo, status: 'PENDING', mchId: shopB.mchId }];
    expect(a1).toEqual(onlyA);
    expect(a2).toEqual(onlyA);
    expect(b).toEqual(onlyB);
    expect(staff).toEqual([...onlyA, ...onlyB]);
    expect(staffOnlyB).toEqual(onlyB);
    expect(staff2).toEqual([...onlyA, ...onlyB]);
    // Four subscribers were allowed A's change: one read for all of them beside the mutation's own.
    expect(readsA).toBe(mutationReads + 1);
  }, 60_000);
});
