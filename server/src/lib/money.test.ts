import { describe, it, expect } from 'vitest';
import { isDomainError } from './errors.ts';
import {
  MAX_MINOR_UNITS,
  MoneyParseError,
  checkAmountInRange,
  computeFee,
  divRoundHalfUp,
  formatAmount,
  formatRatePercent,
  intersectLimits,
  maxBound,
  minBound,
  parseAmount,
  parseRatePercent,
  type MoneyParseReason,
} from './money.ts';

function reasonOf(fn: () => unknown): MoneyParseReason | 'NO_ERROR' {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyParseError) return error.reason;
    throw error;
  }
  return 'NO_ERROR';
}

describe('parseAmount', () => {
  it('parses decimal strings into minor units', () => {
    expect(parseAmount('150.00', 2)).toBe(15000n);
    expect(parseAmount('150.1', 2)).toBe(15010n);
    expect(parseAmount('150', 2)).toBe(15000n);
    expect(parseAmount('0.01', 2)).toBe(1n);
    expect(parseAmount('0', 2)).toBe(0n);
    expect(parseAmount('10000', 0)).toBe(10000n);
    expect(parseAmount('1.000001', 6)).toBe(1000001n);
    expect(parseAmount('0.00000001', 8)).toBe(1n);
    expect(parseAmount('007.5', 2)).toBe(750n);
  });

  it('parses JSON numbers through their exact decimal text', () => {
    expect(parseAmount(150.1, 2)).toBe(15010n);
    expect(parseAmount(0.1, 2)).toBe(10n);
    expect(parseAmount(150, 0)).toBe(150n);
    expect(parseAmount(0.29, 2)).toBe(29n); // 0.29 * 100 = 28.999999999999996 as floats
    expect(parseAmount(1.005, 3)).toBe(1005n);
    expect(parseAmount(JSON.parse('{"a": 150.10}').a as number, 2)).toBe(15010n);
    expect(parseAmount(Number.MAX_SAFE_INTEGER, 0)).toBe(9007199254740991n);
    expect(parseAmount(123456789012.345, 3)).toBe(123456789012345n); // 15 significant digits
  });

  it('rejects what is not a plain decimal', () => {
    for (const input of [
      '', ' ', ' 1', '1 ', '+1', '1e5', '1E5', '1.', '.5', '1..2', '1,000', '1_000', '0x10', 'NaN', 'Infinity',
      '-', '--1', '١٢٣', '１２', '1.2.3', 'abc', '12a', '\n1',
    ]) {
      expect(reasonOf(() => parseAmount(input, 2)), JSON.stringify(input)).toBe('NOT_A_NUMBER');
    }
    expect(reasonOf(() => parseAmount(Number.NaN, 2))).toBe('NOT_A_NUMBER');
    expect(reasonOf(() => parseAmount(Number.POSITIVE_INFINITY, 2))).toBe('NOT_A_NUMBER');
    expect(reasonOf(() => parseAmount(1e-7, 8))).toBe('NOT_A_NUMBER'); // String(1e-7) === '1e-7'
    expect(reasonOf(() => parseAmount(null as unknown as string, 2))).toBe('NOT_A_NUMBER');
    expect(reasonOf(() => parseAmount({} as unknown as string, 2))).toBe('NOT_A_NUMBER');
  });

  it('rejects negatives', () => {
    expect(reasonOf(() => parseAmount('-1', 2))).toBe('NEGATIVE');
    expect(reasonOf(() => parseAmount('-0', 2))).toBe('NEGATIVE');
    expect(reasonOf(() => parseAmount('-0.01', 2))).toBe('NEGATIVE');
    expect(reasonOf(() => parseAmount(-1, 2))).toBe('NEGATIVE');
    expect(reasonOf(() => parseAmount(-0, 2))).toBe('NEGATIVE');
    expect(reasonOf(() => parseAmount(Number.NEGATIVE_INFINITY, 2))).toBe('NOT_A_NUMBER');
  });

  it('rejects more fractional digits than the currency has, never rounds', () => {
    expect(reasonOf(() => parseAmount('150.001', 2))).toBe('TOO_MANY_DIGITS');
    expect(reasonOf(() => parseAmount('150.000', 2))).toBe('TOO_MANY_DIGITS');
    expect(reasonOf(() => parseAmount('150.0', 0))).toBe('TOO_MANY_DIGITS');
    expect(reasonOf(() => parseAmount('0.0000001', 6))).toBe('TOO_MANY_DIGITS');
    expect(reasonOf(() => parseAmount(150.001, 2))).toBe('TOO_MANY_DIGITS');
    expect(reasonOf(() => parseAmount(0.1, 0))).toBe('TOO_MANY_DIGITS');
  });

  it('rejects amounts that are too large', () => {
    expect(parseAmount('999999999999999999', 0)).toBe(999_999_999_999_999_999n); // 18 digits
    expect(reasonOf(() => parseAmount('1000000000000000000', 0))).toBe('TOO_LARGE'); // 19 digits
    expect(parseAmount('0001000000000000000', 0)).toBe(1_000_000_000_000_000n); // leading zeros do not count
    expect(reasonOf(() => parseAmount(`1${'0'.repeat(100)}`, 2))).toBe('TOO_LARGE');
    // 18 integer digits with 8 fractional digits would not fit a BIGINT column
    expect(reasonOf(() => parseAmount('999999999999999999.5', 8))).toBe('TOO_LARGE');
    expect(parseAmount('92233720368.54775807', 8)).toBe(MAX_MINOR_UNITS);
    expect(reasonOf(() => parseAmount('92233720368.54775808', 8))).toBe('TOO_LARGE');
    expect(reasonOf(() => parseAmount(1e21, 0))).toBe('TOO_LARGE'); // String(1e21) === '1e+21'
    expect(reasonOf(() => parseAmount(1e20, 0))).toBe('TOO_LARGE'); // 21 integer digits
    // beyond 2^53 the JSON parser has already changed the digits: refuse rather than guess
    expect(reasonOf(() => parseAmount(12345678901234567, 0))).toBe('TOO_LARGE');
    expect(reasonOf(() => parseAmount(12345678901234.56, 2))).toBe('TOO_LARGE');
  });

  it('throws a DomainError with code INVALID_AMOUNT and the reason in details', () => {
    try {
      parseAmount('1.234', 2);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'INVALID_AMOUNT')).toBe(true);
      expect((error as MoneyParseError).details).toMatchObject({ reason: 'TOO_MANY_DIGITS', digits: 2 });
    }
  });

  it('refuses invalid currency digits as a programming error', () => {
    expect(() => parseAmount('1', 9)).toThrow(RangeError);
    expect(() => parseAmount('1', -1)).toThrow(RangeError);
    expect(() => parseAmount('1', 1.5)).toThrow(RangeError);
    expect(() => formatAmount(1n, 9)).toThrow(RangeError);
  });
});

describe('formatAmount', () => {
  it('always shows the currency digits', () => {
    expect(formatAmount(15000n, 2)).toBe('150.00');
    expect(formatAmount(15010n, 2)).toBe('150.10');
    expect(formatAmount(1n, 2)).toBe('0.01');
    expect(formatAmount(0n, 2)).toBe('0.00');
    expect(formatAmount(0n, 0)).toBe('0');
    expect(formatAmount(10000n, 0)).toBe('10000');
    expect(formatAmount(1n, 6)).toBe('0.000001');
    expect(formatAmount(123456789n, 8)).toBe('1.23456789');
    expect(formatAmount(MAX_MINOR_UNITS, 2)).toBe('92233720368547758.07');
  });

  it('puts a leading minus on negative values', () => {
    expect(formatAmount(-15000n, 2)).toBe('-150.00');
    expect(formatAmount(-1n, 2)).toBe('-0.01');
    expect(formatAmount(-5n, 0)).toBe('-5');
  });
});

describe('format/parse round trips', () => {
  it('parse(format(minor)) === minor for many values and all digits', () => {
    let seed = 0x2545f491n;
    const next = (): bigint => {
      // deterministic 64-bit LCG so failures are reproducible
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
      return seed;
    };
    for (let digits = 0; digits <= 8; digits++) {
      const special = [0n, 1n, 9n, 10n, 99n, 100n, 101n, 10n ** BigInt(digits), 10n ** BigInt(digits) - 1n];
      for (const minor of special) expect(parseAmount(formatAmount(minor, digits), digits)).toBe(minor);
      for (let i = 0; i < 2000; i++) {
        const limit = 10n ** BigInt(Math.min(18, 10 + digits));
        const minor = next() % limit;
        expect(parseAmount(formatAmount(minor, digits), digits)).toBe(minor);
      }
    }
  });

  it('format(parse(text)) === text for canonical decimal strings', () => {
    for (let digits = 0; digits <= 8; digits++) {
      for (let i = 0; i < 1000; i++) {
        const integer = String(Math.floor(Math.random() * 10 ** Math.min(12, 18 - digits)));
        const fraction = Array.from({ length: digits }, () => String(Math.floor(Math.random() * 10))).join('');
        const text = digits === 0 ? integer : `${integer}.${fraction}`;
        expect(formatAmount(parseAmount(text, digits), digits)).toBe(text);
      }
    }
  });

  it('JSON numbers with two decimals convert exactly (no float drift)', () => {
    for (let cents = 0; cents < 100_000; cents += 7) {
      const text = formatAmount(BigInt(cents), 2);
      expect(parseAmount(Number(text), 2)).toBe(BigInt(cents));
    }
  });
});

describe('divRoundHalfUp', () => {
  it('rounds half away from zero', () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divRoundHalfUp(14n, 10n)).toBe(1n);
    expect(divRoundHalfUp(-5n, 10n)).toBe(-1n);
    expect(divRoundHalfUp(-4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(5n, -10n)).toBe(-1n);
    expect(divRoundHalfUp(0n, 7n)).toBe(0n);
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('rates', () => {
  it('parses percent with up to 4 decimals into ppm', () => {
    expect(parseRatePercent('2.5')).toBe(25000n);
    expect(parseRatePercent('0.0125')).toBe(125n);
    expect(parseRatePercent('0.0001')).toBe(1n);
    expect(parseRatePercent('0')).toBe(0n);
    expect(parseRatePercent('100')).toBe(1_000_000n);
    expect(parseRatePercent(2.5)).toBe(25000n);
  });

  it('rejects malformed, too precise, negative or over-100% rates', () => {
    expect(reasonOf(() => parseRatePercent('0.00001'))).toBe('TOO_MANY_DIGITS');
    expect(reasonOf(() => parseRatePercent('-1'))).toBe('NEGATIVE');
    expect(reasonOf(() => parseRatePercent('100.0001'))).toBe('TOO_LARGE');
    expect(reasonOf(() => parseRatePercent('2.5%'))).toBe('NOT_A_NUMBER');
    expect(reasonOf(() => parseRatePercent(''))).toBe('NOT_A_NUMBER');
  });

  it('formats ppm as percent without trailing zeros', () => {
    expect(formatRatePercent(25000n)).toBe('2.5');
    expect(formatRatePercent(125n)).toBe('0.0125');
    expect(formatRatePercent(10000n)).toBe('1');
    expect(formatRatePercent(100000n)).toBe('10');
    expect(formatRatePercent(1_000_000n)).toBe('100');
    expect(formatRatePercent(0n)).toBe('0');
    expect(formatRatePercent(100n)).toBe('0.01');
    expect(formatRatePercent(1n)).toBe('0.0001');
  });

  it('round-trips every ppm value in a range', () => {
    for (let ppm = 0n; ppm <= 30_000n; ppm += 1n) expect(parseRatePercent(formatRatePercent(ppm))).toBe(ppm);
  });
});

describe('computeFee', () => {
  it('is percentage rounded half up plus fixed', () => {
    expect(computeFee(15000n, 25000n)).toBe(375n); // 150.00 at 2.5% = 3.75
    expect(computeFee(15000n, 25000n, 100n)).toBe(475n); // + 1.00 fixed
    expect(computeFee(20n, 25000n)).toBe(1n); // 0.5 → 1 (half up)
    expect(computeFee(19n, 25000n)).toBe(0n); // 0.475 → 0
    expect(computeFee(100n, 125n)).toBe(0n); // 0.0125 → 0
    expect(computeFee(40n, 125000n)).toBe(5n); // 12.5% of 40 = 5
    expect(computeFee(12n, 125000n)).toBe(2n); // 1.5 → 2
    expect(computeFee(10n ** 18n, 1n)).toBe(10n ** 12n);
  });

  it('never exceeds the amount', () => {
    expect(computeFee(50n, 25000n, 100n)).toBe(50n);
    expect(computeFee(0n, 25000n, 100n)).toBe(0n);
    expect(computeFee(100n, 1_000_000n, 1n)).toBe(100n);
  });

  it('is zero with no rate and no fixed part', () => {
    expect(computeFee(123456n, 0n)).toBe(0n);
  });

  it('refuses negative inputs and rates above 100%', () => {
    expect(() => computeFee(-1n, 0n)).toThrow(RangeError);
    expect(() => computeFee(1n, -1n)).toThrow(RangeError);
    expect(() => computeFee(1n, 1_000_001n)).toThrow(RangeError);
    expect(() => computeFee(1n, 0n, -1n)).toThrow(RangeError);
  });

  it('is monotonic in the amount and between 0 and the amount', () => {
    let previous = 0n;
    for (let amount = 0n; amount < 5000n; amount += 1n) {
      const fee = computeFee(amount, 33333n, 3n);
      expect(fee >= previous).toBe(true);
      expect(fee >= 0n && fee <= amount).toBe(true);
      previous = fee;
    }
  });
});

describe('amount limits (seed 001)', () => {
  const cny = (text: string): bigint => parseAmount(text, 2);
  const bounds = (lower: string, upper: string) => ({ lower: cny(lower), upper: cny(upper) });

  it('example 1: channel 100–50,000 & service 500–20,000 → 500–20,000', () => {
    const range = intersectLimits([bounds('100', '50000'), bounds('500', '20000')]);
    expect(range).toEqual({ lower: cny('500'), upper: cny('20000'), empty: false });
  });

  it('example 2: channel 100–0 (no upper) & service 500–20,000 → 500–20,000', () => {
    const range = intersectLimits([bounds('100', '0'), bounds('500', '20000')]);
    expect(range).toEqual({ lower: cny('500'), upper: cny('20000'), empty: false });
  });

  it('example 3: channel 10,000–50,000 & service 100–5,000 → no available range', () => {
    const range = intersectLimits([bounds('10000', '50000'), bounds('100', '5000')]);
    expect(range.empty).toBe(true);
    expect(range).toEqual({ lower: cny('10000'), upper: cny('5000'), empty: true });
    expect(checkAmountInRange(cny('7000'), range)).toEqual({ ok: false, reason: 'EMPTY_RANGE' });
  });

  it('takes the service bound of the channel into account (three sources)', () => {
    const range = intersectLimits([bounds('100', '50000'), bounds('500', '20000'), bounds('1000', '0')]);
    expect(range).toEqual({ lower: cny('1000'), upper: cny('20000'), empty: false });
  });

  it('all zero means unlimited on both sides', () => {
    expect(intersectLimits([bounds('0', '0'), bounds('0', '0')])).toEqual({ lower: 0n, upper: null, empty: false });
    expect(intersectLimits([])).toEqual({ lower: 0n, upper: null, empty: false });
  });

  it('an upper equal to the lower is a one-value range, not empty', () => {
    expect(intersectLimits([bounds('500', '500')])).toEqual({ lower: cny('500'), upper: cny('500'), empty: false });
  });

  it('minBound/maxBound', () => {
    expect(maxBound([0n, 5n, 3n])).toBe(5n);
    expect(maxBound([])).toBe(0n);
    expect(minBound([0n, 5n, 3n])).toBe(3n);
    expect(minBound([0n, 0n])).toBe(null);
    expect(minBound([])).toBe(null);
    expect(() => maxBound([-1n])).toThrow(RangeError);
    expect(() => minBound([-1n])).toThrow(RangeError);
  });

  it('checkAmountInRange is inclusive on both ends', () => {
    const range = intersectLimits([bounds('100', '50000'), bounds('500', '20000')]);
    expect(checkAmountInRange(cny('500'), range)).toEqual({ ok: true });
    expect(checkAmountInRange(cny('20000'), range)).toEqual({ ok: true });
    expect(checkAmountInRange(cny('499.99'), range)).toEqual({ ok: false, reason: 'BELOW_LOWER' });
    expect(checkAmountInRange(cny('20000.01'), range)).toEqual({ ok: false, reason: 'ABOVE_UPPER' });
    expect(checkAmountInRange(0n, range)).toEqual({ ok: false, reason: 'NOT_POSITIVE' });
  });

  it('checkAmountInRange with no limits accepts any positive amount', () => {
    const range = intersectLimits([bounds('0', '0')]);
    expect(checkAmountInRange(1n, range)).toEqual({ ok: true });
    expect(checkAmountInRange(MAX_MINOR_UNITS, range)).toEqual({ ok: true });
    expect(checkAmountInRange(0n, range)).toEqual({ ok: false, reason: 'NOT_POSITIVE' });
  });
});
