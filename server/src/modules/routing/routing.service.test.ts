import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import {
  activateService,
  bindChannel,
  createChannel,
  createMerchant,
  createService,
  ensureCurrency,
} from '../../../test/support/payin-fixtures.ts';
import { isDomainError } from '../../lib/errors.ts';
import type { MerchantService, Service } from '../../generated/prisma/client.ts';
import { choosePayinChannel, sandboxRule } from './routing.service.ts';

let db: TestDatabase;
let service: Service;
let ms: MerchantService;

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureCurrency(db.prisma, 'THB', 2);
  await ensureCurrency(db.prisma, 'USD', 2);
});
afterAll(async () => {
  await db?.drop();
});

let serial = 0;
beforeEach(async () => {
  const p = db.prisma;
  const merchant = await createMerchant(p);
  service = await createService(p, { code: `THB_BANK_${++serial}`, currencyCode: 'THB' });
  ms = await activateService(p, merchant.id, service.id, { singleLimitLower: 10_000n, singleLimitUpper: 1_000_000n });
});

const route = (amount: bigint, randomInt?: (max: number) => number) =>
  choosePayinChannel(db.prisma, { merchantService: ms, service, amount, digits: 2, ...(randomInt ? { randomInt } : {}) });

async function channel(code: string, opts: { lower?: bigint; upper?: bigint; priority?: number; weight?: number; disabled?: boolean; bindingDisabled?: boolean; currency?: string } = {}) {
  const c = await createChannel(db.prisma, {
    code: `${code}_${serial}`,
    currencyCode: opts.currency ?? 'THB',
    paymentLowerBound: opts.lower ?? 0n,
    paymentUpperBound: opts.upper ?? 0n,
    status: opts.disabled ? 'DISABLED' : 'ENABLED',
  });
  await bindChannel(db.prisma, c.id, service.id, {
    priority: opts.priority ?? 0,
    weight: opts.weight ?? 100,
    status: opts.bindingDisabled ? 'DISABLED' : 'ENABLED',
  });
  return c;
}

async function routeError(amount: bigint) {
  try {
    await route(amount);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a routing error');
}

describe('payin routing', () => {
  it('takes the lowest binding priority among channels admitting the amount', async () => {
    await channel('LOW', { priority: 1 });
    await channel('HIGH', { priority: 0, upper: 50_000n });
    expect((await route(20_000n)).channel.code).toBe(`HIGH_${serial}`);
    // Above HIGH's upper bound only LOW admits the amount.
    const decision = await route(60_000n);
    expect(decision.channel.code).toBe(`LOW_${serial}`);
    expect(decision.reason.candidates.find((c) => c.channel === `HIGH_${serial}`)).toMatchObject({
      excluded: 'AMOUNT_ABOVE_UPPER',
      max: '500.00',
      decidedBy: { upper: 'channel' },
    });
  });

  it('records every candidate and why it was excluded', async () => {
    await channel('OK', { priority: 0 });
    await channel('OFF', { disabled: true });
    await channel('UNBOUND', { bindingDisabled: true });
    await channel('USD', { currency: 'USD' });
    await channel('BIG', { lower: 500_000n });
    await channel('EMPTY', { lower: 2_000_000n });
    await channel('BACKUP', { priority: 5 });
    const decision = await route(20_000n);
    expect(decision.channel.code).toBe(`OK_${serial}`);
    const why = Object.fromEntries(decision.reason.candidates.map((c) => [c.channel.replace(/_\d+$/, ''), c.excluded]));
    expect(why).toEqual({
      OK: null,
      OFF: 'CHANNEL_DISABLED',
      UNBOUND: 'BINDING_DISABLED',
      USD: 'CURRENCY_MISMATCH',
      BIG: 'AMOUNT_BELOW_LOWER',
      EMPTY: 'NO_RANGE',
      BACKUP: 'LOWER_PRIORITY',
    });
    expect(decision.reason).toMatchObject({ strategy: 'priority_then_weight', amount: '200.00', currency: 'THB', chosen: `OK_${serial}` });
    expect(JSON.parse(JSON.stringify(decision.reason))).toEqual(decision.reason);
  });

  it('shares equal priorities by weight (roughly 3:1 over 4000 draws, and exactly by the draw)', async () => {
    await channel('W3', { weight: 300 });
    await channel('W1', { weight: 100 });
    expect((await route(20_000n, () => 0)).channel.code).toBe(`W1_${serial}`); // W1 sorts first by code
    expect((await route(20_000n, () => 100)).channel.code).toBe(`W3_${serial}`);
    expect((await route(20_000n, () => 399)).channel.code).toBe(`W3_${serial}`);
    const counts = new Map<string, number>();
    const bindings = await db.prisma.channelService.findMany({ where: { serviceId: service.id }, include: { channel: true } });
    const { decideRoute } = await import('./routing.service.ts');
    for (let i = 0; i < 4000; i++) {
      const code = decideRoute(bindings, { merchantService: ms, service, amount: 20_000n, digits: 2 }).channel.code;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const share = (counts.get(`W3_${serial}`) ?? 0) / 4000;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });

  it('never picks a weight-0 binding; NO_CHANNEL when only such channels admit the amount', async () => {
    await channel('ZERO', { weight: 0 });
    expect((await routeError(20_000n)).code).toBe('NO_CHANNEL');
    await channel('ONE', { weight: 1 });
    expect((await route(20_000n)).channel.code).toBe(`ONE_${serial}`);
  });

  it('NO_CHANNEL when no channel is bound or all are disabled', async () => {
    expect((await routeError(20_000n)).code).toBe('NO_CHANNEL');
    await channel('OFF', { disabled: true });
    expect((await routeError(20_000n)).code).toBe('NO_CHANNEL');
  });

  it('AMOUNT_OUT_OF_RANGE with the available range (union of enabled channels) as min/max', async () => {
    await channel('A', { lower: 20_000n, upper: 50_000n });
    await channel('B', { lower: 30_000n, upper: 90_000n });
    await channel('OFF', { disabled: true, upper: 0n });
    const below = await routeError(15_000n);
    expect(below.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(below.details).toEqual({ min: '200.00', max: '900.00' });
    expect(below.message).toContain('200.00 – 900.00 THB');
    expect((await routeError(95_000n)).code).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('AMOUNT_OUT_OF_RANGE shows null for an unlimited side', async () => {
    ms = await db.prisma.merchantService.update({ where: { id: ms.id }, data: { singleLimitLower: 0n, singleLimitUpper: 0n } });
    await channel('A', { upper: 50_000n });
    expect((await routeError(60_000n)).details).toEqual({ min: null, max: '500.00' });
  });

  it('NO_AVAILABLE_RANGE when the intersection is empty (seed 001 example 3)', async () => {
    ms = await db.prisma.merchantService.update({ where: { id: ms.id }, data: { singleLimitLower: 100n, singleLimitUpper: 5_000n } });
    await channel('A', { lower: 10_000n, upper: 50_000n });
    const error = await routeError(3_000n);
    expect(error.code).toBe('NO_AVAILABLE_RANGE');
    expect(error.details).toEqual({ min: '100.00', max: '50.00' });
  });

  it('under SANDBOX_FOR_TEST_ONLY, test orders go only to sandbox channels and live orders never do', async () => {
    const { registerConnector, sandboxLike } = await import('../../../test/support/test-connectors.ts');
    registerConnector(sandboxLike('real-bank', { fail: false }));
    const sandbox = await channel('SBX', { priority: 0 });
    const real = await channel('REAL', { priority: 1 });
    await db.prisma.channel.update({ where: { id: real.id }, data: { connector: 'real-bank' } });
    const pick = (test: boolean, separate: boolean) =>
      choosePayinChannel(db.prisma, { merchantService: ms, service, amount: 20_000n, digits: 2, ...sandboxRule(separate, test) });

    expect((await pick(false, false)).channel.id).toBe(sandbox.id);
    expect((await pick(true, true)).channel.id).toBe(sandbox.id);
    const live = await pick(false, true);
    expect(live.channel.id).toBe(real.id);
    expect(live.reason.candidates.find((c) => c.channel === sandbox.code)?.excluded).toBe('CONNECTOR_UNAVAILABLE');
    await db.prisma.channel.update({ where: { id: sandbox.id }, data: { status: 'DISABLED' } });
    expect((await pick(false, true)).channel.id).toBe(real.id);
    await expect(pick(true, true)).rejects.toMatchObject({ code: 'NO_CHANNEL' });
  });
});
