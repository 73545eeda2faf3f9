import type { Channel } from '../../../generated/prisma/client.ts';
import { enqueueJob } from '../../../jobs/queue.ts';
import { getConnector, hasConnector } from '../../routing/connectors/registry.ts';
import { SUBMIT_TASK, submitJobKey, type PayoutsServices } from '../payouts.context.ts';
import { toPayoutRequest } from '../payouts.request.ts';
import { findPayout, recordPayoutEvent, PAYOUT_TX_OPTIONS } from '../payouts.transition.ts';
import { applyUpstreamPayoutInTx, type PayoutApplyOutcome } from './apply-upstream-payout.ts';
import { inTransaction } from '../../shared/process.ts';

/**
 * The payout half of the stuck-state janitor (cron, every minute):
 *  - PROCESSING with a submission that never recorded an answer (no event after SUBMITTING): the submit
 *    job died mid-call (its re-run skips a PROCESSING payout). Asked of the upstream at once when the
 *    dead-worker sweep names it (`interruptedSubmits`: its submit job was held by a dead worker), else
 *    after PAYOUT_SUBMIT_STALLED_SECONDS — not after PAYOUT_RECONCILE_AFTER_SECONDS. Asked once this
 *    way; an upstream that still says "processing" is then re-queried on the normal schedule.
 *  - PROCESSING longer than PAYOUT_RECONCILE_AFTER_SECONDS and not queried within that window: ask the
 *    connector (`queryPayout`) and apply its answer like a callback. "Still processing / sent to the
 *    bank" is only noted: a payout is SUCCEEDED only when the upstream says so.
 *  - PENDING for over a minute (its submit job lost, e.g. the queue was restored from a backup):
 *    schedule the submit job again (same job key: never two at once; the job re-checks the status).
 * Each payout is its own transaction; a connector error is logged and retried next round.
 */

export interface ReconcileSummary {
  queried: number;
  resolved: number;
  resubmitted: number;
  errors: number;
}

export async function reconcilePayouts(
  services: PayoutsServices,
  opts: { now?: Date; limit?: number; interruptedSubmits?: string[] } = {},
): Promise<ReconcileSummary> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 100;
  const cutoff = new Date(now.getTime() - services.config.PAYOUT_RECONCILE_AFTER_SECONDS * 1000);
  const summary: ReconcileSummary = { queried: 0, resolved: 0, resubmitted: 0, errors: 0 };

  const stalledCutoff = new Date(now.getTime() - services.config.PAYOUT_SUBMIT_STALLED_SECONDS * 1000);
  const interrupted = (opts.interruptedSubmits ?? []).filter((id) => UUID.test(id));
  const stuck = await services.prisma.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM payouts p
    WHERE p.status = 'PROCESSING' AND p."submittedAt" <= ${cutoff}
      AND NOT EXISTS (
        SELECT 1 FROM payout_events e
        WHERE e."payoutId" = p.id AND e.type = 'UPSTREAM_QUERIED' AND e."createdAt" > ${cutoff})
    UNION
    SELECT p.id FROM payouts p
    WHERE p.status = 'PROCESSING' AND p."submittedAt" > ${cutoff}
      AND (p."submittedAt" <= ${stalledCutoff} OR p.id = ANY(${interrupted}::uuid[]))
      AND EXISTS (SELECT 1 FROM payout_events s WHERE s."payoutId" = p.id AND s.type = 'SUBMITTING')
      AND NOT EXISTS (
        SELECT 1 FROM payout_events e
        WHERE e."payoutId" = p.id
          AND e.id > (SELECT max(s.id) FROM payout_events s WHERE s."payoutId" = p.id AND s.type = 'SUBMITTING'))
    LIMIT ${limit}`;
  for (const { id } of stuck) {
    try {
      const outcome = await reconcileOne(services, id);
      summary.queried++;
      if (outcome === 'APPLIED') summary.resolved++;
    } catch (error) {
      summary.errors++;
      services.log.warn({ err: error, payoutId: id }, 'payout reconciliation failed; retried next round');
    }
  }

  const lost = await services.prisma.payout.findMany({
    where: { status: 'PENDING', createdAt: { lte: new Date(now.getTime() - 60_000) } },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  for (const { id } of lost) {
    await enqueueJob(services.prisma, SUBMIT_TASK, { payoutId: id }, { jobKey: submitJobKey(id), jobKeyMode: 'preserve_run_at', maxAttempts: 10 });
    summary.resubmitted++;
  }
  return summary;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Queries one payout's upstream and applies the answer; returns what happened. */
export async function reconcileOne(services: PayoutsServices, payoutId: string): Promise<PayoutApplyOutcome | 'SKIPPED'> {
  const payout = await findPayout(services.prisma, { id: payoutId });
  if (!payout || payout.status !== 'PROCESSING' || !payout.channelId) return 'SKIPPED';
  const channel = await services.prisma.channel.findUniqueOrThrow({ where: { id: payout.channelId } });
  if (!hasConnector(channel.connector)) return 'SKIPPED';
  const connector = getConnector(channel.connector);
  if (!connector.queryPayout) return 'SKIPPED';
  const state = await connector.queryPayout(
    { db: services.prisma, secrets: services.secrets, config: services.config },
    await toPayoutRequest(services.prisma, payout),
    channel as Channel,
  );
  return inTransaction(services, async (tx, outbox) => {
    await recordPayoutEvent(tx, payoutId, {
      type: 'UPSTREAM_QUERIED',
      message: `asked the upstream: ${state.status}${state.stage ? ` (${state.stage})` : ''}`,
      data: { status: state.status, ...(state.stage ? { stage: state.stage } : {}), ...(state.reason ? { reason: state.reason } : {}) },
      actor: { type: 'SYSTEM' },
    });
    const result = await applyUpstreamPayoutInTx(tx, outbox, {
      channelId: channel.id,
      channelCode: channel.code,
      payoutRef: payout.payoutNo,
      status: state.status,
      upstreamRef: state.upstreamRef ?? null,
      stage: state.stage ?? null,
      reason: state.reason ?? null,
      source: 'query',
    });
    return result.outcome;
  }, PAYOUT_TX_OPTIONS);
}
