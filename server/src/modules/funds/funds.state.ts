import type { FundRequestStatus } from '../../generated/prisma/enums.ts';
import { InvalidFundTransitionError } from './funds.errors.ts';

/**
 * Fund request states (seed 002 withdrawals: New / Rejected / Approved; plus the merchant's cancel):
 *
 *   NEW ──► APPROVED    finance approves (money moves)
 *    ├───► REJECTED    finance rejects, with a note (frozen money is released)
 *    └───► CANCELLED   the merchant withdraws its own request (frozen money is released)
 *
 * Every other move is INVALID_TRANSITION: a decided request stays decided.
 */
export const FUND_TRANSITIONS: Readonly<Record<FundRequestStatus, readonly FundRequestStatus[]>> = {
  NEW: ['APPROVED', 'REJECTED', 'CANCELLED'],
  APPROVED: [],
  REJECTED: [],
  CANCELLED: [],
};

export function canTransitionFund(from: FundRequestStatus, to: FundRequestStatus): boolean {
  return FUND_TRANSITIONS[from].includes(to);
}

/** Throws INVALID_TRANSITION (details { from, to }) unless the table allows from → to. */
export function assertFundTransition(from: FundRequestStatus, to: FundRequestStatus): void {
  if (!canTransitionFund(from, to)) {
    throw new InvalidFundTransitionError(from, to, from === to ? `the fund request is already ${from}` : `a ${from} fund request cannot become ${to}`);
  }
}
