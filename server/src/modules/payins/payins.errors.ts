import { DomainError } from '../../lib/errors.ts';

/** Expected failures of the payin operations. Codes are mapped to REST codes by rest/error-table.ts. */

export class PayinNotFoundError extends DomainError {
  constructor(details?: Record<string, unknown>) {
    super('ORDER_NOT_FOUND', 'order not found', details);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(from: string, to: string, reason?: string) {
    super('INVALID_TRANSITION', reason ?? `a payin cannot go from ${from} to ${to}`, { from, to });
  }
}

export class IdempotencyConflictError extends DomainError {
  constructor(outTradeNo: string) {
    super('IDEMPOTENCY_CONFLICT', `out_trade_no ${outTradeNo} was already used with different parameters`, { out_trade_no: outTradeNo });
  }
}

export class InvalidParameterError extends DomainError {
  constructor(field: string, message: string) {
    super('INVALID_PARAMETER', `${field}: ${message}`, { field });
  }
}

/** Simulated callbacks are for test orders only (seed 000). Not a REST error: back office only. */
export class TestPayinRequiredError extends DomainError {
  constructor() {
    super('TEST_ORDER_REQUIRED', 'callbacks can be simulated for test orders only');
  }
}

/** The order's channel is not a sandbox channel, so there is nothing to simulate with. */
export class SimulationUnsupportedError extends DomainError {
  constructor(connector: string) {
    super('SIMULATION_UNSUPPORTED', `the order's channel uses the ${connector} connector, which cannot simulate callbacks`, { connector });
  }
}

/** A verified upstream callback names an order that another channel handles. */
export class UpstreamChannelMismatchError extends DomainError {
  constructor(orderNo: string) {
    super('UPSTREAM_CHANNEL_MISMATCH', `order ${orderNo} is not handled by this channel`, { orderNo });
  }
}
