import type { EventOf, Topic } from './topics.ts';

/**
 * The platform's event bus. Publishing is fire-and-forget and happens only after the transaction that
 * caused the event committed (modules/shared/process.ts collects events in the transaction's outbox);
 * a subscriber gets an async iterable that ends when it returns.
 *
 * Two implementations: in-process (one server process, the default) and Redis (every replica and
 * worker sees every event). `createEventBus` picks one from the configuration.
 */
export interface EventBus {
  publish<T extends Topic>(topic: T, event: EventOf<T>): void;
  subscribe<T extends Topic>(topic: T): AsyncIterableIterator<EventOf<T>>;
  close(): Promise<void>;
}

/** A published event waiting for its transaction to commit. */
export interface PendingEvent<T extends Topic = Topic> {
  topic: T;
  event: EventOf<T>;
}

export function publishAll(bus: EventBus, pending: readonly PendingEvent[]): void {
  for (const { topic, event } of pending) bus.publish(topic, event as never);
}
