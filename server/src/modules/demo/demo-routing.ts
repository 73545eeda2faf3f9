/** Amounts and channels of demo orders: drawn around a median, routed like the router would (seed 001 limits). */
import { checkAmountInRange, intersectLimits, type AmountRange } from '../../lib/money.ts';
import type { Binding, CurrencySpec } from './fixtures/catalog.fixture.ts';
import type { MerchantServiceRow } from './fixtures/merchants.fixture.ts';
import type { SeedContext } from './demo-context.ts';
import type { Rng } from './demo-rng.ts';

/** Draws an amount within `range` around `median` and routes it like the router would (seed 001 limits). */
export function pickAmountAndChannel(ctx: SeedContext, ms: MerchantServiceRow, bounds: { lower: bigint; upper: bigint }, median: bigint): { amount: bigint; binding: Binding } {
  const { rng } = ctx;
  const currency = ctx.currencies.get(ms.service.spec.currency)!;
  const candidates = ctx.bindings.get(ms.service.spec.code) ?? [];
  const range = intersectLimits([bounds, { lower: ms.spec.lower, upper: ms.spec.upper }]);
  for (let attempt = 0; attempt < 40; attempt++) {
    const amount = sampleAmount(rng, median, range, currency);
    const binding = route(rng, candidates, amount);
    if (binding) return { amount, binding };
  }
  for (const binding of candidates) {
    const r = intersectLimits([
      { lower: range.lower, upper: range.upper ?? 0n },
      { lower: binding.range.lower, upper: binding.range.upper ?? 0n },
    ]);
    const amount = r.lower > 0n ? r.lower : minorStep(currency);
    if (!r.empty && checkAmountInRange(amount, r).ok) return { amount, binding };
  }
  throw new Error(`demo seed bug: no channel can carry ${ms.service.spec.code} within its limits`);
}

function route(rng: Rng, candidates: Binding[], amount: bigint): Binding | null {
  const fits = candidates.filter((b) => checkAmountInRange(amount, b.range).ok);
  if (fits.length === 0) return null;
  const top = Math.min(...fits.map((b) => b.priority));
  return rng.weighted(
    fits.filter((b) => b.priority === top),
    (b) => b.weight,
  );
}

/** Log-normal around the median, rounded like people pay (whole or round amounts mostly), clamped to the range. */
function sampleAmount(rng: Rng, median: bigint, range: AmountRange, currency: CurrencySpec): bigint {
  // money-lint-allow: a random draw for demo data, rounded back to an exact bigint step below
  const raw = Number(median) * Math.exp(0.85 * rng.normal());
  const step = amountStep(rng, currency);
  let amount = BigInt(Math.max(1, Math.round(raw / Number(step)))) * step; // money-lint-allow: see above
  if (amount < range.lower) amount = roundUp(range.lower, step);
  if (range.upper !== null && amount > range.upper) amount = roundDown(range.upper, step);
  if (amount < range.lower || (range.upper !== null && amount > range.upper) || amount <= 0n) amount = range.lower > 0n ? range.lower : 1n;
  return amount;
}

function amountStep(rng: Rng, currency: CurrencySpec): bigint {
  const unit = 10n ** BigInt(currency.digits);
  if (currency.digits === 0) return rng.chance(0.6) ? 10_000n : 1_000n;
  if (currency.crypto) return rng.chance(0.5) ? unit : unit / 100n;
  const r = rng.next();
  return r < 0.55 ? 10n * unit : r < 0.85 ? unit : 1n;
}

/** The smallest amount people use for the currency (0.01 of a fiat unit, 1 of a 0-digit currency, 0.01 USDT). */
export function minorStep(currency: CurrencySpec): bigint {
  return currency.digits === 0 ? 1n : 10n ** BigInt(Math.max(0, currency.digits - 2));
}

export const roundDown = (v: bigint, step: bigint): bigint => (v / step) * step;
export const roundUp = (v: bigint, step: bigint): bigint => ((v + step - 1n) / step) * step;

