import { afterEach, describe, expect, it } from 'vitest';
import {
  CALLBACK_MAX_ATTEMPTS,
  CALLBACK_RETRY_DELAYS_MS,
  callbackRetrySchedule,
  callbackRetryScale,
  deliverySubjectKey,
  parseDeliverySubjectKey,
  subjectRef,
} from './deliveries.service.ts';

const ID = '0192f1a2-7b3c-7d4e-8f50-123456789abc';

describe('callbackRetrySchedule', () => {
  const exact = { scale: 1, random: () => 0.5 }; // 0.5 → no jitter

  it('waits 15 s, 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, 24 h after attempts 1..9', () => {
    const waits = Array.from({ length: 9 }, (_, i) => callbackRetrySchedule(i + 1, exact));
    expect(waits).toEqual([15e3, 60e3, 300e3, 900e3, 3600e3, 10800e3, 21600e3, 43200e3, 86400e3]);
  });

  it('gives up after the tenth attempt, about two days after the first', () => {
    expect(CALLBACK_MAX_ATTEMPTS).toBe(10);
    expect(callbackRetrySchedule(10, exact)).toBeNull();
    expect(callbackRetrySchedule(11, exact)).toBeNull();
    const total = CALLBACK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 3600e3).toBeCloseTo(46.35, 1);
  });

  it('jitters by at most ±10 %', () => {
    expect(callbackRetrySchedule(1, { scale: 1, random: () => 0 })).toBe(13_500);
    expect(callbackRetrySchedule(1, { scale: 1, random: () => 0.999999 })).toBe(16_500);
    for (let i = 0; i < 200; i++) {
      const wait = callbackRetrySchedule(5, { scale: 1 }) as number;
      expect(wait).toBeGreaterThanOrEqual(3240e3);
      expect(wait).toBeLessThanOrEqual(3960e3);
    }
  });

  it('divides every wait by the scale, never below 1 ms', () => {
    expect(callbackRetrySchedule(9, { scale: 1000, random: () => 0.5 })).toBe(86_400);
    expect(callbackRetrySchedule(1, { scale: 1e9, random: () => 0.5 })).toBe(1);
  });

  it('refuses attempt numbers below 1', () => {
    expect(() => callbackRetrySchedule(0)).toThrow(RangeError);
    expect(() => callbackRetrySchedule(1.5)).toThrow(RangeError);
  });
});

describe('callbackRetryScale', () => {
  const saved = process.env.CALLBACK_RETRY_SCALE;
  afterEach(() => {
    if (saved === undefined) delete process.env.CALLBACK_RETRY_SCALE;
    else process.env.CALLBACK_RETRY_SCALE = saved;
  });

  it('reads CALLBACK_RETRY_SCALE, 1 when unset or not a positive number', () => {
    delete process.env.CALLBACK_RETRY_SCALE;
    expect(callbackRetryScale()).toBe(1);
    process.env.CALLBACK_RETRY_SCALE = '1000';
    expect(callbackRetryScale()).toBe(1000);
    process.env.CALLBACK_RETRY_SCALE = '-5';
    expect(callbackRetryScale()).toBe(1);
    process.env.CALLBACK_RETRY_SCALE = 'fast';
    expect(callbackRetryScale()).toBe(1);
  });
});

describe('subject keys', () => {
  it('round-trips order, payout and fund request subjects', () => {
    for (const subject of [{ orderId: ID }, { payoutId: ID }, { fundRequestId: ID }]) {
      const ref = subjectRef(subject);
      expect(parseDeliverySubjectKey(deliverySubjectKey(ref))).toEqual(ref);
    }
    expect(deliverySubjectKey(subjectRef({ orderId: ID }))).toBe(`order:${ID}`);
    expect(deliverySubjectKey(subjectRef({ fundRequestId: ID }))).toBe(`fund_request:${ID}`);
  });

  it('rejects anything else', () => {
    for (const key of [undefined, 42, '', `invoice:${ID}`, 'order:not-a-uuid', `order:${ID}; drop table`]) {
      expect(parseDeliverySubjectKey(key)).toBeNull();
    }
  });
});
