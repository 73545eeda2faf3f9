import type { RoleScope } from '../../../generated/prisma/enums.ts';
import { MerchantNotFoundError } from '../../apps/apps.errors.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { assertCan, requireUser, type RequestContext } from '../authorize.ts';
import {
  adminActorOf,
  assertMayEditRole,
  assertRoleNameFree,
  isUniqueViolation,
  merchantOfNew,
  roleNameTaken,
  UserAdminError,
  validateDescription,
  validateName,
  validatePermissions,
} from './users-admin.rules.ts';

export interface CreateRoleInput {
  name: string;
  description?: string | null;
  scope: RoleScope;
  /**
   * MERCHANT scope: the merchant the role belongs to (a merchant owner's own when null), or null from
   * staff for a role every merchant may use. A GLOBAL role names none.
   */
  merchantId: string | null;
  permissions: readonly number[];
}

/** Creates a custom role from permission codes. */
export async function createRole(ctx: RequestContext, input: CreateRoleInput): Promise<{ roleId: string }> {
  const viewer = requireUser(ctx);
  // A GLOBAL role belongs to no merchant (refused below when it names one).
  const owner = input.scope === 'GLOBAL' && input.merchantId === null ? null : await merchantOfNew(ctx.prisma, ctx, viewer, input.merchantId);
  assertCan(ctx, 'create', 'Role', { merchantId: owner, builtIn: false, scope: input.scope });
  const actor = adminActorOf(ctx, viewer);
  const name = validateName(input.name, 'name', 100);
  const description = validateDescription(input.description);
  const merchantId = input.scope === 'GLOBAL' ? null : owner;
  if (input.scope === 'GLOBAL' && owner !== null) {
    throw new UserAdminError('INVALID_PARAMETER', 'a GLOBAL role belongs to no merchant', { field: 'merchantId' });
  }
  assertMayEditRole(actor, { scope: input.scope, merchantId });
  const permissions = validatePermissions(actor, input.scope, input.permissions);

  return ctx.prisma.$transaction(async (tx) => {
    if (merchantId !== null) {
      const merchant = await tx.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
      if (!merchant) throw new MerchantNotFoundError({ merchantId });
    }
    await assertRoleNameFree(tx, merchantId, name);
    let role: { id: string };
    try {
      role = await tx.role.create({ data: { name, description, scope: input.scope, builtIn: false, merchantId, permissions }, select: { id: true } });
    } catch (error) {
      if (isUniqueViolation(error)) throw roleNameTaken(name);
      throw error;
    }
    await recordAudit(tx, actor.audit, {
      action: 'role.create',
      merchantId,
      entityType: 'Role',
      entityId: role.id,
      after: { name, description, scope: input.scope, merchantId, permissions },
    });
    return { roleId: role.id };
  });
}
