import type { Db } from '../../db/prisma.ts';
import type { Direction, MerchantService, Service } from '../../generated/prisma/client.ts';
import { DomainError } from '../../lib/errors.ts';
import { cachedConfig } from '../shared/config-cache.ts';

/**
 * Catalog lookups: currencies (their digits) and the services a merchant may use.
 *
 * Currency digits never change once a currency carries money, so they are cached for the life of the
 * process (a missing currency is not cached). `forgetCurrency` drops an entry when an admin edits one.
 */

const digitsCache = new Map<string, number>();

/** Fractional digits of a currency (IDR 0, THB 2, USDT 6). Throws SERVICE_UNAVAILABLE for an unknown currency. */
export async function currencyDigits(db: Db, code: string): Promise<number> {
  const cached = digitsCache.get(code);
  if (cached !== undefined) return cached;
  const currency = await db.currency.findUnique({ where: { code }, select: { digits: true } });
  if (!currency) throw new DomainError('SERVICE_UNAVAILABLE', `currency ${code} is not available`, { currency: code });
  digitsCache.set(code, currency.digits);
  return currency.digits;
}

/** Digits of a currency known to exist (e.g. an order's), or undefined when not cached yet. */
export function cachedCurrencyDigits(code: string): number | undefined {
  return digitsCache.get(code);
}

/** Drops cached digits (one currency, or all). */
export function forgetCurrency(code?: string): void {
  if (code === undefined) digitsCache.clear();
  else digitsCache.delete(code);
}

export interface ServiceSelector {
  /** Service code such as THB_BANK; optional when currency (+ chain) selects exactly one service. */
  service?: string | null;
  currency: string;
  chain?: string | null;
  /** Default PAYIN. */
  direction?: Direction;
}

export interface ResolvedService {
  merchantService: MerchantService;
  service: Service;
  /** Digits of the service's currency. */
  digits: number;
}

/**
 * The merchant's service for a request: by `service` code, or the single enabled merchant service of
 * that direction matching currency (+ chain). Both the service and the merchant's activation must be
 * ENABLED. Errors: SERVICE_UNAVAILABLE (unknown, not activated, disabled, none or several match),
 * INVALID_PARAMETER when an explicit service does not match the given currency/chain.
 */
export async function resolveMerchantService(db: Db, merchantId: string, selector: ServiceSelector): Promise<ResolvedService> {
  const direction = selector.direction ?? 'PAYIN';
  const chain = selector.chain ?? null;
  if (selector.service) {
    const code = selector.service;
    const row = await cachedConfig(db, `merchant-service:${merchantId}:${code}`, () =>
      db.merchantService.findFirst({ where: { merchantId, service: { code } }, include: { service: true } }),
    );
    if (!row || row.service.direction !== direction) {
      throw new DomainError('SERVICE_UNAVAILABLE', `service ${code} is not available to this merchant`, { service: code });
    }
    if (row.service.status !== 'ENABLED') {
      throw new DomainError('SERVICE_UNAVAILABLE', `service ${code} is disabled`, { service: code });
    }
    if (row.status !== 'ENABLED') {
      throw new DomainError('SERVICE_UNAVAILABLE', `service ${code} is not enabled for this merchant`, { service: code });
    }
    if (row.service.currencyCode !== selector.currency) {
      throw new DomainError('INVALID_PARAMETER', `service ${code} is in ${row.service.currencyCode}, not ${selector.currency}`, {
        field: 'currency',
      });
    }
    if (chain !== null && (row.service.chain ?? null) !== chain) {
      throw new DomainError('INVALID_PARAMETER', `service ${code} is on chain ${row.service.chain ?? '(none)'}, not ${chain}`, {
        field: 'chain',
      });
    }
    const { service, ...merchantService } = row;
    return { merchantService, service, digits: await currencyDigits(db, service.currencyCode) };
  }

  const rows = await cachedConfig(db, `merchant-services:${merchantId}:${direction}:${selector.currency}:${chain ?? ''}`, () =>
    db.merchantService.findMany({
      where: {
        merchantId,
        status: 'ENABLED',
        service: { direction, status: 'ENABLED', currencyCode: selector.currency, ...(chain !== null ? { chain } : {}) },
      },
      include: { service: true },
      take: 10,
    }),
  );
  const what = chain !== null ? `${selector.currency} on ${chain}` : selector.currency;
  if (rows.length === 0) {
    throw new DomainError('SERVICE_UNAVAILABLE', `no ${direction.toLowerCase()} service for ${what} is available to this merchant`, {
      currency: selector.currency,
      chain,
    });
  }
  if (rows.length > 1) {
    const codes = rows.map((r) => r.service.code).sort();
    throw new DomainError(
      'SERVICE_UNAVAILABLE',
      `several services match ${what} (${codes.join(', ')}); choose one with the "service" parameter`,
      { currency: selector.currency, chain, services: codes },
    );
  }
  const { service, ...merchantService } = rows[0]!;
  return { merchantService, service, digits: await currencyDigits(db, service.currencyCode) };
}
