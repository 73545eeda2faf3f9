import { redisClient } from './redis-clients.ts';

/**
 * Fixed-window request counters: at most `limit` hits per key per `windowMs`. With a Redis URL every
 * replica counts in the same window (INCR on `payrail:<name>:<key>:<window>`); without one the count
 * is per process, so N replicas allow up to N times the limit.
 */
export interface WindowLimiter {
  /** Counts one hit for `key`; `allowed` is false once the window's limit is exceeded. */
  hit(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export interface WindowLimiterOptions {
  /** Part of the Redis key, so limiters of different things never share counts. */
  name: string;
  limit: number;
  windowMs: number;
  redisUrl?: string | undefined;
}

export function windowLimiter(opts: WindowLimiterOptions): WindowLimiter {
  if (!opts.redisUrl) {
    const memory = new FixedWindowLimiter(opts.limit, opts.windowMs);
    return { hit: async (key) => memory.hit(key) };
  }
  const redis = redisClient(opts.redisUrl);
  return {
    async hit(key) {
      const now = Date.now();
      const window = Math.floor(now / opts.windowMs);
      const redisKey = `payrail:${opts.name}:${key}:${window}`;
      const [[, count]] = (await redis.multi().incr(redisKey).pexpire(redisKey, opts.windowMs * 2).exec()) as [[unknown, number], [unknown, number]];
      return { allowed: count <= opts.limit, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * opts.windowMs - now) / 1000)) };
    },
  };
}

/**
 * The in-process counter. The map is bounded: expired windows are swept when it fills, and the oldest
 * keys go first if it is still full.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  hit(key: string, now: number = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (window) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.sweep(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { allowed: window.count <= this.limit, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still full: drop the oldest tenth (a Map iterates in insertion order).
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.ceil(this.maxKeys / 10);
      for (const key of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(key);
      }
    }
  }
}
