import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../../../db/prisma.ts';
import type { RoleScope, UserStatus } from '../../../generated/prisma/enums.ts';
import { DomainError } from '../../../lib/errors.ts';
import type { AuditActor } from '../../audit/audit.service.ts';
import { PLATFORM_ONLY_CODES } from '../ability.ts';
import { actorOf, assertCan, can, notFound, type RequestContext } from '../authorize.ts';
import { normalizeEmail } from '../login.ts';
import { assertPasswordPolicy } from '../password-policy.ts';
import { PERMISSIONS } from '../permissions.ts';
import type { UserViewer } from '../viewer.ts';

/**
 * The shared rules of users and roles administration (seed 004 "User Management", "Role-Based Access
 * Control"); each operation is its own file next to this one (create-user.ts, update-user.ts …).
 *
 * Two kinds of administrator call them:
 * - platform staff (a GLOBAL role): USER_MANAGE (5005) manages every user, ROLE_MANAGE (5006) every
 *   role; a GLOBAL TEAM_WRITE (4005) without them manages merchants' members and merchant roles only;
 * - a merchant member with TEAM_WRITE (a Merchant Owner): the members and custom roles of their own
 *   merchant, with MERCHANT-scope roles only.
 * Only signed-in people (not API tokens) administer users. Each operation loads its row and checks the
 * CASL ability on it (read → else *_NOT_FOUND, then the action → else FORBIDDEN), then the rules CASL
 * cannot express: which roles may be assigned to whom, no privilege escalation (you can only hand out,
 * or put into a role, permission codes you hold yourself), at least one active Administrator at all
 * times, nobody resets their own password or second factor here (Settings does that, with the
 * current password).
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

/** Who administers: the signed-in user of the request context. */
export interface AdminActor {
  audit: AuditActor;
  userId: string;
  /** Platform staff (holds a GLOBAL role). */
  global: boolean;
  /** The member's merchant; for staff it restricts nothing. */
  merchantId: string | null;
  permissions: ReadonlySet<number>;
}

export function adminActorOf(ctx: RequestContext, viewer: UserViewer): AdminActor {
  return {
    audit: actorOf(ctx, viewer),
    userId: viewer.userId,
    global: viewer.global,
    merchantId: viewer.merchantId,
    permissions: viewer.permissions,
  };
}

const P = PERMISSIONS;
export const KNOWN_CODES: ReadonlySet<number> = new Set<number>(Object.values(PERMISSIONS));
const MAX_ROLES_PER_USER = 20;
const ADMINISTRATOR = 'ADMINISTRATOR';

/** Staff with USER_MANAGE: every user, staff included, and GLOBAL roles. */
export const managesStaff = (actor: AdminActor) => actor.global && actor.permissions.has(P.USER_MANAGE);
/** Staff with ROLE_MANAGE: GLOBAL and platform-wide roles. */
const managesPlatformRoles = (actor: AdminActor) => actor.global && actor.permissions.has(P.ROLE_MANAGE);
/** The merchant a member-administrator is confined to; null for staff. */
export const confinedTo = (actor: AdminActor): string | null => (actor.global ? null : actor.merchantId);

/** What an operation that sets a password returns. */
export interface PasswordOutcome {
  /** A generated password, to hand to the user once; null when the administrator chose it. */
  temporaryPassword: string | null;
}

// ─────────────────────────────── rules ───────────────────────────────

/** Staff users need USER_MANAGE; members need to be of the actor's merchant (else they "do not exist"). */
export function assertMayManage(actor: AdminActor, target: { merchantId: string | null; staff: boolean }): void {
  const merchant = confinedTo(actor);
  if (merchant !== null && target.merchantId !== merchant) throw new UserAdminError('USER_NOT_FOUND', 'user not found');
  if (target.staff && !managesStaff(actor)) {
    throw new UserAdminError('FORBIDDEN', 'platform staff are managed by holders of USER_MANAGE only', { permission: P.USER_MANAGE });
  }
}

/** GLOBAL and platform-wide roles need ROLE_MANAGE; a member edits only their merchant's own roles. */
export function assertMayEditRole(actor: AdminActor, role: { scope: RoleScope; merchantId: string | null }): void {
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
export function validatePermissions(actor: AdminActor, scope: RoleScope, codes: readonly number[]): number[] {
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

export interface RoleRow {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  scope: RoleScope;
  builtIn: boolean;
  merchantId: string | null;
  permissions: number[];
}

export const roleSelect = { id: true, key: true, name: true, description: true, scope: true, builtIn: true, merchantId: true, permissions: true } as const;

/**
 * The roles `roleIds` name, checked for a user of `targetMerchantId` (null = staff): each exists and is
 * visible to the actor, has the user's scope (staff: GLOBAL; members: MERCHANT, shared or of their
 * merchant), and its codes are all held by the actor (no escalation; roles the user already holds are
 * exempt so an administrator can rename or re-role someone without re-granting them). Locks the
 * roles FOR SHARE so a concurrent deleteRole cannot cascade the new assignment away.
 */
export async function assignableRoles(
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

export const targetSelect = {
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

/**
 * The user, if the viewer may read it (else USER_NOT_FOUND: missing and unreadable look alike) and
 * `action` it (else FORBIDDEN). Never selects the password hash or TOTP secret.
 */
export async function loadUser(db: Db, ctx: RequestContext, userId: string, action: 'update' | 'delete' = 'update') {
  const user = await db.user.findUnique({ where: { id: userId }, select: targetSelect });
  if (!user || !can(ctx, 'read', 'User', user)) throw notFound('user');
  assertCan(ctx, action, 'User', user);
  return user;
}

/** USER_NOT_FOUND for another merchant's user, FORBIDDEN for staff without USER_MANAGE (see assertMayManage). */
export function assertMayManageUser(actor: AdminActor, user: { merchantId: string | null; roles: ReadonlyArray<{ role: { scope: RoleScope } }> }): void {
  assertMayManage(actor, { merchantId: user.merchantId, staff: user.merchantId === null || user.roles.some((r) => r.role.scope === 'GLOBAL') });
}

/** Serialises every change that could remove an Administrator; returns the role's id (null when absent). */
export async function lockAdministratorRole(tx: Tx): Promise<string | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM roles WHERE key = ${ADMINISTRATOR} FOR UPDATE`;
  return rows[0]?.id ?? null;
}

/**
 * A custom role the actor may edit, locked for the change: ROLE_NOT_FOUND unless the viewer may read
 * it, ROLE_BUILT_IN for a built-in one (before the ability, for a clear answer), FORBIDDEN unless
 * `action` is allowed on it and the actor may edit it (assertMayEditRole).
 */
export async function lockRole(tx: Tx, ctx: RequestContext, actor: AdminActor, roleId: string, action: 'update' | 'delete'): Promise<RoleRow> {
  await tx.$queryRaw`SELECT id FROM roles WHERE id = ${roleId}::uuid FOR UPDATE`;
  const role = await tx.role.findUnique({ where: { id: roleId }, select: roleSelect });
  if (!role || !can(ctx, 'read', 'Role', role)) throw notFound('role');
  assertRoleEditable(role);
  assertCan(ctx, action, 'Role', role);
  assertMayEditRole(actor, role);
  return role;
}

/** ROLE_BUILT_IN for a built-in role. */
export function assertRoleEditable(role: { builtIn: boolean; key: string | null }): void {
  if (role.builtIn) throw new UserAdminError('ROLE_BUILT_IN', 'built-in roles cannot be changed or deleted', { key: role.key });
}

/**
 * The merchant a new user or role belongs to: a member's own when they name none, else the one named
 * (MERCHANT_NOT_FOUND unless the viewer may read it); null when staff name none.
 */
export async function merchantOfNew(db: Db, ctx: RequestContext, viewer: UserViewer, merchantId: string | null): Promise<string | null> {
  if (merchantId === null) return viewer.global ? null : viewer.merchantId;
  const merchant = await db.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
  if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw notFound('merchant');
  return merchant.id;
}

/**
 * Role names are unique per merchant, and among platform-wide roles (where the database's unique
 * index does not help, NULLs being distinct): checked case-insensitively under an advisory lock.
 */
export async function assertRoleNameFree(tx: Tx, merchantId: string | null, name: string, exceptId?: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`payrail:role-name:${merchantId ?? 'platform'}:${name.toLowerCase()}`}))`;
  const clash = await tx.role.findFirst({
    where: { merchantId, name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw roleNameTaken(name);
}

// ─────────────────────────────── small helpers ───────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(raw: string): string {
  const email = normalizeEmail(typeof raw === 'string' ? raw : '');
  if (email.length > 320 || !EMAIL.test(email)) throw new UserAdminError('INVALID_PARAMETER', 'not an email address', { field: 'email' });
  return email;
}

export function validateName(raw: string, field: string, max: number): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name.length < 1 || name.length > max) throw new UserAdminError('INVALID_PARAMETER', `${field} must be 1 to ${max} characters`, { field, min: 1, max });
  return name;
}

export function validateDescription(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim();
  if (text.length > 1000) throw new UserAdminError('INVALID_PARAMETER', 'description: at most 1000 characters', { field: 'description', max: 1000 });
  return text === '' ? null : text;
}

/** The given password (policy checked, PASSWORD_POLICY) or a generated one of 20 URL-safe characters (120 bits). */
export function choosePassword(given: string | null | undefined, email: string): { password: string; temporaryPassword: string | null } {
  if (given != null && given !== '') {
    assertPasswordPolicy(given, { email });
    return { password: given, temporaryPassword: null };
  }
  const generated = randomBytes(15).toString('base64url');
  return { password: generated, temporaryPassword: generated };
}

export function userView(user: { email: string; name: string; status: UserStatus; merchantId: string | null; roles: Array<{ role: RoleRow }> }) {
  return { email: user.email, name: user.name, status: user.status, merchantId: user.merchantId, roles: user.roles.map((r) => roleRef(r.role)) };
}

export function roleRef(role: RoleRow) {
  return { id: role.id, key: role.key, name: role.name };
}

export function roleView(role: RoleRow) {
  return { name: role.name, description: role.description, scope: role.scope, merchantId: role.merchantId, permissions: role.permissions };
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a.length === b.length && [...a].sort().every((id, i) => id === sorted[i]);
}

export function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  const sorted = [...b].sort((x, y) => x - y);
  return a.length === sorted.length && a.every((c, i) => c === sorted[i]);
}

export const emailTaken = (email: string) => new UserAdminError('EMAIL_TAKEN', 'another user has this email address', { field: 'email', email });
export const roleNameTaken = (name: string) => new UserAdminError('ROLE_NAME_TAKEN', 'a role with this name already exists', { field: 'name', name });

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
