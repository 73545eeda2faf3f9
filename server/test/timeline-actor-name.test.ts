import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * A timeline names who did each step (`actorName`, issue 15 defect 5) only to viewers who may read
 * that user or app: staff with user access see a staff member's name, a merchant's owner sees their
 * own members and apps but a platform staff member stays unnamed (null: the app shows "Staff"), and
 * an id never becomes a name by any other route.
 */

let env: TestEnvironment;
let shop: MerchantFixture;
let admin: UserFixture;
let owner: UserFixture;
let payoutGid: string;

const EVENTS = `query($id: ID!) { node(id: $id) { ... on Payout { events { type actorType actorId actorName } } } }`;

beforeAll(async () => {
  env = await createTestEnvironment();
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  shop = await createMerchantFixture(db, env.services.secrets, { app: { name: 'Shop checkout' } });
  const payout = await createService(db, { code: 'THB_OUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  await activateService(db, shop.merchant.id, payout.id, { feeFixed: 5_00n });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 0 } }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, payout.id);
  await fundMerchant(db, shop.merchant.id, channel.id, 'THB', 1_000_00n, { test: true });
  admin = await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
  owner = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id });

  // The owner makes a test payout (its CREATED step is theirs); staff and the merchant's app act on it later.
  const created = await env.graphql<{ createTestPayout: { id: string; payoutNo: string } }>(
    `mutation($input: CreateTestPayoutInput!) { createTestPayout(input: $input) { id payoutNo } }`,
    { input: { merchantId: encodeGlobalID('Merchant', shop.merchant.id), service: 'THB_OUT', amount: '20.00', recipientName: 'Jane Doe', recipientAccount: '1234567890', bankCode: 'SCB' } },
    { cookie: owner.cookie },
  );
  expect(created.errors).toBeUndefined();
  payoutGid = created.data!.createTestPayout.id;
  const row = await db.payout.findUniqueOrThrow({ where: { payoutNo: created.data!.createTestPayout.payoutNo } });
  await db.payoutEvent.createMany({
    data: [
      { payoutId: row.id, type: 'MARKED_FRAUD', actorType: 'USER', actorId: admin.user.id, message: 'checked by staff' },
      { payoutId: row.id, type: 'UPSTREAM_QUERIED', actorType: 'APP', actorId: shop.app.id },
      { payoutId: row.id, type: 'UPSTREAM_QUERIED', actorType: 'USER', actorId: 'not-a-uuid' },
    ],
  });
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

type Event = { type: string; actorType: string; actorId: string | null; actorName: string | null };

async function eventsAs(cookie: string): Promise<Event[] | null> {
  const res = await env.graphql<{ node: { events: Event[] } | null }>(EVENTS, { id: payoutGid }, { cookie });
  expect(res.errors).toBeUndefined();
  return res.data!.node?.events ?? null;
}

describe('timeline actorName', () => {
  it('names staff, members and apps to an administrator', async () => {
    const events = (await eventsAs(admin.cookie))!;
    const byActor = (id: string) => events.filter((e) => e.actorId === id).map((e) => e.actorName);
    expect(byActor(owner.user.id).length).toBeGreaterThan(0);
    expect(new Set(byActor(owner.user.id))).toEqual(new Set([owner.user.name]));
    expect(byActor(admin.user.id)).toEqual([admin.user.name]);
    expect(byActor(shop.app.id)).toEqual(['Shop checkout']);
    expect(byActor('not-a-uuid')).toEqual([null]);
    // System and upstream steps have no name.
    for (const e of events.filter((x) => x.actorType === 'SYSTEM' || x.actorType === 'UPSTREAM')) expect(e.actorName).toBeNull();
  });

  it("names the merchant's own members and app to its owner, never a platform staff member", async () => {
    const events = (await eventsAs(owner.cookie))!;
    expect(events.find((e) => e.actorId === owner.user.id)?.actorName).toBe(owner.user.name);
    expect(events.find((e) => e.actorId === shop.app.id)?.actorName).toBe('Shop checkout');
    const staffStep = events.find((e) => e.actorId === admin.user.id);
    expect(staffStep?.actorType).toBe('USER');
    expect(staffStep?.actorName).toBeNull();
  });

  it("hides the timeline of another merchant's payout entirely", async () => {
    const other = await createMerchantFixture(env.prisma, env.services.secrets);
    const stranger = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: other.merchant.id });
    expect(await eventsAs(stranger.cookie)).toBeNull();
  });
});
