import { createPubSub, type PubSub as YogaPubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';

/** Live events, published after the transaction that caused them commits. */
export interface StatusChange {
  id: string;
  merchantId: string;
  status: string;
  sequence: number;
}

export type PubSubTopics = {
  'order:changed': [StatusChange];
  'payout:changed': [StatusChange];
  'fund_request:changed': [{ id: string; merchantId: string; targetMerchantId: string | null; kind: string; status: string }];
  'delivery:changed': [{ id: string; merchantId: string; orderId: string | null; payoutId: string | null; fundRequestId: string | null; status: string }];
  'export:progress': [{ id: string; userId: string; merchantId: string | null; status: string; processedRows: number; totalRows: number | null }];
  /** An app's keys, status or whitelist changed (null: every app); `origin` is the publishing process. */
  'app:credentials': [{ appId: string | null; origin: string }];
};

export type PubSub = YogaPubSub<PubSubTopics> & { close(): Promise<void> };

/** In-process by default; with REDIS_URL every replica sees every event. */
export function createPlatformPubSub(redisUrl?: string): PubSub {
  if (!redisUrl) return Object.assign(createPubSub<PubSubTopics>(), { close: async () => {} });
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  const pubsub = createPubSub<PubSubTopics>({ eventTarget });
  return Object.assign(pubsub, {
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  });
}
