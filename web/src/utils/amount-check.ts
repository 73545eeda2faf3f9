import { minorToDecimal, parseDecimal } from '@/utils/money';

/**
 * The one check of a typed amount before it is sent, exactly (bigint minor units, never a float):
 * a plain decimal (grouping commas allowed), no more fractional digits than the currency has
 * (refused, never rounded), not zero unless `zero`, inside the optional bounds. Empty is REQUIRED
 * unless `optional`; `signed` allows a leading minus (balance adjustments).
 */
export type AmountProblem = 'REQUIRED' | 'FORMAT' | 'TOO_MANY_DIGITS' | 'ZERO' | 'BELOW_MIN' | 'ABOVE_MAX';

export interface AmountCheck {
  problem: AmountProblem | null;
  /** Minor units when the text is a valid amount (also when a bound is broken). */
  units: bigint | null;
  /** The normalised decimal string to send (exactly the currency's digits); null when empty or wrong. */
  value: string | null;
}

export interface AmountCheckOptions {
  optional?: boolean;
  zero?: boolean;
  signed?: boolean;
  min?: bigint | null;
  max?: bigint | null;
}

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

export function checkAmount(text: string | null | undefined, digits: number, opts: AmountCheckOptions = {}): AmountCheck {
  const raw = (text ?? '').trim();
  if (raw === '') return { problem: opts.optional ? null : 'REQUIRED', units: null, value: null };
  const negative = opts.signed === true && raw.startsWith('-');
  const body = (negative ? raw.slice(1).trim() : raw).replace(/,/g, '');
  if (!PLAIN_DECIMAL.test(body)) return { problem: 'FORMAT', units: null, value: null };
  const magnitude = parseDecimal(body, digits);
  if (magnitude === null) return { problem: 'TOO_MANY_DIGITS', units: null, value: null };
  const units = negative ? -magnitude : magnitude;
  if (units === 0n && !opts.zero) return { problem: 'ZERO', units, value: null };
  if (opts.min !== null && opts.min !== undefined && units < opts.min) return { problem: 'BELOW_MIN', units, value: null };
  if (opts.max !== null && opts.max !== undefined && units > opts.max) return { problem: 'ABOVE_MAX', units, value: null };
  return { problem: null, units, value: minorToDecimal(units, digits) };
}
