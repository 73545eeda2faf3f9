import type { Config } from '../../config/config.ts';
import type { Db, PrismaClient } from '../../db/prisma.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { hashPassword, verifyPassword } from '../../lib/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { AuthError, invalidCredentials } from './auth.errors.ts';
import { authSettings, type AuthSettings } from './auth-config.ts';
import { loginRateLimiter } from './login-rate-limit.ts';
import { consumeTotpCode } from './mfa.service.ts';
import { createSession, markSessionMfaVerified, revokeSession } from './sessions.ts';

/**
 * Signing in, in the order that leaks least:
 *   rate limit per IP → find the user (unknown: verify against a dummy hash, same answer and about the
 *   same time as a wrong password) → locked? → password → disabled? → second factor → session.
 *
 * Every attempt writes a `login_attempts` row and an audit row (`auth.login` / `auth.login_failed`, with
 * the IP). Failures of the password or of the TOTP code count towards the lockout: `threshold` of them
 * within `window` (since the last success or the end of the last lock) lock the account for `lockout`.
 *
 * Second factor: a user with TOTP enabled, and staff (a GLOBAL role) while AUTH_REQUIRE_STAFF_MFA is
 * on, get a session with `mfaVerified = false` unless a valid `totpCode` came with the password. That
 * session can only finish the second factor (`verifySecondFactor`) or, for staff without TOTP, enrol.
 */

export interface AuthServices {
  prisma: PrismaClient;
  config: Config;
  secrets: SecretBox;
}

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export type MfaState = 'VERIFIED' | 'CODE_REQUIRED' | 'ENROLMENT_REQUIRED';

export interface LoginOutcome {
  userId: string;
  session: { token: string; sessionId: string; expiresAt: Date };
  mfa: MfaState;
}

/** Reasons stored in login_attempts.reason; only the first two count towards the lockout. */
const COUNTED_FAILURES = ['INVALID_CREDENTIALS', 'MFA_INVALID'];
const MAX_PASSWORD_LENGTH = 1024;

let dummyHash: Promise<string> | undefined;
/** A real argon2id hash (same cost) to verify against when the email is unknown. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('payrail: no such user, same cost as a real check');
  return dummyHash;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const userSelect = {
  id: true,
  email: true,
  passwordHash: true,
  status: true,
  merchantId: true,
  totpEnabled: true,
  totpSecretEnc: true,
  lockedUntil: true,
  lastLoginAt: true,
  roles: { select: { role: { select: { scope: true } } } },
} as const;

export async function login(services: AuthServices, input: LoginInput): Promise<LoginOutcome> {
  const db = services.prisma;
  const settings = authSettings(services.config);
  const email = normalizeEmail(input.email).slice(0, 320);
  const ip = input.ip ?? null;
  const now = new Date();

  const wait = await loginRateLimiter(services.config).take(ip ?? 'unknown');
  if (wait > 0) {
    await recordFailure(db, { email, userId: null, merchantId: null, ip, reason: 'RATE_LIMITED' });
    throw new AuthError('RATE_LIMITED', 'too many sign-in attempts from this address; try again later', { retryAfterSeconds: wait });
  }

  const user = await db.user.findUnique({ where: { email }, select: userSelect });
  if (!user || input.password.length > MAX_PASSWORD_LENGTH) {
    await verifyPassword(await dummyPasswordHash(), input.password.slice(0, MAX_PASSWORD_LENGTH));
    await recordFailure(db, { email, userId: user?.id ?? null, merchantId: user?.merchantId ?? null, ip, reason: 'INVALID_CREDENTIALS' });
    throw invalidCredentials();
  }

  if (user.lockedUntil && user.lockedUntil > now) {
    await recordFailure(db, { email, userId: user.id, merchantId: user.merchantId, ip, reason: 'ACCOUNT_LOCKED' });
    throw accountLocked(user.lockedUntil);
  }

  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await failCounted(db, settings, user, { email, ip, reason: 'INVALID_CREDENTIALS' }, now);
    throw invalidCredentials();
  }

  if (user.status !== 'ACTIVE') {
    await recordFailure(db, { email, userId: user.id, merchantId: user.merchantId, ip, reason: 'USER_DISABLED' });
    throw new AuthError('USER_DISABLED', 'this account is disabled');
  }

  const staff = user.roles.some((r) => r.role.scope === 'GLOBAL');
  let mfa: MfaState = 'VERIFIED';
  if (user.totpEnabled) {
    if (input.totpCode) {
      if (!(await consumeTotpCode(db, services.secrets, user, input.totpCode, now))) {
        await failCounted(db, settings, user, { email, ip, reason: 'MFA_INVALID' }, now);
        throw new AuthError('MFA_INVALID', 'the two-factor code is not valid');
      }
    } else {
      mfa = 'CODE_REQUIRED';
    }
  } else if (staff && settings.requireStaffMfa) {
    mfa = 'ENROLMENT_REQUIRED';
  }

  return db.$transaction(async (tx) => {
    const session = await createSession(
      tx,
      { userId: user.id, mfaVerified: mfa === 'VERIFIED', ip, userAgent: input.userAgent ?? null },
      settings.sessions,
    );
    if (mfa === 'VERIFIED') {
      await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lastLoginAt: now } });
    }
    await tx.loginAttempt.create({
      data: { email, userId: user.id, ip, success: mfa === 'VERIFIED', reason: mfa === 'VERIFIED' ? null : 'MFA_REQUIRED' },
    });
    await recordAudit(
      tx,
      { type: 'USER', id: user.id, label: email, ip },
      { action: 'auth.login', merchantId: user.merchantId, entityType: 'User', entityId: user.id, after: { mfa, sessionId: session.sessionId.slice(0, 12) } },
    );
    return { userId: user.id, session, mfa };
  });
}

/**
 * The second step of a sign-in: a TOTP code for a session that owes it. Wrong codes count towards the
 * lockout; a lock also ends the pending session.
 */
export async function verifySecondFactor(
  services: AuthServices,
  input: { userId: string; sessionId: string; code: string; ip?: string | null },
): Promise<void> {
  const db = services.prisma;
  const settings = authSettings(services.config);
  const now = new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: userSelect });
  const ip = input.ip ?? null;
  if (!user.totpEnabled) throw new AuthError('TOTP_NOT_ENABLED', 'two-factor authentication is not enabled; enrol first', { enrolmentRequired: true });
  if (user.lockedUntil && user.lockedUntil > now) {
    await recordFailure(db, { email: user.email, userId: user.id, merchantId: user.merchantId, ip, reason: 'ACCOUNT_LOCKED' });
    await revokeSession(db, input.sessionId);
    throw accountLocked(user.lockedUntil);
  }
  if (!(await consumeTotpCode(db, services.secrets, user, input.code, now))) {
    const lockedUntil = await failCounted(db, settings, user, { email: user.email, ip, reason: 'MFA_INVALID' }, now);
    if (lockedUntil) {
      await revokeSession(db, input.sessionId);
      throw accountLocked(lockedUntil);
    }
    throw new AuthError('MFA_INVALID', 'the two-factor code is not valid');
  }
  await db.$transaction(async (tx) => {
    await markSessionMfaVerified(tx, input.sessionId);
    await tx.user.update({ where: { id: user.id }, data: { failedLoginCount: 0, lastLoginAt: now } });
    await tx.loginAttempt.create({ data: { email: user.email, userId: user.id, ip, success: true, reason: 'MFA_VERIFIED' } });
    await recordAudit(
      tx,
      { type: 'USER', id: user.id, label: user.email, ip },
      { action: 'auth.mfa_verified', merchantId: user.merchantId, entityType: 'User', entityId: user.id },
    );
  });
}

function accountLocked(until: Date): AuthError {
  return new AuthError('ACCOUNT_LOCKED', 'too many failed sign-ins; the account is locked for a while', {
    lockedUntil: until,
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
  });
}

async function recordFailure(
  db: Db,
  f: { email: string; userId: string | null; merchantId: string | null; ip: string | null; reason: string },
): Promise<void> {
  await db.loginAttempt.create({ data: { email: f.email, userId: f.userId, ip: f.ip, success: false, reason: f.reason } });
  await recordAudit(
    db,
    { type: 'USER', id: f.userId, label: f.email, ip: f.ip },
    { action: 'auth.login_failed', merchantId: f.merchantId, entityType: 'User', entityId: f.userId, after: { reason: f.reason } },
  );
}

/**
 * Records a failure that counts, then locks the account when the failures since
 * max(window start, last success, end of the last lock) reach the threshold. The attempt is written
 * before counting, so concurrent failures each see the others and the lock cannot be raced past.
 * Returns the new lock end, if it locked.
 */
async function failCounted(
  db: Db,
  settings: AuthSettings,
  user: { id: string; merchantId: string | null; lockedUntil: Date | null; lastLoginAt: Date | null },
  f: { email: string; ip: string | null; reason: string },
  now: Date,
): Promise<Date | null> {
  await recordFailure(db, { email: f.email, userId: user.id, merchantId: user.merchantId, ip: f.ip, reason: f.reason });
  const since = new Date(
    Math.max(now.getTime() - settings.lockoutWindowMs, user.lastLoginAt?.getTime() ?? 0, user.lockedUntil?.getTime() ?? 0),
  );
  const failures = await db.loginAttempt.count({
    where: { userId: user.id, success: false, reason: { in: COUNTED_FAILURES }, createdAt: { gt: since } },
  });
  if (failures < settings.lockoutThreshold) {
    await db.user.update({ where: { id: user.id }, data: { failedLoginCount: failures } });
    return null;
  }
  const lockedUntil = new Date(now.getTime() + settings.lockoutMs);
  await db.user.update({ where: { id: user.id }, data: { failedLoginCount: failures, lockedUntil } });
  await recordAudit(
    db,
    { type: 'SYSTEM', label: 'lockout', ip: f.ip },
    { action: 'auth.account_locked', merchantId: user.merchantId, entityType: 'User', entityId: user.id, after: { failures, lockedUntil: lockedUntil.toISOString() } },
  );
  return lockedUntil;
}
