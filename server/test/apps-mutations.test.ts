import { generateKeyPairSync } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPairAsync, keySerial, type RsaKeyPair } from '../src/lib/crypto.ts';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import { MerchantClient, type Envelope, type MerchantResponse } from './support/merchant-client.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Merchant-center application mutations over real HTTP GraphQL with real session cookies, and the
 * REST API they configure: an app created and keyed through GraphQL signs real /v1 requests; disabling,
 * whitelisting, revoking and rotating take effect on the very next request; who may do what; another
 * merchant's app is APP_NOT_FOUND; audit rows carry no key material.
 */

type Who = 'admin' | 'finance' | 'support' | 'owner' | 'operator' | 'viewer' | 'otherOwner';

let env: TestEnvironment;
let shop: MerchantFixture;
let otherShop: MerchantFixture;
let cookies: Record<Who, string>;
let ownerUserId: string;

const gql = <T = Record<string, any>>(who: Who, query: string, variables?: Record<string, unknown>) => env.graphql<T>(query, variables, { cookie: cookies[who] });
const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;
const appGid = (id: string) => encodeGlobalID('App', id);
const merchantGid = (id: string) => encodeGlobalID('Merchant', id);

const APP_FIELDS = `id appId name status test payinNotifyUrl payoutNotifyUrl ipWhitelist
  merchant { id mchId }
  merchantKeys { serial status publicKeyPem revokedAt }
  platformKeys { serial publicKeyPem status effectiveAt expiresAt }`;
const CREATE = `mutation($input: CreateAppInput!) { createApp(input: $input) { ${APP_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateAppInput!) { updateApp(input: $input) { ${APP_FIELDS} } }`;
const ADD_KEY = `mutation($input: AddMerchantPublicKeyInput!) { addMerchantPublicKey(input: $input) { ${APP_FIELDS} } }`;
const REVOKE_KEY = `mutation($input: RevokeMerchantKeyInput!) { revokeMerchantKey(input: $input) { ${APP_FIELDS} } }`;
const ROTATE = `mutation($input: RotatePlatformKeyInput!) { rotatePlatformKey(input: $input) { ${APP_FIELDS} } }`;

interface AppShape {
  id: string;
  appId: string;
  name: string;
  status: string;
  test: boolean;
  payinNotifyUrl: string | null;
  payoutNotifyUrl: string | null;
  ipWhitelist: string[];
  merchant: { id: string; mchId: string };
  merchantKeys: Array<{ serial: string; status: string; publicKeyPem: string; revokedAt: string | null }>;
  platformKeys: Array<{ serial: string; publicKeyPem: string; status: string; effectiveAt: string; expiresAt: string | null }>;
}

function clientFor(app: AppShape, keys: RsaKeyPair): MerchantClient {
  return new MerchantClient({ baseUrl: env.url, appId: app.appId, mchId: app.merchant.mchId, privateKeyPem: keys.privateKeyPem, serial: keySerial(keys.publicKeyPem) });
}

function expectCode(response: MerchantResponse<Envelope>, code: number): void {
  expect(response.body?.code, response.rawBody).toBe(code);
}

/** Every audit row of an app, as text: what must never appear in it. */
async function auditText(entityId: string): Promise<string> {
  const rows = await env.prisma.auditLog.findMany({ where: { entityType: 'App', entityId }, orderBy: { id: 'asc' } });
  return JSON.stringify(rows.map((r) => ({ action: r.action, before: r.before, after: r.after })));
}

async function privateKeyMaterial(appDbId: string): Promise<string[]> {
  const keys = await env.prisma.platformKey.findMany({ where: { appId: appDbId }, select: { privateKeyEnc: true } });
  return keys.map((k) => k.privateKeyEnc);
}

beforeAll(async () => {
  env = await createTestEnvironment();
  const db = env.prisma;
  const secrets = env.services.secrets;
  shop = await createMerchantFixture(db, secrets);
  otherShop = await createMerchantFixture(db, secrets);
  const owner = await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shop.merchant.id });
  ownerUserId = owner.user.id;
  cookies = {
    admin: (await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets })).cookie,
    finance: (await createUserFixture(db, { roleKey: 'FINANCE', totp: true, secrets })).cookie,
    support: (await createUserFixture(db, { roleKey: 'SUPPORT_AGENT', totp: true, secrets })).cookie,
    owner: owner.cookie,
    operator: (await createUserFixture(db, { roleKey: 'MERCHANT_OPERATOR', merchantId: shop.merchant.id })).cookie,
    viewer: (await createUserFixture(db, { roleKey: 'MERCHANT_VIEWER', merchantId: shop.merchant.id })).cookie,
    otherOwner: (await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: otherShop.merchant.id })).cookie,
  };
});

afterAll(async () => {
  await env?.stop();
});

describe('an app created and keyed through GraphQL signs real REST requests', () => {
  it('owner creates an app, adds a key, rotates, revokes; each change holds on the next request', async () => {
    const first = await generateRsaKeyPairAsync();
    const created = await gql<{ createApp: AppShape }>('owner', CREATE, {
      input: {
        name: '  Checkout  ',
        publicKeyPem: first.publicKeyPem,
        payinNotifyUrl: 'https://shop.example/payin',
        payoutNotifyUrl: 'https://shop.example/payout',
        ipWhitelist: ['127.0.0.1/32', '10.0.0.0/8'],
      },
    });
    expect(created.errors).toBeUndefined();
    const app = created.data!.createApp;
    expect(app).toMatchObject({
      name: 'Checkout',
      status: 'ENABLED',
      test: false,
      payinNotifyUrl: 'https://shop.example/payin',
      payoutNotifyUrl: 'https://shop.example/payout',
      merchant: { id: merchantGid(shop.merchant.id), mchId: shop.mchId },
    });
    expect(app.appId).toMatch(/^[0-9a-f]{32}$/);
    expect(app.ipWhitelist).toEqual(['127.0.0.1', '10.0.0.0/8']); // normalised: a /32 is its address
    expect(app.merchantKeys).toEqual([expect.objectContaining({ serial: keySerial(first.publicKeyPem), status: 'ACTIVE' })]);
    expect(app.platformKeys).toHaveLength(1);
    expect(app.platformKeys[0]!.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    const platformPem = app.platformKeys[0]!.publicKeyPem;

    // The key registered at creation signs; the answer is signed by the platform key we were shown.
    const client = clientFor(app, first);
    const certificates = await client.get<Array<{ serial: string; public_key_pem: string }>>('/v1/platform/certificates');
    expectCode(certificates, 0);
    expect(certificates.body.data.map((c) => c.serial)).toEqual([app.platformKeys[0]!.serial]);
    expect(client.verifyResponse(platformPem)).toBe(true);

    // Exchange a second public key: requests signed with it are accepted.
    const second = await generateRsaKeyPairAsync();
    const added = await gql<{ addMerchantPublicKey: AppShape }>('owner', ADD_KEY, { input: { id: app.id, publicKeyPem: second.publicKeyPem } });
    expect(added.errors).toBeUndefined();
    expect(added.data!.addMerchantPublicKey.merchantKeys.map((k) => [k.serial, k.status])).toEqual([
      [keySerial(first.publicKeyPem), 'ACTIVE'],
      [keySerial(second.publicKeyPem), 'ACTIVE'],
    ]);
    const secondClient = clientFor(app, second);
    expectCode(await secondClient.post('/v1/balance/query', {}), 0);
    expect(secondClient.verifyResponse(platformPem)).toBe(true);
    // The same key again: a stable code.
    expect(codeOf(await gql('owner', ADD_KEY, { input: { id: app.id, publicKeyPem: second.publicKeyPem } }))).toBe('MERCHANT_KEY_EXISTS');

    // Rotate the platform key: the next response is signed by the new one; both are published.
    const rotated = await gql<{ rotatePlatformKey: AppShape }>('owner', ROTATE, { input: { id: app.id } });
    expect(rotated.errors).toBeUndefined();
    const platformKeys = rotated.data!.rotatePlatformKey.platformKeys;
    expect(platformKeys).toHaveLength(2);
    const newest = platformKeys.find((k) => k.serial !== app.platformKeys[0]!.serial)!;
    expect(platformKeys.find((k) => k.serial === app.platformKeys[0]!.serial)!.expiresAt).not.toBeNull();
    const afterRotation = await secondClient.get<Array<{ serial: string }>>('/v1/platform/certificates');
    expectCode(afterRotation, 0);
    expect(afterRotation.headers.get('payrail-serial')).toBe(newest.serial);
    expect(secondClient.verifyResponse(newest.publicKeyPem)).toBe(true);
    expect(afterRotation.body.data.map((c) => c.serial).sort()).toEqual(platformKeys.map((k) => k.serial).sort());

    // Revoke the first key: it stops working at once, the second still works.
    const revoked = await gql<{ revokeMerchantKey: AppShape }>('owner', REVOKE_KEY, { input: { id: app.id, serial: keySerial(first.publicKeyPem) } });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeMerchantKey.merchantKeys.find((k) => k.serial === keySerial(first.publicKeyPem))).toMatchObject({ status: 'REVOKED' });
    expectCode(await client.post('/v1/balance/query', {}), 40102);
    expectCode(await secondClient.post('/v1/balance/query', {}), 0);

    // The last active key is kept unless forced.
    const last = await gql('owner', REVOKE_KEY, { input: { id: app.id, serial: keySerial(second.publicKeyPem) } });
    expect(codeOf(last)).toBe('LAST_ACTIVE_MERCHANT_KEY');
    expectCode(await secondClient.post('/v1/balance/query', {}), 0);
    const unknownSerial = await gql('owner', REVOKE_KEY, { input: { id: app.id, serial: 'ABCDEF0123456789ABCDEF0123456789' } });
    expect(codeOf(unknownSerial)).toBe('MERCHANT_KEY_NOT_FOUND');
    const forced = await gql('owner', REVOKE_KEY, { input: { id: app.id, serial: keySerial(second.publicKeyPem), force: true } });
    expect(forced.errors).toBeUndefined();
    expectCode(await secondClient.post('/v1/balance/query', {}), 40102);

    // Every step audited, with the owner as actor and the merchant for scoping; no private key anywhere.
    const rows = await env.prisma.auditLog.findMany({ where: { entityType: 'App', entityId: (await dbApp(app.appId)).id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual([
      'app.create',
      'app.merchant_key.add',
      'app.platform_key.rotate',
      'app.merchant_key.revoke',
      'app.merchant_key.revoke',
    ]);
    expect(rows.every((r) => r.actorId === ownerUserId && r.merchantId === shop.merchant.id)).toBe(true);
    expect(rows[0]!.after).toMatchObject({ name: 'Checkout', ipWhitelist: ['127.0.0.1', '10.0.0.0/8'], merchantKeySerial: keySerial(first.publicKeyPem) });
    const text = await auditText((await dbApp(app.appId)).id);
    expect(text).not.toMatch(/PRIVATE KEY|privateKey/i);
    for (const sealed of await privateKeyMaterial((await dbApp(app.appId)).id)) expect(text).not.toContain(sealed);
  });

  it('an app created without a key (seed 000: create, then exchange keys) refuses signed requests until the merchant adds one', async () => {
    const created = await gql<{ createApp: AppShape }>('owner', CREATE, { input: { name: 'Later keys' } });
    expect(created.errors).toBeUndefined();
    const app = created.data!.createApp;
    expect(app.merchantKeys).toEqual([]);
    expect(app.platformKeys).toHaveLength(1);
    const keys = await generateRsaKeyPairAsync();
    const before = await clientFor(app, keys).get('/v1/platform/certificates');
    expect(before.body?.code, before.rawBody).not.toBe(0);
    const added = await gql<{ addMerchantPublicKey: AppShape }>('owner', ADD_KEY, { input: { id: app.id, publicKeyPem: keys.publicKeyPem } });
    expect(added.errors).toBeUndefined();
    expectCode(await clientFor(app, keys).get('/v1/platform/certificates'), 0);
  });

  it('disabling and whitelisting through updateApp hold on the very next request; bad settings change nothing', async () => {
    const keys = await generateRsaKeyPairAsync();
    const created = await gql<{ createApp: AppShape }>('owner', CREATE, { input: { name: 'Toggle', publicKeyPem: keys.publicKeyPem } });
    const app = created.data!.createApp;
    const client = clientFor(app, keys);
    expectCode(await client.post('/v1/balance/query', {}), 0); // now cached by the REST layer

    const disabled = await gql<{ updateApp: AppShape }>('owner', UPDATE, { input: { id: app.id, status: 'DISABLED' } });
    expect(disabled.data!.updateApp.status).toBe('DISABLED');
    expectCode(await client.post('/v1/balance/query', {}), 40105);
    await gql('owner', UPDATE, { input: { id: app.id, status: 'ENABLED' } });
    expectCode(await client.post('/v1/balance/query', {}), 0);

    const fenced = await gql<{ updateApp: AppShape }>('owner', UPDATE, { input: { id: app.id, ipWhitelist: ['203.0.113.0/24'] } });
    expect(fenced.data!.updateApp.ipWhitelist).toEqual(['203.0.113.0/24']);
    expectCode(await client.post('/v1/balance/query', {}), 40301);
    const opened = await gql<{ updateApp: AppShape }>('owner', UPDATE, { input: { id: app.id, ipWhitelist: [] } });
    expect(opened.data!.updateApp.ipWhitelist).toEqual([]);
    expectCode(await client.post('/v1/balance/query', {}), 0);

    const renamed = await gql<{ updateApp: AppShape }>('owner', UPDATE, {
      input: { id: app.id, name: 'Toggle 2', payinNotifyUrl: 'http://shop.example/in', test: true },
    });
    expect(renamed.data!.updateApp).toMatchObject({ name: 'Toggle 2', payinNotifyUrl: 'http://shop.example/in', payoutNotifyUrl: null, test: true });
    const cleared = await gql<{ updateApp: AppShape }>('owner', UPDATE, { input: { id: app.id, payinNotifyUrl: null } });
    expect(cleared.data!.updateApp).toMatchObject({ name: 'Toggle 2', payinNotifyUrl: null, test: true });

    const before = await dbApp(app.appId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ payinNotifyUrl: 'ftp://shop.example/in' }, 'payin_notify_url'],
      [{ payoutNotifyUrl: 'not a url' }, 'payout_notify_url'],
      [{ ipWhitelist: ['10.0.0.0/33'] }, 'ip_whitelist'],
      [{ ipWhitelist: ['example.com'] }, 'ip_whitelist'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
    ];
    for (const [change, field] of cases) {
      const bad = await gql('owner', UPDATE, { input: { id: app.id, ...change } });
      expect(codeOf(bad), JSON.stringify(change)).toBe('INVALID_PARAMETER');
      expect(bad.errors![0]!.extensions).toMatchObject({ field });
    }
    expect(await dbApp(app.appId)).toEqual(before);

    const updates = await env.prisma.auditLog.findMany({ where: { entityType: 'App', entityId: before.id, action: 'app.update' }, orderBy: { id: 'asc' } });
    expect(updates).toHaveLength(6);
    expect(updates[0]!.before).toMatchObject({ status: 'ENABLED' });
    expect(updates[0]!.after).toMatchObject({ status: 'DISABLED' });
    expect(updates[2]!.after).toMatchObject({ ipWhitelist: ['203.0.113.0/24'] });
  });

  it('refuses keys that are not RSA public keys of 2048+ bits with INVALID_PUBLIC_KEY, creating nothing', async () => {
    const appsBefore = await env.prisma.app.count();
    const rsa = await generateRsaKeyPairAsync();
    const small = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const garbage = [
      'hello',
      '-----BEGIN PUBLIC KEY-----\nnot base64 at all!!\n-----END PUBLIC KEY-----\n',
      rsa.privateKeyPem,
      small.publicKey,
      ec.publicKey,
      `${rsa.publicKeyPem}${rsa.publicKeyPem}`,
    ];
    for (const publicKeyPem of garbage) {
      const res = await gql('owner', CREATE, { input: { name: 'Bad key', publicKeyPem } });
      expect(codeOf(res), publicKeyPem.slice(0, 40)).toBe('INVALID_PUBLIC_KEY');
      const add = await gql('owner', ADD_KEY, { input: { id: appGid(shop.app.id), publicKeyPem } });
      expect(codeOf(add)).toBe('INVALID_PUBLIC_KEY');
    }
    expect(await env.prisma.app.count()).toBe(appsBefore);
    expect(await env.prisma.merchantKey.count({ where: { appId: shop.app.id } })).toBe(1);
    // A PKCS#1 ("RSA PUBLIC KEY") key is fine and stored as SPKI.
    const pkcs1 = (await import('node:crypto')).createPublicKey(rsa.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    const ok = await gql<{ createApp: AppShape }>('owner', CREATE, { input: { name: 'PKCS1', publicKeyPem: pkcs1 } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.createApp.merchantKeys[0]!.serial).toBe(keySerial(rsa.publicKeyPem));
    expect(ok.data!.createApp.merchantKeys[0]!.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
  });
});

describe('who may change applications', () => {
  it('staff need MERCHANT_MANAGE: admin creates for any merchant (and must name it); finance and support are FORBIDDEN', async () => {
    const keys = await generateRsaKeyPairAsync();
    const unnamed = await gql('admin', CREATE, { input: { name: 'Staff app', publicKeyPem: keys.publicKeyPem } });
    expect(codeOf(unnamed)).toBe('INVALID_PARAMETER');
    expect(unnamed.errors![0]!.extensions).toMatchObject({ field: 'merchantId' });
    const made = await gql<{ createApp: AppShape }>('admin', CREATE, { input: { merchantId: merchantGid(otherShop.merchant.id), name: 'Staff app', publicKeyPem: keys.publicKeyPem } });
    expect(made.errors).toBeUndefined();
    expect(made.data!.createApp.merchant.mchId).toBe(otherShop.mchId);
    const renamed = await gql<{ updateApp: AppShape }>('admin', UPDATE, { input: { id: appGid(shop.app.id), name: 'Renamed by admin' } });
    expect(renamed.data!.updateApp.name).toBe('Renamed by admin');

    for (const who of ['finance', 'support'] as const) {
      const create = await gql(who, CREATE, { input: { merchantId: merchantGid(shop.merchant.id), name: 'x', publicKeyPem: keys.publicKeyPem } });
      expect(codeOf(create), who).toBe('FORBIDDEN');
      const update = await gql(who, UPDATE, { input: { id: appGid(shop.app.id), name: 'x' } });
      expect(codeOf(update), who).toBe('FORBIDDEN');
      const rotate = await gql(who, ROTATE, { input: { id: appGid(shop.app.id) } });
      expect(codeOf(rotate), who).toBe('FORBIDDEN');
    }
  });

  it("merchant operators and viewers are FORBIDDEN on their own merchant's apps; another merchant's owner gets APP_NOT_FOUND", async () => {
    const keys = await generateRsaKeyPairAsync();
    const before = await dbApp(shop.appId);
    const keyCount = await env.prisma.merchantKey.count({ where: { appId: shop.app.id } });
    const platformCount = await env.prisma.platformKey.count({ where: { appId: shop.app.id } });
    const id = appGid(shop.app.id);
    const attempts: Array<[string, Record<string, unknown>]> = [
      [UPDATE, { input: { id, name: 'hijacked', status: 'DISABLED' } }],
      [ADD_KEY, { input: { id, publicKeyPem: keys.publicKeyPem } }],
      [REVOKE_KEY, { input: { id, serial: shop.serial, force: true } }],
      [ROTATE, { input: { id } }],
    ];
    for (const [mutation, variables] of attempts) {
      for (const who of ['operator', 'viewer'] as const) expect(codeOf(await gql(who, mutation, variables)), who).toBe('FORBIDDEN');
      expect(codeOf(await gql('otherOwner', mutation, variables))).toBe('APP_NOT_FOUND');
    }
    for (const who of ['operator', 'viewer'] as const) {
      expect(codeOf(await gql(who, CREATE, { input: { name: 'x', publicKeyPem: keys.publicKeyPem } })), who).toBe('FORBIDDEN');
    }
    // Creating for another merchant: that merchant does not exist for them.
    expect(codeOf(await gql('otherOwner', CREATE, { input: { merchantId: merchantGid(shop.merchant.id), name: 'x', publicKeyPem: keys.publicKeyPem } }))).toBe('MERCHANT_NOT_FOUND');
    // A made-up id is the same answer as another merchant's app; garbage is a bad id.
    expect(codeOf(await gql('owner', ROTATE, { input: { id: appGid('00000000-0000-7000-8000-000000000000') } }))).toBe('APP_NOT_FOUND');
    expect(codeOf(await gql('owner', ROTATE, { input: { id: 'nonsense' } }))).toBe('BAD_USER_INPUT');
    // Signed out.
    expect(codeOf(await env.graphql(ROTATE, { input: { id } }))).toBe('UNAUTHENTICATED');

    expect(await dbApp(shop.appId)).toEqual(before);
    expect(await env.prisma.merchantKey.count({ where: { appId: shop.app.id, status: 'ACTIVE' } })).toBe(keyCount);
    expect(await env.prisma.platformKey.count({ where: { appId: shop.app.id } })).toBe(platformCount);
    expect(await env.prisma.auditLog.count({ where: { entityType: 'App', entityId: shop.app.id, actorId: { not: null }, action: { not: 'app.update' } } })).toBe(0);
    expectCode(await shop.client(env.url).post('/v1/balance/query', {}), 0);
  });
});

async function dbApp(appId: string) {
  return env.prisma.app.findUniqueOrThrow({ where: { appId } });
}
