import { isDomainError } from '../lib/errors.ts';

/**
 * The one table from domain error codes to the REST contract's codes (../shared/REST-CONTRACT.md
 * "Error codes"). Modules throw DomainError with their SCREAMING_SNAKE code; only this table knows the
 * numbers. A domain code missing here is a bug and answers 50001.
 */
export const REST_ERRORS = {
  INVALID_JSON: { code: 40001, status: 400 },
  INVALID_PARAMETER: { code: 40002, status: 400 },
  INVALID_AMOUNT: { code: 40002, status: 400 },
  AMOUNT_OUT_OF_RANGE: { code: 40003, status: 400 },
  NO_AVAILABLE_RANGE: { code: 40003, status: 400 },
  SERVICE_UNAVAILABLE: { code: 40004, status: 400 },
  AUTH_MISSING: { code: 40101, status: 401 },
  AUTH_BAD_SIGNATURE: { code: 40102, status: 401 },
  AUTH_STALE_TIMESTAMP: { code: 40103, status: 401 },
  AUTH_NONCE_REUSED: { code: 40104, status: 401 },
  AUTH_UNKNOWN_APP: { code: 40105, status: 401 },
  IP_NOT_WHITELISTED: { code: 40301, status: 403 },
  MERCHANT_MISMATCH: { code: 40302, status: 403 },
  MERCHANT_SUSPENDED: { code: 40302, status: 403 },
  ORDER_NOT_FOUND: { code: 40401, status: 404 },
  PAYOUT_NOT_FOUND: { code: 40401, status: 404 },
  IDEMPOTENCY_CONFLICT: { code: 40901, status: 409 },
  INVALID_TRANSITION: { code: 40902, status: 409 },
  INSUFFICIENT_BALANCE: { code: 40903, status: 409 },
  BODY_TOO_LARGE: { code: 41301, status: 413 },
  RISK_REJECTED: { code: 42201, status: 422 },
  RATE_LIMITED: { code: 42901, status: 429 },
  INTERNAL: { code: 50001, status: 500 },
  NO_CHANNEL: { code: 50301, status: 503 },
} as const satisfies Record<string, { code: number; status: number }>;

export type RestErrorName = keyof typeof REST_ERRORS;

export interface RestError {
  status: number;
  code: number;
  msg: string;
  data: Record<string, unknown> | null;
}

/** Maps a thrown error to the envelope's code, HTTP status, message and details; unknown → 50001. */
export function toRestError(error: unknown): RestError | undefined {
  if (!isDomainError(error)) return undefined;
  const entry = (REST_ERRORS as Record<string, { code: number; status: number }>)[error.code];
  if (!entry) return undefined;
  return { status: entry.status, code: entry.code, msg: error.message, data: error.details ?? null };
}
