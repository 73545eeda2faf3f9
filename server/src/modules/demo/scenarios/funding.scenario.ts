/**
 * Funding of the demo month: replays the planned postings in memory to size the opening merchant
 * recharges and channel floats so no merchant or channel balance ever goes negative.
 */
import { accountKey, channelAccount, displayBalance, merchantAccount, platformAccount } from '../../ledger/ledger.service.ts';
import { byTime, posting, type PlannedPosting, type SeedContext } from '../demo-context.ts';
import { roundUp } from '../demo-routing.ts';
import { HOUR, MIN } from '../demo-time.ts';
import { USDT, type CurrencySpec } from '../fixtures/catalog.fixture.ts';
import type { MerchantRow } from '../fixtures/merchants.fixture.ts';

/** Opening float a merchant recharges for payouts, at least (minor units). */
const RECHARGE_BASELINE: ReadonlyMap<string, bigint> = new Map([
  ['CNY', 200_000_00n],
  ['THB', 500_000_00n],
  ['BRL', 50_000_00n],
  ['USDT', 20_000n * USDT],
]);

/** An opening recharge, made through the funds module (request, then finance's approval) before the month's postings. */
export interface PlannedRecharge {
  merchant: MerchantRow;
  currency: CurrencySpec;
  amount: bigint;
  reference: string;
  note: string;
  /** When finance approved it; the merchant asked 3 hours earlier. */
  at: number;
}

/**
 * Replays the postings in memory to find how far each merchant AVAILABLE and channel BALANCE account would
 * dip below zero, then funds them before the month starts: a recharge per merchant and payout currency
 * (merchant AVAILABLE credited against platform CLEARING, as approving a recharge does), and a platform
 * adjustment for any channel short of float. `replay` holds the recharges' ledger effect for the
 * in-memory checks; the recharges themselves go through the funds module (seedOpeningRecharges).
 */
export function planFunding(ctx: SeedContext, postings: PlannedPosting[]): { postings: PlannedPosting[]; recharges: PlannedRecharge[]; replay: PlannedPosting[] } {
  const { rng } = ctx;
  const low = lowestBalances(postings);
  const result: PlannedPosting[] = [];
  const recharges: PlannedRecharge[] = [];
  const replay: PlannedPosting[] = [];
  const rechargeAt = ctx.start - 2 * HOUR;

  for (const [index, m] of ctx.merchants.entries()) {
    const currencies = [...new Set(m.payouts.map((s) => s.service.spec.currency))];
    for (const code of currencies) {
      const currency = ctx.currencies.get(code)!;
      const deficit = -(low.get(accountKey(merchantAccount(m.id, code, 'AVAILABLE'))) ?? 0n);
      const wanted = (deficit * 115n) / 100n;
      const baseline = RECHARGE_BASELINE.get(code) ?? 0n;
      const step = 10_000n * 10n ** BigInt(currency.digits);
      const amount = roundUp(wanted > baseline ? wanted : baseline, step);
      const channels = m.payouts.filter((s) => s.service.spec.currency === code).flatMap((s) => ctx.bindings.get(s.service.spec.code) ?? []);
      const channel = channels.reduce((a, b) => ((low.get(accountKey(channelAccount(b.channel.id, code))) ?? 0n) < (low.get(accountKey(channelAccount(a.channel.id, code))) ?? 0n) ? b : a)).channel;
      const at = rechargeAt + index * 10 * MIN + recharges.length * MIN;
      recharges.push({ merchant: m, currency, amount, reference: `TRX${rng.digits(12)}`, note: `Opening payout float for ${channel.code} payouts`, at });
      replay.push(posting(ctx, at, {
        kind: 'RECHARGE', idempotencyKey: `plan:recharge:${m.id}:${code}`, test: false,
        lines: [
          { account: platformAccount(code, 'CLEARING'), amount: -amount },
          { account: merchantAccount(m.id, code, 'AVAILABLE'), amount },
        ],
      }));
    }
  }

  // Channels short of float get it from the platform.
  const lowAfter = lowestBalances([...replay, ...postings].sort(byTime));
  for (const channel of ctx.channels.values()) {
    const code = channel.spec.currency;
    const deficit = -(lowAfter.get(accountKey(channelAccount(channel.id, code))) ?? 0n);
    if (deficit <= 0n) continue;
    const digits = ctx.currencies.get(code)!.digits;
    const amount = roundUp((deficit * 110n) / 100n, 10_000n * 10n ** BigInt(digits));
    result.push(posting(ctx, ctx.start - 3 * HOUR, {
      kind: 'ADJUSTMENT', idempotencyKey: `adjustment:channel-float:${channel.id}`, test: false, referenceType: 'CHANNEL', referenceId: channel.id,
      description: `Platform float for ${channel.spec.code}`,
      lines: [
        { account: channelAccount(channel.id, code), amount: -amount },
        { account: platformAccount(code, 'ADJUSTMENT'), amount },
      ],
    }));
  }
  return { postings: result, recharges, replay };
}

/** The lowest displayed balance each account reaches when `postings` (in time order) are applied (0 if never lower). */
function lowestBalances(postings: PlannedPosting[]): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  const low = new Map<string, bigint>();
  for (const p of postings) {
    for (const line of p.input.lines) {
      // The books are apart: a test account is another account than its live namesake.
      const key = accountKey(line.account) + (p.input.test ? ':test' : '');
      const after = (balances.get(key) ?? 0n) + line.amount;
      balances.set(key, after);
      const shown = displayBalance(line.account.kind, after);
      if (shown < (low.get(key) ?? 0n)) low.set(key, shown);
    }
  }
  return low;
}

export function assertNeverNegative(postings: PlannedPosting[]): void {
  for (const [key, value] of lowestBalances(postings)) {
    const kind = key.split(':')[3];
    if (kind !== 'FEES' && kind !== 'ADJUSTMENT' && kind !== 'CLEARING' && value < 0n) {
      throw new Error(`demo seed bug: ${key} would reach ${value}`);
    }
  }
}
