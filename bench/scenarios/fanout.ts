import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import { createUserFixture, type UserFixture } from '../../server/test/support/auth-fixtures.ts';
import { inTransaction, type BenchEnvironment } from '../lib/environment.ts';
import { check, type Scenario } from '../lib/harness.ts';
import type { FromSubscribers, Receipt, SubscriberSpec, ToSubscribers } from './fanout-subscribers.ts';
import { createPayinThroughApi, seedPayinMerchant, type PayinMerchant } from './payin-create.ts';

/**
 * f. Subscription fan-out: 2,000 graphql-ws subscribers (real WebSockets, in a child process, each
 * signed in as a merchant user or as staff) on the one server process; a payin status change
 * (`closePayin` over HTTP) must reach every subscriber allowed to see it, and nobody else. What is
 * measured per receipt is commit → arrival: the commit time is when the server publishes the event on
 * its bus (right after the transaction committed), the arrival when the subscriber process parsed the
 * message (one clock: `performance.timeOrigin + performance.now()` in both processes).
 *
 * The subscribers (BENCH_FANOUT_SUBSCRIBERS, default 2,000) are, by share:
 *   20 % staff (administrators) following every merchant,  5 % staff following merchant A only
 *   (`merchantIds: [A]`), 50 % users of merchant A, 15 % of merchant B, 10 % of merchant C.
 * Changes alternate between a payin of A and one of B (C never changes): an A change goes to 75 % of
 * the subscribers, a B change to 35 %. The selection is the admin app's live row (PayinRowFields:
 * money, merchant, service, channel). Each group's sockets use four sessions of four people with the
 * same role, as a back office's many tabs come from few roles: equal subscriptions share an execution
 * (server/src/graphql/live/shared-subscriptions.ts), different groups never do.
 *
 * The raw floor is PostgreSQL LISTEN/NOTIFY to 2,000 plain WebSockets: the change is an UPDATE and a
 * `pg_notify` in one transaction (NOTIFY is delivered at commit, like Payrail's after-commit publish);
 * one listening connection reads the changed row once, joined with its merchant, service and channel,
 * and sends it to every socket whose merchant filter matches. It is chosen over Redis pub/sub because
 * it needs nothing but the database, is transactional like the outbox, and is what a hand-written
 * service without a bus would do; neither side authenticates per message on the raw side, which is
 * why it is a floor.
 */

const SUBSCRIPTION = /* GraphQL */ `
  subscription BenchPayinChanged($merchantIds: [ID!]) {
    payinChanged(merchantIds: $merchantIds) {
      id orderNo outTradeNo prepayId userLabel status postbackStatus accumulationStatus creationType originality test
      sequence currencyCode createdAt paidAt updatedAt
      amount { amount currency digits minorUnits }
      paidAmount { amount currency digits minorUnits }
      fee { amount currency digits minorUnits }
      merchant { id mchId name }
      service { id code name }
      channel { id code name }
    }
  }
`;

const CLOSE = /* GraphQL */ `
  mutation BenchClosePayin($id: ID!) {
    closePayin(id: $id, reason: "fan-out bench") { status }
  }
`;

const RAW_CHANNEL = 'bench_fanout';
const RAW_TABLE = 'bench_fanout_payins';
/** The same fields the GraphQL selection carries, read once per change. */
const RAW_ROW = `
  SELECT o.id, o."orderNo", o."outTradeNo", o."prepayId", o."userLabel", o.status, o."postbackStatus", o."accumulationStatus",
         o."creationType", o.originality, o.test, o.sequence, o."currencyCode", o."createdAt", o."paidAt", o."updatedAt",
         o.amount::text AS amount, o."paidAmount"::text AS "paidAmount", o.fee::text AS fee, cur.digits,
         o."merchantId", m."mchId", m.name AS "merchantName", s.id AS "serviceId", s.code AS "serviceCode", s.name AS "serviceName",
         ch.id AS "channelId", ch.code AS "channelCode", ch.name AS "channelName"
  FROM ${RAW_TABLE} o
  JOIN merchants m ON m.id = o."merchantId"
  JOIN services s ON s.id = o."serviceId"
  JOIN currencies cur ON cur.code = o."currencyCode"
  LEFT JOIN channels ch ON ch.id = o."channelId"
  WHERE o.id = $1`;

/** How long one change may take to reach all its subscribers before the run counts as failed. */
const DELIVERY_TIMEOUT_MS = 30_000;

type Group = 'staff' | 'staffA' | 'A' | 'B' | 'C';
const SHARES: Array<[Group, number]> = [
  ['staff', 0.2],
  ['staffA', 0.05],
  ['A', 0.5],
  ['B', 0.15],
  ['C', 0.1],
];
/** Which groups may see a change of merchant A or B. */
const AUDIENCE: Record<'A' | 'B', ReadonlySet<Group>> = { A: new Set(['staff', 'staffA', 'A']), B: new Set(['staff', 'B']) };
/** Sessions per group: the sockets of a group share them, as a user's tabs share one cookie. */
const USERS_PER_GROUP = 4;

const now = () => performance.timeOrigin + performance.now();

export function fanoutSubscriberCount(): number {
  const raw = process.env.BENCH_FANOUT_SUBSCRIBERS;
  const n = raw ? Number(raw) : 2000;
  if (!Number.isInteger(n) || n < 10) throw new Error(`BENCH_FANOUT_SUBSCRIBERS must be an integer ≥ 10, not "${raw}"`);
  return n;
}

/** Each subscriber's group, in subscriber order. */
function groupsOf(subscriberCount: number): Group[] {
  const groups: Group[] = [];
  for (const [group, share] of SHARES) for (let i = 0; i < Math.round(subscriberCount * share); i++) groups.push(group);
  while (groups.length < subscriberCount) groups.push('A');
  return groups.slice(0, subscriberCount);
}

interface Payin {
  id: string;
  orderNo: string;
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Per-delivery latency in ms, nearest rank. */
function percentiles(latencies: number[]): Latency {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
const ms = (v: number) => v.toFixed(1);

/**
 * One side's audience: a subscriber child process, the commit time of each change, and every receipt.
 * A side's run registers its change with `expect` before making it and awaits `delivered`, which
 * resolves once every subscriber allowed to see that change reported it.
 */
class Audience {
  readonly receipts = new Map<string, Receipt[]>();
  readonly committedAt = new Map<string, number>();
  readonly expected = new Map<string, { merchant: 'A' | 'B'; waiters: Array<() => void> }>();
  readonly stray: Receipt[] = [];
  private child: ChildProcess | undefined;

  constructor(readonly groups: Group[]) {
    this.audience = { A: groups.filter((g) => AUDIENCE.A.has(g)).length, B: groups.filter((g) => AUDIENCE.B.has(g)).length };
  }

  async open(subscribers: SubscriberSpec[]): Promise<void> {
    const child = fork(fileURLToPath(new URL('./fanout-subscribers.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    const opened = new Promise<string[]>((resolve, reject) => {
      child.on('message', (message: FromSubscribers) => {
        if (message.type === 'opened') resolve(message.failed);
        else if (message.type === 'receipts') for (const receipt of message.receipts) this.record(receipt);
      });
      child.once('exit', (code) => reject(new Error(`the subscriber process exited (${code}) before opening its sockets`)));
    });
    child.send({ type: 'open', subscribers } satisfies ToSubscribers);
    const failed = await opened;
    if (failed.length > 0) throw new Error(`${failed.length} subscribers could not connect: ${failed.slice(0, 3).join('; ')}`);
  }

  private record(receipt: Receipt): void {
    const key = `${receipt[1]}:${receipt[2]}`;
    const list = this.receipts.get(key);
    if (!list) {
      this.stray.push(receipt);
      return;
    }
    list.push(receipt);
    const wanted = this.expected.get(key);
    if (wanted && list.length >= this.audienceSize(wanted.merchant)) for (const wake of wanted.waiters.splice(0)) wake();
  }

  /** Subscribers allowed to see a change of A or B (counted once: this runs for every receipt). */
  private readonly audience: Record<'A' | 'B', number>;

  audienceSize(merchant: 'A' | 'B'): number {
    return this.audience[merchant];
  }

  /** Registers a change before it is made, so no receipt of it is taken for a stray one. */
  expect(orderNo: string, status: string, merchant: 'A' | 'B'): string {
    const key = `${orderNo}:${status}`;
    this.receipts.set(key, []);
    this.expected.set(key, { merchant, waiters: [] });
    return key;
  }

  /** Resolves when every allowed subscriber has the change (throws after `timeoutMs`). */
  delivered(key: string, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<void> {
    const wanted = this.expected.get(key)!;
    if (this.receipts.get(key)!.length >= this.audienceSize(wanted.merchant)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.receipts.get(key)!.length;
        const stray = this.stray.length ? `; ${this.stray.length} unexpected messages, e.g. ${JSON.stringify(this.stray[0])}` : '';
        reject(new Error(`${key}: ${got} of ${this.audienceSize(wanted.merchant)} subscribers received it within ${timeoutMs / 1000} s${stray}`));
      }, timeoutMs);
      wanted.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Every allowed subscriber got each change exactly once; nobody else got anything. Returns the number of deliveries. */
  verify(keys: string[], mchIdOf: Record<'A' | 'B', string>): number {
    let deliveries = 0;
    check(this.stray.length === 0, `${this.stray.length} messages nobody expected, e.g. ${JSON.stringify(this.stray.slice(0, 3))}`);
    for (const key of keys) {
      const { merchant } = this.expected.get(key)!;
      const got = this.receipts.get(key)!;
      const counts = new Map<number, number>();
      for (const [subscriber, , , mchId] of got) {
        counts.set(subscriber, (counts.get(subscriber) ?? 0) + 1);
        check(mchId === mchIdOf[merchant], `${key} arrived carrying merchant ${mchId}, not ${mchIdOf[merchant]}`);
      }
      this.groups.forEach((group, subscriber) => {
        const n = counts.get(subscriber) ?? 0;
        const allowed = AUDIENCE[merchant].has(group);
        check(n === (allowed ? 1 : 0), `subscriber #${subscriber} (${group}) got ${key} ${n} times, expected ${allowed ? 1 : 0}`);
      });
      check(this.committedAt.has(key), `no commit time for ${key}`);
      deliveries += got.length;
    }
    return deliveries;
  }

  /** Commit → arrival of every delivery of these changes, in ms. */
  latencies(keys: string[]): number[] {
    return keys.flatMap((key) => this.receipts.get(key)!.map((receipt) => receipt[4] - this.committedAt.get(key)!));
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ type: 'close' } satisfies ToSubscribers);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Probe changes per merchant allowed before the subscriptions count as live. */
const PROBES = 5;

export function fanoutScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { env, pool } = bench;
  const subscriberCount = fanoutSubscriberCount();
  const groups = groupsOf(subscriberCount);
  const perMerchant = Math.ceil((size.warmup + size.operations) / 2) + PROBES;
  const merchants = {} as Record<'A' | 'B' | 'C', PayinMerchant>;
  /** Payins still PENDING, per side and merchant: each change closes the next one. */
  const pending = { payrail: { A: [] as Payin[], B: [] as Payin[] }, raw: { A: [] as Payin[], B: [] as Payin[] } };
  const sides = { payrail: new Audience(groups), raw: new Audience(groups) };
  const keys = { payrail: [] as string[], raw: [] as string[] };
  const latency: { payrail?: Latency; raw?: Latency } = {};
  const staff: UserFixture[] = [];
  const wsUrl = `${env.url.replace(/^http/, 'ws')}/graphql`;
  let rawServer: WebSocketServer | undefined;
  let listener: pg.Client | undefined;
  let restorePublish: (() => void) | undefined;

  const merchantOf = (i: number): 'A' | 'B' => (i % 2 === 0 ? 'A' : 'B');
  const mchIds = () => ({ A: merchants.A.fixture.mchId, B: merchants.B.fixture.mchId });
  const nextPayin = (side: 'payrail' | 'raw', merchant: 'A' | 'B') => {
    const payin = pending[side][merchant].shift();
    if (!payin) throw new Error(`no pending ${side} payin of merchant ${merchant} left`);
    return payin;
  };
  const cleanup = async () => {
    restorePublish?.();
    await Promise.all([sides.payrail.close(), sides.raw.close()]);
    await listener?.end().catch(() => {});
    listener = undefined;
    if (rawServer) await new Promise<void>((resolve) => rawServer!.close(() => resolve()));
    rawServer = undefined;
  };

  /** The Payrail side's subscribers: graphql-ws, each with a session of its group. */
  async function graphqlSubscribers(): Promise<SubscriberSpec[]> {
    const cookies: Record<Group, string[]> = { staff: [], staffA: [], A: [], B: [], C: [] };
    for (let i = 0; i < USERS_PER_GROUP; i++) {
      for (const group of ['staff', 'staffA'] as const) {
        const user = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR' });
        staff.push(user);
        cookies[group].push(user.cookie);
      }
      for (const group of ['A', 'B', 'C'] as const) {
        cookies[group].push((await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: merchants[group].fixture.merchant.id })).cookie);
      }
    }
    const onlyA = { merchantIds: [encodeGlobalID('Merchant', merchants.A.fixture.merchant.id)] };
    return groups.map((group, i) => ({
      kind: 'graphql',
      url: wsUrl,
      cookie: cookies[group][i % USERS_PER_GROUP]!,
      query: SUBSCRIPTION,
      ...(group === 'staffA' ? { variables: onlyA } : {}),
    }));
  }

  /** Payrail: close the payin through GraphQL as staff; its commit time is taken at its publish on the bus. */
  async function payrailChange(merchant: 'A' | 'B', timeoutMs?: number): Promise<string> {
    const payin = nextPayin('payrail', merchant);
    const key = sides.payrail.expect(payin.orderNo, 'CLOSED', merchant);
    const result = await env.graphql<{ closePayin: { status: string } }>(CLOSE, { id: encodeGlobalID('Payin', payin.id) }, { cookie: staff[0]!.cookie });
    if (result.errors || result.data?.closePayin.status !== 'CLOSED') throw new Error(`closePayin: ${JSON.stringify(result.errors ?? result.data).slice(0, 300)}`);
    await sides.payrail.delivered(key, timeoutMs);
    return key;
  }

  /**
   * graphql-ws does not acknowledge a subscription: a subscription is live once the server ran its
   * subscribe. Probe changes (not counted) until one of each merchant reached its whole audience.
   */
  async function waitUntilLive(): Promise<void> {
    for (const merchant of ['A', 'B'] as const) {
      for (let probe = 1; ; probe++) {
        try {
          await payrailChange(merchant, 5_000);
          break;
        } catch (error) {
          if (probe === PROBES) throw error;
        }
      }
    }
  }

  /** Payrail's commit times: the publish that follows each commit, by the changed payin's id. */
  function recordCommits(orderNoOf: Map<string, string>): void {
    const bus = env.services.events;
    const publish = bus.publish.bind(bus);
    bus.publish = ((topic, event) => {
      if (topic === 'payin:changed') {
        const change = event as { id: string; status: string };
        const orderNo = orderNoOf.get(change.id);
        if (orderNo) sides.payrail.committedAt.set(`${orderNo}:${change.status}`, now());
      }
      publish(topic, event);
    }) as typeof bus.publish;
    restorePublish = () => {
      bus.publish = publish;
      restorePublish = undefined;
    };
  }

  /** The raw side: one LISTEN connection, one plain WebSocket server, the row read once per change. */
  async function startRawFanout(): Promise<{ specs: SubscriberSpec[]; registered: () => number }> {
    const sockets: Array<{ socket: WebSocket; merchantId: string | null }> = [];
    rawServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    rawServer.on('connection', (socket) => {
      socket.once('message', (data) => sockets.push({ socket, merchantId: (JSON.parse(data.toString()) as { merchantId: string | null }).merchantId }));
    });
    await new Promise<void>((resolve) => rawServer!.once('listening', () => resolve()));
    listener = new pg.Client({ connectionString: env.databaseUrl, application_name: 'payrail-bench-raw-listen' });
    // The bench drops its database WITH (FORCE) at the end, which ends this connection too.
    listener.on('error', () => {});
    await listener.connect();
    listener.on('notification', (note) => {
      void pool.query<{ merchantId: string }>(RAW_ROW, [note.payload]).then(({ rows }) => {
        const row = rows[0];
        if (!row) return;
        const message = JSON.stringify(row);
        for (const { socket, merchantId } of sockets) if (merchantId === null || merchantId === row.merchantId) socket.send(message);
      });
    });
    await listener.query(`LISTEN ${RAW_CHANNEL}`);
    const url = `ws://127.0.0.1:${(rawServer.address() as AddressInfo).port}`;
    const filterOf: Record<Group, string | null> = {
      staff: null,
      staffA: merchants.A.fixture.merchant.id,
      A: merchants.A.fixture.merchant.id,
      B: merchants.B.fixture.merchant.id,
      C: merchants.C.fixture.merchant.id,
    };
    return { specs: groups.map((group) => ({ kind: 'plain', url, merchantId: filterOf[group] })), registered: () => sockets.length };
  }

  return {
    key: 'fanout',
    title: 'f. Subscription fan-out',
    payrailDoes: `closePayin over HTTP; payinChanged (the admin app's row) to ${subscriberCount} graphql-ws subscribers (3 merchants' users, staff)`,
    rawDoes: `UPDATE + pg_notify in one transaction; one LISTEN connection reads the row once, sends it to ${subscriberCount} plain WebSockets by merchant`,
    ...size,
    // One change at a time: each operation is one fan-out, finished when its last subscriber has it.
    concurrency: 1,
    async prepare() {
      for (const name of ['A', 'B', 'C'] as const) merchants[name] = await seedPayinMerchant(bench, `Bench fan-out ${name}`);
      // Pending payins to close, made before anyone subscribes (a creation is a change too).
      const orderNoOf = new Map<string, string>();
      for (const name of ['A', 'B'] as const) {
        for (let n = 0; n < perMerchant; n++) {
          const outTradeNo = `BENCH-FANOUT-${bench.tag}-${name}-${n}`;
          await createPayinThroughApi(merchants[name], outTradeNo);
          const row = await env.prisma.order.findFirstOrThrow({ where: { outTradeNo, merchantId: merchants[name].fixture.merchant.id }, select: { id: true, orderNo: true } });
          pending.payrail[name].push(row);
          orderNoOf.set(row.id, row.orderNo);
        }
      }
      recordCommits(orderNoOf);

      return {
        payrail: {
          async setup() {
            await sides.payrail.open(await graphqlSubscribers());
            await waitUntilLive();
          },
          async run(i) {
            keys.payrail.push(await payrailChange(merchantOf(i)));
          },
          async verify(operations) {
            check(keys.payrail.length === operations, `${operations} changes expected, made ${keys.payrail.length}`);
            const deliveries = sides.payrail.verify(keys.payrail, mchIds());
            latency.payrail = percentiles(sides.payrail.latencies(keys.payrail.slice(size.warmup)));
            return [`${operations} changes, ${deliveries} deliveries: every allowed subscriber got each change exactly once; merchant C's subscribers, and B's of A's changes (and A's of B's), nothing`];
          },
        },
        raw: {
          async setup() {
            // A copy of the same payins, PENDING again, so the raw side sends the same rows.
            await pool.query(`CREATE TABLE ${RAW_TABLE} AS SELECT * FROM orders WHERE "outTradeNo" LIKE 'BENCH-FANOUT-${bench.tag}-%'`);
            await pool.query(`UPDATE ${RAW_TABLE} SET status = 'PENDING', "orderNo" = 'R' || "orderNo"`);
            await pool.query(`ALTER TABLE ${RAW_TABLE} ADD PRIMARY KEY (id)`);
            const { rows } = await pool.query<{ id: string; orderNo: string; merchantId: string }>(
              `SELECT id, "orderNo", "merchantId" FROM ${RAW_TABLE} ORDER BY "outTradeNo"`,
            );
            for (const name of ['A', 'B'] as const) pending.raw[name] = rows.filter((r) => r.merchantId === merchants[name].fixture.merchant.id);
            const raw = await startRawFanout();
            await sides.raw.open(raw.specs);
            const deadline = Date.now() + 10_000;
            while (raw.registered() < subscriberCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
            check(raw.registered() === subscriberCount, `${raw.registered()} of ${subscriberCount} plain sockets registered`);
          },
          async run(i) {
            const merchant = merchantOf(i);
            const payin = nextPayin('raw', merchant);
            const key = sides.raw.expect(payin.orderNo, 'CLOSED', merchant);
            keys.raw.push(key);
            await inTransaction(pool, async (tx) => {
              await tx.query(`UPDATE ${RAW_TABLE} SET status = 'CLOSED', sequence = sequence + 1, "updatedAt" = now() WHERE id = $1`, [payin.id]);
              await tx.query('SELECT pg_notify($1, $2)', [RAW_CHANNEL, payin.id]);
            });
            sides.raw.committedAt.set(key, now());
            await sides.raw.delivered(key);
          },
          async verify(operations) {
            check(keys.raw.length === operations, `${operations} changes expected, made ${keys.raw.length}`);
            const deliveries = sides.raw.verify(keys.raw, mchIds());
            latency.raw = percentiles(sides.raw.latencies(keys.raw.slice(size.warmup)));
            return [`${operations} changes, ${deliveries} deliveries, each to exactly its merchant's (and staff's) sockets`];
          },
        },
        async notes() {
          await cleanup();
          const line = (label: string, p: Latency | undefined) =>
            p ? `${label}: commit → subscriber per delivery (measured changes) p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} / max ${ms(p.max)} ms` : `${label}: —`;
          return [
            `${subscriberCount} subscribers (${SHARES.map(([g, s]) => `${g} ${Math.round(s * 100)} %`).join(', ')}); a change of A reaches ${sides.payrail.audienceSize('A')} of them, of B ${sides.payrail.audienceSize('B')}`,
            line('Payrail', latency.payrail),
            line('raw', latency.raw),
            'ops/s and p50/p95 in the table are per change, from the request until its last subscriber has it (Payrail: including the closePayin HTTP call)',
          ];
        },
      };
    },
  };
}
