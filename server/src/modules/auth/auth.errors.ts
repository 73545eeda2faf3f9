import { DomainError } from '../../lib/errors.ts';

/** Stable codes of authentication failures (GraphQL `extensions.code`). */
export const AUTH_ERROR_CODES = [
  /** Unknown email or wrong password: one message for both. */
  'INVALID_CREDENTIALS',
  /** Too many failures: locked until `lockedUntil`. */
  'ACCOUNT_LOCKED',
  /** Password accepted; a session waiting for the second factor was started (cookie set). */
  'MFA_REQUIRED',
  /** Wrong, malformed or replayed TOTP code. */
  'MFA_INVALID',
  'USER_DISABLED',
  /** Too many sign-in attempts from this address: retry after `retryAfterSeconds`. */
  'RATE_LIMITED',
  /** The new password breaks the policy (`details.rule`: MIN_LENGTH, EQUALS_EMAIL, UNCHANGED). */
  'PASSWORD_POLICY',
  'TOTP_ALREADY_ENABLED',
  /** confirmTotpEnrolment without startTotpEnrolment first. */
  'TOTP_ENROLMENT_NOT_STARTED',
  /** verifyTotp on a session that owes no second factor, or a user without TOTP. */
  'TOTP_NOT_ENABLED',
  /** API token permissions the creator does not hold or that tokens cannot have. */
  'INVALID_PERMISSIONS',
  'API_TOKEN_NOT_FOUND',
  'INVALID_INPUT',
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export class AuthError extends DomainError {
  declare readonly code: AuthErrorCode;
  readonly lockedUntil: Date | null;
  readonly retryAfterSeconds: number | null;
  readonly enrolmentRequired: boolean;

  constructor(
    code: AuthErrorCode,
    message: string,
    extra: { lockedUntil?: Date | null; retryAfterSeconds?: number | null; enrolmentRequired?: boolean; details?: Record<string, unknown> } = {},
  ) {
    // The extras travel in `details` too, so every adapter shows them beside the code (GraphQL extensions).
    const details: Record<string, unknown> = { ...extra.details };
    if (extra.lockedUntil) details.lockedUntil = extra.lockedUntil.toISOString();
    if (extra.retryAfterSeconds !== undefined && extra.retryAfterSeconds !== null) details.retryAfterSeconds = extra.retryAfterSeconds;
    if (extra.enrolmentRequired !== undefined) details.enrolmentRequired = extra.enrolmentRequired;
    super(code, message, Object.keys(details).length ? details : undefined);
    this.lockedUntil = extra.lockedUntil ?? null;
    this.retryAfterSeconds = extra.retryAfterSeconds ?? null;
    this.enrolmentRequired = extra.enrolmentRequired ?? false;
  }
}

export const invalidCredentials = () => new AuthError('INVALID_CREDENTIALS', 'email or password is incorrect');
