import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/prisma.ts';
import { authSettings } from './auth-config.ts';
import { readCookie } from './cookies.ts';
import { hashToken, resolveSession, SESSION_COOKIE, type ResolvedSession } from './sessions.ts';
import { ANONYMOUS, type TokenViewer, type UserViewer, type Viewer } from './viewer.ts';

/**
 * Who sent a request: a session cookie (`payrail_session`), or `Authorization: Bearer prt_…` (a
 * merchant API token). A request carrying a bearer token is judged by the token alone: a bad token is
 * anonymous even if a cookie is present (never a silent fall-back to a browser session).
 *
 * Cost: one SQL query for a session (session + user + roles, aggregated), one for a token, plus at most
 * one UPDATE a minute to refresh `lastSeenAt` / `lastUsedAt`. Called once per HTTP request and once per
 * graphql-ws operation; the result lives in the GraphQL context for the whole request.
 */

export interface ViewerServices {
  prisma: Db;
  config: Config;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface ViewerRequest {
  headers: HeaderBag;
  /** Parsed cookies, when the server already parsed them; else the Cookie header is read. */
  cookies?: Record<string, string | undefined>;
  ip?: string | null;
}

export const API_TOKEN_PREFIX = 'prt_';
const API_TOKEN = /^prt_[A-Za-z0-9_-]{43}$/;

/** `touch: false` leaves the session's idle clock alone (re-checks that are not the user's activity). */
export async function resolveViewer(services: ViewerServices, req: ViewerRequest, opts: { touch?: boolean } = {}): Promise<Viewer> {
  const authorization = header(req.headers, 'authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return ANONYMOUS;
    return (await resolveApiToken(services.prisma, match[1])) ?? ANONYMOUS;
  }
  const token = req.cookies?.[SESSION_COOKIE] ?? readCookie(header(req.headers, 'cookie'), SESSION_COOKIE);
  if (!token) return ANONYMOUS;
  const settings = authSettings(services.config);
  const session = await resolveSession(services.prisma, token, settings.sessions, new Date(), opts);
  return session ? viewerFromSession(session, settings.requireStaffMfa) : ANONYMOUS;
}

/**
 * The viewer of a live session. GLOBAL-scope roles make the user staff, and then only GLOBAL roles'
 * codes count (a MERCHANT-scope role on a staff user is ignored rather than widened to every merchant).
 * A merchant member's MERCHANT-scope roles count when they are built-in/platform-wide or belong to the
 * member's own merchant. Staff without TOTP are never `mfaVerified` while staff MFA is required.
 */
export function viewerFromSession(session: ResolvedSession, requireStaffMfa: boolean): UserViewer {
  const { user, roles } = session;
  const globalRoles = roles.filter((r) => r.scope === 'GLOBAL');
  const global = globalRoles.length > 0;
  const counted = global
    ? globalRoles
    : roles.filter((r) => r.scope === 'MERCHANT' && user.merchantId !== null && (r.merchantId === null || r.merchantId === user.merchantId));
  const permissions = new Set<number>();
  for (const role of counted) for (const code of role.permissions) permissions.add(code);
  const mfaOwed = global && requireStaffMfa && !user.totpEnabled;
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    name: user.name,
    merchantId: user.merchantId,
    global,
    permissions,
    mfaVerified: session.mfaVerified && !mfaOwed,
    passwordChangeRequired: user.mustChangePassword,
    sessionId: session.sessionId,
  };
}

interface TokenRow {
  id: string;
  merchantId: string;
  permissions: number[] | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  merchantStatus: string;
}

/** The viewer of a merchant API token, or null when unknown, revoked, expired or its merchant is not ACTIVE. */
export async function resolveApiToken(db: Db, token: string, now: Date = new Date()): Promise<TokenViewer | null> {
  if (!API_TOKEN.test(token)) return null;
  const rows = await db.$queryRaw<TokenRow[]>`
    SELECT t.id, t."merchantId", t.permissions, t."expiresAt", t."revokedAt", t."lastUsedAt", m.status::text AS "merchantStatus"
      FROM api_tokens t JOIN merchants m ON m.id = t."merchantId"
     WHERE t."tokenHash" = ${hashToken(token)}`;
  const row = rows[0];
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) || row.merchantStatus !== 'ACTIVE') return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { kind: 'token', tokenId: row.id, merchantId: row.merchantId, permissions: new Set(row.permissions ?? []) };
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
