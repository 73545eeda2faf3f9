/**
 * The one base class for expected business failures.
 *
 * `code` is stable and SCREAMING_SNAKE (e.g. `AMOUNT_OUT_OF_RANGE`); it is what GraphQL error results
 * and the REST code table switch on, so never change a code once shipped. `message` is for humans and
 * logs. `details` carries machine-readable context (`field`, `min`, `max` …) and must be JSON-safe at
 * the edges (format bigints before they get here, or let the edge adapter do it).
 *
 * Module errors either subclass it (`class PayinNotFoundError extends DomainError`) or construct it
 * directly (`new DomainError('ORDER_NOT_FOUND', 'order not found', { orderNo })`).
 */
export class DomainError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    if (!isErrorCode(code)) {
      throw new TypeError(`DomainError code must be SCREAMING_SNAKE, got ${JSON.stringify(code)}`);
    }
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

const ERROR_CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** True when `code` is a valid SCREAMING_SNAKE error code. */
export function isErrorCode(code: string): boolean {
  return ERROR_CODE.test(code);
}

/** Narrows `error` to a DomainError, optionally with a given code. */
export function isDomainError(error: unknown, code?: string): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
