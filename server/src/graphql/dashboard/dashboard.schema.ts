import { parseIds } from '../../lib/global-id.ts';
import { dashboard, MAX_DASHBOARD_DAYS, type Dashboard, type DashboardSeries, type DashboardStat } from '../../modules/reporting/dashboard.service.ts';
import { builder } from '../builder.ts';
import { MoneyRef, type MoneyShape } from '../money.ts';

/**
 * The dashboard (seed 002 dashboard, seed 000 home page): payin and payout amounts and counts per day
 * and currency, success rate, grouped by creation or activation date, with amounts also converted to a
 * display currency (USD by default) through the display-only FX rates. The statistics, their scope and
 * the conversion are modules/reporting; this file parses the filter and presents the result.
 */

const DashboardGroupByEnum = builder.enumType('DashboardGroupBy', {
  description: 'CREATED: by creation date. ACTIVATED: by activation date (payin paid / stockpiling completed, payout finished).',
  values: ['CREATED', 'ACTIVATED'] as const,
});

const DashboardFilter = builder.inputType('DashboardFilter', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true, description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', required: true, description: `Exclusive; at most ${MAX_DASHBOARD_DAYS} days after \`from\`.` }),
    timezone: t.string({ required: true, defaultValue: 'UTC', description: 'IANA time zone that cuts the days.' }),
    groupBy: t.field({ type: DashboardGroupByEnum, required: true, defaultValue: 'CREATED' }),
    displayCurrency: t.string({ required: true, defaultValue: 'USD' }),
    currencies: t.stringList({ required: false }),
    merchantIds: t.idList({ required: false }),
    serviceCodes: t.stringList({ required: false }),
    test: t.boolean({ required: false, description: 'Only test (true) or only live (false) transactions; both when absent.' }),
  }),
});

type StatShape = DashboardStat;
type SeriesShape = DashboardSeries;

function statFields<T extends StatShape>(t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<any>, T>) {
  return {
    currency: t.string({ resolve: (s: T) => s.currency }),
    count: t.int({ description: 'Transactions in the period.', resolve: (s: T) => s.count }),
    amount: t.field({ type: MoneyRef, description: 'Sum of their amounts.', resolve: (s: T) => amount(s, s.amount) }),
    successCount: t.int({ description: 'Activated (SUCCEEDED) transactions.', resolve: (s: T) => s.successCount }),
    successAmount: t.field({
      type: MoneyRef,
      description: 'Activated amount (payins: paid amount; payouts: amount).',
      resolve: (s: T) => amount(s, s.successAmount),
    }),
    fee: t.field({ type: MoneyRef, description: 'Fees of the activated transactions.', resolve: (s: T) => amount(s, s.fee) }),
    successRate: t.float({
      nullable: true,
      description: 'successCount / count (a ratio 0–1, not money); null when count is 0.',
      resolve: (s: T) => (s.count === 0 ? null : s.successCount / s.count),
    }),
    successAmountDisplay: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'successAmount in the display currency; null when no FX rate is known.',
      resolve: (s: T) => s.successAmountDisplay,
    }),
    amountDisplay: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'amount in the display currency; null when no FX rate is known.',
      resolve: (s: T) => s.amountDisplay,
    }),
  };
}

/** An amount of the stat's currency as Money. */
function amount(s: StatShape, minor: bigint): MoneyShape {
  return { minor, currency: s.currency, digits: s.digits };
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

const DashboardRef = builder.objectRef<Dashboard>('Dashboard').implement({
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

builder.queryField('dashboard', (t) =>
  t.field({
    type: DashboardRef,
    description: 'Payin and payout statistics by day and currency over the transactions the viewer may read.',
    args: { filter: t.arg({ type: DashboardFilter, required: true }) },
    resolve: (_root, { filter }, ctx) =>
      dashboard(ctx, {
        from: filter.from,
        to: filter.to,
        timezone: filter.timezone,
        groupBy: filter.groupBy,
        displayCurrency: filter.displayCurrency,
        merchantIds: parseIds('Merchant', 'merchantIds', filter.merchantIds),
        currencies: filter.currencies ?? undefined,
        serviceCodes: filter.serviceCodes ?? undefined,
        test: filter.test,
      }),
  }),
);
