import type { Config } from '../config/config.ts';
import type { PrismaClient } from '../db/prisma.ts';
import type { Logger } from '../lib/logger.ts';
import type { SecretBox } from '../lib/crypto.ts';
import type { PubSub } from './pubsub.ts';

/** Process-wide services every request shares. */
export interface AppServices {
  prisma: PrismaClient;
  config: Config;
  log: Logger;
  pubsub: PubSub;
  /** Seals and opens secrets at rest (keys, credentials, TOTP seeds). */
  secrets: SecretBox;
  /** True once migrations are applied; /readyz reports it. */
  readiness: { migrated: boolean };
}

/** Per-request GraphQL context. */
export interface GraphQLContext extends AppServices {
  requestId: string;
  ip: string | undefined;
}
