import { parseDecimal } from '@/utils/money';

/**
 * Checks a typed amount before it is sent, exactly (bigint minor units, never a float): a plain
 * decimal, no more fractional digits than the currency has (rejected, not rounded), above zero, and
 * inside the optional bounds. `signed` allows a leading minus (balance adjustments); zero is refused.
 */
export type AmountProblem = 'REQUIRED' | 'FORMAT' | 'TOO_MANY_DIGITS' | 'ZERO' | 'BELOW_MIN' | 'ABOVE_MAX';

export interface AmountCheck {
  /** Minor units when the text is a valid amount (also when a bound is broken). */
  units: bigint | null;
  problem: AmountProblem | null;
}

export function checkAmount(
  text: string | null | undefined,
  digits: number,
  opts: { min?: bigint | null; max?: bigint | null; signed?: boolean } = {},
): AmountCheck {
  const raw = (text ?? '').trim();
  if (raw === '') return { units: null, problem: 'REQUIRED' };
  const negative = opts.signed === true && raw.startsWith('-');
  const body = negative ? raw.slice(1).trim() : raw;
  const units = parseDecimal(body, digits);
  if (units === null) {
    // Valid with more digits: the currency's precision is the problem, not the format.
    return { units: null, problem: parseDecimal(body, 18) !== null ? 'TOO_MANY_DIGITS' : 'FORMAT' };
  }
  if (units === 0n) return { units, problem: 'ZERO' };
  const signedUnits = negative ? -units : units;
  if (opts.min !== null && opts.min !== undefined && signedUnits < opts.min) return { units: signedUnits, problem: 'BELOW_MIN' };
  if (opts.max !== null && opts.max !== undefined && signedUnits > opts.max) return { units: signedUnits, problem: 'ABOVE_MAX' };
  return { units: signedUnits, problem: null };
}
