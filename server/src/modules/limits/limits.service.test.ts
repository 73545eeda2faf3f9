import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import {
  activateService,
  bindChannel,
  createChannel,
  createMerchant,
  createService,
  ensureCurrency,
} from '../../../test/support/payin-fixtures.ts';
import { availableRangeForService, describeRange, intersectSources, rangeForChannel } from './limits.service.ts';

const none = { lower: 0n, upper: 0n };

describe('intersectSources (seed 001 rule)', () => {
  it('example 1: channel 100–50,000, service 500–20,000 → 500–20,000, decided by the service', () => {
    const r = intersectSources({ channel: { lower: 100n, upper: 50_000n }, service: { lower: 500n, upper: 20_000n }, binding: none });
    expect(r).toEqual({ lower: 500n, upper: 20_000n, empty: false, decidedBy: { lower: 'service', upper: 'service' } });
  });

  it('example 2: channel 100–0 (no upper), service 500–20,000 → 500–20,000', () => {
    const r = intersectSources({ channel: { lower: 100n, upper: 0n }, service: { lower: 500n, upper: 20_000n }, binding: none });
    expect(r).toEqual({ lower: 500n, upper: 20_000n, empty: false, decidedBy: { lower: 'service', upper: 'service' } });
  });

  it('example 3: channel 10,000–50,000, service 100–5,000 → no available range', () => {
    const r = intersectSources({ channel: { lower: 10_000n, upper: 50_000n }, service: { lower: 100n, upper: 5_000n }, binding: none });
    expect(r).toEqual({ lower: 10_000n, upper: 5_000n, empty: true, decidedBy: { lower: 'channel', upper: 'service' } });
  });

  it('the binding bound (service_bounds) takes part and is named when it decides', () => {
    const r = intersectSources({
      channel: { lower: 100n, upper: 50_000n },
      service: { lower: 500n, upper: 20_000n },
      binding: { lower: 1_000n, upper: 10_000n },
    });
    expect(r).toEqual({ lower: 1_000n, upper: 10_000n, empty: false, decidedBy: { lower: 'binding', upper: 'binding' } });
  });

  it('mixed sources decide each side; 0 everywhere means no limit at all', () => {
    const mixed = intersectSources({ channel: { lower: 700n, upper: 0n }, service: { lower: 500n, upper: 0n }, binding: { lower: 0n, upper: 9_000n } });
    expect(mixed.decidedBy).toEqual({ lower: 'channel', upper: 'binding' });
    expect(intersectSources({ channel: none, service: none, binding: none })).toEqual({
      lower: 0n,
      upper: null,
      empty: false,
      decidedBy: { lower: null, upper: null },
    });
  });

  it('on a tie the most specific source is named (binding, then service, then channel)', () => {
    const r = intersectSources({ channel: { lower: 500n, upper: 900n }, service: { lower: 500n, upper: 900n }, binding: { lower: 0n, upper: 900n } });
    expect(r.decidedBy).toEqual({ lower: 'service', upper: 'binding' });
  });

  it('upper equal to lower is a one-value range, not empty', () => {
    expect(intersectSources({ channel: { lower: 500n, upper: 500n }, service: none, binding: none }).empty).toBe(false);
  });

  it('describes ranges for messages', () => {
    expect(describeRange({ lower: 50_000n, upper: 2_000_000n }, 2, 'THB')).toBe('500.00 – 20000.00 THB');
    expect(describeRange({ lower: 0n, upper: null }, 2)).toBe('any amount');
    expect(describeRange({ lower: 100n, upper: null }, 0)).toBe('from 100');
  });
});

describe('ranges from the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('computes a channel range and the union over enabled bound channels', async () => {
    const p = db.prisma;
    await ensureCurrency(p, 'THB', 2);
    const merchant = await createMerchant(p);
    const service = await createService(p, { code: 'THB_BANK', currencyCode: 'THB' });
    const ms = await activateService(p, merchant.id, service.id, { singleLimitLower: 50_000n, singleLimitUpper: 2_000_000n });
    const a = await createChannel(p, { code: 'A', currencyCode: 'THB', paymentLowerBound: 10_000n, paymentUpperBound: 5_000_000n });
    const b = await createChannel(p, { code: 'B', currencyCode: 'THB', paymentLowerBound: 100_000n, paymentUpperBound: 0n });
    const c = await createChannel(p, { code: 'C', currencyCode: 'THB', status: 'DISABLED', paymentLowerBound: 1n });
    const d = await createChannel(p, { code: 'D', currencyCode: 'THB', paymentLowerBound: 3_000_000n });
    await bindChannel(p, a.id, service.id, { upperBound: 1_000_000n });
    await bindChannel(p, b.id, service.id);
    await bindChannel(p, c.id, service.id);
    await bindChannel(p, d.id, service.id);

    expect(await rangeForChannel(p, ms.id, a.id)).toEqual({
      lower: 50_000n,
      upper: 1_000_000n,
      empty: false,
      decidedBy: { lower: 'service', upper: 'binding' },
    });
    const available = await availableRangeForService(p, ms.id);
    expect(available).toMatchObject({ lower: 50_000n, upper: 2_000_000n, empty: false });
    // C is disabled and not listed; D's own range (3,000,000 – 2,000,000) is empty and does not contribute.
    expect(available.channels.map((x) => [x.channelCode, x.range.empty])).toEqual([
      ['A', false],
      ['B', false],
      ['D', true],
    ]);
  });
});
