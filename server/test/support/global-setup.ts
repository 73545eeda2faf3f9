import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { quoteIdent, withDatabase, withPgClient } from '../../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { migrate } from '../../src/db/migrator.ts';
import { migrateQueue } from '../../src/jobs/worker.ts';
import type { TestPostgres } from './test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser connection to the PostgreSQL server the tests use. */
    pgServerUrl: string;
    /** A migrated database that test files clone. */
    templateDatabase: string;
    /** Prefix of every database this run creates. */
    runPrefix: string;
  }
}

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL when set, otherwise an embedded server in a temp
 * folder. A template database gets every migration once; each test file clones it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startTestPostgres({ serverUrl: process.env.TEST_DATABASE_URL });
  project.provide('pgServerUrl', postgres.serverUrl);
  project.provide('templateDatabase', postgres.templateDatabase);
  project.provide('runPrefix', postgres.runPrefix);
  return () => postgres.stop();
}

export interface StartedTestPostgres extends TestPostgres {
  /** Whether this is an embedded server started here (else `serverUrl` was given). */
  embedded: boolean;
  /** Drops every database of the run (`runPrefix…`) and stops the embedded server. */
  stop(): Promise<void>;
}

/**
 * The PostgreSQL side of the global setup, usable outside vitest too (the benchmarks): the given
 * superuser connection or an embedded server, plus a migrated template database named
 * `<runPrefix>_template`. Anything it started is undone when it fails half-way.
 */
export async function startTestPostgres(opts: { serverUrl?: string; runPrefix?: string } = {}): Promise<StartedTestPostgres> {
  let embedded: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  let serverUrl = opts.serverUrl;
  const runPrefix = opts.runPrefix ?? `payrail_t${randomBytes(4).toString('hex')}`;
  const templateDatabase = `${runPrefix}_template`;
  let created = false;

  const stop = async () => {
    try {
      if (serverUrl && created) {
        await withPgClient(serverUrl, async (c) => {
          const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runPrefix}%`]);
          for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
        });
      }
    } finally {
      // The embedded server goes (with its data) even when dropping failed.
      await embedded?.stop();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    }
  };

  try {
    if (!serverUrl) {
      tempDir = await mkdtemp(path.join(tmpdir(), 'payrail-test-pg-'));
      embedded = await startEmbeddedPostgres({ dataDir: tempDir, port: 55000 + Math.floor(Math.random() * 5000), ephemeral: true });
      serverUrl = embedded.url;
    }
    await withPgClient(serverUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(templateDatabase)}`));
    created = true;
    const templateUrl = withDatabase(serverUrl, templateDatabase);
    await migrate(templateUrl);
    await migrateQueue(templateUrl);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { serverUrl, templateDatabase, runPrefix, embedded: embedded !== undefined, stop };
}
