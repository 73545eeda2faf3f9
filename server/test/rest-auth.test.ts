import { createPublicKey, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../src/services.ts';
import { generateRsaKeyPairAsync, keySerial, randomNonce, type RsaKeyPair } from '../src/lib/crypto.ts';
import { DomainError, isDomainError } from '../src/lib/errors.ts';
import { newAppId } from '../src/lib/ids.ts';
import { invalidateAppCredentials } from '../src/modules/apps/app-credentials.ts';
import {
  addMerchantKey,
  createApp,
  listPlatformCertificates,
  PLATFORM_KEY_OVERLAP_MS,
  revokeMerchantKey,
  rotatePlatformKey,
  updateApp,
} from '../src/modules/apps/apps.service.ts';
import { closeRedisClients } from '../src/lib/redis-clients.ts';
import { authenticatePaymentClient, certificateRoutes, registerJsonBodyParser, signResponses } from '../src/rest/auth.ts';
import { ok, sendError } from '../src/rest/envelope.ts';
import { toRestError } from '../src/rest/error-table.ts';
import { REST_BODY_LIMIT } from '../src/rest/index.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import type { MerchantClient, MerchantResponse } from './support/merchant-client.ts';
import { testRedisUrl } from './support/redis.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * The signature check of the merchant REST API over real HTTP. The /v1 routes are wired elsewhere, so
 * this file builds its own small server: the JSON body parser, the auth hook, response signing, an echo
 * route and /v1/platform/certificates, backed by a real platform's services and database.
 */

/** Null without Redis (and no TEST_REDIS_URL): the Redis part is skipped; CI always has it. */
const REDIS_URL = await testRedisUrl();

let env: TestEnvironment;
let server: AuthServer;

interface AuthServer {
  url: string;
  close(): Promise<void>;
}

/** The hooks under test, behind /v1, with the same error mapping as rest/index.ts. */
async function startAuthServer(services: AppServices): Promise<AuthServer> {
  const app: FastifyInstance = Fastify({ genReqId: () => randomUUID(), requestIdHeader: false });
  await app.register(
    async (v1) => {
      v1.setErrorHandler((error: FastifyError, request, reply) => {
        const mapped = toRestError(error);
        if (mapped) return sendError(request, reply, mapped.status, mapped.code, mapped.msg, mapped.data);
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(request, reply, 413, 41301, 'body too large');
        if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(request, reply, 400, 40001, 'Content-Type must be application/json');
        return sendError(request, reply, 500, 50001, `internal error, quote request_id ${request.id}`);
      });
      registerJsonBodyParser(v1, REST_BODY_LIMIT);
      v1.addHook('preHandler', authenticatePaymentClient(services));
      v1.addHook('onSend', signResponses(services));
      const echo = async (request: Parameters<typeof ok>[0]) => {
        const client = request.paymentClient!;
        return ok(request, {
          app_id: client.appId,
          mch_id: client.mchId,
          merchant_id: client.merchantId,
          test: client.test,
          platform_serial: client.platformKey.serial,
          body: request.body ?? null,
        });
      };
      v1.post('/test/echo', echo);
      v1.get('/test/echo', echo);
      v1.post('/test/fail', async () => {
        throw new DomainError('ORDER_NOT_FOUND', 'no such order');
      });
      await v1.register(certificateRoutes, { services });
    },
    { prefix: '/v1' },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
}

function expectError(response: MerchantResponse, status: number, code: number): void {
  expect({ status: response.status, code: (response.body as { code?: number } | undefined)?.code }).toEqual({ status, code });
  const body = response.body as { msg: string; request_id: string; data: unknown };
  expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof body.msg).toBe('string');
}

async function nonceRows(appId: string): Promise<number> {
  return env.prisma.apiNonce.count({ where: { appId } });
}

beforeAll(async () => {
  env = await createTestEnvironment();
  server = await startAuthServer(env.services);
});

afterAll(async () => {
  await server?.close();
  await closeRedisClients();
  await env?.stop();
});

describe('signed request, success', () => {
  let fixture: MerchantFixture;
  let client: MerchantClient;

  beforeAll(async () => {
    fixture = await createMerchantFixture(env.prisma, env.services.secrets, { app: { test: true, payinNotifyUrl: 'https://merchant.example/notify' } });
    client = fixture.client(server.url);
  });

  it('authenticates a POST, sets the payment client and signs the response', async () => {
    const response = await client.post<{ app_id: string; mch_id: string; merchant_id: string; test: boolean; platform_serial: string; body: unknown }>(
      '/v1/test/echo',
      { amount: '150.00', note: 'héllo ✓' },
    );
    expect(response.status).toBe(200);
    expect(response.body.code).toBe(0);
    expect(response.body.msg).toBe('ok');
    expect(response.body.data).toEqual({
      app_id: fixture.appId,
      mch_id: fixture.mchId,
      merchant_id: fixture.merchant.id,
      test: true,
      platform_serial: fixture.platformKey.serial,
      body: { mch_id: fixture.mchId, amount: '150.00', note: 'héllo ✓' },
    });
    expect(response.headers.get('payrail-serial')).toBe(fixture.platformKey.serial);
    expect(response.headers.get('payrail-nonce')).toMatch(/^[A-Za-z0-9]{16,64}$/);
    expect(Math.abs(Number(response.headers.get('payrail-timestamp')) - Date.now() / 1000)).toBeLessThan(5);
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem)).toBe(true);
  });

  it('authenticates a GET whose query string is part of the signed path', async () => {
    const response = await client.get('/v1/test/echo?b=2&a=%20x');
    expect(response.status).toBe(200);
    expect(response.body.code).toBe(0);
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem)).toBe(true);
  });

  it('accepts a body without mch_id and a charset parameter on the content type', async () => {
    const response = await client.send({
      method: 'POST',
      path: '/v1/test/echo',
      body: '{"x":1}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.status).toBe(200);
  });

  it('accepts a timestamp within the 300 s window', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, timestamp: now - 290 })).status).toBe(200);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, timestamp: now + 290 })).status).toBe(200);
  });

  it('signs error answers to authenticated requests too', async () => {
    const response = await client.post('/v1/test/fail', {});
    expectError(response, 404, 40401);
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem)).toBe(true);
  });

  it('a verifier rejects a response whose body was altered', async () => {
    const response = await client.post('/v1/test/echo', {});
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem, { ...response, rawBody: response.rawBody.replace('"ok"', '"OK"') })).toBe(false);
    const other = await generateRsaKeyPairAsync();
    expect(client.verifyResponse(other.publicKeyPem, response)).toBe(false);
  });
});

describe('40101 missing or malformed headers', () => {
  let fixture: MerchantFixture;
  let client: MerchantClient;

  beforeAll(async () => {
    fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    client = fixture.client(server.url);
  });

  const send = (headers: Record<string, string | undefined>) => client.send({ method: 'POST', path: '/v1/test/echo', body: {}, headers });

  it('refuses a request without app_id', async () => {
    expectError(await send({ app_id: undefined }), 401, 40101);
  });

  it('refuses a malformed app_id', async () => {
    expectError(await send({ app_id: 'not-an-app' }), 401, 40101);
    expectError(await send({ app_id: fixture.appId.toUpperCase() }), 401, 40101);
  });

  it('refuses a request without Authorization', async () => {
    expectError(await send({ authorization: undefined }), 401, 40101);
    expectError(await client.send({ method: 'GET', path: '/v1/platform/certificates', headers: { authorization: undefined } }), 401, 40101);
  });

  it('refuses ill-formed Authorization headers', async () => {
    const t = Math.floor(Date.now() / 1000);
    const n = randomNonce(24);
    const sig = Buffer.alloc(256, 1).toString('base64');
    const variants = [
      `Bearer abc`,
      `payrail-sha256-rsa2048 timestamp="${t}",nonce="${n}",serial="${fixture.serial}",signature="${sig}"`,
      `PAYRAIL-SHA256-RSA2048 timestamp="${t}", nonce="${n}", serial="${fixture.serial}", signature="${sig}"`,
      `PAYRAIL-SHA256-RSA2048 nonce="${n}",timestamp="${t}",serial="${fixture.serial}",signature="${sig}"`,
      `PAYRAIL-SHA256-RSA2048 timestamp="${t}",nonce="${n}",serial="${fixture.serial}"`,
      `PAYRAIL-SHA256-RSA2048 timestamp="${t}",nonce="${n.slice(0, 15)}",serial="${fixture.serial}",signature="${sig}"`,
      `PAYRAIL-SHA256-RSA2048 timestamp="${t}",nonce="${n.slice(0, 20)}-_",serial="${fixture.serial}",signature="${sig}"`,
      `PAYRAIL-SHA256-RSA2048 timestamp="${t}.5",nonce="${n}",serial="${fixture.serial}",signature="${sig}"`,
      `PAYRAIL-SHA256-RSA2048 timestamp="${t}",nonce="${n}",serial="${fixture.serial}",signature="not base64!"`,
      `PAYRAIL-SHA256-RSA2048 timestamp=${t},nonce=${n},serial=${fixture.serial},signature=${sig}`,
    ];
    for (const authorization of variants) {
      const response = await send({ authorization });
      expect({ authorization, code: (response.body as { code: number }).code }).toEqual({ authorization, code: 40101 });
      expect(response.status).toBe(401);
    }
  });

  it('does not sign answers to unauthenticated requests', async () => {
    const response = await send({ authorization: undefined });
    expect(response.headers.get('payrail-signature')).toBeNull();
  });
});

describe('40105 unknown or disabled app', () => {
  it('refuses an app_id that does not exist', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const response = await fixture.client(server.url).send({ method: 'POST', path: '/v1/test/echo', body: {}, appId: newAppId() });
    expectError(response, 401, 40105);
  });

  it('refuses a disabled app, and accepts it again once enabled', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const client = fixture.client(server.url);
    expect((await client.post('/v1/test/echo', {})).status).toBe(200);
    await updateApp(env.prisma, { appId: fixture.appId }, { status: 'DISABLED' });
    expectError(await client.post('/v1/test/echo', {}), 401, 40105);
    await updateApp(env.prisma, { appId: fixture.appId }, { status: 'ENABLED' });
    expect((await client.post('/v1/test/echo', {})).status).toBe(200);
  });
});

describe('40102 signature does not verify', () => {
  let fixture: MerchantFixture;
  let client: MerchantClient;

  beforeAll(async () => {
    fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    client = fixture.client(server.url);
  });

  it('refuses a body that differs from the signed one', async () => {
    const response = await client.send({ method: 'POST', path: '/v1/test/echo', body: { mch_id: fixture.mchId, amount: '1.00' }, signedBody: JSON.stringify({ mch_id: fixture.mchId, amount: '100.00' }) });
    expectError(response, 401, 40102);
  });

  it('refuses a body that differs only in whitespace', async () => {
    const body = `{"mch_id":"${fixture.mchId}"}`;
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: `${body} `, signedBody: body }), 401, 40102);
  });

  it('refuses a signature by a key that is not the named one', async () => {
    const stranger = await generateRsaKeyPairAsync();
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, privateKeyPem: stranger.privateKeyPem }), 401, 40102);
  });

  it('refuses a serial that names no key of the app', async () => {
    const stranger = await generateRsaKeyPairAsync();
    const response = await client.send({
      method: 'POST',
      path: '/v1/test/echo',
      body: {},
      privateKeyPem: stranger.privateKeyPem,
      serial: keySerial(stranger.publicKeyPem),
    });
    expectError(response, 401, 40102);
  });

  it('refuses a serial of another app, even with its right key', async () => {
    const other = await createMerchantFixture(env.prisma, env.services.secrets);
    const response = await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, privateKeyPem: other.clientKeys.privateKeyPem, serial: other.serial });
    expectError(response, 401, 40102);
  });

  it('refuses a revoked key while the rotated-in key works', async () => {
    const next = await generateRsaKeyPairAsync();
    const { serial: nextSerial } = await addMerchantKey(env.prisma, { appId: fixture.appId }, next.publicKeyPem);
    // During the rotation both keys are accepted.
    expect((await client.post('/v1/test/echo', {})).status).toBe(200);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, privateKeyPem: next.privateKeyPem, serial: nextSerial })).status).toBe(200);

    await revokeMerchantKey(env.prisma, { appId: fixture.appId }, fixture.serial);
    expectError(await client.post('/v1/test/echo', {}), 401, 40102);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, privateKeyPem: next.privateKeyPem, serial: nextSerial })).status).toBe(200);
  });
});

describe('signature covers the request line exactly', () => {
  it('refuses a request sent to another path, query or method than signed', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const client = fixture.client(server.url);
    const nonce = randomNonce(32);
    const signed = { method: 'POST', path: '/v1/test/echo?amount=1', body: {}, nonce };
    expectError(await client.send({ ...signed, path: '/v1/test/echo?amount=100', signedPath: '/v1/test/echo?amount=1' }), 401, 40102);
    expectError(await client.send({ ...signed, path: '/v1/test/echo', signedPath: '/v1/test/echo?amount=1' }), 401, 40102);
    expectError(await client.send({ ...signed, path: '/v1/test/echo?amount=1', signedPath: '/v1/test/echo?amount=1#x' }), 401, 40102);
    expectError(await client.send({ method: 'GET', path: '/v1/test/echo?amount=1', nonce, signedMethod: 'POST' }), 401, 40102);
    // The request as signed still passes: the refused ones did not use up its nonce.
    expect((await client.send(signed)).status).toBe(200);
  });
});

describe('40103 timestamp outside the window', () => {
  it('refuses correctly signed requests more than 300 s in the past or future', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const client = fixture.client(server.url);
    const now = Math.floor(Date.now() / 1000);
    const past = await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, timestamp: now - 302 });
    expectError(past, 401, 40103);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, timestamp: now + 302 }), 401, 40103);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, timestamp: 0 }), 401, 40103);
    expect(await nonceRows(fixture.appId)).toBe(0);
  });
});

describe('40104 nonce reuse', () => {
  let fixture: MerchantFixture;
  let client: MerchantClient;

  beforeAll(async () => {
    fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    client = fixture.client(server.url);
  });

  it('refuses a replayed request', async () => {
    const nonce = randomNonce(32);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce }), 401, 40104);
    // Also with another body, path or timestamp: the nonce alone counts.
    expectError(await client.send({ method: 'GET', path: '/v1/test/echo?other=1', nonce }), 401, 40104);
  });

  it('lets another app use the same nonce', async () => {
    const nonce = randomNonce(32);
    const other = await createMerchantFixture(env.prisma, env.services.secrets);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
    expect((await other.client(server.url).send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
  });

  it('accepts exactly one of concurrent requests with the same nonce', async () => {
    const nonce = randomNonce(32);
    const responses = await Promise.all(Array.from({ length: 8 }, () => client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
  });

  it('treats a nonce whose 15-minute window has passed as unseen', async () => {
    const nonce = randomNonce(32);
    await env.prisma.apiNonce.create({ data: { appId: fixture.appId, nonce, expiresAt: new Date(Date.now() - 1000) } });
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
    const row = await env.prisma.apiNonce.findUniqueOrThrow({ where: { appId_nonce: { appId: fixture.appId, nonce } } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce }), 401, 40104);
  });

  it('a rejected request changes nothing: its nonce stays usable', async () => {
    const other = await createMerchantFixture(env.prisma, env.services.secrets);
    const before = await nonceRows(fixture.appId);
    const stranger = await generateRsaKeyPairAsync();
    const nonce = randomNonce(32);
    const now = Math.floor(Date.now() / 1000);
    // Each of these is refused after its nonce was read; none may record it.
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce, privateKeyPem: stranger.privateKeyPem }), 401, 40102);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce, timestamp: now - 1000 }), 401, 40103);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: { mch_id: other.mchId }, nonce }), 403, 40302);
    await updateApp(env.prisma, { appId: fixture.appId }, { ipWhitelist: ['192.0.2.0/24'] });
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce }), 403, 40301);
    await updateApp(env.prisma, { appId: fixture.appId }, { ipWhitelist: [] });
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: '[1,2]', nonce }), 400, 40001);
    expect(await nonceRows(fixture.appId)).toBe(before);

    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
    expect(await nonceRows(fixture.appId)).toBe(before + 1);
  });
});

describe('40301 IP whitelist', () => {
  it('refuses a client outside a non-empty whitelist and accepts one inside', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets, { app: { ipWhitelist: ['10.0.0.0/8', '2001:db8::/32'] } });
    const client = fixture.client(server.url);
    const refused = await client.post('/v1/test/echo', {});
    expectError(refused, 403, 40301);
    expect((refused.body as { data: { ip: string } }).data.ip).toBe('127.0.0.1');
    expect(await nonceRows(fixture.appId)).toBe(0);

    await updateApp(env.prisma, { appId: fixture.appId }, { ipWhitelist: ['10.0.0.0/8', '127.0.0.0/8'] });
    expect((await client.post('/v1/test/echo', {})).status).toBe(200);
    await updateApp(env.prisma, { appId: fixture.appId }, { ipWhitelist: ['::ffff:127.0.0.1'] });
    expect((await client.post('/v1/test/echo', {})).status).toBe(200);
  });
});

describe('40302 merchant', () => {
  it('refuses a mch_id that is not the app merchant', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const other = await createMerchantFixture(env.prisma, env.services.secrets);
    const client = fixture.client(server.url);
    expectError(await client.post('/v1/test/echo', { mch_id: other.mchId }), 403, 40302);
    expectError(await client.post('/v1/test/echo', { mch_id: '0000000000' }), 403, 40302);
    expectError(await client.post('/v1/test/echo', { mch_id: null }), 403, 40302);
    expect((await client.post('/v1/test/echo', { mch_id: Number(fixture.mchId) })).status).toBe(200);
  });

  it('refuses every request of a suspended merchant', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const client = fixture.client(server.url);
    expect((await client.get('/v1/test/echo')).status).toBe(200);
    await env.prisma.merchant.update({ where: { id: fixture.merchant.id }, data: { status: 'SUSPENDED' } });
    invalidateAppCredentials(); // what the merchants module does when it changes a status
    expectError(await client.post('/v1/test/echo', {}), 403, 40302);
    expectError(await client.get('/v1/test/echo'), 403, 40302);
  });
});

describe('40001 and 41301 bodies', () => {
  let fixture: MerchantFixture;
  let client: MerchantClient;

  beforeAll(async () => {
    fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    client = fixture.client(server.url);
  });

  it('refuses malformed JSON', async () => {
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: '{"mch_id":' }), 400, 40001);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: '' }), 400, 40001);
  });

  it('refuses JSON that is not an object', async () => {
    for (const body of ['[]', '"text"', '42', 'null', 'true']) {
      expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body }), 400, 40001);
    }
  });

  it('refuses prototype-poisoning keys', async () => {
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: '{"__proto__":{"x":1}}' }), 400, 40001);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: '{"a":{"constructor":{"prototype":{}}}}' }), 400, 40001);
  });

  it('refuses bodies that are not UTF-8 JSON', async () => {
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: '{}', headers: { 'content-type': 'text/plain' } }), 400, 40001);
    const response = await fetch(`${server.url}/v1/test/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', app_id: fixture.appId, authorization: 'x' },
      body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(40001);
  });

  it('refuses bodies over 64 KiB with 41301 and accepts one just below', async () => {
    const padding = 'x'.repeat(REST_BODY_LIMIT);
    expectError(await client.post('/v1/test/echo', { padding }), 413, 41301);
    const fits = `{"mch_id":"${fixture.mchId}","padding":"${'x'.repeat(REST_BODY_LIMIT - 40)}"}`;
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(REST_BODY_LIMIT);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: fits })).status).toBe(200);
  });
});

describe('GET /v1/platform/certificates', () => {
  it('lists the app platform keys, and both keys during a rotation', async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    const client = fixture.client(server.url);
    type Certificate = { serial: string; public_key_pem: string; effective_at: string; expires_at: string | null };

    const first = await client.get<Certificate[]>('/v1/platform/certificates');
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([
      { serial: fixture.platformKey.serial, public_key_pem: fixture.platformKey.publicKeyPem, effective_at: expect.any(String), expires_at: null },
    ]);
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem)).toBe(true);
    expect(keySerial(first.body.data[0]!.public_key_pem)).toBe(fixture.platformKey.serial);

    const before = Date.now();
    const rotated = await rotatePlatformKey(env.prisma, env.services.secrets, { appId: fixture.appId });
    expect(rotated.retired).toEqual([{ serial: fixture.platformKey.serial, expiresAt: expect.any(Date) }]);
    const second = await client.get<Certificate[]>('/v1/platform/certificates');
    expect(second.body.data.map((c) => c.serial)).toEqual([rotated.serial, fixture.platformKey.serial]);
    expect(second.body.data[0]!.expires_at).toBeNull();
    const expiresAt = Date.parse(second.body.data[1]!.expires_at!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + PLATFORM_KEY_OVERLAP_MS - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + PLATFORM_KEY_OVERLAP_MS + 1000);
    // Responses are now signed with the new key.
    expect(second.headers.get('payrail-serial')).toBe(rotated.serial);
    expect(client.verifyResponse(rotated.publicKeyPem)).toBe(true);
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem)).toBe(false);

    // Once the overlap has passed only the new key is listed.
    const later = await listPlatformCertificates(env.prisma, fixture.app.id, new Date(Date.now() + PLATFORM_KEY_OVERLAP_MS + 60_000));
    expect(later.map((c) => c.serial)).toEqual([rotated.serial]);
  });

  it('needs a signed request', async () => {
    const response = await fetch(`${server.url}/v1/platform/certificates`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: number }).code).toBe(40101);
  });
});

describe.skipIf(!REDIS_URL)('nonce store in Redis', () => {
  let redisServer: AuthServer;
  let redis: Redis;
  let fixture: MerchantFixture;
  let client: MerchantClient;

  beforeAll(async () => {
    const services: AppServices = { ...env.services, config: { ...env.services.config, REDIS_URL: REDIS_URL! } };
    redisServer = await startAuthServer(services);
    redis = new Redis(REDIS_URL!, { maxRetriesPerRequest: 1 });
    fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    client = fixture.client(redisServer.url);
  });

  afterAll(async () => {
    await redisServer?.close();
    redis?.disconnect();
  });

  it('records nonces in Redis with the 15-minute expiry, not in PostgreSQL', async () => {
    const nonce = randomNonce(32);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
    const key = `payrail:nonce:${fixture.appId}:${nonce}`;
    expect(await redis.get(key)).toBe('1');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(890);
    expect(ttl).toBeLessThanOrEqual(900);
    expect(await nonceRows(fixture.appId)).toBe(0);
    expect(client.verifyResponse(fixture.platformKey.publicKeyPem)).toBe(true);
  });

  it('refuses a replay', async () => {
    const nonce = randomNonce(32);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce }), 401, 40104);
  });

  it('accepts exactly one of concurrent requests with the same nonce', async () => {
    const nonce = randomNonce(32);
    const responses = await Promise.all(Array.from({ length: 6 }, () => client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => (r.body as { code: number }).code === 40104)).toHaveLength(5);
  });

  it('records nothing for a rejected request', async () => {
    const nonce = randomNonce(32);
    expectError(await client.send({ method: 'POST', path: '/v1/test/echo', body: { mch_id: '1000000000' }, nonce }), 403, 40302);
    expect(await redis.exists(`payrail:nonce:${fixture.appId}:${nonce}`)).toBe(0);
    expect((await client.send({ method: 'POST', path: '/v1/test/echo', body: {}, nonce })).status).toBe(200);
  });
});

describe('apps service', () => {
  let merchantId: string;
  let keys: RsaKeyPair;

  beforeAll(async () => {
    const fixture = await createMerchantFixture(env.prisma, env.services.secrets);
    merchantId = fixture.merchant.id;
    keys = fixture.clientKeys;
  });

  async function rejection(promise: Promise<unknown>): Promise<DomainError> {
    const error = await promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );
    if (!isDomainError(error)) throw error;
    return error;
  }

  it('creates an app with its merchant key and a sealed platform key in one go', async () => {
    const created = await createApp(env.prisma, env.services.secrets, {
      merchantId,
      name: '  Shop backend ',
      publicKeyPem: keys.publicKeyPem,
      payinNotifyUrl: 'https://shop.example/payin',
      ipWhitelist: ['203.0.113.0/24', '::ffff:198.51.100.7'],
    });
    expect(created.app).toMatchObject({ name: 'Shop backend', status: 'ENABLED', test: false, ipWhitelist: ['203.0.113.0/24', '198.51.100.7'] });
    expect(created.app.appId).toMatch(/^[0-9a-f]{32}$/);
    expect(created.merchantKeySerial).toBe(keySerial(keys.publicKeyPem));
    const platform = await env.prisma.platformKey.findFirstOrThrow({ where: { appId: created.app.id } });
    expect(platform.serial).toBe(created.platformKey.serial);
    expect(platform.privateKeyEnc).not.toContain('PRIVATE KEY');
    expect(keySerial(created.platformKey.publicKeyPem)).toBe(created.platformKey.serial);
  });

  it('stores a PKCS#1 public key as SPKI with the same serial', async () => {
    const pkcs1 = createPublicKey(keys.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    const created = await createApp(env.prisma, env.services.secrets, { merchantId, name: 'PKCS1', publicKeyPem: pkcs1 });
    expect(created.merchantKeySerial).toBe(keySerial(keys.publicKeyPem));
    const stored = await env.prisma.merchantKey.findFirstOrThrow({ where: { appId: created.app.id } });
    expect(stored.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('refuses bad input and writes nothing', async () => {
    const apps = await env.prisma.app.count();
    expect((await rejection(createApp(env.prisma, env.services.secrets, { merchantId, name: 'x', publicKeyPem: keys.privateKeyPem }))).code).toBe('INVALID_PUBLIC_KEY');
    expect((await rejection(createApp(env.prisma, env.services.secrets, { merchantId, name: 'x', publicKeyPem: 'garbage' }))).code).toBe('INVALID_PUBLIC_KEY');
    const bad = await rejection(createApp(env.prisma, env.services.secrets, { merchantId, name: 'x', publicKeyPem: keys.publicKeyPem, ipWhitelist: ['10.0.0.0/8', '10.0.0.300'] }));
    expect(bad.code).toBe('INVALID_PARAMETER');
    expect(bad.details).toEqual({ field: 'ip_whitelist', value: '10.0.0.300' });
    const url = await rejection(createApp(env.prisma, env.services.secrets, { merchantId, name: 'x', publicKeyPem: keys.publicKeyPem, payinNotifyUrl: 'ftp://x' }));
    expect(url.details).toEqual({ field: 'payin_notify_url' });
    expect((await rejection(createApp(env.prisma, env.services.secrets, { merchantId, name: ' ', publicKeyPem: keys.publicKeyPem }))).code).toBe('INVALID_PARAMETER');
    const unknown = await rejection(createApp(env.prisma, env.services.secrets, { merchantId: randomUUID(), name: 'x', publicKeyPem: keys.publicKeyPem }));
    expect(unknown.code).toBe('MERCHANT_NOT_FOUND');
    expect(await env.prisma.app.count()).toBe(apps);
  });

  it('refuses to register the same key twice or to revive a revoked one', async () => {
    const created = await createApp(env.prisma, env.services.secrets, { merchantId, name: 'Keys', publicKeyPem: keys.publicKeyPem });
    const ref = { appId: created.app.appId };
    expect((await rejection(addMerchantKey(env.prisma, ref, keys.publicKeyPem))).code).toBe('MERCHANT_KEY_EXISTS');
    const next = await generateRsaKeyPairAsync();
    await addMerchantKey(env.prisma, ref, next.publicKeyPem);
    await revokeMerchantKey(env.prisma, ref, created.merchantKeySerial!);
    const revived = await rejection(addMerchantKey(env.prisma, ref, keys.publicKeyPem));
    expect(revived.code).toBe('MERCHANT_KEY_EXISTS');
    expect(revived.details).toMatchObject({ status: 'REVOKED' });
  });

  it('keeps the last active key unless forced, and refuses unknown serials', async () => {
    const created = await createApp(env.prisma, env.services.secrets, { merchantId, name: 'Last', publicKeyPem: keys.publicKeyPem });
    const ref = { id: created.app.id };
    expect((await rejection(revokeMerchantKey(env.prisma, ref, created.merchantKeySerial!))).code).toBe('LAST_ACTIVE_MERCHANT_KEY');
    expect((await rejection(revokeMerchantKey(env.prisma, ref, 'NOPE'))).code).toBe('MERCHANT_KEY_NOT_FOUND');
    await revokeMerchantKey(env.prisma, ref, created.merchantKeySerial!, { force: true });
    const key = await env.prisma.merchantKey.findFirstOrThrow({ where: { appId: created.app.id } });
    expect(key.status).toBe('REVOKED');
    expect(key.revokedAt).toBeInstanceOf(Date);
    expect((await rejection(revokeMerchantKey(env.prisma, { appId: newAppId() }, 'X'))).code).toBe('APP_NOT_FOUND');
  });

  it('uses a fresh platform key per app and per rotation', async () => {
    const a = await createApp(env.prisma, env.services.secrets, { merchantId, name: 'A', publicKeyPem: keys.publicKeyPem });
    const b = await createApp(env.prisma, env.services.secrets, { merchantId, name: 'B', publicKeyPem: keys.publicKeyPem });
    expect(a.platformKey.serial).not.toBe(b.platformKey.serial);
    const r1 = await rotatePlatformKey(env.prisma, env.services.secrets, { appId: a.app.appId });
    const r2 = await rotatePlatformKey(env.prisma, env.services.secrets, { appId: a.app.appId });
    expect(new Set([a.platformKey.serial, r1.serial, r2.serial]).size).toBe(3);
    // The second rotation retires only the key that had no expiry yet.
    expect(r2.retired.map((k) => k.serial)).toEqual([r1.serial]);
    expect((await listPlatformCertificates(env.prisma, a.app.id)).map((c) => c.serial)).toEqual([r2.serial, r1.serial, a.platformKey.serial]);
  });
});
