import type { Config } from '../config/config.ts';
import type { PrismaClient } from '../db/prisma.ts';
import type { SecretBox } from '../lib/crypto.ts';
import type { Logger } from '../lib/logger.ts';
import type { EventBus } from '../events/event-bus.ts';

/** What a background task gets: the same services the API uses. */
export interface JobContext {
  prisma: PrismaClient;
  config: Config;
  log: Logger;
  events: EventBus;
  /** Opens sealed secrets (platform private keys for signing callbacks, channel credentials). */
  secrets: SecretBox;
  /** graphile-worker pool id of the process running the task (jobs' locked_by); absent outside a worker. */
  workerId?: string | null;
}
