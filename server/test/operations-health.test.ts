import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { buildWorld, type GraphqlWorld } from './support/graphql-data.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * operationsHealth (the dashboard's "needs attention" card): every count equals the same count taken
 * straight from the database over the rows the viewer may read; kinds the viewer may not read are
 * null; merchants never see each other's numbers; the platform part is for staff only.
 */

let env: TestEnvironment;
let world: GraphqlWorld;
let admin: UserFixture;
let finance: UserFixture;
let ownerA: UserFixture;
let viewerA: UserFixture;
let ownerB: UserFixture;

const QUERY = `query($m: [ID!], $t: Boolean) {
  operationsHealth(merchantIds: $m, test: $t) {
    checkedAt payoutsInReview payoutsStuck payinsStuck callbacksRetrying callbacksFailed24h fundRequestsWaiting
    platform { database redisConfigured redis jobQueue jobsReady jobsOverdue jobsFailed }
  }
}`;

async function health(who: UserFixture, merchantIds?: string[], test?: boolean) {
  const res = await env.graphql<{ operationsHealth: Record<string, any> }>(QUERY, { m: merchantIds?.map((id) => encodeGlobalID('Merchant', id)) ?? null, t: test ?? null }, { cookie: who.cookie });
  expect(res.errors).toBeUndefined();
  return res.data!.operationsHealth;
}

/** The expected counts, straight from the tables, for these merchants (all when undefined), in one book when `test` is given. */
async function expected(merchantIds?: string[], test?: boolean) {
  const db = env.prisma;
  const m = merchantIds ? { merchantId: { in: merchantIds } } : {};
  const book = test === undefined ? {} : { test };
  // A callback is of the book of its payin, payout or fund request.
  const deliveryBook = test === undefined ? {} : { OR: [{ order: { test } }, { payout: { test } }, { fundRequest: { test } }] };
  const now = Date.now();
  return {
    payoutsInReview: await db.payout.count({ where: { ...m, ...book, status: 'REVIEW' } }),
    payoutsStuck: await db.payout.count({ where: { ...m, ...book, status: 'PROCESSING', submittedAt: { lte: new Date(now - 600_000) } } }),
    payinsStuck: await db.order.count({ where: { ...m, ...book, status: 'PROCESSING', updatedAt: { lte: new Date(now - 600_000) }, expireAt: { gt: new Date(now) } } }),
    callbacksRetrying: await db.delivery.count({ where: { ...m, ...deliveryBook, status: 'PENDING', attemptCount: { gt: 0 } } }),
    callbacksFailed24h: await db.delivery.count({ where: { ...m, ...deliveryBook, status: 'FAILED', lastAttemptAt: { gte: new Date(now - 86_400_000) } } }),
    // A transfer concerns the merchant that sends and the one that receives.
    fundRequestsWaiting: await db.fundRequest.count({
      where: { status: 'NEW', ...book, ...(merchantIds ? { OR: [{ merchantId: { in: merchantIds } }, { targetMerchantId: { in: merchantIds } }] } : {}) },
    }),
  };
}

beforeAll(async () => {
  env = await createTestEnvironment();
  world = await buildWorld(env.prisma, { ordersA: 20, ordersB: 10 });
  const db = env.prisma;
  // Make every count non-zero for merchant A: a stuck payout and payin, a retrying and a given-up callback.
  const stuckPayout = world.payouts.find((p) => p.merchantId === world.a.id && p.status === 'PROCESSING');
  if (stuckPayout) await db.payout.update({ where: { id: stuckPayout.id }, data: { submittedAt: new Date(Date.now() - 3_600_000) } });
  const stuckPayin = world.orders.find((o) => o.merchantId === world.a.id && o.status === 'PROCESSING')!;
  await db.$executeRaw`UPDATE orders SET "updatedAt" = now() - interval '1 hour', "expireAt" = now() + interval '1 hour' WHERE id = ${stuckPayin.id}::uuid`;
  const [retrying, failed] = await db.delivery.findMany({ where: { merchantId: world.a.id }, take: 2, orderBy: { id: 'asc' } });
  await db.delivery.update({ where: { id: retrying!.id }, data: { status: 'PENDING', attemptCount: 2 } });
  await db.delivery.update({ where: { id: failed!.id }, data: { status: 'FAILED', attemptCount: 10, lastAttemptAt: new Date() } });

  admin = await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
  finance = await createUserFixture(db, { roleKey: 'FINANCE', totp: true, secrets: env.services.secrets });
  ownerA = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: world.a.id });
  viewerA = await createUserFixture(db, { roleKey: 'MERCHANT_VIEWER', merchantId: world.a.id });
  ownerB = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: world.b.id });
});

afterAll(async () => {
  await env?.stop();
});

describe('operationsHealth', () => {
  it('counts everything for an administrator, per merchant when asked, with the platform part', async () => {
    const all = await health(admin);
    expect(all).toMatchObject(await expected());
    const onlyA = await health(admin, [world.a.id]);
    const wantA = await expected([world.a.id]);
    expect(onlyA).toMatchObject(wantA);
    for (const value of Object.values(wantA)) expect(value).toBeGreaterThan(0);
    expect(onlyA.platform).toMatchObject({ database: true, redisConfigured: false, redis: null, jobQueue: true, jobsFailed: 0 });
    // The job counts follow the queue (no worker runs here, so nothing takes these jobs): two due now, one
    // overdue by two minutes (ready and overdue), one not due for an hour (neither), one out of attempts.
    const db = env.prisma;
    const probe = (key: string, runAt: string, maxAttempts = 25) =>
      db.$executeRawUnsafe(`SELECT graphile_worker.add_job('health-probe', '{}'::json, run_at => now() + interval '${runAt}', max_attempts => ${maxAttempts}, job_key => '${key}')`);
    const keys = ['health-probe-1', 'health-probe-2', 'health-probe-overdue', 'health-probe-later', 'health-probe-failed'];
    try {
      await probe(keys[0]!, '0 s');
      await probe(keys[1]!, '0 s');
      await probe(keys[2]!, '-2 min');
      await probe(keys[3]!, '1 hour');
      await probe(keys[4]!, '0 s', 1);
      await db.$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = 1 WHERE key = 'health-probe-failed'`;
      const probed = (await health(admin, [world.a.id])).platform;
      expect(probed.jobsReady - onlyA.platform.jobsReady).toBe(3);
      expect(probed.jobsOverdue - onlyA.platform.jobsOverdue).toBe(1);
      expect(probed.jobsFailed).toBe(1);
    } finally {
      for (const key of keys) await db.$executeRaw`SELECT graphile_worker.remove_job(${key})`;
    }
    expect((await health(admin, [world.a.id])).platform).toMatchObject({ jobsReady: onlyA.platform.jobsReady, jobsFailed: 0 });

    // A job queue that cannot be read says so instead of looking empty.
    await env.prisma.$executeRawUnsafe('ALTER SCHEMA graphile_worker RENAME TO graphile_worker_hidden');
    try {
      expect((await health(admin)).platform).toMatchObject({ database: true, jobQueue: false });
    } finally {
      await env.prisma.$executeRawUnsafe('ALTER SCHEMA graphile_worker_hidden RENAME TO graphile_worker');
    }
  });

  it("gives a merchant's members their own merchant's numbers only, whatever they ask for, and no platform part", async () => {
    const wantA = await expected([world.a.id]);
    const wantB = await expected([world.b.id]);
    expect(wantA).not.toEqual(wantB);
    const mine = await health(ownerA);
    expect(mine).toMatchObject(wantA);
    expect(mine.platform).toBeNull();
    expect(await health(ownerB)).toMatchObject(wantB);
    // Asking for the other merchant gives nothing of it, except transfers it sent to B (B's too).
    const peek = await health(ownerB, [world.a.id]);
    const transfersToB = await env.prisma.fundRequest.count({ where: { status: 'NEW', merchantId: world.a.id, targetMerchantId: world.b.id } });
    for (const key of Object.keys(wantA)) expect(peek[key], key).toBe(key === 'fundRequestsWaiting' ? transfersToB : 0);
  });

  it('leaves out (null) the kinds a role may not read', async () => {
    const viewer = await health(viewerA);
    const readable = await expected([world.a.id]);
    for (const [key, value] of Object.entries(viewer)) {
      if (key === 'checkedAt' || key === 'platform') continue;
      expect(value === null || value === readable[key as keyof typeof readable], key).toBe(true);
    }
    const fin = await health(finance);
    expect(fin.platform).toMatchObject({ database: true });
    expect(fin.fundRequestsWaiting).toBe((await expected()).fundRequestsWaiting);
  });

  it('counts one book when asked (the back office in test data or live data): the two books add up to everything', async () => {
    const db = env.prisma;
    // A's stuck payin becomes test work, and so does the payin of its retrying callback.
    const stuck = await db.order.findFirstOrThrow({ where: { merchantId: world.a.id, status: 'PROCESSING', updatedAt: { lte: new Date(Date.now() - 600_000) } } });
    // (In SQL: an update through Prisma would touch updatedAt, and the payin would no longer be stuck.)
    await db.$executeRaw`UPDATE orders SET test = true WHERE id = ${stuck.id}::uuid`;
    const retrying = await db.delivery.findFirstOrThrow({ where: { merchantId: world.a.id, status: 'PENDING', attemptCount: { gt: 0 } } });
    if (retrying.orderId) await db.$executeRaw`UPDATE orders SET test = true WHERE id = ${retrying.orderId}::uuid`;
    const all = await expected([world.a.id]);
    const live = await expected([world.a.id], false);
    const test = await expected([world.a.id], true);
    expect(test.payinsStuck).toBeGreaterThan(0);
    expect(live.payinsStuck).toBe(all.payinsStuck - test.payinsStuck);
    expect(await health(admin, [world.a.id], false)).toMatchObject(live);
    expect(await health(admin, [world.a.id], true)).toMatchObject(test);
    expect(await health(ownerA, undefined, true)).toMatchObject(test);
    for (const key of Object.keys(all) as (keyof typeof all)[]) expect(live[key] + test[key], key).toBe(all[key]);
  });

  it('refuses anonymous callers', async () => {
    const res = await env.graphql(QUERY, {});
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
