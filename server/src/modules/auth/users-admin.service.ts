import { randomBytes } from 'node:crypto';
import type { Db, PrismaClient, Tx } from '../../db/prisma.ts';
import type { RoleScope, UserStatus } from '../../generated/prisma/enums.ts';
import { DomainError } from '../../lib/errors.ts';
import { hashPassword } from '../../lib/password.ts';
import { MerchantNotFoundError } from '../apps/apps.errors.ts';
import { recordAudit, type AuditActor } from '../audit/audit.service.ts';
import { PLATFORM_ONLY_CODES } from './ability.ts';
import { normalizeEmail } from './login.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { PERMISSIONS } from './permissions.ts';
import { revokeUserSessions } from './sessions.ts';
import type { UserViewer } from './viewer.ts';

/**
 * Users and roles administration (seed 004 "User Management", "Role-Based Access Control").
 *
 * Two kinds of administrator call these functions:
 * - platform staff (a GLOBAL role): USER_MANAGE (5005) manages every user, ROLE_MANAGE (5006) every
 *   role; a GLOBAL TEAM_WRITE (4005) without them manages merchants' members and merchant roles only;
 * - a merchant member with TEAM_WRITE (a Merchant Owner): the members and custom roles of their own
 *   merchant, with MERCHANT-scope roles only.
 * The GraphQL layer has already checked the CASL ability on the row (read → else NOT_FOUND, then the
 * action → else FORBIDDEN); the rules here are the ones CASL cannot express: which roles may be
 * assigned to whom, no privilege escalation (you can only hand out, or put into a role, permission codes
 * you hold yourself), at least one active Administrator at all times, nobody resets their own password
 * or second factor here (Settings does that, with the current password).
 *
 * Every change is one transaction with its audit row. Audit before/after hold safe views only: never a
 * password, a hash, a TOTP secret or a temporary password.
 */

// ─────────────────────────────── errors ───────────────────────────────

/** Stable codes of this module (besides PASSWORD_POLICY from password-policy.ts, MERCHANT_NOT_FOUND). */
export const USER_ADMIN_ERROR_CODES = [
  'USER_NOT_FOUND',
  'ROLE_NOT_FOUND',
  /** Another user has this email. */
  'EMAIL_TAKEN',
  /** A field is missing or malformed (`details.field`). */
  'INVALID_PARAMETER',
  /** Unknown codes, platform-only codes in a MERCHANT-scope role, or codes the actor does not hold (`details.reason`). */
  'INVALID_PERMISSIONS',
  /** Staff take GLOBAL roles, merchant members MERCHANT roles of (or shared with) their own merchant. */
  'ROLE_SCOPE_MISMATCH',
  /** The actor may not assign this role (`details.reason`: GLOBAL_ROLE, PERMISSIONS_NOT_HELD). */
  'ROLE_NOT_ASSIGNABLE',
  /** The change would leave no active Administrator. */
  'LAST_ADMINISTRATOR',
  /** Disabling yourself, or resetting your own password or second factor through the admin path. */
  'CANNOT_MODIFY_SELF',
  /** Built-in roles cannot be changed or deleted. */
  'ROLE_BUILT_IN',
  /** The role is still assigned to users (`details.users`). */
  'ROLE_IN_USE',
  /** A role with this name already exists for the same merchant (or platform-wide). */
  'ROLE_NAME_TAKEN',
  /** The actor's permissions do not cover this (e.g. staff users without USER_MANAGE). */
  'FORBIDDEN',
] as const;

export type UserAdminErrorCode = (typeof USER_ADMIN_ERROR_CODES)[number];

export class UserAdminError extends DomainError {
  declare readonly code: UserAdminErrorCode;
  constructor(code: UserAdminErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

// ─────────────────────────────── the actor ───────────────────────────────

/** Who administers: a signed-in user, with what the GraphQL layer knows about them. */
export interface AdminActor {
  audit: AuditActor;
  userId: string;
  /** Platform staff (holds a GLOBAL role). */
  global: boolean;
  /** The member's merchant; for staff it restricts nothing. */
  merchantId: string | null;
  permissions: ReadonlySet<number>;
}

export function adminActorOf(viewer: UserViewer, ip: string | null | undefined): AdminActor {
  return {
    audit: { type: 'USER', id: viewer.userId, label: viewer.email, ip: ip ?? null },
    userId: viewer.userId,
    global: viewer.global,
    merchantId: viewer.merchantId,
    permissions: viewer.permissions,
  };
}

const P = PERMISSIONS;
const KNOWN_CODES: ReadonlySet<number> = new Set<number>(Object.values(PERMISSIONS));
const MAX_ROLES_PER_USER = 20;
const ADMINISTRATOR = 'ADMINISTRATOR';

/** Staff with USER_MANAGE: every user, staff included, and GLOBAL roles. */
const managesStaff = (actor: AdminActor) => actor.global && actor.permissions.has(P.USER_MANAGE);
/** Staff with ROLE_MANAGE: GLOBAL and platform-wide roles. */
const managesPlatformRoles = (actor: AdminActor) => actor.global && actor.permissions.has(P.ROLE_MANAGE);
/** The merchant a member-administrator is confined to; null for staff. */
const confinedTo = (actor: AdminActor): string | null => (actor.global ? null : actor.merchantId);

// ─────────────────────────────── users ───────────────────────────────

export interface CreateUserInput {
  email: string;
  name: string;
  /** The merchant of a member; null for platform staff. */
  merchantId: string | null;
  roleIds: readonly string[];
  /** The initial password (checked against the policy); absent → a temporary one is generated and returned once. */
  password?: string | null;
}

export interface PasswordOutcome {
  /** A generated password, to hand to the user once; null when the administrator chose it. */
  temporaryPassword: string | null;
}

/**
 * Creates a user with roles and an argon2id password: the one given (policy checked) or a generated
 * temporary one, returned here and nowhere else. The user model has no "must change password" flag,
 * so the user is asked (not forced) to change it in Settings.
 */
export async function createUser(db: PrismaClient, actor: AdminActor, input: CreateUserInput): Promise<{ userId: string } & PasswordOutcome> {
  const email = validateEmail(input.email);
  const name = validateName(input.name, 'name', 200);
  const merchantId = input.merchantId;
  assertMayManage(actor, { merchantId, staff: merchantId === null });
  const { password, temporaryPassword } = choosePassword(input.password, email);
  const passwordHash = await hashPassword(password);

  return db.$transaction(async (tx) => {
    if (merchantId !== null) {
      const merchant = await tx.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
      if (!merchant) throw new MerchantNotFoundError({ merchantId });
    }
    const roles = await assignableRoles(tx, actor, merchantId, input.roleIds);
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken(email);
    let user: { id: string };
    try {
      user = await tx.user.create({
        // The administrator knows this password: the user replaces it at first sign-in.
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

export interface UpdateUserInput {
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
export async function updateUser(db: PrismaClient, actor: AdminActor, userId: string, input: UpdateUserInput): Promise<{ revokedSessions: number }> {
  const name = input.name == null ? undefined : validateName(input.name, 'name', 200);
  const status = input.status ?? undefined;
  if (status === 'DISABLED' && userId === actor.userId) {
    throw new UserAdminError('CANNOT_MODIFY_SELF', 'you cannot disable your own account', { action: 'disable' });
  }
  const mayRemoveAdministrator = status === 'DISABLED' || input.roleIds != null;
  return db.$transaction(async (tx) => {
    const adminRoleId = mayRemoveAdministrator ? await lockAdministratorRole(tx) : null;
    const target = await loadTarget(tx, actor, userId);
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
    if (!Object.keys(data).length && !rolesChanged) return { revokedSessions };

    await recordAudit(tx, actor.audit, {
      action: data.status === 'DISABLED' ? 'user.disable' : data.status === 'ACTIVE' ? 'user.enable' : 'user.update',
      merchantId: target.merchantId,
      entityType: 'User',
      entityId: target.id,
      before,
      after: { ...before, ...data, roles: roles.map(roleRef), ...(revokedSessions ? { revokedSessions } : {}) },
    });
    return { revokedSessions };
  });
}

/** Clears a user's TOTP so they enrol again at their next sign-in; ends their sessions. */
export async function resetUserTotp(db: PrismaClient, actor: AdminActor, userId: string): Promise<{ revokedSessions: number }> {
  if (userId === actor.userId) {
    throw new UserAdminError('CANNOT_MODIFY_SELF', 'reset your own two-factor authentication from Settings', { action: 'reset_totp' });
  }
  return db.$transaction(async (tx) => {
    const target = await loadTarget(tx, actor, userId);
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
    return { revokedSessions };
  });
}

/**
 * Sets a new password for a user (policy checked) or generates a temporary one (returned once); ends
 * their sessions. Your own password is changed in Settings, with the current one.
 */
export async function resetUserPassword(
  db: PrismaClient,
  actor: AdminActor,
  userId: string,
  input: { password?: string | null },
): Promise<PasswordOutcome & { revokedSessions: number }> {
  if (userId === actor.userId) {
    throw new UserAdminError('CANNOT_MODIFY_SELF', 'change your own password from Settings', { action: 'reset_password' });
  }
  const found = await loadTarget(db, actor, userId);
  const { password, temporaryPassword } = choosePassword(input.password, found.email);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const target = await loadTarget(tx, actor, userId);
    const now = new Date();
    await tx.user.update({ where: { id: target.id }, data: { passwordHash, passwordChangedAt: now, mustChangePassword: true } });
    const revokedSessions = await revokeUserSessions(tx, target.id, { now });
    await recordAudit(tx, actor.audit, {
      action: 'user.reset_password',
      merchantId: target.merchantId,
      entityType: 'User',
      entityId: target.id,
      after: { password: temporaryPassword ? 'GENERATED' : 'SET_BY_ADMINISTRATOR', revokedSessions },
    });
    return { temporaryPassword, revokedSessions };
  });
}

/**
 * Ends a sign-in lockout now. `lockedUntil` becomes the current time rather than null: the lockout
 * counts failures since the end of the last lock (login.ts), so the failures that caused this lock do
 * not count again and the next wrong password does not lock the account at once.
 */
export async function unlockUser(db: PrismaClient, actor: AdminActor, userId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const target = await loadTarget(tx, actor, userId);
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
  });
}

// ─────────────────────────────── roles ───────────────────────────────

export interface CreateRoleInput {
  name: string;
  description?: string | null;
  scope: RoleScope;
  /** MERCHANT scope: the merchant the role belongs to, or null for a role every merchant may use (staff only). */
  merchantId: string | null;
  permissions: readonly number[];
}

/** Creates a custom role from permission codes. */
export async function createRole(db: PrismaClient, actor: AdminActor, input: CreateRoleInput): Promise<{ roleId: string }> {
  const name = validateName(input.name, 'name', 100);
  const description = validateDescription(input.description);
  const merchantId = input.scope === 'GLOBAL' ? null : input.merchantId;
  if (input.scope === 'GLOBAL' && input.merchantId !== null) {
    throw new UserAdminError('INVALID_PARAMETER', 'a GLOBAL role belongs to no merchant', { field: 'merchantId' });
  }
  assertMayEditRole(actor, { scope: input.scope, merchantId });
  const permissions = validatePermissions(actor, input.scope, input.permissions);

  return db.$transaction(async (tx) => {
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

export interface UpdateRoleInput {
  name?: string | null;
  /** Empty string clears it. */
  description?: string | null;
  /** The complete new set of codes. */
  permissions?: readonly number[] | null;
}

/** Renames a custom role or changes its codes (scope and merchant never change). */
export async function updateRole(db: PrismaClient, actor: AdminActor, roleId: string, input: UpdateRoleInput): Promise<void> {
  await db.$transaction(async (tx) => {
    const role = await lockRole(tx, actor, roleId);
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
    if (!Object.keys(data).length) return;
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
  });
}

/** Deletes a custom role that nobody holds (ROLE_IN_USE otherwise). */
export async function deleteRole(db: PrismaClient, actor: AdminActor, roleId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const role = await lockRole(tx, actor, roleId);
    const users = await tx.userRole.count({ where: { roleId: role.id } });
    if (users > 0) throw new UserAdminError('ROLE_IN_USE', `the role is still assigned to ${users} user(s); reassign them first`, { users });
    await tx.role.delete({ where: { id: role.id } });
    await recordAudit(tx, actor.audit, { action: 'role.delete', merchantId: role.merchantId, entityType: 'Role', entityId: role.id, before: roleView(role) });
  });
}

/** ROLE_BUILT_IN for a built-in role (the GraphQL layer asks before the ability, for a clear answer). */
export function assertRoleEditable(role: { id: string; builtIn: boolean; key: string | null }): void {
  if (role.builtIn) throw new UserAdminError('ROLE_BUILT_IN', 'built-in roles cannot be changed or deleted', { key: role.key });
}

// ─────────────────────────────── rules ───────────────────────────────

/** Staff users need USER_MANAGE; members need to be of the actor's merchant (else they "do not exist"). */
function assertMayManage(actor: AdminActor, target: { merchantId: string | null; staff: boolean }): void {
  const merchant = confinedTo(actor);
  if (merchant !== null && target.merchantId !== merchant) throw new UserAdminError('USER_NOT_FOUND', 'user not found');
  if (target.staff && !managesStaff(actor)) {
    throw new UserAdminError('FORBIDDEN', 'platform staff are managed by holders of USER_MANAGE only', { permission: P.USER_MANAGE });
  }
}

/** GLOBAL and platform-wide roles need ROLE_MANAGE; a member edits only their merchant's own roles. */
function assertMayEditRole(actor: AdminActor, role: { scope: RoleScope; merchantId: string | null }): void {
  const merchant = confinedTo(actor);
  if (merchant !== null && role.merchantId !== merchant) {
    if (role.scope === 'GLOBAL' || role.merchantId === null) throw new UserAdminError('FORBIDDEN', 'merchant roles belong to your merchant', { field: 'scope' });
    throw new UserAdminError('ROLE_NOT_FOUND', 'role not found');
  }
  if ((role.scope === 'GLOBAL' || role.merchantId === null) && !managesPlatformRoles(actor)) {
    throw new UserAdminError('FORBIDDEN', 'GLOBAL and platform-wide roles are managed by holders of ROLE_MANAGE only', { permission: P.ROLE_MANAGE });
  }
}

/**
 * Checks the codes of a role: known, at least one, no platform-only code in a MERCHANT-scope role (it
 * would grant nothing), and only codes the actor holds (no escalation). Returns them sorted, unique.
 */
function validatePermissions(actor: AdminActor, scope: RoleScope, codes: readonly number[]): number[] {
  const permissions = [...new Set(codes)].sort((a, b) => a - b);
  if (!permissions.length) throw new UserAdminError('INVALID_PERMISSIONS', 'a role needs at least one permission', { reason: 'EMPTY' });
  const unknown = permissions.filter((c) => !KNOWN_CODES.has(c));
  if (unknown.length) throw new UserAdminError('INVALID_PERMISSIONS', `unknown permission codes: ${unknown.join(', ')}`, { reason: 'UNKNOWN', codes: unknown });
  if (scope === 'MERCHANT') {
    const platform = permissions.filter((c) => PLATFORM_ONLY_CODES.has(c));
    if (platform.length) {
      throw new UserAdminError('INVALID_PERMISSIONS', `platform-only codes mean nothing in a MERCHANT role: ${platform.join(', ')}`, { reason: 'PLATFORM_ONLY', codes: platform });
    }
  }
  const notHeld = permissions.filter((c) => !actor.permissions.has(c));
  if (notHeld.length) {
    throw new UserAdminError('INVALID_PERMISSIONS', `you can only grant permissions you hold yourself: ${notHeld.join(', ')}`, { reason: 'NOT_HELD', codes: notHeld });
  }
  return permissions;
}

interface RoleRow {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  scope: RoleScope;
  builtIn: boolean;
  merchantId: string | null;
  permissions: number[];
}

const roleSelect = { id: true, key: true, name: true, description: true, scope: true, builtIn: true, merchantId: true, permissions: true } as const;

/**
 * The roles `roleIds` name, checked for a user of `targetMerchantId` (null = staff): each exists and is
 * visible to the actor, has the user's scope (staff: GLOBAL; members: MERCHANT, shared or of their
 * merchant), and its codes are all held by the actor (no escalation; roles the user already holds are
 * exempt so an administrator can rename or re-role someone without re-granting them). Locks the
 * roles FOR SHARE so a concurrent deleteRole cannot cascade the new assignment away.
 */
async function assignableRoles(
  tx: Tx,
  actor: AdminActor,
  targetMerchantId: string | null,
  roleIds: readonly string[],
  alreadyHeld: readonly string[] = [],
): Promise<RoleRow[]> {
  const ids = [...new Set(roleIds)];
  if (!ids.length) throw new UserAdminError('INVALID_PARAMETER', 'a user needs at least one role', { field: 'roleIds' });
  if (ids.length > MAX_ROLES_PER_USER) throw new UserAdminError('INVALID_PARAMETER', `at most ${MAX_ROLES_PER_USER} roles`, { field: 'roleIds', max: MAX_ROLES_PER_USER });
  await tx.$queryRaw`SELECT id FROM roles WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR SHARE`;
  const rows = await tx.role.findMany({ where: { id: { in: ids } }, select: roleSelect });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const merchant = confinedTo(actor);
  const roles: RoleRow[] = [];
  for (const id of ids) {
    const role = byId.get(id);
    // A member sees built-in roles and their merchant's own (as TEAM_READ reads them), nothing else.
    if (!role || (merchant !== null && !role.builtIn && role.merchantId !== merchant)) {
      throw new UserAdminError('ROLE_NOT_FOUND', 'role not found', { roleId: id });
    }
    if (role.scope === 'GLOBAL') {
      if (!managesStaff(actor)) {
        throw new UserAdminError('ROLE_NOT_ASSIGNABLE', `only holders of USER_MANAGE assign staff roles (${role.name})`, { roleId: id, reason: 'GLOBAL_ROLE' });
      }
      if (targetMerchantId !== null) {
        throw new UserAdminError('ROLE_SCOPE_MISMATCH', `${role.name} is a staff (GLOBAL) role; a merchant member takes MERCHANT roles`, { roleId: id });
      }
    } else {
      if (targetMerchantId === null) {
        throw new UserAdminError('ROLE_SCOPE_MISMATCH', `${role.name} is a MERCHANT role; platform staff take GLOBAL roles`, { roleId: id });
      }
      if (role.merchantId !== null && role.merchantId !== targetMerchantId) {
        throw new UserAdminError('ROLE_SCOPE_MISMATCH', `${role.name} belongs to another merchant`, { roleId: id });
      }
    }
    if (!alreadyHeld.includes(id)) {
      const notHeld = role.permissions.filter((c) => !actor.permissions.has(c));
      if (notHeld.length) {
        throw new UserAdminError('ROLE_NOT_ASSIGNABLE', `${role.name} has permissions you do not hold: ${notHeld.join(', ')}`, {
          roleId: id,
          reason: 'PERMISSIONS_NOT_HELD',
          codes: notHeld,
        });
      }
    }
    roles.push(role);
  }
  return roles;
}

const targetSelect = {
  id: true,
  email: true,
  name: true,
  status: true,
  merchantId: true,
  totpEnabled: true,
  lockedUntil: true,
  failedLoginCount: true,
  roles: { select: { role: { select: roleSelect } }, orderBy: { roleId: 'asc' } },
} as const;

/** The user, checked as manageable by the actor (never selects the password hash or TOTP secret). */
async function loadTarget(db: Db, actor: AdminActor, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: targetSelect });
  if (!user) throw new UserAdminError('USER_NOT_FOUND', 'user not found');
  assertMayManage(actor, { merchantId: user.merchantId, staff: user.merchantId === null || user.roles.some((r) => r.role.scope === 'GLOBAL') });
  return user;
}

/** Serialises every change that could remove an Administrator; returns the role's id (null when absent). */
async function lockAdministratorRole(tx: Tx): Promise<string | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM roles WHERE key = ${ADMINISTRATOR} FOR UPDATE`;
  return rows[0]?.id ?? null;
}

/** A custom role the actor may edit, locked for the change. */
async function lockRole(tx: Tx, actor: AdminActor, roleId: string): Promise<RoleRow> {
  await tx.$queryRaw`SELECT id FROM roles WHERE id = ${roleId}::uuid FOR UPDATE`;
  const role = await tx.role.findUnique({ where: { id: roleId }, select: roleSelect });
  if (!role) throw new UserAdminError('ROLE_NOT_FOUND', 'role not found');
  assertRoleEditable(role);
  assertMayEditRole(actor, role);
  return role;
}

/**
 * Role names are unique per merchant, and among platform-wide roles (where the database's unique
 * index does not help, NULLs being distinct): checked case-insensitively under an advisory lock.
 */
async function assertRoleNameFree(tx: Tx, merchantId: string | null, name: string, exceptId?: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`payrail:role-name:${merchantId ?? 'platform'}:${name.toLowerCase()}`}))`;
  const clash = await tx.role.findFirst({
    where: { merchantId, name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw roleNameTaken(name);
}

// ─────────────────────────────── small helpers ───────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validateEmail(raw: string): string {
  const email = normalizeEmail(typeof raw === 'string' ? raw : '');
  if (email.length > 320 || !EMAIL.test(email)) throw new UserAdminError('INVALID_PARAMETER', 'not an email address', { field: 'email' });
  return email;
}

function validateName(raw: string, field: string, max: number): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name.length < 1 || name.length > max) throw new UserAdminError('INVALID_PARAMETER', `${field} must be 1 to ${max} characters`, { field, min: 1, max });
  return name;
}

function validateDescription(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim();
  if (text.length > 1000) throw new UserAdminError('INVALID_PARAMETER', 'description: at most 1000 characters', { field: 'description', max: 1000 });
  return text === '' ? null : text;
}

/** The given password (policy checked, PASSWORD_POLICY) or a generated one of 20 URL-safe characters (120 bits). */
function choosePassword(given: string | null | undefined, email: string): { password: string; temporaryPassword: string | null } {
  if (given != null && given !== '') {
    assertPasswordPolicy(given, { email });
    return { password: given, temporaryPassword: null };
  }
  const generated = randomBytes(15).toString('base64url');
  return { password: generated, temporaryPassword: generated };
}

function userView(user: { email: string; name: string; status: UserStatus; merchantId: string | null; roles: Array<{ role: RoleRow }> }) {
  return { email: user.email, name: user.name, status: user.status, merchantId: user.merchantId, roles: user.roles.map((r) => roleRef(r.role)) };
}

function roleRef(role: RoleRow) {
  return { id: role.id, key: role.key, name: role.name };
}

function roleView(role: RoleRow) {
  return { name: role.name, description: role.description, scope: role.scope, merchantId: role.merchantId, permissions: role.permissions };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a.length === b.length && [...a].sort().every((id, i) => id === sorted[i]);
}

function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  const sorted = [...b].sort((x, y) => x - y);
  return a.length === sorted.length && a.every((c, i) => c === sorted[i]);
}

const emailTaken = (email: string) => new UserAdminError('EMAIL_TAKEN', 'another user has this email address', { field: 'email', email });
const roleNameTaken = (name: string) => new UserAdminError('ROLE_NAME_TAKEN', 'a role with this name already exists', { field: 'name', name });

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
