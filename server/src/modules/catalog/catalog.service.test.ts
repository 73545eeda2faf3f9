import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { activateService, createMerchant, createService, ensureCurrency } from '../../../test/support/payin-fixtures.ts';
import { isDomainError } from '../../lib/errors.ts';
import { currencyDigits, resolveMerchantService } from './catalog.service.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
}

describe('catalog', () => {
  it('resolves a merchant service by code or by currency + chain', async () => {
    const p = db.prisma;
    await ensureCurrency(p, 'USDT', 6, true);
    await ensureCurrency(p, 'CNY', 2);
    expect(await currencyDigits(p, 'USDT')).toBe(6);
    const m = await createMerchant(p);
    const trc = await createService(p, { code: 'USDT_TRC20', currencyCode: 'USDT', chain: 'TRON', kind: 'CRYPTO' });
    const erc = await createService(p, { code: 'USDT_ERC20', currencyCode: 'USDT', chain: 'ETH', kind: 'CRYPTO' });
    const card = await createService(p, { code: 'CNY_CARD', currencyCode: 'CNY' });
    const ali = await createService(p, { code: 'CNY_ALIPAY', currencyCode: 'CNY', status: 'DISABLED' });
    await activateService(p, m.id, trc.id);
    await activateService(p, m.id, erc.id);
    await activateService(p, m.id, card.id);
    await activateService(p, m.id, ali.id);

    expect((await resolveMerchantService(p, m.id, { currency: 'USDT', chain: 'TRON' })).service.code).toBe('USDT_TRC20');
    expect((await resolveMerchantService(p, m.id, { currency: 'CNY' })).service.code).toBe('CNY_CARD'); // the disabled one does not count
    expect((await resolveMerchantService(p, m.id, { service: 'USDT_ERC20', currency: 'USDT' })).digits).toBe(6);
    expect(await code(resolveMerchantService(p, m.id, { currency: 'USDT' }))).toBe('SERVICE_UNAVAILABLE'); // two match
    expect(await code(resolveMerchantService(p, m.id, { service: 'CNY_ALIPAY', currency: 'CNY' }))).toBe('SERVICE_UNAVAILABLE');
    expect(await code(resolveMerchantService(p, m.id, { service: 'USDT_TRC20', currency: 'USDT', chain: 'ETH' }))).toBe('INVALID_PARAMETER');
    expect(await code(resolveMerchantService(p, m.id, { currency: 'CNY', direction: 'PAYOUT' }))).toBe('SERVICE_UNAVAILABLE');
    const other = await createMerchant(p);
    expect(await code(resolveMerchantService(p, other.id, { service: 'CNY_CARD', currency: 'CNY' }))).toBe('SERVICE_UNAVAILABLE');
    expect(await code(currencyDigits(p, 'ZZZ'))).toBe('SERVICE_UNAVAILABLE');
  });
});
