import type { Db, PrismaClient } from '../../db/prisma.ts';
import { hashPassword, verifyPassword } from '../../lib/password.ts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { AuthError, invalidCredentials } from './auth.errors.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { revokeSession, revokeUserSessions } from './sessions.ts';
import type { UserViewer } from './viewer.ts';

/** A signed-in user's own account: password, sign-out, preferences. Each change writes an audit row. */

export function userActor(viewer: UserViewer, ip: string | null | undefined): AuditActor {
  return { type: 'USER', id: viewer.userId, label: viewer.email, ip: ip ?? null };
}

/**
 * Changes the password after checking the current one and the policy; ends every other session of the
 * user (the current one stays). A wrong current password counts like a failed sign-in attempt row.
 */
export async function changePassword(
  prisma: PrismaClient,
  viewer: UserViewer,
  input: { currentPassword: string; newPassword: string; ip?: string | null },
): Promise<{ revokedSessions: number }> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { id: true, email: true, passwordHash: true, merchantId: true } });
  if (input.currentPassword.length > 1024 || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await prisma.loginAttempt.create({ data: { email: user.email, userId: user.id, ip: input.ip ?? null, success: false, reason: 'PASSWORD_CHANGE_INVALID' } });
    throw invalidCredentials();
  }
  assertPasswordPolicy(input.newPassword, { email: user.email, currentPassword: input.currentPassword });
  const passwordHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now, mustChangePassword: false } });
    const revokedSessions = await revokeUserSessions(tx, user.id, { except: viewer.sessionId, now });
    await recordAudit(tx, userActor(viewer, input.ip), {
      action: 'auth.password_changed',
      merchantId: user.merchantId,
      entityType: 'User',
      entityId: user.id,
      after: { revokedSessions },
    });
    return { revokedSessions };
  });
}

/** Ends the current session. */
export async function logout(db: PrismaClient, viewer: UserViewer, ip?: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    await revokeSession(tx, viewer.sessionId);
    await recordAudit(tx, userActor(viewer, ip), { action: 'auth.logout', merchantId: viewer.merchantId, entityType: 'User', entityId: viewer.userId });
  });
}

/** Ends every session of the user, this one included. */
export async function logoutEverywhere(db: PrismaClient, viewer: UserViewer, ip?: string | null): Promise<number> {
  return db.$transaction(async (tx) => {
    const count = await revokeUserSessions(tx, viewer.userId);
    await recordAudit(tx, userActor(viewer, ip), {
      action: 'auth.logout_everywhere',
      merchantId: viewer.merchantId,
      entityType: 'User',
      entityId: viewer.userId,
      after: { revokedSessions: count },
    });
    return count;
  });
}

export const LOCALES = ['en', 'zh'] as const;

/** Language and time zone of the signed-in user (Settings page). */
export async function updatePreferences(
  db: PrismaClient,
  viewer: UserViewer,
  input: { locale?: string | null; timezone?: string | null; ip?: string | null },
): Promise<void> {
  const data: { locale?: string; timezone?: string } = {};
  if (input.locale != null) {
    if (!(LOCALES as readonly string[]).includes(input.locale)) throw new AuthError('INVALID_INPUT', `locale must be one of ${LOCALES.join(', ')}`, { details: { field: 'locale' } });
    data.locale = input.locale;
  }
  if (input.timezone != null) {
    if (!isTimeZone(input.timezone)) throw new AuthError('INVALID_INPUT', 'timezone must be an IANA time zone, e.g. Asia/Bangkok', { details: { field: 'timezone' } });
    data.timezone = input.timezone;
  }
  if (!Object.keys(data).length) return;
  await db.$transaction(async (tx: Db) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { locale: true, timezone: true } });
    await tx.user.update({ where: { id: viewer.userId }, data });
    await recordAudit(tx, userActor(viewer, input.ip), {
      action: 'user.preferences_update',
      merchantId: viewer.merchantId,
      entityType: 'User',
      entityId: viewer.userId,
      before,
      after: data,
    });
  });
}

function isTimeZone(tz: string): boolean {
  if (tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
