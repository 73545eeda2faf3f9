import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/prisma.ts';

/**
 * Browser sessions. The cookie carries a random token (32 bytes, base64url); the database keeps only
 * its sha256 (hex) as the session id, so a leaked database cannot be replayed as cookies.
 *
 * A session ends at the first of: its absolute expiry (`expiresAt`, set at creation), the idle timeout
 * (no request for `idleMs` since `lastSeenAt`), revocation (logout, logout everywhere, password change).
 * `lastSeenAt` is written at most once per `touchEveryMs`, so a busy SPA costs one UPDATE a minute.
 */

export const SESSION_COOKIE = 'payrail_session';

export interface SessionTimeouts {
  /** No request for this long ends the session. */
  idleMs: number;
  /** A session never lives longer than this from its creation. */
  absoluteMs: number;
  /** `lastSeenAt` is refreshed at most this often. */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  touchEveryMs: 60_000,
};

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** sha256 hex of a session (or API) token: the stored id. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createSession(
  db: Db,
  input: { userId: string; mfaVerified: boolean; ip?: string | null; userAgent?: string | null },
  timeouts: Pick<SessionTimeouts, 'absoluteMs'> = DEFAULT_SESSION_TIMEOUTS,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = hashToken(token);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + timeouts.absoluteMs);
  await db.session.create({
    data: {
      id: sessionId,
      userId: input.userId,
      mfaVerified: input.mfaVerified,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    },
  });
  return { token, sessionId, expiresAt };
}

/** A role as the session query returns it. */
export interface SessionRole {
  id: string;
  key: string | null;
  scope: 'GLOBAL' | 'MERCHANT';
  merchantId: string | null;
  permissions: number[];
}

/** A live session with its user and the user's roles (one SQL query). */
export interface ResolvedSession {
  sessionId: string;
  mfaVerified: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  user: {
    id: string;
    email: string;
    name: string;
    status: 'ACTIVE' | 'DISABLED';
    merchantId: string | null;
    totpEnabled: boolean;
    mustChangePassword: boolean;
  };
  roles: SessionRole[];
}

interface SessionRow {
  id: string;
  mfaVerified: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userId: string;
  email: string;
  name: string;
  status: 'ACTIVE' | 'DISABLED';
  merchantId: string | null;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  roles: SessionRole[] | null;
}

/**
 * The session of a cookie token, or null when the token is malformed, unknown, revoked, expired
 * (absolute or idle) or its user is disabled. Refreshes `lastSeenAt` at most once per `touchEveryMs`,
 * unless `touch: false` (a check that is not the user's activity, e.g. of an open WebSocket).
 */
export async function resolveSession(
  db: Db,
  token: string | null | undefined,
  timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
  now: Date = new Date(),
  opts: { touch?: boolean } = {},
): Promise<ResolvedSession | null> {
  if (!token || !TOKEN.test(token)) return null;
  return resolveSessionById(db, hashToken(token), timeouts, now, opts);
}

/** Same as resolveSession, by session id (sha256 of the token), e.g. to re-read the viewer after a change. */
export async function resolveSessionById(
  db: Db,
  sessionId: string,
  timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
  now: Date = new Date(),
  opts: { touch?: boolean } = {},
): Promise<ResolvedSession | null> {
  const rows = await db.$queryRaw<SessionRow[]>`
    SELECT s.id, s."mfaVerified", s."createdAt", s."lastSeenAt", s."expiresAt", s."revokedAt",
           u.id AS "userId", u.email, u.name, u.status::text AS status, u."merchantId", u."totpEnabled", u."mustChangePassword",
           COALESCE(
             json_agg(json_build_object('id', r.id, 'key', r.key, 'scope', r.scope, 'merchantId', r."merchantId",
                                        'permissions', COALESCE(r.permissions, '{}')))
               FILTER (WHERE r.id IS NOT NULL),
             '[]'::json) AS roles
      FROM sessions s
      JOIN users u ON u.id = s."userId"
      LEFT JOIN user_roles ur ON ur."userId" = u.id
      LEFT JOIN roles r ON r.id = ur."roleId"
     WHERE s.id = ${sessionId}
     GROUP BY s.id, u.id`;
  const row = rows[0];
  if (!row) return null;
  if (row.revokedAt) return null;
  if (row.expiresAt.getTime() <= now.getTime()) return null;
  if (row.lastSeenAt.getTime() + timeouts.idleMs <= now.getTime()) return null;
  if (row.status !== 'ACTIVE') return null;

  let lastSeenAt = row.lastSeenAt;
  if (opts.touch !== false && now.getTime() - row.lastSeenAt.getTime() >= timeouts.touchEveryMs) {
    lastSeenAt = now;
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return {
    sessionId,
    mfaVerified: row.mfaVerified,
    createdAt: row.createdAt,
    lastSeenAt,
    expiresAt: row.expiresAt,
    user: {
      id: row.userId,
      email: row.email,
      name: row.name,
      status: row.status,
      merchantId: row.merchantId,
      totpEnabled: row.totpEnabled,
      mustChangePassword: row.mustChangePassword,
    },
    roles: row.roles ?? [],
  };
}

/** Ends one session (logout). */
export async function revokeSession(db: Db, sessionId: string, now: Date = new Date()): Promise<boolean> {
  const { count } = await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
  return count > 0;
}

/** Ends every live session of a user, optionally keeping one (the caller's). Returns how many ended. */
export async function revokeUserSessions(db: Db, userId: string, opts: { except?: string; now?: Date } = {}): Promise<number> {
  const { count } = await db.session.updateMany({
    where: { userId, revokedAt: null, ...(opts.except ? { id: { not: opts.except } } : {}) },
    data: { revokedAt: opts.now ?? new Date() },
  });
  return count;
}

/** Marks a session as having passed the second factor. */
export async function markSessionMfaVerified(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { mfaVerified: true } });
}

/** Deletes sessions that ended more than `olderThanMs` ago (for a periodic janitor). */
export async function purgeEndedSessions(db: Db, olderThanMs = 7 * 24 * 60 * 60_000, now: Date = new Date()): Promise<number> {
  const before = new Date(now.getTime() - olderThanMs);
  const { count } = await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] } });
  return count;
}
