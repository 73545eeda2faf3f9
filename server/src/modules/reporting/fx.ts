import type { Db } from '../../db/prisma.ts';
import { divRoundHalfUp } from '../../lib/money.ts';

/**
 * Display-currency conversion for the dashboard. FX rates are display-only (they never move money):
 * an amount in minor units of one currency becomes minor units of the display currency by integer
 * arithmetic, rounded half-up. A stored rate `base → quote` converts base into quote; the display
 * currency as the base is used inverted when no direct rate exists.
 */

const RATE_SCALE_DIGITS = 12;
const RATE = /^(\d{1,18})(?:\.(\d{1,12}))?$/;

/** A decimal rate string (≤ 12 fractional digits, the FxRate column's scale) as an integer × 10^12. */
export function scaleRate(rate: string): bigint {
  const m = RATE.exec(rate);
  if (!m) throw new RangeError(`not a rate: ${rate}`);
  return BigInt(m[1]! + (m[2] ?? '').padEnd(RATE_SCALE_DIGITS, '0'));
}

export interface Conversion {
  /** Scaled rate: one unit of the source currency = rate / 10^12 units of the display currency. */
  rate: bigint;
  inverse: boolean;
}

/**
 * Converts minor units of a currency with `fromDigits` into minor units of the display currency with
 * `toDigits`, rounded half-up. `inverse`: the stored rate is display→source, so divide by it.
 */
export function convertMinor(minor: bigint, fromDigits: number, toDigits: number, conversion: Conversion): bigint {
  const scale = 10n ** BigInt(RATE_SCALE_DIGITS);
  const shiftUp = 10n ** BigInt(Math.max(0, toDigits - fromDigits));
  const shiftDown = 10n ** BigInt(Math.max(0, fromDigits - toDigits));
  if (conversion.rate === 0n) throw new RangeError('zero rate');
  return conversion.inverse
    ? divRoundHalfUp(minor * scale * shiftUp, conversion.rate * shiftDown)
    : divRoundHalfUp(minor * conversion.rate * shiftUp, scale * shiftDown);
}

/** Conversion of a currency into itself. */
export const IDENTITY: Conversion = { rate: 10n ** BigInt(RATE_SCALE_DIGITS), inverse: false };

/**
 * The conversions into `displayCurrency` known from the FX rates, by source currency: a rate quoted in
 * the display currency is used as it is; otherwise a non-zero rate based on it, inverted.
 */
export async function conversionsInto(db: Db, displayCurrency: string): Promise<Map<string, Conversion>> {
  const rates = await db.fxRate.findMany({
    where: { OR: [{ quote: displayCurrency }, { base: displayCurrency }] },
    select: { base: true, quote: true, rate: true },
  });
  const conversions = new Map<string, Conversion>();
  for (const r of rates) {
    if (r.quote === displayCurrency) conversions.set(r.base, { rate: scaleRate(r.rate.toFixed()), inverse: false });
  }
  for (const r of rates) {
    if (r.base === displayCurrency && !conversions.has(r.quote) && !r.rate.isZero()) {
      conversions.set(r.quote, { rate: scaleRate(r.rate.toFixed()), inverse: true });
    }
  }
  return conversions;
}
