import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/generated/prisma/client.ts';
import { PLATFORM_ONLY_CODES } from '../src/modules/auth/ability.ts';
import { PERMISSIONS } from '../src/modules/auth/permissions.ts';
import { builtInRole, createUserFixture, graphqlHttp, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchant } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Users and roles administration over real HTTP GraphQL with real session cookies: who may create,
 * change, disable, reset and unlock whom; that the password given (or generated) really signs in, that a
 * disabled user's session stops at once, the last-Administrator guard (also under concurrency),
 * custom roles and their stable error codes, and audit rows without any secret.
 */

type Who = 'admin' | 'finance' | 'support' | 'owner' | 'operator' | 'viewer' | 'otherOwner';

let env: TestEnvironment;
let shopId: string;
let otherShopId: string;
let fx: Record<Who, UserFixture>;
let roles: Record<'ADMINISTRATOR' | 'FINANCE' | 'SUPPORT_AGENT' | 'MERCHANT_OWNER' | 'MERCHANT_OPERATOR' | 'MERCHANT_VIEWER', Role>;
/** Every password and TOTP secret this file hands out: none may appear in an audit row. */
const secretsSeen: string[] = [];

const gql = <T = Record<string, any>>(who: Who | string, query: string, variables?: Record<string, unknown>) =>
  graphqlHttp<T>(env.url, query, variables, { cookie: who in (fx ?? {}) ? fx[who as Who].cookie : who });
const codeOf = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;
const gid = (type: string, id: string) => encodeGlobalID(type, id);
const roleGid = (key: keyof typeof roles) => gid('Role', roles[key].id);

const USER_FIELDS = 'id email name status totpEnabled lockedUntil merchant { id } roles { key name scope }';
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { temporaryPassword user { ${USER_FIELDS} } } }`;
const UPDATE_USER = `mutation($input: UpdateUserInput!) { updateUser(input: $input) { ${USER_FIELDS} } }`;
const RESET_TOTP = `mutation($input: UserIdInput!) { resetUserTotp(input: $input) { ${USER_FIELDS} } }`;
const RESET_PASSWORD = `mutation($input: ResetUserPasswordInput!) { resetUserPassword(input: $input) { temporaryPassword user { ${USER_FIELDS} } } }`;
const UNLOCK = `mutation($input: UserIdInput!) { unlockUser(input: $input) { ${USER_FIELDS} } }`;
const ROLE_FIELDS = 'id key name description scope builtIn permissions permissionNames userCount merchant { id }';
const CREATE_ROLE = `mutation($input: CreateRoleInput!) { createRole(input: $input) { ${ROLE_FIELDS} } }`;
const UPDATE_ROLE = `mutation($input: UpdateRoleInput!) { updateRole(input: $input) { ${ROLE_FIELDS} } }`;
const DELETE_ROLE = `mutation($input: DeleteRoleInput!) { deleteRole(input: $input) { deletedRoleId } }`;
const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on Me { email global permissions passwordChangeRequired merchant { id } roles { key } }
  }
}`;
const ME = '{ me { email permissions passwordChangeRequired } }';
const CHANGE_PASSWORD = `mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { __typename ... on ChangePasswordPayload { revokedSessions } }
}`;

interface UserShape {
  id: string;
  email: string;
  name: string;
  status: string;
  totpEnabled: boolean;
  lockedUntil: string | null;
  merchant: { id: string } | null;
  roles: Array<{ key: string | null; name: string; scope: string }>;
}

const login = (email: string, password: string) => graphqlHttp(env.url, LOGIN, { input: { email, password } });
const me = async (cookie: string) => (await graphqlHttp(env.url, ME, {}, { cookie })).data?.me ?? null;
/** Signs in with a password an owner or administrator set, and replaces it as the app makes the user do; returns the session cookie. */
async function signInAndChoosePassword(email: string, password: string): Promise<string> {
  const signedIn = await login(email, password);
  expect(signedIn.data?.login).toMatchObject({ __typename: 'Me', passwordChangeRequired: true, permissions: [] });
  const cookie = signedIn.sessionCookie!;
  const own = `${password}-own`;
  secretsSeen.push(own);
  const changed = await graphqlHttp(env.url, CHANGE_PASSWORD, { input: { currentPassword: password, newPassword: own } }, { cookie });
  expect(changed.data?.changePassword).toMatchObject({ __typename: 'ChangePasswordPayload' });
  return cookie;
}

let counter = 0;
const newEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${++counter}@team.payrail.test`;

/** Creates a member of the shop through GraphQL as the owner, with a known password. */
async function ownerCreatesMember(roleKey: 'MERCHANT_OPERATOR' | 'MERCHANT_VIEWER' | 'MERCHANT_OWNER' = 'MERCHANT_OPERATOR') {
  const email = newEmail('member');
  const password = `member-pass-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  secretsSeen.push(password);
  const res = await gql<{ createUser: { user: UserShape } }>('owner', CREATE_USER, { input: { email, name: 'Member', roleIds: [roleGid(roleKey)], password } });
  expect(res.errors).toBeUndefined();
  return { user: res.data!.createUser.user, email, password };
}

beforeAll(async () => {
  env = await createTestEnvironment({ env: { AUTH_LOGIN_RATE_PER_MINUTE: '0', AUTH_LOCKOUT_THRESHOLD: '3' } });
  const db = env.prisma;
  const secrets = env.services.secrets;
  shopId = (await createMerchant(db)).id;
  otherShopId = (await createMerchant(db)).id;
  roles = {
    ADMINISTRATOR: await builtInRole(db, 'ADMINISTRATOR'),
    FINANCE: await builtInRole(db, 'FINANCE'),
    SUPPORT_AGENT: await builtInRole(db, 'SUPPORT_AGENT'),
    MERCHANT_OWNER: await builtInRole(db, 'MERCHANT_OWNER'),
    MERCHANT_OPERATOR: await builtInRole(db, 'MERCHANT_OPERATOR'),
    MERCHANT_VIEWER: await builtInRole(db, 'MERCHANT_VIEWER'),
  };
  fx = {
    admin: await createUserFixture(db, { roleKey: 'ADMINISTRATOR', totp: true, secrets }),
    finance: await createUserFixture(db, { roleKey: 'FINANCE', totp: true, secrets }),
    support: await createUserFixture(db, { roleKey: 'SUPPORT_AGENT', totp: true, secrets }),
    owner: await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: shopId }),
    operator: await createUserFixture(db, { roleKey: 'MERCHANT_OPERATOR', merchantId: shopId }),
    viewer: await createUserFixture(db, { roleKey: 'MERCHANT_VIEWER', merchantId: shopId }),
    otherOwner: await createUserFixture(db, { roleKey: 'MERCHANT_OWNER', merchantId: otherShopId }),
  };
  for (const f of Object.values(fx)) {
    secretsSeen.push(f.password);
    if (f.totpSecret) secretsSeen.push(f.totpSecret);
  }
});

afterAll(async () => {
  await env?.stop();
});

describe('creating users', () => {
  it('an owner adds a member with a password of their choice, and the member signs in with it', async () => {
    const { user, email, password } = await ownerCreatesMember();
    expect(user).toMatchObject({ email, name: 'Member', status: 'ACTIVE', totpEnabled: false, merchant: { id: gid('Merchant', shopId) } });
    expect(user.roles).toEqual([{ key: 'MERCHANT_OPERATOR', name: 'Merchant Operator', scope: 'MERCHANT' }]);
    const row = await env.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    const signedIn = await login(email.toUpperCase(), password);
    expect(signedIn.data?.login).toMatchObject({ __typename: 'Me', email, global: false, merchant: { id: shopId }, roles: [{ key: 'MERCHANT_OPERATOR' }] });
    // The owner knows this password: nothing but choosing a new one works until the member does.
    expect(signedIn.data!.login).toMatchObject({ passwordChangeRequired: true, permissions: [] });
    const cookie = signedIn.sessionCookie!;
    expect(codeOf(await gql(cookie, '{ payins(first: 1) { totalCount } }'))).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(codeOf(await gql(cookie, CREATE_USER, { input: { email: newEmail('x'), name: 'x', roleIds: [] } }))).toBe('PASSWORD_CHANGE_REQUIRED');
    const own = `${password}-own`;
    secretsSeen.push(own);
    const changed = await graphqlHttp(env.url, CHANGE_PASSWORD, { input: { currentPassword: password, newPassword: own } }, { cookie });
    expect(changed.data?.changePassword).toMatchObject({ __typename: 'ChangePasswordPayload' });
    const after = await me(cookie);
    expect(after).toMatchObject({ passwordChangeRequired: false });
    expect(after.permissions).toContain(PERMISSIONS.PAYIN_READ);
    expect(after.permissions).not.toContain(PERMISSIONS.TEAM_WRITE);
    expect((await gql(cookie, '{ payins(first: 1) { totalCount } }')).errors).toBeUndefined();
    expect((await login(email, password)).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.create', entityId: row.id } });
    expect(audit).toMatchObject({ actorId: fx.owner.user.id, merchantId: shopId, entityType: 'User' });
    expect(audit.after).toMatchObject({ email, merchantId: shopId, status: 'ACTIVE', password: 'SET_BY_ADMINISTRATOR', roles: [{ key: 'MERCHANT_OPERATOR' }] });
  });

  it('without a password a temporary one is generated, returned once and works', async () => {
    const email = newEmail('temp');
    const res = await gql<{ createUser: { temporaryPassword: string; user: UserShape } }>('owner', CREATE_USER, {
      input: { email, name: 'Temp', roleIds: [roleGid('MERCHANT_VIEWER')] },
    });
    expect(res.errors).toBeUndefined();
    const temporary = res.data!.createUser.temporaryPassword;
    secretsSeen.push(temporary);
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    expect((await login(email, temporary)).data?.login).toMatchObject({ __typename: 'Me', email });
    expect((await login(email, 'something-else-entirely')).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('an administrator creates staff; staff must enrol TOTP at first sign-in', async () => {
    const email = newEmail('staff');
    const res = await gql<{ createUser: { temporaryPassword: string; user: UserShape } }>('admin', CREATE_USER, {
      input: { email, name: 'New Finance', roleIds: [roleGid('FINANCE')] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createUser.user).toMatchObject({ merchant: null, roles: [{ key: 'FINANCE', scope: 'GLOBAL' }] });
    secretsSeen.push(res.data!.createUser.temporaryPassword);
    const first = await login(email, res.data!.createUser.temporaryPassword);
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'MFA_REQUIRED', enrolmentRequired: true });

    // An admin also adds members to any merchant.
    const member = await gql<{ createUser: { user: UserShape } }>('admin', CREATE_USER, {
      input: { email: newEmail('admin-made'), name: 'Owner 2', merchantId: gid('Merchant', otherShopId), roleIds: [roleGid('MERCHANT_OWNER')], password: 'a-long-enough-password' },
    });
    expect(member.errors).toBeUndefined();
    expect(member.data!.createUser.user.merchant).toEqual({ id: gid('Merchant', otherShopId) });
  });

  it('refuses bad input with stable codes and creates nothing', async () => {
    const before = await env.prisma.user.count();
    const base = { name: 'Bad', roleIds: [roleGid('MERCHANT_VIEWER')] };
    const email = newEmail('bad');
    const short = await gql('owner', CREATE_USER, { input: { ...base, email, password: 'short' } });
    expect(codeOf(short)).toBe('PASSWORD_POLICY');
    expect(short.errors![0]!.extensions).toMatchObject({ rule: 'MIN_LENGTH' });
    const asEmail = await gql('owner', CREATE_USER, { input: { ...base, email, password: email } });
    expect(asEmail.errors![0]!.extensions).toMatchObject({ code: 'PASSWORD_POLICY', rule: 'EQUALS_EMAIL' });
    const taken = await gql('owner', CREATE_USER, { input: { ...base, email: fx.viewer.user.email.toUpperCase(), password: 'long-enough-password-1' } });
    expect(codeOf(taken)).toBe('EMAIL_TAKEN');
    for (const [input, field] of [
      [{ ...base, email: 'not-an-email' }, 'email'],
      [{ ...base, email, name: '  ' }, 'name'],
      [{ ...base, email, roleIds: [] }, 'roleIds'],
    ] as const) {
      const res = await gql('owner', CREATE_USER, { input });
      expect(codeOf(res), field).toBe('INVALID_PARAMETER');
      expect(res.errors![0]!.extensions).toMatchObject({ field });
    }
    expect(codeOf(await gql('owner', CREATE_USER, { input: { ...base, email, roleIds: ['garbage'] } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql('owner', CREATE_USER, { input: { ...base, email, roleIds: [gid('Role', '00000000-0000-7000-8000-000000000000')] } }))).toBe('ROLE_NOT_FOUND');
    expect(await env.prisma.user.count()).toBe(before);
  });
});

describe('who may create users and with which roles', () => {
  it('a merchant owner assigns MERCHANT roles within their merchant only', async () => {
    const input = (extra: Record<string, unknown>) => ({ input: { email: newEmail('scope'), name: 'Scope', password: 'long-enough-password-2', ...extra } });
    const adminRole = await gql('owner', CREATE_USER, input({ roleIds: [roleGid('ADMINISTRATOR')] }));
    expect(codeOf(adminRole)).toBe('ROLE_NOT_ASSIGNABLE');
    expect(adminRole.errors![0]!.extensions).toMatchObject({ reason: 'GLOBAL_ROLE' });
    expect(codeOf(await gql('owner', CREATE_USER, input({ roleIds: [roleGid('MERCHANT_VIEWER')], merchantId: gid('Merchant', otherShopId) })))).toBe('MERCHANT_NOT_FOUND');
    // Another merchant's custom role does not exist for them.
    const foreignRole = await gql<{ createRole: { id: string } }>('otherOwner', CREATE_ROLE, { input: { name: 'Their role', scope: 'MERCHANT', permissions: [PERMISSIONS.PAYIN_READ] } });
    expect(foreignRole.errors).toBeUndefined();
    expect(codeOf(await gql('owner', CREATE_USER, input({ roleIds: [foreignRole.data!.createRole.id] })))).toBe('ROLE_NOT_FOUND');
    // A platform-wide custom MERCHANT role (made by staff) is for staff to hand out; owners do not see it.
    const shared = await gql<{ createRole: { id: string; merchant: null } }>('admin', CREATE_ROLE, { input: { name: 'Shared reader', scope: 'MERCHANT', permissions: [PERMISSIONS.PAYIN_READ] } });
    expect(shared.data!.createRole.merchant).toBeNull();
    expect(codeOf(await gql('owner', CREATE_USER, input({ roleIds: [shared.data!.createRole.id] })))).toBe('ROLE_NOT_FOUND');
    expect((await gql('admin', CREATE_USER, input({ roleIds: [shared.data!.createRole.id], merchantId: gid('Merchant', shopId) }))).errors).toBeUndefined();
    // An administrator cannot mix scopes either.
    expect(codeOf(await gql('admin', CREATE_USER, input({ roleIds: [roleGid('MERCHANT_VIEWER')] })))).toBe('ROLE_SCOPE_MISMATCH');
    expect(codeOf(await gql('admin', CREATE_USER, input({ roleIds: [roleGid('FINANCE')], merchantId: gid('Merchant', shopId) })))).toBe('ROLE_SCOPE_MISMATCH');
    expect(codeOf(await gql('admin', CREATE_USER, input({ roleIds: [foreignRole.data!.createRole.id], merchantId: gid('Merchant', shopId) })))).toBe('ROLE_SCOPE_MISMATCH');
  });

  it('operators, viewers, finance and support cannot create users; staff need USER_MANAGE', async () => {
    for (const who of ['operator', 'viewer', 'finance', 'support'] as const) {
      const res = await gql(who, CREATE_USER, { input: { email: newEmail(who), name: 'x', roleIds: [roleGid('MERCHANT_VIEWER')], password: 'long-enough-password-3' } });
      expect(codeOf(res), who).toBe('FORBIDDEN');
    }
    // An owner cannot create a staff user (no merchant) at all.
    const staffByOwner = await gql('owner', CREATE_USER, { input: { email: newEmail('x'), name: 'x', roleIds: [roleGid('FINANCE')], merchantId: null } });
    expect(codeOf(staffByOwner)).toBe('ROLE_NOT_ASSIGNABLE');
    expect(codeOf(await graphqlHttp(env.url, CREATE_USER, { input: { email: newEmail('x'), name: 'x', roleIds: [roleGid('FINANCE')] } }))).toBe('UNAUTHENTICATED');
  });
});

describe('changing users', () => {
  it('an owner renames and re-roles a member; the new roles apply to the next request', async () => {
    const { user, email, password } = await ownerCreatesMember('MERCHANT_VIEWER');
    const cookie = await signInAndChoosePassword(email, password);
    expect((await me(cookie)).permissions).not.toContain(PERMISSIONS.PAYIN_WRITE);
    const res = await gql<{ updateUser: UserShape }>('owner', UPDATE_USER, { input: { id: user.id, name: ' Renamed ', roleIds: [roleGid('MERCHANT_OPERATOR')] } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateUser).toMatchObject({ name: 'Renamed', roles: [{ key: 'MERCHANT_OPERATOR' }] });
    expect((await me(cookie)).permissions).toContain(PERMISSIONS.PAYIN_WRITE);
    const dbId = (await env.prisma.user.findUniqueOrThrow({ where: { email } })).id;
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.update', entityType: 'User', entityId: dbId } });
    expect(audit.actorId).toBe(fx.owner.user.id);
    expect(audit.before).toMatchObject({ name: 'Member', roles: [{ key: 'MERCHANT_VIEWER' }] });
    expect(audit.after).toMatchObject({ name: 'Renamed', roles: [{ key: 'MERCHANT_OPERATOR' }] });
  });

  it("disabling a user ends their session at once; they cannot sign in until enabled again", async () => {
    const { user, email, password } = await ownerCreatesMember();
    const cookie = (await login(email, password)).sessionCookie!;
    expect(await me(cookie)).toMatchObject({ email });
    const disabled = await gql<{ updateUser: UserShape }>('owner', UPDATE_USER, { input: { id: user.id, status: 'DISABLED' } });
    expect(disabled.data!.updateUser.status).toBe('DISABLED');
    expect(await me(cookie)).toBeNull();
    expect(codeOf(await gql(cookie, CREATE_USER, { input: { email: newEmail('x'), name: 'x', roleIds: [] } }))).toBe('UNAUTHENTICATED');
    const sessions = await env.prisma.session.findMany({ where: { user: { email } } });
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
    expect((await login(email, password)).errors?.[0]?.extensions).toMatchObject({ code: 'USER_DISABLED' });

    await gql('owner', UPDATE_USER, { input: { id: user.id, status: 'ACTIVE' } });
    expect((await login(email, password)).data?.login).toMatchObject({ __typename: 'Me', email });
    const actions = await env.prisma.auditLog.findMany({ where: { entityType: 'User', entityId: (await env.prisma.user.findUniqueOrThrow({ where: { email } })).id }, select: { action: true, after: true } });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'user.disable', 'user.enable']));
    expect(actions.find((a) => a.action === 'user.disable')!.after).toMatchObject({ status: 'DISABLED', revokedSessions: 1 });
  });

  it("nobody else may change the shop's members: operator FORBIDDEN; viewer, finance, support and another owner do not see them", async () => {
    const { user } = await ownerCreatesMember();
    const change = { input: { id: user.id, status: 'DISABLED' } };
    expect(codeOf(await gql('operator', UPDATE_USER, change))).toBe('FORBIDDEN');
    expect(codeOf(await gql('viewer', UPDATE_USER, change))).toBe('USER_NOT_FOUND');
    expect(codeOf(await gql('otherOwner', UPDATE_USER, change))).toBe('USER_NOT_FOUND');
    // Finance and support hold no team permission: users are not even readable for them.
    for (const who of ['finance', 'support'] as const) expect(codeOf(await gql(who, UPDATE_USER, change)), who).toBe('USER_NOT_FOUND');
    for (const mutation of [RESET_TOTP, UNLOCK, RESET_PASSWORD]) {
      expect(codeOf(await gql('otherOwner', mutation, { input: { id: user.id } }))).toBe('USER_NOT_FOUND');
      expect(codeOf(await gql('operator', mutation, { input: { id: user.id } }))).toBe('FORBIDDEN');
    }
    // An owner cannot touch staff (they do not see them) nor re-role members into staff.
    expect(codeOf(await gql('owner', UPDATE_USER, { input: { id: gid('User', fx.finance.user.id), status: 'DISABLED' } }))).toBe('USER_NOT_FOUND');
    expect(codeOf(await gql('owner', UPDATE_USER, { input: { id: user.id, roleIds: [roleGid('SUPPORT_AGENT')] } }))).toBe('ROLE_NOT_ASSIGNABLE');
    expect(codeOf(await gql('owner', UPDATE_USER, { input: { id: user.id, roleIds: [] } }))).toBe('INVALID_PARAMETER');
    expect(await env.prisma.user.findUniqueOrThrow({ where: { id: fx.finance.user.id } })).toMatchObject({ status: 'ACTIVE' });
    const row = await env.prisma.user.findFirstOrThrow({ where: { email: user.email }, include: { roles: { include: { role: true } } } });
    expect(row.status).toBe('ACTIVE');
    expect(row.roles.map((r) => r.role.key)).toEqual(['MERCHANT_OPERATOR']);
  });

  it('nobody disables themselves or resets their own password or TOTP here', async () => {
    for (const who of ['admin', 'owner'] as const) {
      const self = gid('User', fx[who].user.id);
      expect(codeOf(await gql(who, UPDATE_USER, { input: { id: self, status: 'DISABLED' } })), who).toBe('CANNOT_MODIFY_SELF');
      expect(codeOf(await gql(who, RESET_PASSWORD, { input: { id: self } })), who).toBe('CANNOT_MODIFY_SELF');
      expect(codeOf(await gql(who, RESET_TOTP, { input: { id: self } })), who).toBe('CANNOT_MODIFY_SELF');
      expect(await me(fx[who].cookie)).not.toBeNull();
    }
  });
});

describe('resets and unlocks', () => {
  it("resetUserTotp clears a staff member's second factor and ends their sessions; they must enrol again", async () => {
    const staff = await createUserFixture(env.prisma, { roleKey: 'SUPPORT_AGENT', totp: true, secrets: env.services.secrets });
    secretsSeen.push(staff.password, staff.totpSecret!);
    const sealed = (await env.prisma.user.findUniqueOrThrow({ where: { id: staff.user.id } })).totpSecretEnc!;
    expect(await me(staff.cookie)).not.toBeNull();
    const res = await gql<{ resetUserTotp: UserShape }>('admin', RESET_TOTP, { input: { id: gid('User', staff.user.id) } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.resetUserTotp.totpEnabled).toBe(false);
    expect(await env.prisma.user.findUniqueOrThrow({ where: { id: staff.user.id } })).toMatchObject({ totpEnabled: false, totpSecretEnc: null });
    expect(await me(staff.cookie)).toBeNull();
    expect((await login(staff.user.email, staff.password)).errors?.[0]?.extensions).toMatchObject({ code: 'MFA_REQUIRED', enrolmentRequired: true });
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.reset_totp', entityId: staff.user.id } });
    expect(audit.before).toEqual({ totpEnabled: true });
    expect(audit.after).toEqual({ totpEnabled: false, revokedSessions: 1 });
    expect(JSON.stringify([audit.before, audit.after])).not.toContain(sealed);

    // An owner may reset a member's TOTP; another owner may not (the member does not exist for them).
    const member = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId: shopId, totp: true, secrets: env.services.secrets });
    secretsSeen.push(member.password, member.totpSecret!);
    expect(codeOf(await gql('otherOwner', RESET_TOTP, { input: { id: gid('User', member.user.id) } }))).toBe('USER_NOT_FOUND');
    expect((await gql<{ resetUserTotp: UserShape }>('owner', RESET_TOTP, { input: { id: gid('User', member.user.id) } })).data!.resetUserTotp.totpEnabled).toBe(false);
    // Staff TOTP is for USER_MANAGE holders only.
    expect(codeOf(await gql('owner', RESET_TOTP, { input: { id: gid('User', fx.support.user.id) } }))).toBe('USER_NOT_FOUND');
  });

  it('resetUserPassword sets or generates a new password and ends the sessions; the old password stops working', async () => {
    const { user, email, password } = await ownerCreatesMember();
    const cookie = (await login(email, password)).sessionCookie!;
    const generated = await gql<{ resetUserPassword: { temporaryPassword: string; user: UserShape } }>('owner', RESET_PASSWORD, { input: { id: user.id } });
    expect(generated.errors).toBeUndefined();
    const temporary = generated.data!.resetUserPassword.temporaryPassword;
    secretsSeen.push(temporary);
    expect(generated.data!.resetUserPassword.user.id).toBe(user.id);
    expect(await me(cookie)).toBeNull();
    expect((await login(email, password)).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await login(email, temporary)).data?.login).toMatchObject({ __typename: 'Me', passwordChangeRequired: true });

    expect(codeOf(await gql('owner', RESET_PASSWORD, { input: { id: user.id, password: 'short' } }))).toBe('PASSWORD_POLICY');
    const chosen = 'chosen-by-the-owner-42';
    secretsSeen.push(chosen);
    const set = await gql<{ resetUserPassword: { temporaryPassword: string | null } }>('owner', RESET_PASSWORD, { input: { id: user.id, password: chosen } });
    expect(set.data!.resetUserPassword.temporaryPassword).toBeNull();
    expect((await login(email, temporary)).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await login(email, chosen)).data?.login).toMatchObject({ __typename: 'Me', passwordChangeRequired: true });
    // Once the member chose their own, they are back to normal, also at the next sign-in.
    await signInAndChoosePassword(email, chosen);
    expect((await login(email, `${chosen}-own`)).data?.login).toMatchObject({ __typename: 'Me', passwordChangeRequired: false });
    const audits = await env.prisma.auditLog.findMany({ where: { action: 'user.reset_password', entityId: (await env.prisma.user.findUniqueOrThrow({ where: { email } })).id }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.after)).toEqual([
      { password: 'GENERATED', revokedSessions: 1 },
      { password: 'SET_BY_ADMINISTRATOR', revokedSessions: 1 },
    ]);
  });

  it('unlockUser ends a lockout; the failures that caused it do not count again', async () => {
    const { user, email, password } = await ownerCreatesMember();
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong-password-attempt')).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await login(email, password)).errors?.[0]?.extensions).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(codeOf(await gql('operator', UNLOCK, { input: { id: user.id } }))).toBe('FORBIDDEN');
    const unlocked = await gql<{ unlockUser: UserShape }>('owner', UNLOCK, { input: { id: user.id } });
    expect(unlocked.errors).toBeUndefined();
    expect(new Date(unlocked.data!.unlockUser.lockedUntil!).getTime()).toBeLessThanOrEqual(Date.now());
    // One more mistake does not lock again at once; the right password then gets in.
    expect((await login(email, 'wrong-password-attempt')).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await login(email, password)).data?.login).toMatchObject({ __typename: 'Me', email });
    const audit = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.unlock' }, orderBy: { id: 'desc' } });
    expect(audit.before).toMatchObject({ locked: true, failedLoginCount: 3 });
    expect(audit.after).toEqual({ locked: false, failedLoginCount: 0 });
  });
});

describe('custom roles', () => {
  it('the permission catalog the role editor builds from is every code, with the platform-only ones marked', async () => {
    const res = await gql<{ permissionCatalog: Array<{ code: number; name: string; platform: boolean }> }>('owner', '{ permissionCatalog { code name platform } }');
    expect(res.errors).toBeUndefined();
    const expected = Object.entries(PERMISSIONS)
      .map(([name, code]) => ({ code, name, platform: PLATFORM_ONLY_CODES.has(code) }))
      .sort((a, b) => a.code - b.code);
    expect(res.data!.permissionCatalog).toEqual(expected);
    expect(res.data!.permissionCatalog.find((p) => p.code === 1021)).toEqual({ code: 1021, name: 'OPERATION_PAYMENT_GLOBAL_WRITE', platform: false });
    expect(res.data!.permissionCatalog.find((p) => p.name === 'USER_MANAGE')?.platform).toBe(true);
  });

  it('an owner builds a role for their merchant from codes they hold, assigns it, changes it, and deletes it once unused', async () => {
    const created = await gql<{ createRole: { id: string; scope: string; builtIn: boolean; merchant: { id: string }; permissions: number[]; permissionNames: string[] } }>(
      'owner',
      CREATE_ROLE,
      { input: { name: 'Reconciler', description: 'Reads payins and balances', scope: 'MERCHANT', permissions: [PERMISSIONS.BALANCE_READ, PERMISSIONS.PAYIN_READ, PERMISSIONS.PAYIN_READ] } },
    );
    expect(created.errors).toBeUndefined();
    const role = created.data!.createRole;
    expect(role).toMatchObject({ scope: 'MERCHANT', builtIn: false, merchant: { id: gid('Merchant', shopId) }, permissions: [1001, 2001], permissionNames: ['PAYIN_READ', 'BALANCE_READ'] });
    expect(codeOf(await gql('owner', CREATE_ROLE, { input: { name: 'reconciler', scope: 'MERCHANT', permissions: [1001] } }))).toBe('ROLE_NAME_TAKEN');
    // The same name in another merchant is fine.
    expect((await gql('otherOwner', CREATE_ROLE, { input: { name: 'Reconciler', scope: 'MERCHANT', permissions: [1001] } })).errors).toBeUndefined();

    // Assign it: the member's permissions are the role's.
    const email = newEmail('reconciler');
    const password = 'reconciler-password-1';
    secretsSeen.push(password);
    const member = await gql<{ createUser: { user: UserShape } }>('owner', CREATE_USER, { input: { email, name: 'Rec', roleIds: [role.id], password } });
    expect(member.errors).toBeUndefined();
    const cookie = await signInAndChoosePassword(email, password);
    expect((await me(cookie)).permissions).toEqual([1001, 2001]);

    const updated = await gql<{ updateRole: { permissions: number[]; name: string; description: string | null } }>('owner', UPDATE_ROLE, {
      input: { id: role.id, name: 'Reconciliation', description: '', permissions: [PERMISSIONS.PAYIN_READ, PERMISSIONS.STATEMENT_READ] },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateRole).toMatchObject({ name: 'Reconciliation', description: null, permissions: [1001, 2004] });
    expect((await me(cookie)).permissions).toEqual([1001, 2004]);

    // Others: operator reads it but may not change it; another owner does not see it.
    expect(codeOf(await gql('operator', UPDATE_ROLE, { input: { id: role.id, name: 'x' } }))).toBe('FORBIDDEN');
    expect(codeOf(await gql('viewer', UPDATE_ROLE, { input: { id: role.id, name: 'x' } }))).toBe('ROLE_NOT_FOUND');
    expect(codeOf(await gql('otherOwner', DELETE_ROLE, { input: { id: role.id } }))).toBe('ROLE_NOT_FOUND');

    const inUse = await gql('owner', DELETE_ROLE, { input: { id: role.id } });
    expect(codeOf(inUse)).toBe('ROLE_IN_USE');
    expect(inUse.errors![0]!.extensions).toMatchObject({ users: 1 });
    await gql('owner', UPDATE_USER, { input: { id: member.data!.createUser.user.id, roleIds: [roleGid('MERCHANT_VIEWER')] } });
    const deleted = await gql<{ deleteRole: { deletedRoleId: string } }>('owner', DELETE_ROLE, { input: { id: role.id } });
    expect(deleted.data).toEqual({ deleteRole: { deletedRoleId: role.id } });
    const roleDbId = (await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'role.delete' }, orderBy: { id: 'desc' } })).entityId!;
    expect(await env.prisma.role.findUnique({ where: { id: roleDbId } })).toBeNull();
    const audits = await env.prisma.auditLog.findMany({ where: { entityType: 'Role', entityId: roleDbId }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['role.create', 'role.update', 'role.delete']);
    expect(audits[1]!.before).toMatchObject({ name: 'Reconciler', permissions: [1001, 2001] });
    expect(audits[1]!.after).toMatchObject({ name: 'Reconciliation', permissions: [1001, 2004], description: null });
    expect(audits.every((a) => a.merchantId === shopId)).toBe(true);
  });

  it('refuses unknown, platform-only and unheld codes, GLOBAL roles from merchants, and changes to built-in roles', async () => {
    const input = (extra: Record<string, unknown>) => ({ input: { name: `Role ${++counter}`, scope: 'MERCHANT', permissions: [1001], ...extra } });
    const reasons: Array<[Who, Record<string, unknown>, string]> = [
      ['owner', { permissions: [9999] }, 'UNKNOWN'],
      ['owner', { permissions: [] }, 'EMPTY'],
      ['owner', { permissions: [PERMISSIONS.LEDGER_ADJUST] }, 'PLATFORM_ONLY'],
      ['admin', { permissions: [PERMISSIONS.PAYOUT_REVIEW], merchantId: gid('Merchant', shopId) }, 'PLATFORM_ONLY'],
      ['owner', { permissions: [PERMISSIONS.AUDIT_READ] }, 'NOT_HELD'],
    ];
    for (const [who, extra, reason] of reasons) {
      const res = await gql(who, CREATE_ROLE, input(extra));
      expect(codeOf(res), reason).toBe('INVALID_PERMISSIONS');
      expect(res.errors![0]!.extensions).toMatchObject({ reason });
    }
    expect(codeOf(await gql('owner', CREATE_ROLE, input({ scope: 'GLOBAL' })))).toBe('FORBIDDEN');
    expect(codeOf(await gql('owner', CREATE_ROLE, input({ merchantId: gid('Merchant', otherShopId) })))).toBe('MERCHANT_NOT_FOUND');
    for (const who of ['operator', 'viewer', 'finance', 'support'] as const) {
      expect(codeOf(await gql(who, CREATE_ROLE, input({ merchantId: gid('Merchant', shopId) }))), who).toBe('FORBIDDEN');
    }

    // Built-in roles are read-only, for administrators too.
    expect(codeOf(await gql('owner', UPDATE_ROLE, { input: { id: roleGid('MERCHANT_VIEWER'), name: 'x' } }))).toBe('ROLE_BUILT_IN');
    expect(codeOf(await gql('admin', UPDATE_ROLE, { input: { id: roleGid('ADMINISTRATOR'), permissions: [1001] } }))).toBe('ROLE_BUILT_IN');
    expect(codeOf(await gql('admin', DELETE_ROLE, { input: { id: roleGid('FINANCE') } }))).toBe('ROLE_BUILT_IN');
    expect(codeOf(await gql('owner', DELETE_ROLE, { input: { id: roleGid('ADMINISTRATOR') } }))).toBe('ROLE_NOT_FOUND');
    expect((await env.prisma.role.findUniqueOrThrow({ where: { key: 'ADMINISTRATOR' } })).permissions).toEqual(roles.ADMINISTRATOR.permissions);
  });

  it('an administrator creates a GLOBAL role and gives it to staff', async () => {
    const created = await gql<{ createRole: { id: string; scope: string; merchant: null } }>('admin', CREATE_ROLE, {
      input: { name: 'Auditor', scope: 'GLOBAL', permissions: [PERMISSIONS.AUDIT_READ, PERMISSIONS.PAYIN_READ] },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createRole).toMatchObject({ scope: 'GLOBAL', merchant: null });
    expect(codeOf(await gql('admin', CREATE_ROLE, { input: { name: 'auditor', scope: 'GLOBAL', permissions: [1001] } }))).toBe('ROLE_NAME_TAKEN');
    expect(codeOf(await gql('admin', CREATE_ROLE, { input: { name: 'Mixed', scope: 'GLOBAL', merchantId: gid('Merchant', shopId), permissions: [1001] } }))).toBe('INVALID_PARAMETER');
    const staff = await gql<{ createUser: { temporaryPassword: string; user: UserShape } }>('admin', CREATE_USER, {
      input: { email: newEmail('auditor'), name: 'Auditor', roleIds: [created.data!.createRole.id] },
    });
    expect(staff.errors).toBeUndefined();
    secretsSeen.push(staff.data!.createUser.temporaryPassword);
    expect(staff.data!.createUser.user.roles).toEqual([{ key: null, name: 'Auditor', scope: 'GLOBAL' }]);
  });
});

describe('the last active Administrator', () => {
  it('cannot be disabled or demoted, by others or by themselves; two admins demoting each other at once leave one', async () => {
    const secrets = env.services.secrets;
    const b = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets });
    const c = await createUserFixture(env.prisma, { roleKey: 'ADMINISTRATOR', totp: true, secrets });
    secretsSeen.push(b.password, c.password, b.totpSecret!, c.totpSecret!);
    // Retire the original admin so that b and c are the only ones.
    const retired = await gql<{ updateUser: UserShape }>(b.cookie, UPDATE_USER, { input: { id: gid('User', fx.admin.user.id), roleIds: [roleGid('FINANCE')] } });
    expect(retired.errors).toBeUndefined();
    // Finance cannot even see other users any more.
    expect(codeOf(await gql('admin', UPDATE_USER, { input: { id: gid('User', b.user.id), status: 'DISABLED' } }))).toBe('USER_NOT_FOUND');

    // b and c demote each other at the same moment to a role that still manages users (so whichever
    // request is second still gets past the ability and meets the guard): exactly one wins.
    const userManager = await gql<{ createRole: { id: string } }>(b.cookie, CREATE_ROLE, { input: { name: 'User manager', scope: 'GLOBAL', permissions: [PERMISSIONS.USER_MANAGE] } });
    expect(userManager.errors).toBeUndefined();
    const demoteTo = userManager.data!.createRole.id;
    const [one, two] = await Promise.all([
      gql(b.cookie, UPDATE_USER, { input: { id: gid('User', c.user.id), roleIds: [demoteTo] } }),
      gql(c.cookie, UPDATE_USER, { input: { id: gid('User', b.user.id), roleIds: [demoteTo] } }),
    ]);
    const outcomes = [one, two].map((r) => codeOf(r) ?? 'OK').sort();
    expect(outcomes).toEqual(['LAST_ADMINISTRATOR', 'OK']);
    const admins = await env.prisma.user.findMany({ where: { status: 'ACTIVE', roles: { some: { role: { key: 'ADMINISTRATOR' } } } } });
    expect(admins).toHaveLength(1);
    const last = admins[0]!.id === b.user.id ? b : c;

    expect(codeOf(await gql(last.cookie, UPDATE_USER, { input: { id: gid('User', last.user.id), roleIds: [roleGid('FINANCE')] } }))).toBe('LAST_ADMINISTRATOR');
    expect(codeOf(await gql(last.cookie, UPDATE_USER, { input: { id: gid('User', last.user.id), status: 'DISABLED' } }))).toBe('CANNOT_MODIFY_SELF');
    // Giving the role back to someone else first makes stepping down possible.
    expect((await gql(last.cookie, UPDATE_USER, { input: { id: gid('User', fx.admin.user.id), roleIds: [roleGid('ADMINISTRATOR')] } })).errors).toBeUndefined();
    const stepDown = await gql<{ updateUser: UserShape }>(last.cookie, UPDATE_USER, { input: { id: gid('User', last.user.id), roleIds: [roleGid('FINANCE')] } });
    expect(stepDown.errors).toBeUndefined();
    expect(stepDown.data!.updateUser.roles).toEqual([{ key: 'FINANCE', name: 'Finance', scope: 'GLOBAL' }]);
    expect(codeOf(await gql('admin', UPDATE_USER, { input: { id: gid('User', fx.admin.user.id), roleIds: [roleGid('FINANCE')] } }))).toBe('LAST_ADMINISTRATOR');
  });
});

describe('audit rows', () => {
  it('no audit row holds a password, a password hash or a TOTP secret', async () => {
    const rows = await env.prisma.auditLog.findMany({ where: { entityType: { in: ['User', 'Role'] } } });
    expect(rows.length).toBeGreaterThan(20);
    const sealed = (await env.prisma.user.findMany({ select: { passwordHash: true, totpSecretEnc: true } })).flatMap((u) => [u.passwordHash, u.totpSecretEnc]).filter((s): s is string => !!s);
    const text = JSON.stringify(rows.map((r) => [r.before, r.after]));
    expect(text).not.toMatch(/argon2|passwordHash|totpSecret/i);
    const literals = ['long-enough-password-1', 'long-enough-password-2', 'long-enough-password-3', 'a-long-enough-password', 'wrong-password-attempt'];
    for (const secret of [...secretsSeen, ...literals, ...sealed]) expect(text).not.toContain(secret);
  });
});
