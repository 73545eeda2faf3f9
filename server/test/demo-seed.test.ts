import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../src/lib/crypto.ts';
import { openPlatformPrivateKey } from '../src/modules/apps/platform-keys.ts';
import { verifyPassword } from '../src/lib/password.ts';
import { BUILT_IN_ROLES } from '../src/modules/auth/permissions.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoData } from '../src/modules/demo/demo-seed.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const ORDERS = 300;
const TABLES = [
  'currencies', 'services', 'channels', 'channel_services', 'merchants', 'merchant_services', 'apps', 'merchant_keys', 'platform_keys',
  'roles', 'users', 'user_roles', 'fx_rates', 'risk_rules', 'fund_requests', 'orders', 'payments', 'order_events', 'pending_settlements',
  'payouts', 'payout_events', 'ledger_accounts', 'ledger_transactions', 'ledger_entries',
] as const;

describe('demo seed', () => {
  let db: TestDatabase;
  const secrets = createSecretBox(randomBytes(32));
  const now = new Date();
  let seedMs = 0;

  const rows = <T = Record<string, unknown>>(sql: string, ...params: unknown[]) => db.prisma.$queryRawUnsafe<T[]>(sql, ...params);
  const scalar = async (sql: string, ...params: unknown[]): Promise<number> => {
    const [row] = await rows<{ n: bigint | number | null }>(sql, ...params);
    return Number(row?.n ?? 0);
  };
  const counts = async (): Promise<Record<string, number>> => {
    const result: Record<string, number> = {};
    for (const table of TABLES) result[table] = await scalar(`SELECT count(*) AS n FROM "${table}"`);
    return result;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const started = performance.now();
    const result = await seedDemoData(db.prisma, { secrets, orders: ORDERS, now });
    seedMs = performance.now() - started;
    expect(result).toEqual({ seeded: true });
  }, 180_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('creates the catalog, merchants, apps, users and the expected number of orders and payouts', async () => {
    const c = await counts();
    expect(c).toMatchObject({
      currencies: 7,
      services: 11,
      channels: 12,
      channel_services: 21,
      merchants: 3,
      merchant_services: 14,
      apps: 3,
      merchant_keys: 3,
      platform_keys: 3,
      roles: BUILT_IN_ROLES.length,
      users: DEMO_LOGINS.length,
      user_roles: DEMO_LOGINS.length,
      fx_rates: 6,
      risk_rules: 7,
      orders: ORDERS,
      payouts: ORDERS / 3,
    });
    expect(c.order_events).toBeGreaterThan(ORDERS * 2);
    expect(c.payout_events).toBeGreaterThan((ORDERS / 3) * 3);
    expect(c.fund_requests).toBeGreaterThanOrEqual(5);
    expect(seedMs).toBeLessThan(120_000);
  });

  it('has a user for every built-in role, all with the demo password', async () => {
    const users = await db.prisma.user.findMany({ include: { roles: { include: { role: true } } } });
    const roleKeys = new Set(users.flatMap((u) => u.roles.map((r) => r.role.key)));
    for (const role of BUILT_IN_ROLES) expect(roleKeys, role.key).toContain(role.key);
    for (const login of DEMO_LOGINS) {
      const user = users.find((u) => u.email === login.email);
      expect(user, login.email).toBeDefined();
      expect(user!.roles.map((r) => r.role.key)).toEqual([login.role]);
      expect(user!.merchantId === null).toBe(login.merchant === undefined);
    }
    expect(new Set(users.map((u) => u.passwordHash)).size).toBe(1);
    expect(await verifyPassword(users[0]!.passwordHash, DEMO_PASSWORD)).toBe(true);
    const roles = await db.prisma.role.findMany();
    expect(roles.every((r) => r.builtIn)).toBe(true);
  });

  it('seals channel credentials and platform private keys with the secret box', async () => {
    const channel = await db.prisma.channel.findFirstOrThrow();
    expect(JSON.parse(secrets.open(channel.credentialsEnc!))).toHaveProperty('apiKey');
    expect(channel.connector).toBe('sandbox');
    const key = await db.prisma.platformKey.findFirstOrThrow();
    expect(openPlatformPrivateKey(secrets, key.serial, key.privateKeyEnc).export({ type: 'pkcs8', format: 'pem' }).toString()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps orders within the amount limits of seed 001 and their timelines consistent', async () => {
    const outOfLimits = await scalar(`
      SELECT count(*) AS n FROM orders o
      JOIN merchant_services ms ON ms."merchantId" = o."merchantId" AND ms."serviceId" = o."serviceId"
      JOIN channels c ON c.id = o."channelId"
      JOIN channel_services cs ON cs."channelId" = o."channelId" AND cs."serviceId" = o."serviceId"
      WHERE o.amount < GREATEST(ms."singleLimitLower", c."paymentLowerBound", cs."lowerBound")
         OR (ms."singleLimitUpper" > 0 AND o.amount > ms."singleLimitUpper")
         OR (c."paymentUpperBound" > 0 AND o.amount > c."paymentUpperBound")
         OR (cs."upperBound" > 0 AND o.amount > cs."upperBound")`);
    expect(outOfLimits).toBe(0);
    const unbound = await scalar(`SELECT count(*) AS n FROM orders o LEFT JOIN channel_services cs ON cs."channelId" = o."channelId" AND cs."serviceId" = o."serviceId" WHERE cs.id IS NULL`);
    expect(unbound).toBe(0);

    const byStatus = Object.fromEntries(
      (await rows<{ status: string; n: bigint }>(`SELECT status::text, count(*) AS n FROM orders GROUP BY status`)).map((r) => [r.status, Number(r.n)]),
    );
    expect(byStatus.SUCCEEDED).toBeGreaterThan(ORDERS / 2);
    expect(byStatus.EXPIRED).toBeGreaterThan(0);
    const staleLive = await scalar(`SELECT count(*) AS n FROM orders WHERE status IN ('PENDING', 'PROCESSING') AND "createdAt" < $1::timestamptz`, new Date(now.getTime() - 3_600_000).toISOString());
    expect(staleLive).toBe(0);
    expect(await scalar(`SELECT count(*) AS n FROM orders WHERE "createdAt" > $1::timestamptz OR "createdAt" < $2::timestamptz`, now.toISOString(), new Date(now.getTime() - 31 * 86_400_000).toISOString())).toBe(0);

    // Paid orders: payments add up to the paid amount; sequence counts the status changes.
    expect(await scalar(`
      SELECT count(*) AS n FROM orders o
      WHERE o.status IN ('SUCCEEDED', 'REVERSED')
        AND (o."paidAt" IS NULL OR o."paidAmount" < o.amount OR o."paidAmount" <> (SELECT sum(p.amount) FROM payments p WHERE p."orderId" = o.id))`)).toBe(0);
    expect(await scalar(`
      SELECT count(*) AS n FROM orders o
      WHERE o.sequence <> (SELECT count(*) FROM order_events e WHERE e."orderId" = o.id AND e."toStatus" IS NOT NULL)
         OR o.status <> (SELECT e."toStatus" FROM order_events e WHERE e."orderId" = o.id AND e."toStatus" IS NOT NULL ORDER BY e.id DESC LIMIT 1)`)).toBe(0);
    expect(await scalar(`SELECT count(*) AS n FROM payouts p WHERE p.status <> (SELECT e."toStatus" FROM payout_events e WHERE e."payoutId" = p.id AND e."toStatus" IS NOT NULL ORDER BY e.id DESC LIMIT 1)`)).toBe(0);
    expect(await scalar(`SELECT count(*) AS n FROM (SELECT "merchantId", "outTradeNo" FROM orders GROUP BY 1, 2 HAVING count(*) > 1) d`)).toBe(0);
  });

  it('posts every money movement through the ledger', async () => {
    const kinds = Object.fromEntries(
      (await rows<{ kind: string; n: bigint }>(`SELECT kind, count(*) AS n FROM ledger_transactions GROUP BY kind`)).map((r) => [r.kind, Number(r.n)]),
    );
    const payinCount = (where: string) => scalar(`SELECT count(*) AS n FROM orders WHERE ${where}`);
    const payouts = (where: string) => scalar(`SELECT count(*) AS n FROM payouts WHERE ${where}`);
    expect(kinds.PAYIN_SUCCESS).toBe(await payinCount(`status IN ('SUCCEEDED', 'REVERSED')`));
    expect(kinds.PAYIN_REVERSAL ?? 0).toBe(await payinCount(`status = 'REVERSED'`));
    expect(kinds.PAYOUT_FREEZE).toBe(ORDERS / 3);
    expect(kinds.PAYOUT_SETTLE).toBe(await payouts(`status = 'SUCCEEDED'`));
    expect(kinds.PAYOUT_RELEASE ?? 0).toBe(await payouts(`status IN ('FAILED', 'REJECTED')`));
    expect(kinds.RECHARGE).toBe(await scalar(`SELECT count(*) AS n FROM fund_requests WHERE kind = 'RECHARGE' AND status = 'APPROVED'`));
    expect(kinds.SETTLEMENT_RELEASE ?? 0).toBe(await scalar(`SELECT count(*) AS n FROM pending_settlements WHERE "releasedAt" IS NOT NULL`));
    // T+1 payins are held as pending settlements.
    expect(await scalar(`SELECT count(*) AS n FROM pending_settlements`)).toBe(
      await scalar(`
        SELECT count(*) AS n FROM orders o JOIN merchant_services ms ON ms."merchantId" = o."merchantId" AND ms."serviceId" = o."serviceId"
        WHERE ms."settlementDays" > 0 AND o.status IN ('SUCCEEDED', 'REVERSED')`),
    );
    // Each success posting happened when the order was paid.
    expect(await scalar(`
      SELECT count(*) AS n FROM ledger_transactions t JOIN orders o ON t."idempotencyKey" = 'payin:' || o.id || ':success'
      WHERE t."createdAt" <> o."paidAt"`)).toBe(0);
  });

  it('holds the ledger invariants and never lets a merchant or channel balance go negative', async () => {
    // Sum of all entries per currency is zero.
    expect(await rows(`SELECT "currencyCode", sum(amount) AS s FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0`)).toEqual([]);
    // Every transaction balances.
    expect(await rows(`SELECT "transactionId" FROM ledger_entries GROUP BY 1 HAVING sum(amount) <> 0 OR count(*) < 2`)).toEqual([]);
    // Every account balance is the sum of its entries.
    expect(await rows(`
      SELECT a.id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e."accountId" = a.id
      GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(sum(e.amount), 0)`)).toEqual([]);
    // balanceAfter is the running sum in id order.
    expect(await scalar(`
      SELECT count(*) AS n FROM (
        SELECT "balanceAfter", sum(amount) OVER (PARTITION BY "accountId" ORDER BY id) AS running FROM ledger_entries
      ) x WHERE x."balanceAfter" <> x.running`)).toBe(0);
    // Merchant accounts (credit-normal) never below zero, at the end or at any point.
    expect(await scalar(`SELECT count(*) AS n FROM ledger_accounts WHERE "ownerType" = 'MERCHANT' AND balance < 0`)).toBe(0);
    expect(await scalar(`
      SELECT count(*) AS n FROM ledger_entries e JOIN ledger_accounts a ON a.id = e."accountId"
      WHERE (a."ownerType" = 'MERCHANT' AND e."balanceAfter" < 0) OR (a.kind = 'BALANCE' AND e."balanceAfter" > 0)`)).toBe(0);
    // Merchants end up with money to pay out with.
    expect(await scalar(`SELECT count(DISTINCT "merchantId") AS n FROM ledger_accounts WHERE kind = 'AVAILABLE' AND balance > 0`)).toBe(3);
  });

  it('does nothing the second time', async () => {
    const before = await counts();
    const balances = await rows(`SELECT id, balance FROM ledger_accounts ORDER BY id`);
    expect(await seedDemoData(db.prisma, { secrets, orders: ORDERS, now })).toEqual({ seeded: false });
    expect(await counts()).toEqual(before);
    expect(await rows(`SELECT id, balance FROM ledger_accounts ORDER BY id`)).toEqual(balances);
  });
});
