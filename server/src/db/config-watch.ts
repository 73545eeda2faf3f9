import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/** The NOTIFY channel the configuration tables' triggers announce writes on (migration config_change_notify). */
export const CONFIG_CHANNEL = 'payrail_config';

export interface ConfigWatchHandlers {
  /** A configuration table changed (its name), committed by any connection. */
  changed(table: string): void;
  /** True while notifications are known to arrive; false from a lost connection until it is back. */
  live(live: boolean): void;
}

/**
 * Listens on one dedicated connection for the configuration triggers' notifications. When the
 * connection is lost it reports `live(false)` at once (the cache stops trusting itself) and reconnects
 * with backoff; after `LISTEN` succeeds again it reports `live(true)`, and the cache starts empty,
 * since changes in between were missed. Returns the stop function.
 */
export function watchConfigChanges(connectionString: string, log: Logger, handlers: ConfigWatchHandlers): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delay = 250;

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString, application_name: 'payrail-config-watch' });
    next.on('notification', (message) => {
      if (message.channel === CONFIG_CHANNEL) handlers.changed(message.payload ?? '');
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, null));
    try {
      await next.connect();
      await next.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (error) {
      lost(next, error as Error);
      return;
    }
    if (stopped) return void next.end().catch(() => undefined);
    client = next;
    delay = 250;
    handlers.live(true);
  };

  const lost = (which: pg.Client, error: Error | null) => {
    if (stopped || (client !== null && client !== which)) return;
    client = null;
    handlers.live(false);
    which.removeAllListeners('end');
    which.end().catch(() => undefined);
    if (error) log.warn({ err: error, retryInMs: delay }, 'configuration change watch lost its connection; cached configuration is bypassed until it is back');
    if (retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 10_000);
  };

  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    handlers.live(false);
    const current = client;
    client = null;
    if (current) {
      current.removeAllListeners('end');
      await current.end().catch(() => undefined);
    }
  };
}
