import { createPubSub } from '@graphql-yoga/subscription';
import type { EventBus } from './event-bus.ts';
import type { EventTopics } from './topics.ts';

/** Events seen by this process only: right for one server process with its in-process worker. */
export function createInProcessEventBus(): EventBus {
  const pubsub = createPubSub<EventTopics>();
  return {
    publish: (topic, event) => pubsub.publish(topic, event as never),
    subscribe: (topic) => (pubsub.subscribe as (name: string) => AsyncIterableIterator<never>)(topic),
    close: async () => {},
  };
}
