import { encodeGlobalID } from '@pothos/plugin-relay';
import { createRole } from '../../modules/auth/users-admin/create-role.ts';
import { createUser } from '../../modules/auth/users-admin/create-user.ts';
import { deleteRole } from '../../modules/auth/users-admin/delete-role.ts';
import { resetUserPassword } from '../../modules/auth/users-admin/reset-user-password.ts';
import { resetUserTotp } from '../../modules/auth/users-admin/reset-user-totp.ts';
import { unlockUser } from '../../modules/auth/users-admin/unlock-user.ts';
import { updateRole } from '../../modules/auth/users-admin/update-role.ts';
import { updateUser } from '../../modules/auth/users-admin/update-user.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { RoleScopeEnum, UserStatusEnum } from '../schema/enums.schema.ts';
import { RoleRef, UserRef } from './users.schema.ts';

/**
 * Users and roles (seed 004). Who may do what:
 * - Administrators (USER_MANAGE 5005, ROLE_MANAGE 5006): every user and role.
 * - A Merchant Owner (TEAM_WRITE 4005): the members of their own merchant, with MERCHANT-scope roles
 *   (built-in or the merchant's own), and the merchant's own custom roles.
 * - Everyone else: FORBIDDEN on what they can read, *_NOT_FOUND on what they cannot (another
 *   merchant's users and roles never show they exist).
 * Each field parses its input, calls one operation of modules/auth/users-admin/ (which loads, authorizes,
 * applies the rules and writes in one transaction with its audit row) and presents the result.
 */

const userIdOf = (raw: string | number) => parseIds('User', 'id', [String(raw)])![0]!;
const roleIdOf = (raw: string | number) => parseIds('Role', 'id', [String(raw)])![0]!;
const roleIdsOf = (ids: readonly (string | number)[]) => parseIds('Role', 'roleIds', ids.map(String)) ?? [];
/** The merchant a new user or role names; absent or "" = none. */
const merchantIdOf = (raw: string | number | null | undefined) =>
  raw == null || raw === '' ? null : parseIds('Merchant', 'merchantId', [String(raw)])![0]!;

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
      return createUser(ctx, {
        email: input.email,
        name: input.name,
        merchantId: merchantIdOf(input.merchantId),
        roleIds: roleIdsOf(input.roleIds),
        password: input.password,
      });
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
      const { userId } = await updateUser(ctx, {
        userId: userIdOf(input.id),
        name: input.name,
        roleIds: input.roleIds == null ? null : roleIdsOf(input.roleIds),
        status: input.status,
      });
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: userId } });
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
      const { userId } = await resetUserTotp(ctx, userIdOf(input.id));
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: userId } });
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
      const { userId, temporaryPassword } = await resetUserPassword(ctx, { userId: userIdOf(input.id), password: input.password });
      return { userId, temporaryPassword };
    },
  }),
);

builder.mutationField('unlockUser', (t) =>
  t.prismaField({
    type: UserRef,
    description: 'Ends a sign-in lockout now (failures before it no longer count). Errors: USER_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: UserIdInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { userId } = await unlockUser(ctx, userIdOf(input.id));
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: userId } });
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
      const { roleId } = await createRole(ctx, {
        name: input.name,
        description: input.description,
        scope: input.scope,
        merchantId: merchantIdOf(input.merchantId),
        permissions: input.permissions,
      });
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
      const { roleId } = await updateRole(ctx, { roleId: roleIdOf(input.id), name: input.name, description: input.description, permissions: input.permissions });
      return ctx.prisma.role.findUniqueOrThrow({ ...query, where: { id: roleId } });
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
      const { roleId } = await deleteRole(ctx, roleIdOf(input.id));
      return { deletedRoleId: encodeGlobalID('Role', roleId) };
    },
  }),
);
