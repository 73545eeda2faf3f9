/**
 * Demo data: a realistic month of a small payment gateway, so a newcomer who runs `npm start` (embedded
 * database) or `npm run db:seed` sees a working back office: currencies, services, sandbox channels,
 * three merchants with applications and keys, staff and merchant users for every built-in role, FX rates,
 * risk rules, and a few thousand payins and payouts over the last 30 days with their payments, timelines,
 * settlements and ledger postings.
 *
 * Rules it keeps:
 * - It only ever seeds an empty platform: when any merchant exists it does nothing. The whole seed is one
 *   database transaction guarded by an advisory lock, so two processes starting at once seed once, and a
 *   failure leaves nothing half-seeded behind.
 * - Money moves only through `postTransaction`, in chronological order (every posting carries the time it
 *   happened), so each balance-after in the ledger is what the account held at that moment and no
 *   merchant or channel balance is ever negative. Payout floats are funded by merchant recharges and
 *   channel floats by platform adjustments — both sized by replaying the postings in memory first. The
 *   recharges, the recent fund requests and the destinations go through the funds module (request,
 *   finance's decision, ledger, audit), and the daily statements are built by the statements module.
 * - Amounts are bigint minor units and respect the amount-limit rule of seed 001 (merchant service ∩
 *   channel ∩ channel-service bounds); fees come from `computeFee`.
 * - Random choices come from a fixed-seed generator, so the mix is the same on every run (identifiers,
 *   keys and order numbers still come from the CSPRNG).
 *
 * Assumptions worth knowing (see the report of the change that added this file):
 * - A T+N payin is credited to PENDING at `paidAt` and released to AVAILABLE at `paidAt + N × 24 h`.
 * - An overpaid order credits what was actually received (`paidAmount`), with the fee on that amount.
 *   Underpaid orders are PROCESSING orders whose accumulation is IN_PROGRESS: nothing is posted until
 *   they are activated.
 * - A payout freezes amount + fee when it is created (also while it waits in REVIEW) and reserves the
 *   amount at its channel, settles to the channel and the fee account on success, and releases both on
 *   failure or rejection: the postings of `payouts.ledger.ts`, dated in the past.
 * - The fee of an unpaid order is the quote on its amount; on success it is recomputed on the paid amount.
 * - No Delivery rows are written: postback statuses and CALLBACK_* timeline events describe history only.
 *
 * Layout: `fixtures/` hold the platform's data and the code inserting it (catalog, merchants and people,
 * risk rules, payers); `scenarios/` plan the month's history (payins, payouts, funding) and make the fund
 * requests; this file runs the steps, in order, inside one transaction.
 */
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Tx } from '../../db/prisma.ts';
import { postTransaction } from '../ledger/ledger.service.ts';
import { generateRsaKeyPairAsync, type SecretBox } from '../../lib/crypto.ts';
import { hashPassword } from '../../lib/password.ts';
import { catchUpDailyStatements } from '../statements/statements.service.ts';
import { byTime, type SeedContext } from './demo-context.ts';
import { bulkInsert, ORDER_EVENT_TABLE, ORDER_TABLE, PAYMENT_TABLE, PAYOUT_EVENT_TABLE, PAYOUT_TABLE, PENDING_SETTLEMENT_TABLE } from './demo-bulk-insert.ts';
import { Rng } from './demo-rng.ts';
import { DAY, elapsed, MIN, SEC, WINDOW_DAYS } from './demo-time.ts';
import { seedCatalog } from './fixtures/catalog.fixture.ts';
import { MERCHANTS, merchantUserEmail, seedMerchantsAndPeople, STAFF, type MerchantSecrets } from './fixtures/merchants.fixture.ts';
import { seedFxRatesAndRiskRules } from './fixtures/risk.fixture.ts';
import { seedOpeningRecharges, seedRecentFundRequests } from './scenarios/fund-requests.scenario.ts';
import { assertNeverNegative, planFunding } from './scenarios/funding.scenario.ts';
import { planPayin } from './scenarios/payins.scenario.ts';
import { planPayout } from './scenarios/payouts.scenario.ts';

/**
 * The password of every demo user. FOR THE DEMO ONLY: it is public (it is printed at start and in the
 * README); a platform holding real money must never be seeded with demo data.
 */
export const DEMO_PASSWORD = 'payrail-demo';

/** Every demo user (all with DEMO_PASSWORD) and its built-in role; `merchant` is the merchant's name. */
export const DEMO_LOGINS: { email: string; role: string; merchant?: string }[] = [
  ...STAFF.map((s) => ({ email: s.email, role: s.role })),
  ...MERCHANTS.flatMap((m) => m.team.map((member) => ({ email: merchantUserEmail(m, member), role: member.role, merchant: m.name }))),
];

export interface SeedDemoOptions {
  secrets: SecretBox;
  log?: (msg: string) => void;
  /** Number of payins (default 3000); about a third as many payouts are created. */
  orders?: number;
  /** The seed's "now": data spreads over the 30 days before it. */
  now?: Date;
}

/** Arbitrary constant: the advisory lock that makes concurrent seeders take turns. */
const SEED_LOCK_KEY = 7_240_155_001n;

/**
 * Seeds the demo platform into an empty database (no merchant yet) and returns `{ seeded: true }`;
 * returns `{ seeded: false }` and changes nothing when any merchant exists.
 */
export async function seedDemoData(prisma: PrismaClient, opts: SeedDemoOptions): Promise<{ seeded: boolean }> {
  const log = opts.log ?? (() => {});
  if ((await prisma.merchant.count()) > 0) {
    log('demo seed skipped: the database already has merchants');
    return { seeded: false };
  }
  const now = opts.now ?? new Date();
  const orders = Math.max(0, Math.floor(opts.orders ?? 3000));
  const started = performance.now();

  // The slow, CPU-bound parts happen before the transaction opens.
  const [passwordHash, keys] = await Promise.all([
    hashPassword(DEMO_PASSWORD),
    Promise.all(MERCHANTS.map(async () => ({ merchant: await generateRsaKeyPairAsync(), platform: await generateRsaKeyPairAsync() }))),
  ]);
  log(`demo seed: password hash and ${keys.length * 2} RSA keys in ${elapsed(started)}`);

  const seeded = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if ((await tx.merchant.count()) > 0) return false;
      await seedAll(tx, { secrets: opts.secrets, log, now, orders, passwordHash, keys });
      return true;
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
  if (!seeded) log('demo seed skipped: another process seeded the database meanwhile');
  else log(`demo seed: done in ${elapsed(started)}`);
  return { seeded };
}

interface SeedInput extends MerchantSecrets {
  log: (msg: string) => void;
  now: Date;
  orders: number;
}

async function seedAll(tx: Tx, input: SeedInput): Promise<void> {
  const { log } = input;
  const now = input.now.getTime();
  const t = performance.now();
  const rng = new Rng(0x5eed_2024);

  // Fixtures: catalog, people, merchants, FX rates and risk rules.
  const catalog = await seedCatalog(tx, { rng, secrets: input.secrets, now });
  const { merchants, staff } = await seedMerchantsAndPeople(tx, { ...input, services: catalog.services, now });
  await seedFxRatesAndRiskRules(tx, merchants);
  log(`demo seed: catalog, merchants, apps and users in ${elapsed(t)}`);

  // Scenarios: plan the month of traffic in memory, then write it in bulk.
  const t2 = performance.now();
  const ctx: SeedContext = {
    rng,
    now,
    start: now - WINDOW_DAYS * DAY,
    ...catalog,
    merchants,
    staff,
    orderNos: new Set(),
    txnSeq: 0,
    postingSeq: 0,
  };
  const payins = Array.from({ length: input.orders }, () => planPayin(ctx));
  const payouts = Array.from({ length: Math.round(input.orders / 3) }, () => planPayout(ctx));
  const postings = [...payins.flatMap((p) => p.postings), ...payouts.flatMap((p) => p.postings)].sort(byTime);
  const funding = planFunding(ctx, postings);
  postings.push(...funding.postings);
  postings.sort(byTime);
  assertNeverNegative([...funding.replay, ...postings].sort(byTime));
  log(`demo seed: planned ${payins.length} payins, ${payouts.length} payouts, ${postings.length} postings in ${elapsed(t2)}`);

  const t3 = performance.now();
  await bulkInsert(tx, ORDER_TABLE, payins.map((p) => p.order));
  await bulkInsert(tx, PAYMENT_TABLE, payins.flatMap((p) => p.payments));
  await bulkInsert(tx, ORDER_EVENT_TABLE, payins.flatMap((p) => p.events));
  await bulkInsert(tx, PENDING_SETTLEMENT_TABLE, payins.flatMap((p) => (p.settlement ? [p.settlement] : [])));
  await bulkInsert(tx, PAYOUT_TABLE, payouts.map((p) => p.payout));
  await bulkInsert(tx, PAYOUT_EVENT_TABLE, payouts.flatMap((p) => p.events));
  log(`demo seed: wrote orders, payments, payouts and timelines in ${elapsed(t3)}`);

  // The opening recharges are the month's first merchant movements: made before the other postings.
  const t4 = performance.now();
  await seedOpeningRecharges(tx, ctx, funding.recharges);
  // In time order, so every balance-after is what the account held at that moment.
  for (const [i, p] of postings.entries()) {
    await postTransaction(tx, { ...p.input, occurredAt: new Date(p.at) });
    if ((i + 1) % 1000 === 0) log(`demo seed: posted ${i + 1}/${postings.length} ledger transactions`);
  }
  log(`demo seed: posted ${postings.length} ledger transactions in ${elapsed(t4)}`);

  const t5 = performance.now();
  const lastAt = postings.length > 0 ? postings[postings.length - 1]!.at : now;
  await seedRecentFundRequests(tx, ctx, Math.max(lastAt + SEC, now - 90 * MIN));
  const statements = await catchUpDailyStatements(tx, { now: input.now });
  log(`demo seed: fund requests and ${statements.rows} daily statements in ${elapsed(t5)}`);
}
