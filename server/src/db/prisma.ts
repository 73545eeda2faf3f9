import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { Prisma } from '../generated/prisma/client.ts';
export { PrismaClient };

/** An interactive-transaction client (what `prisma.$transaction(async (tx) => …)` hands out). */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
/** Either the root client or a transaction: services take this so callers decide the transaction. */
export type Db = PrismaClient | Tx;

export function createPrisma(connectionString: string, poolSize = 10): PrismaClient {
  const adapter = new SerialTransactionPg({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
  return new PrismaClient({ adapter });
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type PgTransaction = Awaited<ReturnType<PgAdapter['startTransaction']>>;

/**
 * PrismaPg whose interactive transactions send one query at a time. A transaction holds one pg client,
 * and Prisma 7 loads the relations of a read (`include` of several relations) in parallel: pg queued the
 * extra queries on that client itself, which it deprecates ("client.query() when the client is already
 * executing a query", an error in pg 9). Here they wait for each other before reaching pg, in the order
 * they were issued — what pg did, without its internal queue. (prisma/orm#29646, #29979 fix it upstream.)
 */
class SerialTransactionPg extends PrismaPg {
  override async connect(): Promise<PgAdapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => oneQueryAtATime(await startTransaction(isolationLevel));
    return adapter;
  }
}

function oneQueryAtATime(tx: PgTransaction): PgTransaction {
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const turn = last.then(run, run);
    last = turn.catch(() => undefined);
    return turn;
  };
  const queryRaw = tx.queryRaw.bind(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  tx.queryRaw = (query) => inTurn(() => queryRaw(query));
  tx.executeRaw = (query) => inTurn(() => executeRaw(query));
  return tx;
}
