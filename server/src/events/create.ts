import type { EventBus } from './event-bus.ts';
import { createInProcessEventBus } from './in-process.ts';
import { createRedisEventBus } from './redis.ts';

/** In-process by default; with REDIS_URL every replica sees every event. */
export function createEventBus(redisUrl?: string): EventBus {
  return redisUrl ? createRedisEventBus(redisUrl) : createInProcessEventBus();
}
