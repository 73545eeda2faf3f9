import type { Redis } from 'ioredis';
import type { Db } from '../../db/prisma.ts';
import { redisClient } from '../../lib/redis-clients.ts';

/**
 * Request nonces seen per app within the replay window (REST-CONTRACT "Signing requests": a nonce
 * already seen for this app within 15 minutes is refused). In Redis when REDIS_URL is set (one client
 * per process, created on first use: lib/redis-clients.ts), else in the `api_nonces` table,
 * whose expired rows the maintenance job purges.
 */
export interface NonceStore {
  /** Records the nonce; true when it was not seen for this app within the window. */
  claim(appId: string, nonce: string): Promise<boolean>;
}

export const NONCE_WINDOW_SECONDS = 15 * 60;

/** The store for this configuration: Redis when `redisUrl` is set, else PostgreSQL. */
export function nonceStore(db: Db, redisUrl: string | undefined): NonceStore {
  return redisUrl ? redisNonceStore(redisClient(redisUrl)) : postgresNonceStore(db);
}

export function postgresNonceStore(db: Db): NonceStore {
  return {
    async claim(appId, nonce) {
      // One statement: a new nonce inserts; a nonce whose window has passed counts as unseen and is
      // renewed; a nonce still in its window matches no row, so nothing is written.
      const written = await db.$executeRaw`
        INSERT INTO api_nonces ("appId", "nonce", "expiresAt")
        VALUES (${appId}, ${nonce}, now() + interval '15 minutes')
        ON CONFLICT ("appId", "nonce") DO UPDATE SET "expiresAt" = excluded."expiresAt"
        WHERE api_nonces."expiresAt" < now()`;
      return written === 1;
    },
  };
}

export function redisNonceStore(redis: Redis): NonceStore {
  return {
    async claim(appId, nonce) {
      const result = await redis.set(`payrail:nonce:${appId}:${nonce}`, '1', 'EX', NONCE_WINDOW_SECONDS, 'NX');
      return result === 'OK';
    },
  };
}
