import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Db } from '../../db/prisma.ts';
import type { EnableStatus, MerchantStatus } from '../../generated/prisma/enums.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { ipMatcher } from './ip-whitelist.ts';
import { openPlatformPrivateKey } from './platform-keys.ts';

/**
 * What the signature check needs about an app, with its keys already parsed: the app, its merchant,
 * the active merchant public keys by serial, and the platform key that signs responses to it.
 *
 * The REST hot path reads it through `cachedAppCredentials`, an in-process cache of a few seconds, so
 * an authenticated request costs one query (the nonce). Changes made through the apps service
 * invalidate the entry in this process at once, and through `onAppCredentialsInvalidated` listeners
 * (the platform publishes to the other replicas over pub/sub, shared through Redis when configured);
 * a process that misses the message (the CLI without Redis) sees the change after at most
 * CREDENTIALS_TTL_MS. Code that changes a merchant's status calls `invalidateAppCredentials()`.
 */
export interface AppCredentials {
  appDbId: string;
  appId: string;
  status: EnableStatus;
  test: boolean;
  payinNotifyUrl: string | null;
  payoutNotifyUrl: string | null;
  ipWhitelist: readonly string[];
  /** The whitelist check, built once (empty whitelist: any address). */
  allowsIp(ip: string | undefined): boolean;
  merchant: { id: string; mchId: string; status: MerchantStatus };
  /** ACTIVE merchant keys by serial. */
  merchantKeys: ReadonlyMap<string, KeyObject>;
  /** The newest effective, unexpired ACTIVE platform key; null when the app has none. */
  platformKey: { serial: string; privateKey: KeyObject } | null;
}

export const CREDENTIALS_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  expiresAt: number;
  value: Promise<AppCredentials | null>;
}

const cache = new Map<string, Entry>();

/** Reads an app's credentials from the database (no cache). Null when there is no such app. */
export async function loadAppCredentials(db: Db, secrets: SecretBox, appId: string, now = new Date()): Promise<AppCredentials | null> {
  const app = await db.app.findUnique({
    where: { appId },
    include: {
      merchant: { select: { id: true, mchId: true, status: true } },
      merchantKeys: { where: { status: 'ACTIVE' }, select: { serial: true, publicKeyPem: true } },
      platformKeys: {
        where: { status: 'ACTIVE', effectiveAt: { lte: now }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: [{ effectiveAt: 'desc' }, { createdAt: 'desc' }],
        take: 1,
        select: { serial: true, privateKeyEnc: true },
      },
    },
  });
  if (!app) return null;

  const merchantKeys = new Map<string, KeyObject>();
  for (const key of app.merchantKeys) {
    try {
      merchantKeys.set(key.serial, createPublicKey(key.publicKeyPem));
    } catch {
      // Keys are validated on write; a key that no longer parses simply verifies nothing.
    }
  }
  const signing = app.platformKeys[0];
  return {
    appDbId: app.id,
    appId: app.appId,
    status: app.status,
    test: app.test,
    payinNotifyUrl: app.payinNotifyUrl,
    payoutNotifyUrl: app.payoutNotifyUrl,
    ipWhitelist: app.ipWhitelist,
    allowsIp: ipMatcher(app.ipWhitelist),
    merchant: app.merchant,
    merchantKeys,
    platformKey: signing ? { serial: signing.serial, privateKey: openPlatformPrivateKey(secrets, signing.serial, signing.privateKeyEnc) } : null,
  };
}

/** `loadAppCredentials` through the in-process cache (concurrent misses share one load). */
export function cachedAppCredentials(db: Db, secrets: SecretBox, appId: string): Promise<AppCredentials | null> {
  const now = Date.now();
  const hit = cache.get(appId);
  if (hit && hit.expiresAt > now) return hit.value;
  if (hit) cache.delete(appId);
  if (cache.size >= MAX_ENTRIES) evictExpired(now);

  const value = loadAppCredentials(db, secrets, appId);
  const entry: Entry = { expiresAt: now + CREDENTIALS_TTL_MS, value };
  cache.set(appId, entry);
  // A failed load (database down, undecryptable key) is not remembered.
  value.catch(() => {
    if (cache.get(appId) === entry) cache.delete(appId);
  });
  return value;
}

const invalidationListeners = new Set<(appId: string | null) => void>();

/** Forgets one app's cached credentials, or all of them (merchant status changes), here and in the other processes. */
export function invalidateAppCredentials(appId?: string): void {
  forgetAppCredentials(appId ?? null);
  for (const listener of invalidationListeners) listener(appId ?? null);
}

/** Forgets cached credentials in this process only (a message from another process; tests). */
export function forgetAppCredentials(appId: string | null): void {
  if (appId === null) cache.clear();
  else cache.delete(appId);
}

/** Called with every invalidation made in this process (null: all apps); returns the unsubscribe. */
export function onAppCredentialsInvalidated(listener: (appId: string | null) => void): () => void {
  invalidationListeners.add(listener);
  return () => invalidationListeners.delete(listener);
}

function evictExpired(now: number): void {
  for (const [key, entry] of cache) if (entry.expiresAt <= now) cache.delete(key);
  // Still full (a flood of distinct app ids): start over rather than grow without bound.
  if (cache.size >= MAX_ENTRIES) cache.clear();
}
