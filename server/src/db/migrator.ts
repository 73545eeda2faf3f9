import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/** Prisma Migrate's advisory lock key, so this migrator and `prisma migrate deploy` exclude each other too. Held until the session ends. */
const MIGRATE_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateOptions {
  migrationsDir?: string;
  log?: (msg: string) => void;
}

interface MigrationRow {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Prisma accepts a script whose line endings were changed by git (LF vs CRLF). */
export function matchesChecksum(sql: string, checksum: string): boolean {
  const variants = [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')];
  return variants.some((variant) => checksumOf(variant) === checksum);
}

export async function readMigrations(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = await migrationDirectoryNames(migrationsDir);
  return Promise.all(names.map((name) => readMigration(migrationsDir, name)));
}

async function migrationDirectoryNames(migrationsDir: string): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function readMigration(migrationsDir: string, name: string): Promise<MigrationFile> {
  const file = path.join(migrationsDir, name, 'migration.sql');
  const sql = await readFile(file, 'utf8').catch((error: Error) => {
    throw new Error(`Migration ${name} has no readable migration.sql (${file}): ${error.message}`);
  });
  return { name, sql, checksum: checksumOf(sql) };
}

export async function migrate(databaseUrl: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const files = await readMigrations(opts.migrationsDir);
  return withClient(databaseUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const rows = await appliedRows(client);
    assertHistoryIsSound(files, rows, log);
    const pending = pendingOf(files, rows);
    if (pending.length === 0) log('No pending migrations.');
    for (const migration of pending) await applyMigration(client, migration, log);
    return { applied: pending.map((migration) => migration.name) };
  });
}

/** Names of the migration folders not yet applied to the database, in the order they would be applied. */
export async function pendingMigrations(databaseUrl: string, opts: Pick<MigrateOptions, 'migrationsDir'> = {}): Promise<string[]> {
  const files = await readMigrations(opts.migrationsDir);
  const rows = await withClient(databaseUrl, async (client) => ((await hasMigrationsTable(client)) ? appliedRows(client) : []));
  return pendingOf(files, rows).map((migration) => migration.name);
}

async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'payrail-migrator' });
  // A connection lost between queries must not crash the process: the next query rejects with the cause.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function hasMigrationsTable(client: pg.Client): Promise<boolean> {
  const result = await client.query<{ found: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS found`);
  return result.rows[0]?.found === true;
}

async function appliedRows(client: pg.Client): Promise<MigrationRow[]> {
  const result = await client.query<MigrationRow>(
    `SELECT id, migration_name, checksum, finished_at, rolled_back_at, logs
       FROM _prisma_migrations ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

function isApplied(row: MigrationRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

function isFailed(row: MigrationRow): boolean {
  return row.finished_at === null && row.rolled_back_at === null;
}

function pendingOf(files: MigrationFile[], rows: MigrationRow[]): MigrationFile[] {
  const applied = new Set(rows.filter(isApplied).map((row) => row.migration_name));
  return files.filter((file) => !applied.has(file.name));
}

function assertHistoryIsSound(files: MigrationFile[], rows: MigrationRow[], log: (msg: string) => void): void {
  const failed = rows.filter(isFailed);
  if (failed.length > 0) throw new Error(failedMigrationsMessage(failed));

  const byName = new Map(files.map((file) => [file.name, file]));
  const applied = rows.filter(isApplied);
  const edited = applied.filter((row) => {
    const file = byName.get(row.migration_name);
    return file !== undefined && !matchesChecksum(file.sql, row.checksum);
  });
  if (edited.length > 0) throw new Error(editedMigrationsMessage(edited));

  const unknown = applied.filter((row) => !byName.has(row.migration_name)).map((row) => row.migration_name);
  if (unknown.length > 0) log(`Warning: applied migrations missing from the migrations folder: ${unknown.join(', ')}`);
}

function failedMigrationsMessage(failed: MigrationRow[]): string {
  const lines = failed.map((row) => `  - ${row.migration_name} (id ${row.id})${row.logs ? `: ${row.logs}` : ''}`);
  return [
    'Refusing to migrate: _prisma_migrations records migrations that started but never finished:',
    ...lines,
    'Check the database by hand, then mark each one with `prisma migrate resolve --applied|--rolled-back <name>`',
    '(or set its rolled_back_at / finished_at in _prisma_migrations).',
  ].join('\n');
}

function editedMigrationsMessage(edited: MigrationRow[]): string {
  const names = edited.map((row) => `  - ${row.migration_name}`);
  return [
    'Refusing to migrate: these applied migrations were modified after they were applied (checksum mismatch):',
    ...names,
    'Restore their migration.sql as it was applied, and put further changes in a new migration.',
  ].join('\n');
}

async function applyMigration(client: pg.Client, migration: MigrationFile, log: (msg: string) => void): Promise<void> {
  log(`Applying migration ${migration.name}`);
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(
      `UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    const message = errorMessage(error);
    await rollBackAndRecord(client, migration, message).catch((secondary: unknown) => {
      log(`Could not record the failed attempt of ${migration.name}: ${errorMessage(secondary)}`);
    });
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${message}`, { cause: error });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Keeps an audit row of the failed attempt, marked rolled back because its transaction was: the next start retries it. */
async function rollBackAndRecord(client: pg.Client, migration: MigrationFile, message: string): Promise<void> {
  await client.query('ROLLBACK');
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, rolled_back_at)
     VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp())`,
    [randomUUID(), migration.checksum, migration.name, message],
  );
}
