import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, Merchant } from '../src/generated/prisma/client.ts';
import { beat, registerWorkerProcess, releaseDeadWorkers } from '../src/jobs/heartbeat.ts';
import { startWorker } from '../src/jobs/worker.ts';
import { platformJobs } from '../src/platform.ts';
import { generateRsaKeyPair, keySerial } from '../src/lib/crypto.ts';
import { sealPlatformPrivateKey } from '../src/modules/apps/platform-keys.ts';
import { CALLBACK_RETRY_DELAYS_MS, CALLBACK_RETRY_JITTER, INTERRUPTED_ATTEMPT_ERROR, enqueueCallback } from '../src/modules/deliveries/deliveries.service.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { createPayin } from '../src/modules/payins/operations/create-payin.ts';
import { createPayout } from '../src/modules/payouts/operations/create-payout.ts';
import { encodeCallback, signCallback } from '../src/modules/routing/connectors/sandbox/transformers.ts';
import { recordReceivedCallback } from '../src/modules/routing/upstream-callbacks.ts';
import { activateService, bindChannel, createChannel, createMerchant, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundChannel, fundMerchant } from './support/payout-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Crash recovery of the job queue (jobs/heartbeat.ts), against a running platform and its worker.
 * A "dead worker" is what kill -9 leaves behind: a worker_processes row that stops beating, jobs its
 * graphile pool id locked, a delivery it claimed, a callback it recorded and never applied. They are
 * written directly (each in one transaction, so the live worker never sees them half made).
 *
 * Settings are shortened (heartbeat 0.5 s, dead after 3 s, sweep every 0.5 s); the retry schedule runs
 * divided by 5 (first retry 3 s), so the schedule is measurable and the lease (60 s) is not reached.
 */
const RETRY_SCALE = 5;
process.env.CALLBACK_RETRY_SCALE = String(RETRY_SCALE);
const DEAD_AFTER_S = 3;
/** dead-after + sweep + poll + slack for a loaded machine; graphile-worker's own expiry is 4 h. */
const RELEASE_BOUND_MS = 20_000;
const SECRET = 'recovery-sandbox-secret';

let env: TestEnvironment;
let receiver: { server: Server; url: string; received: Array<{ path: string; body: string }> };
let merchant: Merchant;
let appDbId: string;
let channel: Channel;
let payoutChannel: Channel;
let serviceId: string;

beforeAll(async () => {
  env = await createTestEnvironment({
    worker: true,
    env: {
      WORKER_HEARTBEAT_SECONDS: '0.5',
      WORKER_DEAD_AFTER_SECONDS: String(DEAD_AFTER_S),
      WORKER_SWEEP_SECONDS: '0.5',
      UPSTREAM_CALLBACK_REAPPLY_AFTER_SECONDS: '1',
      CALLBACK_RETRY_SCALE: String(RETRY_SCALE),
    },
  });
  env.services.config.publicUrl = env.url;
  const p = env.prisma;
  await ensureCurrency(p, 'THB', 2);
  merchant = await createMerchant(p);
  const service = await createService(p, { code: 'THB_BANK', currencyCode: 'THB' });
  serviceId = service.id;
  await activateService(p, merchant.id, service.id, { feeRatePpm: 10_000n });
  channel = await createChannel(p, { code: 'SBX_RECOVERY', currencyCode: 'THB', settings: { delayMs: 3_600_000, successRate: 1 } }, { secrets: env.services.secrets, secret: SECRET });
  await bindChannel(p, channel.id, service.id);
  // Payouts: the sandbox answers queries only (no callbacks), at once.
  const payoutService = await createService(p, { code: 'THB_BANK_PAYOUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
  await activateService(p, merchant.id, payoutService.id);
  payoutChannel = await createChannel(p, { code: 'SBX_RECOVERY_PO', currencyCode: 'THB', settings: { delayMs: 0, payoutCallbacks: false } }, { secrets: env.services.secrets, secret: SECRET });
  await bindChannel(p, payoutChannel.id, payoutService.id);
  await fundMerchant(p, merchant.id, payoutChannel.id, 'THB', 1_000_00n);
  await fundChannel(p, payoutChannel.id, 'THB', 1_000_00n);
  appDbId = (await p.app.create({ data: { appId: randomBytes(16).toString('hex'), merchantId: merchant.id, name: 'Shop' } })).id;
  const pair = generateRsaKeyPair();
  const serial = keySerial(pair.publicKeyPem);
  await p.platformKey.create({
    data: { appId: appDbId, serial, publicKeyPem: pair.publicKeyPem, privateKeyEnc: sealPlatformPrivateKey(env.services.secrets, serial, pair.privateKeyPem) },
  });

  const received: Array<{ path: string; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
});

afterAll(async () => {
  await env?.stop();
  receiver?.server.closeAllConnections();
  await new Promise((resolve) => receiver?.server.close(resolve));
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process that registered, beat once and died (kill -9): its row stays, its heartbeat ages. */
async function deadProcess(workerId: string): Promise<string> {
  const id = randomUUID();
  await registerWorkerProcess(env.prisma, id, [workerId]);
  return id;
}

/** Adds a job already locked by `workerId` (as a running job of that worker), in one transaction. */
async function lockedJob(
  task: string,
  payload: unknown,
  workerId: string,
  opts: { key?: string; lockedSecondsAgo?: number; lastAttempt?: boolean } = {},
): Promise<bigint> {
  return env.prisma.$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ id: bigint }[]>`
      SELECT (graphile_worker.add_job(${task}::text, ${JSON.stringify(payload)}::json, job_key => ${opts.key ?? null}::text)).id AS id`;
    await tx.$executeRaw`
      UPDATE graphile_worker._private_jobs
      SET locked_by = ${workerId}, locked_at = now() - make_interval(secs => ${opts.lockedSecondsAgo ?? 0}::float8),
        attempts = CASE WHEN ${opts.lastAttempt ?? false} THEN max_attempts ELSE 1 END
      WHERE id = ${job!.id}`;
    return job!.id;
  });
}

async function jobState(id: bigint): Promise<{ lockedBy: string | null } | null> {
  const rows = await env.prisma.$queryRaw<{ lockedBy: string | null }[]>`SELECT locked_by AS "lockedBy" FROM graphile_worker.jobs WHERE id = ${id}`;
  return rows[0] ?? null;
}

async function createOrder() {
  return env.prisma.order.create({
    data: {
      orderNo: `P${randomBytes(8).toString('hex')}`,
      prepayId: randomBytes(16).toString('hex'),
      merchantId: merchant.id,
      appId: appDbId,
      serviceId,
      outTradeNo: `T${randomBytes(6).toString('hex')}`,
      currencyCode: 'THB',
      amount: 15_000n,
      requestHash: 'test',
      expireAt: new Date(Date.now() + 3600_000),
    },
  });
}

describe('worker processes', () => {
  it('announce their graphile pool id, beat, and leave the table when stopped', async () => {
    const worker = await startWorker(env.services, { connectionString: env.databaseUrl, concurrency: 1, jobs: platformJobs() });
    let stopped = false;
    try {
      expect(worker.workerIds).toHaveLength(1);
      expect(worker.workerIds[0]).toMatch(/^pool-/);
      const row = await waitFor(
        'the registration with the pool id',
        async () => {
          const r = await env.prisma.workerProcess.findUnique({ where: { id: worker.heartbeat.processId } });
          return r && r.workerIds.length === 1 ? r : null;
        },
        5_000,
      );
      expect(row.workerIds).toEqual(worker.workerIds);
      expect(row.pid).toBe(process.pid);
      await waitFor(
        'a later heartbeat',
        async () => ((await env.prisma.workerProcess.findUnique({ where: { id: worker.heartbeat.processId } }))?.heartbeatAt ?? 0) > row.heartbeatAt,
        5_000,
      );
      await worker.stop();
      stopped = true;
      expect(await env.prisma.workerProcess.findUnique({ where: { id: worker.heartbeat.processId } })).toBeNull();
    } finally {
      if (!stopped) await worker.stop();
    }
  });
});

describe('dead workers', () => {
  it('releases the jobs a dead worker held once its heartbeat is older than the bound, and the jobs run', async () => {
    const workerId = `pool-dead-${randomBytes(4).toString('hex')}`;
    await deadProcess(workerId);
    const jobId = await lockedJob('maintenance:purge-nonces', {}, workerId, { key: `recovery-test-${workerId}` });
    const killedAt = Date.now();

    // While its heartbeat is fresh the worker is alive: a sweep leaves its job alone.
    const early = await releaseDeadWorkers(env.services, { forceUnlockWorkers: async () => {}, rescheduleJobs: async () => [] }, { deadAfterSeconds: 3600 });
    expect(early.workerIds).not.toContain(workerId);
    expect(await jobState(jobId)).toEqual({ lockedBy: workerId });

    // Dead: released by the platform's own sweep, then run and completed by its worker.
    await waitFor('the dead worker’s job to run', async () => (await jobState(jobId)) === null, RELEASE_BOUND_MS);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual((DEAD_AFTER_S - 1) * 1000);
    const rows = await env.prisma.workerProcess.findMany({ where: { workerIds: { has: workerId } } });
    expect(rows).toEqual([]);
  });

  it('gives a job cut on its last attempt (or superseded by a successor with its key) one more run', async () => {
    const workerId = `pool-dead-${randomBytes(4).toString('hex')}`;
    await deadProcess(workerId);
    const jobId = await lockedJob('maintenance:purge-nonces', {}, workerId, { lastAttempt: true });
    await waitFor('the job on its last attempt to run', async () => (await jobState(jobId)) === null, RELEASE_BOUND_MS);
  });

  it('keeps the locks of a worker that still beats, however old; releases locks of a pool nobody announced', async () => {
    const live = `pool-live-${randomBytes(4).toString('hex')}`;
    const ghost = `pool-ghost-${randomBytes(4).toString('hex')}`;
    const liveId = await deadProcess(live);
    const beating = setInterval(() => void beat(env.prisma, liveId, [live]), 300);
    try {
      const liveJob = await lockedJob('maintenance:purge-nonces', {}, live, { key: `recovery-live-${live}`, lockedSecondsAgo: 3600 });
      const ghostJob = await lockedJob('maintenance:purge-nonces', {}, ghost, { key: `recovery-ghost-${ghost}`, lockedSecondsAgo: 3600 });
      await waitFor('the orphaned job to run', async () => (await jobState(ghostJob)) === null, RELEASE_BOUND_MS);
      // Several sweeps have passed (every 0.5 s) with the live worker's lock an hour old.
      await new Promise((resolve) => setTimeout(resolve, DEAD_AFTER_S * 1000));
      expect(await jobState(liveJob)).toEqual({ lockedBy: live });
      await env.prisma.$executeRaw`SELECT graphile_worker.force_unlock_workers(${[live]}::text[])`;
    } finally {
      clearInterval(beating);
      await env.prisma.workerProcess.deleteMany({ where: { id: liveId } });
    }
  });

  it('re-sends a callback claimed by a dead worker by the retry schedule: the cut attempt counts, no 60 s lease wait', async () => {
    const workerId = `pool-dead-${randomBytes(4).toString('hex')}`;
    const order = await createOrder();
    const path = `/claimed/${order.id}`;
    const claimedAt = new Date();
    await env.prisma.$transaction(async (tx) => {
      const created = await enqueueCallback(tx, {
        merchantId: merchant.id,
        appDbId,
        subject: { orderId: order.id },
        eventType: 'payin.status_changed',
        sequence: 1,
        url: `${receiver.url}${path}`,
        data: { order_no: order.orderNo, status: 'SUCCEEDED', sequence: 1 },
      });
      // The dead worker had claimed it (lease of 60 s) and was running its flush job.
      await tx.delivery.update({
        where: { id: created!.deliveryId },
        data: { claimedBy: workerId, lastAttemptAt: claimedAt, nextAttemptAt: new Date(claimedAt.getTime() + 60_000) },
      });
      await tx.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${workerId}, locked_at = now() WHERE key = ${`deliveries:order:${order.id}`}`;
    });
    await deadProcess(workerId);

    const firstRetry = CALLBACK_RETRY_DELAYS_MS[0]! / RETRY_SCALE;
    await waitFor('the re-sent callback', async () => receiver.received.some((r) => r.path === path), RELEASE_BOUND_MS + firstRetry);
    const delivery = await waitFor(
      'the delivery to be SENT',
      async () => {
        const row = await env.prisma.delivery.findFirst({ where: { orderId: order.id }, include: { attempts: { orderBy: { attemptNo: 'asc' } } } });
        return row?.status === 'SENT' ? row : null;
      },
      5_000,
    );
    expect(delivery.attemptCount).toBe(2);
    expect(delivery.claimedBy).toBeNull();
    expect(delivery.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([
      [1, null, INTERRUPTED_ATTEMPT_ERROR],
      [2, 200, null],
    ]);
    // The cut attempt is dated when it was claimed; the next one waited the schedule's first retry.
    expect(delivery.attempts[0]!.requestedAt.getTime()).toBe(claimedAt.getTime());
    const waited = delivery.attempts[1]!.requestedAt.getTime() - claimedAt.getTime();
    expect(waited).toBeGreaterThanOrEqual(firstRetry * (1 - CALLBACK_RETRY_JITTER) - 5);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(1);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus).toBe('SENT');
  });

  it('gives up on a dead worker’s claim that was the tenth attempt (FAILED, postback ERROR, nothing sent)', async () => {
    const workerId = `pool-dead-${randomBytes(4).toString('hex')}`;
    const order = await createOrder();
    const path = `/exhausted/${order.id}`;
    await env.prisma.$transaction(async (tx) => {
      const created = await enqueueCallback(tx, {
        merchantId: merchant.id,
        appDbId,
        subject: { orderId: order.id },
        eventType: 'payin.status_changed',
        sequence: 1,
        url: `${receiver.url}${path}`,
        data: { order_no: order.orderNo, status: 'SUCCEEDED', sequence: 1 },
      });
      const now = new Date();
      await tx.delivery.update({
        where: { id: created!.deliveryId },
        data: { attemptCount: 9, claimedBy: workerId, lastAttemptAt: now, nextAttemptAt: new Date(now.getTime() + 60_000) },
      });
      await tx.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${workerId}, locked_at = now() WHERE key = ${`deliveries:order:${order.id}`}`;
    });
    await deadProcess(workerId);
    const delivery = await waitFor(
      'the delivery to give up',
      async () => {
        const row = await env.prisma.delivery.findFirst({ where: { orderId: order.id }, include: { attempts: true } });
        return row?.status === 'FAILED' ? row : null;
      },
      RELEASE_BOUND_MS,
    );
    expect(delivery.attemptCount).toBe(10);
    expect(delivery.attempts.map((a) => [a.attemptNo, a.error])).toEqual([[10, INTERRUPTED_ATTEMPT_ERROR]]);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).postbackStatus).toBe('ERROR');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // its flush job ran (released) and sent nothing
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(0);
  });
});

describe('upstream callbacks recorded but not applied', () => {
  it('applies a recorded callback whose process died, once: a retry by the upstream afterwards is a duplicate', async () => {
    const created = await createPayin(env.services, {
      merchantId: merchant.id,
      mchId: merchant.mchId,
      appDbId: null,
      test: true,
      defaultNotifyUrl: null,
      creationType: 'MANUAL',
      params: { out_trade_no: `REC-${Date.now()}`, amount: '100.00', currency: 'THB' },
    });
    const order = await env.prisma.order.findFirstOrThrow({ where: { merchantId: merchant.id, outTradeNo: created.order.outTradeNo } });
    const txnId = `SBXT${randomBytes(6).toString('hex').toUpperCase()}`;
    const paidAt = new Date();
    const body = encodeCallback(
      { eventId: `evt_${txnId}`, event: 'payment.succeeded', orderNo: order.orderNo, upstreamRef: null, currency: 'THB', transactions: [{ txnId, amount: 10_000n, paidAt }], createdAt: paidAt },
      2,
    );
    // What the route commits before applying; the process then died (its worker with it).
    const callbackId = await recordReceivedCallback(env.prisma, {
      channelId: channel.id,
      eventKey: `event:evt_${txnId}`,
      body,
      intent: { subject: 'payin', orderRef: order.orderNo, status: 'PAID', payments: [{ txnId, amount: '10000', paidAt: paidAt.toISOString() }], reason: null, eventKey: `event:evt_${txnId}` },
    });
    await deadProcess(`pool-dead-${randomBytes(4).toString('hex')}`);

    // The dead-worker sweep runs the janitor at once: applied well within a minute.
    const succeeded = await waitFor(
      'the recorded payment to be applied',
      async () => {
        const row = await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
        return row.status === 'SUCCEEDED' ? row : null;
      },
      RELEASE_BOUND_MS,
    );
    expect(succeeded.paidAmount).toBe(10_000n);
    const row = await env.prisma.upstreamCallback.findUniqueOrThrow({ where: { id: callbackId } });
    expect(row.result).toBe('APPLIED');
    expect(row.appliedAt).not.toBeNull();

    // The upstream never got its 200 and retries: acknowledged now, applied nothing more.
    const retry = await fetch(`${env.url}/v1/upstream/${channel.code}/callback`, { method: 'POST', headers: signCallback(SECRET, body), body });
    expect(retry.status).toBe(200);
    const results = await env.prisma.upstreamCallback.findMany({ where: { eventKey: `event:evt_${txnId}` }, orderBy: { createdAt: 'asc' } });
    expect(results.map((r) => r.result)).toEqual(['APPLIED', 'DUPLICATE']);
    expect(await env.prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
    expect((await env.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).paidAmount).toBe(10_000n);
    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);
  });
});

describe('payout submissions cut by a dead worker', () => {
  it('asks the upstream at once when the dead worker held the submit job, not after the 10-minute re-query', async () => {
    const created = await createPayout(env.services, {
      merchantId: merchant.id,
      mchId: merchant.mchId,
      appDbId: null,
      test: false,
      defaultNotifyUrl: null,
      creationType: 'AUTO',
      params: { out_trade_no: `CUT-${Date.now()}`, amount: '10.00', currency: 'THB', service: 'THB_BANK_PAYOUT', recipient_name: 'Somchai Jaidee', recipient_account: '1234567890', bank_code: 'KBANK' },
    });
    const payoutId = created.payout.id;
    // The worker submits it; the upstream accepts (PROCESSING, no callback will come).
    await waitFor('the submission', async () => (await env.prisma.payoutEvent.count({ where: { payoutId, type: 'UPSTREAM_ACCEPTED' } })) > 0, 15_000);
    // What a worker killed mid-call leaves: PROCESSING, SUBMITTING recorded and no answer, its submit job locked.
    const workerId = `pool-dead-${randomBytes(4).toString('hex')}`;
    await env.prisma.$transaction(async (tx) => {
      await tx.payoutEvent.deleteMany({ where: { payoutId, type: 'UPSTREAM_ACCEPTED' } });
      const [job] = await tx.$queryRaw<{ id: bigint }[]>`
        SELECT (graphile_worker.add_job('payouts:submit', ${JSON.stringify({ payoutId })}::json, job_key => ${`payout-submit:${payoutId}`}::text, max_attempts => 10)).id AS id`;
      await tx.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${workerId}, locked_at = now() WHERE id = ${job!.id}`;
    });
    expect((await env.prisma.payout.findUniqueOrThrow({ where: { id: payoutId } })).status).toBe('PROCESSING');
    await deadProcess(workerId);

    const settled = await waitFor(
      'the payout to be resolved from its upstream',
      async () => {
        const row = await env.prisma.payout.findUniqueOrThrow({ where: { id: payoutId } });
        return row.status === 'SUCCEEDED' ? row : null;
      },
      RELEASE_BOUND_MS,
    );
    expect(settled.finishedAt).not.toBeNull();
    const events = await env.prisma.payoutEvent.findMany({ where: { payoutId }, orderBy: { id: 'asc' }, select: { type: true } });
    expect(events.filter((e) => e.type === 'UPSTREAM_QUERIED')).toHaveLength(1);
    expect(await checkLedgerInvariants(env.prisma)).toEqual([]);
  });
});
