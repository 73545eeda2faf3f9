import type { PayoutStatus } from '../../generated/prisma/enums.ts';
import { InvalidPayoutTransitionError } from './payouts.errors.ts';

/**
 * The payout state machine as data (DESIGN.md "State machines"). Funds are frozen when the payout is
 * created, so every state before a final one holds the merchant's money.
 *
 *   REVIEW ──► PENDING ──► PROCESSING ──► SUCCEEDED ──► REVERSED
 *     │           │             └──► FAILED            (funds released)
 *     └──► REJECTED ◄──┘                                (funds released; never once PROCESSING)
 *
 *   PENDING    created, funds frozen, waiting for the submit job
 *   REVIEW     held by a risk rule until finance approves (→ PENDING) or rejects (→ REJECTED)
 *   PROCESSING marked before the upstream is called, so a crash can never send it twice; from here
 *              the payout is the upstream's and cannot be cancelled
 */
export const PAYOUT_TRANSITIONS: Readonly<Record<PayoutStatus, readonly PayoutStatus[]>> = {
  REVIEW: ['PENDING', 'REJECTED'],
  PENDING: ['PROCESSING', 'REJECTED'],
  PROCESSING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: ['REVERSED'],
  FAILED: [],
  REJECTED: [],
  REVERSED: [],
};

/** Statuses whose funds are still frozen. */
export const FROZEN_PAYOUT_STATUSES: readonly PayoutStatus[] = ['REVIEW', 'PENDING', 'PROCESSING'];

export function canTransitionPayout(from: PayoutStatus, to: PayoutStatus): boolean {
  return PAYOUT_TRANSITIONS[from].includes(to);
}

export function assertPayoutTransition(from: PayoutStatus, to: PayoutStatus, reason?: string): void {
  if (!canTransitionPayout(from, to)) throw new InvalidPayoutTransitionError(from, to, reason);
}

export function isFinalPayout(status: PayoutStatus): boolean {
  return PAYOUT_TRANSITIONS[status].length === 0;
}
