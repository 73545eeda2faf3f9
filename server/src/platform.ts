import type { AddressInfo } from 'node:net';
import { buildApp, type App } from './app.ts';
import type { Config } from './config/config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrate } from './db/migrator.ts';
import { watchConfigChanges } from './db/config-watch.ts';
import { createPrisma } from './db/prisma.ts';
import type { AppServices } from './services.ts';
import { createEventBus } from './events/create.ts';
import type { JobModule } from './jobs/job-context.ts';
import { migrateQueue, startWorker } from './jobs/worker.ts';
import type { Logger } from './lib/logger.ts';
import { loadSecretBox } from './lib/secret-key.ts';
import { syncAppCredentials } from './modules/apps/credentials-sync.ts';
import { appCron, appTasks } from './modules/apps/apps.tasks.ts';
import { authCron, authTasks } from './modules/auth/auth.tasks.ts';
import { deliveryJobs } from './modules/deliveries/deliveries.jobs.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoData } from './modules/demo/demo-seed.ts';
import { exportCron, exportTasks } from './modules/exports/exports.tasks.ts';
import { payinCron, payinTasks } from './modules/payins/payins.tasks.ts';
import { payoutTasks } from './modules/payouts/payouts.tasks.ts';
import { installedConnectors } from './modules/routing/connectors/registry.ts';
import { janitorCron, janitorTasks } from './modules/recovery/janitor.tasks.ts';
import { ensureConfigCache } from './modules/shared/config-cache.ts';
import { statementCron, statementTasks } from './modules/statements/statements.tasks.ts';

export interface Platform {
  url: string;
  services: AppServices;
  database: DatabaseHandle;
  app: App;
  stop(): Promise<void>;
}

/**
 * Starts everything one process runs: database (external or embedded), migrations, demo data, the
 * HTTP server and, unless RUN_WORKER=false, the background worker. `stop` undoes it in reverse order.
 */
export async function startPlatform(config: Config, log: Logger): Promise<Platform> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log.error({ err: error }, 'error while stopping'));
    }
    cleanups.length = 0;
  };

  try {
    const database = await openDatabase(config, log);
    cleanups.push(() => database.stop());

    const readiness = { migrated: false };
    if (config.MIGRATE_ON_START) {
      const { applied } = await migrate(database.url, { log: (msg) => log.info(msg) });
      if (applied.length) log.info({ applied }, 'applied database migrations');
      await migrateQueue(database.url);
      readiness.migrated = true;
    }

    const prisma = createPrisma(database.url, config.DB_POOL_SIZE);
    cleanups.push(() => prisma.$disconnect());
    // Payin and payout configuration is cached in memory while the database's change notifications arrive.
    const configCache = ensureConfigCache(prisma);
    cleanups.push(watchConfigChanges(database.url, log, { changed: () => configCache.invalidate(), live: (live) => configCache.setLive(live) }));
    const secrets = await loadSecretBox(config, log);
    const events = createEventBus(config.REDIS_URL);
    cleanups.push(() => events.close());
    cleanups.push(syncAppCredentials(events, log));
    const services: AppServices = { prisma, config, log, events, secrets, readiness };

    const seedDemo = config.SEED_DEMO ?? database.embedded;
    let seeded = false;
    if (seedDemo) {
      const started = Date.now();
      seeded = (await seedDemoData(prisma, { secrets, log: (msg) => log.info(msg) })).seeded;
      if (seeded) log.info({ ms: Date.now() - started }, 'seeded demo data');
    }

    const app = await buildApp(services, database.url);
    cleanups.push(() => app.close());
    await app.fastify.listen({ host: config.HOST, port: config.PORT });
    const port = (app.fastify.server.address() as AddressInfo).port;
    const url = config.PUBLIC_URL ? config.publicUrl : `http://localhost:${port}`;

    if (config.RUN_WORKER) {
      const worker = await startWorker(services, { connectionString: database.url, concurrency: config.WORKER_CONCURRENCY, jobs: platformJobs() });
      cleanups.push(() => worker.stop());
    }

    announce(log, url, seedDemo);
    return { url, services, database, app, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The background work of every module and installed connector, handed to the worker (jobs/worker.ts knows no module). */
export function platformJobs(): JobModule[] {
  return [
    { tasks: appTasks, cron: appCron },
    { tasks: authTasks, cron: authCron },
    { tasks: janitorTasks, cron: janitorCron },
    { tasks: payinTasks, cron: payinCron },
    { tasks: payoutTasks },
    deliveryJobs,
    { tasks: exportTasks, cron: exportCron },
    { tasks: statementTasks, cron: statementCron },
    ...installedConnectors().flatMap((connector) => (connector.tasks ? [{ tasks: connector.tasks }] : [])),
  ];
}

function announce(log: Logger, url: string, demo: boolean): void {
  const lines = [`Payrail is running at ${url}`, `  admin app   ${url}/`, `  GraphQL     ${url}/graphql`, `  REST API    ${url}/v1`];
  if (demo) {
    lines.push(`  demo logins (password "${DEMO_PASSWORD}"):`);
    for (const login of DEMO_LOGINS) lines.push(`    ${login.email.padEnd(34)} ${login.role}${login.merchant ? ` (${login.merchant})` : ''}`);
  }
  log.info(lines.join('\n'));
}
