import type { PrismaClient, Tx } from '../../db/prisma.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { isDomainError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { applyUpstreamPaymentInTx } from '../orders/operations/apply-upstream-payment.ts';
import { inTransaction } from '../shared/process.ts';
import { PAYOUT_TX_OPTIONS } from '../payouts/payouts.transition.ts';

import { applyUpstreamPayoutInTx } from '../payouts/operations/apply-upstream-payout.ts';

import type { UpstreamPayoutStatus, UpstreamStatus } from './connectors/connector.ts';

/**
 * Verified upstream callbacks, recorded before they are applied.
 *
 * The route (rest/upstream.routes.ts) commits the callback as RECEIVED with what it says (`intent`),
 * then applies it in a second transaction that also stamps the row with the outcome, and only then
 * answers 200. A process that dies between the two leaves a RECEIVED row: the janitor re-applies it
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
