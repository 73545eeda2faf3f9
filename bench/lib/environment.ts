import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startTestPostgres, type StartedTestPostgres } from '../../server/test/support/global-setup.ts';
import { createTestEnvironment, type TestEnvironment } from '../../server/test/support/test-environment.ts';
import { installDriverMeter, Meter } from './meter.ts';

/**
 * What every scenario runs against, obtained exactly as the e2e tests obtain it: a PostgreSQL server
 * (BENCH_DATABASE_URL / TEST_DATABASE_URL, a superuser connection, or an embedded server), a migrated
 * template, a fresh `payrail_bench_<random>_<random>` database cloned from it, and Payrail running on
 * that database (HTTP server, no worker). The raw side gets a plain `pg` pool on the same database,
 * as large as Payrail's.
 */
export interface BenchEnvironment {
  env: TestEnvironment;
  /** The raw PostgreSQL side's pool. */
  pool: pg.Pool;
  /** Statements, round trips and CPU of a side (see meter.ts). */
  meter: Meter;
  concurrency: number;
  /** Distinguishes this run's rows (service codes, keys). */
  tag: string;
  postgres: { embedded: boolean; version: string };
}

export async function startBenchEnvironment(opts: {
  concurrency: number;
  /** Called as soon as there is something to undo, so an interrupted start is cleaned up too. */
  onCleanup: (cleanup: () => Promise<void>) => void;
}): Promise<BenchEnvironment> {
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const runPrefix = `payrail_bench_${randomBytes(4).toString('hex')}`;
  let postgres: StartedTestPostgres | undefined;
  let env: TestEnvironment | undefined;
  let pool: pg.Pool | undefined;
  let meter: Meter | undefined;
  // Before Payrail starts, so its first connection is counted like every other.
  installDriverMeter();
  opts.onCleanup(async () => {
    const errors: unknown[] = [];
    const attempt = async (fn: (() => Promise<unknown>) | undefined) => {
      try {
        await fn?.();
      } catch (error) {
        errors.push(error);
      }
    };
    await attempt(meter && (() => meter!.close()));
    await attempt(pool && (() => pool!.end()));
    await attempt(env && (() => env!.stop()));
    await attempt(postgres && (() => postgres!.stop()));
    if (errors.length > 0) throw new AggregateError(errors, 'cleaning up the benchmark environment failed');
  });

  postgres = await startTestPostgres({ ...(serverUrl ? { serverUrl } : {}), runPrefix });
  env = await createTestEnvironment({
    postgres,
    worker: false,
    env: {
      // The same number of database connections on both sides.
      DB_POOL_SIZE: String(opts.concurrency),
      // Measure the work, not the per-app request limiter.
      RATE_LIMIT_PER_SECOND: '0',
    },
  });
  env.services.config.publicUrl = env.url;
  pool = new pg.Pool({ connectionString: env.databaseUrl, max: opts.concurrency, application_name: 'payrail-bench-raw' });
  meter = new Meter(env.databaseUrl);
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    env,
    pool,
    meter,
    concurrency: opts.concurrency,
    tag: randomBytes(3).toString('hex').toUpperCase(),
    postgres: { embedded: postgres.embedded, version: rows[0]?.server_version ?? 'unknown' },
  };
}

/** Runs `fn` in BEGIN … COMMIT on one pooled connection (ROLLBACK when it throws). */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
