import type { Config } from './config/config.ts';
import type { PrismaClient } from './db/prisma.ts';
import type { EventBus } from './events/event-bus.ts';
import type { SecretBox } from './lib/crypto.ts';
import type { Logger } from './lib/logger.ts';

/**
 * The services one process shares: built once by platform.ts (or worker-main.ts, the CLI, a test) and
 * handed to every adapter, module operation and background task.
 */
export interface AppServices {
  prisma: PrismaClient;
  config: Config;
  log: Logger;
  /** Announces committed changes (modules/shared/process.ts publishes; subscriptions listen). */
  events: EventBus;
  /** Seals and opens secrets at rest (keys, credentials, TOTP seeds). */
  secrets: SecretBox;
  /** True once migrations are applied; /readyz reports it. */
  readiness: { migrated: boolean };
}
