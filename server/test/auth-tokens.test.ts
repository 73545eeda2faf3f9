import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { PERMISSIONS } from '../src/modules/auth/permissions.ts';
import { hashToken } from '../src/modules/auth/sessions.ts';
import { createUserFixture, graphqlHttp, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchant } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

const P = PERMISSIONS;
const CREATE = `mutation ($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    __typename
    ... on CreateApiTokenPayload { token apiToken { id name prefix permissions expiresAt active } }
  }
}`;
const REVOKE = `mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { __typename ... on ApiToken { id revokedAt active } } }`;
const TOKENS = '{ apiTokens { id name prefix } }';
const ME = '{ me { kind tokenId userId merchant { id } permissions global abilityRules } }';

describe('merchant API tokens', () => {
  let env: TestEnvironment;
  let merchantA: string;
  let merchantB: string;
  let ownerA: UserFixture;
  let ownerB: UserFixture;

  const create = (who: UserFixture, input: Record<string, unknown>) => graphqlHttp(env.url, CREATE, { input }, { cookie: who.cookie });

  beforeAll(async () => {
    env = await createTestEnvironment();
    merchantA = (await createMerchant(env.prisma, 'Merchant A')).id;
    merchantB = (await createMerchant(env.prisma, 'Merchant B')).id;
    ownerA = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchantA });
    ownerB = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchantB });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('creates a token shown once, stores only its hash, and audits it', async () => {
    const result = await create(ownerA, { name: 'ERP', permissions: [P.PAYIN_READ, P.API_TOKEN_WRITE] });
    const payload = result.data?.createApiToken;
    expect(payload.__typename).toBe('CreateApiTokenPayload');
    expect(payload.token).toMatch(/^prt_[A-Za-z0-9_-]{43}$/);
    expect(payload.apiToken).toMatchObject({ name: 'ERP', prefix: payload.token.slice(0, 12), permissions: [P.PAYIN_READ, P.API_TOKEN_WRITE], expiresAt: null, active: true });
    const row = await env.prisma.apiToken.findFirstOrThrow({ where: { prefix: payload.apiToken.prefix } });
    expect(row.tokenHash).toBe(hashToken(payload.token));
    expect(row).toMatchObject({ merchantId: merchantA, createdById: ownerA.user.id });
    expect(JSON.stringify(await env.prisma.apiToken.findMany())).not.toContain(payload.token);
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'api_token.create', entityId: row.id } });
    expect(audit).toMatchObject({ actorId: ownerA.user.id, merchantId: merchantA });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(payload.token);
  });

  it('authenticates GraphQL with the bearer token, scoped to its merchant and its codes', async () => {
    const a = (await create(ownerA, { name: 'A reader', permissions: [P.PAYIN_READ, P.API_TOKEN_WRITE] })).data?.createApiToken.token as string;
    await create(ownerB, { name: 'B token', permissions: [P.PAYIN_READ] });

    const me = await graphqlHttp(env.url, ME, {}, { bearer: a });
    expect(me.data?.me).toMatchObject({ kind: 'API_TOKEN', userId: null, merchant: { id: merchantA }, permissions: [P.PAYIN_READ, P.API_TOKEN_WRITE], global: false });

    // Lists are filtered to the token's merchant: merchant A's tokens only.
    const listed = (await graphqlHttp(env.url, TOKENS, {}, { bearer: a })).data?.apiTokens as Array<{ name: string }>;
    expect(listed.length).toBeGreaterThan(0);
    const names = new Set(listed.map((t) => t.name));
    expect(names.has('B token')).toBe(false);
    expect(names.has('A reader')).toBe(true);
    expect(listed.length).toBe(await env.prisma.apiToken.count({ where: { merchantId: merchantA } }));

    // A token without API_TOKEN_WRITE sees no tokens at all.
    const narrow = (await create(ownerA, { name: 'payins only', permissions: [P.PAYIN_READ] })).data?.createApiToken.token as string;
    expect((await graphqlHttp(env.url, TOKENS, {}, { bearer: narrow })).data?.apiTokens).toEqual([]);

    // Tokens cannot mint tokens, and cannot reach another merchant's token by id.
    const minted = await graphqlHttp(env.url, CREATE, { input: { name: 'x', permissions: [P.PAYIN_READ] } }, { bearer: a });
    expect(minted.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bToken = await env.prisma.apiToken.findFirstOrThrow({ where: { merchantId: merchantB } });
    const nodeB = await graphqlHttp(env.url, 'query ($id: ID!) { node(id: $id) { id } }', { id: encodeGlobalID('ApiToken', bToken.id) }, { bearer: a });
    expect(nodeB.data?.node ?? null).toBeNull();
  });

  it('refuses codes the creator lacks, platform-only codes and unknown codes', async () => {
    const result = await create(ownerA, { name: 'too much', permissions: [P.PAYIN_READ, P.PAYOUT_REVIEW, P.MERCHANT_MANAGE, 9999] });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_PERMISSIONS', refused: [P.PAYOUT_REVIEW, 9999, P.MERCHANT_MANAGE].sort((x, y) => x - y) });
    const operator = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OPERATOR', merchantId: merchantA });
    const denied = await create(operator, { name: 'no right', permissions: [P.PAYIN_READ] });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const past = await create(ownerA, { name: 'expired', permissions: [P.PAYIN_READ], expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
    const staff = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR' });
    expect((await create(staff, { name: 'staff', permissions: [P.PAYIN_READ] })).errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
  });

  it('stops working once revoked, expired, or its merchant is suspended; a bad bearer never falls back to the cookie', async () => {
    const created = (await create(ownerA, { name: 'short-lived', permissions: [P.PAYIN_READ] })).data?.createApiToken;
    const token = created.token as string;
    expect((await graphqlHttp(env.url, ME, {}, { bearer: token })).data?.me.kind).toBe('API_TOKEN');

    // Another merchant's owner cannot revoke it.
    expect((await graphqlHttp(env.url, REVOKE, { id: created.apiToken.id }, { cookie: ownerB.cookie })).errors?.[0]?.extensions?.code).toBe('API_TOKEN_NOT_FOUND');
    const revoked = await graphqlHttp(env.url, REVOKE, { id: created.apiToken.id }, { cookie: ownerA.cookie });
    expect(revoked.data?.revokeApiToken).toMatchObject({ __typename: 'ApiToken', active: false, revokedAt: expect.any(String) });
    expect((await graphqlHttp(env.url, ME, {}, { bearer: token })).data?.me).toBeNull();
    expect(await env.prisma.auditLog.count({ where: { action: 'api_token.revoke', actorId: ownerA.user.id } })).toBe(1);

    const other = (await create(ownerA, { name: 'to expire', permissions: [P.PAYIN_READ] })).data?.createApiToken.token as string;
    await env.prisma.apiToken.updateMany({ where: { tokenHash: hashToken(other) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await graphqlHttp(env.url, ME, {}, { bearer: other })).data?.me).toBeNull();

    const third = (await create(ownerA, { name: 'suspended', permissions: [P.PAYIN_READ] })).data?.createApiToken.token as string;
    await env.prisma.merchant.update({ where: { id: merchantA }, data: { status: 'SUSPENDED' } });
    try {
      expect((await graphqlHttp(env.url, ME, {}, { bearer: third })).data?.me).toBeNull();
    } finally {
      await env.prisma.merchant.update({ where: { id: merchantA }, data: { status: 'ACTIVE' } });
    }
    expect((await graphqlHttp(env.url, ME, {}, { bearer: third })).data?.me.kind).toBe('API_TOKEN');

    // A malformed bearer is anonymous even with a valid session cookie alongside.
    expect((await graphqlHttp(env.url, ME, {}, { bearer: 'prt_nope', cookie: ownerA.cookie })).data?.me).toBeNull();
    expect((await graphqlHttp(env.url, ME, {}, { cookie: ownerA.cookie })).data?.me.kind).toBe('USER');
  });

  it('records when a token was last used', async () => {
    const created = (await create(ownerA, { name: 'usage', permissions: [P.PAYIN_READ] })).data?.createApiToken;
    const token = created.token as string;
    expect((await env.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: hashToken(token) } })).lastUsedAt).toBeNull();
    await graphqlHttp(env.url, ME, {}, { bearer: token });
    const used = await env.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(used.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
