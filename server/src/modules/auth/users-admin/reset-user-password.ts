import { hashPassword } from '../../../lib/password.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { requireUser, type RequestContext } from '../authorize.ts';
import { revokeUserSessions } from '../sessions.ts';
import { adminActorOf, assertMayManageUser, choosePassword, loadUser, UserAdminError, type PasswordOutcome } from './users-admin.rules.ts';

export interface ResetUserPasswordInput {
  userId: string;
  /** The new password (policy checked); absent → a temporary one is generated and returned once. */
  password?: string | null;
}

/**
 * Sets a new password for a user (policy checked) or generates a temporary one (returned once); ends
 * their sessions. Your own password is changed in Settings, with the current one. The password is
 * hashed before the transaction (argon2 is slow); the user is loaded again inside it.
 */
export async function resetUserPassword(ctx: RequestContext, input: ResetUserPasswordInput): Promise<PasswordOutcome & { userId: string; revokedSessions: number }> {
  const viewer = requireUser(ctx);
  const actor = adminActorOf(ctx, viewer);
  const found = await loadUser(ctx.prisma, ctx, input.userId);
  if (found.id === actor.userId) {
    throw new UserAdminError('CANNOT_MODIFY_SELF', 'change your own password from Settings', { action: 'reset_password' });
  }
  assertMayManageUser(actor, found);
  const { password, temporaryPassword } = choosePassword(input.password, found.email);
  const passwordHash = await hashPassword(password);
  return ctx.prisma.$transaction(async (tx) => {
    const target = await loadUser(tx, ctx, found.id);
    assertMayManageUser(actor, target);
    const now = new Date();
    await tx.user.update({ where: { id: target.id }, data: { passwordHash, passwordChangedAt: now, mustChangePassword: true } });
    const revokedSessions = await revokeUserSessions(tx, target.id, { now });
    await recordAudit(tx, actor.audit, {
      action: 'user.reset_password',
      merchantId: target.merchantId,
      entityType: 'User',
      entityId: target.id,
      after: { password: temporaryPassword ? 'GENERATED' : 'SET_BY_ADMINISTRATOR', revokedSessions },
    });
    return { userId: target.id, temporaryPassword, revokedSessions };
  });
}
