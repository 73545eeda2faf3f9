import type { AccumulationStatus, CreationType, Originality, PostbackStatus, ServiceKind } from '../../generated/prisma/enums.ts';
import type { PayinStatus } from './payins.state.ts';
import { parseIds } from '../../lib/global-id.ts';
import {
  amountWhere,
  and,
  dateRange,
  equals,
  inList,
  isValue,
  parseAmountRange,
  searchExact,
  type AmountFilter,
  type AmountRangeText,
  type DateRange,
  type Where,
} from '../../lib/where.ts';

/**
 * The transaction-list query spec of seed 002 (payins "Transactions"; payouts "Withdrawals" build on
 * the common part in payouts.query.ts): a typed filter and its Prisma where. Pure: callers (the
 * GraphQL lists, exports) AND the result with the viewer's access rule (`accessibleWhere`).
 *
 * Text fields (order no, out_trade_no, label) are exact matches on indexed columns; `search` matches
 * any of the list's indexed identifiers exactly (one bitmap OR of index scans, never a scan of the
 * table). Lists of values are OR within the list and AND across fields; an empty list means "any".
 *
 * A filter comes in two forms: `PayinFilter` (parsed: UUIDs, amounts in minor units) is what the where
 * is built from; `PayinFilterInput` is the filter as a client gives it (node ids, decimal strings), the
 * shape of the `orders` list's filter argument and of the filter an export stores.
 */

type Maybe<T> = T | null | undefined;

/** The columns payins and payouts share, parsed. */
export interface TransactionFilter {
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
  amount?: Maybe<AmountFilter>;
  test?: Maybe<boolean>;
  search?: Maybe<string>;
}

export interface PayinFilter extends TransactionFilter {
  orderNo?: Maybe<string>;
  status?: Maybe<readonly PayinStatus[]>;
  accumulationStatus?: Maybe<readonly AccumulationStatus[]>;
  /** Activation date (seed 002): when the order succeeded. */
  paidAt?: Maybe<DateRange>;
}

/** The common columns as a client gives them: ids as node ids or UUIDs, the amount range as decimal strings. */
export type TransactionFilterInput = Omit<TransactionFilter, 'amount'> & { amount?: Maybe<AmountRangeText> };

export type PayinFilterInput = Omit<PayinFilter, 'amount'> & { amount?: Maybe<AmountRangeText> };

/**
 * Parses the client form of the common columns. `typename`: the node type of `ids`; `digits`: the
 * digits of `amount.currency` (undefined when that currency is unknown). Refusals are BAD_USER_INPUT.
 */
export function parseTransactionFilter(typename: 'Payin' | 'Payout', input: TransactionFilterInput, digits: number | undefined): TransactionFilter {
  const { amount, ...rest } = input;
  return {
    ...rest,
    ids: parseIds(typename, 'ids', input.ids),
    channelIds: parseIds('Channel', 'channelIds', input.channelIds),
    merchantIds: parseIds('Merchant', 'merchantIds', input.merchantIds),
    appIds: parseIds('App', 'appIds', input.appIds),
    amount: parseAmountRange(amount, digits),
  };
}

export function parsePayinFilter(input: PayinFilterInput, digits?: number): PayinFilter {
  const { amount: _text, ...rest } = input;
  return { ...rest, ...parseTransactionFilter('Payin', input, digits) };
}

/** The where fragments of the common columns, in a stable order. */
export function transactionWhere(f: TransactionFilter): Where[] {
  const service = and(inList('code', f.serviceCodes), inList('kind', f.serviceKinds));
  return [
    inList('id', f.ids),
    equals('outTradeNo', f.outTradeNo),
    equals('userLabel', f.userLabel),
    isValue('creationType', f.creationType),
    isValue('originality', f.originality),
    inList('postbackStatus', f.postbackStatus),
    Object.keys(service).length ? { service } : {},
    inList('channelId', f.channelIds),
    inList('merchantId', f.merchantIds),
    inList('appId', f.appIds),
    inList('currencyCode', f.currencies),
    dateRange('createdAt', f.createdAt),
    amountWhere('amount', 'currencyCode', f.amount),
    isValue('test', f.test),
  ].filter((w): w is Where => !!w);
}

/** The Prisma where (Order) of a payin filter. */
export function payinWhere(filter: PayinFilter): Where {
  return and(
    ...transactionWhere(filter),
    equals('orderNo', filter.orderNo),
    inList('status', filter.status),
    inList('accumulationStatus', filter.accumulationStatus),
    dateRange('paidAt', filter.paidAt),
    searchExact(['orderNo', 'outTradeNo', 'userLabel', 'prepayId'], filter.search),
  );
}
