import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPayload } from '../src/lib/crypto.ts';
import { openPlatformPrivateKey, sealPlatformPrivateKey } from '../src/modules/apps/platform-keys.ts';
import { seedDemoData } from '../src/modules/demo/demo-seed.ts';
import { createUserFixture } from './support/auth-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Regression: a back-office test payin of a demo merchant (created with createTestPayin and a notify
 * URL, then paid by a simulated upstream success) must deliver its callbacks. Such an order has no app,
 * so the merchant's first app's platform key signs; on the demo data that key was sealed in a way the
 * flush job could not open, so each flush claimed the head delivery, threw before recording an attempt
 * and left the claim lease in place: the callbacks sat in "Sending" with no attempt while the flush
 * re-checked every two seconds, and the receiver never got a request.
 *
 * Real components only: a platform with its worker on a fresh database, the demo seed, GraphQL over
 * HTTP with a staff session, and a local HTTP receiver that checks each signature against the app's
 * published platform certificate and answers 200 (any 2xx acknowledges, REST-CONTRACT "Callbacks").
 */

interface Received {
  path: string;
  eventId: string;
  sequence: number;
  status: string;
  serial: string;
  signatureValid: boolean;
}

let env: TestEnvironment;
let receiver: Server;
let receiverUrl: string;
let admin: string;
type DemoMerchant = { id: string; apps: { id: string; platformKeys: { id: string; serial: string; publicKeyPem: string; privateKeyEnc: string }[] }[] };
let merchant: DemoMerchant;
let otherMerchant: DemoMerchant;
const received: Received[] = [];
const receivedOn = (path: string) => received.filter((r) => r.path === path);

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true });
  env.services.config.publicUrl = env.url;
  await seedDemoData(env.prisma, { secrets: env.services.secrets, orders: 0 });
  const demoMerchant = (name: string) =>
    env.prisma.merchant.findFirstOrThrow({
      where: { name },
      select: { id: true, apps: { orderBy: { createdAt: 'asc' }, select: { id: true, platformKeys: { select: { id: true, serial: true, publicKeyPem: true, privateKeyEnc: true } } } } },
    });
  merchant = await demoMerchant('Siam Digital Market');
  otherMerchant = await demoMerchant('Golden Lotus Games');
  const certificates = new Map([merchant, otherMerchant].flatMap((m) => m.apps.flatMap((app) => app.platformKeys.map((key) => [key.serial, key.publicKeyPem] as const))));

  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      const publicKey = certificates.get(header('payrail-serial'));
      const signatureValid =
        publicKey !== undefined && verifyPayload(publicKey, { timestamp: header('payrail-timestamp'), nonce: header('payrail-nonce'), body }, header('payrail-signature'));
      const parsed = JSON.parse(body) as { event_id: string; data: { sequence: number; status: string } };
      received.push({ path: req.url ?? '', eventId: parsed.event_id, sequence: parsed.data.sequence, status: parsed.data.status, serial: header('payrail-serial'), signatureValid });
      res.writeHead(signatureValid ? 200 : 401, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  admin = (await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets: env.services.secrets })).cookie;
}, 120_000);

afterAll(async () => {
  receiver?.closeAllConnections();
  if (receiver) await new Promise((resolve) => receiver.close(resolve));
  await env?.stop();
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const gql = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => env.graphql<T>(query, variables, { cookie: admin });

/** A back-office test payin (createTestPayin, as the operations page does), paid by a simulated upstream success. */
async function paidTestPayin(merchantId: string, input: Record<string, unknown>): Promise<{ id: string; appId: string | null }> {
  const created = await gql<{ createTestPayin: { payin: { id: string; orderNo: string } } }>(
    `mutation($input: CreateTestPayinInput!) { createTestPayin(input: $input) { paymentUrl payin { id status orderNo } } }`,
    { input: { merchantId: encodeGlobalID('Merchant', merchantId), ...input } },
  );
  expect(created.errors).toBeUndefined();
  const { id: orderGid, orderNo } = created.data!.createTestPayin.payin;
  const order = await env.prisma.order.findUniqueOrThrow({ where: { orderNo }, select: { id: true, appId: true } });
  const simulated = await gql(`mutation($id: ID!) { simulatePayinCallback(id: $id, outcome: SUCCESS) { id } }`, { id: orderGid });
  expect(simulated.errors).toBeUndefined();
  await waitFor('the order to succeed', async () => (await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status === 'SUCCEEDED', 20_000);
  return order;
}

const deliveriesOf = (orderId: string) =>
  env.prisma.delivery.findMany({
    where: { orderId },
    orderBy: { sequence: 'asc' },
    select: { id: true, eventId: true, sequence: true, status: true, attemptCount: true, nextAttemptAt: true, lastAttemptAt: true, attempts: { select: { attemptNo: true, statusCode: true, error: true } } },
  });

/** Waits until every callback of the order is SENT; on timeout the error shows where they are. */
async function allSent(orderId: string, timeoutMs: number) {
  return waitFor(
    'every callback to be acknowledged',
    async () => {
      const rows = await deliveriesOf(orderId);
      return rows.length > 0 && rows.every((row) => row.status === 'SENT') ? rows : null;
    },
    timeoutMs,
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}; deliveries: ${JSON.stringify(await deliveriesOf(orderId))}; received: ${JSON.stringify(received)}`);
  });
}

describe('callbacks of a back-office test payin (demo data)', () => {
  it('are signed with the merchant’s first app key, reach the notify URL and end SENT with their attempts', { timeout: 60_000 }, async () => {
    const order = await paidTestPayin(merchant.id, {
      service: 'THB_BANK',
      amount: '1500.00',
      payerName: 'Somchai Jaidee',
      payerAccount: '1234567890',
      bankCode: 'KBANK',
      notifyUrl: `${receiverUrl}/notify`,
    });
    expect(order.appId).toBeNull(); // back-office: signed with the merchant's first app key

    // Every status change has its callback; all of them get through within seconds.
    const deliveries = await allSent(order.id, 15_000);
    expect(deliveries.at(-1)?.sequence).toBeGreaterThanOrEqual(1);
    for (const delivery of deliveries) {
      expect(delivery.attemptCount).toBe(1);
      expect(delivery.attempts).toEqual([{ attemptNo: 1, statusCode: 200, error: null }]);
    }
    // Received once each, in sequence order, with a signature the first app's certificate verifies.
    const got = receivedOn('/notify');
    expect(got.map((r) => r.eventId)).toEqual(deliveries.map((d) => d.eventId));
    expect(got.map((r) => r.sequence)).toEqual(deliveries.map((d) => d.sequence));
    expect(got.at(-1)?.status).toBe('SUCCEEDED');
    const firstAppSerials = merchant.apps[0]!.platformKeys.map((key) => key.serial);
    for (const r of got) {
      expect(r.signatureValid).toBe(true);
      expect(firstAppSerials).toContain(r.serial);
    }
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus).toBe('SENT');
  });

  it('a platform key that does not open leaves no claim behind: once it opens, the callback goes out at the next retry, not after the lease', { timeout: 60_000 }, async () => {
    // Seal the first app's platform key without its serial binding, so openPlatformPrivateKey refuses it.
    const key = otherMerchant.apps[0]!.platformKeys[0]!;
    let pem: string;
    try {
      pem = openPlatformPrivateKey(env.services.secrets, key.serial, key.privateKeyEnc).export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      pem = env.services.secrets.open(key.privateKeyEnc); // already sealed without the binding
    }
    await env.prisma.platformKey.update({ where: { id: key.id }, data: { privateKeyEnc: env.services.secrets.seal(pem) } });

    const order = await paidTestPayin(otherMerchant.id, { service: 'CNY_ALIPAY', amount: '300.00', payerName: 'Li Wei', notifyUrl: `${receiverUrl}/broken-key` });
    expect(order.appId).toBeNull();

    // The flush fails (graphile-worker keeps the error and retries the job) ...
    await waitFor(
      'the flush to fail on the key',
      async () => {
        const jobs = await env.prisma.$queryRaw<{ last_error: string | null }[]>`
          SELECT last_error FROM graphile_worker.jobs WHERE key = ${`deliveries:order:${order.id}`}`;
        return jobs.some((job) => job.last_error?.includes('decrypt'));
      },
      15_000,
    );
    // ... without claiming the delivery: no lease, no attempt, nothing sent.
    const [pending] = await deliveriesOf(order.id);
    expect(pending).toMatchObject({ status: 'PENDING', attemptCount: 0, lastAttemptAt: null, attempts: [] });
    expect(pending!.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(receivedOn('/broken-key')).toHaveLength(0);

    // Repaired, the job's own retry (seconds, not the 60 s claim lease) delivers it.
    await env.prisma.platformKey.update({ where: { id: key.id }, data: { privateKeyEnc: sealPlatformPrivateKey(env.services.secrets, key.serial, pem) } });
    const deliveries = await allSent(order.id, 20_000);
    expect(deliveries.map((d) => d.attempts)).toEqual(deliveries.map(() => [{ attemptNo: 1, statusCode: 200, error: null }]));
    expect(receivedOn('/broken-key').map((r) => [r.eventId, r.signatureValid])).toEqual(deliveries.map((d) => [d.eventId, true]));
  });

  it('with private networks disallowed (production), a notify URL on 127.0.0.1 fails its attempt without a request', { timeout: 60_000 }, async () => {
    env.services.config.callbackAllowPrivateNetworks = false;
    try {
      const order = await paidTestPayin(merchant.id, {
        service: 'THB_BANK',
        amount: '700.00',
        payerName: 'Somchai Jaidee',
        payerAccount: '1234567890',
        bankCode: 'KBANK',
        notifyUrl: `${receiverUrl}/private`,
      });
      const [first] = await waitFor('the first attempt', async () => {
        const rows = await deliveriesOf(order.id);
        return rows[0]?.attempts.length ? rows : null;
      }, 15_000);
      expect(first).toMatchObject({ status: 'PENDING', attemptCount: 1 }); // retried later: the URL may be fixed
      expect(first!.attempts[0]).toMatchObject({ attemptNo: 1, statusCode: null });
      expect(first!.attempts[0]!.error).toMatch(/127\.0\.0\.1, a private or reserved address/);
      expect(receivedOn('/private')).toHaveLength(0);
    } finally {
      env.services.config.callbackAllowPrivateNetworks = true;
    }
  });
});
