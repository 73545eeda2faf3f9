import type { Channel } from '../../../generated/prisma/client.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import type { SubmittedPayout } from '../../routing/connectors/connector.ts';
import { getConnector } from '../../routing/connectors/registry.ts';
import type { PayoutsServices } from '../payouts.context.ts';
import { releasePayoutFunds } from '../payouts.ledger.ts';
import { toPayoutRequest } from '../payouts.request.ts';
import { lockPayout, recordPayoutEvent, transitionPayout, PAYOUT_TX_OPTIONS } from '../payouts.transition.ts';
import { applyUpstreamPayoutInTx } from './apply-upstream-payout.ts';
import { notifyPayoutStatus } from '../payouts.notify.ts';

/**
 * Job `payouts:submit`: sends a PENDING payout to its channel's upstream.
 *
 * 1. One transaction marks it PROCESSING (submittedAt) BEFORE the upstream is called: if the process
 *    dies after the call, the payout is not sent again; the janitor asks the upstream instead.
 * 2. The connector is called outside any transaction.
 * 3. Its answer is recorded: accepted (upstream reference), refused (FAILED, funds released) or, when
 *    the call throws, SUBMIT_UNCERTAIN — the payout stays PROCESSING until the upstream tells us.
 * A payout that is no longer PENDING (rejected meanwhile, already submitted) is left alone.
 */
export async function submitPayout(services: PayoutsServices, payoutId: string): Promise<'SUBMITTED' | 'SKIPPED'> {
  const system: Actor = { type: 'SYSTEM' };
  const marked = await inTransaction(services, async (tx, outbox) => {
    const payout = await lockPayout(tx, { id: payoutId });
    if (!payout || payout.status !== 'PENDING') return null;
    const channel = await tx.channel.findUniqueOrThrow({ where: { id: payout.channelId! } });
    const updated = await transitionPayout(tx, outbox, payout, 'PROCESSING', {
      type: 'SUBMITTING',
      message: `sending to channel ${channel.code}`,
      actor: system,
      patch: { submittedAt: new Date() },
    });
    await notifyPayoutStatus(tx, updated);
    return { payout: updated, channel };
  }, PAYOUT_TX_OPTIONS);
  if (!marked) return 'SKIPPED';

  const { payout, channel } = marked;
  const connector = getConnector(channel.connector);
  let answer: SubmittedPayout | null = null;
  let failure: string | null = null;
  try {
    if (!connector.submitPayout) throw new Error(`connector ${connector.kind} cannot send payouts`);
    answer = await connector.submitPayout(
      { db: services.prisma, secrets: services.secrets, config: services.config },
      await toPayoutRequest(services.prisma, payout),
      channel as Channel,
    );
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    services.log.warn({ err: error, payoutNo: payout.payoutNo, channel: channel.code }, 'payout submission outcome unknown');
  }

  const upstream: Actor = { type: 'UPSTREAM', id: channel.code };
  await inTransaction(services, async (tx, outbox) => {
    const current = await lockPayout(tx, { id: payoutId });
    if (!current) return;
    if (!answer) {
      await recordPayoutEvent(tx, payoutId, {
        type: 'SUBMIT_UNCERTAIN',
        message: `no answer from the upstream (${failure ?? 'unknown error'}); it will be queried`.slice(0, 1000),
        actor: upstream,
      });
      return;
    }
    if (answer.status === 'FAILED' && current.status === 'PROCESSING') {
      await releasePayoutFunds(tx, current, upstream, 'FAILED');
      const reason = (answer.reason ?? 'refused by the upstream').slice(0, 1000);
      const refused = await transitionPayout(tx, outbox, current, 'FAILED', {
        type: 'UPSTREAM_REFUSED',
        message: reason,
        actor: upstream,
        patch: { upstreamRef: answer.upstreamRef, failureReason: reason, finishedAt: new Date() },
      });
      await notifyPayoutStatus(tx, refused);
      return;
    }
    if (!current.upstreamRef) await tx.payout.update({ where: { id: payoutId }, data: { upstreamRef: answer.upstreamRef } });
    await recordPayoutEvent(tx, payoutId, {
      type: 'UPSTREAM_ACCEPTED',
      message: `${connector.kind} connector accepted the payout`,
      data: { upstreamRef: answer.upstreamRef },
      actor: upstream,
    });
    if (answer.status === 'SUCCEEDED') {
      await applyUpstreamPayoutInTx(tx, outbox, {
        channelId: channel.id,
        channelCode: channel.code,
        payoutRef: current.payoutNo,
        status: 'SUCCEEDED',
        upstreamRef: answer.upstreamRef,
        source: 'submit',
      });
    }
  }, PAYOUT_TX_OPTIONS);
  return 'SUBMITTED';
}
