import type { Tx } from '../../db/prisma.ts';
import type { App, EnableStatus } from '../../generated/prisma/client.ts';
import { DomainError } from '../../lib/errors.ts';
import { recordAudit, type AuditEntry } from '../audit/audit.service.ts';
import { actorOf, assertCan, can, notFound, requireViewer, type RequestContext } from '../auth/authorize.ts';
import { invalidateAppCredentials } from './app-credentials.ts';
import * as apps from './apps.service.ts';

/**
 * Merchant center applications in the back office (seed 000): create an app (notify URLs, IP
 * whitelist, the merchant's first public key; the platform key pair is issued at once), change its
 * settings, register or revoke merchant public keys ("Exchange Public Key"), rotate the platform key.
 *
 * Access: APP_WRITE (merchant owners, their own merchant's apps) or MERCHANT_MANAGE (staff, every
 * app). An app the viewer may not read is APP_NOT_FOUND (another merchant's app never shows it
 * exists); a readable app the viewer may not change is FORBIDDEN (operators, viewers, finance,
 * support). Each operation is one transaction: the apps.service.ts call and its audit row (safe views:
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

/** The app: APP_NOT_FOUND unless the viewer may read it, FORBIDDEN unless they may change it. */
async function writableApp(db: Tx, ctx: RequestContext, id: string): Promise<App> {
  const app = await db.app.findUnique({ where: { id } });
  if (!app || !can(ctx, 'read', 'App', app)) throw notFound('app');
  assertCan(ctx, 'update', 'App', app);
  return app;
}

/**
 * Loads the app the viewer may change, runs the change and its audit row in one transaction, then
 * drops the app's cached credentials (the apps service invalidates too, but inside the transaction: a
 * request in between may have cached the state from before the commit).
 */
async function changeApp<T>(
  ctx: RequestContext,
  id: string,
  change: (tx: Tx, app: App) => Promise<{ result: T; audit: AuditEntry }>,
  opts: { timeout?: number } = {},
): Promise<T> {
  const actor = actorOf(ctx);
  let publicAppId: string | null = null;
  try {
    return await ctx.prisma.$transaction(
      async (tx) => {
        const app = await writableApp(tx, ctx, id);
        publicAppId = app.appId;
        const { result, audit } = await change(tx, app);
        await recordAudit(tx, actor, audit);
        return result;
      },
      // Issuing a platform key generates an RSA pair inside the transaction.
      { timeout: opts.timeout ?? 5_000 },
    );
  } finally {
    if (publicAppId !== null) invalidateAppCredentials(publicAppId);
  }
}

export interface CreateMerchantAppInput extends Omit<apps.CreateAppInput, 'merchantId'> {
  /** Required for platform staff; a merchant member (or their token) creates for their own merchant when null. */
  merchantId: string | null;
}

/** The merchant an app is created for: the member's own, or the one staff name (MERCHANT_NOT_FOUND if unreadable). */
async function merchantForNewApp(ctx: RequestContext, merchantId: string | null): Promise<string> {
  const viewer = requireViewer(ctx);
  if (merchantId === null) {
    const own = viewer.kind === 'token' ? viewer.merchantId : viewer.global ? null : viewer.merchantId;
    if (!own) throw new DomainError('INVALID_PARAMETER', 'merchantId: required for platform staff', { field: 'merchantId' });
    return own;
  }
  const merchant = await ctx.prisma.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
  if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw notFound('merchant');
  return merchant.id;
}

/** Creates an application with the merchant's first public key (when given) and its platform key pair. */
export async function createApp(ctx: RequestContext, input: CreateMerchantAppInput): Promise<App> {
  const merchantId = await merchantForNewApp(ctx, input.merchantId);
  assertCan(ctx, 'create', 'App', { merchantId });
  const actor = actorOf(ctx);
  const created = await ctx.prisma.$transaction(
    async (tx) => {
      const made = await apps.createApp(tx, ctx.secrets, { ...input, merchantId });
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
  );
  invalidateAppCredentials(created.app.appId);
  return created.app;
}

export interface UpdateMerchantAppInput {
  id: string;
  name?: string;
  status?: EnableStatus;
  test?: boolean;
  /** Absent: unchanged; null or "": cleared. */
  payinNotifyUrl?: string | null;
  payoutNotifyUrl?: string | null;
  /** The complete new list; absent: unchanged. */
  ipWhitelist?: string[];
}

/** Changes an application's name, notify URLs, IP whitelist, status or test flag. */
export async function updateApp(ctx: RequestContext, input: UpdateMerchantAppInput): Promise<{ id: string }> {
  const { id, ...changes } = input;
  return changeApp(ctx, id, async (tx, before) => {
    const after = await apps.updateApp(tx, { id: before.id }, changes);
    return {
      result: { id: before.id },
      audit: { action: 'app.update', merchantId: before.merchantId, entityType: 'App', entityId: before.id, before: appView(before), after: appView(after) },
    };
  });
}

/** Registers another merchant public key on the app (rotation: the existing keys stay active until revoked). */
export async function addMerchantPublicKey(ctx: RequestContext, input: { id: string; publicKeyPem: string }): Promise<{ id: string; serial: string }> {
  return changeApp(ctx, input.id, async (tx, app) => {
    const { serial } = await apps.addMerchantKey(tx, { id: app.id }, input.publicKeyPem);
    return {
      result: { id: app.id, serial },
      audit: { action: 'app.merchant_key.add', merchantId: app.merchantId, entityType: 'App', entityId: app.id, after: { appId: app.appId, serial } },
    };
  });
}

/** Revokes a merchant public key; the last active one only with `force` (a leaked key). */
export async function revokeMerchantKey(ctx: RequestContext, input: { id: string; serial: string; force?: boolean | null }): Promise<{ id: string }> {
  const serial = input.serial.trim().toUpperCase();
  const force = input.force ?? false;
  return changeApp(ctx, input.id, async (tx, app) => {
    await apps.revokeMerchantKey(tx, { id: app.id }, serial, { force });
    return {
      result: { id: app.id },
      audit: { action: 'app.merchant_key.revoke', merchantId: app.merchantId, entityType: 'App', entityId: app.id, after: { appId: app.appId, serial, force } },
    };
  });
}

/** Issues a new platform key pair; the keys it replaces stay published for 24 h. */
export async function rotatePlatformKey(ctx: RequestContext, id: string): Promise<{ id: string; serial: string }> {
  return changeApp(
    ctx,
    id,
    async (tx, app) => {
      const rotated = await apps.rotatePlatformKey(tx, ctx.secrets, { id: app.id });
      return {
        result: { id: app.id, serial: rotated.serial },
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
}
