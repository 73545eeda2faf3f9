import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCacheOf } from '../src/modules/shared/config-cache.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import type { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * The payin/payout configuration cache (modules/shared/config-cache.ts): a create reads the merchant's
 * service, the channel bindings and the risk rules from memory, yet a change written by anyone (here
 * straight into the database, as psql or another replica would) is obeyed by the next request, and
 * while the change watch is down nothing is served from memory.
 */

let env: TestEnvironment;
let merchant: MerchantFixture;
let client: MerchantClient;
let serviceId: string;
let counter = 0;

const create = () =>
  client.post<{ status: string }>('/v1/transaction/prepayment', {
    out_trade_no: `CACHE-${Date.now()}-${++counter}`,
    amount: '150.00',
    currency: 'THB',
    service: 'THB_CACHE',
    expire_second: 600,
    order_type: 'platform_order',
    payer_name: 'Somchai',
  });

/** Statements this server's pool sends while `fn` runs (the raw pg client under Prisma). */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    seen.push(typeof q === 'string' ? q : (q?.text ?? ''));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  const db = env.prisma;
  await ensureCurrency(db, 'THB', 2);
  merchant = await createMerchantFixture(db, env.services.secrets);
  client = merchant.client(env.url);
  const service = await createService(db, { code: 'THB_CACHE', currencyCode: 'THB', requiredFields: ['payer_name'], country: 'TH' });
  serviceId = service.id;
  await activateService(db, merchant.merchant.id, service.id, { singleLimitLower: 1_00n, singleLimitUpper: 100_000_00n });
  const channel = await createChannel(db, { currencyCode: 'THB', settings: { delayMs: 100, successRate: 1 } }, { secrets: env.services.secrets });
  await bindChannel(db, channel.id, service.id);
  for (let waited = 0; !configCacheOf(env.services.prisma)?.live; waited += 20) {
    if (waited > 10_000) throw new Error('the configuration change watch did not connect');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});

afterAll(async () => {
  await env?.stop();
});

describe('configuration cache', () => {
  it('creates a payin with two statements once the configuration is cached: the nonce and the order with its timeline', async () => {
    expect((await create()).body.code).toBe(0);
    const statements = await statementsDuring(async () => expect((await create()).body.code).toBe(0));
    expect(statements.filter((s) => /merchant_services|channel_services|risk_rules/.test(s))).toEqual([]);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/INSERT INTO api_nonces/);
    expect(statements[1]).toMatch(/INSERT INTO "orders"[\s\S]*INSERT INTO "order_events"/);
  });

  it('obeys a change written straight into the database at the next request', async () => {
    expect((await create()).body.code).toBe(0);
    await env.prisma.$executeRaw`UPDATE merchant_services SET status = 'DISABLED' WHERE "serviceId" = ${serviceId}::uuid`;
    expect((await create()).body.code).toBe(40004);
    await env.prisma.$executeRaw`UPDATE merchant_services SET status = 'ENABLED' WHERE "serviceId" = ${serviceId}::uuid`;
    expect((await create()).body.code).toBe(0);
    await env.prisma.$executeRaw`UPDATE channel_services SET status = 'DISABLED' WHERE "serviceId" = ${serviceId}::uuid`;
    expect((await create()).body.code).not.toBe(0);
    await env.prisma.$executeRaw`UPDATE channel_services SET status = 'ENABLED' WHERE "serviceId" = ${serviceId}::uuid`;
    expect((await create()).body.code).toBe(0);
  });

  it('reads from the database while the change watch is disconnected, and caches again once it is back', async () => {
    const cache = configCacheOf(env.services.prisma)!;
    await env.prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'payrail-config-watch' AND datname = current_database()`;
    await expect.poll(() => cache.live).toBe(false);
    const bypassed = await statementsDuring(async () => expect((await create()).body.code).toBe(0));
    expect(bypassed.some((s) => /merchant_services/.test(s))).toBe(true);
    await expect.poll(() => cache.live, { timeout: 10_000 }).toBe(true);
    expect((await create()).body.code).toBe(0);
    const cached = await statementsDuring(async () => expect((await create()).body.code).toBe(0));
    expect(cached).toHaveLength(2);
  });
});
