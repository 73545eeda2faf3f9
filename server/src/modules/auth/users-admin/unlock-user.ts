import { recordAudit } from '../../audit/audit.service.ts';
import { requireUser, type RequestContext } from '../authorize.ts';
import { adminActorOf, assertMayManageUser, loadUser } from './users-admin.rules.ts';

/**
 * Ends a sign-in lockout now. `lockedUntil` becomes the current time rather than null: the lockout
 * counts failures since the end of the last lock (login.ts), so the failures that caused this lock do
 * not count again and the next wrong password does not lock the account at once.
 */
export async function unlockUser(ctx: RequestContext, userId: string): Promise<{ userId: string }> {
  const viewer = requireUser(ctx);
  const actor = adminActorOf(ctx, viewer);
  return ctx.prisma.$transaction(async (tx) => {
    const target = await loadUser(tx, ctx, userId);
    assertMayManageUser(actor, target);
    const now = new Date();
    const wasLocked = target.lockedUntil !== null && target.lockedUntil > now;
    await tx.user.update({ where: { id: target.id }, data: { lockedUntil: now, failedLoginCount: 0 } });
    await recordAudit(tx, actor.audit, {
      action: 'user.unlock',
      merchantId: target.merchantId,
      entityType: 'User',
      entityId: target.id,
      before: { locked: wasLocked, lockedUntil: target.lockedUntil?.toISOString() ?? null, failedLoginCount: target.failedLoginCount },
      after: { locked: false, failedLoginCount: 0 },
    });
    return { userId: target.id };
  });
}
