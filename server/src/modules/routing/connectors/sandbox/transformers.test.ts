import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PayinRequest } from '../connector.ts';
import { decodeCallback, encodeCallback, fakeTronAddress, signCallback, toCreatedPayin } from './transformers.ts';

const order: PayinRequest = {
  orderNo: 'P20261123000000000001',
  prepayId: 'a'.repeat(64),
  amount: 15_000n,
  currency: 'THB',
  digits: 2,
  chain: null,
  serviceCode: 'THB_BANK',
  serviceKind: 'BANK_TRANSFER',
  orderType: 'PLATFORM_ORDER',
  toAddress: null,
  expireAt: new Date(),
  test: true,
  payer: { name: null, account: null, bankCode: null, phone: null, idNumber: null, remarkCode: null },
};

describe('sandbox transformers', () => {
  it('gives deterministic bank instructions, or a valid TRON address for crypto', () => {
    const channel = { id: 'c1', name: 'Sandbox' };
    const a = toCreatedPayin(order, channel);
    expect(toCreatedPayin(order, channel)).toEqual(a);
    expect(a.instructions).toMatchObject({ type: 'bank', amount: '150.00', currency: 'THB', reference: '0000000001' });
    const crypto = toCreatedPayin({ ...order, currency: 'USDT', digits: 6, chain: 'TRON', serviceKind: 'CRYPTO', amount: 9_000_000n }, channel);
    expect(crypto.instructions).toMatchObject({ type: 'crypto', chain: 'TRON', amount: '9.000000' });
    const address = (crypto.instructions as { address: string }).address;
    expect(address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(fakeTronAddress(createHash('sha256').update('x').digest())).toMatch(/^T/);
    const monitored = toCreatedPayin({ ...order, chain: 'TRON', serviceKind: 'CRYPTO', orderType: 'MERCHANT_ORDER', toAddress: 'TMerchantAddr' }, channel);
    expect(monitored.instructions).toMatchObject({ address: 'TMerchantAddr' });
  });

  it('round-trips a signed callback and refuses forged, tampered or unsigned ones', () => {
    const paidAt = new Date('2026-11-23T06:04:20.123Z');
    const body = encodeCallback(
      { eventId: 'e1', event: 'payment.succeeded', orderNo: order.orderNo, upstreamRef: 'SBX1', currency: 'THB', transactions: [{ txnId: 't1', amount: 15_000n, paidAt }], createdAt: paidAt },
      2,
    );
    const headers = signCallback('s3cret', body);
    expect(decodeCallback(body, headers, 's3cret', 2)).toEqual({
      verified: true,
      eventKey: 'event:e1',
      orderRef: order.orderNo,
      status: 'PAID',
      payments: [{ txnId: 't1', amount: 15_000n, paidAt }],
    });
    expect(decodeCallback(body, headers, 'other', 2).verified).toBe(false);
    expect(decodeCallback(body.replace('150.00', '950.00'), headers, 's3cret', 2).verified).toBe(false);
    expect(decodeCallback(body, {}, 's3cret', 2).verified).toBe(false);
    expect(decodeCallback(body, headers, null, 2)).toMatchObject({ verified: false, reason: 'channel has no credentials' });
  });
});
