import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { Prisma } from '../generated/prisma/client.ts';
export { PrismaClient };

/** An interactive-transaction client (what `prisma.$transaction(async (tx) => …)` hands out). */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
/** Either the root client or a transaction: services take this so callers decide the transaction. */
export type Db = PrismaClient | Tx;

export function createPrisma(connectionString: string, poolSize = 10): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
  return new PrismaClient({ adapter });
}
