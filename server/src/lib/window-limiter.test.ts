import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../test/support/redis.ts';
import { FixedWindowLimiter, windowLimiter } from './window-limiter.ts';

const redisUrl = await testRedisUrl();

describe('FixedWindowLimiter (in process)', () => {
  it('allows the limit per key and window, refuses the next with the seconds left, and starts afresh', () => {
    const limiter = new FixedWindowLimiter(3, 60_000);
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.hit('a', t).allowed).toBe(true);
    expect(limiter.hit('b', t).allowed).toBe(true);
    expect(limiter.hit('a', t + 15_000)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.hit('a', t + 60_000).allowed).toBe(true);
  });

  it('stays bounded: a full map drops expired windows, then the oldest keys', () => {
    const limiter = new FixedWindowLimiter(1, 1_000, 100);
    for (let i = 0; i < 100; i++) limiter.hit(`k${i}`, 0);
    limiter.hit('late', 5_000); // every earlier window has expired
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 150; i++) limiter.hit(`n${i}`, 5_000);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});

describe.skipIf(!redisUrl)('windowLimiter with Redis', () => {
  it('shares one count between limiters of different replicas, per name and key', async () => {
    const name = `test-${randomUUID()}`;
    const replicaA = windowLimiter({ name, limit: 4, windowMs: 60_000, redisUrl: redisUrl! });
    const replicaB = windowLimiter({ name, limit: 4, windowMs: 60_000, redisUrl: redisUrl! });
    const results = await Promise.all([replicaA, replicaB, replicaA, replicaB, replicaA].map((l) => l.hit('client|order')));
    expect(results.filter((r) => r.allowed)).toHaveLength(4);
    const refused = results.find((r) => !r.allowed)!;
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key, or another limiter name, counts on its own.
    expect((await replicaB.hit('other|order')).allowed).toBe(true);
    expect((await windowLimiter({ name: `${name}-x`, limit: 4, windowMs: 60_000, redisUrl: redisUrl! }).hit('client|order')).allowed).toBe(true);
  });
});
