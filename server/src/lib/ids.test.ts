import { describe, it, expect } from 'vitest';
import {
  APP_ID_PATTERN,
  MCH_ID_PATTERN,
  ORDER_NO_PATTERN,
  PREPAY_ID_PATTERN,
  REQUEST_ID_PATTERN,
  newAppId,
  newMchId,
  newOrderNo,
  newPrepayId,
  newRequestId,
  type OrderNoPrefix,
} from './ids.ts';

function many<T>(fn: () => T, n = 2000): T[] {
  return Array.from({ length: n }, fn);
}

describe('ids', () => {
  it('newMchId: 10 digits, never a leading zero, all first digits occur', () => {
    const ids = many(newMchId);
    for (const id of ids) expect(id).toMatch(MCH_ID_PATTERN);
    expect(new Set(ids.map((id) => id[0])).size).toBe(9);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('newAppId: 32 lower-case hex', () => {
    const ids = many(newAppId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(APP_ID_PATTERN.test(ids[0] ?? '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('newPrepayId: 64 lower-case hex', () => {
    const ids = many(newPrepayId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(PREPAY_ID_PATTERN.test(ids[0] ?? '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('newOrderNo: prefix + UTC date + 12 random digits', () => {
    const now = new Date('2026-11-23T06:04:20.123Z');
    for (const prefix of ['P', 'W', 'F'] as const) {
      const no = newOrderNo(prefix, now);
      expect(no).toMatch(new RegExp(`^${prefix}20261123[0-9]{12}$`));
      expect(no).toMatch(ORDER_NO_PATTERN);
      expect(no).toHaveLength(21);
    }
    // the UTC date, not the local one
    expect(newOrderNo('P', new Date('2026-11-23T23:59:59.999Z')).slice(1, 9)).toBe('20261123');
    expect(newOrderNo('P', new Date('2026-01-02T00:00:00.000Z')).slice(1, 9)).toBe('20260102');
    const nos = many(() => newOrderNo('P', now));
    expect(new Set(nos).size).toBe(nos.length);
    for (const no of nos) expect(no).toMatch(ORDER_NO_PATTERN);
  });

  it('newOrderNo sorts by day', () => {
    const earlier = newOrderNo('P', new Date('2026-11-23T23:59:59Z'));
    const later = newOrderNo('P', new Date('2026-11-24T00:00:00Z'));
    expect(earlier < later).toBe(true);
  });

  it('newOrderNo refuses an unknown prefix or an invalid date', () => {
    expect(() => newOrderNo('X' as OrderNoPrefix)).toThrow(RangeError);
    expect(() => newOrderNo('P', new Date('nope'))).toThrow(RangeError);
  });

  it('newRequestId: uuid v4', () => {
    const ids = many(newRequestId, 200);
    for (const id of ids) expect(id).toMatch(REQUEST_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
