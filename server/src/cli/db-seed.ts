/**
 * `npm run db:seed [-- --orders N]`: seeds demo data into the database of DATABASE_URL (migrated
 * beforehand with `npm run db:migrate`). Does nothing when the database already has merchants.
 * Demo data is for trying Payrail out: its users share a public password.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { createPrisma } from '../db/prisma.ts';
import { createLogger } from '../lib/logger.ts';
import { loadSecretBox } from '../lib/secret-key.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoData } from '../modules/demo/demo-seed.ts';

const USAGE = `Usage: npm run db:seed [-- --orders N]

Seeds demo data (merchants, users, channels, a month of orders) into DATABASE_URL.
  --orders N   number of payins to create (default 3000; about N/3 payouts)`;

async function main(): Promise<number> {
  let orders: number | undefined;
  try {
    const { values } = parseArgs({ options: { orders: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.orders !== undefined) {
      if (!/^[0-9]{1,7}$/.test(values.orders)) throw new Error(`--orders must be a whole number, got "${values.orders}"`);
      orders = Number(values.orders);
    }
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const config = loadConfig();
  if (!config.DATABASE_URL) {
    console.error(
      'DATABASE_URL is not set: db:seed needs the PostgreSQL database to seed, e.g.\n' +
        '  DATABASE_URL=postgresql://user:password@localhost:5432/payrail npm run db:seed\n' +
        '(Without DATABASE_URL, `npm start` runs an embedded PostgreSQL and seeds it by itself.)',
    );
    return 1;
  }
  const log = createLogger(config.LOG_LEVEL);
  const secrets = await loadSecretBox(config, log);
  const prisma = createPrisma(config.DATABASE_URL, 2);
  try {
    const started = Date.now();
    const { seeded } = await seedDemoData(prisma, { secrets, orders, log: (msg) => log.info(msg) });
    if (!seeded) {
      console.log('The database already has merchants: nothing was seeded.');
      return 0;
    }
    console.log(`Seeded demo data in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    console.log(`Demo logins (password "${DEMO_PASSWORD}", for the demo only):`);
    for (const login of DEMO_LOGINS) {
      console.log(`  ${login.email.padEnd(30)} ${login.role}${login.merchant ? ` (${login.merchant})` : ''}`);
    }
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42P01 / P2021: a table is missing — the schema has not been migrated.
    if (code === '42P01' || code === 'P2021') {
      console.error('The database has no Payrail tables yet: run `npm run db:migrate` first.');
    } else {
      log.error({ err: error }, 'seeding failed');
    }
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await main();
