import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/db/prisma.ts';
import { createSecretBox, verifyPayload } from '../src/lib/crypto.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { INTERRUPTED_ATTEMPT_ERROR } from '../src/modules/deliveries/deliveries.service.ts';
import { createMerchantFixture, type MerchantFixture } from './support/fixtures.ts';
import type { MerchantClient } from './support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from './support/payin-fixtures.ts';
import { fundChannel, fundMerchant } from './support/payout-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/**
 * chaos-kill: the real server (`src/main.ts`, in-process worker) as a child process on its own test
 * database, under mixed load from signed merchant clients — payin creates over REST, payers submitting
 * on the cashier (the sandbox upstream then calls back with a success), payouts over REST — with the
 * merchant's callback receiver listening (slow: up to 0.8 s per answer in short mode, 0.5 s in full mode, so
 * callbacks are in flight when the kill comes). Mid-load it is killed with SIGKILL and started again on the
 * same port while the clients keep going; a request cut by the kill is retried as a merchant would
 * (same out_trade_no, fresh signature). Then:
 *   - everything a client got a success answer for exists exactly once (orders, payouts, payments);
 *   - every upstream success we acknowledged is applied exactly once (no RECEIVED callback left);
 *   - the ledger invariants hold;
 *   - every job resumed (nothing locked by the dead process, no delivery, submit or callback job left);
 *   - every final callback reached the merchant's receiver within 60 s of the restart, signed, at least
 *     once and never more often than one plus its interrupted attempts.
 *
 * Short mode (default, CI): one kill, heartbeat 1 s / dead after 6 s / sweep 2 s. Full mode
 * (`npm run chaos`, CHAOS_MODE=full): the default settings (5 s / 30 s / 15 s), longer load, three kills
 * in a row (the last process finds all three dead), worker concurrency 8. The 60 s bound covers the
 * whole backlog the load left, so the load is sized for a small machine.
 */

const FULL = process.env.CHAOS_MODE === 'full';
const MODE = FULL
  ? { clients: 6, loadBeforeKillMs: 8_000, loadAfterRestartMs: 5_000, kills: 3, receiverDelayMs: 500, env: { WORKER_CONCURRENCY: '8' } as Record<string, string>, retryScale: '1' }
  : {
      // Sized so the backlog a kill leaves drains well inside the bound on a busy 2-core CI machine
      // (the bound covers the whole backlog, not only the work cut by the kill).
      clients: 4,
      loadBeforeKillMs: 4_000,
      loadAfterRestartMs: 2_000,
      kills: 1,
      receiverDelayMs: 400,
      env: { WORKER_HEARTBEAT_SECONDS: '1', WORKER_DEAD_AFTER_SECONDS: '6', WORKER_SWEEP_SECONDS: '2' } as Record<string, string>,
      retryScale: '10',
    };
const RECOVERY_BOUND_MS = 60_000;

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const SANDBOX_DELAY_MS = 300;

interface Callback {
  eventId: string;
  eventType: string;
  outTradeNo: string;
  status: string;
  signatureValid: boolean;
  at: number;
}

let db: TestDatabase;
let prisma: PrismaClient;
let merchant: MerchantFixture;
let receiver: Server;
let notifyBase = '';
let port = 0;
let baseUrl = '';
const secretKey = randomBytes(32).toString('hex');
let child: ChildProcess | null = null;
const callbacks: Callback[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
}

async function startServer(): Promise<{ spawnedAt: number }> {
  const spawnedAt = Date.now();
  const { REDIS_URL: _redis, ...inherited } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...inherited,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATABASE_URL: db.url,
      SECRET_KEY: secretKey,
      RUN_WORKER: 'true',
      WORKER_CONCURRENCY: '4',
      DB_POOL_SIZE: '10',
      SEED_DEMO: 'false',
      RATE_LIMIT_PER_SECOND: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      CALLBACK_RETRY_SCALE: MODE.retryScale,
      ...MODE.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child = proc;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { spawnedAt };
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('the server process did not start');
    await sleep(100);
  }
}

async function killServer(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = db.prisma;
  port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const secrets = createSecretBox(Buffer.from(secretKey, 'hex'));

  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const signatureValid = verifyPayload(
        merchant.platformKey.publicKeyPem,
        { timestamp: String(req.headers['payrail-timestamp']), nonce: String(req.headers['payrail-nonce']), body },
        String(req.headers['payrail-signature']),
      );
      const parsed = JSON.parse(body) as { event_id: string; event_type: string; data: { out_trade_no: string; status: string } };
      callbacks.push({ eventId: parsed.event_id, eventType: parsed.event_type, outTradeNo: parsed.data.out_trade_no, status: parsed.data.status, signatureValid, at: Date.now() });
      // A slow merchant: callbacks are in flight (claimed) most of the time, so the kill cuts some.
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), Math.floor(Math.random() * MODE.receiverDelayMs));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  notifyBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  await ensureCurrency(prisma, 'THB', 2);
  merchant = await createMerchantFixture(prisma, secrets);
  const payin = await createService(prisma, { code: 'THB_BANK', currencyCode: 'THB', requiredFields: ['payer_name'] });
  await activateService(prisma, merchant.merchant.id, payin.id, { singleLimitLower: 1_00n, singleLimitUpper: 100_000_00n, feeRatePpm: 20_000n });
  const payout = await createService(prisma, {
    code: 'THB_BANK_PAYOUT',
    direction: 'PAYOUT',
    currencyCode: 'THB',
    requiredFields: ['recipient_name', 'recipient_account', 'bank_code'],
  });
  await activateService(prisma, merchant.merchant.id, payout.id, { singleLimitLower: 1_00n, singleLimitUpper: 100_000_00n, feeRatePpm: 10_000n, feeFixed: 1_00n });
  const channel = await createChannel(prisma, { code: 'SBX_CHAOS', currencyCode: 'THB', settings: { delayMs: SANDBOX_DELAY_MS, successRate: 1, payoutSuccessRate: 1 } }, { secrets, secret: 'chaos-secret' });
  await bindChannel(prisma, channel.id, payin.id);
  await bindChannel(prisma, channel.id, payout.id);
  await fundMerchant(prisma, merchant.merchant.id, channel.id, 'THB', 100_000_000_00n);
  await fundChannel(prisma, channel.id, 'THB', 100_000_000_00n);
}, 120_000);

afterAll(async () => {
  await killServer();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await db?.drop();
});

// ---------------------------------------------------------------------------------------------------
// Load: what the clients were told

interface Acked {
  payins: Map<string, { amount: bigint; submitted: boolean }>;
  payouts: Set<string>;
  attempts: number;
  cut: number;
}

const acked: Acked = { payins: new Map(), payouts: new Set(), attempts: 0, cut: 0 };

/** Sends until the server answers (a request cut by the kill is sent again, freshly signed). */
async function untilAnswered<T>(send: () => Promise<T>, stopAt: () => boolean): Promise<T | null> {
  for (;;) {
    acked.attempts++;
    try {
      return await send();
    } catch {
      acked.cut++;
      if (stopAt()) return null;
      await sleep(200);
    }
  }
}

async function clientLoop(client: MerchantClient, index: number, stop: () => boolean, giveUp: () => boolean): Promise<void> {
  for (let n = 0; !stop(); n++) {
    const outTradeNo = `CH-${index}-${n}-${randomBytes(3).toString('hex')}`;
    if (n % 2 === 1) {
      const res = await untilAnswered(
        () =>
          client.post<{ status: string }>('/v1/payout/create', {
            out_trade_no: outTradeNo,
            amount: `${10 + (n % 7)}.00`,
            currency: 'THB',
            service: 'THB_BANK_PAYOUT',
            recipient_name: 'Somchai Jaidee',
            recipient_account: '1234567890',
            bank_code: 'KBANK',
            notify_url: `${notifyBase}/payout`,
          }),
        giveUp,
      );
      if (res?.body.code === 0) acked.payouts.add(outTradeNo);
      continue;
    }
    const amount = `${20 + (n % 11)}.50`;
    const res = await untilAnswered(
      () =>
        client.post<{ prepay_id: string }>('/v1/transaction/prepayment', {
          out_trade_no: outTradeNo,
          amount,
          currency: 'THB',
          service: 'THB_BANK',
          expire_second: 1800,
          order_type: 'platform_order',
          payer_name: 'Somchai',
          notify_url: `${notifyBase}/payin`,
        }),
      giveUp,
    );
    if (!res || res.body.code !== 0) continue;
    const entry = { amount: BigInt(amount.replace('.', '')), submitted: false };
    acked.payins.set(outTradeNo, entry);
    const prepayId = res.body.data.prepay_id;
    const submitted = await untilAnswered(
      () =>
        fetch(`${baseUrl}/pay/api/order/${prepayId}/submit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ payer_name: 'Somchai Jaidee', payer_account: '1234 5678 9012', bank_code: 'KBANK' }),
        }).then((r) => r.status),
      giveUp,
    );
    if (submitted === 200) entry.submitted = true;
    else if (submitted !== null) {
      // A submit cut by the kill may have committed: the retry is then refused; the order says.
      const order = await prisma.order.findUnique({ where: { merchantId_outTradeNo: { merchantId: merchant.merchant.id, outTradeNo } }, select: { status: true } });
      entry.submitted = order !== null && order.status !== 'PENDING';
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// What must hold after a restart

interface Pending {
  payinsNotSucceeded: number;
  payoutsNotSucceeded: number;
  callbacksMissing: number;
  deliveriesPending: number;
  upstreamReceived: number;
  jobsLeft: number;
  locksOfDead: number;
}

async function pendingWork(): Promise<Pending> {
  const submitted = [...acked.payins].filter(([, v]) => v.submitted).map(([k]) => k);
  const payinRows = await prisma.order.findMany({ where: { merchantId: merchant.merchant.id, outTradeNo: { in: submitted } }, select: { outTradeNo: true, status: true } });
  const payoutRows = await prisma.payout.findMany({ where: { merchantId: merchant.merchant.id, outTradeNo: { in: [...acked.payouts] } }, select: { outTradeNo: true, status: true } });
  const seen = new Set(callbacks.filter((c) => c.signatureValid && c.status === 'SUCCEEDED').map((c) => `${c.eventType}:${c.outTradeNo}`));
  const missing =
    submitted.filter((o) => !seen.has(`payin.status_changed:${o}`)).length + [...acked.payouts].filter((o) => !seen.has(`payout.status_changed:${o}`)).length;
  const [jobs] = await prisma.$queryRaw<{ left: bigint; dead: bigint }[]>`
    SELECT count(*) FILTER (WHERE task_identifier IN ('sandbox:deliver', 'payouts:submit', 'deliveries:flush')) AS left,
           count(*) FILTER (WHERE locked_by IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM worker_processes w WHERE j.locked_by = ANY(w."workerIds") AND w."heartbeatAt" > now() - interval '60 seconds')) AS dead
    FROM graphile_worker.jobs j`;
  return {
    payinsNotSucceeded: submitted.length - payinRows.filter((r) => r.status === 'SUCCEEDED').length,
    payoutsNotSucceeded: acked.payouts.size - payoutRows.filter((r) => r.status === 'SUCCEEDED').length,
    callbacksMissing: missing,
    deliveriesPending: await prisma.delivery.count({ where: { status: 'PENDING' } }),
    upstreamReceived: await prisma.upstreamCallback.count({ where: { result: 'RECEIVED' } }),
    jobsLeft: Number(jobs?.left ?? 0),
    locksOfDead: Number(jobs?.dead ?? 0),
  };
}

const settled = (p: Pending) => Object.values(p).every((v) => v === 0);

describe(`chaos: kill -9 under load (${FULL ? 'full' : 'short'} mode)`, () => {
  it(
    'loses and doubles nothing a client was told, keeps the ledger balanced, resumes every job and delivers every final callback within 60 s of the restart',
    async () => {
      await startServer();
      const clients = Array.from({ length: MODE.clients }, () => merchant.client(baseUrl));
      let stopLoad = false;
      let giveUp = false;
      const loops = clients.map((c, i) => clientLoop(c, i, () => stopLoad, () => giveUp));
      const recoveries: number[] = [];

      for (let kill = 0; kill < MODE.kills; kill++) {
        await sleep(MODE.loadBeforeKillMs);
        const inFlight = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE locked_by IS NOT NULL`;
        await killServer();
        const { spawnedAt } = await startServer();
        await sleep(MODE.loadAfterRestartMs);
        if (kill === MODE.kills - 1) stopLoad = true;
        else continue;
        await Promise.race([Promise.all(loops), sleep(20_000).then(() => (giveUp = true))]);
        await Promise.all(loops);

        let pending = await pendingWork();
        while (!settled(pending) && Date.now() - spawnedAt < RECOVERY_BOUND_MS + 30_000) {
          await sleep(250);
          pending = await pendingWork();
        }
        const recoveredIn = Date.now() - spawnedAt;
        if (!settled(pending)) {
          const jobs = await prisma.$queryRaw<unknown[]>`SELECT task_identifier, key, run_at, attempts, locked_by, last_error FROM graphile_worker.jobs`;
          console.log('chaos: left', JSON.stringify(jobs, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
        }
        recoveries.push(recoveredIn);
        console.log(`chaos: kill ${kill + 1}: ${Number(inFlight[0]?.n ?? 0)} jobs locked at the kill; settled ${recoveredIn} ms after the restart`, pending);
        expect(pending).toEqual({ payinsNotSucceeded: 0, payoutsNotSucceeded: 0, callbacksMissing: 0, deliveriesPending: 0, upstreamReceived: 0, jobsLeft: 0, locksOfDead: 0 });
        expect(recoveredIn).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
      }
      // Earlier kills in full mode: their recovery is checked by the final state (nothing may be left).

      console.log(
        `chaos: ${acked.payins.size} payins (${[...acked.payins.values()].filter((p) => p.submitted).length} paid), ${acked.payouts.size} payouts acknowledged; ${acked.cut} requests cut by kills and retried; ${callbacks.length} callbacks received`,
      );
      expect(acked.payins.size).toBeGreaterThan(0);
      expect(acked.payouts.size).toBeGreaterThan(0);

      // Nothing acknowledged lost or doubled.
      const merchantId = merchant.merchant.id;
      const orders = await prisma.order.findMany({ where: { merchantId }, include: { payments: true } });
      const byNo = new Map(orders.map((o) => [o.outTradeNo, o]));
      expect(orders.length).toBe(byNo.size);
      for (const [outTradeNo, { amount, submitted }] of acked.payins) {
        const order = byNo.get(outTradeNo);
        expect(order, outTradeNo).toBeDefined();
        expect(order!.amount).toBe(amount);
        if (submitted) {
          expect(order!.status).toBe('SUCCEEDED');
          expect(order!.payments).toHaveLength(1);
          expect(order!.paidAmount).toBe(amount);
        }
      }
      const payouts = await prisma.payout.findMany({ where: { merchantId } });
      expect(new Set(payouts.map((p) => p.outTradeNo)).size).toBe(payouts.length);
      for (const outTradeNo of acked.payouts) expect(payouts.find((p) => p.outTradeNo === outTradeNo)?.status, outTradeNo).toBe('SUCCEEDED');

      // Every upstream success we acknowledged applied exactly once.
      const upstream = await prisma.upstreamCallback.findMany({ where: { signatureValid: true }, select: { eventKey: true, result: true } });
      const appliedPerEvent = new Map<string, number>();
      for (const row of upstream) if (row.result === 'APPLIED') appliedPerEvent.set(row.eventKey, (appliedPerEvent.get(row.eventKey) ?? 0) + 1);
      expect([...appliedPerEvent.values()].every((n) => n === 1)).toBe(true);
      expect(upstream.filter((r) => r.result !== 'APPLIED' && r.result !== 'DUPLICATE')).toEqual([]);
      const paidOrders = orders.filter((o) => o.status === 'SUCCEEDED');
      expect(paidOrders.every((o) => o.payments.length === 1 && o.paidAmount === o.amount)).toBe(true);

      // Ledger.
      expect(await checkLedgerInvariants(prisma)).toEqual([]);

      // Callbacks: all signed; each delivery received at least once, at most once more per interrupted attempt.
      expect(callbacks.every((c) => c.signatureValid)).toBe(true);
      const deliveries = await prisma.delivery.findMany({ include: { attempts: true } });
      expect(deliveries.every((d) => d.status === 'SENT')).toBe(true);
      for (const d of deliveries) {
        const received = callbacks.filter((c) => c.eventId === d.eventId).length;
        const interrupted = d.attempts.filter((a) => a.error === INTERRUPTED_ATTEMPT_ERROR).length;
        expect(received, d.eventId).toBeGreaterThanOrEqual(1);
        expect(received, d.eventId).toBeLessThanOrEqual(1 + interrupted);
      }
      expect(Math.max(...recoveries)).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    },
    FULL ? 900_000 : 170_000,
  );
});
