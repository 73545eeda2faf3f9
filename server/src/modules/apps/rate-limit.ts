import { DomainError } from '../../lib/errors.ts';
import { windowLimiter } from '../../lib/window-limiter.ts';

/**
 * Requests per app per second (fixed one-second windows). Shared by every replica through Redis when
 * REDIS_URL is set; per process otherwise. Over the limit: RATE_LIMITED (REST 42901).
 */
export interface RateLimiter {
  /** Counts one request; throws RATE_LIMITED when the app is over its limit this second. */
  hit(appId: string): Promise<void>;
}

export function rateLimiter(limitPerSecond: number, redisUrl: string | undefined): RateLimiter {
  if (limitPerSecond <= 0) return { hit: async () => {} };
  return redisUrl ? redisRateLimiter(limitPerSecond, redisUrl) : memoryRateLimiter(limitPerSecond);
}

function refuse(limit: number): never {
  throw new DomainError('RATE_LIMITED', `more than ${limit} requests per second for this app; slow down`, { limit_per_second: limit });
}

export function memoryRateLimiter(limit: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { second: number; count: number }>();
  return {
    async hit(appId) {
      const second = Math.floor(now() / 1000);
      const current = windows.get(appId);
      if (!current || current.second !== second) {
        if (windows.size > 50_000) windows.clear();
        windows.set(appId, { second, count: 1 });
        return;
      }
      current.count += 1;
      if (current.count > limit) refuse(limit);
    },
  };
}

function redisRateLimiter(limit: number, url: string): RateLimiter {
  const window = windowLimiter({ name: 'rl', limit, windowMs: 1000, redisUrl: url });
  return {
    async hit(appId) {
      if (!(await window.hit(appId)).allowed) refuse(limit);
    },
  };
}
