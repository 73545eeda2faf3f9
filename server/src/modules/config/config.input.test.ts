import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.ts';
import { assertBounds, boundOf, codeOf, credentialsOf, ratePpmOf, settingsOf, timezoneOf } from './config.input.ts';
import { rateOf } from './fx-admin.service.ts';

/** The pure input checks of the configuration services: exact parsing and the field each refusal names. */

function refusal(fn: () => unknown): { code: string; field: unknown } {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, field: error.details?.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('money and rates', () => {
  it('bounds: undefined keeps, null/blank/0 is no limit, digits are exact', () => {
    expect(boundOf(undefined, 2, 'x')).toBeUndefined();
    expect(boundOf(null, 2, 'x')).toBe(0n);
    expect(boundOf(' ', 2, 'x')).toBe(0n);
    expect(boundOf('150.1', 2, 'x')).toBe(15010n);
    expect(boundOf('15000', 0, 'x')).toBe(15000n);
    expect(refusal(() => boundOf('1.001', 2, 'lowerBound'))).toEqual({ code: 'INVALID_AMOUNT', field: 'lowerBound' });
    expect(refusal(() => boundOf('-5', 2, 'upperBound'))).toEqual({ code: 'INVALID_AMOUNT', field: 'upperBound' });
    expect(() => assertBounds(100n, 0n, 'u')).not.toThrow();
    expect(() => assertBounds(100n, 100n, 'u')).not.toThrow();
    expect(refusal(() => assertBounds(100n, 99n, 'u'))).toEqual({ code: 'INVALID_PARAMETER', field: 'u' });
  });

  it('fee rate in percent → ppm, 0..100 with 4 decimals', () => {
    expect(ratePpmOf('2.5', 'feeRate')).toBe(25_000n);
    expect(ratePpmOf('100', 'feeRate')).toBe(1_000_000n);
    expect(ratePpmOf('0.0001', 'feeRate')).toBe(1n);
    for (const bad of ['100.0001', '1.23456', '-1', 'abc', '1e2']) expect(refusal(() => ratePpmOf(bad, 'feeRate'))).toEqual({ code: 'INVALID_PARAMETER', field: 'feeRate' });
  });

  it('FX rates are exact, canonical and positive', () => {
    expect(rateOf('0001.000100000000')).toBe('1.0001');
    expect(rateOf('0.0000393')).toBe('0.0000393');
    expect(rateOf('123456789012345678.123456789012')).toBe('123456789012345678.123456789012');
    for (const bad of ['0', '0.000', '-1', '1.0000000000001', '1234567890123456789', '1e-3', '.5', '']) {
      expect(refusal(() => rateOf(bad))).toEqual({ code: 'INVALID_PARAMETER', field: 'rate' });
    }
  });
});

describe('texts and JSON', () => {
  it('codes are upper-cased and checked; time zones must exist', () => {
    expect(codeOf(' thb_bank ', 'code')).toBe('THB_BANK');
    for (const bad of ['1ABC', 'A', 'A-B', 'A B', 'X'.repeat(65)]) expect(refusal(() => codeOf(bad, 'code'))).toEqual({ code: 'INVALID_PARAMETER', field: 'code' });
    expect(timezoneOf('Asia/Bangkok')).toBe('Asia/Bangkok');
    expect(timezoneOf('UTC')).toBe('UTC');
    expect(refusal(() => timezoneOf('Mars/Olympus'))).toEqual({ code: 'INVALID_PARAMETER', field: 'timezone' });
  });

  it('credentials: a non-empty object of scalars; the refusal never echoes a value', () => {
    expect(credentialsOf({ secret: 's3cr3t', port: 443, live: false })).toEqual({ secret: 's3cr3t', port: 443, live: false });
    for (const bad of [null, [], 'secret', {}, { secret: '' }, { nested: { a: 1 } }, { 'bad key': 'x' }]) {
      expect(refusal(() => credentialsOf(bad))).toEqual({ code: 'INVALID_PARAMETER', field: 'credentials' });
    }
    let message = '';
    try {
      credentialsOf({ secret: 'hunter2', other: { deep: 'hunter2' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"other"');
    expect(message).not.toContain('hunter2');
  });

  it('settings refuse keys that look like secrets', () => {
    expect(settingsOf({ delayMs: 0, successRate: 0.5, bankName: 'X' })).toEqual({ delayMs: 0, successRate: 0.5, bankName: 'X' });
    for (const key of ['secret', 'apiKey', 'api_key', 'password', 'privateKeyPem', 'token']) {
      expect(refusal(() => settingsOf({ [key]: 'x' }))).toEqual({ code: 'INVALID_PARAMETER', field: 'settings' });
    }
  });
});
