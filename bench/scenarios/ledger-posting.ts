import { randomUUID } from 'node:crypto';
import { checkLedgerInvariants } from '../../server/src/modules/ledger/ledger.invariants.ts';
import { accountKey, channelAccount, merchantAccount, postTransaction } from '../../server/src/modules/ledger/ledger.service.ts';
import { PAYIN_TX_OPTIONS } from '../../server/src/modules/payins/payins.transition.ts';
import { createChannel, createMerchant, ensureCurrency } from '../../server/test/support/payin-fixtures.ts';
import { inTransaction, type BenchEnvironment } from '../lib/environment.ts';
import { check, type Scenario } from '../lib/harness.ts';

/**
 * b. Ledger posting: the ledger module's `postTransaction` (a balanced 2-entry transaction, inside a
 * Prisma interactive transaction) against the same posting in plain SQL: lock both accounts in id
 * order, insert the transaction and its two entries (with balance-after), update both balances.
 * Every posting moves 1.00 THB from one channel's balance to one merchant's available balance, so all
 * of them queue on the same two rows, on both sides.
 */

const AMOUNT = 1_00n; // 1.00 THB
const CURRENCY = 'THB';

export function ledgerPostingScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { pool, env } = bench;
  const payrailKind = 'BENCH_TRANSFER';
  const rawKind = 'BENCH_TRANSFER_RAW';
  const keyPrefix = `bench-transfer:${bench.tag}:`;
  let merchantId: string;
  let channelId: string;
  /** The two accounts' ids (ascending: the lock order) and which one is debited. */
  let accounts: { debit: string; credit: string; lockPayin: string[] };

  const balanceOf = async (id: string) => {
    const { rows } = await pool.query<{ balance: string }>('SELECT balance FROM ledger_accounts WHERE id = $1', [id]);
    return BigInt(rows[0]!.balance);
  };
  const countPostings = async (kind: string) => {
    const { rows } = await pool.query<{ transactions: string; entries: string }>(
      `SELECT count(DISTINCT t.id) AS transactions, count(e.id) AS entries
       FROM ledger_transactions t LEFT JOIN ledger_entries e ON e."transactionId" = t.id
       WHERE t.kind = $1 AND t."idempotencyKey" LIKE $2`,
      [kind, `${keyPrefix}%`],
    );
    return { transactions: BigInt(rows[0]!.transactions), entries: BigInt(rows[0]!.entries) };
  };

  return {
    key: 'ledger-posting',
    title: 'b. Ledger posting',
    payrailDoes: 'prisma.$transaction(tx => postTransaction(tx, …)): 2 lines, channel BALANCE → merchant AVAILABLE',
    rawDoes: 'BEGIN; SELECT … FOR UPDATE both accounts in id order; INSERT transaction + 2 entries; UPDATE 2 balances; COMMIT',
    ...size,
    concurrency: bench.concurrency,
    async prepare() {
      await ensureCurrency(env.prisma, CURRENCY, 2);
      merchantId = (await createMerchant(env.prisma, 'Bench ledger')).id;
      channelId = (await createChannel(env.prisma, { currencyCode: CURRENCY })).id;
      const from = channelAccount(channelId, CURRENCY);
      const to = merchantAccount(merchantId, CURRENCY, 'AVAILABLE');

      return {
        payrail: {
          async run(i) {
            // With the transaction options Payrail's own operations use (they wait for locks and connections).
            const posted = await env.prisma.$transaction(
              (tx) =>
                postTransaction(tx, {
                  kind: payrailKind,
                  idempotencyKey: `${keyPrefix}${i}`,
                  test: false,
                  lines: [
                    { account: from, amount: -AMOUNT },
                    { account: to, amount: AMOUNT },
                  ],
                }),
              PAYIN_TX_OPTIONS,
            );
            if (posted.replayed) throw new Error(`posting ${i} was a replay`);
            if (posted.balances.get(accountKey(to)) === undefined) throw new Error(`posting ${i} did not touch ${accountKey(to)}`);
          },
          async verify(operations) {
            const counted = await countPostings(payrailKind);
            check(counted.transactions === BigInt(operations), `${operations} Payrail postings expected, found ${counted.transactions}`);
            check(counted.entries === BigInt(operations * 2), `${operations * 2} Payrail entries expected, found ${counted.entries}`);
            return [`${counted.transactions} transactions with 2 entries each`];
          },
        },
        raw: {
          async setup() {
            // The accounts exist now (Payrail's warm-up created them).
            const { rows } = await pool.query<{ id: string; kind: string }>(
              `SELECT id, kind FROM ledger_accounts WHERE ("ownerType", "ownerId", kind) IN (('CHANNEL', $1, 'BALANCE'), ('MERCHANT', $2, 'AVAILABLE')) AND "currencyCode" = $3`,
              [channelId, merchantId, CURRENCY],
            );
            const debit = rows.find((r) => r.kind === 'BALANCE')?.id;
            const credit = rows.find((r) => r.kind === 'AVAILABLE')?.id;
            if (!debit || !credit) throw new Error('the Payrail side created no ledger accounts');
            accounts = { debit, credit, lockPayin: [debit, credit].sort() };
          },
          async run(i) {
            await inTransaction(pool, async (client) => {
              const locked = await client.query<{ id: string; balance: string }>(
                'SELECT id, balance FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
                [accounts.lockPayin],
              );
              const balance = new Map(locked.rows.map((r) => [r.id, BigInt(r.balance)]));
              const debitAfter = balance.get(accounts.debit)! - AMOUNT;
              const creditAfter = balance.get(accounts.credit)! + AMOUNT;
              const transactionId = randomUUID();
              const at = new Date();
              await client.query(
                `INSERT INTO ledger_transactions (id, kind, "idempotencyKey", "actorType", "createdAt") VALUES ($1, $2, $3, 'SYSTEM', $4)`,
                [transactionId, rawKind, `${keyPrefix}raw:${i}`, at],
              );
              await client.query(
                `INSERT INTO ledger_entries ("transactionId", "accountId", "currencyCode", amount, "balanceAfter", "createdAt")
                 VALUES ($1, $2, $3, $4, $5, $6), ($1, $7, $3, $8, $9, $6)`,
                [transactionId, accounts.debit, CURRENCY, (-AMOUNT).toString(), debitAfter.toString(), at, accounts.credit, AMOUNT.toString(), creditAfter.toString()],
              );
              await client.query(`UPDATE ledger_accounts SET balance = $2, "updatedAt" = now() WHERE id = $1`, [accounts.debit, debitAfter.toString()]);
              await client.query(`UPDATE ledger_accounts SET balance = $2, "updatedAt" = now() WHERE id = $1`, [accounts.credit, creditAfter.toString()]);
            });
          },
          async verify(operations) {
            const counted = await countPostings(rawKind);
            check(counted.transactions === BigInt(operations), `${operations} raw postings expected, found ${counted.transactions}`);
            check(counted.entries === BigInt(operations * 2), `${operations * 2} raw entries expected, found ${counted.entries}`);
            return [`${counted.transactions} transactions with 2 entries each`];
          },
        },
        async verify() {
          // Both sides moved 1.00 per posting into the same merchant account, from a zero start.
          const postings = (await countPostings(payrailKind)).transactions + (await countPostings(rawKind)).transactions;
          const credited = await balanceOf(accounts.credit);
          check(credited === postings * AMOUNT, `merchant AVAILABLE is ${credited} minor units after ${postings} postings of ${AMOUNT}`);
          check((await balanceOf(accounts.debit)) === -credited, 'the channel balance mirrors the merchant balance');
          const violations = await checkLedgerInvariants(env.prisma);
          check(violations.length === 0, `ledger invariants: ${violations.map((v) => `${v.rule} ${v.detail}`).join('; ')}`);
          return [`both sides: balance = ${postings} × ${AMOUNT} minor units exactly; ledger invariants hold (checkLedgerInvariants)`];
        },
      };
    },
  };
}
