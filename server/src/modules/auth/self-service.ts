import { recordAudit } from '../audit/audit.service.ts';
import { userActor } from './account.service.ts';
import { accessibleWhere } from './ability.ts';
import { createApiToken, revokeApiToken } from './api-tokens.service.ts';
import { AuthError } from './auth.errors.ts';
import { authSettings } from './auth-config.ts';
import { assertCan, requireUser, type RequestContext } from './authorize.ts';
import { login, type LoginOutcome } from './login.ts';
import { confirmTotpEnrolment, startTotpEnrolment, type TotpEnrolment } from './mfa.service.ts';
import { viewerFromSession } from './principal.ts';
import { markSessionMfaVerified, resolveSessionById, revokeSession } from './sessions.ts';
import { ANONYMOUS, type Viewer } from './viewer.ts';

/**
 * A person's own account, on behalf of the viewer of `ctx`: signing in (ending the session the
 * browser had), TOTP enrolment, and the merchant's API tokens. Refusals are AuthErrors (their codes
 * and details reach every adapter). The adapter sets cookies and switches its viewer; nothing here
 * knows about HTTP.
 */

/** Signs in with email and password (and TOTP code); a session the caller had before is ended. */
export async function signIn(ctx: RequestContext, input: { email: string; password: string; totpCode: string | null }): Promise<LoginOutcome> {
  const previous = ctx.viewer;
  const outcome = await login(ctx, { ...input, ip: ctx.ip ?? null, userAgent: ctx.userAgent ?? null });
  if (previous.kind === 'user') await revokeSession(ctx.prisma, previous.sessionId);
  return outcome;
}

/** Starts (or restarts) TOTP enrolment of the signed-in user; works for a session still owing enrolment. */
export async function startMyTotpEnrolment(ctx: RequestContext): Promise<TotpEnrolment> {
  const viewer = requireUser(ctx, { allowPendingMfa: true });
  return ctx.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { id: true, email: true, totpEnabled: true, merchantId: true } });
    const enrolment = await startTotpEnrolment(tx, ctx.secrets, user, authSettings(ctx.config).totpIssuer);
    await recordAudit(tx, userActor(viewer, ctx.ip), { action: 'auth.totp_enrolment_started', merchantId: user.merchantId, entityType: 'User', entityId: user.id });
    return enrolment;
  });
}

/**
 * Turns TOTP on with the first code from the app; a session that owed enrolment becomes verified.
 * Returns the viewer of the same session as the next request will see it (staff permissions depend on
 * TOTP being enabled).
 */
export async function confirmMyTotpEnrolment(ctx: RequestContext, input: { code: string }): Promise<Viewer> {
  const viewer = requireUser(ctx, { allowPendingMfa: true });
  await ctx.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { id: true, totpEnabled: true, totpSecretEnc: true, merchantId: true } });
    await confirmTotpEnrolment(tx, ctx.secrets, user, input.code);
    await markSessionMfaVerified(tx, viewer.sessionId);
    await recordAudit(tx, userActor(viewer, ctx.ip), { action: 'auth.totp_enabled', merchantId: user.merchantId, entityType: 'User', entityId: user.id });
  });
  const settings = authSettings(ctx.config);
  const session = await resolveSessionById(ctx.prisma, viewer.sessionId, settings.sessions);
  return session ? viewerFromSession(session, settings.requireStaffMfa) : ANONYMOUS;
}

/** An API token for the signed-in member's merchant (permission API_TOKEN_WRITE). */
export async function issueApiToken(ctx: RequestContext, input: { name: string; permissions: number[]; expiresAt: Date | null }) {
  const viewer = requireUser(ctx);
  assertCan(ctx, 'create', 'ApiToken', { merchantId: viewer.merchantId });
  return createApiToken(ctx.prisma, viewer, { ...input, ip: ctx.ip ?? null });
}

/** Revokes an API token at once; API_TOKEN_NOT_FOUND unless the viewer may see it. `id` is a database id (null: not one). */
export async function revokeApiTokenById(ctx: RequestContext, input: { id: string | null }) {
  const viewer = requireUser(ctx);
  const token = input.id ? await ctx.prisma.apiToken.findFirst({ where: { id: input.id, AND: [accessibleWhere(ctx.ability, 'read', 'ApiToken')] } }) : null;
  if (!token) throw new AuthError('API_TOKEN_NOT_FOUND', 'no such API token');
  assertCan(ctx, 'delete', 'ApiToken', token);
  return revokeApiToken(ctx.prisma, viewer, token, ctx.ip);
}
