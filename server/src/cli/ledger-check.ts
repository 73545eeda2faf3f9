import { loadConfig } from '../config/config.ts';
import { createPrisma } from '../db/prisma.ts';
import { checkLedgerInvariants } from '../modules/ledger/ledger.invariants.ts';

/** `npm run ledger:check`: proves the ledger's invariants on DATABASE_URL; exits 1 when one fails. */
const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('ledger:check needs DATABASE_URL (the database to check)');
  process.exit(2);
}
const prisma = createPrisma(config.DATABASE_URL, 2);
try {
  const violations = await checkLedgerInvariants(prisma);
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ok: violations.length === 0, violations }, null, 2));
  else if (violations.length === 0) console.log('ledger ok: entries sum to zero per currency and per transaction; balances match their entries; daily statements roll forward');
  else for (const v of violations) console.log(`${v.rule}  ${v.detail}`);
  process.exitCode = violations.length === 0 ? 0 : 1;
} finally {
  await prisma.$disconnect();
}
