import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { accessibleWhere, defineAbilityFor, packAbility, PLATFORM_ONLY_CODES } from '../../modules/auth/ability.ts';
import { logout, logoutEverywhere, changePassword, updatePreferences } from '../../modules/auth/account.service.ts';
import { apiTokenCreators, type ApiTokenCreator } from '../../modules/auth/api-tokens.service.ts';
import { AuthError } from '../../modules/auth/auth.errors.ts';
import { authSettings } from '../../modules/auth/auth-config.ts';
import { clearedSessionCookie, sessionCookie } from '../../modules/auth/cookies.ts';
import { verifySecondFactor } from '../../modules/auth/login.ts';
import type { TotpEnrolment } from '../../modules/auth/mfa.service.ts';
import { PERMISSIONS } from '../../modules/auth/permissions.ts';
import { resolveViewer } from '../../modules/auth/principal.ts';
import { confirmMyTotpEnrolment, issueApiToken, revokeApiTokenById, signIn, startMyTotpEnrolment } from '../../modules/auth/self-service.ts';
import { SESSION_COOKIE } from '../../modules/auth/sessions.ts';
import type { TokenViewer, UserViewer, Viewer } from '../../modules/auth/viewer.ts';
import { ANONYMOUS } from '../../modules/auth/viewer.ts';
import { forbidden, requireUser, requireViewer } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';

/**
 * Authentication: sign-in with password and TOTP, sessions (httpOnly cookie), enrolment, password
 * change, sign-out, the viewer (`me`) with its packed CASL rules for the SPA, and merchant API tokens.
 * Resolvers are thin: authorise, call one function of modules/auth, map the result. Refusals are
 * thrown DomainErrors (AuthError codes: INVALID_CREDENTIALS, MFA_REQUIRED …) shown as `extensions.code`.
 */

// ─────────────────────────────── me ───────────────────────────────

const PERMISSION_NAMES = new Map<number, string>(Object.entries(PERMISSIONS).map(([name, code]) => [code, name]));

interface PermissionInfo {
  code: number;
  name: string;
  platform: boolean;
}

const PermissionInfoRef = builder.objectRef<PermissionInfo>('PermissionInfo').implement({
  description: 'A permission code roles and API tokens are built from (seed 001).',
  fields: (t) => ({
    code: t.exposeInt('code', { description: 'e.g. 1014 (OPERATION_PAYMENT_WRITE).' }),
    name: t.exposeString('name'),
    platform: t.exposeBoolean('platform', { description: 'Grants something only in a GLOBAL (staff) role; nothing in a MERCHANT-scope role or an API token.' }),
  }),
});

builder.queryField('permissionCatalog', (t) =>
  t.field({
    type: [PermissionInfoRef],
    description: 'Every permission code, by code (for role and API token editors).',
    resolve: (_root, _args, ctx) => {
      requireViewer(ctx);
      return [...PERMISSION_NAMES].sort(([a], [b]) => a - b).map(([code, name]) => ({ code, name, platform: PLATFORM_ONLY_CODES.has(code) }));
    },
  }),
);

interface MeShape {
  viewer: UserViewer | TokenViewer;
  ability: GraphQLContext['ability'];
  requireStaffMfa: boolean;
  user: {
    locale: string;
    timezone: string;
    totpEnabled: boolean;
    roles: Array<{ id: string; key: string | null; name: string; scope: string }>;
    session: { expiresAt: Date; lastSeenAt: Date } | null;
  } | null;
  merchant: { id: string; mchId: string; name: string; timezone: string; status: string } | null;
  idleTimeoutSeconds: number;
}

const ViewerKindEnum = builder.enumType('ViewerKind', {
  description: 'USER: a person with a session cookie. API_TOKEN: a merchant server with a bearer token.',
  values: ['USER', 'API_TOKEN'] as const,
});

const ViewerMerchant = builder.objectRef<NonNullable<MeShape['merchant']>>('ViewerMerchant').implement({
  description: "The viewer's own merchant.",
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Database id (uuid).' }),
    mchId: t.exposeString('mchId'),
    name: t.exposeString('name'),
    timezone: t.exposeString('timezone'),
    status: t.exposeString('status'),
  }),
});

const ViewerRole = builder.objectRef<NonNullable<MeShape['user']>['roles'][number]>('ViewerRole').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Database id (uuid).' }),
    key: t.exposeString('key', { nullable: true, description: 'Built-in role key, e.g. MERCHANT_OWNER; null for custom roles.' }),
    name: t.exposeString('name'),
    scope: t.exposeString('scope', { description: 'GLOBAL (staff, every merchant) or MERCHANT (own merchant only).' }),
  }),
});

const MfaStatus = builder.objectRef<MeShape>('MfaStatus').implement({
  fields: (t) => ({
    enabled: t.boolean({ description: 'TOTP is enrolled.', resolve: (m) => m.user?.totpEnabled ?? false }),
    verified: t.boolean({
      description: 'This session passed the second factor (or needs none). False: only verifyTotp / enrolment work.',
      resolve: (m) => m.viewer.kind !== 'user' || m.viewer.mfaVerified,
    }),
    required: t.boolean({
      description: 'The user must use TOTP (enrolled, or staff while staff MFA is required).',
      resolve: (m) => m.viewer.kind === 'user' && ((m.user?.totpEnabled ?? false) || (m.viewer.global && m.requireStaffMfa)),
    }),
  }),
});

const Me = builder.objectRef<MeShape>('Me').implement({
  description: 'Who is calling, what they may do, and their preferences.',
  fields: (t) => ({
    kind: t.field({ type: ViewerKindEnum, resolve: (m) => (m.viewer.kind === 'user' ? 'USER' : 'API_TOKEN') }),
    userId: t.string({ nullable: true, description: 'Database id (uuid) of the user.', resolve: (m) => (m.viewer.kind === 'user' ? m.viewer.userId : null) }),
    tokenId: t.string({ nullable: true, description: 'Database id (uuid) of the API token.', resolve: (m) => (m.viewer.kind === 'token' ? m.viewer.tokenId : null) }),
    email: t.string({ nullable: true, resolve: (m) => (m.viewer.kind === 'user' ? m.viewer.email : null) }),
    name: t.string({ nullable: true, resolve: (m) => (m.viewer.kind === 'user' ? m.viewer.name : null) }),
    global: t.boolean({
      description: 'Platform staff: holds a GLOBAL-scope role and acts on every merchant.',
      resolve: (m) => m.viewer.kind === 'user' && m.viewer.global,
    }),
    merchant: t.field({ type: ViewerMerchant, nullable: true, resolve: (m) => m.merchant }),
    roles: t.field({ type: [ViewerRole], resolve: (m) => m.user?.roles ?? [] }),
    permissions: t.intList({
      description: 'Permission codes in effect (empty until the second factor is passed).',
      resolve: (m) => (isVerified(m.viewer) ? [...m.viewer.permissions].sort((a, b) => a - b) : []),
    }),
    permissionNames: t.stringList({
      resolve: (m) => (isVerified(m.viewer) ? [...m.viewer.permissions].sort((a, b) => a - b).map((c) => PERMISSION_NAMES.get(c) ?? String(c)) : []),
    }),
    abilityRules: t.field({
      type: 'JSON',
      description:
        'The CASL rules of this viewer, packed (`@casl/ability/extra` packRules). Conditions are Prisma where objects: unpack and build with `createPrismaAbility` from `@casl/prisma/runtime` (or check subjects and actions only).',
      resolve: (m) => packAbility(m.ability),
    }),
    locale: t.string({ resolve: (m) => m.user?.locale ?? 'en' }),
    timezone: t.string({ resolve: (m) => m.user?.timezone ?? m.merchant?.timezone ?? 'UTC' }),
    mfa: t.field({ type: MfaStatus, resolve: (m) => m }),
    passwordChangeRequired: t.boolean({
      description: 'An administrator set this password: only changePassword and sign-out work until the user chooses their own (PASSWORD_CHANGE_REQUIRED).',
      resolve: (m) => m.viewer.kind === 'user' && m.viewer.passwordChangeRequired,
    }),
    sessionExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Absolute end of this session (it also ends after `sessionIdleTimeoutSeconds` without a request).',
      resolve: (m) => m.user?.session?.expiresAt ?? null,
    }),
    sessionIdleTimeoutSeconds: t.int({ resolve: (m) => m.idleTimeoutSeconds }),
  }),
});

function isVerified(viewer: Viewer): boolean {
  return viewer.kind === 'token' || (viewer.kind === 'user' && viewer.mfaVerified && !viewer.passwordChangeRequired);
}

/** Loads what `me` shows about a viewer (one query for a user, one for a token's merchant). */
async function loadMe(ctx: GraphQLContext, viewer: Viewer = ctx.viewer): Promise<MeShape | null> {
  if (viewer.kind === 'anonymous') return null;
  const settings = authSettings(ctx.config);
  const ability = viewer === ctx.viewer ? ctx.ability : defineAbilityFor(viewer);
  const merchantSelect = { id: true, mchId: true, name: true, timezone: true, status: true } as const;
  const base = { viewer, ability, requireStaffMfa: settings.requireStaffMfa, idleTimeoutSeconds: Math.round(settings.sessions.idleMs / 1000) };
  if (viewer.kind === 'token') {
    const merchant = await ctx.prisma.merchant.findUnique({ where: { id: viewer.merchantId }, select: merchantSelect });
    return { ...base, user: null, merchant };
  }
  const user = await ctx.prisma.user.findUniqueOrThrow({
    where: { id: viewer.userId },
    select: {
      locale: true,
      timezone: true,
      totpEnabled: true,
      merchant: { select: merchantSelect },
      roles: { select: { role: { select: { id: true, key: true, name: true, scope: true } } }, orderBy: { roleId: 'asc' } },
      sessions: { where: { id: viewer.sessionId }, select: { expiresAt: true, lastSeenAt: true } },
    },
  });
  return {
    ...base,
    user: {
      locale: user.locale,
      timezone: user.timezone,
      totpEnabled: user.totpEnabled,
      roles: user.roles.map((r) => r.role),
      session: user.sessions[0] ?? null,
    },
    merchant: user.merchant,
  };
}

/** Switches the rest of this request to another viewer (after login / logout), as the next request would see it. */
function setViewer(ctx: GraphQLContext, viewer: Viewer): void {
  ctx.viewer = viewer;
  ctx.ability = defineAbilityFor(viewer);
}

async function meOrThrow(ctx: GraphQLContext): Promise<MeShape> {
  const me = await loadMe(ctx);
  if (!me) throw forbidden('no viewer');
  return me;
}

builder.queryField('me', (t) =>
  t.field({
    type: Me,
    nullable: true,
    description: 'The caller, or null when not signed in. Works for a session still owing its second factor (mfa.verified = false).',
    resolve: (_root, _args, ctx) => loadMe(ctx),
  }),
);

// ─────────────────────────────── sign-in ───────────────────────────────

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    totpCode: t.string({ required: false, description: 'The 6-digit code, when the user has TOTP (may also be sent later with verifyTotp).' }),
  }),
});

builder.mutationField('login', (t) =>
  t.field({
    type: Me,
    description:
      'Signs in with email and password (and TOTP code). Sets the httpOnly session cookie. Errors (extensions.code): INVALID_CREDENTIALS, ACCOUNT_LOCKED (lockedUntil, retryAfterSeconds), MFA_REQUIRED (cookie set, second factor pending: verifyTotp, or when enrolmentRequired, startTotpEnrolment then confirmTotpEnrolment), MFA_INVALID, USER_DISABLED, RATE_LIMITED (retryAfterSeconds).',
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const outcome = await signIn(ctx, { email: input.email, password: input.password, totpCode: input.totpCode ?? null });
      ctx.setCookie(sessionCookie(outcome.session.token, outcome.session.expiresAt, authSettings(ctx.config).cookie));
      setViewer(ctx, await resolveViewer(ctx, { headers: {}, cookies: { [SESSION_COOKIE]: outcome.session.token } }));
      if (outcome.mfa !== 'VERIFIED') {
        throw new AuthError(
          'MFA_REQUIRED',
          outcome.mfa === 'ENROLMENT_REQUIRED' ? 'set up two-factor authentication to continue' : 'enter the code from your authenticator app',
          { enrolmentRequired: outcome.mfa === 'ENROLMENT_REQUIRED' },
        );
      }
      return meOrThrow(ctx);
    },
  }),
);

const TotpCodeInput = builder.inputType('TotpCodeInput', {
  fields: (t) => ({ code: t.string({ required: true, description: 'The 6-digit code from the authenticator app.' }) }),
});

builder.mutationField('verifyTotp', (t) =>
  t.field({
    type: Me,
    description: 'Completes a sign-in that answered MFA_REQUIRED with the TOTP code. Errors: MFA_INVALID, ACCOUNT_LOCKED (session ended), TOTP_NOT_ENABLED.',
    args: { input: t.arg({ type: TotpCodeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const viewer = requireUser(ctx, { allowPendingMfa: true });
      if (viewer.mfaVerified) return meOrThrow(ctx);
      try {
        await verifySecondFactor(ctx, { userId: viewer.userId, sessionId: viewer.sessionId, code: input.code, ip: ctx.ip ?? null });
      } catch (error) {
        if (error instanceof AuthError && error.code === 'ACCOUNT_LOCKED') {
          ctx.setCookie(clearedSessionCookie(authSettings(ctx.config).cookie));
          setViewer(ctx, ANONYMOUS);
        }
        throw error;
      }
      setViewer(ctx, { ...viewer, mfaVerified: true });
      return meOrThrow(ctx);
    },
  }),
);

const TotpEnrolmentRef = builder.objectRef<TotpEnrolment>('TotpEnrolment').implement({
  description: 'A TOTP secret waiting for confirmation: show the QR code (or the secret for manual entry), then call confirmTotpEnrolment.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'Base32 secret for manual entry.' }),
    otpauthUrl: t.exposeString('otpauthUrl'),
    qrCodeSvgDataUrl: t.exposeString('qrCodeSvgDataUrl', { description: 'QR code of otpauthUrl as an SVG data URL (use as <img src>).' }),
  }),
});

builder.mutationField('startTotpEnrolment', (t) =>
  t.field({
    type: TotpEnrolmentRef,
    description: 'Starts (or restarts) TOTP enrolment for the signed-in user. Works for a session still owing enrolment. Errors: TOTP_ALREADY_ENABLED.',
    resolve: (_root, _args, ctx) => startMyTotpEnrolment(ctx),
  }),
);

builder.mutationField('confirmTotpEnrolment', (t) =>
  t.field({
    type: Me,
    description: 'Turns TOTP on with the first code from the app; a session that owed enrolment becomes verified. Errors: MFA_INVALID, TOTP_ALREADY_ENABLED, TOTP_ENROLMENT_NOT_STARTED.',
    args: { input: t.arg({ type: TotpCodeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      setViewer(ctx, await confirmMyTotpEnrolment(ctx, { code: input.code }));
      return meOrThrow(ctx);
    },
  }),
);

// ─────────────────────────────── sign-out, password, preferences ───────────────────────────────

builder.mutationField('logout', (t) =>
  t.boolean({
    description: 'Ends this session and clears the cookie. True when a session was ended.',
    resolve: async (_root, _args, ctx) => {
      const viewer = ctx.viewer;
      ctx.setCookie(clearedSessionCookie(authSettings(ctx.config).cookie));
      if (viewer.kind !== 'user') return false;
      await logout(ctx.prisma, viewer, ctx.ip);
      setViewer(ctx, ANONYMOUS);
      return true;
    },
  }),
);

const LogoutEverywherePayload = builder.objectRef<{ revokedSessions: number }>('LogoutEverywherePayload').implement({
  fields: (t) => ({ revokedSessions: t.exposeInt('revokedSessions', { description: 'Sessions ended, this one included.' }) }),
});

builder.mutationField('logoutEverywhere', (t) =>
  t.field({
    type: LogoutEverywherePayload,
    description: 'Ends every session of the signed-in user (all browsers), this one included.',
    resolve: async (_root, _args, ctx) => {
      const viewer = requireUser(ctx, { allowPendingMfa: true });
      const revokedSessions = await logoutEverywhere(ctx.prisma, viewer, ctx.ip);
      ctx.setCookie(clearedSessionCookie(authSettings(ctx.config).cookie));
      setViewer(ctx, ANONYMOUS);
      return { revokedSessions };
    },
  }),
);

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({
    currentPassword: t.string({ required: true }),
    newPassword: t.string({ required: true, description: 'At least 12 characters, not the email, not the current password.' }),
  }),
});

const ChangePasswordPayload = builder.objectRef<{ revokedSessions: number }>('ChangePasswordPayload').implement({
  fields: (t) => ({ revokedSessions: t.exposeInt('revokedSessions', { description: 'Other sessions ended (this one stays).' }) }),
});

builder.mutationField('changePassword', (t) =>
  t.field({
    type: ChangePasswordPayload,
    description: 'Changes the password and ends every other session. Errors: INVALID_CREDENTIALS (current password), PASSWORD_POLICY (extensions.rule).',
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      changePassword(ctx.prisma, requireUser(ctx, { allowPasswordChange: true }), { currentPassword: input.currentPassword, newPassword: input.newPassword, ip: ctx.ip ?? null }),
  }),
);

const UpdateMyPreferencesInput = builder.inputType('UpdateMyPreferencesInput', {
  fields: (t) => ({
    locale: t.string({ required: false, description: 'en or zh.' }),
    timezone: t.string({ required: false, description: 'IANA time zone, e.g. Asia/Bangkok.' }),
  }),
});

builder.mutationField('updateMyPreferences', (t) =>
  t.field({
    type: Me,
    description: 'Language and time zone of the signed-in user. Errors: INVALID_INPUT.',
    args: { input: t.arg({ type: UpdateMyPreferencesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await updatePreferences(ctx.prisma, requireUser(ctx), { locale: input.locale, timezone: input.timezone, ip: ctx.ip ?? null });
      return meOrThrow(ctx);
    },
  }),
);

// ─────────────────────────────── API tokens ───────────────────────────────

const ApiTokenMerchantRef = builder.objectRef<{ id: string; mchId: string; name: string }>('ApiTokenMerchant').implement({
  fields: (t) => ({
    id: t.id({ description: 'The Merchant node id.', resolve: (m) => encodeGlobalID('Merchant', m.id) }),
    mchId: t.exposeString('mchId'),
    name: t.exposeString('name'),
  }),
});

const ApiTokenCreatorRef = builder.objectRef<ApiTokenCreator>('ApiTokenCreator').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
  }),
});

/**
 * A token list's creators in one query per request: every `createdBy` asked for while the list
 * resolves joins one batch, loaded on the next turn of the event loop.
 */
interface CreatorBatch {
  ids: Set<string>;
  started: boolean;
  loaded: Promise<Map<string, ApiTokenCreator>>;
}

const creatorBatches = new WeakMap<GraphQLContext, CreatorBatch>();

function creatorOf(ctx: GraphQLContext, userId: string): Promise<ApiTokenCreator | null> {
  let batch = creatorBatches.get(ctx);
  if (!batch || (batch.started && !batch.ids.has(userId))) {
    const ids = new Set<string>();
    const fresh: CreatorBatch = {
      ids,
      started: false,
      loaded: new Promise((resolve, reject) => {
        setImmediate(() => {
          fresh.started = true;
          apiTokenCreators(ctx.prisma, [...ids]).then(resolve, reject);
        });
      }),
    };
    creatorBatches.set(ctx, fresh);
    batch = fresh;
  }
  batch.ids.add(userId);
  return batch.loaded.then((creators) => creators.get(userId) ?? null);
}

export const ApiTokenRef = builder.prismaNode('ApiToken', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id: uuidOrNil(id), AND: [accessibleWhere(ctx.ability, 'read', 'ApiToken')] }) as never,
  description: "A merchant's API token for GraphQL (`Authorization: Bearer prt_…`). The token itself is shown once, at creation.",
  select: { id: true, merchantId: true, name: true, prefix: true, permissions: true, createdById: true, lastUsedAt: true, expiresAt: true, revokedAt: true, createdAt: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to recognise it.' }),
    permissions: t.exposeIntList('permissions'),
    merchant: t.field({
      type: ApiTokenMerchantRef,
      description: 'The merchant the token acts for (staff see every merchant\'s tokens).',
      select: { merchant: { select: { id: true, mchId: true, name: true } } },
      resolve: (row) => row.merchant,
    }),
    createdBy: t.field({
      type: ApiTokenCreatorRef,
      nullable: true,
      description: 'The member who created the token; null when that user no longer exists.',
      resolve: (row, _args, ctx) => (row.createdById ? creatorOf(ctx, row.createdById) : null),
    }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'When the token last authenticated a request (recorded at most once a minute).' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    active: t.boolean({
      resolve: (row) => !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > Date.now()),
    }),
  }),
});

builder.queryField('apiTokens', (t) =>
  t.prismaField({
    type: [ApiTokenRef],
    description: "API tokens the viewer may see (a merchant owner: the merchant's tokens), newest first.",
    resolve: (query, _root, _args, ctx) => {
      requireViewer(ctx);
      return ctx.prisma.apiToken.findMany({ ...query, where: accessibleWhere(ctx.ability, 'read', 'ApiToken'), orderBy: { createdAt: 'desc' }, take: 500 });
    },
  }),
);

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    permissions: t.intList({ required: true, description: 'Permission codes; each must be held by the creator and usable by a token.' }),
    expiresAt: t.field({ type: 'DateTime', required: false }),
  }),
});

const CreateApiTokenPayload = builder.objectRef<{ token: string; apiTokenId: string }>('CreateApiTokenPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret token (prt_…). Shown only now: store it.' }),
    apiToken: t.prismaField({
      type: ApiTokenRef,
      resolve: (query, payload, _args, ctx) => ctx.prisma.apiToken.findUniqueOrThrow({ ...query, where: { id: payload.apiTokenId } }),
    }),
  }),
});

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreateApiTokenPayload,
    description: "Creates an API token for the signed-in member's merchant (permission API_TOKEN_WRITE). Errors: INVALID_PERMISSIONS, INVALID_INPUT.",
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const created = await issueApiToken(ctx, { name: input.name, permissions: input.permissions, expiresAt: input.expiresAt ?? null });
      return { token: created.token, apiTokenId: created.apiToken.id };
    },
  }),
);

const RevokeApiTokenInput = builder.inputType('RevokeApiTokenInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'The ApiToken node id.' }) }),
});

builder.mutationField('revokeApiToken', (t) =>
  t.prismaField({
    type: ApiTokenRef,
    description: 'Revokes an API token at once. Errors: API_TOKEN_NOT_FOUND.',
    args: { input: t.arg({ type: RevokeApiTokenInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const revoked = await revokeApiTokenById(ctx, { id: parseTokenId(String(input.id)) });
      return ctx.prisma.apiToken.findUniqueOrThrow({ ...query, where: { id: revoked.id } });
    },
  }),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNil(id: string): string {
  return UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000';
}

function parseTokenId(id: string): string | null {
  try {
    const decoded = decodeGlobalID(id);
    return decoded.typename === 'ApiToken' && UUID.test(decoded.id) ? decoded.id : null;
  } catch {
    return null;
  }
}
