import { describe, expect, it } from 'vitest';
import { parsePayinInstructions, type PayinInstructions } from './connector.ts';

describe('parsePayinInstructions', () => {
  it('reads back every kind of instructions a connector writes', () => {
    const written: PayinInstructions[] = [
      { type: 'bank', bankName: 'Sandbox Bank', accountName: 'Acme', accountNumber: '000123456789', reference: '0000000001', amount: '150.00', currency: 'THB' },
      { type: 'bank', bankName: 'Sandbox Bank', accountName: 'Acme', accountNumber: '000123456789', amount: '150.00', currency: 'THB' },
      { type: 'crypto', chain: 'TRON', address: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE', amount: '9.000000', currency: 'USDT' },
      { type: 'pix', pixKey: 'a1b2c3d4-0000-1111-2222-333344445555', qrCode: '00020126580014br.gov.bcb.pix', amount: '50.00', currency: 'BRL' },
      { type: 'qr', qrCode: 'https://qr.alipay.com/abc', amount: '88.00', currency: 'CNY' },
    ];
    for (const instructions of written) expect(parsePayinInstructions(JSON.parse(JSON.stringify(instructions)))).toEqual(instructions);
  });

  it('is null for anything else: nothing stored, another shape, a missing or empty field, a numeric amount', () => {
    expect(parsePayinInstructions(null)).toBeNull();
    expect(parsePayinInstructions([])).toBeNull();
    expect(parsePayinInstructions({ type: 'BANK', bankName: 'B', accountName: 'A', accountNumber: '1', amount: '1.00', currency: 'THB' })).toBeNull();
    expect(parsePayinInstructions({ type: 'crypto', chain: 'TRON', address: '', amount: '1', currency: 'USDT' })).toBeNull();
    expect(parsePayinInstructions({ type: 'qr', qrContent: 'https://x', amount: '1', currency: 'CNY' })).toBeNull();
    expect(parsePayinInstructions({ type: 'qr', qrCode: 'https://x', amount: 1, currency: 'CNY' })).toBeNull();
  });
});
