import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { authSettings } from '../src/modules/auth/auth-config.ts';
import { hashToken, purgeEndedSessions } from '../src/modules/auth/sessions.ts';
import { totpCode } from '../src/modules/auth/totp.ts';
import { sealTotp } from '../src/modules/auth/totp-secret.ts';
import { createUserFixture, graphqlHttp, type UserFixture } from './support/auth-fixtures.ts';
import { createMerchant } from './support/payin-fixtures.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

const LOGIN = `mutation ($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on Me { email global permissions mfa { enabled verified required } }
  }
}`;
const ME = '{ me { kind email global permissions permissionNames abilityRules merchant { id } roles { key } mfa { enabled verified required } sessionExpiresAt } }';
const VERIFY = `mutation ($code: String!) { verifyTotp(input: { code: $code }) { __typename ... on Me { email mfa { verified } } } }`;
const START_ENROLMENT = `mutation { startTotpEnrolment { __typename ... on TotpEnrolment { secret otpauthUrl qrCodeSvgDataUrl } } }`;
const CONFIRM_ENROLMENT = `mutation ($code: String!) { confirmTotpEnrolment(input: { code: $code }) { __typename ... on Me { mfa { enabled verified } permissions } } }`;
const CHANGE_PASSWORD = `mutation ($current: String!, $next: String!) {
  changePassword(input: { currentPassword: $current, newPassword: $next }) {
    __typename ... on ChangePasswordPayload { revokedSessions }
  }
}`;
const API_TOKENS = '{ apiTokens { id } }';

describe('authentication over HTTP', () => {
  let env: TestEnvironment;
  let merchantId: string;

  const login = (email: string, password: string, totp?: string, cookie?: string) =>
    graphqlHttp(env.url, LOGIN, { input: { email, password, ...(totp ? { totpCode: totp } : {}) } }, { cookie });
  const me = async (cookie: string) => (await graphqlHttp(env.url, ME, {}, { cookie })).data?.me ?? null;
  const owner = (extra: Partial<Parameters<typeof createUserFixture>[1]> = {}) =>
    createUserFixture(env.prisma, { roleKey: 'MERCHANT_OWNER', merchantId, session: false, ...extra });

  beforeAll(async () => {
    // No per-IP limit here: this file signs in many times from 127.0.0.1 (the limit has its own test below).
    env = await createTestEnvironment({ env: { AUTH_LOGIN_RATE_PER_MINUTE: '0' } });
    merchantId = (await createMerchant(env.prisma)).id;
  });

  afterAll(async () => {
    await env?.stop();
  });

  describe('login', () => {
    it('signs in with email and password, sets an httpOnly SameSite cookie and records the attempt and an audit row', async () => {
      const u = await owner();
      const result = await login(`  ${u.user.email.toUpperCase()} `, u.password);
      expect(result.errors).toBeUndefined();
      expect(result.data?.login).toMatchObject({ __typename: 'Me', email: u.user.email, global: false, mfa: { enabled: false, verified: true, required: false } });
      const setCookie = result.setCookies.find((c) => c.startsWith('payrail_session='))!;
      expect(setCookie).toMatch(/; HttpOnly/);
      expect(setCookie).toMatch(/; SameSite=Strict/);
      expect(setCookie).toMatch(/; Path=\//);
      expect(setCookie).not.toMatch(/Secure/); // PUBLIC_URL is http in tests
      expect(result.sessionCookie).toMatch(/^payrail_session=[A-Za-z0-9_-]{43}$/);

      const token = result.sessionCookie!.split('=')[1]!;
      const session = await env.prisma.session.findUniqueOrThrow({ where: { id: hashToken(token) } });
      expect(session).toMatchObject({ userId: u.user.id, mfaVerified: true, revokedAt: null });
      expect(await env.prisma.session.count({ where: { id: token } })).toBe(0); // the token itself is never stored

      const viewer = await me(result.sessionCookie!);
      expect(viewer).toMatchObject({ kind: 'USER', email: u.user.email, merchant: { id: merchantId }, roles: [{ key: 'MERCHANT_OWNER' }] });
      expect(viewer.permissionNames).toContain('API_TOKEN_WRITE');
      expect(Array.isArray(viewer.abilityRules) && viewer.abilityRules.length).toBeGreaterThan(0);

      const attempts = await env.prisma.loginAttempt.findMany({ where: { userId: u.user.id } });
      expect(attempts).toEqual([expect.objectContaining({ success: true, email: u.user.email, ip: expect.any(String) })]);
      const audit = await env.prisma.auditLog.findMany({ where: { entityId: u.user.id, action: 'auth.login' } });
      expect(audit).toEqual([expect.objectContaining({ actorType: 'USER', actorId: u.user.id, merchantId, ip: expect.stringMatching(/127\.0\.0\.1/) })]);
    });

    it('answers an unknown email and a wrong password with the same code and message, and logs both', async () => {
      const u = await owner();
      const wrong = await login(u.user.email, 'not-the-password');
      const unknown = await login(`nobody-${u.user.id}@test.payrail.local`, 'whatever-password');
      expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS' });
      expect(unknown.errors?.[0]?.extensions).toEqual(wrong.errors?.[0]?.extensions);
      expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
      expect(wrong.sessionCookie).toBeUndefined();
      expect(unknown.sessionCookie).toBeUndefined();
      expect(await env.prisma.loginAttempt.count({ where: { email: u.user.email, success: false, reason: 'INVALID_CREDENTIALS' } })).toBe(1);
      expect(await env.prisma.loginAttempt.count({ where: { email: `nobody-${u.user.id}@test.payrail.local`, userId: null, success: false } })).toBe(1);
      expect(await env.prisma.auditLog.count({ where: { action: 'auth.login_failed', actorLabel: { in: [u.user.email, `nobody-${u.user.id}@test.payrail.local`] } } })).toBe(2);
    });

    it('locks the account after 5 failures within the window, refuses even the right password, and lets it in after the lock ends', async () => {
      const u = await owner();
      for (let i = 0; i < 4; i++) expect((await login(u.user.email, `wrong-${i}`)).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      const fifth = await login(u.user.email, 'wrong-5');
      expect(fifth.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      const locked = await login(u.user.email, u.password);
      expect(locked.errors?.[0]?.extensions).toMatchObject({ code: 'ACCOUNT_LOCKED' });
      expect(locked.sessionCookie).toBeUndefined();
      const until = new Date(locked.errors?.[0]?.extensions?.lockedUntil as string).getTime();
      expect(until).toBeGreaterThan(Date.now() + 14 * 60_000);
      expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
      expect(locked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(800);
      expect(await env.prisma.auditLog.count({ where: { action: 'auth.account_locked', entityId: u.user.id } })).toBe(1);
      expect((await env.prisma.user.findUniqueOrThrow({ where: { id: u.user.id } })).failedLoginCount).toBe(5);

      // The lock ends (moved into the past rather than waited for): the right password works again…
      await env.prisma.user.update({ where: { id: u.user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
      const after = await login(u.user.email, u.password);
      expect(after.data?.login.__typename).toBe('Me');
      expect((await env.prisma.user.findUniqueOrThrow({ where: { id: u.user.id } })).failedLoginCount).toBe(0);
      // …and the failures before it no longer count: one more failure does not lock again.
      expect((await login(u.user.email, 'wrong-again')).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      expect((await login(u.user.email, u.password)).data?.login.__typename).toBe('Me');
    });

    it('only counts failures inside the window', async () => {
      const u = await owner();
      for (let i = 0; i < 4; i++) await login(u.user.email, `wrong-${i}`);
      // The four failures happened 16 minutes ago (window: 15).
      await env.prisma.loginAttempt.updateMany({ where: { userId: u.user.id }, data: { createdAt: new Date(Date.now() - 16 * 60_000) } });
      await login(u.user.email, 'wrong-5');
      expect((await login(u.user.email, u.password)).data?.login.__typename).toBe('Me');
    });

    it('refuses a disabled user with USER_DISABLED only when the password is right', async () => {
      const u = await owner();
      await env.prisma.user.update({ where: { id: u.user.id }, data: { status: 'DISABLED' } });
      expect((await login(u.user.email, 'wrong-password')).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      const result = await login(u.user.email, u.password);
      expect(result.errors?.[0]?.extensions?.code).toBe('USER_DISABLED');
      expect(result.sessionCookie).toBeUndefined();
    });
  });

  describe('TOTP', () => {
    it('makes staff enrol before anything else, then accepts codes once', async () => {
      const staff = await createUserFixture(env.prisma, { roleKey: 'FINANCE', session: false, totp: false });
      const first = await login(staff.user.email, staff.password);
      expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'MFA_REQUIRED', enrolmentRequired: true });
      const cookie = first.sessionCookie!;
      expect(cookie).toBeDefined();

      // The pending session: me works (mfa not verified, no permissions), everything else says MFA_REQUIRED.
      expect(await me(cookie)).toMatchObject({ global: true, permissions: [], abilityRules: [], mfa: { enabled: false, verified: false, required: true } });
      const blocked = await graphqlHttp(env.url, API_TOKENS, {}, { cookie });
      expect(blocked.errors?.[0]?.extensions?.code).toBe('MFA_REQUIRED');
      expect((await graphqlHttp(env.url, VERIFY, { code: '123456' }, { cookie })).errors?.[0]?.extensions?.code).toBe('TOTP_NOT_ENABLED');

      const started = await graphqlHttp(env.url, START_ENROLMENT, {}, { cookie });
      const enrolment = started.data?.startTotpEnrolment;
      expect(enrolment.__typename).toBe('TotpEnrolment');
      expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(enrolment.otpauthUrl).toBe(
        `otpauth://totp/Payrail:${encodeURIComponent(staff.user.email)}?secret=${enrolment.secret}&issuer=Payrail&algorithm=SHA1&digits=6&period=30`,
      );
      expect(enrolment.qrCodeSvgDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(enrolment.qrCodeSvgDataUrl.split(',')[1], 'base64').toString()).toContain('<svg');
      const stored = await env.prisma.user.findUniqueOrThrow({ where: { id: staff.user.id } });
      expect(stored.totpEnabled).toBe(false);
      expect(stored.totpSecretEnc).not.toContain(enrolment.secret); // sealed
      // Bound to the user: the sealed secret does not open for another user id.
      expect(() => env.services.secrets.open(stored.totpSecretEnc!, 'payrail:totp:00000000-0000-0000-0000-000000000000')).toThrow();

      expect((await graphqlHttp(env.url, CONFIRM_ENROLMENT, { code: wrongCode(enrolment.secret) }, { cookie })).errors?.[0]?.extensions?.code).toBe('MFA_INVALID');
      const code = totpCode(enrolment.secret);
      const confirmed = await graphqlHttp(env.url, CONFIRM_ENROLMENT, { code }, { cookie });
      expect(confirmed.data?.confirmTotpEnrolment).toMatchObject({ __typename: 'Me', mfa: { enabled: true, verified: true } });
      expect(confirmed.data?.confirmTotpEnrolment.permissions.length).toBeGreaterThan(0);
      expect((await graphqlHttp(env.url, API_TOKENS, {}, { cookie })).data?.apiTokens).toEqual([]);
      expect((await graphqlHttp(env.url, START_ENROLMENT, {}, { cookie })).errors?.[0]?.extensions?.code).toBe('TOTP_ALREADY_ENABLED');

      // Next sign-in: password, then the code. The code used for enrolment is refused (same step).
      const second = await login(staff.user.email, staff.password);
      expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'MFA_REQUIRED', enrolmentRequired: false });
      const cookie2 = second.sessionCookie!;
      expect((await graphqlHttp(env.url, VERIFY, { code }, { cookie: cookie2 })).errors?.[0]?.extensions?.code).toBe('MFA_INVALID');
      const next = totpCode(enrolment.secret, Date.now() + 30_000); // the next step: inside the ±1 window
      expect((await graphqlHttp(env.url, VERIFY, { code: next }, { cookie: cookie2 })).data?.verifyTotp).toMatchObject({ __typename: 'Me', mfa: { verified: true } });
      expect((await me(cookie2)).mfa.verified).toBe(true);

      // Code with the password: once; the same code again is a replay.
      await resetTotpReplayGuard(staff, enrolment.secret);
      const now = totpCode(enrolment.secret);
      expect((await login(staff.user.email, staff.password, now)).data?.login.__typename).toBe('Me');
      const replay = await login(staff.user.email, staff.password, now);
      expect(replay.errors?.[0]?.extensions?.code).toBe('MFA_INVALID');
      expect(replay.sessionCookie).toBeUndefined();
      expect(await env.prisma.auditLog.count({ where: { entityId: staff.user.id, action: { in: ['auth.totp_enrolment_started', 'auth.totp_enabled', 'auth.mfa_verified'] } } })).toBe(3);
    });

    it('asks a merchant user with TOTP for the code; wrong codes count towards the lockout and end the pending session', async () => {
      const u = await owner({ totp: true, secrets: env.services.secrets });
      const pending = await login(u.user.email, u.password);
      expect(pending.errors?.[0]?.extensions).toMatchObject({ code: 'MFA_REQUIRED', enrolmentRequired: false });
      const cookie = pending.sessionCookie!;
      expect(await me(cookie)).toMatchObject({ global: false, permissions: [], mfa: { enabled: true, verified: false, required: true } });
      for (let i = 0; i < 4; i++) {
        expect((await graphqlHttp(env.url, VERIFY, { code: wrongCode(u.totpSecret!) }, { cookie })).errors?.[0]?.extensions?.code).toBe('MFA_INVALID');
      }
      const fifth = await graphqlHttp(env.url, VERIFY, { code: wrongCode(u.totpSecret!) }, { cookie });
      expect(fifth.errors?.[0]?.extensions?.code).toBe('ACCOUNT_LOCKED');
      expect(fifth.setCookies.some((c) => /^payrail_session=;.*Max-Age=0/.test(c))).toBe(true);
      expect(await me(cookie)).toBeNull();
    });

    it('does not require TOTP from merchant users without it', async () => {
      const u = await owner();
      const result = await login(u.user.email, u.password);
      expect(result.data?.login.mfa).toEqual({ enabled: false, verified: true, required: false });
    });
  });

  describe('sessions', () => {
    let u: UserFixture;
    beforeAll(async () => {
      u = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
    });

    it('ends a session after 30 minutes without a request', async () => {
      const s = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
      await env.prisma.session.update({ where: { id: s.sessionId }, data: { lastSeenAt: new Date(Date.now() - 29 * 60_000) } });
      expect(await me(s.cookie)).not.toBeNull();
      // That request refreshed lastSeenAt (written at most once a minute).
      const touched = await env.prisma.session.findUniqueOrThrow({ where: { id: s.sessionId } });
      expect(touched.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
      await env.prisma.session.update({ where: { id: s.sessionId }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
      expect(await me(s.cookie)).toBeNull();
    });

    it('ends a session at its absolute expiry however active it is', async () => {
      const s = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
      const created = await env.prisma.session.findUniqueOrThrow({ where: { id: s.sessionId } });
      expect(created.expiresAt.getTime() - created.createdAt.getTime()).toBe(12 * 60 * 60_000);
      await env.prisma.session.update({ where: { id: s.sessionId }, data: { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() } });
      expect(await me(s.cookie)).toBeNull();
    });

    it('treats malformed and unknown cookies as anonymous', async () => {
      expect(await me('payrail_session=nope')).toBeNull();
      expect(await me(`payrail_session=${'A'.repeat(43)}`)).toBeNull();
      expect((await graphqlHttp(env.url, API_TOKENS, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await me(u.cookie)).not.toBeNull();
    });

    it('the purge job deletes sessions that ended over a week ago and keeps the others', async () => {
      const old = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
      const recent = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
      await env.prisma.session.update({ where: { id: old.sessionId }, data: { revokedAt: new Date(Date.now() - 8 * 24 * 60 * 60_000) } });
      await env.prisma.session.update({ where: { id: recent.sessionId }, data: { revokedAt: new Date(Date.now() - 60_000) } });
      expect(await purgeEndedSessions(env.prisma)).toBeGreaterThanOrEqual(1);
      expect(await env.prisma.session.count({ where: { id: old.sessionId } })).toBe(0);
      expect(await env.prisma.session.count({ where: { id: recent.sessionId } })).toBe(1);
      expect(await env.prisma.session.count({ where: { id: u.sessionId } })).toBe(1);
    });

    it('logout ends this session and clears the cookie', async () => {
      const s = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
      const result = await graphqlHttp(env.url, 'mutation { logout }', {}, { cookie: s.cookie });
      expect(result.data).toEqual({ logout: true });
      expect(result.setCookies.some((c) => /^payrail_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/.test(c))).toBe(true);
      expect(await me(s.cookie)).toBeNull();
      expect(await env.prisma.auditLog.count({ where: { action: 'auth.logout', actorId: s.user.id } })).toBe(1);
    });

    it('logoutEverywhere ends every session of the user and no one else’s', async () => {
      const a = await owner();
      const b1 = (await login(a.user.email, a.password)).sessionCookie!;
      const b2 = (await login(a.user.email, a.password)).sessionCookie!;
      const result = await graphqlHttp(env.url, 'mutation { logoutEverywhere { revokedSessions } }', {}, { cookie: b1 });
      expect(result.data).toEqual({ logoutEverywhere: { revokedSessions: 2 } });
      expect(await me(b1)).toBeNull();
      expect(await me(b2)).toBeNull();
      expect(await me(u.cookie)).not.toBeNull();
      expect(await env.prisma.auditLog.count({ where: { action: 'auth.logout_everywhere', actorId: a.user.id } })).toBe(1);
    });
  });

  describe('password change', () => {
    it('enforces the policy, ends the other sessions and keeps this one', async () => {
      const u = await owner();
      const mine = (await login(u.user.email, u.password)).sessionCookie!;
      const other = (await login(u.user.email, u.password)).sessionCookie!;
      const change = (current: string, next: string) => graphqlHttp(env.url, CHANGE_PASSWORD, { current, next }, { cookie: mine });

      expect((await change('wrong-current-pass', 'a-long-enough-password')).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      expect((await change(u.password, 'short-pass')).errors?.[0]?.extensions).toMatchObject({ code: 'PASSWORD_POLICY', rule: 'MIN_LENGTH' });
      expect((await change(u.password, u.user.email.toUpperCase())).errors?.[0]?.extensions).toMatchObject({ code: 'PASSWORD_POLICY', rule: 'EQUALS_EMAIL' });
      expect((await change(u.password, u.password)).errors?.[0]?.extensions).toMatchObject({ code: 'PASSWORD_POLICY', rule: 'UNCHANGED' });

      const next = 'correct horse battery staple';
      expect((await change(u.password, next)).data?.changePassword).toEqual({ __typename: 'ChangePasswordPayload', revokedSessions: 1 });
      expect(await me(mine)).not.toBeNull();
      expect(await me(other)).toBeNull();
      expect((await login(u.user.email, u.password)).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      expect((await login(u.user.email, next)).data?.login.__typename).toBe('Me');
      expect(await env.prisma.auditLog.count({ where: { action: 'auth.password_changed', actorId: u.user.id } })).toBe(1);
    });

    it('needs a signed-in user', async () => {
      const result = await graphqlHttp(env.url, CHANGE_PASSWORD, { current: 'a', next: 'b' });
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('preferences', () => {
    it('updates language and time zone and refuses unknown ones', async () => {
      const u = await createUserFixture(env.prisma, { roleKey: 'MERCHANT_VIEWER', merchantId });
      const q = `mutation ($input: UpdateMyPreferencesInput!) { updateMyPreferences(input: $input) { __typename ... on Me { locale timezone } } }`;
      expect((await graphqlHttp(env.url, q, { input: { locale: 'zh', timezone: 'Asia/Bangkok' } }, { cookie: u.cookie })).data?.updateMyPreferences).toEqual({
        __typename: 'Me',
        locale: 'zh',
        timezone: 'Asia/Bangkok',
      });
      expect((await graphqlHttp(env.url, q, { input: { timezone: 'Mars/Olympus' } }, { cookie: u.cookie })).errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
      expect((await graphqlHttp(env.url, q, { input: { locale: 'fr' } }, { cookie: u.cookie })).errors?.[0]?.extensions?.code).toBe('INVALID_INPUT');
      expect(await env.prisma.auditLog.count({ where: { action: 'user.preferences_update', actorId: u.user.id } })).toBe(1);
    });
  });

  async function resetTotpReplayGuard(u: UserFixture, secret: string): Promise<void> {
    await env.prisma.user.update({ where: { id: u.user.id }, data: { totpSecretEnc: sealTotp(env.services.secrets, u.user.id, { secret, lastStep: null }) } });
  }
});

describe('authentication limits and cookie flags', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment({ env: { AUTH_LOGIN_RATE_PER_MINUTE: '3', PUBLIC_URL: 'https://pay.example.com', AUTH_REQUIRE_STAFF_MFA: 'false' } });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('rate-limits sign-in attempts per IP, recording the refused ones', async () => {
    const staff = await createUserFixture(env.prisma, { roleKey: 'SUPPORT_AGENT', session: false, totp: false });
    const attempt = () => graphqlHttp(env.url, LOGIN, { input: { email: staff.user.email, password: staff.password } });
    const first = await attempt();
    // Staff MFA switched off: password alone signs staff in; the cookie is Secure behind https.
    expect(first.data?.login).toMatchObject({ __typename: 'Me', global: true, mfa: { verified: true, required: false } });
    expect(first.setCookies.find((c) => c.startsWith('payrail_session='))).toMatch(/; Secure$/);
    await attempt();
    await attempt();
    const limited = await attempt();
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.sessionCookie).toBeUndefined();
    expect(await env.prisma.loginAttempt.count({ where: { email: staff.user.email, reason: 'RATE_LIMITED' } })).toBe(1);
  });
});

describe('AUTH_REQUIRE_STAFF_MFA', () => {
  const settings = (env: Record<string, string>) => authSettings(loadConfig({ SECRET_KEY: 'a'.repeat(64), ...env })).requireStaffMfa;

  it('defaults to on, except for the embedded-database demo outside production', () => {
    expect(settings({ DATABASE_URL: 'postgresql://db/payrail' })).toBe(true);
    expect(settings({})).toBe(false); // `npm start` with no DATABASE_URL: the demo staff sign in with the password
    expect(settings({ NODE_ENV: 'production' })).toBe(true);
    expect(settings({ AUTH_REQUIRE_STAFF_MFA: 'true' })).toBe(true);
    expect(settings({ DATABASE_URL: 'postgresql://db/payrail', AUTH_REQUIRE_STAFF_MFA: 'false' })).toBe(false);
  });
});

/** A 6-digit code that is not valid for any step in the ±1 window. */
function wrongCode(secret: string): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, Date.now() + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}
