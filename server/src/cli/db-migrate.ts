import { loadConfig } from '../config/config.ts';
import { migrate } from '../db/migrator.ts';
import { migrateQueue } from '../jobs/worker.ts';

/** `npm run db:migrate`: applies pending migrations (and the job queue's schema) to DATABASE_URL. */
const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('db:migrate needs DATABASE_URL; the embedded database is migrated by `npm start` itself');
  process.exit(2);
}
const { applied } = await migrate(config.DATABASE_URL, { log: (msg) => console.log(msg) });
await migrateQueue(config.DATABASE_URL);
console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
