import { DomainError } from '../../lib/errors.ts';

/**
 * Expected failures of fund management (recharge, withdrawal, merchant transfer, destinations).
 * Codes are stable: the GraphQL error unions and the REST error table switch on them.
 *
 *   FUND_REQUEST_NOT_FOUND       no such request (or not visible to the given merchant)
 *   INVALID_TRANSITION           the request is not NEW any more (details { from, to })
 *   DESTINATION_NOT_FOUND        no such destination of this merchant
 *   DESTINATION_IN_USE           a NEW withdrawal still pays out to it
 *   DESTINATION_LIMIT_REACHED    the merchant already stores the maximum number of destinations
 *   TARGET_MERCHANT_NOT_FOUND    no merchant with that account number (mchId)
 *   TARGET_MERCHANT_NOT_ACTIVE   the transfer's target is suspended or closed
 *   SELF_TRANSFER                a merchant cannot transfer to itself
 *   CURRENCY_MISMATCH            the destination holds another currency than the request
 *   CURRENCY_NOT_SUPPORTED       unknown or disabled currency
 *   MERCHANT_NOT_FOUND           the requesting merchant does not exist
 *   MERCHANT_SUSPENDED           the requesting merchant is not ACTIVE
 *   INVALID_PARAMETER / INVALID_AMOUNT (details.field)
 *   INSUFFICIENT_BALANCE         (from the ledger) available balance below amount + fee
 */

export class FundRequestNotFoundError extends DomainError {
  constructor(details?: Record<string, unknown>) {
    super('FUND_REQUEST_NOT_FOUND', 'fund request not found', details);
  }
}

export class InvalidFundTransitionError extends DomainError {
  constructor(from: string, to: string, reason?: string) {
    super('INVALID_TRANSITION', reason ?? `a fund request cannot go from ${from} to ${to}`, { from, to });
  }
}

export class DestinationNotFoundError extends DomainError {
  constructor(id?: string) {
    super('DESTINATION_NOT_FOUND', 'destination not found', id ? { id } : undefined);
  }
}

export class DestinationInUseError extends DomainError {
  constructor(id: string, requestNo: string) {
    super('DESTINATION_IN_USE', `withdrawal ${requestNo} waiting for review pays out to this destination`, { id, requestNo });
  }
}

export class DestinationLimitError extends DomainError {
  constructor(max: number) {
    super('DESTINATION_LIMIT_REACHED', `a merchant can store at most ${max} destinations`, { max });
  }
}

export class TargetMerchantNotFoundError extends DomainError {
  constructor(mchId: string) {
    super('TARGET_MERCHANT_NOT_FOUND', `no merchant with account number ${mchId}`, { field: 'targetMchId', mchId });
  }
}

export class TargetMerchantNotActiveError extends DomainError {
  constructor(mchId: string, status: string) {
    super('TARGET_MERCHANT_NOT_ACTIVE', `merchant ${mchId} cannot receive transfers (${status})`, { field: 'targetMchId', mchId, status });
  }
}

export class SelfTransferError extends DomainError {
  constructor() {
    super('SELF_TRANSFER', 'a merchant cannot transfer to its own account', { field: 'targetMchId' });
  }
}

export class CurrencyMismatchError extends DomainError {
  constructor(expected: string, got: string) {
    super('CURRENCY_MISMATCH', `the destination holds ${expected}, the request is in ${got}`, { field: 'currency', expected, got });
  }
}

export class CurrencyNotSupportedError extends DomainError {
  constructor(currency: string) {
    super('CURRENCY_NOT_SUPPORTED', `currency ${currency} is not available`, { field: 'currency', currency });
  }
}

export class MerchantNotFoundError extends DomainError {
  constructor() {
    super('MERCHANT_NOT_FOUND', 'merchant not found');
  }
}

export class MerchantSuspendedError extends DomainError {
  constructor(status: string) {
    super('MERCHANT_SUSPENDED', `the merchant is ${status} and cannot request fund movements`, { status });
  }
}

export class InvalidParameterError extends DomainError {
  constructor(field: string, message: string) {
    super('INVALID_PARAMETER', `${field}: ${message}`, { field });
  }
}
