import type { Db, PrismaClient, Tx } from '../../db/prisma.ts';
import type { App, EnableStatus, MerchantStatus } from '../../generated/prisma/client.ts';
import type { Direction, ServiceKind } from '../../generated/prisma/enums.ts';
import { assertRsaPublicKey, generateRsaKeyPairAsync, keySerial, type SecretBox } from '../../lib/crypto.ts';
import { DomainError } from '../../lib/errors.ts';
import { newAppId } from '../../lib/ids.ts';
import { invalidateAppCredentials } from './app-credentials.ts';
import {
  AppNotFoundError,
  LastActiveMerchantKeyError,
  MerchantKeyExistsError,
  MerchantKeyNotFoundError,
  MerchantNotFoundError,
} from './apps.errors.ts';
import { validateCidrs } from './ip-whitelist.ts';
import { sealPlatformPrivateKey } from './platform-keys.ts';

export { ipAllowed, validateCidrs } from './ip-whitelist.ts';

/**
 * Applications (a merchant's API clients) and their keys.
 *
 * An app has merchant keys (the merchant's RSA public keys that sign requests; several may be active
 * during a rotation) and platform keys (pairs we generate; the newest effective one signs responses and
 * callbacks, older ones stay listed until they expire so clients can switch). Every change invalidates
 * the REST layer's credential cache for the app.
 */

/** How long a replaced platform key keeps being published after a rotation. */
export const PLATFORM_KEY_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** An app by its public `app_id` or by its database id. */
export type AppRef = { appId: string } | { id: string };

export interface CreateAppInput {
  merchantId: string;
  name: string;
  /**
   * The merchant's RSA public key (PEM, SPKI or PKCS#1, 2048..8192 bits). Absent: the app is created
   * with only the platform key (seed 000: "create the app, then exchange public keys") and every signed
   * request is refused until the merchant adds its key.
   */
  publicKeyPem?: string | null;
  payinNotifyUrl?: string | null;
  payoutNotifyUrl?: string | null;
  /** CIDRs or single addresses; empty or absent = any address. */
  ipWhitelist?: string[];
  /** Test apps create test orders. */
  test?: boolean;
}

export interface CreatedApp {
  app: App;
  merchantKeySerial: string | null;
  platformKey: { serial: string; publicKeyPem: string };
}

export interface PlatformCertificate {
  serial: string;
  publicKeyPem: string;
  effectiveAt: Date;
  expiresAt: Date | null;
}

/** Creates an app with its first merchant key (when given) and a fresh platform key pair, in one transaction. */
export async function createApp(db: Db, secrets: SecretBox, input: CreateAppInput): Promise<CreatedApp> {
  const name = validateName(input.name);
  const merchantKey = input.publicKeyPem ? normalisePublicKey(input.publicKeyPem) : null;
  const payinNotifyUrl = validateNotifyUrl(input.payinNotifyUrl, 'payin_notify_url');
  const payoutNotifyUrl = validateNotifyUrl(input.payoutNotifyUrl, 'payout_notify_url');
  const ipWhitelist = validateCidrs(input.ipWhitelist ?? []);
  const platform = await newPlatformKey(secrets);

  const create = async (tx: Tx): Promise<CreatedApp> => {
    const merchant = await tx.merchant.findUnique({ where: { id: input.merchantId }, select: { id: true } });
    if (!merchant) throw new MerchantNotFoundError({ merchantId: input.merchantId });
    const app = await tx.app.create({
      data: {
        appId: newAppId(),
        merchantId: merchant.id,
        name,
        test: input.test ?? false,
        payinNotifyUrl,
        payoutNotifyUrl,
        ipWhitelist,
      },
    });
    if (merchantKey) {
      await tx.merchantKey.create({ data: { appId: app.id, serial: merchantKey.serial, publicKeyPem: merchantKey.pem, status: 'ACTIVE' } });
    }
    await tx.platformKey.create({
      data: { appId: app.id, serial: platform.serial, publicKeyPem: platform.publicKeyPem, privateKeyEnc: platform.privateKeyEnc, status: 'ACTIVE' },
    });
    return { app, merchantKeySerial: merchantKey?.serial ?? null, platformKey: { serial: platform.serial, publicKeyPem: platform.publicKeyPem } };
  };

  // A fresh app id colliding (128 random bits) is practically impossible, but ids.ts asks inserters to
  // retry on a unique violation; we can only retry when we own the transaction.
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await inTransaction(db, create);
      invalidateAppCredentials(created.app.appId);
      return created;
    } catch (error) {
      if (!isUniqueViolation(error) || !isRootClient(db) || attempt >= 3) throw error;
    }
  }
}

/** The merchant with this 10-digit `mch_id`; throws MERCHANT_NOT_FOUND. */
export async function findMerchantByMchId(db: Db, mchId: string): Promise<{ id: string; mchId: string; name: string; status: MerchantStatus }> {
  const merchant = await db.merchant.findUnique({ where: { mchId }, select: { id: true, mchId: true, name: true, status: true } });
  if (!merchant) throw new MerchantNotFoundError({ mchId });
  return merchant;
}

/** The app; throws APP_NOT_FOUND. */
export async function getApp(db: Db, ref: AppRef): Promise<App> {
  const app = await db.app.findUnique({ where: appWhere(ref) });
  if (!app) throw new AppNotFoundError(refDetails(ref));
  return app;
}

export interface UpdateAppInput {
  name?: string;
  status?: EnableStatus;
  test?: boolean;
  payinNotifyUrl?: string | null;
  payoutNotifyUrl?: string | null;
  ipWhitelist?: string[];
}

/** Changes an app's settings (absent fields stay as they are). */
export async function updateApp(db: Db, ref: AppRef, input: UpdateAppInput): Promise<App> {
  const data: Partial<Pick<App, 'name' | 'status' | 'test' | 'payinNotifyUrl' | 'payoutNotifyUrl' | 'ipWhitelist'>> = {};
  if (input.name !== undefined) data.name = validateName(input.name);
  if (input.status !== undefined) data.status = input.status;
  if (input.test !== undefined) data.test = input.test;
  if (input.payinNotifyUrl !== undefined) data.payinNotifyUrl = validateNotifyUrl(input.payinNotifyUrl, 'payin_notify_url');
  if (input.payoutNotifyUrl !== undefined) data.payoutNotifyUrl = validateNotifyUrl(input.payoutNotifyUrl, 'payout_notify_url');
  if (input.ipWhitelist !== undefined) data.ipWhitelist = validateCidrs(input.ipWhitelist);
  const app = await getApp(db, ref);
  const updated = await db.app.update({ where: { id: app.id }, data });
  invalidateAppCredentials(updated.appId);
  return updated;
}

/** Registers another merchant public key on the app (rotation: the old keys stay active). */
export async function addMerchantKey(db: Db, ref: AppRef, publicKeyPem: string): Promise<{ serial: string }> {
  const key = normalisePublicKey(publicKeyPem);
  const app = await getApp(db, ref);
  const existing = await db.merchantKey.findUnique({ where: { appId_serial: { appId: app.id, serial: key.serial } }, select: { status: true } });
  if (existing) throw new MerchantKeyExistsError(key.serial, existing.status);
  try {
    await db.merchantKey.create({ data: { appId: app.id, serial: key.serial, publicKeyPem: key.pem, status: 'ACTIVE' } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new MerchantKeyExistsError(key.serial, 'ACTIVE');
    throw error;
  }
  invalidateAppCredentials(app.appId);
  return { serial: key.serial };
}

/**
 * Revokes a merchant key: requests signed with it fail from now on. Refuses to revoke the app's last
 * active key (LAST_ACTIVE_MERCHANT_KEY) unless `force` (e.g. a leaked key; the app then accepts no
 * request until a new key is added).
 */
export async function revokeMerchantKey(db: Db, ref: AppRef, serial: string, opts: { force?: boolean } = {}): Promise<void> {
  const app = await getApp(db, ref);
  await inTransaction(db, async (tx) => {
    // Lock the app's active keys so two concurrent revocations cannot both pass the last-key check.
    const active = await tx.$queryRaw<Array<{ serial: string }>>`
      SELECT "serial" FROM merchant_keys WHERE "appId" = ${app.id}::uuid AND "status" = 'ACTIVE' FOR UPDATE`;
    if (!active.some((key) => key.serial === serial)) throw new MerchantKeyNotFoundError(serial);
    if (active.length === 1 && !opts.force) throw new LastActiveMerchantKeyError(serial);
    await tx.merchantKey.update({
      where: { appId_serial: { appId: app.id, serial } },
      data: { status: 'REVOKED', revokedAt: new Date() },
    });
  });
  invalidateAppCredentials(app.appId);
}

/**
 * Issues a new platform key pair for the app: it signs responses and callbacks from now on. The keys
 * it replaces stay published by /v1/platform/certificates until `now + 24 h`, then expire.
 */
export async function rotatePlatformKey(
  db: Db,
  secrets: SecretBox,
  ref: AppRef,
  now = new Date(),
): Promise<{ serial: string; publicKeyPem: string; retired: Array<{ serial: string; expiresAt: Date }> }> {
  const app = await getApp(db, ref);
  const platform = await newPlatformKey(secrets);
  const cutoff = new Date(now.getTime() + PLATFORM_KEY_OVERLAP_MS);
  const retired = await inTransaction(db, async (tx) => {
    const replaced = await tx.platformKey.findMany({
      where: { appId: app.id, status: 'ACTIVE', OR: [{ expiresAt: null }, { expiresAt: { gt: cutoff } }] },
      select: { id: true, serial: true },
    });
    if (replaced.length > 0) {
      await tx.platformKey.updateMany({ where: { id: { in: replaced.map((key) => key.id) } }, data: { expiresAt: cutoff } });
    }
    await tx.platformKey.create({
      data: {
        appId: app.id,
        serial: platform.serial,
        publicKeyPem: platform.publicKeyPem,
        privateKeyEnc: platform.privateKeyEnc,
        status: 'ACTIVE',
        effectiveAt: now,
      },
    });
    return replaced.map((key) => ({ serial: key.serial, expiresAt: cutoff }));
  });
  invalidateAppCredentials(app.appId);
  return { serial: platform.serial, publicKeyPem: platform.publicKeyPem, retired };
}

/** The platform public keys a client may meet: active, effective and not expired, newest first. */
export async function listPlatformCertificates(db: Db, appDbId: string, now = new Date()): Promise<PlatformCertificate[]> {
  return db.platformKey.findMany({
    where: { appId: appDbId, status: 'ACTIVE', effectiveAt: { lte: now }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ effectiveAt: 'desc' }, { createdAt: 'desc' }],
    select: { serial: true, publicKeyPem: true, effectiveAt: true, expiresAt: true },
  });
}

export interface MerchantServiceSummary {
  code: string;
  name: string;
  direction: Direction;
  kind: ServiceKind;
  currency: string;
  /** Fractional digits of the currency: format the minor-unit amounts below with it. */
  digits: number;
  chain: string | null;
  /** The merchant's subscription status, and the service's own. */
  status: EnableStatus;
  serviceStatus: EnableStatus;
  /** Minor units; 0 = no limit. */
  singleLimitLower: bigint;
  singleLimitUpper: bigint;
  feeRatePpm: bigint;
  /** Minor units. */
  feeFixed: bigint;
  settlementDays: number;
}

export interface MerchantWithServices {
  id: string;
  mchId: string;
  name: string;
  status: MerchantStatus;
  apps: Array<{ appId: string; name: string; status: EnableStatus; test: boolean }>;
  services: MerchantServiceSummary[];
}

/** Every merchant with its services and apps, by mch_id (for the CLI and the demo). */
export async function listMerchantsWithServices(db: Db): Promise<MerchantWithServices[]> {
  const merchants = await db.merchant.findMany({
    orderBy: { mchId: 'asc' },
    select: {
      id: true,
      mchId: true,
      name: true,
      status: true,
      apps: { orderBy: { createdAt: 'asc' }, select: { appId: true, name: true, status: true, test: true } },
      services: {
        orderBy: { service: { code: 'asc' } },
        include: { service: { include: { currency: { select: { digits: true } } } } },
      },
    },
  });
  return merchants.map((merchant) => ({
    id: merchant.id,
    mchId: merchant.mchId,
    name: merchant.name,
    status: merchant.status,
    apps: merchant.apps,
    services: merchant.services.map((ms) => ({
      code: ms.service.code,
      name: ms.service.name,
      direction: ms.service.direction,
      kind: ms.service.kind,
      currency: ms.service.currencyCode,
      digits: ms.service.currency.digits,
      chain: ms.service.chain,
      status: ms.status,
      serviceStatus: ms.service.status,
      singleLimitLower: ms.singleLimitLower,
      singleLimitUpper: ms.singleLimitUpper,
      feeRatePpm: ms.feeRatePpm,
      feeFixed: ms.feeFixed,
      settlementDays: ms.settlementDays,
    })),
  }));
}

// ---------------------------------------------------------------------------------------------------

async function newPlatformKey(secrets: SecretBox): Promise<{ serial: string; publicKeyPem: string; privateKeyEnc: string }> {
  const pair = await generateRsaKeyPairAsync();
  const serial = keySerial(pair.publicKeyPem);
  return { serial, publicKeyPem: pair.publicKeyPem, privateKeyEnc: sealPlatformPrivateKey(secrets, serial, pair.privateKeyPem) };
}

/** Validates a merchant public key and stores it as SPKI PEM (so PKCS#1 input is kept the same way). */
function normalisePublicKey(pem: string): { serial: string; pem: string } {
  const key = assertRsaPublicKey(pem);
  return { serial: keySerial(key), pem: key.export({ type: 'spki', format: 'pem' }).toString() };
}

function validateName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new DomainError('INVALID_PARAMETER', 'app name must be 1 to 100 characters', { field: 'name', min: 1, max: 100 });
  }
  return trimmed;
}

function validateNotifyUrl(url: string | null | undefined, field: string): string | null {
  if (url === undefined || url === null || url.trim() === '') return null;
  const text = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new DomainError('INVALID_PARAMETER', `${field} is not a URL`, { field });
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || text.length > 1024) {
    throw new DomainError('INVALID_PARAMETER', `${field} must be an http(s) URL of at most 1024 characters`, { field });
  }
  return text;
}

function appWhere(ref: AppRef): { appId: string } | { id: string } {
  return 'appId' in ref ? { appId: ref.appId } : { id: ref.id };
}

function refDetails(ref: AppRef): Record<string, string> {
  return 'appId' in ref ? { appId: ref.appId } : { id: ref.id };
}

function isRootClient(db: Db): db is PrismaClient {
  return typeof (db as Partial<PrismaClient>).$transaction === 'function';
}

/** Runs `fn` in a new transaction, or in the caller's when `db` already is one. */
async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return isRootClient(db) ? db.$transaction((tx) => fn(tx)) : fn(db);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
