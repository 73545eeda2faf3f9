import { recordAudit } from '../../audit/audit.service.ts';
import { requireUser, type RequestContext } from '../authorize.ts';
import {
  adminActorOf,
  assertRoleNameFree,
  isUniqueViolation,
  lockRole,
  roleNameTaken,
  roleView,
  sameCodes,
  validateDescription,
  validateName,
  validatePermissions,
} from './users-admin.rules.ts';

export interface UpdateRoleInput {
  roleId: string;
  name?: string | null;
  /** Empty string clears it. */
  description?: string | null;
  /** The complete new set of codes. */
  permissions?: readonly number[] | null;
}

/** Renames a custom role or changes its codes (scope and merchant never change). */
export async function updateRole(ctx: RequestContext, input: UpdateRoleInput): Promise<{ roleId: string }> {
  const actor = adminActorOf(ctx, requireUser(ctx));
  return ctx.prisma.$transaction(async (tx) => {
    const role = await lockRole(tx, ctx, actor, input.roleId, 'update');
    const data: { name?: string; description?: string | null; permissions?: number[] } = {};
    if (input.name != null) {
      const name = validateName(input.name, 'name', 100);
      if (name !== role.name) {
        await assertRoleNameFree(tx, role.merchantId, name, role.id);
        data.name = name;
      }
    }
    if (input.description !== undefined && input.description !== null) {
      const description = validateDescription(input.description);
      if (description !== role.description) data.description = description;
    }
    if (input.permissions != null) {
      const permissions = validatePermissions(actor, role.scope, input.permissions);
      if (!sameCodes(permissions, role.permissions)) data.permissions = permissions;
    }
    if (!Object.keys(data).length) return { roleId: role.id };
    try {
      await tx.role.update({ where: { id: role.id }, data });
    } catch (error) {
      if (isUniqueViolation(error)) throw roleNameTaken(data.name ?? role.name);
      throw error;
    }
    const before = roleView(role);
    await recordAudit(tx, actor.audit, {
      action: 'role.update',
      merchantId: role.merchantId,
      entityType: 'Role',
      entityId: role.id,
      before,
      after: { ...before, ...data },
    });
    return { roleId: role.id };
  });
}
