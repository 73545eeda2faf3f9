import { newOrderNo, newRowId } from '../../server/src/lib/ids.ts';
import { computeFee, formatAmount, parseAmount } from '../../server/src/lib/money.ts';
import { checkLedgerInvariants } from '../../server/src/modules/ledger/ledger.invariants.ts';
import { createMerchantFixture, type MerchantFixture } from '../../server/test/support/fixtures.ts';
import type { Envelope, MerchantClient, SignedRequest } from '../../server/test/support/merchant-client.ts';
import { activateService, bindChannel, createChannel, createService, ensureCurrency } from '../../server/test/support/payin-fixtures.ts';
import { balancesOf, fundChannel, fundMerchant } from '../../server/test/support/payout-fixtures.ts';
import { inTransaction, type BenchEnvironment } from '../lib/environment.ts';
import { clientSigningNote } from '../lib/client-signing.ts';
import { check, type Scenario } from '../lib/harness.ts';
import { rowTemplate, type RowTemplate } from '../lib/row-template.ts';

/**
 * d. Concurrent payouts on one merchant balance, as in payouts-race.test.ts: signed
 * `POST /v1/payout/create` calls racing for the same AVAILABLE balance (Payrail freezes amount + fee
 * through the ledger, reserves the channel's balance, writes the timeline and schedules the submit
 * job), against raw transactions that each lock one balance row, check it, decrement it and insert
 * the same payout row. The balance covers exactly every payout, so both sides must end at zero.
 */

const CURRENCY = 'THB';
const DIGITS = 2;
const AMOUNT_TEXT = '123.45';
const AMOUNT = parseAmount(AMOUNT_TEXT, DIGITS);
const FEE_RATE_PPM = 10_000n; // 1 %
const FEE_FIXED = 2_00n;
const FEE = computeFee(AMOUNT, FEE_RATE_PPM, FEE_FIXED);
const NEEDED = AMOUNT + FEE;

/** The raw side's balance row: a table of its own in the bench database, so the ledger stays Payrail's. */
const RAW_BALANCE_TABLE = 'bench_raw_balances';

export function concurrentPayoutsScenario(bench: BenchEnvironment, size: { operations: number; warmup: number }): Scenario {
  const { pool, env } = bench;
  const total = BigInt(size.warmup + size.operations);
  const payrailPrefix = `BENCH-PAYOUT-${bench.tag}-`;
  const rawPrefix = `BENCH-RAWPAYOUT-${bench.tag}-`;
  const rawBalanceId = `payouts-${bench.tag}`;
  let merchant: MerchantFixture;
  let client: MerchantClient;
  let serviceCode: string;
  let payout: RowTemplate;

  const countPayouts = async (prefix: string) => {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM payouts WHERE "merchantId" = $1 AND "outTradeNo" LIKE $2`, [
      merchant.merchant.id,
      `${prefix}%`,
    ]);
    return BigInt(rows[0]!.n);
  };
  const recipientAccount = (i: number) => `ACC${String(i).padStart(8, '0')}`;
  const payoutBody = (i: number) => ({
    out_trade_no: `${payrailPrefix}${i}`,
    amount: AMOUNT_TEXT,
    currency: CURRENCY,
    service: serviceCode,
    recipient_name: 'Bench Recipient',
    recipient_account: recipientAccount(i),
  });

  return {
    key: 'concurrent-payouts',
    title: 'd. Concurrent payouts on one balance',
    payrailDoes: 'signed POST /v1/payout/create over HTTP, all on one merchant balance (ledger freeze, channel reserve, timeline, job)',
    rawDoes: 'BEGIN; SELECT balance … FOR UPDATE; check; UPDATE balance; INSERT the same payout row; COMMIT',
    ...size,
    concurrency: bench.concurrency,
    async prepare() {
      const db = env.prisma;
      const secrets = env.services.secrets;
      await ensureCurrency(db, CURRENCY, DIGITS);
      merchant = await createMerchantFixture(db, secrets, { merchantName: 'Bench payouts' });
      client = merchant.client(env.url);
      const service = await createService(db, {
        code: `BENCH_PAYOUT_${bench.tag}`,
        direction: 'PAYOUT',
        currencyCode: CURRENCY,
        requiredFields: ['recipient_name', 'recipient_account'],
      });
      serviceCode = service.code;
      await activateService(db, merchant.merchant.id, service.id, { feeRatePpm: FEE_RATE_PPM, feeFixed: FEE_FIXED });
      const channel = await createChannel(db, { currencyCode: CURRENCY }, { secrets });
      await bindChannel(db, channel.id, service.id);
      // Exactly enough for every payout (warm-up included): a lost update or a double spend shows at the end.
      await fundMerchant(db, merchant.merchant.id, channel.id, CURRENCY, total * NEEDED);
      await fundChannel(db, channel.id, CURRENCY, 2n * total * AMOUNT);

      // Signed before the clock starts: the merchant server's RSA signing is its own work, not Payrail's.
      let signed: SignedRequest[] = [];
      return {
        payrail: {
          async setup() {
            signed = Array.from({ length: size.warmup + size.operations }, (_, i) => client.signPost('/v1/payout/create', payoutBody(i)));
          },
          async run(i) {
            const res = await client.deliver<Envelope<{ status?: string }>>(signed[i]!);
            if (res.status !== 200 || res.body?.code !== 0) {
              throw new Error(`POST /v1/payout/create answered HTTP ${res.status}: ${res.rawBody.slice(0, 300)}`);
            }
          },
          async verify(operations) {
            const created = await countPayouts(payrailPrefix);
            check(created === BigInt(operations), `${operations} Payrail payouts expected, found ${created}`);
            const balances = await balancesOf(env.prisma, merchant.merchant.id, CURRENCY);
            check(balances.available === 0n, `merchant AVAILABLE should be 0.00, is ${formatAmount(balances.available, DIGITS)}`);
            check(balances.frozen === total * NEEDED, `merchant FROZEN should be ${formatAmount(total * NEEDED, DIGITS)}, is ${formatAmount(balances.frozen, DIGITS)}`);
            return [`${created} payouts; AVAILABLE 0.00 and FROZEN ${formatAmount(balances.frozen, DIGITS)} ${CURRENCY} (= ${operations} × ${formatAmount(NEEDED, DIGITS)})`];
          },
        },
        raw: {
          async setup() {
            await pool.query(`CREATE TABLE IF NOT EXISTS ${RAW_BALANCE_TABLE} (id text PRIMARY KEY, balance bigint NOT NULL)`);
            await pool.query(`INSERT INTO ${RAW_BALANCE_TABLE} (id, balance) VALUES ($1, $2)`, [rawBalanceId, (total * NEEDED).toString()]);
            const { rows } = await pool.query<{ id: string }>(`SELECT id FROM payouts WHERE "merchantId" = $1 AND "outTradeNo" = $2`, [
              merchant.merchant.id,
              `${payrailPrefix}0`,
            ]);
            if (!rows[0]) throw new Error('the Payrail side wrote no payout to copy');
            payout = await rowTemplate(pool, 'payouts', { text: 'SELECT * FROM payouts WHERE id = $1', values: [rows[0].id] });
          },
          async run(i) {
            await inTransaction(pool, async (tx) => {
              const locked = await tx.query<{ balance: string }>(`SELECT balance FROM ${RAW_BALANCE_TABLE} WHERE id = $1 FOR UPDATE`, [rawBalanceId]);
              const balance = BigInt(locked.rows[0]!.balance);
              if (balance < NEEDED) throw new Error(`insufficient balance: ${formatAmount(balance, DIGITS)} available`);
              await tx.query(`UPDATE ${RAW_BALANCE_TABLE} SET balance = $2 WHERE id = $1`, [rawBalanceId, (balance - NEEDED).toString()]);
              const now = new Date();
              await tx.query(
                payout.sql,
                payout.params(() => ({
                  id: newRowId(now.getTime()),
                  payoutNo: newOrderNo('W', now),
                  outTradeNo: `${rawPrefix}${i}`,
                  recipientAccount: recipientAccount(i),
                  createdAt: now,
                  updatedAt: now,
                })),
              );
            });
          },
          async verify(operations) {
            const created = await countPayouts(rawPrefix);
            check(created === BigInt(operations), `${operations} raw payouts expected, found ${created}`);
            const { rows } = await pool.query<{ balance: string }>(`SELECT balance FROM ${RAW_BALANCE_TABLE} WHERE id = $1`, [rawBalanceId]);
            check(BigInt(rows[0]!.balance) === 0n, `the raw balance should be 0, is ${rows[0]!.balance} minor units`);
            return [`${created} payouts; balance 0.00 ${CURRENCY}`];
          },
        },
        async verify() {
          const violations = await checkLedgerInvariants(env.prisma);
          check(violations.length === 0, `ledger invariants: ${violations.map((v) => `${v.rule} ${v.detail}`).join('; ')}`);
          return ['ledger invariants hold (checkLedgerInvariants)'];
        },
        notes: async () => [clientSigningNote(merchant.clientKeys.privateKeyPem, JSON.stringify(payoutBody(0)))],
      };
    },
  };
}
