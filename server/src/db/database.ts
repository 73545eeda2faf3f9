import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/config.ts';
import type { Logger } from '../lib/logger.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_DB_NAME = 'payrail';

/** The database the platform uses: DATABASE_URL, or an embedded PostgreSQL in the data folder. */
export async function openDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };

  const server: EmbeddedPostgres = await startEmbeddedPostgres({
    dataDir: path.join(path.resolve(config.PAYRAIL_DATA_DIR), 'postgres'),
    port: config.EMBEDDED_PG_PORT,
    log: (line) => log.info(line),
  });
  try {
    await ensureDatabase(server.url, EMBEDDED_DB_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: withDatabase(server.url, EMBEDDED_DB_NAME), embedded: true, stop: () => server.stop() };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  await withPgClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  });
}

/** One plain connection for administrative statements (CREATE/DROP DATABASE), closed afterwards. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
