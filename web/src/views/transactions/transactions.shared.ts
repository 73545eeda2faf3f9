import type { AccumulationStatus, CreationType, PayinFilter, PayinStatus, Originality, PayoutFilter, PayoutStatus, PostbackStatus, ServiceKind } from '@/gql/graphql';
import { i18n } from '@/locales';
import { checkAmount } from '@/utils/amount-check';
import { humanizeCode } from '@/utils/codes';
import { minorToDecimal } from '@/utils/money';
import type { MoneyValue } from '@/utils/money';
import { dayRangeInput } from '@/utils/time';

/**
 * What the payin and payout lists share: their URL filter shapes (seed 002 basic filters and the
 * "more filters" block), how a filter in the URL becomes the GraphQL filter (the same one the export
 * receives), and amount-range checks.
 */

/** Payin list filters as kept in the URL (defaults are left out of it). */
export const PAYIN_FILTER_DEFAULTS = {
  q: '',
  status: [] as string[],
  cFrom: '',
  cTo: '',
  id: '',
  orderNo: '',
  outTradeNo: '',
  label: '',
  type: '',
  originality: '',
  postback: [] as string[],
  stockpiling: [] as string[],
  services: [] as string[],
  kinds: [] as string[],
  channels: [] as string[],
  aFrom: '',
  aTo: '',
  amountCurrency: '',
  min: '',
  max: '',
  merchants: [] as string[],
};

/** Payout list filters as kept in the URL. */
export const PAYOUT_FILTER_DEFAULTS = {
  q: '',
  status: [] as string[],
  cFrom: '',
  cTo: '',
  id: '',
  payoutNo: '',
  outTradeNo: '',
  label: '',
  recipient: '',
  type: '',
  originality: '',
  postback: [] as string[],
  services: [] as string[],
  kinds: [] as string[],
  channels: [] as string[],
  fFrom: '',
  fTo: '',
  amountCurrency: '',
  min: '',
  max: '',
  merchants: [] as string[],
};

export type PayinFilterValues = typeof PAYIN_FILTER_DEFAULTS;
export type PayoutFilterValues = typeof PAYOUT_FILTER_DEFAULTS;

/** Keys of the "more filters" block (the rest are the quick filters). */
export const MORE_FILTER_KEYS = [
  'id', 'orderNo', 'payoutNo', 'outTradeNo', 'label', 'recipient', 'type', 'originality', 'postback', 'stockpiling', 'services',
  'kinds', 'channels', 'aFrom', 'aTo', 'fFrom', 'fTo', 'amountCurrency', 'min', 'max', 'merchants',
] as const;

const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
const list = <T extends string>(value: readonly string[]) => (value.length ? (value as T[]) : undefined);

function amountRange(f: { amountCurrency: string; min: string; max: string }) {
  if (!f.amountCurrency || (!text(f.min) && !text(f.max))) return undefined;
  return { currency: f.amountCurrency, ...(text(f.min) ? { min: text(f.min) } : {}), ...(text(f.max) ? { max: text(f.max) } : {}) };
}

/** Drops undefined keys (the export stores its filter as JSON: keep it as small as what is set). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/**
 * Staff narrowed to one merchant in the header see only that merchant; otherwise the list's own
 * merchant filter applies (merchant users are narrowed by the server anyway).
 */
export function merchantIdsOf(scope: string | null, chosen: readonly string[]): string[] | undefined {
  if (scope) return [scope];
  return chosen.length ? [...chosen] : undefined;
}

/** The filters both lists have (the keys both URL shapes share), as their GraphQL filter fields. */
type SharedFilterValues = Omit<PayinFilterValues, 'orderNo' | 'stockpiling' | 'aFrom' | 'aTo'>;

/**
 * `test` is the book the back office shows (the header's "Test data" switch), never a list filter of
 * its own: a list, and the export made from it, hold either live or test rows.
 */
function sharedFilterOf(f: SharedFilterValues, scope: string | null, test: boolean) {
  return {
    search: text(f.q),
    createdAt: dayRangeInput(f.cFrom, f.cTo) ?? undefined,
    ids: text(f.id) ? [text(f.id)!] : undefined,
    outTradeNo: text(f.outTradeNo),
    userLabel: text(f.label),
    creationType: (f.type || undefined) as CreationType | undefined,
    originality: (f.originality || undefined) as Originality | undefined,
    postbackStatus: list<PostbackStatus>(f.postback),
    serviceCodes: list(f.services),
    serviceKinds: list<ServiceKind>(f.kinds),
    channelIds: list(f.channels),
    amount: amountRange(f),
    // A currency picked without bounds narrows the list to that currency.
    currencies: f.amountCurrency && !amountRange(f) ? [f.amountCurrency] : undefined,
    merchantIds: merchantIdsOf(scope, f.merchants),
    test,
  } satisfies PayinFilter & PayoutFilter;
}

export function payinFilterOf(f: PayinFilterValues, scope: string | null, test: boolean): PayinFilter {
  return compact<PayinFilter>({
    ...sharedFilterOf(f, scope, test),
    status: list<PayinStatus>(f.status),
    orderNo: text(f.orderNo),
    accumulationStatus: list<AccumulationStatus>(f.stockpiling),
    paidAt: dayRangeInput(f.aFrom, f.aTo) ?? undefined,
  });
}

export function payoutFilterOf(f: PayoutFilterValues, scope: string | null, test: boolean): PayoutFilter {
  return compact<PayoutFilter>({
    ...sharedFilterOf(f, scope, test),
    status: list<PayoutStatus>(f.status),
    payoutNo: text(f.payoutNo),
    recipientAccount: text(f.recipient),
    finishedAt: dayRangeInput(f.fFrom, f.fTo) ?? undefined,
  });
}

/**
 * The amount range of a filter form, checked before it is applied: a currency is needed, bounds are
 * plain decimals with at most the currency's digits, and min ≤ max. Returns an i18n key or null.
 */
export function amountRangeProblem(f: { amountCurrency: string; min: string; max: string }, digitsOf: (currency: string) => number | undefined): string | null {
  const min = f.min.trim();
  const max = f.max.trim();
  if (!min && !max) return null;
  if (!f.amountCurrency) return 'transactions.filters.amountNeedsCurrency';
  const digits = digitsOf(f.amountCurrency);
  if (digits === undefined) return 'transactions.filters.amountNeedsCurrency';
  const low = checkAmount(min, digits, { optional: true, zero: true });
  const high = checkAmount(max, digits, { optional: true, zero: true });
  if (low.problem || high.problem) return 'transactions.filters.amountInvalid';
  if (low.units !== null && high.units !== null && low.units > high.units) return 'transactions.filters.amountOrder';
  return null;
}

/** amount − fee of one currency, exactly (minor units), as a Money value for money-text. */
export function netOf(amount: MoneyValue & { minorUnits: string; digits: number }, fee: { minorUnits: string }): MoneyValue {
  const units = BigInt(amount.minorUnits) - BigInt(fee.minorUnits);
  return { amount: minorToDecimal(units, amount.digits), currency: amount.currency, digits: amount.digits, minorUnits: units.toString() };
}

export function isZero(value: { minorUnits: string } | null | undefined): boolean {
  return !value || BigInt(value.minorUnits) === 0n;
}

/** A timeline event type in the viewer's language (an unknown type in words, never its raw code). */
export function eventTypeLabel(type: string): string {
  const { t, te } = i18n.global;
  const key = `transactions.eventTypes.${type}`;
  return te(key) ? t(key as never) : humanizeCode(type);
}
