import type { Config } from '../../config/config.ts';
import { redisClient } from '../../lib/redis-clients.ts';

/**
 * Sign-in attempts per client IP: a token bucket of `perMinute` tokens refilled continuously, in
 * process; with Redis, a one-minute fixed window shared by every replica. This slows password
 * spraying across many accounts from one address; the per-account lockout (login.ts) covers one
 * account attacked from many addresses.
 */
export interface LoginRateLimiter {
  /** Takes one attempt for `ip`; returns 0 when allowed, else the seconds to wait. */
  take(ip: string): Promise<number>;
}

const limiters = new WeakMap<Config, LoginRateLimiter>();

/** The limiter of a server (one per configuration object, so every request of a server shares its buckets). */
export function loginRateLimiter(config: Config): LoginRateLimiter {
  let limiter = limiters.get(config);
  if (!limiter) {
    const perMinute = config.AUTH_LOGIN_RATE_PER_MINUTE;
    limiter = perMinute <= 0 ? { take: async () => 0 } : config.REDIS_URL ? redisLimiter(perMinute, config.REDIS_URL) : memoryLimiter(perMinute);
    limiters.set(config, limiter);
  }
  return limiter;
}

export function memoryLimiter(perMinute: number, now: () => number = Date.now): LoginRateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  return {
    async take(ip) {
      const t = now();
      let bucket = buckets.get(ip);
      if (!bucket) {
        if (buckets.size > 100_000) buckets.clear();
        bucket = { tokens: perMinute, at: t };
        buckets.set(ip, bucket);
      }
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * ratePerMs);
      bucket.at = t;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
    },
  };
}

function redisLimiter(perMinute: number, url: string): LoginRateLimiter {
  const redis = redisClient(url);
  return {
    async take(ip) {
      const minute = Math.floor(Date.now() / 60_000);
      const key = `payrail:login-rl:${ip}:${minute}`;
      const [[, count]] = (await redis.multi().incr(key).expire(key, 120).exec()) as [[unknown, number], [unknown, number]];
      if (count <= perMinute) return 0;
      return Math.max(1, 60 - Math.floor((Date.now() / 1000) % 60));
    },
  };
}
