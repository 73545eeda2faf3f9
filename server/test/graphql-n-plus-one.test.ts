import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { buildWorld } from './support/graphql-data.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * No N+1: a page of orders with merchant, service (and its currency), channel, payments (and their
 * channel), timeline and callbacks costs the same number of SQL statements for 10 rows as for 100.
 *
 * Statements are counted with Prisma's `query` log events on a client made for this test (the
 * adapter-pg driver adapter emits them), swapped into the running server's services for the duration
 * of the requests; the GraphQL context reads `services.prisma` per request. Session bookkeeping
 * (viewer lookup, lastSeenAt refresh) is left out of the count: it is per request, not per row.
 */

let env: TestEnvironment;
let counting: PrismaClient;
let statements: string[] = [];
let admin: UserFixture;
let owner: UserFixture;

beforeAll(async () => {
  env = await createTestEnvironment();
  const world = await buildWorld(env.prisma, { ordersA: 110, ordersB: 5 });
  admin = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
  owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: world.a.id });
  // Timeline rows too, so the events relation has something to load.
  for (const order of world.orders.slice(0, 120)) {
    await env.prisma.orderEvent.create({ data: { orderId: order.id, type: 'created', toStatus: 'PENDING', actorType: 'SYSTEM' } });
  }
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: env.databaseUrl, max: 3 }),
    log: [{ emit: 'event', level: 'query' }],
  });
  client.$on('query', (event) => statements.push(event.query));
  counting = client;
});

afterAll(async () => {
  await counting?.$disconnect();
  await env?.stop();
});

const QUERY = /* GraphQL */ `
  query Page($first: Int!) {
    payins(first: $first) {
      totalCount
      edges {
        cursor
        node {
          id orderNo status payerAccount
          amount { amount currency }
          fee { amount }
          merchant { id mchId name }
          service { code name currency { code digits } }
          channel { code hasCredentials }
          payments { txnId amount { amount } channel { code } }
          events { type toStatus }
          deliveries { status attempts { attemptNo } }
        }
      }
    }
  }
`;

async function countStatements(who: UserFixture, first: number): Promise<{ rows: number; statements: string[] }> {
  const original = env.services.prisma;
  env.services.prisma = counting;
  statements = [];
  try {
    const result = await env.graphql<{ payins: { edges: unknown[] } }>(QUERY, { first }, { cookie: who.cookie });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const rows = result.data!.payins.edges.length;
    return { rows, statements: statements.filter((sql) => !/"sessions"|"user_roles"|"roles"|FROM sessions|UPDATE sessions/i.test(sql)) };
  } finally {
    env.services.prisma = original;
  }
}

describe('a page of orders with its relations costs a fixed number of SQL statements', () => {
  for (const [label, who] of [
    ['staff', () => admin],
    ['merchant owner (per-row channel access decided in one batched query)', () => owner],
  ] as const) {
    it(label, async () => {
      const small = await countStatements(who(), 10);
      const large = await countStatements(who(), 100);
      expect(small.rows).toBe(10);
      expect(large.rows).toBe(100);
      // page + count + merchant + service + currency + channel + payments (+ their channel) + events + deliveries + attempts
      // (+ currencies for money digits, + one access batch for channels): a constant, whatever the page size.
      expect(large.statements.length, large.statements.join('\n')).toBe(small.statements.length);
      expect(large.statements.length).toBeLessThanOrEqual(14);
      expect(small.statements.length).toBeGreaterThanOrEqual(5);
    });
  }
});
