import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { presentError } from '../errors.ts';
import { amountRange, and, dateRange, dayRange, inList, parseBigIds, parseIds, searchExact } from './filters.ts';
import { payinFilterWhere, payoutFilterWhere } from './transactions.filter.ts';

const U1 = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const U2 = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';

function reason(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    // What a client sees: the error as the GraphQL presenter shows it.
    return (presentError(error, 'unexpected') as { extensions?: { code?: string; reason?: string } }).extensions;
  }
  throw new Error('expected an error');
}

describe('list filter builders', () => {
  it('AND drops absent parts and keeps a single part as it is', () => {
    expect(and(undefined, {}, null, false)).toEqual({});
    expect(and({ a: 1 })).toEqual({ a: 1 });
    expect(and({ a: 1 }, undefined, { b: 2 })).toEqual({ AND: [{ a: 1 }, { b: 2 }] });
  });

  it('lists: one value is an equality, several an IN, none no filter', () => {
    expect(inList('status', [])).toBeUndefined();
    expect(inList('status', ['PENDING'])).toEqual({ status: 'PENDING' });
    expect(inList('status', ['PENDING', 'FAILED'])).toEqual({ status: { in: ['PENDING', 'FAILED'] } });
  });

  it('amounts are parsed exactly with the currency digits, never rounded', () => {
    expect(amountRange('amount', 'currencyCode', { currency: 'THB', min: '100.5', max: '200.05' }, 2)).toEqual({
      currencyCode: 'THB',
      amount: { gte: 10_050n, lte: 20_005n },
    });
    expect(amountRange('amount', 'currencyCode', { currency: 'USDT', min: '0.000001' }, 6)).toEqual({ currencyCode: 'USDT', amount: { gte: 1n } });
    expect(amountRange('amount', 'currencyCode', { currency: 'IDR' }, 0)).toEqual({ currencyCode: 'IDR' });
    expect(reason(() => amountRange('amount', 'currencyCode', { currency: 'IDR', min: '1.5' }, 0))).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_AMOUNT' });
    expect(reason(() => amountRange('amount', 'currencyCode', { currency: 'THB', min: '5', max: '4' }, 2))).toMatchObject({ reason: 'INVALID_RANGE' });
    expect(reason(() => amountRange('amount', 'currencyCode', { currency: 'XXX', min: '5' }, undefined))).toMatchObject({ reason: 'UNKNOWN_CURRENCY' });
  });

  it('date ranges: from inclusive, to exclusive; days inclusive on both ends', () => {
    const from = new Date('2026-10-01T00:00:00Z');
    const to = new Date('2026-10-02T00:00:00Z');
    expect(dateRange('createdAt', { from, to })).toEqual({ createdAt: { gte: from, lt: to } });
    expect(dateRange('createdAt', { to })).toEqual({ createdAt: { lt: to } });
    expect(reason(() => dateRange('createdAt', { from: to, to: from }))).toMatchObject({ reason: 'INVALID_RANGE' });
    expect(dayRange('date', { from: '2026-10-01', to: '2026-10-03' })).toEqual({ date: { gte: from, lte: new Date('2026-10-03T00:00:00Z') } });
    expect(reason(() => dayRange('date', { from: '2026-02-30' }))).toMatchObject({ reason: 'INVALID_DATE' });
  });

  it('ids: node ids or raw UUIDs of the right type; anything else is a BAD_USER_INPUT', () => {
    expect(parseIds('Payin', 'ids', [encodeGlobalID('Payin', U1), U2.toUpperCase()])).toEqual([U1, U2]);
    expect(reason(() => parseIds('Payin', 'ids', [encodeGlobalID('Payout', U1)]))).toMatchObject({ reason: 'INVALID_ID' });
    expect(reason(() => parseIds('Payin', 'ids', ["1' OR '1'='1"]))).toMatchObject({ reason: 'INVALID_ID' });
    expect(parseBigIds('AuditLog', 'ids', ['42', encodeGlobalID('AuditLog', '7')])).toEqual([42n, 7n]);
    expect(reason(() => parseBigIds('AuditLog', 'ids', ['-1']))).toMatchObject({ reason: 'INVALID_ID' });
  });

  it('search matches identifiers exactly', () => {
    expect(searchExact(['orderNo', 'outTradeNo'], '  A1 ')).toEqual({ OR: [{ orderNo: 'A1' }, { outTradeNo: 'A1' }] });
    expect(searchExact(['orderNo'], '   ')).toBeUndefined();
  });

  it('the seed-002 order filter combines every field with AND', () => {
    const where = payinFilterWhere(
      {
        orderNo: 'P1',
        status: ['SUCCEEDED'],
        serviceCodes: ['THB_BANK'],
        serviceKinds: ['BANK_TRANSFER', 'QR'],
        creationType: 'MANUAL',
        originality: 'FRAUD',
        postbackStatus: ['ERROR'],
        test: false,
        amount: { currency: 'THB', max: '10' },
      },
      2,
    );
    expect(where).toEqual({
      AND: [
        { creationType: 'MANUAL' },
        { originality: 'FRAUD' },
        { postbackStatus: 'ERROR' },
        { service: { AND: [{ code: 'THB_BANK' }, { kind: { in: ['BANK_TRANSFER', 'QR'] } }] } },
        { currencyCode: 'THB', amount: { lte: 1000n } },
        { test: false },
        { orderNo: 'P1' },
        { status: 'SUCCEEDED' },
      ],
    });
    expect(payinFilterWhere({})).toEqual({});
    expect(payoutFilterWhere({ recipientAccount: ' 123 ', status: ['REVIEW', 'PENDING'] })).toEqual({
      AND: [{ status: { in: ['REVIEW', 'PENDING'] } }, { recipientAccount: '123' }],
    });
  });
});
