import type { UserStatus } from '../../../generated/prisma/enums.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { requireUser, type RequestContext } from '../authorize.ts';
import { revokeUserSessions } from '../sessions.ts';
import {
  adminActorOf,
  assertMayManageUser,
  assignableRoles,
  loadUser,
  lockAdministratorRole,
  roleRef,
  sameIds,
  UserAdminError,
  userView,
  validateName,
} from './users-admin.rules.ts';

export interface UpdateUserInput {
  userId: string;
  name?: string | null;
  /** The complete new set of roles (replaces the current one). */
  roleIds?: readonly string[] | null;
  status?: UserStatus | null;
}

/**
 * Renames, re-roles, disables or re-enables a user. Disabling ends all their sessions. Refuses to
 * disable yourself and to leave the platform without an active Administrator (serialised on the
 * Administrator role row, so two administrators cannot demote each other at the same moment).
 */
export async function updateUser(ctx: RequestContext, input: UpdateUserInput): Promise<{ userId: string; revokedSessions: number }> {
  const viewer = requireUser(ctx);
  const actor = adminActorOf(ctx, viewer);
  const mayRemoveAdministrator = input.status === 'DISABLED' || input.roleIds != null;
  return ctx.prisma.$transaction(async (tx) => {
    const adminRoleId = mayRemoveAdministrator ? await lockAdministratorRole(tx) : null;
    const target = await loadUser(tx, ctx, input.userId);
    const name = input.name == null ? undefined : validateName(input.name, 'name', 200);
    const status = input.status ?? undefined;
    if (status === 'DISABLED' && target.id === actor.userId) {
      throw new UserAdminError('CANNOT_MODIFY_SELF', 'you cannot disable your own account', { action: 'disable' });
    }
    assertMayManageUser(actor, target);
    const before = userView(target);
    const data: { name?: string; status?: UserStatus } = {};
    if (name !== undefined && name !== target.name) data.name = name;
    if (status !== undefined && status !== target.status) data.status = status;

    let roles = target.roles.map((r) => r.role);
    if (input.roleIds != null) {
      roles = await assignableRoles(tx, actor, target.merchantId, input.roleIds, target.roles.map((r) => r.role.id));
    }
    const rolesChanged = !sameIds(roles.map((r) => r.id), target.roles.map((r) => r.role.id));

    const wasAdmin = target.status === 'ACTIVE' && target.roles.some((r) => r.role.id === adminRoleId);
    const staysAdmin = (data.status ?? target.status) === 'ACTIVE' && roles.some((r) => r.id === adminRoleId);
    if (adminRoleId !== null && wasAdmin && !staysAdmin) {
      const others = await tx.user.count({ where: { id: { not: target.id }, status: 'ACTIVE', roles: { some: { roleId: adminRoleId } } } });
      if (others === 0) throw new UserAdminError('LAST_ADMINISTRATOR', 'this is the last active Administrator; make someone else Administrator first');
    }

    if (Object.keys(data).length) await tx.user.update({ where: { id: target.id }, data });
    if (rolesChanged) {
      await tx.userRole.deleteMany({ where: { userId: target.id } });
      await tx.userRole.createMany({ data: roles.map((r) => ({ userId: target.id, roleId: r.id })) });
    }
    const revokedSessions = data.status === 'DISABLED' ? await revokeUserSessions(tx, target.id) : 0;
    if (!Object.keys(data).length && !rolesChanged) return { userId: target.id, revokedSessions };

    await recordAudit(tx, actor.audit, {
      action: data.status === 'DISABLED' ? 'user.disable' : data.status === 'ACTIVE' ? 'user.enable' : 'user.update',
      merchantId: target.merchantId,
      entityType: 'User',
      entityId: target.id,
      before,
      after: { ...before, ...data, roles: roles.map(roleRef), ...(revokedSessions ? { revokedSessions } : {}) },
    });
    return { userId: target.id, revokedSessions };
  });
}
