import { readFileSync } from 'node:fs';
import { PrismaPg } from '@prisma/adapter-pg';
import { print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { hashToken } from '../src/modules/auth/sessions.ts';
import { PERMISSIONS } from '../src/modules/auth/permissions.ts';
import { createUserFixture, graphqlHttp, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchant } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * The merchant center's API tokens page under the production allow-list: a signed-in owner creates,
 * lists and revokes tokens with exactly the operations the admin app sends (its codegen documents),
 * and the token created there works as `Authorization: Bearer prt_…` with the README's example query.
 */

const P = PERMISSIONS;

/** The SPA's documents as it sends them (web/src/gql/graphql.ts), by operation name. */
function spaDocument(name: string): string {
  const generated = readFileSync(new URL('../../web/src/gql/graphql.ts', import.meta.url), 'utf8');
  const match = new RegExp(`^export const ${name}Document = (\\{.*\\}) as unknown as DocumentNode`, 'm').exec(generated);
  if (!match) throw new Error(`the admin app has no ${name} operation`);
  return print(JSON.parse(match[1]!) as DocumentNode);
}

/** The README's curl example (section "API tokens"): what a merchant's server asks with a token. */
const README_QUERY = '{ me { kind merchant { mchId name } permissionNames } payins(first: 5) { nodes { orderNo outTradeNo status amount { amount currency } createdAt } } }';

describe('the API tokens page under the production allow-list', () => {
  let env: TestEnvironment;
  let owner: UserFixture;
  let merchant: { id: string; mchId: string; name: string };
  const LIST = spaDocument('MerchantCenterApiTokens');
  const CREATE = spaDocument('MerchantCenterCreateApiToken');
  const REVOKE = spaDocument('MerchantCenterRevokeApiToken');
  const CATALOG = spaDocument('PermissionCatalog');

  beforeAll(async () => {
    env = await createTestEnvironment({ env: { GRAPHQL_ALLOW_LIST: 'true', GRAPHQL_INTROSPECTION: 'false' } });
    merchant = await createMerchant(env.prisma, 'Token Merchant');
    owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchant.id });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('lets an owner create, list and revoke a token, which works as a bearer token until revoked', async () => {
    const session = { cookie: owner.cookie };
    // The allow-list is on: an ad-hoc document from the same session is refused.
    const adHoc = await graphqlHttp(env.url, '{ apiTokens { id name } }', {}, session);
    expect(adHoc.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');

    const catalog = await graphqlHttp(env.url, CATALOG, {}, session);
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data?.permissionCatalog).toContainEqual({ code: P.PAYIN_READ, name: 'PAYIN_READ', platform: false });

    const empty = await graphqlHttp(env.url, LIST, {}, session);
    expect(empty.errors).toBeUndefined();
    expect(empty.data?.apiTokens).toEqual([]);

    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created = await graphqlHttp(env.url, CREATE, { input: { name: 'ERP sync', permissions: [P.PAYIN_READ, P.MERCHANT_INFO_READ], expiresAt } }, session);
    expect(created.errors).toBeUndefined();
    const payload = created.data?.createApiToken;
    expect(payload.__typename).toBe('CreateApiTokenPayload');
    expect(payload.token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
    expect(payload.apiToken).toMatchObject({
      name: 'ERP sync',
      prefix: payload.token.slice(0, 12),
      permissions: [P.PAYIN_READ, P.MERCHANT_INFO_READ],
      merchant: { mchId: merchant.mchId, name: merchant.name },
      createdBy: { name: owner.user.name, email: owner.user.email },
      lastUsedAt: null,
      expiresAt,
      revokedAt: null,
      active: true,
    });

    // An expected refusal comes back with its code through the same allow-listed document.
    const refused = await graphqlHttp(env.url, CREATE, { input: { name: 'too much', permissions: [P.PAYOUT_REVIEW] } }, session);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_PERMISSIONS', refused: [P.PAYOUT_REVIEW] });

    // The token works on GraphQL (any operation: merchants' servers are not held to the allow-list).
    const used = await graphqlHttp(env.url, README_QUERY, {}, { bearer: payload.token });
    expect(used.errors).toBeUndefined();
    expect(used.data?.me).toEqual({ kind: 'API_TOKEN', merchant: { mchId: merchant.mchId, name: merchant.name }, permissionNames: ['PAYIN_READ', 'MERCHANT_INFO_READ'] });
    expect(used.data?.payins.nodes).toEqual([]);

    const listed = await graphqlHttp(env.url, LIST, {}, session);
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.apiTokens).toHaveLength(1);
    expect(listed.data?.apiTokens[0]).toMatchObject({ id: payload.apiToken.id, name: 'ERP sync', active: true, createdBy: { name: owner.user.name } });
    expect(new Date(listed.data?.apiTokens[0].lastUsedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const revoked = await graphqlHttp(env.url, REVOKE, { input: { id: payload.apiToken.id } }, session);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data?.revokeApiToken).toMatchObject({ __typename: 'ApiToken', id: payload.apiToken.id, active: false, revokedAt: expect.any(String) });

    const after = await graphqlHttp(env.url, README_QUERY, {}, { bearer: payload.token });
    expect(after.data?.me ?? null).toBeNull();
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const relisted = await graphqlHttp(env.url, LIST, {}, session);
    expect(relisted.data?.apiTokens[0]).toMatchObject({ id: payload.apiToken.id, active: false });
  });

  it('shows who created each token, loading the creators of a whole list in one query', async () => {
    const second = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchant.id });
    const third = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchant.id });
    for (const [who, name] of [[owner, 'a'], [second, 'b'], [owner, 'c'], [third, 'd']] as const) {
      const res = await graphqlHttp(env.url, CREATE, { input: { name, permissions: [P.PAYIN_READ] } }, { cookie: who.cookie });
      expect(res.data?.createApiToken.__typename).toBe('CreateApiTokenPayload');
    }
    await env.prisma.user.update({ where: { id: second.user.id }, data: { name: 'Second Owner' } });

    // SQL statements of the list request, counted on a logging client swapped into the running server.
    const statements: string[] = [];
    const counting = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.databaseUrl, max: 2 }), log: [{ emit: 'event', level: 'query' }] });
    counting.$on('query', (event) => statements.push(event.query));
    const original = env.services.prisma;
    env.services.prisma = counting;
    let listed;
    try {
      listed = await graphqlHttp(env.url, LIST, {}, { cookie: owner.cookie });
    } finally {
      env.services.prisma = original;
      await counting.$disconnect();
    }
    expect(listed.errors).toBeUndefined();
    const byName = new Map((listed.data?.apiTokens as Array<{ name: string; createdBy: { name: string } | null }>).map((t) => [t.name, t.createdBy?.name]));
    expect(byName.get('a')).toBe(owner.user.name);
    expect(byName.get('b')).toBe('Second Owner');
    expect(byName.get('c')).toBe(owner.user.name);
    expect(byName.get('d')).toBe(third.user.name);
    // Session bookkeeping (viewer lookup, lastSeenAt) aside, users are read once for the whole list.
    const userReads = statements.filter((sql) => /FROM "public"\."users"/.test(sql) && !/sessions/i.test(sql));
    expect(userReads, statements.join('\n')).toHaveLength(1);
  });

  it('records a token\'s use at most once a minute', async () => {
    const created = await graphqlHttp(env.url, CREATE, { input: { name: 'busy server', permissions: [P.PAYIN_READ] } }, { cookie: owner.cookie });
    const token = created.data?.createApiToken.token as string;
    const row = () => env.prisma.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    await graphqlHttp(env.url, README_QUERY, {}, { bearer: token });
    const first = (await row()).lastUsedAt!;
    expect(first.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await graphqlHttp(env.url, README_QUERY, {}, { bearer: token });
    expect((await row()).lastUsedAt).toEqual(first);
    // A minute later the next use is recorded again.
    await env.prisma.apiToken.update({ where: { tokenHash: hashToken(token) }, data: { lastUsedAt: new Date(first.getTime() - 61_000) } });
    await graphqlHttp(env.url, README_QUERY, {}, { bearer: token });
    expect((await row()).lastUsedAt!.getTime()).toBeGreaterThan(first.getTime() - 1_000);
  });

  it('refuses the page to a member who may not manage tokens', async () => {
    const operator = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OPERATOR', merchantId: merchant.id });
    const listed = await graphqlHttp(env.url, LIST, {}, { cookie: operator.cookie });
    expect(listed.data?.apiTokens).toEqual([]);
    const created = await graphqlHttp(env.url, CREATE, { input: { name: 'x', permissions: [P.PAYIN_READ] } }, { cookie: operator.cookie });
    expect(created.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
