import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSubEventTarget } from '@graphql-yoga/subscription';
import type { EventBus } from './event-bus.ts';
import type { EventTopics } from './topics.ts';

/** Events seen by this process only: right for one server process with its in-process worker. */
export function createInProcessEventBus(): EventBus {
  // Every live subscription is one listener: thousands are expected, not a leak to warn about.
  const target = new EventTarget();
  setMaxListeners(0, target);
  const pubsub = createPubSub<EventTopics>({ eventTarget: target as PubSubEventTarget<EventTopics> });
  return {
    publish: (topic, event) => pubsub.publish(topic, event as never),
    subscribe: (topic) => (pubsub.subscribe as (name: string) => AsyncIterableIterator<never>)(topic),
    close: async () => {},
  };
}
