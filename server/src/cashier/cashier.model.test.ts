import { describe, expect, it } from 'vitest';
import type { CashierView } from '../modules/payins/payins.service.ts';
import { cashierPage, displayStatus, groupDigits, instructionsView, payinStatus, safeReturnUrl } from './cashier.model.ts';
import { renderCashierPage } from './cashier.template.ts';

const view: CashierView = {
  prepayId: 'p'.repeat(64),
  orderNo: 'P20261123000000000001',
  status: 'PENDING',
  amount: '1500.00',
  paidAmount: '0.00',
  currency: 'THB',
  digits: 2,
  chain: null,
  merchantName: 'Acme',
  serviceCode: 'THB_BANK',
  serviceName: 'Thai bank transfer',
  serviceKind: 'BANK_TRANSFER',
  description: null,
  locale: 'en',
  returnUrl: 'https://shop.example/return',
  expireAt: '2026-11-23T10:30:00.000Z',
  expiresIn: 1800,
  test: false,
  instructions: { type: 'bank', bankName: 'Sandbox Bank', accountName: 'Acme', accountNumber: '000123456789', reference: '0000000001', amount: '1500.00', currency: 'THB' },
  payerFields: [],
  missingFields: ['payer_name', 'bank_code'],
  payments: [],
};

describe('cashier page model', () => {
  it('shows an open order with its typed instructions, its form and a countdown', () => {
    const page = cashierPage({ view, lang: 'en', langExplicit: false, error: null });
    expect(page).toMatchObject({ status: 'PENDING', final: false, amount: '1,500.00', received: null, clock: '30:00' });
    expect(page.instructions?.kind).toBe('bank');
    expect(page.instructions?.rows.map((r) => [r.label, r.display, r.copy])).toEqual([
      ['instructions.bankName', 'Sandbox Bank', null],
      ['instructions.accountName', 'Acme', 'Acme'],
      ['instructions.accountNumber', '000123456789', '000123456789'],
      ['instructions.reference', '0000000001', '0000000001'],
      ['instructions.amount', '1,500.00 THB', '1500.00'],
    ]);
    expect(page.form?.fields.map((f) => [f.field, f.banks !== null])).toEqual([
      ['payer_name', false],
      ['bank_code', true],
    ]);
    expect(page.client).toMatchObject({ status: 'PENDING', secondsLeft: 1800, fields: ['payer_name', 'bank_code'] });
    expect(page.client.finalStatuses.sort()).toEqual(['CLOSED', 'EXPIRED', 'FAILED', 'REVERSED', 'SUCCEEDED']);
    expect(Object.keys(page.client.text)).toContain('instructions.copied');
  });

  it('a finished or timed-out order shows its outcome only', () => {
    const paid = cashierPage({ view: { ...view, status: 'SUCCEEDED', paidAmount: '1500.00' }, lang: 'en', langExplicit: false, error: null });
    expect(paid).toMatchObject({ final: true, instructions: null, form: null, received: null });
    expect(paid.client.secondsLeft).toBe(0);
    expect(displayStatus({ status: 'PENDING', expiresIn: 0 })).toBe('EXPIRED');
    const partly = cashierPage({ view: { ...view, status: 'EXPIRED', paidAmount: '500.00' }, lang: 'en', langExplicit: false, error: null });
    expect(partly.received).toEqual({ paid: '500.00', amount: '1,500.00', currency: 'THB' });
  });

  it('turns each kind of instructions into rows, a QR text and a warning', () => {
    const crypto = instructionsView({ type: 'crypto', chain: 'TRON', address: 'TAddr', amount: '9.000000', currency: 'USDT' });
    expect(crypto).toMatchObject({ kind: 'crypto', qrText: 'TAddr', warning: { key: 'instructions.cryptoWarning', vars: { currency: 'USDT', network: 'TRON' } } });
    const pix = instructionsView({ type: 'pix', pixKey: 'key-1', qrCode: '000201', amount: '50.00', currency: 'BRL' });
    expect(pix.rows.map((r) => r.label)).toEqual(['instructions.pixKey', 'instructions.qrTitle', 'instructions.amount']);
    expect(pix).toMatchObject({ kind: 'qr', qrText: '000201', warning: null });
    const bank = instructionsView({ type: 'bank', bankName: 'B', accountName: 'A', accountNumber: '1', amount: '1.00', currency: 'THB' });
    expect(bank.rows.map((r) => r.label)).not.toContain('instructions.reference');
  });

  it('stored instructions of another shape show as "being prepared"', () => {
    const page = cashierPage({ view: { ...view, instructions: { type: 'BANK', accountNo: '1' } }, lang: 'en', langExplicit: false, error: null });
    expect(page.instructions).toBeNull();
    expect(renderCashierPage(page, { nonce: 'n', qr: null })).toContain('The payment details are being prepared.');
  });

  it('maps a no-JavaScript error to its message, any error code it knows', () => {
    const page = cashierPage({ view, lang: 'zh', langExplicit: true, error: { code: 'RISK_REJECTED', field: 'payer_name' } });
    expect(page.form?.fields[0]?.error).toBe('error.RISK_REJECTED');
    expect(page.form?.lang).toBe('zh');
    expect(cashierPage({ view, lang: 'en', langExplicit: false, error: { code: 'SOMETHING_ELSE', field: null } }).form?.error).toBe('error.UNKNOWN');
  });

  it('small helpers: digits grouped as text, only http(s) return links, known statuses', () => {
    expect(groupDigits('1234567.50')).toBe('1,234,567.50');
    expect(groupDigits('999')).toBe('999');
    expect(safeReturnUrl('javascript:alert(1)')).toBeNull();
    expect(safeReturnUrl('https://shop.example/x')).toBe('https://shop.example/x');
    expect(() => payinStatus('PAID')).toThrow();
  });
});
