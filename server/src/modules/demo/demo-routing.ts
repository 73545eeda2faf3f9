/**
 * Amounts and channels of demo orders: an amount drawn around a median, routed by the router itself
 * (`decideRoute` over the bindings as routing loads them: the seed-001 limits of channel, merchant
 * service and binding, then priority, then weight), with the seed's generator as its random source so
 * the demo is the same on every run.
 */
import { DomainError } from '../../lib/errors.ts';
import { intersectLimits, type AmountRange } from '../../lib/money.ts';
import { intersectSources } from '../limits/limits.service.ts';
import { supportsPayouts } from '../routing/connectors/connector.ts';
import { getConnector } from '../routing/connectors/registry.ts';
import { decideRoute, type RoutingDecision } from '../routing/routing.service.ts';
import type { ChannelRow, CurrencySpec, RoutableBinding } from './fixtures/catalog.fixture.ts';
import type { MerchantServiceRow } from './fixtures/merchants.fixture.ts';
import type { SeedContext } from './demo-context.ts';
import type { Rng } from './demo-rng.ts';

export interface RoutedAmount {
  amount: bigint;
  /** The chosen channel's demo fixture. */
  channel: ChannelRow;
  /** The router's decision; its `reason` is what the ROUTED timeline event records. */
  route: RoutingDecision;
}

/**
 * Draws an amount within `bounds` ∩ the merchant service's limits around `median` and routes it. Payouts
 * admit only connectors that send payouts, as `choosePayoutChannel` does; channel balances are not
 * checked here, because the funding scenario gives every channel the float its payouts need.
 */
export function pickAmountAndChannel(ctx: SeedContext, ms: MerchantServiceRow, bounds: { lower: bigint; upper: bigint }, median: bigint): RoutedAmount {
  const currency = ctx.currencies.get(ms.service.spec.currency)!;
  const bindings = ctx.bindings.get(ms.service.spec.code) ?? [];
  const range = intersectLimits([bounds, { lower: ms.spec.lower, upper: ms.spec.upper }]);
  const routed = (amount: bigint): RoutedAmount | null => {
    const route = routeOrNull(ctx, ms, bindings, amount, currency);
    return route ? { amount, channel: ctx.channels.get(route.channel.id)!, route } : null;
  };
  for (let attempt = 0; attempt < 40; attempt++) {
    const result = routed(sampleAmount(ctx.rng, median, range, currency));
    if (result) return result;
  }
  // Rarely needed: the lowest amount within the range that some channel admits.
  for (const b of bindings) {
    const channelRange = intersectSources({
      channel: { lower: b.channel.paymentLowerBound, upper: b.channel.paymentUpperBound },
      service: { lower: ms.row.singleLimitLower, upper: ms.row.singleLimitUpper },
      binding: { lower: b.lowerBound, upper: b.upperBound },
    });
    const r = intersectLimits([
      { lower: range.lower, upper: range.upper ?? 0n },
      { lower: channelRange.lower, upper: channelRange.upper ?? 0n },
    ]);
    if (r.empty) continue;
    const result = routed(r.lower > 0n ? r.lower : minorStep(currency));
    if (result) return result;
  }
  throw new Error(`demo seed bug: no channel can carry ${ms.service.spec.code} within its limits`);
}

/** The router's decision, or null when no channel admits the amount (the draw is then repeated). */
function routeOrNull(ctx: SeedContext, ms: MerchantServiceRow, bindings: readonly RoutableBinding[], amount: bigint, currency: CurrencySpec): RoutingDecision | null {
  try {
    return decideRoute(bindings, {
      merchantService: ms.row,
      service: ms.service.row,
      amount,
      digits: currency.digits,
      randomInt: (max) => ctx.rng.int(0, max - 1),
      ...(ms.service.spec.direction === 'PAYOUT' ? { connectorOk: (kind: string) => supportsPayouts(getConnector(kind)) } : {}),
    });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'AMOUNT_OUT_OF_RANGE') return null;
    throw error;
  }
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

