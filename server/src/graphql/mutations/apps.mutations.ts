import { GraphQLError } from 'graphql';
import type { Tx } from '../../db/prisma.ts';
import type { App } from '../../generated/prisma/client.ts';
import { invalidateAppCredentials } from '../../modules/apps/app-credentials.ts';
import { addMerchantKey, createApp, getApp, revokeMerchantKey, rotatePlatformKey, updateApp, type UpdateAppInput } from '../../modules/apps/apps.service.ts';
import { recordAudit, type AuditEntry } from '../../modules/audit/audit.service.ts';
import { assertCan, can, requireViewer } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { parseIds } from '../lists/filters.ts';
import { EnableStatusEnum } from '../schema/catalog.schema.ts';
import { AppRef } from '../schema/merchants.schema.ts';
import { actorOf, domain, notFound } from './support.ts';

/**
 * Merchant center applications (seed 000): create an app (notify URLs, IP whitelist, the merchant's
 * first public key; the platform key pair is issued at once and its public key is on the returned
 * app), change its settings, register or revoke merchant public keys ("Exchange Public Key"), rotate
 * the platform key.
 *
 * Access: APP_WRITE (merchant owners, their own merchant's apps) or MERCHANT_MANAGE (staff, every
 * app). An app the viewer may not read is APP_NOT_FOUND (another merchant's app never shows it
 * exists); a readable app the viewer may not change is FORBIDDEN (operators, viewers, finance,
 * support). Each mutation is one transaction: the apps service call and its audit row (safe views:
 * serials and settings, never a private key). The REST layer's credential cache is invalidated after
 * the commit, so the next signed request sees the change.
 */

/** What the audit log keeps of an app: its settings, no key material. */
function appView(app: App) {
  return {
    appId: app.appId,
    name: app.name,
    status: app.status,
    test: app.test,
    payinNotifyUrl: app.payinNotifyUrl,
    payoutNotifyUrl: app.payoutNotifyUrl,
    ipWhitelist: app.ipWhitelist,
  };
}

/** Runs the change and its audit row in one transaction, then drops the app's cached credentials. */
async function auditedAppChange<T>(
  ctx: GraphQLContext,
  publicAppId: string,
  change: (tx: Tx) => Promise<{ result: T; audit: AuditEntry }>,
  opts: { timeout?: number } = {},
): Promise<T> {
  const actor = actorOf(ctx);
  try {
    return await domain(() =>
      ctx.prisma.$transaction(
        async (tx) => {
          const { result, audit } = await change(tx);
          await recordAudit(tx, actor, audit);
          return result;
        },
        // Issuing a platform key generates an RSA pair inside the transaction.
        { timeout: opts.timeout ?? 5_000 },
      ),
    );
  } finally {
    // The service invalidates too, but inside our transaction: a request in between may have cached
    // the state from before the commit.
    invalidateAppCredentials(publicAppId);
  }
}

/** The merchant an app is created for: the member's own, or the one staff name (MERCHANT_NOT_FOUND if unreadable). */
async function merchantForNewApp(ctx: GraphQLContext, raw: string | null | undefined): Promise<string> {
  const viewer = requireViewer(ctx);
  if (raw == null || raw === '') {
    const own = viewer.kind === 'token' ? viewer.merchantId : viewer.global ? null : viewer.merchantId;
    if (!own) throw new GraphQLError('merchantId: required for platform staff', { extensions: { code: 'INVALID_PARAMETER', field: 'merchantId' } });
    return own;
  }
  const merchant = await ctx.prisma.merchant.findUnique({ where: { id: parseIds('Merchant', 'merchantId', [raw])![0]! }, select: { id: true } });
  if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw notFound('merchant');
  return merchant.id;
}

/** An app the viewer may change; APP_NOT_FOUND when they may not read it, FORBIDDEN when only read. */
async function writableApp(ctx: GraphQLContext, raw: string): Promise<App> {
  requireViewer(ctx);
  const app = await ctx.prisma.app.findUnique({ where: { id: parseIds('App', 'id', [raw])![0]! } });
  if (!app || !can(ctx, 'read', 'App', app)) throw notFound('app');
  assertCan(ctx, 'update', 'App', app);
  return app;
}

// ─────────────────────────────── create / update ───────────────────────────────

const CreateAppInput = builder.inputType('CreateAppInput', {
  fields: (t) => ({
    merchantId: t.id({ required: false, description: 'Required for platform staff; a merchant member creates for their own merchant.' }),
    name: t.string({ required: true, description: '1 to 100 characters.' }),
    publicKeyPem: t.string({
      required: false,
      description:
        'The merchant’s RSA public key (PEM "PUBLIC KEY" or "RSA PUBLIC KEY", 2048 to 8192 bits) that will sign requests. Optional: without it the app has only the platform key and signed requests are refused until a key is added (addMerchantPublicKey).',
    }),
    payinNotifyUrl: t.string({ required: false, description: 'http(s) URL for payin callbacks.' }),
    payoutNotifyUrl: t.string({ required: false, description: 'http(s) URL for payout callbacks.' }),
    ipWhitelist: t.stringList({ required: false, description: 'CIDRs or addresses allowed to call the API; empty = any.' }),
    test: t.boolean({ required: false, description: 'A test application creates test orders.' }),
  }),
});

builder.mutationField('createApp', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Creates an application with the merchant’s first public key and issues its platform key pair (the platform public key is in `platformKeys`). Errors: INVALID_PARAMETER (field), INVALID_PUBLIC_KEY, MERCHANT_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: CreateAppInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const merchantId = await merchantForNewApp(ctx, input.merchantId == null ? null : String(input.merchantId));
      assertCan(ctx, 'create', 'App', { merchantId });
      const actor = actorOf(ctx);
      const created = await domain(() =>
        ctx.prisma.$transaction(
          async (tx) => {
            const made = await createApp(tx, ctx.secrets, {
              merchantId,
              name: input.name,
              publicKeyPem: input.publicKeyPem,
              payinNotifyUrl: input.payinNotifyUrl ?? null,
              payoutNotifyUrl: input.payoutNotifyUrl ?? null,
              ipWhitelist: input.ipWhitelist ?? [],
              test: input.test ?? false,
            });
            await recordAudit(tx, actor, {
              action: 'app.create',
              merchantId,
              entityType: 'App',
              entityId: made.app.id,
              after: { ...appView(made.app), merchantKeySerial: made.merchantKeySerial, platformKeySerial: made.platformKey.serial },
            });
            return made;
          },
          { timeout: 30_000 },
        ),
      );
      invalidateAppCredentials(created.app.appId);
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id: created.app.id } });
    },
  }),
);

const UpdateAppInput = builder.inputType('UpdateAppInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The App node id.' }),
    name: t.string({ required: false }),
    payinNotifyUrl: t.string({ required: false, description: 'Absent: unchanged; null or "": cleared; else an http(s) URL.' }),
    payoutNotifyUrl: t.string({ required: false, description: 'Absent: unchanged; null or "": cleared; else an http(s) URL.' }),
    ipWhitelist: t.stringList({ required: false, description: 'The complete new list (empty = any address); absent or null: unchanged.' }),
    status: t.field({ type: EnableStatusEnum, required: false, description: 'DISABLED: every signed request of the app is refused (40105).' }),
    test: t.boolean({ required: false }),
  }),
});

builder.mutationField('updateApp', (t) =>
  t.prismaField({
    type: AppRef,
    description: 'Changes an application’s name, notify URLs, IP whitelist, status or test flag. Errors: INVALID_PARAMETER (field), APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateAppInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const app = await writableApp(ctx, String(input.id));
      const changes: UpdateAppInput = {};
      if (input.name != null) changes.name = input.name;
      if (input.payinNotifyUrl !== undefined) changes.payinNotifyUrl = input.payinNotifyUrl;
      if (input.payoutNotifyUrl !== undefined) changes.payoutNotifyUrl = input.payoutNotifyUrl;
      if (input.ipWhitelist != null) changes.ipWhitelist = input.ipWhitelist;
      if (input.status != null) changes.status = input.status;
      if (input.test != null) changes.test = input.test;
      await auditedAppChange(ctx, app.appId, async (tx) => {
        const before = await getApp(tx, { id: app.id });
        const after = await updateApp(tx, { id: app.id }, changes);
        return {
          result: after,
          audit: { action: 'app.update', merchantId: app.merchantId, entityType: 'App', entityId: app.id, before: appView(before), after: appView(after) },
        };
      });
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id: app.id } });
    },
  }),
);

// ─────────────────────────────── keys ───────────────────────────────

const AddMerchantPublicKeyInput = builder.inputType('AddMerchantPublicKeyInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The App node id.' }),
    publicKeyPem: t.string({
      required: true,
      description: 'RSA public key, PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1), 2048 to 8192 bits: requests are signed RSASSA-PKCS1-v1_5 SHA-256 (REST contract).',
    }),
  }),
});

builder.mutationField('addMerchantPublicKey', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Registers another merchant public key on the app (rotation: the existing keys stay active until revoked). Sign with its `serial`. Errors: INVALID_PUBLIC_KEY, MERCHANT_KEY_EXISTS, APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: AddMerchantPublicKeyInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const app = await writableApp(ctx, String(input.id));
      await auditedAppChange(ctx, app.appId, async (tx) => {
        const { serial } = await addMerchantKey(tx, { id: app.id }, input.publicKeyPem);
        return { result: serial, audit: { action: 'app.merchant_key.add', merchantId: app.merchantId, entityType: 'App', entityId: app.id, after: { appId: app.appId, serial } } };
      });
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id: app.id } });
    },
  }),
);

const RevokeMerchantKeyInput = builder.inputType('RevokeMerchantKeyInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The App node id.' }),
    serial: t.string({ required: true, description: 'Serial of the active merchant key to revoke.' }),
    force: t.boolean({
      required: false,
      description: 'Revoke even the last active key (a leaked key): the app then accepts no request until a new key is added.',
    }),
  }),
});

builder.mutationField('revokeMerchantKey', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Revokes a merchant public key: requests signed with it fail (40102) from now on. Errors: MERCHANT_KEY_NOT_FOUND, LAST_ACTIVE_MERCHANT_KEY (add the new key first, or force), APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: RevokeMerchantKeyInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const app = await writableApp(ctx, String(input.id));
      const serial = input.serial.trim().toUpperCase();
      const force = input.force ?? false;
      await auditedAppChange(ctx, app.appId, async (tx) => {
        await revokeMerchantKey(tx, { id: app.id }, serial, { force });
        return {
          result: serial,
          audit: { action: 'app.merchant_key.revoke', merchantId: app.merchantId, entityType: 'App', entityId: app.id, after: { appId: app.appId, serial, force } },
        };
      });
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id: app.id } });
    },
  }),
);

const RotatePlatformKeyInput = builder.inputType('RotatePlatformKeyInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'The App node id.' }) }),
});

builder.mutationField('rotatePlatformKey', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Issues a new platform key pair: it signs responses and callbacks from now on; the keys it replaces stay published (GET /v1/platform/certificates) for 24 h. Errors: APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: RotatePlatformKeyInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const app = await writableApp(ctx, String(input.id));
      await auditedAppChange(
        ctx,
        app.appId,
        async (tx) => {
          const rotated = await rotatePlatformKey(tx, ctx.secrets, { id: app.id });
          return {
            result: rotated.serial,
            audit: {
              action: 'app.platform_key.rotate',
              merchantId: app.merchantId,
              entityType: 'App',
              entityId: app.id,
              after: { appId: app.appId, serial: rotated.serial, retired: rotated.retired.map((r) => ({ serial: r.serial, expiresAt: r.expiresAt.toISOString() })) },
            },
          };
        },
        { timeout: 30_000 },
      );
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id: app.id } });
    },
  }),
);
