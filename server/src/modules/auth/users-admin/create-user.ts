import { hashPassword } from '../../../lib/password.ts';
import { MerchantNotFoundError } from '../../apps/apps.errors.ts';
import { recordAudit } from '../../audit/audit.service.ts';
import { assertCan, requireUser, type RequestContext } from '../authorize.ts';
import {
  adminActorOf,
  assertMayManage,
  assignableRoles,
  choosePassword,
  emailTaken,
  isUniqueViolation,
  merchantOfNew,
  roleRef,
  validateEmail,
  validateName,
  type PasswordOutcome,
} from './users-admin.rules.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  /** The merchant of a member (a merchant owner's own when null); null from staff: a platform staff user. */
  merchantId: string | null;
  roleIds: readonly string[];
  /** The initial password (checked against the policy); absent → a temporary one is generated and returned once. */
  password?: string | null;
}

/**
 * Creates a user with roles and an argon2id password: the one given (policy checked) or a generated
 * temporary one, returned here and nowhere else. The administrator knows this password, so the user
 * must replace it at first sign-in.
 */
export async function createUser(ctx: RequestContext, input: CreateUserInput): Promise<{ userId: string } & PasswordOutcome> {
  const viewer = requireUser(ctx);
  const merchantId = await merchantOfNew(ctx.prisma, ctx, viewer, input.merchantId);
  assertCan(ctx, 'create', 'User', { merchantId });
  const actor = adminActorOf(ctx, viewer);
  const email = validateEmail(input.email);
  const name = validateName(input.name, 'name', 200);
  assertMayManage(actor, { merchantId, staff: merchantId === null });
  const { password, temporaryPassword } = choosePassword(input.password, email);
  const passwordHash = await hashPassword(password);

  return ctx.prisma.$transaction(async (tx) => {
    if (merchantId !== null) {
      const merchant = await tx.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
      if (!merchant) throw new MerchantNotFoundError({ merchantId });
    }
    const roles = await assignableRoles(tx, actor, merchantId, input.roleIds);
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken(email);
    let user: { id: string };
    try {
      user = await tx.user.create({
        data: { email, name, passwordHash, mustChangePassword: true, merchantId, roles: { create: roles.map((r) => ({ roleId: r.id })) } },
        select: { id: true },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken(email);
      throw error;
    }
    await recordAudit(tx, actor.audit, {
      action: 'user.create',
      merchantId,
      entityType: 'User',
      entityId: user.id,
      after: { email, name, merchantId, status: 'ACTIVE', roles: roles.map(roleRef), password: temporaryPassword ? 'GENERATED' : 'SET_BY_ADMINISTRATOR' },
    });
    return { userId: user.id, temporaryPassword };
  });
}
