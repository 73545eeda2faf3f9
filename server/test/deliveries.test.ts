import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, keySerial, verifyPayload } from '../src/lib/crypto.ts';
import { isDomainError } from '../src/lib/errors.ts';
import { sealPlatformPrivateKey } from '../src/modules/apps/platform-keys.ts';
import { CALLBACK_RETRY_DELAYS_MS, enqueueCallback, resendDelivery } from '../src/modules/deliveries/deliveries.service.ts';
import { CALLBACK_TIMEOUT_MS } from '../src/modules/deliveries/deliveries.sender.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Callbacks end to end: a running platform with its worker POSTs to a real HTTP receiver on
 * 127.0.0.1 that checks every signature against the platform public key and fails on purpose.
 * The two-day retry schedule runs divided by RETRY_SCALE; the worker polls for due jobs every
 * second, so each retry costs about a second.
 */
const RETRY_SCALE = 100_000;
/** How long the receiver waits before a 500 where a test measures the attempt's latency. */
const SLOW_FAILURE_MS = 120;
process.env.CALLBACK_RETRY_SCALE = String(RETRY_SCALE);

// ---------------------------------------------------------------------------------------------------
// Receiver

interface Received {
  path: string;
  eventId: string;
  sequence: number;
  body: string;
  signatureValid: boolean;
  answered: number;
}

class Receiver {
  readonly received: Received[] = [];
  /** Per path: how many more requests get a 500 (Infinity: never recovers). */
  readonly failures = new Map<string, number>();
  /** Per path: how long (ms) the receiver waits before it answers a request with a 500. */
  readonly slowFailures = new Map<string, number>();
  url = '';
  private server: Server | undefined;

  constructor(private readonly keys: Map<string, string>) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => String(req.headers[name] ?? '');
        const publicKey = this.keys.get(header('payrail-serial'));
        const signatureValid =
          req.method === 'POST' &&
          header('content-type') === 'application/json' &&
          publicKey !== undefined &&
          verifyPayload(publicKey, { timestamp: header('payrail-timestamp'), nonce: header('payrail-nonce'), body }, header('payrail-signature'));
        const parsed = JSON.parse(body) as { event_id: string; data: { sequence: number } };
        const path = req.url ?? '';
        const left = this.failures.get(path) ?? 0;
        let answered = 200;
        if (!signatureValid) answered = 401;
        else if (left > 0) {
          this.failures.set(path, left - 1);
          answered = 500;
        }
        this.received.push({ path, eventId: parsed.event_id, sequence: parsed.data.sequence, body, signatureValid, answered });
        if (answered === 500) {
          const fail = () => res.writeHead(500, { 'content-type': 'text/plain' }).end(`receiver down: ${'x'.repeat(4000)}`);
          const wait = this.slowFailures.get(path) ?? 0;
          if (wait > 0) setTimeout(fail, wait);
          else fail();
        } else res.writeHead(answered, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

let env: TestEnvironment;
let receiver: Receiver;
let merchantId: string;
let appDbId: string;
let serviceId: string;
const deliveryEvents: Array<{ id: string; status: string }> = [];
let stopListening: (() => void) | undefined;

beforeAll(async () => {
  env = await createTestEnvironment({ worker: true, env: { CALLBACK_RETRY_SCALE: String(RETRY_SCALE) } });
  const prisma = env.prisma;
  await prisma.currency.create({ data: { code: 'THB', name: 'Thai baht', digits: 2 } });
  serviceId = (
    await prisma.service.create({ data: { code: 'THB_BANK', name: 'THB bank transfer', direction: 'PAYIN', kind: 'BANK_TRANSFER', currencyCode: 'THB' } })
  ).id;
  merchantId = (await prisma.merchant.create({ data: { mchId: '1000000001', name: 'Callback merchant' } })).id;
  appDbId = (await prisma.app.create({ data: { appId: randomBytes(16).toString('hex'), merchantId, name: 'Shop' } })).id;
  const pair = generateRsaKeyPair();
  const serial = keySerial(pair.publicKeyPem);
  await prisma.platformKey.create({
    data: { appId: appDbId, serial, publicKeyPem: pair.publicKeyPem, privateKeyEnc: sealPlatformPrivateKey(env.services.secrets, serial, pair.privateKeyPem) },
  });

  receiver = new Receiver(new Map([[serial, pair.publicKeyPem]]));
  await receiver.start();

  const subscription = env.services.events.subscribe('delivery:changed');
  stopListening = () => void subscription.return?.();
  void (async () => {
    for await (const event of subscription) deliveryEvents.push(event);
  })();
});

afterAll(async () => {
  stopListening?.();
  await env?.stop();
  await receiver?.stop();
});

async function createOrder(opts: { merchantId?: string; appId?: string | null } = {}) {
  const outTradeNo = `T${randomBytes(6).toString('hex')}`;
  return env.prisma.order.create({
    data: {
      orderNo: `P${randomBytes(8).toString('hex')}`,
      prepayId: randomBytes(16).toString('hex'),
      merchantId: opts.merchantId ?? merchantId,
      appId: opts.appId === undefined ? appDbId : opts.appId,
      serviceId,
      outTradeNo,
      currencyCode: 'THB',
      amount: 15_000n,
      requestHash: 'test',
      expireAt: new Date(Date.now() + 3600_000),
    },
  });
}

type TestOrder = Awaited<ReturnType<typeof createOrder>>;

function callbackInput(order: TestOrder, sequence: number, path: string) {
  return {
    merchantId: order.merchantId,
    appDbId: order.appId,
    subject: { orderId: order.id },
    eventType: 'payin.status_changed' as const,
    sequence,
    url: `${receiver.url}${path}`,
    data: { out_trade_no: order.outTradeNo, order_no: order.orderNo, status: 'PROCESSING', amount: '150.00', currency: 'THB', sequence },
  };
}

/** Enqueues one callback in its own committed transaction, as a status change would. */
async function enqueue(order: TestOrder, sequence: number, path: string) {
  const result = await env.prisma.$transaction((tx) => enqueueCallback(tx, callbackInput(order, sequence, path)));
  return result?.deliveryId as string;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      // Show where the deliveries and the flush jobs stand, then fail.
      const rows = await env.prisma.delivery.findMany({ select: { url: true, sequence: true, status: true, attemptCount: true, nextAttemptAt: true } });
      const jobs = await env.prisma.$queryRaw<unknown[]>`SELECT key, run_at, attempts, locked_at, last_error FROM graphile_worker.jobs`;
      console.log({ deliveries: rows, jobs: jobs.map((j) => JSON.stringify(j, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) });
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function settled(orderId: string, count: number) {
  return waitFor(`${count} settled deliveries of ${orderId}`, async () => {
    const rows = await env.prisma.delivery.findMany({
      where: { orderId, status: { not: 'PENDING' } },
      orderBy: { sequence: 'asc' },
      include: { attempts: { orderBy: { attemptNo: 'asc' } } },
    });
    return rows.length === count ? rows : undefined;
  });
}

// ---------------------------------------------------------------------------------------------------

describe('callbacks', () => {
  it('delivers an order’s callbacks once each, in sequence order, retrying a failing head first', async () => {
    const order = await createOrder();
    receiver.failures.set('/in-order', 2);
    receiver.slowFailures.set('/in-order', SLOW_FAILURE_MS);
    const ids = [await enqueue(order, 1, '/in-order'), await enqueue(order, 2, '/in-order'), await enqueue(order, 3, '/in-order')];

    const deliveries = await settled(order.id, 3);
    const requests = receiver.on('/in-order');
    expect(requests.every((r) => r.signatureValid)).toBe(true);
    expect(requests.map((r) => [r.sequence, r.answered])).toEqual([
      [1, 500],
      [1, 500],
      [1, 200],
      [2, 200],
      [3, 200],
    ]);
    const acknowledged = requests.filter((r) => r.answered === 200);
    expect(acknowledged.map((r) => r.eventId)).toEqual(deliveries.map((d) => d.eventId));
    // The receiver got exactly the stored body, the one that was signed.
    expect(acknowledged.map((r) => r.body)).toEqual(deliveries.map((d) => d.body));
    expect(JSON.parse(deliveries[0]?.body ?? '')).toEqual({
      event_id: deliveries[0]?.eventId,
      event_type: 'payin.status_changed',
      created_at: deliveries[0]?.createdAt.toISOString(),
      data: callbackInput(order, 1, '').data,
    });

    const [first, second, third] = deliveries;
    expect(deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT', 'SENT']);
    expect(deliveries.map((d) => d.id)).toEqual(ids);
    expect(first?.attemptCount).toBe(3);
    expect(first?.deliveredAt).toBeInstanceOf(Date);
    expect(first?.lastStatusCode).toBe(200);
    expect(first?.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([
      [1, 500, null],
      [2, 500, null],
      [3, 200, null],
    ]);
    for (const failed of first?.attempts.slice(0, 2) ?? []) {
      // The receiver took SLOW_FAILURE_MS to answer (a timer may fire a millisecond early); an answer, not a timeout.
      expect(failed.latencyMs).toBeGreaterThanOrEqual(SLOW_FAILURE_MS - 5);
      expect(failed.latencyMs).toBeLessThan(CALLBACK_TIMEOUT_MS);
      expect(failed.responseExcerpt).toMatch(/^receiver down: x+$/);
      expect(Buffer.byteLength(failed.responseExcerpt ?? '')).toBe(1024);
    }
    expect(first?.attempts[2]?.responseExcerpt).toBe('{"ok":true}');
    expect(second?.attemptCount).toBe(1);
    expect(third?.attemptCount).toBe(1);
    // Later callbacks went out only after the head was acknowledged.
    expect(second?.attempts[0]?.requestedAt.getTime()).toBeGreaterThanOrEqual(first?.attempts[2]?.requestedAt.getTime() ?? Infinity);

    const reloaded = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(reloaded.postbackStatus).toBe('SENT');
    // One live event per attempt.
    await waitFor('delivery events', async () => deliveryEvents.filter((e) => ids.includes(e.id)).length >= 5);
    expect(deliveryEvents.filter((e) => e.id === first?.id).map((e) => e.status)).toEqual(['PENDING', 'PENDING', 'SENT']);
  });

  it('sorts by sequence, not by creation: a late-recorded lower sequence still goes first', async () => {
    const order = await createOrder();
    await env.prisma.$transaction(async (tx) => {
      await enqueueCallback(tx, callbackInput(order, 5, '/reordered'));
      await enqueueCallback(tx, callbackInput(order, 4, '/reordered'));
    });
    await settled(order.id, 2);
    expect(receiver.on('/reordered').map((r) => [r.sequence, r.answered])).toEqual([
      [4, 200],
      [5, 200],
    ]);
  });

  it('gives up after ten attempts over the whole schedule (FAILED, postback ERROR), and then sends the next', async () => {
    receiver.failures.set('/never', Infinity);
    receiver.failures.set('/ten', 10);
    const never = await createOrder();
    const recovers = await createOrder();
    await enqueue(never, 1, '/never');
    await enqueue(recovers, 1, '/ten');
    await enqueue(recovers, 2, '/ten');

    const [[gaveUp], [headGaveUp, next]] = await Promise.all([settled(never.id, 1), settled(recovers.id, 2)]);

    expect(gaveUp?.status).toBe('FAILED');
    expect(gaveUp?.attemptCount).toBe(10);
    expect(gaveUp?.deliveredAt).toBeNull();
    expect(gaveUp?.nextAttemptAt).toBeNull();
    expect(gaveUp?.attempts.map((a) => a.statusCode)).toEqual(Array(10).fill(500));
    // Each retry waited at least its (scaled, jittered) turn of the schedule.
    const times = gaveUp?.attempts.map((a) => a.requestedAt.getTime()) ?? [];
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(Math.floor(((CALLBACK_RETRY_DELAYS_MS[i - 1] ?? 0) * 0.9) / RETRY_SCALE));
    }
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: never.id } })).postbackStatus).toBe('ERROR');
    expect(receiver.on('/never')).toHaveLength(10);

    expect(headGaveUp?.status).toBe('FAILED');
    expect(headGaveUp?.attemptCount).toBe(10);
    expect(next?.status).toBe('SENT');
    expect(next?.attemptCount).toBe(1);
    expect(receiver.on('/ten').map((r) => r.sequence)).toEqual([...Array(10).fill(1), 2]);
    // Its latest callback got through: the order shows SENT.
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: recovers.id } })).postbackStatus).toBe('SENT');
  }, 60_000);

  it('resends a FAILED or SENT delivery on staff request; attempts keep counting', async () => {
    // The "/never" delivery of the previous test has used its ten attempts; its receiver is back now.
    receiver.failures.set('/never', 0);
    const failed = await env.prisma.delivery.findFirstOrThrow({ where: { url: `${receiver.url}/never` }, include: { order: true } });
    expect(failed.status).toBe('FAILED');

    const resent = await resendDelivery(env.prisma, failed.id, { type: 'USER', id: 'staff-1', label: 'ops@payrail.test' });
    expect(resent).toMatchObject({ id: failed.id, status: 'PENDING', attemptCount: 10 });
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: failed.orderId as string } })).postbackStatus).toBe('PENDING');

    const [after] = await settled(failed.orderId as string, 1);
    expect(after?.status).toBe('SENT');
    expect(after?.attemptCount).toBe(11);
    expect(after?.attempts.at(-1)).toMatchObject({ attemptNo: 11, statusCode: 200 });
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: failed.orderId as string } })).postbackStatus).toBe('SENT');
    const requests = receiver.on('/never');
    expect(requests).toHaveLength(11);
    expect(requests.at(-1)).toMatchObject({ eventId: failed.eventId, body: failed.body, answered: 200 });
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { entityType: 'Delivery', entityId: failed.id } });
    expect(audit).toMatchObject({ action: 'delivery.resend', actorType: 'USER', actorId: 'staff-1', merchantId });

    // A SENT one goes out once more.
    const order = await createOrder();
    const id = await enqueue(order, 1, '/resend-sent');
    await settled(order.id, 1);
    await resendDelivery(env.prisma, id);
    await waitFor('second delivery', async () => receiver.on('/resend-sent').length === 2);
    const [again] = await settled(order.id, 1);
    expect(again?.attemptCount).toBe(2);
    expect(new Set(receiver.on('/resend-sent').map((r) => r.eventId)).size).toBe(1);
  }, 120_000);

  it('keeps a PENDING delivery queued on resend (one delivery, due now) and refuses an unknown one', async () => {
    // A PENDING delivery waiting for a retry can be resent (it is then sent now, see
    // resend-notification.test.ts); one not yet attempted simply stays queued, once.
    const order = await createOrder();
    const id = await env.prisma.$transaction(async (tx) => {
      const created = await enqueueCallback(tx, callbackInput(order, 1, '/never-sent'));
      const resent = await resendDelivery(tx, created?.deliveryId as string);
      expect(resent).toMatchObject({ id: created?.deliveryId, status: 'PENDING', attemptCount: 0 });
      return created?.deliveryId as string;
    });
    expect(await env.prisma.delivery.count({ where: { orderId: order.id } })).toBe(1);
    await settled(order.id, 1);
    expect(receiver.on('/never-sent').map((r) => r.eventId)).toEqual([(await env.prisma.delivery.findUniqueOrThrow({ where: { id } })).eventId]);
    const unknown = await resendDelivery(env.prisma, '0192f1a2-7b3c-7d4e-8f50-123456789abc').catch((error: unknown) => error);
    expect(isDomainError(unknown, 'DELIVERY_NOT_FOUND')).toBe(true);
    expect(isDomainError(await resendDelivery(env.prisma, 'nope').catch((e: unknown) => e), 'DELIVERY_NOT_FOUND')).toBe(true);
  });

  it('never sends a callback whose transaction rolled back', async () => {
    const rolledBack = await createOrder();
    const committed = await createOrder();
    const error = await env.prisma
      .$transaction(async (tx) => {
        await enqueueCallback(tx, callbackInput(rolledBack, 1, '/rolled-back'));
        throw new Error('status change failed');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('status change failed');
    // A callback committed afterwards goes out, so the worker has had its chance at the other one.
    await enqueue(committed, 1, '/committed');
    await settled(committed.id, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(receiver.on('/rolled-back')).toHaveLength(0);
    expect(await env.prisma.delivery.count({ where: { orderId: rolledBack.id } })).toBe(0);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: rolledBack.id } })).postbackStatus).toBe('NOT_SENT');
    const jobs = await env.prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${`deliveries:order:${rolledBack.id}`}`;
    expect(Number(jobs[0]?.n)).toBe(0);
  });

  it('records nothing when there is no notify URL', async () => {
    const order = await createOrder();
    const result = await env.prisma.$transaction((tx) => enqueueCallback(tx, { ...callbackInput(order, 1, ''), url: null }));
    expect(result).toBeNull();
    expect(await env.prisma.delivery.count({ where: { orderId: order.id } })).toBe(0);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus).toBe('NOT_SENT');
  });

  it('signs a back-office order (no app) with the merchant’s first app key; no key at all gives up at once', async () => {
    const backOffice = await createOrder({ appId: null });
    await enqueue(backOffice, 1, '/back-office');
    const [sent] = await settled(backOffice.id, 1);
    expect(sent?.status).toBe('SENT');
    expect(receiver.on('/back-office')).toMatchObject([{ signatureValid: true, answered: 200 }]);

    const keyless = await env.prisma.merchant.create({ data: { mchId: '1000000002', name: 'No keys' } });
    const orphan = await createOrder({ merchantId: keyless.id, appId: null });
    await enqueue(orphan, 1, '/keyless');
    const [failed] = await settled(orphan.id, 1);
    expect(failed?.status).toBe('FAILED');
    expect(failed?.attempts).toMatchObject([{ attemptNo: 1, statusCode: null, error: 'no platform key' }]);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: orphan.id } })).postbackStatus).toBe('ERROR');
    expect(receiver.on('/keyless')).toHaveLength(0);
  });
});
