import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { createSecretBox } from '../../server/src/lib/crypto.ts';
import { checkLedgerInvariants } from '../../server/src/modules/ledger/ledger.invariants.ts';
import { createUserFixture } from '../../server/test/support/auth-fixtures.ts';
import { startTestPostgres, type StartedTestPostgres } from '../../server/test/support/global-setup.ts';
import { createMerchantFixture, type MerchantFixture } from '../../server/test/support/fixtures.ts';
import type { MerchantClient } from '../../server/test/support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from '../../server/test/support/payin-fixtures.ts';
import { fundChannel, fundMerchant } from '../../server/test/support/payout-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../server/test/support/test-database.ts';
import { check } from '../lib/harness.ts';

/**
 * `npm run bench:scale` (not part of `npm run bench`: it takes about two minutes): the scaled-out
 * layout on this machine. Two server replicas (`src/main.ts` with RUN_WORKER=false, as `npm start`
 * starts a server) and one worker (`src/worker-main.ts`, as `npm run worker`), real child processes on
 * one fresh bench database and the local Redis (REDIS_URL: the event bus and the app-credential cache
 * go through it), with a merchant callback receiver on a local HTTP port. Then:
 *
 *  1. one replica: signed REST payin creates and payouts for BENCH_SCALE_SECONDS (default 15) from
 *     BENCH_CONCURRENCY clients (default 8) on four merchants — requests/s, latency, and each process's
 *     CPU from /proc/<pid>/stat (the servers, the worker, this process, and the PostgreSQL backends
 *     serving the bench database);
 *  2. two replicas: the same load split over both; a merchant user's graphql-ws subscriber on replica A
 *     must see every payin created through replica B (Redis pub/sub), exactly once;
 *  3. kill: the same load, and replica B is killed with SIGKILL in the middle. A request cut by the kill
 *     is sent again to replica A with the same out_trade_no (as a load balancer and a merchant's retry
 *     would): every request that got a 200 answer has its row, exactly one per out_trade_no, and a
 *     retry of every cut request answers with the same payin/payout (idempotent);
 *  4. drain: every payout succeeds through the sandbox upstream; every merchant callback reached the
 *     receiver exactly once, every delivery took one attempt, no upstream callback was a duplicate
 *     (each payout's submit job ran once), the ledger invariants hold;
 *  5. the hot account: payouts on ONE merchant balance serialize on its ledger row lock; the lock's hold
 *     time is sampled from pg_stat_activity during sequential payouts, giving the ceiling 1 / hold.
 *
 * Checks fail the run (exit 1); nothing fails because it is slow.
 *   BENCH_DATABASE_URL / TEST_DATABASE_URL   a superuser connection (else embedded PostgreSQL)
 *   BENCH_REDIS_URL / TEST_REDIS_URL / REDIS_URL   default redis://127.0.0.1:6379
 */

const SERVER_DIR = fileURLToPath(new URL('../../server/', import.meta.url));
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 15);
const CLIENTS = Number(process.env.BENCH_CONCURRENCY ?? 8);
const MERCHANTS = 4;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const PAYOUT = { amount: '10.00', minor: 10_00n };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ─────────────────────────────── processes ───────────────────────────────

interface Proc {
  name: string;
  child: ChildProcess;
  url?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** `node --import tsx src/<script>` in server/, as `npm start` / `npm run worker` run it. */
function spawnPayrail(name: string, script: string, env: Record<string, string>): Proc {
  const { REDIS_URL: _r, DATABASE_URL: _d, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: SERVER_DIR,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      // The load is one app's: measure the work, not the per-app limiter.
      RATE_LIMIT_PER_SECOND: '0',
      // Production, but on loopback with the sandbox upstream and a bench subscription document.
      SANDBOX_FOR_TEST_ONLY: 'false',
      CALLBACK_ALLOW_PRIVATE_NETWORKS: 'true',
      GRAPHQL_ALLOW_LIST: 'false',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { name, child };
}

async function startServer(name: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = { ...spawnPayrail(name, 'src/main.ts', { ...env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, RUN_WORKER: 'false' }), url };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return proc;
    if (Date.now() > deadline || proc.child.exitCode !== null) throw new Error(`${name} did not start`);
    await sleep(200);
  }
}

async function kill(proc: Proc, signal: NodeJS.Signals): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill(signal);
  await Promise.race([exited, sleep(20_000).then(() => proc.child.kill('SIGKILL'))]);
}

/** utime + stime of a process, in ms (0 once it is gone). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU ms used by each named process and by the PostgreSQL backends of the bench database, between two calls. */
async function cpuMeter(procs: Proc[], pool: pg.Pool, database: string) {
  const backends = async () => (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database])).rows.map((r) => r.pid);
  const read = async () => {
    const byName = new Map<string, number>(procs.map((p) => [p.name, cpuMs(p.child.pid!)]));
    byName.set('bench client (this process)', cpuMs(process.pid));
    const pids = await backends();
    return { byName, backends: new Map(pids.map((pid) => [pid, cpuMs(pid)])) };
  };
  const start = await read();
  const started = performance.now();
  return async () => {
    const end = await read();
    const wallMs = performance.now() - started;
    const used: Array<[string, number]> = [...end.byName].map(([name, ms]) => [name, Math.max(0, ms - (start.byName.get(name) ?? ms))]);
    let pgMs = 0;
    for (const [pid, ms] of end.backends) pgMs += Math.max(0, ms - (start.backends.get(pid) ?? 0));
    used.push([`PostgreSQL backends (${end.backends.size} connections)`, pgMs]);
    return { wallMs, used, connections: end.backends.size };
  };
}

// ─────────────────────────────── load ───────────────────────────────

interface Sent {
  kind: 'payin' | 'payout';
  merchant: number;
  outTradeNo: string;
  body: Record<string, unknown>;
  /** The replica that answered 200 (after retries), or undefined while unanswered. */
  ackedBy?: string;
  /** Times the connection broke before an answer (the kill). */
  cut: number;
  /** Whether the row existed when the cut request was sent again (it had committed before the kill). */
  existedAtRetry?: boolean;
}

interface World {
  db: TestDatabase;
  merchants: MerchantFixture[];
  payinService: string;
  payoutService: string;
  notifyUrl: string;
}

const path = (kind: Sent['kind']) => (kind === 'payin' ? '/v1/transaction/prepayment' : '/v1/payout/create');

function bodyOf(world: World, kind: Sent['kind'], outTradeNo: string, n: number): Record<string, unknown> {
  if (kind === 'payin') {
    return {
      out_trade_no: outTradeNo,
      amount: `${20 + (n % 11)}.50`,
      currency: 'THB',
      service: world.payinService,
      expire_second: 1800,
      order_type: 'platform_order',
      payer_name: 'Somchai',
      notify_url: world.notifyUrl,
    };
  }
  return {
    out_trade_no: outTradeNo,
    amount: PAYOUT.amount,
    currency: 'THB',
    service: world.payoutService,
    recipient_name: 'Somchai Jaidee',
    recipient_account: '1234567890',
    bank_code: 'KBANK',
    notify_url: world.notifyUrl,
  };
}

async function rowExists(world: World, sent: Sent): Promise<boolean> {
  const key = { merchantId_outTradeNo: { merchantId: world.merchants[sent.merchant]!.merchant.id, outTradeNo: sent.outTradeNo } };
  return sent.kind === 'payin' ? (await world.db.prisma.order.findUnique({ where: key, select: { id: true } })) !== null : (await world.db.prisma.payout.findUnique({ where: key, select: { id: true } })) !== null;
}

/**
 * `clients` loops, each on one merchant and one replica (`route(i)`: the replica's URL, asked again
 * before every send, so a killed replica's clients move over), alternating payin creates and payouts
 * until `stop()`. A request cut before its answer is sent again, freshly signed, with the same body.
 */
async function drive(world: World, tag: string, route: (client: number) => string, stop: () => boolean, sent: Sent[], latencies: number[]): Promise<void> {
  const clients = new Map<string, MerchantClient>();
  const clientFor = (merchant: number, url: string) => {
    const key = `${merchant}@${url}`;
    let c = clients.get(key);
    if (!c) clients.set(key, (c = world.merchants[merchant]!.client(url)));
    return c;
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const merchant = client % MERCHANTS;
      for (let n = 0; !stop(); n++) {
        const kind: Sent['kind'] = n % 2 === 0 ? 'payin' : 'payout';
        const outTradeNo = `SCALE-${tag}-${client}-${n}`;
        const entry: Sent = { kind, merchant, outTradeNo, body: bodyOf(world, kind, outTradeNo, n), cut: 0 };
        sent.push(entry);
        const started = performance.now();
        for (;;) {
          const url = route(client);
          if (entry.cut > 0 && entry.existedAtRetry === undefined) entry.existedAtRetry = await rowExists(world, entry);
          let res;
          try {
            res = await clientFor(merchant, url).post<{ code?: number }>(path(kind), entry.body);
          } catch {
            entry.cut++;
            await sleep(100);
            continue;
          }
          if (res.status !== 200 || res.body?.code !== 0) throw new Error(`${path(kind)} on ${url} answered HTTP ${res.status}: ${res.rawBody.slice(0, 300)}`);
          entry.ackedBy = url;
          break;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
}

// ─────────────────────────────── report ───────────────────────────────

interface Phase {
  name: string;
  requests: number;
  wallMs: number;
  p50: number;
  p95: number;
  used: Array<[string, number]>;
  connections: number;
  /** The machine's 1-minute load average at the end (other work shares these cores). */
  load: number;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

function phaseReport(p: Phase): string {
  const rate = p.requests / (p.wallMs / 1000);
  const lines = [
    `${p.name}: ${p.requests} requests in ${(p.wallMs / 1000).toFixed(1)} s = ${rate.toFixed(1)} req/s, p50 ${p.p50.toFixed(0)} / p95 ${p.p95.toFixed(0)} ms (machine load average ${p.load.toFixed(1)})`,
    ...p.used.map(([name, ms]) => `    ${name.padEnd(44)} CPU ${((ms / p.wallMs) * 100).toFixed(0).padStart(4)} %   ${(ms / p.requests).toFixed(2).padStart(6)} ms per request`),
  ];
  const total = p.used.reduce((sum, [, ms]) => sum + ms, 0);
  lines.push(`    ${'all of the above'.padEnd(44)} CPU ${((total / p.wallMs) * 100).toFixed(0).padStart(4)} %   ${(total / p.requests).toFixed(2).padStart(6)} ms per request (of ${availableParallelism() * 100} % on ${availableParallelism()} cores)`);
  return lines.join('\n');
}

// ─────────────────────────────── the run ───────────────────────────────

export async function runScaleOut(): Promise<number> {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const redisUrl = process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const secretKey = randomBytes(32).toString('hex');
  const procs: Proc[] = [];
  let postgres: StartedTestPostgres | undefined;
  let db: TestDatabase | undefined;
  let receiver: Server | undefined;
  let pool: pg.Pool | undefined;
  let subscriber: Client | undefined;
  const checks: string[] = [];
  try {
    postgres = await startTestPostgres({ ...(serverUrl ? { serverUrl } : {}), runPrefix: `payrail_bench_${randomBytes(4).toString('hex')}` });
    db = await createTestDatabase(postgres);
    const database = new URL(db.url).pathname.slice(1);
    pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: 'payrail-bench-scale' });
    console.log(`Scale-out bench: ${availableParallelism()} CPUs, Node ${process.version}, database ${database}, Redis ${redisUrl}`);

    // The merchant's callback receiver: every callback counted by event id.
    const callbacks = new Map<string, { outTradeNo: string; status: string; count: number }>();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { event_id: string; data: { out_trade_no: string; status: string } };
        const seen = callbacks.get(parsed.event_id);
        if (seen) seen.count++;
        else callbacks.set(parsed.event_id, { outTradeNo: parsed.data.out_trade_no, status: parsed.data.status, count: 1 });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));

    // Seed: four merchants, a payin and a payout service, one sandbox channel (fast, always succeeds).
    const secrets = createSecretBox(Buffer.from(secretKey, 'hex'));
    const prisma = db.prisma;
    await ensureCurrency(prisma, 'THB', 2);
    const payin = await createService(prisma, { code: 'SCALE_PAYIN', currencyCode: 'THB', requiredFields: ['payer_name'] });
    const payout = await createService(prisma, { code: 'SCALE_PAYOUT', direction: 'PAYOUT', currencyCode: 'THB', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'] });
    const channel = await createChannel(prisma, { code: 'SBX_SCALE', currencyCode: 'THB', settings: { delayMs: 200, successRate: 1, payoutSuccessRate: 1 } }, { secrets, secret: 'scale-secret' });
    await bindChannel(prisma, channel.id, payin.id);
    await bindChannel(prisma, channel.id, payout.id);
    await fundChannel(prisma, channel.id, 'THB', 1_000_000_000_00n);
    const merchants: MerchantFixture[] = [];
    for (let m = 0; m < MERCHANTS + 1; m++) {
      const fixture = await createMerchantFixture(prisma, secrets, { merchantName: `Scale ${m}` });
      await activateService(prisma, fixture.merchant.id, payin.id, { singleLimitLower: 1_00n, singleLimitUpper: 100_000_00n, feeRatePpm: 20_000n });
      await activateService(prisma, fixture.merchant.id, payout.id, { singleLimitLower: 1_00n, singleLimitUpper: 100_000_00n, feeRatePpm: 10_000n, feeFixed: 1_00n });
      await fundMerchant(prisma, fixture.merchant.id, channel.id, 'THB', 100_000_000_00n);
      merchants.push(fixture);
    }
    const world: World = { db, merchants, payinService: payin.code, payoutService: payout.code, notifyUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback` };
    const owner = await createUserFixture(prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchants[0]!.merchant.id });

    // The processes, as the scaled-out deployment runs them.
    const common = { DATABASE_URL: db.url, REDIS_URL: redisUrl, SECRET_KEY: secretKey, DB_POOL_SIZE: '10' };
    const [a, b] = await Promise.all([startServer('server replica A', common), startServer('server replica B', common)]);
    procs.push(a!, b!);
    // The worker's sandbox upstream calls back to replica A (PUBLIC_URL), which is never killed.
    const worker = spawnPayrail('worker', 'src/worker-main.ts', { ...common, PUBLIC_URL: a!.url!, WORKER_CONCURRENCY: '8' });
    procs.push(worker);
    console.log(`replica A ${a!.url}, replica B ${b!.url}, worker pid ${worker.child.pid}`);
    await sleep(2_000);

    const sent: Sent[] = [];
    const phases: Phase[] = [];
    const runPhase = async (name: string, tag: string, route: (client: number) => string, during?: (elapsedMs: () => number) => Promise<void>) => {
      const latencies: number[] = [];
      const first = sent.length;
      const meter = await cpuMeter(procs, pool!, database);
      let stop = false;
      const started = performance.now();
      const load = drive(world, tag, route, () => stop, sent, latencies);
      const side = during?.(() => performance.now() - started);
      await sleep(SECONDS * 1000);
      stop = true;
      await Promise.all([load, side]);
      const { wallMs, used, connections } = await meter();
      const phase = { name, requests: sent.length - first, wallMs, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), used, connections, load: loadavg()[0]! };
      phases.push(phase);
      console.log(phaseReport(phase));
    };

    // Warm-up on both replicas (tsx compiles modules and the JIT warms on first use), not measured.
    let warm = false;
    const warming = drive(world, 'WARM', (client) => (client % 2 === 0 ? a!.url! : b!.url!), () => warm, sent, []);
    await sleep(4_000);
    warm = true;
    await warming;

    // 1. One replica.
    console.log(`\n… load: ${CLIENTS} clients on ${MERCHANTS} merchants, payin creates and payouts alternating, ${SECONDS} s per phase`);
    await runPhase('one replica (A)', 'ONE', () => a!.url!);

    // 2. Two replicas, and a subscriber on A for merchant 0's payins.
    const received: Array<{ outTradeNo: string; status: string }> = [];
    subscriber = createClient({
      url: `${a!.url!.replace(/^http/, 'ws')}/graphql`,
      lazy: false,
      retryAttempts: 0,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie: owner.cookie } });
        }
      },
    });
    subscriber.subscribe(
      { query: 'subscription { payinChanged { outTradeNo status merchant { mchId } } }' },
      { next: (v) => received.push((v.data as { payinChanged: { outTradeNo: string; status: string } }).payinChanged), error: () => {}, complete: () => {} },
    );
    await sleep(1_000);
    const secondPhaseStart = sent.length;
    // Clients 0 … n/2-1 stay on A, the others go to B: every merchant is served by both replicas.
    const onA = (client: number) => client < CLIENTS / 2;
    await runPhase('two replicas (A + B)', 'TWO', (client) => (onA(client) ? a!.url! : b!.url!));
    const throughB = sent.slice(secondPhaseStart).filter((s) => s.kind === 'payin' && s.merchant === 0 && s.ackedBy === b!.url);
    await sleep(1_000);
    const seenOnA = new Map<string, number>();
    for (const r of received) if (r.status === 'PENDING') seenOnA.set(r.outTradeNo, (seenOnA.get(r.outTradeNo) ?? 0) + 1);
    const missing = throughB.filter((s) => seenOnA.get(s.outTradeNo) !== 1);
    check(throughB.length > 0, 'some payins of merchant 0 were created through replica B');
    check(missing.length === 0, `${missing.length} of ${throughB.length} payins created through B reached A's subscriber other than exactly once, e.g. ${missing[0]?.outTradeNo}`);
    const foreign = received.filter((r) => !r.outTradeNo.startsWith('SCALE-') || sent.find((s) => s.outTradeNo === r.outTradeNo)?.merchant !== 0);
    check(foreign.length === 0, `A's merchant-0 subscriber received ${foreign.length} events of other merchants`);
    checks.push(`a merchant user's subscriber on replica A saw each of the ${throughB.length} payins created through replica B exactly once (Redis pub/sub), and nothing of the other merchants`);
    await subscriber.dispose();
    subscriber = undefined;

    // 3. Kill replica B (SIGKILL) halfway through the load; its clients move to A.
    let bAlive = true;
    await runPhase('two replicas, B killed halfway', 'KILL', (client) => (onA(client) || !bAlive ? a!.url! : b!.url!), async (elapsed) => {
      while (elapsed() < (SECONDS * 1000) / 2) await sleep(50);
      await kill(b!, 'SIGKILL');
      bAlive = false;
    });
    const cut = sent.filter((s) => s.cut > 0);
    const unacked = sent.filter((s) => !s.ackedBy);
    check(unacked.length === 0, `${unacked.length} requests never got an answer`);
    // Every cut request once more, to the survivor: the same payin / payout comes back.
    for (const entry of cut) {
      const res = await merchants[entry.merchant]!.client(a!.url!).post<{ code?: number; data?: { prepay_id?: string; payout_no?: string; out_trade_no?: string } }>(path(entry.kind), entry.body);
      check(res.status === 200 && res.body?.code === 0, `the retry of cut ${entry.outTradeNo} answered HTTP ${res.status}: ${res.rawBody.slice(0, 200)}`);
    }
    const committedBeforeKill = cut.filter((s) => s.existedAtRetry).length;
    checks.push(
      `SIGKILL of replica B cut ${cut.length} requests in flight (${committedBeforeKill} had committed before the kill, ${cut.length - committedBeforeKill} had not); each was retried on A with the same out_trade_no and answered 200, and again once more after the load`,
    );

    // Every acknowledged request has its row, once.
    const byKind = (kind: Sent['kind']) => sent.filter((s) => s.kind === kind);
    const payinRows = await prisma.order.count({ where: { outTradeNo: { in: byKind('payin').map((s) => s.outTradeNo) } } });
    const payoutRows = await prisma.payout.count({ where: { outTradeNo: { in: byKind('payout').map((s) => s.outTradeNo) } } });
    check(payinRows === byKind('payin').length, `${byKind('payin').length} acknowledged payins, ${payinRows} rows`);
    check(payoutRows === byKind('payout').length, `${byKind('payout').length} acknowledged payouts, ${payoutRows} rows`);
    checks.push(`every one of ${sent.length} acknowledged requests has exactly one row (${payinRows} payins, ${payoutRows} payouts)`);

    // 4. Drain: every payout succeeds and its callback reaches the receiver.
    const payoutNos = byKind('payout').map((s) => s.outTradeNo);
    const drainDeadline = Date.now() + 120_000;
    let outstanding = Infinity;
    while (Date.now() < drainDeadline) {
      const succeeded = await prisma.payout.count({ where: { outTradeNo: { in: payoutNos }, status: 'SUCCEEDED' } });
      const called = new Set([...callbacks.values()].filter((c) => c.status === 'SUCCEEDED').map((c) => c.outTradeNo));
      const pendingDeliveries = await prisma.delivery.count({ where: { status: { not: 'SENT' } } });
      outstanding = payoutNos.length - succeeded + payoutNos.filter((o) => !called.has(o)).length + pendingDeliveries;
      if (outstanding === 0) break;
      await sleep(500);
    }
    check(outstanding === 0, `${outstanding} payouts, callbacks or deliveries still outstanding after 120 s`);
    await sleep(2_000); // a late duplicate would arrive now
    const repeated = [...callbacks.values()].filter((c) => c.count !== 1);
    check(repeated.length === 0, `${repeated.length} callbacks arrived more than once, e.g. ${JSON.stringify(repeated[0])}`);
    const successCallbacks = [...callbacks.values()].filter((c) => c.status === 'SUCCEEDED');
    check(successCallbacks.length === payoutNos.length, `${payoutNos.length} payouts, ${successCallbacks.length} SUCCEEDED callbacks`);
    const { rows: attempts } = await pool.query<{ deliveries: string; multi: string }>(
      `SELECT count(*) AS deliveries, count(*) FILTER (WHERE n <> 1) AS multi FROM (SELECT d.id, count(a.id) AS n FROM deliveries d LEFT JOIN delivery_attempts a ON a."deliveryId" = d.id GROUP BY d.id) x`,
    );
    check(attempts[0]!.multi === '0', `${attempts[0]!.multi} deliveries took other than one attempt`);
    const duplicates = await prisma.upstreamCallback.count({ where: { result: { not: 'APPLIED' } } });
    check(duplicates === 0, `${duplicates} upstream callbacks were not applied once (a submit job ran twice?)`);
    const violations = await checkLedgerInvariants(prisma);
    check(violations.length === 0, `ledger invariants: ${violations.map((v) => `${v.rule} ${v.detail}`).join('; ')}`);
    checks.push(
      `all ${payoutNos.length} payouts SUCCEEDED; ${callbacks.size} merchant callbacks each received exactly once; ${attempts[0]!.deliveries} deliveries with one attempt each; every upstream callback applied once (each submit job ran once); ledger invariants hold`,
    );

    // 5. The hot account: sequential payouts on one balance, its row lock's hold time sampled.
    const hold = await lockHoldTimes(world, a!.url!, pool, database);
    console.log('\nChecks:');
    for (const line of checks) console.log(`  ✓ ${line}`);
    const one = phases[0]!;
    const two = phases[1]!;
    console.log(
      `\nThroughput: one replica ${(one.requests / (one.wallMs / 1000)).toFixed(1)} req/s, two replicas ${(two.requests / (two.wallMs / 1000)).toFixed(1)} req/s ` +
        `(${((two.requests / two.wallMs / (one.requests / one.wallMs)) * 100 - 100).toFixed(0)} %); PostgreSQL connections of the bench database: ${one.connections} / ${two.connections}`,
    );
    console.log(
      `Hot account: ${hold.samples} payouts on one balance; ledger row lock held p50 ${hold.p50.toFixed(1)} / p95 ${hold.p95.toFixed(1)} ms ` +
        `(sampled every ~1 ms from pg_stat_activity) → at most ~${(1000 / hold.p50).toFixed(0)} payouts/s on one balance (1 / p50 hold), ~${(1000 / hold.p95).toFixed(0)} at the p95 hold`,
    );
    return 0;
  } catch (error) {
    console.error('\nThe scale-out bench failed:', error);
    return 1;
  } finally {
    await subscriber?.dispose();
    // The worker first: its sandbox callbacks would otherwise meet replicas that are shutting down.
    for (const proc of [...procs].reverse()) await kill(proc, 'SIGTERM');
    receiver?.closeAllConnections();
    if (receiver) await new Promise((resolve) => receiver!.close(resolve));
    await pool?.end();
    await db?.drop().catch(() => {});
    await postgres?.stop();
  }
}

/**
 * Sequential payouts on one fresh merchant's balance (no queueing), while a second connection samples
 * pg_stat_activity about every millisecond: a backend of the bench database whose current statement is
 * the ledger's `SELECT … FROM ledger_accounts … FOR UPDATE` has taken the lock; it holds it until its
 * transaction ends (xact_start changes or goes). The hold is the time from the first such sample to
 * the first sample after the transaction.
 */
async function lockHoldTimes(world: World, url: string, pool: pg.Pool, database: string): Promise<{ samples: number; p50: number; p95: number }> {
  const merchant = world.merchants[MERCHANTS]!;
  const client = merchant.client(url);
  const sampler = await pool.connect();
  const holds: number[] = [];
  const open = new Map<string, number>();
  let sampling = true;
  const sample = async () => {
    while (sampling) {
      const { rows } = await sampler.query<{ pid: number; xact: string | null; locking: boolean }>(
        `SELECT pid, xact_start::text AS xact, query ~ 'FROM ledger_accounts' AND query ~ 'FOR UPDATE' AS locking FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database],
      );
      const at = performance.now();
      const live = new Set<string>();
      for (const row of rows) {
        if (!row.xact) continue;
        const key = `${row.pid}@${row.xact}`;
        live.add(key);
        if (row.locking && !open.has(key)) open.set(key, at);
      }
      for (const [key, since] of open) {
        if (!live.has(key)) {
          holds.push(at - since);
          open.delete(key);
        }
      }
      await sleep(1);
    }
  };
  const sampling$ = sample();
  for (let n = 0; n < 60; n++) {
    const res = await client.post<{ code?: number }>('/v1/payout/create', bodyOf(world, 'payout', `SCALE-HOT-${n}`, n));
    check(res.status === 200 && res.body?.code === 0, `hot-account payout answered HTTP ${res.status}: ${res.rawBody.slice(0, 200)}`);
  }
  sampling = false;
  await sampling$;
  sampler.release();
  return { samples: holds.length, p50: percentile(holds, 0.5), p95: percentile(holds, 0.95) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(await runScaleOut());
}
