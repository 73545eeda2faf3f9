import { loadConfig } from './config/config.ts';
import { createLogger, prettyDestination } from './lib/logger.ts';
import { startPlatform } from './platform.ts';

const config = loadConfig();
const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY;
const log = createLogger(config.LOG_LEVEL, pretty ? await prettyDestination() : undefined);

const platform = await startPlatform(config, log).catch((error: unknown) => {
  log.fatal({ err: error }, 'payrail failed to start');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 25_000);
    force.unref();
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  });
}
