import { recordAudit } from '../../audit/audit.service.ts';
import { requireUser, type RequestContext } from '../authorize.ts';
import { adminActorOf, lockRole, roleView, UserAdminError } from './users-admin.rules.ts';

/** Deletes a custom role that nobody holds (ROLE_IN_USE otherwise). */
export async function deleteRole(ctx: RequestContext, roleId: string): Promise<{ roleId: string }> {
  const actor = adminActorOf(ctx, requireUser(ctx));
  return ctx.prisma.$transaction(async (tx) => {
    const role = await lockRole(tx, ctx, actor, roleId, 'delete');
    const users = await tx.userRole.count({ where: { roleId: role.id } });
    if (users > 0) throw new UserAdminError('ROLE_IN_USE', `the role is still assigned to ${users} user(s); reassign them first`, { users });
    await tx.role.delete({ where: { id: role.id } });
    await recordAudit(tx, actor.audit, { action: 'role.delete', merchantId: role.merchantId, entityType: 'Role', entityId: role.id, before: roleView(role) });
    return { roleId: role.id };
  });
}
