import { enqueueJob } from '../../../jobs/queue.ts';
import { DomainError } from '../../../lib/errors.ts';
import { recordAudit, type AuditActor } from '../../audit/audit.service.ts';
import { type Actor, inTransaction } from '../../shared/process.ts';
import { SUBMIT_TASK, submitJobKey, type PayoutsServices } from '../payouts.context.ts';
import { PayoutAlreadySubmittedError, PayoutNotFoundError } from '../payouts.errors.ts';
import { releasePayoutFunds, reversePayoutFunds } from '../payouts.ledger.ts';
import { presentPayout, lockPayout, transitionPayout, type LoadedPayout, PAYOUT_TX_OPTIONS } from '../payouts.transition.ts';
import type { PayoutObject } from '../payouts.presenter.ts';
import { notifyPayoutStatus } from '../payouts.notify.ts';

/**
 * Back-office decisions on payouts, each one transaction with its audit row:
 *   approvePayout  REVIEW → PENDING and the submit job is scheduled
 *   rejectPayout   REVIEW or PENDING → REJECTED, funds released; a payout already sent upstream
 *                  (PROCESSING or later) cannot be cancelled (seed 001) — INVALID_TRANSITION
 *   reversePayout  SUCCEEDED → REVERSED by staff (the bank returned the money), ledger negated
 * A reason/note is required for reject and reverse.
 */

export interface ReviewInput {
  payoutId: string;
  actor: AuditActor;
  note?: string | null;
  /** Set for merchant users: the payout must belong to this merchant (else PAYOUT_NOT_FOUND). */
  merchantId?: string | null;
}

export interface ReviewResult {
  payout: LoadedPayout;
  object: PayoutObject;
}

function requireNote(note: string | null | undefined, what: string): string {
  const trimmed = (note ?? '').trim();
  if (trimmed === '') throw new DomainError('INVALID_PARAMETER', `note: a reason is required to ${what}`, { field: 'note' });
  if (trimmed.length > 1000) throw new DomainError('INVALID_PARAMETER', 'note: at most 1000 characters', { field: 'note' });
  return trimmed;
}

async function lockForReview(tx: Parameters<typeof lockPayout>[0], input: ReviewInput): Promise<LoadedPayout> {
  const payout = await lockPayout(tx, { id: input.payoutId });
  if (!payout || (input.merchantId && payout.merchantId !== input.merchantId)) throw new PayoutNotFoundError({ id: input.payoutId });
  return payout;
}

const asActor = (a: AuditActor): Actor => ({ type: a.type, id: a.id ?? null });

export async function approvePayout(services: PayoutsServices, input: ReviewInput): Promise<ReviewResult> {
  const note = input.note?.trim() || null;
  const payout = await inTransaction(services, async (tx, outbox) => {
    const current = await lockForReview(tx, input);
    const updated = await transitionPayout(tx, outbox, current, 'PENDING', {
      type: 'REVIEW_APPROVED',
      message: note ? `approved: ${note}` : 'approved',
      actor: asActor(input.actor),
      patch: { reviewNote: note, reviewedById: input.actor.type === 'USER' ? (input.actor.id ?? null) : null, reviewedAt: new Date() },
    });
    await notifyPayoutStatus(tx, updated);
    await enqueueJob(tx, SUBMIT_TASK, { payoutId: updated.id }, { jobKey: submitJobKey(updated.id), maxAttempts: 10 });
    await recordAudit(tx, input.actor, {
      action: 'payout.approve',
      merchantId: updated.merchantId,
      entityType: 'Payout',
      entityId: updated.id,
      before: { status: current.status },
      after: { status: updated.status, note },
    });
    return updated;
  }, PAYOUT_TX_OPTIONS);
  return { payout, object: await presentPayout(services.prisma, payout) };
}

export async function rejectPayout(services: PayoutsServices, input: ReviewInput): Promise<ReviewResult> {
  const note = requireNote(input.note, 'reject a payout');
  const payout = await inTransaction(services, async (tx, outbox) => {
    const current = await lockForReview(tx, input);
    if (current.status !== 'REVIEW' && current.status !== 'PENDING') throw new PayoutAlreadySubmittedError(current.payoutNo, current.status);
    const actor = asActor(input.actor);
    await releasePayoutFunds(tx, current, actor, 'REJECTED');
    const updated = await transitionPayout(tx, outbox, current, 'REJECTED', {
      type: 'REVIEW_REJECTED',
      message: `rejected: ${note}`,
      actor,
      patch: {
        reviewNote: note,
        failureReason: note,
        reviewedById: input.actor.type === 'USER' ? (input.actor.id ?? null) : null,
        reviewedAt: new Date(),
        finishedAt: new Date(),
      },
    });
    await notifyPayoutStatus(tx, updated);
    await recordAudit(tx, input.actor, {
      action: 'payout.reject',
      merchantId: updated.merchantId,
      entityType: 'Payout',
      entityId: updated.id,
      before: { status: current.status },
      after: { status: updated.status, note },
    });
    return updated;
  }, PAYOUT_TX_OPTIONS);
  return { payout, object: await presentPayout(services.prisma, payout) };
}

export async function reversePayout(services: PayoutsServices, input: ReviewInput): Promise<ReviewResult> {
  const note = requireNote(input.note, 'reverse a payout');
  const payout = await inTransaction(services, async (tx, outbox) => {
    const current = await lockForReview(tx, input);
    const actor = asActor(input.actor);
    if (current.status !== 'SUCCEEDED') {
      throw new DomainError('INVALID_TRANSITION', `only a successful payout can be reversed; this one is ${current.status}`, {
        from: current.status,
        to: 'REVERSED',
      });
    }
    await reversePayoutFunds(tx, current, actor, note);
    const updated = await transitionPayout(tx, outbox, current, 'REVERSED', { type: 'MANUAL_REVERSAL', message: `reversed: ${note}`, actor });
    await notifyPayoutStatus(tx, updated);
    await recordAudit(tx, input.actor, {
      action: 'payout.reverse',
      merchantId: updated.merchantId,
      entityType: 'Payout',
      entityId: updated.id,
      before: { status: current.status },
      after: { status: updated.status, note },
    });
    return updated;
  }, PAYOUT_TX_OPTIONS);
  return { payout, object: await presentPayout(services.prisma, payout) };
}
