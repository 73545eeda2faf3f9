import { PERMISSIONS } from '../../modules/auth/permissions.ts';
import { builder } from '../builder.ts';
import { guard, readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, equals, inList, isValue, parseIds, searchContains } from '../lists/filters.ts';
import { resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { RoleScopeEnum, UserStatusEnum } from '../schema/enums.schema.ts';
import { MerchantRef } from '../merchants/merchants.schema.ts';

/** Users and roles (seed 004). Password hashes, TOTP secrets and lockout counters are never loaded. */

const PERMISSION_NAMES = new Map<number, string>(Object.entries(PERMISSIONS).map(([name, code]) => [code, name]));

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  ...nodeAccess('User'),
  description: 'A platform staff member (no merchant) or a member of one merchant.',
  select: {
    id: true,
    email: true,
    name: true,
    status: true,
    merchantId: true,
    locale: true,
    timezone: true,
    totpEnabled: true,
    lockedUntil: true,
    lastLoginAt: true,
    createdAt: true,
    updatedAt: true,
  },
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    status: t.expose('status', { type: UserStatusEnum }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: 'The merchant of a merchant member; null for platform staff.',
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (u, _a, ctx) => guard(ctx, 'Merchant', u.merchant),
    }),
    locale: t.exposeString('locale'),
    timezone: t.exposeString('timezone'),
    totpEnabled: t.exposeBoolean('totpEnabled', { description: 'Two-factor authentication is enrolled.' }),
    lockedUntil: t.expose('lockedUntil', { type: 'DateTime', nullable: true }),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
    roles: t.field({
      type: [RoleRef],
      select: (_args, _ctx, nested) => ({ roles: { select: { role: nested(true) }, orderBy: { roleId: 'asc' } } }),
      resolve: (u) => u.roles.map((r) => r.role),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const RoleRef = builder.prismaNode('Role', {
  id: { field: 'id' },
  ...nodeAccess('Role'),
  description: 'A set of permission codes; built-in roles have a fixed key.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true, description: 'ADMINISTRATOR, FINANCE, … for built-in roles.' }),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    scope: t.expose('scope', { type: RoleScopeEnum }),
    builtIn: t.exposeBoolean('builtIn'),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: 'The merchant a custom role belongs to; null = platform-wide.',
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (r, _a, ctx) => guard(ctx, 'Merchant', r.merchant),
    }),
    permissions: t.exposeIntList('permissions', { description: 'Permission codes (seed 001: 1014, 1021, …).' }),
    permissionNames: t.stringList({
      description: 'The same codes by name (OPERATION_PAYMENT_WRITE …); unknown codes as their number.',
      resolve: (r) => r.permissions.map((code) => PERMISSION_NAMES.get(code) ?? String(code)),
    }),
    userCount: t.relationCount('users', {
      description: 'Holders of this role among the users the viewer may read (a merchant member: its own team).',
      where: (_args, ctx) => ({ user: { is: readWhere(ctx, 'User') } }) as never,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

// ─────────────────────────── lists ───────────────────────────

const userSort = sortInput('User', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  EMAIL: column('EMAIL', 'email', 'string'),
  LAST_LOGIN_AT: column('LAST_LOGIN_AT', 'lastLoginAt', 'date', true),
});

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    merchantIds: t.idList({ required: false }),
    staff: t.boolean({ required: false, description: 'true: platform staff only (no merchant); false: merchant members only.' }),
    status: t.field({ type: UserStatusEnum, required: false }),
    roleKeys: t.stringList({ required: false, description: 'Users holding any of these built-in roles.' }),
    roleIds: t.idList({ required: false }),
    email: t.string({ required: false }),
    search: t.string({ required: false, description: 'Substring of the email or name, case-insensitive.' }),
  }),
});

builder.queryField('users', (t) =>
  t.connection(
    {
      type: UserRef,
      description: 'Users the viewer may read (a merchant owner: their team).',
      args: {
        filter: t.arg({ type: UserFilter, required: false }),
        sort: t.arg({ type: userSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const roleIds = parseIds('Role', 'roleIds', f.roleIds);
        const where = and(
          readWhere(ctx, 'User'),
          inList('id', parseIds('User', 'ids', f.ids)),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          f.staff === true ? { merchantId: null } : f.staff === false ? { merchantId: { not: null } } : undefined,
          isValue('status', f.status),
          f.roleKeys?.length ? { roles: { some: { role: { key: { in: f.roleKeys } } } } } : undefined,
          roleIds ? { roles: { some: { roleId: { in: roleIds } } } } : undefined,
          equals('email', f.email?.toLowerCase()),
          searchContains(['email', 'name'], f.search),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'User', where,
          sort: resolveSort(userSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.user.findMany(q as never),
          count: (q) => ctx.prisma.user.count(q as never),
        });
      },
    },
    listConnection('User', UserRef),
  ),
);

const roleSort = sortInput('Role', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  NAME: column('NAME', 'name', 'string'),
});

const RoleFilter = builder.inputType('RoleFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    scope: t.field({ type: RoleScopeEnum, required: false }),
    merchantIds: t.idList({ required: false }),
    builtIn: t.boolean({ required: false }),
    permission: t.int({ required: false, description: 'Roles containing this permission code.' }),
  }),
});

builder.queryField('roles', (t) =>
  t.connection(
    {
      type: RoleRef,
      description: 'Roles the viewer may read.',
      args: {
        filter: t.arg({ type: RoleFilter, required: false }),
        sort: t.arg({ type: roleSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'Role'),
          inList('id', parseIds('Role', 'ids', f.ids)),
          isValue('scope', f.scope),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          isValue('builtIn', f.builtIn),
          f.permission !== null && f.permission !== undefined ? { permissions: { has: f.permission } } : undefined,
        );
        return keysetConnection({
          ctx, info, args, typeName: 'Role', where,
          sort: resolveSort(roleSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.role.findMany(q as never),
          count: (q) => ctx.prisma.role.count(q as never),
        });
      },
    },
    listConnection('Role', RoleRef),
  ),
);
