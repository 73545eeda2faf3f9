import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/config.ts';
import type { PrismaClient } from '../../src/db/prisma.ts';
import { createEventBus } from '../../src/events/create.ts';
import type { StatusChanged } from '../../src/events/topics.ts';
import { createSecretBox } from '../../src/lib/crypto.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { PayinsServices } from '../../src/modules/payins/payins.context.ts';

/** The services the payin operations need, on a test database, with a log of published 'payin:changed'. */
export function payinServices(prisma: PrismaClient): PayinsServices & { published: StatusChanged[] } {
  const events = createEventBus();
  const published: StatusChanged[] = [];
  void (async () => {
    for await (const change of events.subscribe('payin:changed')) published.push(change);
  })();
  return {
    prisma,
    events,
    config: loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://payrail.test', LOG_LEVEL: 'silent' }),
    log: createLogger('silent'),
    secrets: createSecretBox(randomBytes(32)),
    published,
  };
}

/** Ledger invariants of DESIGN.md: all entries sum to zero; every balance is the sum of its entries. */
export async function ledgerInvariants(prisma: PrismaClient): Promise<{ totalSum: bigint; mismatched: number }> {
  const [total] = await prisma.$queryRaw<{ sum: bigint | null }[]>`SELECT SUM(amount)::bigint AS sum FROM ledger_entries`;
  const [bad] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM ledger_accounts a
    WHERE a.balance <> COALESCE((SELECT SUM(e.amount) FROM ledger_entries e WHERE e."accountId" = a.id), 0)`;
  return { totalSum: BigInt(total?.sum ?? 0n), mismatched: Number(bad?.n ?? 0n) };
}
