import { randomBytes } from 'node:crypto';
import { hash, type Algorithm } from '@node-rs/argon2';
import type { Db } from '../../src/db/prisma.ts';
import type { Role, User } from '../../src/generated/prisma/client.ts';
import type { SecretBox } from '../../src/lib/crypto.ts';
import { BUILT_IN_ROLES, type BuiltInRole } from '../../src/modules/auth/permissions.ts';
import { createSession, SESSION_COOKIE } from '../../src/modules/auth/sessions.ts';
import { generateTotpSecret } from '../../src/modules/auth/totp.ts';
import { sealTotp } from '../../src/modules/auth/totp-secret.ts';

/**
 * Users for tests: any built-in role (or a custom role of permission codes), with a logged-in,
 * MFA-verified session made directly in the database, so a test can call GraphQL as anyone:
 *
 * ```ts
 * const owner = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId: m.merchant.id });
 * await env.graphql(query, vars, { cookie: owner.cookie });
 * ```
 * The password hash is argon2id at a tiny cost (fast), which `verifyPassword` accepts like any other.
 */

export interface UserFixtureOptions {
  roleKey: BuiltInRole['key'];
  merchantId?: string | null;
  /** A custom role with exactly these codes instead of the built-in role's (scope from `roleKey`). */
  permissions?: number[];
  /**
   * Enrol TOTP (needs `secrets`, the SecretBox of the running server: `env.services.secrets`). Staff
   * (GLOBAL roles) are always enrolled, as the platform requires: with a real secret when `secrets` is
   * given, else only flagged (their fixture session works; `login` with a code does not). `totp: false`
   * leaves staff unenrolled (to test enrolment).
   */
  totp?: boolean;
  secrets?: SecretBox;
  email?: string;
  password?: string;
  /** Create no session (for login tests). */
  session?: boolean;
}

export interface UserFixture {
  user: User;
  role: Role;
  password: string;
  /** `payrail_session=…`: the value of a Cookie header. Empty when `session: false`. */
  cookie: string;
  sessionId: string;
  token: string;
  /** Base32 TOTP secret when `totp` was asked for. */
  totpSecret?: string;
}

const FAST_ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
const hashes = new Map<string, Promise<string>>();

export function fastPasswordHash(password: string): Promise<string> {
  let hit = hashes.get(password);
  if (!hit) {
    hit = hash(password, FAST_ARGON2);
    hashes.set(password, hit);
  }
  return hit;
}

/** The built-in role row (created when missing, as the demo seed and `payrail` CLI do). */
export async function builtInRole(db: Db, key: BuiltInRole['key']): Promise<Role> {
  const spec = BUILT_IN_ROLES.find((r) => r.key === key);
  if (!spec) throw new Error(`unknown role ${key}`);
  return db.role.upsert({
    where: { key },
    create: { key, name: spec.name, description: spec.description, scope: spec.scope, builtIn: true, permissions: spec.permissions },
    update: {},
  });
}

export async function createUserFixture(db: Db, opts: UserFixtureOptions): Promise<UserFixture> {
  const spec = BUILT_IN_ROLES.find((r) => r.key === opts.roleKey);
  if (!spec) throw new Error(`unknown role ${opts.roleKey}`);
  const merchantId = opts.merchantId ?? null;
  if (spec.scope === 'MERCHANT' && !merchantId) throw new Error(`${opts.roleKey} needs a merchantId`);
  const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const suffix = randomBytes(5).toString('hex');
  const email = opts.email ?? `${opts.roleKey.toLowerCase()}-${suffix}@test.payrail.local`;

  const role = opts.permissions
    ? await db.role.create({
        data: {
          name: `Custom ${suffix}`,
          scope: spec.scope,
          builtIn: false,
          merchantId: spec.scope === 'MERCHANT' ? merchantId : null,
          permissions: opts.permissions,
        },
      })
    : await builtInRole(db, opts.roleKey);

  let user = await db.user.create({
    data: {
      email,
      name: `${spec.name} ${suffix}`,
      passwordHash: await fastPasswordHash(password),
      merchantId,
      roles: { create: [{ roleId: role.id }] },
    },
  });

  let totpSecret: string | undefined;
  if (spec.scope === 'GLOBAL' && opts.totp === undefined && !opts.secrets) {
    // Staff must have TOTP while AUTH_REQUIRE_STAFF_MFA is on, or their sessions never count as verified.
    // Without a SecretBox there is nothing to seal: mark it enrolled (the fixture session is what tests use;
    // pass `secrets` or `totp: true` to sign such a user in through `login` with real codes).
    user = await db.user.update({ where: { id: user.id }, data: { totpEnabled: true } });
  }
  if (opts.totp === true || (spec.scope === 'GLOBAL' && opts.totp === undefined && opts.secrets)) {
    if (!opts.secrets) throw new Error('totp: true needs `secrets` (env.services.secrets)');
    totpSecret = generateTotpSecret();
    user = await db.user.update({
      where: { id: user.id },
      data: { totpEnabled: true, totpSecretEnc: sealTotp(opts.secrets, user.id, { secret: totpSecret, lastStep: null }) },
    });
  }

  if (opts.session === false) {
    return { user, role, password, cookie: '', sessionId: '', token: '', ...(totpSecret ? { totpSecret } : {}) };
  }
  const session = await createSession(db, { userId: user.id, mfaVerified: true, ip: '127.0.0.1', userAgent: 'vitest' });
  return {
    user,
    role,
    password,
    cookie: `${SESSION_COOKIE}=${session.token}`,
    sessionId: session.sessionId,
    token: session.token,
    ...(totpSecret ? { totpSecret } : {}),
  };
}

export interface GraphQLHttpResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** The `Set-Cookie` headers of the response. */
  setCookies: string[];
  /** `payrail_session=…` from the response's Set-Cookie, when it set a non-empty session cookie. */
  sessionCookie: string | undefined;
}

/** POSTs a GraphQL operation with optional Cookie / Authorization headers and returns body and cookies. */
export async function graphqlHttp<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth: { cookie?: string; bearer?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLHttpResult<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
      ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}),
      ...auth.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLHttpResult<T>['errors'] };
  const setCookies = response.headers.getSetCookie();
  const session = setCookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`) && c.length > SESSION_COOKIE.length + 1);
  return { ...body, setCookies, sessionCookie: session };
}
