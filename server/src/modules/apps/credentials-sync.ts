import { randomUUID } from 'node:crypto';
import type { EventBus } from '../../events/event-bus.ts';
import type { Logger } from '../../lib/logger.ts';
import { forgetAppCredentials, onAppCredentialsInvalidated } from './app-credentials.ts';

/**
 * Keeps the credential caches of every process in step: an invalidation made here is published, and
 * one published by another process (replica, worker, CLI with Redis) is applied here. With Redis a
 * revoked key or disabled app stops working on every replica at once instead of after the cache's
 * few seconds. Returns the stop function.
 */
export function syncAppCredentials(events: EventBus, log: Logger): () => Promise<void> {
  const origin = randomUUID();
  const unlisten = onAppCredentialsInvalidated((appId) => events.publish('app:credentials', { appId, origin }));
  const changes = events.subscribe('app:credentials');
  const consuming = (async () => {
    for (;;) {
      const next = await changes.next();
      if (next.done) return;
      if (next.value.origin !== origin) forgetAppCredentials(next.value.appId);
    }
  })().catch((error: unknown) => log.error({ err: error }, 'app credential sync stopped'));
  return async () => {
    unlisten();
    await changes.return?.();
    await consuming;
  };
}
