import type { PrismaClient, Tx } from '../../db/prisma.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { isDomainError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { AppServices } from '../../services.ts';
import { applyUpstreamPaymentInTx } from '../payins/operations/apply-upstream-payment.ts';
import { inTransaction } from '../shared/process.ts';
import { PAYOUT_TX_OPTIONS } from '../payouts/payouts.transition.ts';

import { applyUpstreamPayoutInTx } from '../payouts/operations/apply-upstream-payout.ts';

import type { CallbackHeaders, UpstreamPayoutStatus, UpstreamStatus } from './connectors/connector.ts';
import { getConnector, hasConnector } from './connectors/registry.ts';

/**
 * Incoming provider callbacks, as one domain operation: `receiveUpstreamCallback` verifies the
 * callback with its channel's connector, records it, applies it to the payin or payout it names and
 * returns a verdict; the route (rest/upstream.routes.ts) only maps the verdict to HTTP.
 *
 * Every callback is recorded (UpstreamCallback) with its verdict. A verified one is committed as
 * RECEIVED with what it says (`intent`) before anything is applied, then applied in a second
 * transaction that also stamps the row with the outcome, and only then is the verdict PROCESSED. A process that dies between the two leaves a RECEIVED row: the janitor re-applies it
 * (reapplyUnappliedCallbacks) whether or not the upstream retries. Applying is idempotent (payments
 * per (channel, txn id), statuses by their state machines) and each row is applied under its own row
 * lock, checked to be still RECEIVED: a callback is never applied twice.
 */

export const RECEIVED = 'RECEIVED';

export type UpstreamCallbackIntent =
  | {
      subject: 'payin';
      orderRef: string;
      status: UpstreamStatus;
      payments: Array<{ txnId: string; amount: string; paidAt: string }>;
      reason: string | null;
      eventKey: string;
    }
  | { subject: 'payout'; payoutRef: string; status: UpstreamPayoutStatus; reason: string | null; eventKey: string };

export interface UpstreamCallbackServices {
  prisma: PrismaClient;
  events: EventBus;
  log: Logger;
}

/** What became of an incoming callback. Unexpected failures are thrown instead (the upstream should retry). */
export type CallbackVerdict =
  /** Applied, a duplicate, or ignored (out of order): the upstream may stop retrying. */
  | { verdict: 'PROCESSED'; outcome: UpstreamApplyOutcome }
  /** No such channel, or its connector is not installed. */
  | { verdict: 'UNKNOWN_CHANNEL' }
  /** The signature does not verify (or the channel has no credentials): nothing applied. */
  | { verdict: 'BAD_SIGNATURE'; reason: string | null }
  /** Verified but not understood (unknown event, bad transactions). */
  | { verdict: 'MALFORMED'; reason: string | null }
  /** It names a payin or payout we do not know. */
  | { verdict: 'NOT_FOUND'; code: 'ORDER_NOT_FOUND' | 'PAYOUT_NOT_FOUND' }
  /** The payin or payout belongs to another channel. */
  | { verdict: 'CHANNEL_MISMATCH' };

/**
 * Verifies, records and applies one provider callback (`rawBody` exactly as received: the signature
 * covers those bytes). Returns the verdict; throws on unexpected failures, after marking the recorded
 * callback so the janitor does not apply it too.
 */
export async function receiveUpstreamCallback(
  services: UpstreamCallbackServices & Pick<AppServices, 'secrets' | 'config'>,
  input: { channelCode: string; rawBody: string; headers: CallbackHeaders },
): Promise<CallbackVerdict> {
  const channel = await services.prisma.channel.findUnique({ where: { code: input.channelCode } });
  if (!channel || !hasConnector(channel.connector)) return { verdict: 'UNKNOWN_CHANNEL' };

  const parsed = await getConnector(channel.connector).parseCallback(
    { db: services.prisma, secrets: services.secrets, config: services.config },
    input.rawBody,
    input.headers,
    channel,
  );
  const recordRefused = (result: string) =>
    services.prisma.upstreamCallback.create({
      data: { channelId: channel.id, eventKey: parsed.eventKey.slice(0, 160), signatureValid: parsed.verified, body: input.rawBody, result },
      select: { id: true },
    });

  if (!parsed.verified) {
    await recordRefused('REJECTED_SIGNATURE');
    services.log.warn({ channel: channel.code, reason: parsed.reason }, 'upstream callback signature rejected');
    return { verdict: 'BAD_SIGNATURE', reason: parsed.reason ?? null };
  }
  let intent: UpstreamCallbackIntent;
  if (parsed.subject === 'payout') {
    if (!parsed.payoutStatus || !parsed.orderRef) {
      await recordRefused('MALFORMED');
      return { verdict: 'MALFORMED', reason: parsed.reason ?? null };
    }
    intent = { subject: 'payout', payoutRef: parsed.orderRef, status: parsed.payoutStatus, reason: parsed.reason ?? null, eventKey: parsed.eventKey };
  } else {
    if (!parsed.status || !parsed.orderRef) {
      await recordRefused('MALFORMED');
      return { verdict: 'MALFORMED', reason: parsed.reason ?? null };
    }
    intent = {
      subject: 'payin',
      orderRef: parsed.orderRef,
      status: parsed.status,
      payments: parsed.payments.map((p) => ({ txnId: p.txnId, amount: p.amount.toString(), paidAt: p.paidAt.toISOString() })),
      reason: parsed.reason ?? null,
      eventKey: parsed.eventKey,
    };
  }

  // Durable before anything is applied or acknowledged: should this process die from here on, the
  // janitor applies the recorded callback (reapplyUnappliedCallbacks).
  const callbackId = await recordReceivedCallback(services.prisma, { channelId: channel.id, eventKey: parsed.eventKey, body: input.rawBody, intent });
  try {
    const outcome = await applyRecordedCallback(services, callbackId);
    services.log.debug({ channel: channel.code, outcome }, 'upstream callback processed');
    return { verdict: 'PROCESSED', outcome };
  } catch (error) {
    if (isDomainError(error, 'ORDER_NOT_FOUND') || isDomainError(error, 'PAYOUT_NOT_FOUND')) {
      await markCallbackResult(services.prisma, callbackId, error.code);
      return { verdict: 'NOT_FOUND', code: error.code as 'ORDER_NOT_FOUND' | 'PAYOUT_NOT_FOUND' };
    }
    if (isDomainError(error, 'UPSTREAM_CHANNEL_MISMATCH')) {
      await markCallbackResult(services.prisma, callbackId, 'CHANNEL_MISMATCH');
      return { verdict: 'CHANNEL_MISMATCH' };
    }
    // Not acknowledged: the upstream retries. Marked, so the janitor does not apply it too.
    await markCallbackResult(services.prisma, callbackId, isDomainError(error) ? `ERROR_${error.code}` : 'ERROR').catch(() => {});
    throw error;
  }
}

export type UpstreamApplyOutcome = 'APPLIED' | 'DUPLICATE' | 'IGNORED' | 'NOTED';

/** Commits a verified callback as RECEIVED, before anything is applied. */
export async function recordReceivedCallback(
  prisma: PrismaClient,
  input: { channelId: string; eventKey: string; body: string; intent: UpstreamCallbackIntent },
): Promise<string> {
  const row = await prisma.upstreamCallback.create({
    data: { channelId: input.channelId, eventKey: input.eventKey.slice(0, 160), signatureValid: true, body: input.body, result: RECEIVED, intent: input.intent },
    select: { id: true },
  });
  return row.id;
}

/** Marks a RECEIVED callback with why it could not be applied (unknown order, other channel, error). */
export async function markCallbackResult(prisma: PrismaClient, id: string, result: string): Promise<void> {
  await prisma.upstreamCallback.updateMany({ where: { id, result: RECEIVED }, data: { result: result.slice(0, 64) } });
}

/**
 * Applies a RECEIVED callback and stamps it with the outcome, in one transaction holding the callback
 * row's lock. A row no longer RECEIVED (applied meanwhile by the janitor or the route) gives DUPLICATE
 * and changes nothing. Domain errors (ORDER_NOT_FOUND, PAYOUT_NOT_FOUND, UPSTREAM_CHANNEL_MISMATCH)
 * are thrown with nothing applied.
 */
export async function applyRecordedCallback(services: UpstreamCallbackServices, id: string): Promise<UpstreamApplyOutcome> {
  const row = await services.prisma.upstreamCallback.findUnique({
    where: { id },
    select: { id: true, result: true, intent: true, channel: { select: { id: true, code: true } } },
  });
  if (!row || row.result !== RECEIVED || !row.intent) return 'DUPLICATE';
  const intent = row.intent as unknown as UpstreamCallbackIntent;
  const channel = row.channel;

  const claim = async (tx: Tx): Promise<boolean> => {
    const locked = await tx.$queryRaw<{ result: string | null }[]>`SELECT result FROM upstream_callbacks WHERE id = ${id}::uuid FOR UPDATE`;
    return locked[0]?.result === RECEIVED;
  };
  const stamp = (tx: Tx, outcome: string) => tx.upstreamCallback.update({ where: { id }, data: { result: outcome, appliedAt: new Date() }, select: { id: true } });

  if (intent.subject === 'payout') {
    return inTransaction(services, async (tx, outbox) => {
      if (!(await claim(tx))) return 'DUPLICATE';
      const applied = await applyUpstreamPayoutInTx(tx, outbox, {
        channelId: channel.id,
        channelCode: channel.code,
        payoutRef: intent.payoutRef,
        status: intent.status,
        reason: intent.reason,
        eventKey: intent.eventKey,
        source: 'callback',
      });
      await stamp(tx, applied.outcome);
      return applied.outcome;
    }, PAYOUT_TX_OPTIONS);
  }
  return inTransaction(services, async (tx, outbox) => {
    if (!(await claim(tx))) return 'DUPLICATE';
    const applied = await applyUpstreamPaymentInTx(tx, outbox, {
      channelId: channel.id,
      channelCode: channel.code,
      orderRef: intent.orderRef,
      status: intent.status,
      payments: intent.payments.map((p) => ({ txnId: p.txnId, amount: BigInt(p.amount), paidAt: new Date(p.paidAt) })),
      eventKey: intent.eventKey,
      reason: intent.reason,
    });
    await stamp(tx, applied.outcome);
    return applied.outcome;
  });
}

/**
 * Janitor: callbacks still RECEIVED `afterSeconds` after they arrived (the process applying them died)
 * are applied now. Returns how many were applied or found applied; failures are logged and marked.
 */
export async function reapplyUnappliedCallbacks(
  services: UpstreamCallbackServices,
  opts: { afterSeconds: number; limit?: number },
): Promise<{ reapplied: number; errors: number }> {
  const before = new Date(Date.now() - opts.afterSeconds * 1000);
  const rows = await services.prisma.upstreamCallback.findMany({
    where: { result: RECEIVED, createdAt: { lte: before } },
    orderBy: { createdAt: 'asc' },
    take: opts.limit ?? 200,
    select: { id: true },
  });
  const summary = { reapplied: 0, errors: 0 };
  for (const { id } of rows) {
    try {
      const outcome = await applyRecordedCallback(services, id);
      summary.reapplied++;
      services.log.info({ upstreamCallbackId: id, outcome }, 'upstream callback re-applied after an interruption');
    } catch (error) {
      summary.errors++;
      // A domain refusal is final (the upstream was never acknowledged for it either); anything else is
      // tried again next round.
      if (isDomainError(error)) await markCallbackResult(services.prisma, id, `ERROR_${error.code}`);
      services.log.warn({ err: error, upstreamCallbackId: id }, 'could not re-apply an upstream callback');
    }
  }
  return summary;
}
