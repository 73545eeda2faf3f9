import { PrismaPg } from '@prisma/adapter-pg';
import { getNamedType, isLeafType, isListType, isNonNullType, isObjectType, getNullableType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { createUserFixture, type UserFixture } from './support/auth-fixtures.ts';
import { buildWorld } from './support/graphql-data.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * List pages read only the columns their selection needs (graphql/lists/columns.ts). What proves the
 * narrowing right: every field of a payin and a payout (and of their to-one relations), read through the
 * list, equals the same field read through `nodes(ids:)`, which loads whole rows, for staff and for a
 * merchant user (whose masking and relation guards decide on the loaded row). The selections are made
 * from the schema, so a field added tomorrow with a wrong `readsColumns` hint fails here. And the
 * narrowing happens: a page that asks for order numbers does not read payer details.
 */

let env: TestEnvironment;
let counting: PrismaClient;
let statements: string[] = [];
let admin: UserFixture;
let owner: UserFixture;

beforeAll(async () => {
  env = await createTestEnvironment();
  const world = await buildWorld(env.prisma, { ordersA: 25, ordersB: 5 });
  admin = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets });
  owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: world.a.id });
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.databaseUrl, max: 2 }), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => statements.push(event.query));
  counting = client;
});

afterAll(async () => {
  await counting?.$disconnect();
  await env?.stop();
});

/** Fields without required arguments: leaves, and one level into objects (their leaves), one selection each. */
function selectionsOf(type: GraphQLObjectType, depth: number): string[] {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 0 && !isListType(getNullableType(field.type))) parts.push(`${field.name} { ${selectionsOf(named, depth - 1).join(' ')} }`);
  }
  return parts;
}

function typeNamed(name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
  return type;
}

type Row = Record<string, unknown> & { id: string };

async function listAndNodes(who: UserFixture, list: 'payins' | 'payouts', typeName: string, fields: string): Promise<{ listed: Row[]; loaded: Row[] }> {
  const page = await env.graphql<Record<string, { nodes: Row[] }>>(`query { ${list}(first: 30) { nodes { ${fields} } } }`, {}, { cookie: who.cookie });
  expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
  const listed = page.data![list]!.nodes;
  const byId = await env.graphql<{ nodes: Row[] }>(
    `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on ${typeName} { ${fields} } } }`,
    { ids: listed.map((r) => r.id) },
    { cookie: who.cookie },
  );
  expect(byId.errors, JSON.stringify(byId.errors)).toBeUndefined();
  return { listed, loaded: byId.data!.nodes };
}

describe('a list page reads fewer columns and answers the same', () => {
  for (const [who, label] of [
    [() => admin, 'staff'],
    [() => owner, 'merchant owner'],
  ] as const) {
    it(`every payin and payout field (and their to-one relations' fields) equals the node's, as ${label}`, async () => {
      for (const [list, typeName] of [
        ['payins', 'Payin'],
        ['payouts', 'Payout'],
      ] as const) {
        const selections = selectionsOf(typeNamed(typeName), 1);
        // All fields together, then each alone (id aside): alone, a field's columns are not read for another's sake.
        for (const fields of [selections.join(' '), ...selections.map((field) => `id ${field}`)]) {
          const { listed, loaded } = await listAndNodes(who(), list, typeName, fields);
          expect(listed.length, `${list} as ${label}`).toBeGreaterThan(0);
          expect(listed, `${list} { ${fields} } as ${label}`).toEqual(loaded);
        }
      }
    });
  }

  it('a page of order numbers does not read payer details', async () => {
    const original = env.services.prisma;
    env.services.prisma = counting;
    statements = [];
    try {
      const result = await env.graphql<{ payins: { nodes: Array<{ orderNo: string }> } }>(`query { payins(first: 10) { nodes { orderNo } } }`, {}, { cookie: admin.cookie });
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      expect(result.data!.payins.nodes).toHaveLength(10);
    } finally {
      env.services.prisma = original;
    }
    const page = statements.filter((sql) => /FROM "public"\."orders"/.test(sql));
    expect(page).toHaveLength(1);
    expect(page[0]).toContain('"orderNo"');
    expect(page[0]).not.toContain('"payerAccount"');
    expect(page[0]).not.toContain('"payerIdNumber"');
  });
});
