import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.ts';
import { memoryRateLimiter } from './rate-limit.ts';

describe('memoryRateLimiter', () => {
  it('allows the limit per second per app, refuses the next, and starts afresh the next second', async () => {
    let now = 1_000_000;
    const limiter = memoryRateLimiter(3, () => now);
    for (let i = 0; i < 3; i++) await limiter.hit('a');
    await limiter.hit('b');
    const refused = await limiter.hit('a').then(() => undefined, (e: unknown) => e);
    expect(isDomainError(refused, 'RATE_LIMITED')).toBe(true);
    now += 1000;
    await expect(limiter.hit('a')).resolves.toBeUndefined();
  });
});
