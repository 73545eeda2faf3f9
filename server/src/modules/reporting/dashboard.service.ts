import { badInput } from '../../lib/where.ts';
import { forbidden, type RequestContext } from '../auth/authorize.ts';
import type { ModelName } from '../auth/ability.ts';
import { dailyStats, totalsByCurrency, type DashboardGroupBy, type DayStat } from './dashboard.sql.ts';
import { conversionsInto, convertMinor, IDENTITY, type Conversion } from './fx.ts';
import { merchantScope, UnsupportedScopeError, type MerchantScope } from './scope.ts';

/**
 * The dashboard (seed 002 dashboard, seed 000 home page): payin and payout amounts and counts per day
 * and currency over the transactions the viewer may read, grouped by creation or activation date, with
 * amounts also converted to a display currency (USD by default) through the display-only FX rates.
 * Days without rows are absent. Amounts are minor units; the adapter formats them.
 */

export const MAX_DASHBOARD_DAYS = 366;

export interface DashboardInput {
  from: Date;
  to: Date;
  /** IANA time zone that cuts the days. */
  timezone: string;
  groupBy: DashboardGroupBy;
  displayCurrency: string;
  /** Parsed merchant UUIDs (narrowing the viewer's scope, never widening it). */
  merchantIds?: string[];
  currencies?: string[];
  serviceCodes?: string[];
  /** Only test (true) or only live (false); both when null. */
  test?: boolean | null;
}

/** An amount in minor units with its currency and that currency's digits. */
export interface DisplayAmount {
  minor: bigint;
  currency: string;
  digits: number;
}

export interface DashboardStat extends Omit<DayStat, 'day'> {
  /** YYYY-MM-DD in the requested time zone (absent on totals). */
  day?: string;
  /** Digits of `currency`. */
  digits: number;
  /** `amount` / `successAmount` in the display currency; null when no FX rate is known. */
  amountDisplay: DisplayAmount | null;
  successAmountDisplay: DisplayAmount | null;
}

export interface DashboardSeries {
  days: DashboardStat[];
  totals: DashboardStat[];
}

export interface Dashboard {
  from: Date;
  to: Date;
  timezone: string;
  groupBy: DashboardGroupBy;
  displayCurrency: string;
  displayDigits: number;
  payins: DashboardSeries;
  payouts: DashboardSeries;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The viewer's merchants for an aggregation; FORBIDDEN when its rules cannot be expressed as merchants. */
function scopeOf(ctx: Pick<RequestContext, 'viewer' | 'ability'>, model: ModelName): MerchantScope {
  try {
    return merchantScope(ctx, model);
  } catch (error) {
    if (error instanceof UnsupportedScopeError) throw forbidden('these statistics are not available to this viewer');
    throw error;
  }
}

export async function dashboard(ctx: RequestContext, input: DashboardInput): Promise<Dashboard> {
  const payinScope = scopeOf(ctx, 'Order');
  const payoutScope = scopeOf(ctx, 'Payout');
  if (input.to <= input.from) throw badInput('INVALID_RANGE', '"to" must be after "from"', { field: 'filter.to' });
  if (input.to.getTime() - input.from.getTime() > MAX_DASHBOARD_DAYS * 86_400_000) {
    throw badInput('RANGE_TOO_LONG', `at most ${MAX_DASHBOARD_DAYS} days`, { field: 'filter.to' });
  }
  if (!validTimeZone(input.timezone)) throw badInput('INVALID_TIMEZONE', `unknown time zone ${input.timezone}`, { field: 'filter.timezone' });
  const currencies = await ctx.prisma.currency.findMany({ select: { code: true, digits: true } });
  const digits = new Map(currencies.map((c) => [c.code, c.digits]));
  const displayDigits = digits.get(input.displayCurrency);
  if (displayDigits === undefined) {
    throw badInput('UNKNOWN_CURRENCY', `unknown currency ${input.displayCurrency}`, { field: 'filter.displayCurrency' });
  }
  const query = {
    from: input.from,
    to: input.to,
    timezone: input.timezone,
    groupBy: input.groupBy,
    merchantIds: input.merchantIds,
    currencies: input.currencies,
    serviceCodes: input.serviceCodes,
    test: input.test,
  };
  const [payinDays, payoutDays, conversions] = await Promise.all([
    dailyStats(ctx.prisma, 'PAYIN', { ...query, scope: payinScope }),
    dailyStats(ctx.prisma, 'PAYOUT', { ...query, scope: payoutScope }),
    conversionsInto(ctx.prisma, input.displayCurrency),
  ]);

  const withDisplay = (s: Omit<DayStat, 'day'> & { day?: string }): DashboardStat => {
    const fromDigits = digits.get(s.currency) ?? 0;
    const conversion: Conversion | null = s.currency === input.displayCurrency ? IDENTITY : (conversions.get(s.currency) ?? null);
    const display = (minor: bigint): DisplayAmount | null =>
      conversion ? { minor: convertMinor(minor, fromDigits, displayDigits, conversion), currency: input.displayCurrency, digits: displayDigits } : null;
    return { ...s, digits: fromDigits, amountDisplay: display(s.amount), successAmountDisplay: display(s.successAmount) };
  };
  const series = (days: DayStat[]): DashboardSeries => ({ days: days.map(withDisplay), totals: totalsByCurrency(days).map(withDisplay) });
  return {
    from: input.from,
    to: input.to,
    timezone: input.timezone,
    groupBy: input.groupBy,
    displayCurrency: input.displayCurrency,
    displayDigits,
    payins: series(payinDays),
    payouts: series(payoutDays),
  };
}
