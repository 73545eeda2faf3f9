/**
 * Money: the only place that parses and formats amounts.
 *
 * Inside the system an amount is a `bigint` of minor units next to its currency code; the currency's
 * number of fractional digits (IDR 0, CNY 2, USDT 6 …, at most 8) is passed in by the caller. Decimal
 * strings exist only at the edges (REST, GraphQL inputs, forms) and are converted here, exactly: an
 * amount with more fractional digits than its currency allows is rejected, never rounded.
 *
 * JSON numbers: `JSON.parse` has already turned `150.1` into a binary double before we see it. We
 * convert it through `String(n)` (the shortest decimal that round-trips) and accept it only when that
 * text is certainly what the client wrote: no exponent form, and either a safe integer or at most 15
 * significant digits (every decimal of ≤ 15 significant digits survives a round trip through a double).
 * Clients should send amounts as strings (`"150.10"`) to be exact; a number with more digits than a
 * double holds may already have been altered by the JSON parser, which no server can detect.
 */
import { DomainError } from './errors.ts';

/** Largest number of fractional digits a currency may have. */
export const MAX_CURRENCY_DIGITS = 8;
/** Largest number of integer (major-unit) digits an amount may have. */
export const MAX_INTEGER_DIGITS = 18;
/** Largest amount in minor units: what a PostgreSQL BIGINT column holds. */
export const MAX_MINOR_UNITS = 2n ** 63n - 1n;
/** Rates are integer parts per million of the amount: 1% = 10_000 ppm, 0.0001% = 1 ppm. */
export const PPM_PER_UNIT = 1_000_000n;
/** Largest fee rate: 100%. */
export const MAX_RATE_PPM = PPM_PER_UNIT;

export type MoneyParseReason = 'NOT_A_NUMBER' | 'TOO_MANY_DIGITS' | 'NEGATIVE' | 'TOO_LARGE';

/** Thrown by the parsers below; `reason` says why. The REST edge maps it to 40002 with its field name. */
export class MoneyParseError extends DomainError {
  readonly reason: MoneyParseReason;

  constructor(reason: MoneyParseReason, message: string, details?: Record<string, unknown>) {
    super('INVALID_AMOUNT', message, { reason, ...details });
    this.reason = reason;
  }
}

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
const MAX_DOUBLE_EXACT_DIGITS = 15;

/**
 * Parses a non-negative decimal amount (`"150.10"`, `"150"`, or a JSON number) into minor units of a
 * currency with `digits` fractional digits. Throws MoneyParseError.
 */
export function parseAmount(input: string | number, digits: number): bigint {
  assertDigits(digits);
  const text = typeof input === 'number' ? numberToDecimalText(input) : input;
  if (typeof text !== 'string') {
    throw new MoneyParseError('NOT_A_NUMBER', 'amount must be a decimal string or a number');
  }
  return parseDecimal(text, digits);
}

/** Formats minor units as a decimal string with exactly `digits` fractional digits: `15010n, 2 → "150.10"`. */
export function formatAmount(minor: bigint, digits: number): string {
  assertDigits(digits);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString();
  const sign = negative ? '-' : '';
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/** Divides and rounds half away from zero (half-up for non-negative values). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

/**
 * Fee in minor units: `roundHalfUp(amount × ratePpm / 1_000_000) + fixed`, never more than the amount.
 * All inputs are minor units / ppm and must be non-negative.
 */
export function computeFee(amount: bigint, ratePpm: bigint, fixed = 0n): bigint {
  if (amount < 0n) throw new RangeError('computeFee: amount must not be negative');
  if (ratePpm < 0n || ratePpm > MAX_RATE_PPM) throw new RangeError('computeFee: rate must be 0..1_000_000 ppm');
  if (fixed < 0n) throw new RangeError('computeFee: fixed fee must not be negative');
  const fee = divRoundHalfUp(amount * ratePpm, PPM_PER_UNIT) + fixed;
  return fee > amount ? amount : fee;
}

/**
 * Parses a fee rate given in percent with up to 4 decimal places into ppm:
 * `"2.5" → 25000n`, `"0.0125" → 125n`, `"100" → 1000000n`. Rates above 100% are refused.
 */
export function parseRatePercent(input: string | number): bigint {
  const text = typeof input === 'number' ? numberToDecimalText(input) : input;
  if (typeof text !== 'string') {
    throw new MoneyParseError('NOT_A_NUMBER', 'rate must be a decimal string or a number');
  }
  const ppm = parseDecimal(text, 4);
  if (ppm > MAX_RATE_PPM) throw new MoneyParseError('TOO_LARGE', 'rate must not exceed 100%');
  return ppm;
}

/** Formats a rate in ppm as percent without trailing zeros: `25000n → "2.5"`, `10000n → "1"`. */
export function formatRatePercent(ppm: bigint): string {
  const text = formatAmount(ppm, 4);
  return text.replace(/\.?0+$/, '');
}

// ---------------------------------------------------------------------------------------------------
// Amount limits (seed 001): lower = max of the lowers, upper = min of the uppers, 0 = no limit.

/** One source of limits (channel, merchant service, channel-service bound), minor units; 0 = no limit. */
export interface AmountBounds {
  lower: bigint;
  upper: bigint;
}

/** The available range: `upper: null` means unlimited; `empty` when upper < lower. */
export interface AmountRange {
  lower: bigint;
  upper: bigint | null;
  empty: boolean;
}

export type AmountRangeCheck =
  | { ok: true }
  | { ok: false; reason: 'NOT_POSITIVE' | 'BELOW_LOWER' | 'ABOVE_UPPER' | 'EMPTY_RANGE' };

/** The tightest lower bound: the largest of the lowers (0 = no lower limit). */
export function maxBound(lowers: readonly bigint[]): bigint {
  let result = 0n;
  for (const lower of lowers) {
    assertBound(lower);
    if (lower > result) result = lower;
  }
  return result;
}

/** The tightest upper bound: the smallest non-zero upper; null when every upper is 0 (no limit). */
export function minBound(uppers: readonly bigint[]): bigint | null {
  let result: bigint | null = null;
  for (const upper of uppers) {
    assertBound(upper);
    if (upper !== 0n && (result === null || upper < result)) result = upper;
  }
  return result;
}

/** Intersects the bounds of every source into the available range. */
export function intersectLimits(bounds: readonly AmountBounds[]): AmountRange {
  const lower = maxBound(bounds.map((b) => b.lower));
  const upper = minBound(bounds.map((b) => b.upper));
  return { lower, upper, empty: upper !== null && upper < lower };
}

/** Checks a positive amount against an available range (both ends inclusive). */
export function checkAmountInRange(amount: bigint, range: AmountRange): AmountRangeCheck {
  if (range.empty) return { ok: false, reason: 'EMPTY_RANGE' };
  if (amount <= 0n) return { ok: false, reason: 'NOT_POSITIVE' };
  if (amount < range.lower) return { ok: false, reason: 'BELOW_LOWER' };
  if (range.upper !== null && amount > range.upper) return { ok: false, reason: 'ABOVE_UPPER' };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------

function parseDecimal(text: string, digits: number): bigint {
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  const match = DECIMAL.exec(unsigned);
  if (!match) {
    throw new MoneyParseError('NOT_A_NUMBER', `not a plain decimal number: ${JSON.stringify(truncate(text))}`);
  }
  if (unsigned !== text) throw new MoneyParseError('NEGATIVE', 'amount must not be negative');
  const integerPart = (match[1] ?? '').replace(/^0+(?=[0-9])/, '');
  const fractionPart = match[2] ?? '';
  if (fractionPart.length > digits) {
    throw new MoneyParseError('TOO_MANY_DIGITS', `at most ${digits} fractional digits allowed`, { digits });
  }
  if (integerPart.length > MAX_INTEGER_DIGITS) {
    throw new MoneyParseError('TOO_LARGE', `at most ${MAX_INTEGER_DIGITS} integer digits allowed`);
  }
  const minor = BigInt(integerPart + fractionPart.padEnd(digits, '0'));
  if (minor > MAX_MINOR_UNITS) throw new MoneyParseError('TOO_LARGE', 'amount too large');
  return minor;
}

/** The exact decimal text of a JSON number, or a MoneyParseError when it cannot be trusted. */
function numberToDecimalText(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyParseError('NOT_A_NUMBER', 'amount must be a finite number');
  if (n < 0 || Object.is(n, -0)) throw new MoneyParseError('NEGATIVE', 'amount must not be negative');
  const text = String(n);
  if (/e/i.test(text)) {
    if (n >= 1) throw new MoneyParseError('TOO_LARGE', 'amount too large');
    throw new MoneyParseError('NOT_A_NUMBER', 'amount in exponent notation; send it as a decimal string');
  }
  if (!Number.isSafeInteger(n) && significantDigits(text) > MAX_DOUBLE_EXACT_DIGITS) {
    throw new MoneyParseError(
      'TOO_LARGE',
      `a JSON number with more than ${MAX_DOUBLE_EXACT_DIGITS} significant digits is not exact; send it as a decimal string`,
    );
  }
  return text;
}

function significantDigits(text: string): number {
  return text.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

function assertDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > MAX_CURRENCY_DIGITS) {
    throw new RangeError(`currency digits must be an integer 0..${MAX_CURRENCY_DIGITS}, got ${digits}`);
  }
}

function assertBound(bound: bigint): void {
  if (bound < 0n) throw new RangeError('amount bounds must not be negative');
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
