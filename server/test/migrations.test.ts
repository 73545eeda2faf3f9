import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTemporaryDatabase, diffMigrationsToSchema, dropDatabase } from '../scripts/schema-engine.ts';
import { withDatabase } from '../src/db/database.ts';
import { DEFAULT_MIGRATIONS_DIR, checksumOf, migrate, pendingMigrations, readMigrations } from '../src/db/migrator.ts';

/** The PostgreSQL server the test may create and drop databases on: the run's (test/support/global-setup.ts), else TEST_DATABASE_URL, else a local one. */
function testServerUrl(): string {
  return inject('pgServerUrl') || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** Under the run's prefix, so the global teardown drops whatever a crashed test left. */
function databasePrefix(): string {
  return `${inject('runPrefix') || 'mig_helper'}_mig_`;
}
const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
const TIMEOUT = 60_000;

async function withTemporaryDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const server = testServerUrl();
  const database = await createTemporaryDatabase(server, databasePrefix());
  try {
    return await fn(withDatabase(server, database));
  } finally {
    await dropDatabase(server, database);
  }
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const FIXTURES: Record<string, string> = {
  '20240101000000_init': `CREATE TABLE "Merchant" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL);
CREATE FUNCTION note_name() RETURNS trigger AS $$
BEGIN
  NEW."name" := NEW."name" || ';';
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
`,
  '20240102000000_add_email': `ALTER TABLE "Merchant" ADD COLUMN "email" TEXT;\r\nCOMMENT ON COLUMN "Merchant"."email" IS 'a; b';\r\n`,
};

async function writeFixture(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

function migrationRows(url: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(
    url,
    `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
       FROM _prisma_migrations ORDER BY started_at`,
  );
}

describe('schema.prisma and prisma/migrations', () => {
  it(
    'describe the same database (else: npm run db:migration:new -- <name>)',
    async () => {
      const sql = await diffMigrationsToSchema({
        serverUrl: testServerUrl(),
        schemaPath: SCHEMA_PATH,
        migrationsDir: DEFAULT_MIGRATIONS_DIR,
        databasePrefix: databasePrefix(),
      });
      expect(sql, 'SQL missing from the committed migrations').toBe('');
    },
    TIMEOUT,
  );

  it(
    'apply cleanly to a fresh database',
    async () => {
      const names = (await readMigrations()).map((migration) => migration.name);
      await withTemporaryDatabase(async (url) => {
        expect(await pendingMigrations(url)).toEqual(names);
        expect((await migrate(url)).applied).toEqual(names);
        expect(await pendingMigrations(url)).toEqual([]);
      });
    },
    TIMEOUT,
  );
});

describe('migrate', () => {
  let migrationsDir: string;

  beforeAll(async () => {
    migrationsDir = await mkdtemp(path.join(tmpdir(), 'payrail-migrations-'));
    for (const [name, sql] of Object.entries(FIXTURES)) await writeFixture(migrationsDir, name, sql);
  });

  afterAll(async () => {
    await rm(migrationsDir, { recursive: true, force: true });
  });

  it('applies pending migrations in order, records them as Prisma does, and then applies nothing', async () => {
    await withTemporaryDatabase(async (url) => {
      const logs: string[] = [];
      const first = await migrate(url, { migrationsDir, log: (msg) => logs.push(msg) });
      expect(first.applied).toEqual(Object.keys(FIXTURES));
      expect(logs).toContain('Applying migration 20240101000000_init');

      const rows = await migrationRows(url);
      expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
        Object.entries(FIXTURES).map(([name, sql]) => [name, checksumOf(sql)]),
      );
      for (const row of rows) {
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
      await query(url, `INSERT INTO "Merchant" ("id", "name", "email") VALUES ('m1', 'Acme', 'a@example.com')`);

      expect((await migrate(url, { migrationsDir })).applied).toEqual([]);
      expect(await pendingMigrations(url, { migrationsDir })).toEqual([]);
      expect(await migrationRows(url)).toHaveLength(2);
    });
  });

  it('creates _prisma_migrations with the shape of Prisma Migrate', async () => {
    await withTemporaryDatabase(async (url) => {
      await migrate(url, { migrationsDir });
      const columns = await query(
        url,
        `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
           FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      expect(columns).toEqual([
        { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
        { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
        { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
        { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
        { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
        { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
        { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
        { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
      ]);
    });
  });

  it('applies a migration added later, alone', async () => {
    await withTemporaryDatabase(async (url) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'payrail-migrations-'));
      try {
        await writeFixture(dir, '20240101000000_init', FIXTURES['20240101000000_init'] ?? '');
        expect((await migrate(url, { migrationsDir: dir })).applied).toEqual(['20240101000000_init']);
        await writeFixture(dir, '20240103000000_more', 'CREATE TABLE "More" ("id" INT PRIMARY KEY);');
        expect(await pendingMigrations(url, { migrationsDir: dir })).toEqual(['20240103000000_more']);
        expect((await migrate(url, { migrationsDir: dir })).applied).toEqual(['20240103000000_more']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  it('lets only one of two concurrent runs apply each migration', async () => {
    await withTemporaryDatabase(async (url) => {
      const runs = await Promise.all([migrate(url, { migrationsDir }), migrate(url, { migrationsDir })]);
      expect(runs.flatMap((run) => run.applied).sort()).toEqual(Object.keys(FIXTURES));
      expect(await migrationRows(url)).toHaveLength(2);
    });
  });

  it('refuses a database where an applied migration has another checksum than its file', async () => {
    await withTemporaryDatabase(async (url) => {
      await migrate(url, { migrationsDir });
      await query(url, `UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2`, [
        checksumOf('something else'),
        '20240101000000_init',
      ]);
      await expect(migrate(url, { migrationsDir })).rejects.toThrow(/checksum mismatch[\s\S]*20240101000000_init/);
    });
  });

  it('accepts a file whose line endings changed (as Prisma does)', async () => {
    await withTemporaryDatabase(async (url) => {
      await migrate(url, { migrationsDir });
      const lf = (FIXTURES['20240102000000_add_email'] ?? '').replaceAll('\r\n', '\n');
      await query(url, `UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2`, [
        checksumOf(lf),
        '20240102000000_add_email',
      ]);
      expect((await migrate(url, { migrationsDir })).applied).toEqual([]);
    });
  });

  it('refuses a database where a migration started and never finished', async () => {
    await withTemporaryDatabase(async (url) => {
      await migrate(url, { migrationsDir });
      await query(
        url,
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, $2, $3, 'boom')`,
        ['00000000-0000-4000-8000-000000000000', checksumOf('x'), '20240105000000_half_done'],
      );
      await expect(migrate(url, { migrationsDir })).rejects.toThrow(/never finished[\s\S]*20240105000000_half_done/);
    });
  });

  it('rolls a failing migration back, records the attempt as rolled back, and retries it next time', async () => {
    await withTemporaryDatabase(async (url) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'payrail-migrations-'));
      try {
        const broken = 'CREATE TABLE "Half" ("id" INT PRIMARY KEY);\nSELECT no_such_function();\n';
        await writeFixture(dir, '20240101000000_broken', broken);
        await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(/20240101000000_broken failed and was rolled back/);
        expect(await query(url, `SELECT to_regclass('"Half"') AS half`)).toEqual([{ half: null }]);
        const [attempt] = await migrationRows(url);
        expect(attempt).toMatchObject({ migration_name: '20240101000000_broken', finished_at: null });
        expect(attempt?.rolled_back_at).toBeInstanceOf(Date);
        expect(attempt?.logs).toMatch(/no_such_function/);

        await writeFixture(dir, '20240101000000_broken', 'CREATE TABLE "Half" ("id" INT PRIMARY KEY);\n');
        expect((await migrate(url, { migrationsDir: dir })).applied).toEqual(['20240101000000_broken']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
