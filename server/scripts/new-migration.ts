import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PREFIX, LOCKFILE_CONTENT, diffMigrationsToSchema } from './schema-engine.ts';

const USAGE = `Usage: npm run db:migration:new -- <name> [--schema <path>] [--migrations <dir>] [--shadow-prefix <prefix>]

Writes prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql: the SQL that takes a database with every
committed migration applied to the state described by prisma/schema.prisma. Temporary databases are created
(and dropped) on the server of DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.`;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** npm runs workspace scripts in the workspace folder; paths given on the command line are relative to where npm was run. */
const CALLER_DIR = process.env.INIT_CWD ?? process.cwd();
const DEFAULT_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

interface Options {
  name: string;
  schemaPath: string;
  migrationsDir: string;
  databasePrefix: string;
  serverUrl: string;
}

const ARGS = {
  schema: { type: 'string' },
  migrations: { type: 'string' },
  'shadow-prefix': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseOptions(argv: string[]): Options {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help || positionals.length !== 1) throw new UsageError(USAGE);
  return {
    name: migrationSlug(positionals[0] ?? ''),
    schemaPath: path.resolve(CALLER_DIR, values.schema ?? path.join(REPO_ROOT, 'prisma/schema.prisma')),
    migrationsDir: path.resolve(CALLER_DIR, values.migrations ?? path.join(REPO_ROOT, 'prisma/migrations')),
    databasePrefix: values['shadow-prefix'] ?? DEFAULT_DATABASE_PREFIX,
    serverUrl: process.env.DATABASE_URL || DEFAULT_SERVER_URL,
  };
}

class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: ARGS });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function migrationSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (slug === '') throw new UsageError(`Invalid migration name ${JSON.stringify(name)}.\n\n${USAGE}`);
  return slug;
}

/** Prisma's migration folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function writeMigration(migrationsDir: string, folder: string, sql: string): Promise<string> {
  const dir = path.join(migrationsDir, folder);
  if (existsSync(dir)) throw new Error(`${dir} already exists.`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'migration.sql');
  await writeFile(file, sql);
  const lockfile = path.join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockfile)) await writeFile(lockfile, LOCKFILE_CONTENT);
  return file;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const sql = await diffMigrationsToSchema(options);
  if (sql === '') {
    console.log('no changes');
    return;
  }
  const file = await writeMigration(options.migrationsDir, `${timestamp(new Date())}_${options.name}`, sql);
  console.log(`Wrote ${path.relative(CALLER_DIR, file)}\n\n${sql}`);
  for (const warning of reviewWarnings(sql)) console.warn(`Warning: ${warning}`);
}

/** The wasm engine cannot evaluate data loss as `prisma migrate dev` does; these catch the usual cases. */
function reviewWarnings(sql: string): string[] {
  const warnings: string[] = [];
  if (/\bDROP\s+(TABLE|COLUMN|TYPE|SCHEMA)\b/i.test(sql)) warnings.push('it drops tables, columns or types: data in them is lost.');
  if (/\bADD\s+COLUMN\b(?![^;]*\bDEFAULT\b)[^;]*\bNOT NULL\b/i.test(sql)) {
    warnings.push('it adds a required column without a default: this fails on a table that has rows.');
  }
  if (/\bSET\s+DATA\s+TYPE\b/i.test(sql)) warnings.push('it changes column types: existing values may not convert.');
  return warnings;
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exitCode = 1;
});
