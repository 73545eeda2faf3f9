import { DomainError } from '../../lib/errors.ts';

/** Expected failures of the payout operations. rest/error-table.ts maps the codes to REST codes. */

export class PayoutNotFoundError extends DomainError {
  constructor(details?: Record<string, unknown>) {
    super('PAYOUT_NOT_FOUND', 'payout not found', details);
  }
}

export class InvalidPayoutTransitionError extends DomainError {
  constructor(from: string, to: string, reason?: string) {
    super('INVALID_TRANSITION', reason ?? `a payout cannot go from ${from} to ${to}`, { from, to });
  }
}

/** A payout submitted upstream can no longer be cancelled or rejected (seed 001). */
export class PayoutAlreadySubmittedError extends DomainError {
  constructor(payoutNo: string, status: string) {
    super('INVALID_TRANSITION', `payout ${payoutNo} was already sent to the upstream (${status}) and cannot be cancelled`, {
      from: status,
      to: 'REJECTED',
      reason: 'ALREADY_SUBMITTED',
    });
  }
}

export { RiskRejectedError } from '../risk/risk.service.ts';
