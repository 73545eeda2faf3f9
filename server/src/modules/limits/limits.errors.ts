import { DomainError } from '../../lib/errors.ts';

/** Expected failures of the available-range lookup (the SPA's limit hints). */

/** A staff viewer asked without choosing a merchant. */
export class MerchantRequiredError extends DomainError {
  constructor() {
    super('BAD_USER_INPUT', 'choose a merchant (merchantId)', { reason: 'MERCHANT_REQUIRED', field: 'merchantId' });
  }
}

/** The service is not activated for the merchant, or the viewer may not read that activation. */
export class ServiceNotActivatedError extends DomainError {
  constructor(serviceCode: string) {
    super('NOT_FOUND', `service ${serviceCode} is not activated for this merchant`, { reason: 'SERVICE_NOT_ACTIVATED' });
  }
}

/** The channel is not bound to the service, or the viewer may not read it. */
export class ChannelNotBoundError extends DomainError {
  constructor() {
    super('NOT_FOUND', 'this channel is not bound to the service', { reason: 'CHANNEL_NOT_BOUND' });
  }
}
