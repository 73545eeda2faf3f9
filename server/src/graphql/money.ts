import { createContextCache } from '@pothos/core';
import { formatAmount, formatRatePercent } from '../lib/money.ts';
import { cachedCurrencyDigits } from '../modules/catalog/catalog.service.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';

/**
 * Money at the GraphQL edge: an amount in minor units (bigint) next to its currency becomes a `Money`
 * object whose `amount` is a decimal string with exactly the currency's digits (IDR "15000", THB
 * "150.00", USDT "12.500000"). Never a JS number.
 *
 * Digits come from the currencies table. The catalog keeps a process-wide cache (digits never change
 * once a currency carries money); what it lacks is read once per request for the whole (small) table,
 * so formatting a page of 100 rows costs at most one query, however many currencies it holds.
 */

export interface MoneyShape {
  minor: bigint;
  currency: string;
  digits: number;
}

const requestDigits = createContextCache((ctx: GraphQLContext) => {
  let loaded: Promise<Map<string, number>> | undefined;
  return () => {
    loaded ??= ctx.prisma.currency
      .findMany({ select: { code: true, digits: true } })
      .then((rows) => new Map(rows.map((r) => [r.code, r.digits])));
    return loaded;
  };
});

/** Every currency's digits, read at most once per request. */
export function requestDigitsMap(ctx: GraphQLContext): Promise<Map<string, number>> {
  return requestDigits(ctx)();
}

/**
 * Digits of a currency: process cache first (answered at once, so a page of amounts resolves without a
 * promise per row), else this request's one read of the currencies table.
 */
export function digitsOf(ctx: GraphQLContext, currency: string): number | Promise<number> {
  const cached = cachedCurrencyDigits(currency);
  if (cached !== undefined) return cached;
  return requestDigitsMap(ctx).then((digits) => {
    const found = digits.get(currency);
    if (found === undefined) throw new Error(`unknown currency ${currency}`);
    return found;
  });
}

/** A Money value for GraphQL (resolve `amount` etc. fields with this). */
export function money(ctx: GraphQLContext, minor: bigint, currency: string): MoneyShape | Promise<MoneyShape> {
  const digits = digitsOf(ctx, currency);
  return typeof digits === 'number' ? { minor, currency, digits } : digits.then((d) => ({ minor, currency, digits: d }));
}

/** Same, for a nullable amount. */
export function maybeMoney(ctx: GraphQLContext, minor: bigint | null | undefined, currency: string | null | undefined): MoneyShape | null | Promise<MoneyShape | null> {
  if (minor === null || minor === undefined || !currency) return null;
  return money(ctx, minor, currency);
}

/** A limit bound: 0 means "no limit" (seed 001), shown as null. */
export function boundMoney(ctx: GraphQLContext, minor: bigint, currency: string): MoneyShape | null | Promise<MoneyShape | null> {
  return minor === 0n ? null : money(ctx, minor, currency);
}

export const MoneyRef = builder.objectRef<MoneyShape>('Money').implement({
  description: 'An amount of money: an exact decimal string with the currency\'s digits, and the currency.',
  fields: (t) => ({
    amount: t.field({
      type: 'Decimal',
      description: 'Decimal string with exactly `digits` fractional digits, e.g. "150.00" (THB), "15000" (IDR), "1.500000" (USDT).',
      resolve: (m) => formatAmount(m.minor, m.digits),
    }),
    currency: t.string({ description: 'Currency code, e.g. THB.', resolve: (m) => m.currency }),
    digits: t.int({ description: 'Fractional digits of the currency.', resolve: (m) => m.digits }),
    minorUnits: t.string({
      description: 'The amount in integer minor units, as a string (for exact arithmetic and sorting on the client).',
      resolve: (m) => m.minor.toString(),
    }),
  }),
});

/** A fee rate in parts per million shown as a percent string: 25000 → "2.5". */
export function ratePercent(ppm: bigint): string {
  return formatRatePercent(ppm);
}
