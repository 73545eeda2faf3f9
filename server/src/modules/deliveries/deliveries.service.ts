import { randomUUID } from 'node:crypto';
import type { Db, Prisma, Tx } from '../../db/prisma.ts';
import type { ActorType, DeliveryStatus, PostbackStatus } from '../../generated/prisma/enums.ts';
import type { JobContext } from '../../jobs/job-context.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { DeliveryNotFoundError, DeliveryNotResendableError } from './deliveries.errors.ts';
import { recordAudit } from '../audit/audit.service.ts';

/**
 * Callbacks (postbacks) to merchants — REST-CONTRACT "Callbacks".
 *
 * A status change records a Delivery (the exact signed body, the subject's sequence) and enqueues one
 * flush job per subject, all in the transaction that changes the status: a committed change never
 * loses its callback and a rolled-back one never sends one. The flush job (deliveries.jobs.ts) sends
 * a subject's PENDING deliveries one by one in `sequence` order; a failing head delivery holds the
 * later ones back until it is acknowledged or gives up.
 */

export type CallbackEventType = 'payin.status_changed' | 'payout.status_changed' | 'fund_request.status_changed';

/** What a callback is about: one order, payout or fund request. */
export type DeliverySubject = { orderId: string } | { payoutId: string } | { fundRequestId: string };

export type SubjectKind = 'order' | 'payout' | 'fund_request';
export interface SubjectRef {
  kind: SubjectKind;
  id: string;
}

export const FLUSH_TASK = 'deliveries:flush';

export interface FlushPayload {
  /** `order:<uuid>`, `payout:<uuid>` or `fund_request:<uuid>`. */
  subjectKey: string;
  /** App whose platform key signs (the Delivery row has no app column); absent: the subject's app. */
  appDbId?: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Retry schedule

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Waits after failed attempt 1, 2, … 9 (REST-CONTRACT "Callbacks"): 15 s, 1 min, 5 min, 15 min, 1 h,
 * 3 h, 6 h, 12 h, 24 h. Ten attempts spread over about 1.9 days; the tenth failure gives up.
 */
export const CALLBACK_RETRY_DELAYS_MS: readonly number[] = [
  15 * SECOND,
  1 * MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  1 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];
export const CALLBACK_MAX_ATTEMPTS = CALLBACK_RETRY_DELAYS_MS.length + 1;
/** ±10 %: spreads retries of many deliveries that failed together (a merchant outage). */
export const CALLBACK_RETRY_JITTER = 0.1;

/**
 * How long to wait after failed attempt number `attempt` (1-based, counted over the delivery's whole
 * life) before the next one, in milliseconds; null once `attempt` ≥ 10: the delivery gives up.
 * A resent delivery keeps counting, so one that already used its ten attempts gets exactly one more
 * attempt per resend.
 *
 * `scale` divides every wait (tests run the two-day schedule in seconds); `random` is for tests.
 */
export function callbackRetrySchedule(attempt: number, opts: { scale?: number; random?: () => number } = {}): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  const base = CALLBACK_RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return null;
  const scale = opts.scale ?? callbackRetryScale();
  const jitter = 1 + ((opts.random ?? Math.random)() * 2 - 1) * CALLBACK_RETRY_JITTER;
  return Math.max(1, Math.round((base * jitter) / scale));
}

/**
 * CALLBACK_RETRY_SCALE: a divisor of the retry waits (default 1), for tests and demos only; ignored in
 * production so a stray setting can never hammer a merchant's server.
 */
export function callbackRetryScale(): number {
  if (process.env.NODE_ENV === 'production') return 1;
  const raw = process.env.CALLBACK_RETRY_SCALE;
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

// ---------------------------------------------------------------------------------------------------
// Enqueue

export interface EnqueueCallbackInput {
  merchantId: string;
  /** The app whose platform key signs; null (back-office orders, fund requests): the merchant's first app. */
  appDbId: string | null;
  subject: DeliverySubject;
  eventType: CallbackEventType;
  /** The subject's status sequence after the change; callbacks of a subject are delivered in this order. */
  sequence: number;
  /** The order's notify_url, else the app's notify URL; null: nobody to notify. */
  url: string | null;
  /** The order / payout / fund request object of the REST contract, already formatted (no bigint). */
  data: Record<string, unknown>;
}

/**
 * Records a callback and schedules its delivery, inside the caller's transaction (the one that changes
 * the status). With no URL it records nothing and returns null. Publishing 'delivery:changed' for the
 * new delivery, if wanted, is the caller's job after commit.
 */
export async function enqueueCallback(tx: Db, input: EnqueueCallbackInput): Promise<{ deliveryId: string } | null> {
  if (input.url === null || input.url === '') return null;
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError(`sequence must be an integer ≥ 0, got ${input.sequence}`);
  const ref = subjectRef(input.subject);
  const now = new Date();
  const eventId = randomUUID();
  const body = JSON.stringify({ event_id: eventId, event_type: input.eventType, created_at: now.toISOString(), data: input.data });
  const delivery = await tx.delivery.create({
    data: {
      eventId,
      eventType: input.eventType,
      merchantId: input.merchantId,
      ...subjectColumns(ref),
      url: input.url,
      body,
      sequence: input.sequence,
      status: 'PENDING',
      nextAttemptAt: now,
      createdAt: now,
    },
    select: { id: true },
  });
  await setPostbackStatus(tx, ref, 'PENDING');
  await enqueueFlush(tx, { subjectKey: deliverySubjectKey(ref), appDbId: input.appDbId });
  return { deliveryId: delivery.id };
}

// ---------------------------------------------------------------------------------------------------
// Resend

export interface DeliveryActor {
  type: ActorType;
  id?: string | null;
  label?: string | null;
  ip?: string | null;
}

export interface ResentDelivery {
  id: string;
  merchantId: string;
  status: DeliveryStatus;
  attemptCount: number;
}

/**
 * Longer than the 10 s HTTP timeout: a claim outlives its attempt, so no second flush sends meanwhile
 * (deliveries.jobs.ts). A claim whose worker died is settled sooner, when the worker is found dead.
 */
export const CLAIM_LEASE_MS = 60_000;

/** A flush has claimed this delivery and is sending it right now. */
export function isInFlight(delivery: { claimedBy?: string | null; nextAttemptAt: Date | null; lastAttemptAt: Date | null }): boolean {
  if (delivery.claimedBy) return true;
  return !!delivery.nextAttemptAt && !!delivery.lastAttemptAt && delivery.nextAttemptAt.getTime() - delivery.lastAttemptAt.getTime() === CLAIM_LEASE_MS;
}

/**
 * Queues a delivery to go out now, inside the caller's transaction (subject row locked): a SENT or
 * FAILED one becomes PENDING again, due now; a PENDING one waiting for its next retry is made due now,
 * together with every PENDING delivery of the subject ordered before it, so the flush still sends the
 * subject's callbacks in (sequence, createdAt) order. A delivery a flush is sending right now is left
 * alone (it is being sent). Returns false if the delivery changed under us.
 */
export async function requeueDelivery(
  tx: Tx,
  delivery: { id: string; status: DeliveryStatus; orderId: string | null; payoutId: string | null; fundRequestId: string | null; sequence: number; createdAt: Date },
  now: Date,
): Promise<boolean> {
  if (delivery.status !== 'PENDING') {
    const { count } = await tx.delivery.updateMany({
      where: { id: delivery.id, status: { in: ['SENT', 'FAILED'] } },
      data: { status: 'PENDING', nextAttemptAt: now },
    });
    return count === 1;
  }
  const ref = subjectOfDelivery(delivery);
  const waiting = await tx.delivery.findMany({
    where: {
      ...subjectColumns(ref),
      status: 'PENDING',
      OR: [
        { sequence: { lt: delivery.sequence } },
        { sequence: delivery.sequence, createdAt: { lte: delivery.createdAt } },
      ],
    },
    select: { id: true, attemptCount: true, nextAttemptAt: true, lastAttemptAt: true, claimedBy: true },
  });
  if (!waiting.some((d) => d.id === delivery.id)) return false;
  for (const d of waiting) {
    if (isInFlight(d) || !d.nextAttemptAt || d.nextAttemptAt <= now) continue;
    // Conditional: a flush that claims it meanwhile moves nextAttemptAt, and then this does nothing.
    await tx.delivery.updateMany({
      where: { id: d.id, status: 'PENDING', attemptCount: d.attemptCount, nextAttemptAt: d.nextAttemptAt, claimedBy: null },
      data: { nextAttemptAt: now },
    });
  }
  return true;
}

/**
 * Staff resend: a SENT or FAILED delivery is queued again (PENDING, due now) and its subject flushed;
 * a PENDING one that is waiting for a retry is sent now, after the subject's earlier callbacks (see
 * requeueDelivery). Its attempts keep counting (see callbackRetrySchedule). Throws DELIVERY_NOT_FOUND.
 * Given the root client it runs its own transaction; given a transaction it joins it.
 */
export async function resendDelivery(db: Db, deliveryId: string, actor?: DeliveryActor): Promise<ResentDelivery> {
  if (!UUID.test(deliveryId)) throw new DeliveryNotFoundError(deliveryId);
  return inTransaction(db, async (tx) => {
    const found = await tx.delivery.findUnique({ where: { id: deliveryId }, select: { orderId: true, payoutId: true, fundRequestId: true } });
    if (!found) throw new DeliveryNotFoundError(deliveryId);
    const ref = subjectOfDelivery(found);
    // Lock order: subject row, then delivery rows (the same as the flush job's writes).
    await lockSubject(tx, ref);
    const delivery = await tx.delivery.findUniqueOrThrow({
      where: { id: deliveryId },
      select: { id: true, merchantId: true, orderId: true, payoutId: true, fundRequestId: true, status: true, attemptCount: true, sequence: true, createdAt: true },
    });
    const now = new Date();
    if (!(await requeueDelivery(tx, delivery, now))) {
      const current = await tx.delivery.findUnique({ where: { id: deliveryId }, select: { status: true } });
      throw new DeliveryNotResendableError(deliveryId, current?.status ?? delivery.status);
    }
    await setPostbackStatus(tx, ref, 'PENDING');
    if (actor) {
      await recordAudit(tx, actor, {
        action: 'delivery.resend',
        merchantId: delivery.merchantId,
        entityType: 'Delivery',
        entityId: deliveryId,
        before: { status: delivery.status, attemptCount: delivery.attemptCount },
        after: { status: 'PENDING' },
      });
    }
    await enqueueFlush(tx, { subjectKey: deliverySubjectKey(ref) });
    return { id: deliveryId, merchantId: delivery.merchantId, status: 'PENDING' as const, attemptCount: delivery.attemptCount };
  });
}

// ---------------------------------------------------------------------------------------------------
// Shared with the flush job

/**
 * Schedules the subject's flush. One job key per subject: a pending flush is updated instead of adding
 * another (a flush that is already running gets a successor). `replace` (default) moves the pending
 * flush to `runAt` (now when absent); `preserve_run_at` keeps an existing pending flush's time and only
 * creates one at `runAt` when there is none — for a flush that merely found nothing due, so it never
 * postpones a retry that the flush owning the attempt scheduled.
 */
export async function enqueueFlush(db: Db, payload: FlushPayload, runAt?: Date, mode: 'replace' | 'preserve_run_at' = 'replace'): Promise<void> {
  await enqueueJob(db, FLUSH_TASK, payload, { jobKey: `deliveries:${payload.subjectKey}`, jobKeyMode: mode, ...(runAt ? { runAt } : {}) });
}

export function subjectRef(subject: DeliverySubject): SubjectRef {
  if ('orderId' in subject) return { kind: 'order', id: subject.orderId };
  if ('payoutId' in subject) return { kind: 'payout', id: subject.payoutId };
  return { kind: 'fund_request', id: subject.fundRequestId };
}

export function subjectOfDelivery(delivery: { orderId: string | null; payoutId: string | null; fundRequestId: string | null }): SubjectRef {
  if (delivery.orderId) return { kind: 'order', id: delivery.orderId };
  if (delivery.payoutId) return { kind: 'payout', id: delivery.payoutId };
  if (delivery.fundRequestId) return { kind: 'fund_request', id: delivery.fundRequestId };
  throw new Error('delivery has no subject');
}

export function deliverySubjectKey(ref: SubjectRef): string {
  return `${ref.kind}:${ref.id}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseDeliverySubjectKey(key: unknown): SubjectRef | null {
  if (typeof key !== 'string') return null;
  const match = /^(order|payout|fund_request):(.+)$/.exec(key);
  if (!match || !UUID.test(match[2] ?? '')) return null;
  return { kind: match[1] as SubjectKind, id: match[2] as string };
}

/** Delivery columns naming the subject. */
export function subjectColumns(ref: SubjectRef): Pick<Prisma.DeliveryUncheckedCreateInput, 'orderId' | 'payoutId' | 'fundRequestId'> {
  switch (ref.kind) {
    case 'order':
      return { orderId: ref.id };
    case 'payout':
      return { payoutId: ref.id };
    case 'fund_request':
      return { fundRequestId: ref.id };
  }
}

/** Row lock on the subject: serialises postback-status writes with the status changes that enqueue. */
export async function lockSubject(tx: Tx, ref: SubjectRef): Promise<void> {
  switch (ref.kind) {
    case 'order':
      await tx.$queryRaw`SELECT 1 FROM orders WHERE id = ${ref.id}::uuid FOR UPDATE`;
      return;
    case 'payout':
      await tx.$queryRaw`SELECT 1 FROM payouts WHERE id = ${ref.id}::uuid FOR UPDATE`;
      return;
    case 'fund_request':
      await tx.$queryRaw`SELECT 1 FROM fund_requests WHERE id = ${ref.id}::uuid FOR UPDATE`;
      return;
  }
}

/** Orders and payouts show a postback status (seed 002); fund requests have none. */
export async function setPostbackStatus(db: Db, ref: SubjectRef, postbackStatus: PostbackStatus): Promise<void> {
  if (ref.kind === 'order') await db.order.update({ where: { id: ref.id }, data: { postbackStatus }, select: { id: true } });
  else if (ref.kind === 'payout') await db.payout.update({ where: { id: ref.id }, data: { postbackStatus }, select: { id: true } });
}

/** The subject's app (orders and payouts carry one; back-office ones and fund requests do not). */
export async function subjectAppId(db: Db, ref: SubjectRef): Promise<string | null> {
  if (ref.kind === 'order') return (await db.order.findUnique({ where: { id: ref.id }, select: { appId: true } }))?.appId ?? null;
  if (ref.kind === 'payout') return (await db.payout.findUnique({ where: { id: ref.id }, select: { appId: true } }))?.appId ?? null;
  return null;
}

async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return '$transaction' in db ? db.$transaction(fn) : fn(db);
}

// ---------------------------------------------------------------------------------------------------
// Janitor

/**
 * Safety net: deliveries that should have been attempted more than `graceMs` (default a minute) ago but
 * are still PENDING (their flush job was lost): schedule their subject's flush again (`preserve_run_at`,
 * so a flush that is already waiting keeps its time). A claim of a worker that died is not waited for
 * here: the dead-worker sweep settles it (releaseDeadClaims). Returns how many subjects were re-scheduled.
 */
export async function sweepStuckDeliveries(db: Db, opts: { now?: Date; graceMs?: number; limit?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const before = new Date(now.getTime() - (opts.graceMs ?? 60_000));
  const stuck = await db.$queryRaw<{ orderId: string | null; payoutId: string | null; fundRequestId: string | null; appId: string | null }[]>`
    SELECT DISTINCT d."orderId", d."payoutId", d."fundRequestId",
      COALESCE(o."appId", p."appId") AS "appId"
    FROM deliveries d
    LEFT JOIN orders o ON o.id = d."orderId"
    LEFT JOIN payouts p ON p.id = d."payoutId"
    WHERE d.status = 'PENDING' AND d."nextAttemptAt" <= ${before}
    LIMIT ${opts.limit ?? 200}`;
  for (const row of stuck) {
    const ref = subjectOfDelivery(row);
    await enqueueFlush(db, { subjectKey: deliverySubjectKey(ref), appDbId: row.appId }, undefined, 'preserve_run_at');
  }
  return stuck.length;
}

/** What an attempt cut short by its worker's death records (the merchant may or may not have received it). */
export const INTERRUPTED_ATTEMPT_ERROR = 'interrupted: the worker sending it stopped before an answer was recorded';

/**
 * Settles the callback claims held by dead workers (graphile pool ids), for the dead-worker sweep
 * (jobs/heartbeat.ts). The interrupted attempt counts as a failed attempt (the merchant may have got
 * it: callbacks are at-least-once) and the next one is due by the normal retry schedule, counted from
 * the interrupted attempt (CALLBACK_RETRY_SCALE applies); with no attempt left the delivery gives up
 * (FAILED). The subject's flush is scheduled for that time. Each delivery is its own transaction and
 * only changes while still claimed by that worker with the same attempt count, so two sweeps never
 * record it twice. Returns how many claims were settled.
 */
export async function releaseDeadClaims(
  db: Db,
  workerIds: string[],
  opts: { now?: Date; events?: Pick<JobContext['events'], 'publish'> } = {},
): Promise<number> {
  if (workerIds.length === 0) return 0;
  const claimed = await db.delivery.findMany({
    where: { status: 'PENDING', claimedBy: { in: workerIds } },
    select: { id: true, merchantId: true, orderId: true, payoutId: true, fundRequestId: true, attemptCount: true, lastAttemptAt: true, claimedBy: true },
  });
  let settled = 0;
  for (const delivery of claimed) {
    const ref = subjectOfDelivery(delivery);
    const now = opts.now ?? new Date();
    const attemptNo = delivery.attemptCount + 1;
    const interruptedAt = delivery.lastAttemptAt ?? now;
    const delay = callbackRetrySchedule(attemptNo);
    const status: DeliveryStatus = delay === null ? 'FAILED' : 'PENDING';
    const nextAttemptAt = delay === null ? null : new Date(Math.max(now.getTime(), interruptedAt.getTime() + delay));
    const done = await inTransaction(db, async (tx) => {
      await lockSubject(tx, ref);
      const { count } = await tx.delivery.updateMany({
        where: { id: delivery.id, status: 'PENDING', claimedBy: delivery.claimedBy, attemptCount: delivery.attemptCount },
        data: { status, attemptCount: attemptNo, nextAttemptAt, claimedBy: null },
      });
      if (count === 0) return false; // settled by another sweep, or the attempt got recorded after all
      await tx.deliveryAttempt.create({
        data: { deliveryId: delivery.id, attemptNo, requestedAt: interruptedAt, statusCode: null, latencyMs: 0, responseExcerpt: null, error: INTERRUPTED_ATTEMPT_ERROR },
      });
      if (status === 'FAILED') {
        await setPostbackStatus(tx, ref, 'ERROR');
        // Later callbacks of the subject were waiting behind this one.
        await enqueueFlush(tx, { subjectKey: deliverySubjectKey(ref), appDbId: await subjectAppId(tx, ref) });
      } else {
        await enqueueFlush(tx, { subjectKey: deliverySubjectKey(ref), appDbId: await subjectAppId(tx, ref) }, nextAttemptAt ?? undefined);
      }
      return true;
    });
    if (!done) continue;
    settled++;
    opts.events?.publish('delivery:changed', { id: delivery.id, merchantId: delivery.merchantId, orderId: delivery.orderId, payoutId: delivery.payoutId, fundRequestId: delivery.fundRequestId, status });
  }
  return settled;
}
