import type { KeyObject } from 'node:crypto';
export { CLAIM_LEASE_MS } from './deliveries.service.ts';
import type { JobContext, JobModule, JobTask } from '../../jobs/job-context.ts';
import type { DeliveryStatus } from '../../generated/prisma/enums.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { openPlatformPrivateKey } from '../apps/platform-keys.ts';
import { postCallback, type CallbackResult } from './deliveries.sender.ts';
import {
  CLAIM_LEASE_MS,
  FLUSH_TASK,
  isInFlight,
  callbackRetrySchedule,
  deliverySubjectKey,
  enqueueFlush,
  lockSubject,
  parseDeliverySubjectKey,
  releaseDeadClaims,
  setPostbackStatus,
  subjectAppId,
  subjectColumns,
  type FlushPayload,
  type SubjectRef,
} from './deliveries.service.ts';

/**
 * The `deliveries:flush` task: delivers one subject's PENDING callbacks strictly in (sequence,
 * createdAt) order.
 *
 * For the head delivery it claims the attempt, POSTs, and records the attempt. Acknowledged: on to the
 * next delivery. Failed with retries left: it re-enqueues itself for the head's next attempt (in the
 * same transaction that records the failure) and stops, so later callbacks of the subject wait behind
 * it. Gave up: on to the next delivery.
 *
 * Two flushes of one subject can run at once (a running job whose key is reused gets a successor);
 * the claim keeps them from sending the same delivery twice: a conditional UPDATE moves the head's
 * nextAttemptAt to a lease in the future, and only the flush whose UPDATE matched sends. A second
 * flush that sees the head in flight looks again two seconds later (the owner schedules the real
 * retry when the attempt fails); one that sees it backing off schedules the flush for its due time.
 * Per-subject graphile queues (queue_name) would serialise too, but graphile-worker warns against
 * high-cardinality queue names (one row per queue, never collected).
 *
 * HTTP failures never throw (they are recorded and rescheduled); unexpected errors (database, a
 * sealed key that does not open) throw and graphile-worker retries the job. The signing key is opened
 * before the claim, so a key that does not open leaves no lease that would hold its retries back.
 */

/** How soon a flush that found the head in flight looks again. */
const IN_FLIGHT_RECHECK_MS = 2_000;

/** A claim sets lastAttemptAt = claim time and nextAttemptAt = claim time + lease; a recorded attempt moves both. */
const isClaimLease = isInFlight;
/** Deliveries sent by one job run before it hands over to a fresh job (fairness between subjects). */
const MAX_DELIVERIES_PER_RUN = 50;
const NO_PLATFORM_KEY = 'no platform key';

interface HeadDelivery {
  id: string;
  merchantId: string;
  orderId: string | null;
  payoutId: string | null;
  fundRequestId: string | null;
  url: string;
  body: string;
  sequence: number;
  createdAt: Date;
  attemptCount: number;
  nextAttemptAt: Date | null;
}

const flush: JobTask = async (payload, ctx) => {
  const { subjectKey, appDbId } = (payload ?? {}) as Partial<FlushPayload>;
  const ref = parseDeliverySubjectKey(subjectKey);
  if (!ref) {
    ctx.log.warn({ subjectKey }, 'deliveries:flush: malformed subject key, dropped');
    return;
  }
  await flushSubject(ctx, ref, appDbId ?? null);
};

export const deliveryTasks: Record<string, JobTask> = {
  [FLUSH_TASK]: flush,
};

/** The delivery worker's jobs; callback attempts claimed by a dead worker are settled by the dead-worker sweep. */
export const deliveryJobs: JobModule = {
  tasks: deliveryTasks,
  releaseDeadClaims: (ctx, workerIds) => releaseDeadClaims(ctx.prisma, workerIds, { events: ctx.events }),
};

export async function flushSubject(ctx: JobContext, ref: SubjectRef, appDbIdHint: string | null): Promise<void> {
  const subjectKey = deliverySubjectKey(ref);
  const log = ctx.log.child({ task: FLUSH_TASK, subject: subjectKey });
  for (let sent = 0; sent < MAX_DELIVERIES_PER_RUN; sent++) {
    const head = await ctx.prisma.delivery.findFirst({
      where: { ...subjectColumns(ref), status: 'PENDING' },
      orderBy: [{ sequence: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, merchantId: true, orderId: true, payoutId: true, fundRequestId: true, url: true, body: true, sequence: true, createdAt: true, attemptCount: true, nextAttemptAt: true, lastAttemptAt: true },
    });
    if (!head) return;

    const now = new Date();
    if (head.nextAttemptAt && head.nextAttemptAt > now) {
      // Another flush has the head in flight: look again shortly (it may succeed and stop before it
      // sees a delivery added meanwhile). Backing off: come back exactly when it is due. Either way
      // the flush job is moved, never left later than needed (an enqueue of a new callback may have
      // moved the pending retry to now, so the due time has to be restored here).
      const inFlight = isClaimLease(head);
      const due = inFlight ? new Date(now.getTime() + IN_FLIGHT_RECHECK_MS) : head.nextAttemptAt;
      await enqueueFlush(ctx.prisma, { subjectKey, appDbId: appDbIdHint }, due);
      return;
    }
    // The key before the claim: one that does not open throws here, leaving no lease behind (a lease
    // without an attempt would hold the subject "in flight" for CLAIM_LEASE_MS on every retry).
    const signingKey = await findSigningKey(ctx, ref, head.merchantId, appDbIdHint);
    const claimed = await ctx.prisma.delivery.updateMany({
      where: {
        id: head.id,
        status: 'PENDING',
        attemptCount: head.attemptCount,
        OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
      },
      // claimedBy: should this worker die mid-attempt, the dead-worker sweep (jobs/heartbeat.ts) settles
      // the claim at once instead of waiting out the lease.
      data: { nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS), lastAttemptAt: now, claimedBy: ctx.workerId ?? null },
    });
    if (claimed.count === 0) continue; // changed under us: look at the head again

    const outcome = await attempt(ctx, ref, head, appDbIdHint, signingKey, log);
    if (outcome.status === 'PENDING') return; // rescheduled in the same transaction as the failure
  }
  // More to send: continue in a fresh job so other subjects get a turn.
  await enqueueFlush(ctx.prisma, { subjectKey, appDbId: appDbIdHint });
}

async function attempt(
  ctx: JobContext,
  ref: SubjectRef,
  head: HeadDelivery,
  appDbIdHint: string | null,
  signingKey: SigningKey | null,
  log: JobContext['log'],
): Promise<{ status: DeliveryStatus }> {
  const attemptNo = head.attemptCount + 1;

  let result: CallbackResult;
  if (!signingKey) {
    result = { requestedAt: new Date(), statusCode: null, latencyMs: 0, responseExcerpt: null, error: NO_PLATFORM_KEY, acknowledged: false };
  } else {
    result = await postCallback({
      url: head.url,
      body: head.body,
      serial: signingKey.serial,
      privateKey: signingKey.key,
      allowPrivateNetworks: ctx.config.callbackAllowPrivateNetworks,
    });
  }

  let status: DeliveryStatus;
  let nextAttemptAt: Date | null = null;
  if (result.acknowledged) {
    status = 'SENT';
  } else {
    const delay = signingKey ? callbackRetrySchedule(attemptNo) : null;
    if (delay === null) {
      status = 'FAILED';
    } else {
      status = 'PENDING';
      nextAttemptAt = new Date(Date.now() + delay);
    }
  }

  const subjectKey = deliverySubjectKey(ref);
  await ctx.prisma.$transaction(async (tx) => {
    // Lock order: subject row, then the delivery (as resendDelivery does).
    await lockSubject(tx, ref);
    await tx.deliveryAttempt.create({
      data: {
        deliveryId: head.id,
        attemptNo,
        requestedAt: result.requestedAt,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        responseExcerpt: result.responseExcerpt,
        error: result.error,
      },
    });
    await tx.delivery.updateMany({
      where: { id: head.id, status: 'PENDING' },
      data: {
        status,
        attemptCount: attemptNo,
        lastAttemptAt: result.requestedAt,
        lastStatusCode: result.statusCode,
        nextAttemptAt,
        claimedBy: null,
        ...(status === 'SENT' ? { deliveredAt: new Date() } : {}),
      },
    });
    if (status === 'FAILED') {
      await setPostbackStatus(tx, ref, 'ERROR');
    } else if (status === 'SENT') {
      // The subject shows SENT once nothing is left to send and its latest callback got through.
      const pending = await tx.delivery.count({ where: { ...subjectColumns(ref), status: 'PENDING' } });
      if (pending === 0) {
        const latest = await tx.delivery.findFirst({
          where: subjectColumns(ref),
          orderBy: [{ sequence: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
          select: { status: true },
        });
        await setPostbackStatus(tx, ref, latest?.status === 'FAILED' ? 'ERROR' : 'SENT');
      }
    } else {
      // Retry later: flush again when the subject's head is due (normally this delivery; a resent one
      // with a lower sequence may have become the head meanwhile).
      const next = await tx.delivery.findFirst({
        where: { ...subjectColumns(ref), status: 'PENDING' },
        orderBy: [{ sequence: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true, nextAttemptAt: true },
      });
      const runAt = next?.id === head.id ? nextAttemptAt : (next?.nextAttemptAt ?? nextAttemptAt);
      await enqueueFlush(tx, { subjectKey, appDbId: appDbIdHint }, runAt ?? undefined);
    }
  });

  const fields = { deliveryId: head.id, sequence: head.sequence, attemptNo, statusCode: result.statusCode, latencyMs: result.latencyMs, status };
  if (status === 'SENT') log.debug(fields, 'callback acknowledged');
  else if (status === 'FAILED') log.warn({ ...fields, error: result.error }, 'callback gave up');
  else log.info({ ...fields, error: result.error, nextAttemptAt }, 'callback failed, will retry');

  // The subject columns travel with the event: read rules on deliveries depend on them.
  await ctx.events.publish('delivery:changed', {
    id: head.id, merchantId: head.merchantId, orderId: head.orderId, payoutId: head.payoutId, fundRequestId: head.fundRequestId, status,
  });
  return { status };
}

// ---------------------------------------------------------------------------------------------------
// Signing key

interface SigningKey {
  serial: string;
  key: KeyObject;
}

/**
 * The newest ACTIVE platform key (effective now, not expired) of the app that signs: the app the
 * callback was enqueued for, else the subject's app, else the merchant's first app that has one.
 * Null when there is none.
 */
async function findSigningKey(
  ctx: JobContext,
  ref: SubjectRef,
  merchantId: string,
  appDbIdHint: string | null,
): Promise<SigningKey | null> {
  const now = new Date();
  const usable = { status: 'ACTIVE' as const, effectiveAt: { lte: now }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  let appId = appDbIdHint ?? (await subjectAppId(ctx.prisma, ref));
  if (!appId) {
    const app = await ctx.prisma.app.findFirst({
      where: { merchantId, platformKeys: { some: usable } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });
    appId = app?.id ?? null;
  }
  if (!appId) return null;
  const row = await ctx.prisma.platformKey.findFirst({
    where: { appId, ...usable },
    orderBy: [{ effectiveAt: 'desc' }, { createdAt: 'desc' }],
    select: { serial: true, privateKeyEnc: true },
  });
  if (!row) return null;
  return { serial: row.serial, key: openCached(ctx.secrets, row.serial, row.privateKeyEnc) };
}

/**
 * Opened keys by serial, per secret box (parsing a PEM costs more than signing). Bounded, oldest
 * dropped first; a re-sealed key (other ciphertext under the same serial) is opened again.
 */
const openedKeys = new WeakMap<SecretBox, Map<string, { sealed: string; key: KeyObject }>>();
const OPENED_KEYS_MAX = 500;

function openCached(secrets: SecretBox, serial: string, sealed: string): KeyObject {
  let cache = openedKeys.get(secrets);
  if (!cache) openedKeys.set(secrets, (cache = new Map()));
  const hit = cache.get(serial);
  if (hit && hit.sealed === sealed) return hit.key;
  const key = openPlatformPrivateKey(secrets, serial, sealed);
  if (cache.size >= OPENED_KEYS_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(serial, { sealed, key });
  return key;
}
