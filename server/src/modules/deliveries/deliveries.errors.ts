import { DomainError } from '../../lib/errors.ts';

export class DeliveryNotFoundError extends DomainError {
  constructor(deliveryId: string) {
    super('DELIVERY_NOT_FOUND', 'delivery not found', { deliveryId });
  }
}

/** Only a delivery that has finished (SENT or FAILED) can be resent; a PENDING one is already queued. */
export class DeliveryNotResendableError extends DomainError {
  constructor(deliveryId: string, status: string) {
    super('DELIVERY_NOT_RESENDABLE', `a ${status} delivery cannot be resent`, { deliveryId, status });
  }
}
