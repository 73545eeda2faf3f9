import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  adminActorOf,
  assertRoleEditable,
  createRole,
  createUser,
  deleteRole,
  resetUserPassword,
  resetUserTotp,
  unlockUser,
  updateRole,
  updateUser,
} from '../../modules/auth/users-admin.service.ts';
import { assertCan, can, requireUser } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { parseIds } from '../lists/filters.ts';
import { RoleScopeEnum, UserStatusEnum } from '../schema/enums.schema.ts';
import { RoleRef, UserRef } from '../schema/users.schema.ts';
import { domain, notFound } from './support.ts';

/**
 * Users and roles (seed 004). Who may do what:
 * - Administrators (USER_MANAGE 5005, ROLE_MANAGE 5006): every user and role.
 * - A Merchant Owner (TEAM_WRITE 4005): the members of their own merchant, with MERCHANT-scope roles
 *   (built-in or the merchant's own), and the merchant's own custom roles.
 * - Everyone else: FORBIDDEN on what they can read, *_NOT_FOUND on what they cannot (another
 *   merchant's users and roles never show they exist).
 * Only signed-in people (not API tokens) administer users. Business rules (role scopes, no
 * escalation, last Administrator, built-in roles read-only, role in use) live in
 * modules/auth/users-admin.service.ts; each mutation is one transaction with its audit row.
 */

function adminActor(ctx: GraphQLContext) {
  return adminActorOf(requireUser(ctx), ctx.ip);
}

/** A user the viewer may read, else USER_NOT_FOUND; then the action must be allowed on it (FORBIDDEN). */
async function userFor(ctx: GraphQLContext, raw: string, action: 'update' | 'delete' = 'update') {
  requireUser(ctx);
  const user = await ctx.prisma.user.findUnique({ where: { id: parseIds('User', 'id', [raw])![0]! }, select: { id: true, merchantId: true } });
  if (!user || !can(ctx, 'read', 'User', user)) throw notFound('user');
  assertCan(ctx, action, 'User', user);
  return user;
}

/** A role the viewer may read, else ROLE_NOT_FOUND; built-in roles answer ROLE_BUILT_IN before FORBIDDEN. */
async function roleFor(ctx: GraphQLContext, raw: string, action: 'update' | 'delete') {
  requireUser(ctx);
  const role = await ctx.prisma.role.findUnique({
    where: { id: parseIds('Role', 'id', [raw])![0]! },
    select: { id: true, key: true, builtIn: true, scope: true, merchantId: true },
  });
  if (!role || !can(ctx, 'read', 'Role', role)) throw notFound('role');
  await domain(async () => assertRoleEditable(role));
  assertCan(ctx, action, 'Role', role);
  return role;
}

/** The merchant a new user or role belongs to: a member's own (forced), or the one staff name (null = none). */
async function merchantOfNew(ctx: GraphQLContext, raw: string | null | undefined): Promise<string | null> {
  const viewer = requireUser(ctx);
  if (!viewer.global) {
    if (raw == null || raw === '') return viewer.merchantId;
  } else if (raw == null || raw === '') {
    return null;
  }
  const merchant = await ctx.prisma.merchant.findUnique({ where: { id: parseIds('Merchant', 'merchantId', [raw])![0]! }, select: { id: true } });
  if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw notFound('merchant');
  return merchant.id;
}

const roleIdsOf = (ids: readonly (string | number)[]) => parseIds('Role', 'roleIds', ids.map(String)) ?? [];

// ─────────────────────────────── users ───────────────────────────────

interface UserWithPassword {
  userId: string;
  temporaryPassword: string | null;
}

const UserWithPasswordPayload = builder.objectRef<UserWithPassword>('UserWithPasswordPayload').implement({
  description: 'A user whose password was just set; `temporaryPassword` is shown only now.',
  fields: (t) => ({
    user: t.prismaField({
      type: UserRef,
      resolve: (query, payload, _args, ctx) => ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
    }),
    temporaryPassword: t.string({
      nullable: true,
      description: 'The generated password when none was given: hand it to the user once (it is stored only as an argon2id hash). Null when the administrator chose the password.',
      resolve: (p) => p.temporaryPassword,
    }),
  }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    name: t.string({ required: true, description: '1 to 200 characters.' }),
    merchantId: t.id({
      required: false,
      description: 'The merchant of a member. Staff: absent = a platform staff user (USER_MANAGE only). A merchant owner always creates for their own merchant.',
    }),
    roleIds: t.idList({ required: true, description: 'At least one: GLOBAL roles for staff, MERCHANT roles for members.' }),
    password: t.string({
      required: false,
      description: 'Initial password (at least 12 characters, not the email). Absent: a temporary password is generated and returned once.',
    }),
  }),
});

builder.mutationField('createUser', (t) =>
  t.field({
    type: UserWithPasswordPayload,
    description:
      'Creates a user with roles. Errors: INVALID_PARAMETER (field), EMAIL_TAKEN, PASSWORD_POLICY (rule), ROLE_NOT_FOUND, ROLE_SCOPE_MISMATCH, ROLE_NOT_ASSIGNABLE, MERCHANT_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const merchantId = await merchantOfNew(ctx, input.merchantId == null ? null : String(input.merchantId));
      assertCan(ctx, 'create', 'User', { merchantId });
      return domain(() =>
        createUser(ctx.prisma, adminActor(ctx), { email: input.email, name: input.name, merchantId, roleIds: roleIdsOf(input.roleIds), password: input.password }),
      );
    },
  }),
);

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The User node id.' }),
    name: t.string({ required: false }),
    roleIds: t.idList({ required: false, description: 'The complete new set of roles (at least one); absent: unchanged.' }),
    status: t.field({ type: UserStatusEnum, required: false, description: 'DISABLED ends every session of the user at once.' }),
  }),
});

builder.mutationField('updateUser', (t) =>
  t.prismaField({
    type: UserRef,
    description:
      'Renames, re-roles, disables or re-enables a user. Errors: USER_NOT_FOUND, INVALID_PARAMETER, ROLE_NOT_FOUND, ROLE_SCOPE_MISMATCH, ROLE_NOT_ASSIGNABLE, LAST_ADMINISTRATOR, CANNOT_MODIFY_SELF (disabling yourself), FORBIDDEN.',
    args: { input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const user = await userFor(ctx, String(input.id));
      await domain(() =>
        updateUser(ctx.prisma, adminActor(ctx), user.id, {
          name: input.name,
          roleIds: input.roleIds == null ? null : roleIdsOf(input.roleIds),
          status: input.status,
        }),
      );
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
);

const UserIdInput = builder.inputType('UserIdInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'The User node id.' }) }),
});

builder.mutationField('resetUserTotp', (t) =>
  t.prismaField({
    type: UserRef,
    description: 'Clears the user’s two-factor authentication (they enrol again at their next sign-in) and ends their sessions. Errors: USER_NOT_FOUND, CANNOT_MODIFY_SELF, FORBIDDEN.',
    args: { input: t.arg({ type: UserIdInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const user = await userFor(ctx, String(input.id));
      await domain(() => resetUserTotp(ctx.prisma, adminActor(ctx), user.id));
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
);

const ResetUserPasswordInput = builder.inputType('ResetUserPasswordInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The User node id.' }),
    password: t.string({ required: false, description: 'The new password (policy applies); absent: a temporary one is generated and returned once.' }),
  }),
});

builder.mutationField('resetUserPassword', (t) =>
  t.field({
    type: UserWithPasswordPayload,
    description: 'Sets or generates a new password for a user and ends their sessions. Errors: USER_NOT_FOUND, PASSWORD_POLICY, CANNOT_MODIFY_SELF (use changePassword), FORBIDDEN.',
    args: { input: t.arg({ type: ResetUserPasswordInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const user = await userFor(ctx, String(input.id));
      const outcome = await domain(() => resetUserPassword(ctx.prisma, adminActor(ctx), user.id, { password: input.password }));
      return { userId: user.id, temporaryPassword: outcome.temporaryPassword };
    },
  }),
);

builder.mutationField('unlockUser', (t) =>
  t.prismaField({
    type: UserRef,
    description: 'Ends a sign-in lockout now (failures before it no longer count). Errors: USER_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: UserIdInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const user = await userFor(ctx, String(input.id));
      await domain(() => unlockUser(ctx.prisma, adminActor(ctx), user.id));
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
);

// ─────────────────────────────── roles ───────────────────────────────

const CreateRoleInput = builder.inputType('CreateRoleInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 100 characters, unique per merchant (or among platform-wide roles).' }),
    description: t.string({ required: false }),
    scope: t.field({ type: RoleScopeEnum, required: true, description: 'GLOBAL (staff, ROLE_MANAGE only) or MERCHANT.' }),
    merchantId: t.id({
      required: false,
      description: 'MERCHANT scope: the merchant that owns the role. Staff: absent = usable by every merchant. A merchant owner always creates for their own merchant.',
    }),
    permissions: t.intList({ required: true, description: 'Permission codes (1001 …); you can only grant codes you hold.' }),
  }),
});

builder.mutationField('createRole', (t) =>
  t.prismaField({
    type: RoleRef,
    description: 'Creates a custom role from permission codes. Errors: INVALID_PARAMETER, INVALID_PERMISSIONS (details.reason), ROLE_NAME_TAKEN, MERCHANT_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: CreateRoleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      requireUser(ctx);
      // A GLOBAL role belongs to no merchant (the service refuses one that names a merchant).
      const raw = input.merchantId == null ? null : String(input.merchantId);
      const merchantId = input.scope === 'GLOBAL' && raw === null ? null : await merchantOfNew(ctx, raw);
      assertCan(ctx, 'create', 'Role', { merchantId, builtIn: false, scope: input.scope });
      const { roleId } = await domain(() =>
        createRole(ctx.prisma, adminActor(ctx), { name: input.name, description: input.description, scope: input.scope, merchantId, permissions: input.permissions }),
      );
      return ctx.prisma.role.findUniqueOrThrow({ ...query, where: { id: roleId } });
    },
  }),
);

const UpdateRoleInput = builder.inputType('UpdateRoleInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The Role node id.' }),
    name: t.string({ required: false }),
    description: t.string({ required: false, description: '"" clears it.' }),
    permissions: t.intList({ required: false, description: 'The complete new set of codes.' }),
  }),
});

builder.mutationField('updateRole', (t) =>
  t.prismaField({
    type: RoleRef,
    description: 'Renames a custom role or changes its permission codes (its scope never changes). Errors: ROLE_NOT_FOUND, ROLE_BUILT_IN, INVALID_PERMISSIONS, ROLE_NAME_TAKEN, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateRoleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const role = await roleFor(ctx, String(input.id), 'update');
      await domain(() => updateRole(ctx.prisma, adminActor(ctx), role.id, { name: input.name, description: input.description, permissions: input.permissions }));
      return ctx.prisma.role.findUniqueOrThrow({ ...query, where: { id: role.id } });
    },
  }),
);

const DeleteRoleInput = builder.inputType('DeleteRoleInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'The Role node id.' }) }),
});

const DeleteRolePayload = builder.objectRef<{ deletedRoleId: string }>('DeleteRolePayload').implement({
  fields: (t) => ({ deletedRoleId: t.exposeID('deletedRoleId', { description: 'Node id of the role that was deleted.' }) }),
});

builder.mutationField('deleteRole', (t) =>
  t.field({
    type: DeleteRolePayload,
    description: 'Deletes a custom role nobody holds. Errors: ROLE_NOT_FOUND, ROLE_BUILT_IN, ROLE_IN_USE (details.users), FORBIDDEN.',
    args: { input: t.arg({ type: DeleteRoleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const role = await roleFor(ctx, String(input.id), 'delete');
      await domain(() => deleteRole(ctx.prisma, adminActor(ctx), role.id));
      return { deletedRoleId: encodeGlobalID('Role', role.id) };
    },
  }),
);
