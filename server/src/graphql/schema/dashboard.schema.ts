import { builder } from '../builder.ts';
import { forbidden } from '../../modules/auth/authorize.ts';
import type { GraphQLContext } from '../context.ts';
import { convertMinor, dailyStats, scaleRate, totalsByCurrency, type Conversion, type DayStat } from '../lists/dashboard.ts';
import { badInput } from '../lists/errors.ts';
import { parseIds } from '../lists/filters.ts';
import { merchantScope, UnsupportedScopeError, type MerchantScope } from '../lists/scope.ts';
import { money, MoneyRef, requestDigitsMap, type MoneyShape } from '../money.ts';

/**
 * The dashboard (seed 002 dashboard, seed 000 home page): payin and payout amounts and counts per day
 * and currency, success rate, grouped by creation or activation date, with amounts also converted to a
 * display currency (USD by default) through the display-only FX rates. Days without rows are absent.
 */

const MAX_DAYS = 366;

const DashboardGroupByEnum = builder.enumType('DashboardGroupBy', {
  description: 'CREATED: by creation date. ACTIVATED: by activation date (payin paid / stockpiling completed, payout finished).',
  values: ['CREATED', 'ACTIVATED'] as const,
});

const DashboardFilter = builder.inputType('DashboardFilter', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true, description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', required: true, description: 'Exclusive; at most 366 days after `from`.' }),
    timezone: t.string({ required: true, defaultValue: 'UTC', description: 'IANA time zone that cuts the days.' }),
    groupBy: t.field({ type: DashboardGroupByEnum, required: true, defaultValue: 'CREATED' }),
    displayCurrency: t.string({ required: true, defaultValue: 'USD' }),
    currencies: t.stringList({ required: false }),
    merchantIds: t.idList({ required: false }),
    serviceCodes: t.stringList({ required: false }),
    test: t.boolean({ required: false, description: 'Only test (true) or only live (false) transactions; both when absent.' }),
  }),
});

interface StatShape extends Omit<DayStat, 'day'> {
  day?: string;
  display: { currency: string; digits: number; conversion: Conversion | null; fromDigits: number } | null;
}

interface SeriesShape {
  days: StatShape[];
  totals: StatShape[];
}

interface DashboardShape {
  from: Date;
  to: Date;
  timezone: string;
  groupBy: 'CREATED' | 'ACTIVATED';
  displayCurrency: string;
  payins: SeriesShape;
  payouts: SeriesShape;
}

function statFields<T extends StatShape>(t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<any>, T>) {
  return {
    currency: t.string({ resolve: (s: T) => s.currency }),
    count: t.int({ description: 'Transactions in the period.', resolve: (s: T) => s.count }),
    amount: t.field({ type: MoneyRef, description: 'Sum of their amounts.', resolve: (s: T, _a: unknown, ctx: GraphQLContext) => money(ctx, s.amount, s.currency) }),
    successCount: t.int({ description: 'Activated (SUCCEEDED) transactions.', resolve: (s: T) => s.successCount }),
    successAmount: t.field({
      type: MoneyRef,
      description: 'Activated amount (payins: paid amount; payouts: amount).',
      resolve: (s: T, _a: unknown, ctx: GraphQLContext) => money(ctx, s.successAmount, s.currency),
    }),
    fee: t.field({ type: MoneyRef, description: 'Fees of the activated transactions.', resolve: (s: T, _a: unknown, ctx: GraphQLContext) => money(ctx, s.fee, s.currency) }),
    successRate: t.float({
      nullable: true,
      description: 'successCount / count (a ratio 0–1, not money); null when count is 0.',
      resolve: (s: T) => (s.count === 0 ? null : s.successCount / s.count),
    }),
    successAmountDisplay: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'successAmount in the display currency; null when no FX rate is known.',
      resolve: (s: T) => displayMoney(s, s.successAmount),
    }),
    amountDisplay: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'amount in the display currency; null when no FX rate is known.',
      resolve: (s: T) => displayMoney(s, s.amount),
    }),
  };
}

function displayMoney(s: StatShape, minor: bigint): MoneyShape | null {
  if (!s.display || !s.display.conversion) return null;
  const converted = convertMinor(minor, s.display.fromDigits, s.display.digits, s.display.conversion);
  return { minor: converted, currency: s.display.currency, digits: s.display.digits };
}

const DashboardDayRef = builder.objectRef<StatShape>('DashboardDay').implement({
  description: 'One day and currency.',
  fields: (t) => ({
    day: t.string({ description: 'YYYY-MM-DD in the requested time zone.', resolve: (s) => s.day ?? '' }),
    ...statFields(t as never),
  }),
});

const DashboardTotalRef = builder.objectRef<StatShape>('DashboardTotal').implement({
  description: 'One currency over the whole period.',
  fields: (t) => statFields(t as never),
});

const DashboardSeriesRef = builder.objectRef<SeriesShape>('DashboardSeries').implement({
  fields: (t) => ({
    days: t.field({ type: [DashboardDayRef], description: 'Per day and currency, oldest first.', resolve: (s) => s.days }),
    totals: t.field({ type: [DashboardTotalRef], description: 'Per currency over the period.', resolve: (s) => s.totals }),
  }),
});

const DashboardRef = builder.objectRef<DashboardShape>('Dashboard').implement({
  fields: (t) => ({
    from: t.field({ type: 'DateTime', resolve: (d) => d.from }),
    to: t.field({ type: 'DateTime', resolve: (d) => d.to }),
    timezone: t.string({ resolve: (d) => d.timezone }),
    groupBy: t.field({ type: DashboardGroupByEnum, resolve: (d) => d.groupBy }),
    displayCurrency: t.string({ resolve: (d) => d.displayCurrency }),
    payins: t.field({ type: DashboardSeriesRef, resolve: (d) => d.payins }),
    payouts: t.field({ type: DashboardSeriesRef, resolve: (d) => d.payouts }),
  }),
});

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function scopeOf(ctx: GraphQLContext, model: 'Order' | 'Payout'): MerchantScope {
  try {
    return merchantScope(ctx, model);
  } catch (error) {
    if (error instanceof UnsupportedScopeError) throw forbidden('these statistics are not available to this viewer');
    throw error;
  }
}

builder.queryField('dashboard', (t) =>
  t.field({
    type: DashboardRef,
    description: 'Payin and payout statistics by day and currency over the transactions the viewer may read.',
    args: { filter: t.arg({ type: DashboardFilter, required: true }) },
    resolve: async (_root, { filter }, ctx) => {
      const payinScope = scopeOf(ctx, 'Order');
      const payoutScope = scopeOf(ctx, 'Payout');
      if (filter.to <= filter.from) throw badInput('INVALID_RANGE', '"to" must be after "from"', { field: 'filter.to' });
      if (filter.to.getTime() - filter.from.getTime() > MAX_DAYS * 86_400_000) {
        throw badInput('RANGE_TOO_LONG', `at most ${MAX_DAYS} days`, { field: 'filter.to' });
      }
      if (!validTimeZone(filter.timezone)) throw badInput('INVALID_TIMEZONE', `unknown time zone ${filter.timezone}`, { field: 'filter.timezone' });
      const digits = await requestDigitsMap(ctx);
      const displayDigits = digits.get(filter.displayCurrency);
      if (displayDigits === undefined) {
        throw badInput('UNKNOWN_CURRENCY', `unknown currency ${filter.displayCurrency}`, { field: 'filter.displayCurrency' });
      }
      const base = {
        from: filter.from,
        to: filter.to,
        timezone: filter.timezone,
        groupBy: filter.groupBy,
        merchantIds: parseIds('Merchant', 'merchantIds', filter.merchantIds),
        currencies: filter.currencies ?? undefined,
        serviceCodes: filter.serviceCodes ?? undefined,
        test: filter.test,
      };
      const [payinDays, payoutDays, rates] = await Promise.all([
        dailyStats(ctx.prisma, 'PAYIN', { ...base, scope: payinScope }),
        dailyStats(ctx.prisma, 'PAYOUT', { ...base, scope: payoutScope }),
        ctx.prisma.fxRate.findMany({
          where: { OR: [{ quote: filter.displayCurrency }, { base: filter.displayCurrency }] },
          select: { base: true, quote: true, rate: true },
        }),
      ]);
      const conversions = new Map<string, Conversion>();
      for (const r of rates) {
        if (r.quote === filter.displayCurrency) conversions.set(r.base, { rate: scaleRate(r.rate.toFixed()), inverse: false });
      }
      for (const r of rates) {
        if (r.base === filter.displayCurrency && !conversions.has(r.quote) && !r.rate.isZero()) {
          conversions.set(r.quote, { rate: scaleRate(r.rate.toFixed()), inverse: true });
        }
      }
      const identity: Conversion = { rate: 10n ** 12n, inverse: false };
      const withDisplay = (s: Omit<DayStat, 'day'> & { day?: string }): StatShape => ({
        ...s,
        display: {
          currency: filter.displayCurrency,
          digits: displayDigits,
          fromDigits: digits.get(s.currency) ?? 0,
          conversion: s.currency === filter.displayCurrency ? identity : (conversions.get(s.currency) ?? null),
        },
      });
      const series = (days: DayStat[]): SeriesShape => ({ days: days.map(withDisplay), totals: totalsByCurrency(days).map(withDisplay) });
      return {
        from: filter.from,
        to: filter.to,
        timezone: filter.timezone,
        groupBy: filter.groupBy,
        displayCurrency: filter.displayCurrency,
        payins: series(payinDays),
        payouts: series(payoutDays),
      };
    },
  }),
);
