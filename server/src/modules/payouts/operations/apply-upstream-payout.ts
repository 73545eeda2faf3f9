import type { Tx } from '../../../db/prisma.ts';
import type { Actor, Outbox } from '../../shared/process.ts';
import type { UpstreamPayoutStatus } from '../../routing/connectors/connector.ts';
import { DomainError } from '../../../lib/errors.ts';
import { PayoutNotFoundError } from '../payouts.errors.ts';
import { releasePayoutFunds, reversePayoutFunds, settlePayoutFunds } from '../payouts.ledger.ts';
import { lockPayout, recordPayoutEvent, transitionPayout, type LoadedPayout } from '../payouts.transition.ts';
import { notifyPayoutStatus } from '../payouts.notify.ts';

/**
 * Applies what an upstream says about a payout — from its callback, or from a status query (janitor).
 *
 *   SUCCEEDED   PROCESSING → SUCCEEDED: frozen amount + fee settled (fee to FEES). Repeated: DUPLICATE.
 *   FAILED      PROCESSING → FAILED: funds released to the merchant. Repeated: DUPLICATE.
 *   REVERSED    SUCCEEDED → REVERSED: everything posted for the payout is negated (money back).
 *               On a PROCESSING payout (the bank returned it before confirming): FAILED, funds released.
 *   PROCESSING  "accepted" / "sent to the bank": a timeline note, never a success.
 *   NOT_FOUND   (queries only) the upstream never received it: when it never confirmed the payout
 *               (no upstream reference) the payout FAILS and funds are released; when it had
 *               confirmed it, this is suspicious and only noted for staff.
 * A verdict contradicting a final status (success after failure …) changes nothing and is noted as
 * CONFLICTING_UPSTREAM_RESULT for staff: money may have left twice or not at all.
 */

export interface UpstreamPayoutInput {
  channelId: string;
  channelCode?: string;
  payoutRef: string;
  status: UpstreamPayoutStatus;
  upstreamRef?: string | null;
  stage?: string | null;
  reason?: string | null;
  eventKey?: string | null;
  source: 'callback' | 'query' | 'submit';
}

export type PayoutApplyOutcome = 'APPLIED' | 'DUPLICATE' | 'NOTED' | 'IGNORED';

export interface PayoutApplyResult {
  outcome: PayoutApplyOutcome;
  payout: LoadedPayout;
}

export class PayoutChannelMismatchError extends DomainError {
  constructor(payoutNo: string) {
    super('UPSTREAM_CHANNEL_MISMATCH', `payout ${payoutNo} is not handled by this channel`, { payoutNo });
  }
}

export async function applyUpstreamPayoutInTx(tx: Tx, outbox: Outbox, input: UpstreamPayoutInput): Promise<PayoutApplyResult> {
  const payout = await lockPayout(tx, { payoutNo: input.payoutRef });
  if (!payout) throw new PayoutNotFoundError({ payoutNo: input.payoutRef });
  if (payout.channelId !== input.channelId) throw new PayoutChannelMismatchError(payout.payoutNo);
  const actor: Actor = { type: 'UPSTREAM', id: input.channelCode ?? input.channelId };
  const data = { source: input.source, upstreamStatus: input.status, ...(input.eventKey ? { eventKey: input.eventKey } : {}), ...(input.stage ? { stage: input.stage } : {}) };
  const note = async (type: string, message: string) => recordPayoutEvent(tx, payout.id, { type, message, data, actor });
  const patchRef = input.upstreamRef && !payout.upstreamRef ? { upstreamRef: input.upstreamRef } : {};
  const now = new Date();

  switch (input.status) {
    case 'SUCCEEDED': {
      if (payout.status === 'SUCCEEDED') return { outcome: 'DUPLICATE', payout };
      if (payout.status !== 'PROCESSING') {
        await note('CONFLICTING_UPSTREAM_RESULT', `the upstream reports success but the payout is ${payout.status}; check with the upstream`);
        return { outcome: 'IGNORED', payout };
      }
      await settlePayoutFunds(tx, payout, actor);
      const updated = await transitionPayout(tx, outbox, payout, 'SUCCEEDED', {
        message: 'the upstream confirmed the payout',
        data,
        actor,
        patch: { ...patchRef, finishedAt: now },
      });
      await notifyPayoutStatus(tx, updated);
      return { outcome: 'APPLIED', payout: updated };
    }
    case 'FAILED':
    case 'NOT_FOUND': {
      if (payout.status === 'FAILED' && input.status === 'FAILED') return { outcome: 'DUPLICATE', payout };
      if (payout.status !== 'PROCESSING') {
        await note('CONFLICTING_UPSTREAM_RESULT', `the upstream reports ${input.status} but the payout is ${payout.status}; check with the upstream`);
        return { outcome: 'IGNORED', payout };
      }
      if (input.status === 'NOT_FOUND' && payout.upstreamRef) {
        await note('UPSTREAM_NOT_FOUND', `the upstream no longer knows payout ${payout.upstreamRef}, which it had accepted; left PROCESSING for staff`);
        return { outcome: 'NOTED', payout };
      }
      await releasePayoutFunds(tx, payout, actor, 'FAILED');
      const reason = input.status === 'NOT_FOUND' ? 'the upstream has no record of the payout: it was never received' : (input.reason ?? 'the upstream reported a failure');
      const updated = await transitionPayout(tx, outbox, payout, 'FAILED', {
        message: reason.slice(0, 1000),
        data,
        actor,
        patch: { ...patchRef, failureReason: reason.slice(0, 1000), finishedAt: now },
      });
      await notifyPayoutStatus(tx, updated);
      return { outcome: 'APPLIED', payout: updated };
    }
    case 'REVERSED': {
      if (payout.status === 'REVERSED') return { outcome: 'DUPLICATE', payout };
      if (payout.status === 'PROCESSING') {
        await releasePayoutFunds(tx, payout, actor, 'FAILED');
        const reason = input.reason ?? 'the bank returned the payout before it was confirmed';
        const updated = await transitionPayout(tx, outbox, payout, 'FAILED', {
          message: reason.slice(0, 1000),
          data,
          actor,
          patch: { ...patchRef, failureReason: reason.slice(0, 1000), finishedAt: now },
        });
        await notifyPayoutStatus(tx, updated);
        return { outcome: 'APPLIED', payout: updated };
      }
      if (payout.status !== 'SUCCEEDED') {
        await note('CONFLICTING_UPSTREAM_RESULT', `the upstream reports a reversal but the payout is ${payout.status}`);
        return { outcome: 'IGNORED', payout };
      }
      await reversePayoutFunds(tx, payout, actor, input.reason ?? null);
      const updated = await transitionPayout(tx, outbox, payout, 'REVERSED', {
        message: input.reason ?? 'the upstream reversed the payout: the money came back',
        data,
        actor,
      });
      await notifyPayoutStatus(tx, updated);
      return { outcome: 'APPLIED', payout: updated };
    }
    case 'PROCESSING': {
      if (Object.keys(patchRef).length > 0) await tx.payout.update({ where: { id: payout.id }, data: patchRef });
      await note('UPSTREAM_PROCESSING', `the upstream is still processing the payout${input.stage ? ` (${input.stage})` : ''}`);
      return { outcome: 'NOTED', payout };
    }
  }
}
