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

/** A fresh callback was asked for, but the order or payout has no notify URL (nor its app one). */
export class NoNotifyUrlError extends DomainError {
  constructor(subject: string, id: string) {
    super('NO_NOTIFY_URL', `the ${subject} has no notify URL to send a callback to`, { [`${subject}Id`]: id });
  }
}
