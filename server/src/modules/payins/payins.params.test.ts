import { describe, expect, it } from 'vitest';
import { missingPayerFields, parsePayinAmount, parsePrepaymentFields, prepaymentRequestHash } from './payins.params.ts';

const base = { out_trade_no: 'A-1_b', amount: '150.00', currency: 'thb' };

describe('prepayment fields', () => {
  it('normalises: defaults, upper-case currency/chain, empty strings as absent', () => {
    const f = parsePrepaymentFields({ ...base, chain: 'tron', attach: '', notify_url: null, user_id: 42 });
    expect(f).toMatchObject({
      out_trade_no: 'A-1_b',
      currency: 'THB',
      chain: 'TRON',
      expire_second: 3600,
      locale: 'en',
      order_type: 'platform_order',
      attach: null,
      notify_url: null,
      user_id: '42',
      rawAmount: '150.00',
    });
    expect(parsePrepaymentFields({ ...base, expire_second: '600' }).expire_second).toBe(600);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(parsePrepaymentFields({ ...base, attach: '😀'.repeat(512) }).attach).toHaveLength(1024);
    expect(() => parsePrepaymentFields({ ...base, attach: '😀'.repeat(513) })).toThrow(/attach/);
  });

  it('hashes equal requests equally and different ones differently', () => {
    const h = (p: Record<string, unknown>, amount: bigint, test = false) => prepaymentRequestHash(parsePrepaymentFields({ ...base, ...p }), amount, test);
    expect(h({}, 15_000n)).toBe(h({ amount: 150, locale: 'en', expire_second: 3600, order_type: 'platform_order' }, 15_000n));
    expect(h({}, 15_000n)).not.toBe(h({}, 15_001n));
    expect(h({}, 15_000n)).not.toBe(h({ attach: 'x' }, 15_000n));
    expect(h({}, 15_000n)).not.toBe(h({}, 15_000n, true));
    expect(h({}, 15_000n)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parses amounts with the currency digits, positive only', () => {
    expect(parsePayinAmount('150.5', 2)).toBe(15_050n);
    expect(parsePayinAmount(150, 0)).toBe(150n);
    expect(() => parsePayinAmount('150.5', 0)).toThrow(/fractional/);
    expect(() => parsePayinAmount('0.00', 2)).toThrow(/greater than zero/);
  });

  it('lists missing required payer fields, ignoring non-payer names', () => {
    expect(missingPayerFields(['amount', 'payer_name', 'bank_code'], { payer_name: 'x', bank_code: null })).toEqual(['bank_code']);
  });
});
