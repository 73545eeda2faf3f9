import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { quoteIdent, withDatabase, withPgClient } from '../../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { migrate } from '../../src/db/migrator.ts';
import { migrateQueue } from '../../src/jobs/worker.ts';

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
  let embedded: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    tempDir = await mkdtemp(path.join(tmpdir(), 'payrail-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir: tempDir, port: 55000 + Math.floor(Math.random() * 5000), ephemeral: true });
    serverUrl = embedded.url;
  }

  const runPrefix = `payrail_t${randomBytes(4).toString('hex')}`;
  const templateDatabase = `${runPrefix}_template`;
  await withPgClient(serverUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(templateDatabase)}`));
  const templateUrl = withDatabase(serverUrl, templateDatabase);
  await migrate(templateUrl);
  await migrateQueue(templateUrl);

  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('runPrefix', runPrefix);

  return async () => {
    await withPgClient(serverUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runPrefix}%`]);
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    });
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}

