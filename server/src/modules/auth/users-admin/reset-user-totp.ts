import { recordAudit } from '../../audit/audit.service.ts';
import { requireUser, type RequestContext } from '../authorize.ts';
import { revokeUserSessions } from '../sessions.ts';
import { adminActorOf, assertMayManageUser, loadUser, UserAdminError } from './users-admin.rules.ts';

/** Clears a user's TOTP so they enrol again at their next sign-in; ends their sessions. */
export async function resetUserTotp(ctx: RequestContext, userId: string): Promise<{ userId: string; revokedSessions: number }> {
  const viewer = requireUser(ctx);
  const actor = adminActorOf(ctx, viewer);
  return ctx.prisma.$transaction(async (tx) => {
    const target = await loadUser(tx, ctx, userId);
    if (target.id === actor.userId) {
      throw new UserAdminError('CANNOT_MODIFY_SELF', 'reset your own two-factor authentication from Settings', { action: 'reset_totp' });
    }
    assertMayManageUser(actor, target);
    await tx.user.update({ where: { id: target.id }, data: { totpEnabled: false, totpSecretEnc: null } });
    const revokedSessions = await revokeUserSessions(tx, target.id);
    await recordAudit(tx, actor.audit, {
      action: 'user.reset_totp',
      merchantId: target.merchantId,
      entityType: 'User',
      entityId: target.id,
      before: { totpEnabled: target.totpEnabled },
      after: { totpEnabled: false, revokedSessions },
    });
    return { userId: target.id, revokedSessions };
  });
}
