import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { EventBus } from './event-bus.ts';
import type { EventTopics } from './topics.ts';

/** Events through Redis pub/sub: every replica, worker and CLI connected to the same Redis sees them. */
export function createRedisEventBus(redisUrl: string): EventBus {
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const pubsub = createPubSub<EventTopics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  return {
    publish: (topic, event) => pubsub.publish(topic, event as never),
    subscribe: (topic) => (pubsub.subscribe as (name: string) => AsyncIterableIterator<never>)(topic),
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
