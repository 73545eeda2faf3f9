import { loadConfig } from './config/config.ts';
import { createPrisma } from './db/prisma.ts';
import { createEventBus } from './events/create.ts';
import { migrateQueue, startWorker } from './jobs/worker.ts';
import { createLogger } from './lib/logger.ts';
import { loadSecretBox } from './lib/secret-key.ts';
import { platformJobs } from './platform.ts';

/** A worker-only process (`npm run worker`) for the scaled-out layout; needs DATABASE_URL. */
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
if (!config.DATABASE_URL) {
  log.fatal('DATABASE_URL must be set for a separate worker process (the embedded database lives inside `npm start`)');
  process.exit(1);
}
await migrateQueue(config.DATABASE_URL);
const prisma = createPrisma(config.DATABASE_URL, config.DB_POOL_SIZE);
const events = createEventBus(config.REDIS_URL);
const secrets = await loadSecretBox(config, log);
const worker = await startWorker({ prisma, config, log, events, secrets }, { connectionString: config.DATABASE_URL, concurrency: config.WORKER_CONCURRENCY, jobs: platformJobs() });
log.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'worker stopping');
    void worker
      .stop()
      .then(() => Promise.all([prisma.$disconnect(), events.close()]))
      .finally(() => process.exit(0));
  });
}
