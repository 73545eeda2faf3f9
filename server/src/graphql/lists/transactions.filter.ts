import type {
  AccumulationStatus,
  CreationType,
  OrderStatus,
  Originality,
  PayoutStatus,
  PostbackStatus,
  ServiceKind,
} from '../../generated/prisma/enums.ts';
import { amountRange, and, dateRange, equals, inList, isValue, parseIds, searchExact, type Where } from './filters.ts';
import type { AmountRange, DateRange } from './inputs.ts';

/**
 * The transaction-list filters of seed 002 (payins "Transactions", payouts "Withdrawals") as Prisma
 * where clauses. Pure: the resolver ANDs the result with the viewer's access rule.
 *
 * Text fields (order no, out_trade_no, label, recipient) are exact matches on indexed columns; `search`
 * matches any of the list's indexed identifiers exactly (one bitmap OR of index scans, never a scan of
 * the table). Lists of values are OR within the list and AND
 * across fields; an empty list means "any".
 */

type Maybe<T> = T | null | undefined;

interface CommonTransactionFilter {
  ids?: Maybe<readonly string[]>;
  outTradeNo?: Maybe<string>;
  userLabel?: Maybe<string>;
  creationType?: Maybe<CreationType>;
  originality?: Maybe<Originality>;
  postbackStatus?: Maybe<readonly PostbackStatus[]>;
  serviceCodes?: Maybe<readonly string[]>;
  serviceKinds?: Maybe<readonly ServiceKind[]>;
  channelIds?: Maybe<readonly string[]>;
  merchantIds?: Maybe<readonly string[]>;
  appIds?: Maybe<readonly string[]>;
  currencies?: Maybe<readonly string[]>;
  createdAt?: Maybe<DateRange>;
  amount?: Maybe<AmountRange>;
  test?: Maybe<boolean>;
  search?: Maybe<string>;
}

export interface OrderFilter extends CommonTransactionFilter {
  orderNo?: Maybe<string>;
  status?: Maybe<readonly OrderStatus[]>;
  accumulationStatus?: Maybe<readonly AccumulationStatus[]>;
  /** Activation date (seed 002): when the order succeeded. */
  paidAt?: Maybe<DateRange>;
}

export interface PayoutFilter extends CommonTransactionFilter {
  payoutNo?: Maybe<string>;
  status?: Maybe<readonly PayoutStatus[]>;
  /** Seed 002 withdrawals "Recipient": the recipient's account / wallet number, exact. */
  recipientAccount?: Maybe<string>;
  /** When the payout reached its final status. */
  finishedAt?: Maybe<DateRange>;
}

function common(typename: string, f: CommonTransactionFilter, digits: number | undefined): Where[] {
  const service = and(inList('code', f.serviceCodes), inList('kind', f.serviceKinds));
  return [
    inList('id', parseIds(typename, 'ids', f.ids)),
    equals('outTradeNo', f.outTradeNo),
    equals('userLabel', f.userLabel),
    isValue('creationType', f.creationType),
    isValue('originality', f.originality),
    inList('postbackStatus', f.postbackStatus),
    Object.keys(service).length ? { service } : {},
    inList('channelId', parseIds('Channel', 'channelIds', f.channelIds)),
    inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
    inList('appId', parseIds('App', 'appIds', f.appIds)),
    inList('currencyCode', f.currencies),
    dateRange('createdAt', f.createdAt),
    amountRange('amount', 'currencyCode', f.amount, digits),
    isValue('test', f.test),
  ].filter((w): w is Where => !!w);
}

/** `digits`: the digits of `filter.amount.currency` (undefined when that currency is unknown). */
export function orderFilterWhere(filter: OrderFilter, digits?: number): Where {
  return and(
    ...common('Order', filter, digits),
    equals('orderNo', filter.orderNo),
    inList('status', filter.status),
    inList('accumulationStatus', filter.accumulationStatus),
    dateRange('paidAt', filter.paidAt),
    searchExact(['orderNo', 'outTradeNo', 'userLabel', 'prepayId'], filter.search),
  );
}

/**
 * `opts.sensitive: false` (a viewer who sees recipient accounts masked) leaves the recipient account out
 * of `search`, so a search cannot confirm a guessed account number; such a viewer's `recipientAccount`
 * filter is refused before this is called (graphql/lists/masking.ts).
 */
export function payoutFilterWhere(filter: PayoutFilter, digits?: number, opts: { sensitive?: boolean } = {}): Where {
  const sensitive = opts.sensitive ?? true;
  return and(
    ...common('Payout', filter, digits),
    equals('payoutNo', filter.payoutNo),
    inList('status', filter.status),
    equals('recipientAccount', filter.recipientAccount),
    dateRange('finishedAt', filter.finishedAt),
    searchExact(sensitive ? ['payoutNo', 'outTradeNo', 'userLabel', 'recipientAccount'] : ['payoutNo', 'outTradeNo', 'userLabel'], filter.search),
  );
}
