import type { PayoutStatus } from '../../generated/prisma/enums.ts';
import type { AmountRangeText, DateRange, Where } from '../../lib/where.ts';
import { and, dateRange, equals, inList, searchExact } from '../../lib/where.ts';
import { parseTransactionFilter, transactionWhere, type TransactionFilter } from '../payins/payins.query.ts';

/**
 * The payout-list query spec of seed 002 ("Withdrawals"): the columns payouts share with payins
 * (orders/payins.query.ts) plus their own, as a Prisma where. Pure: callers AND it with the viewer's
 * access rule. `PayoutFilterInput` is the filter as a client gives it (node ids, decimal strings).
 */

type Maybe<T> = T | null | undefined;

export interface PayoutFilter extends TransactionFilter {
  payoutNo?: Maybe<string>;
  status?: Maybe<readonly PayoutStatus[]>;
  /** Seed 002 withdrawals "Recipient": the recipient's account / wallet number, exact. */
  recipientAccount?: Maybe<string>;
  /** When the payout reached its final status. */
  finishedAt?: Maybe<DateRange>;
}

export type PayoutFilterInput = Omit<PayoutFilter, 'amount'> & { amount?: Maybe<AmountRangeText> };

/** `digits`: the digits of `input.amount.currency` (undefined when that currency is unknown). */
export function parsePayoutFilter(input: PayoutFilterInput, digits?: number): PayoutFilter {
  const { amount: _text, ...rest } = input;
  return { ...rest, ...parseTransactionFilter('Payout', input, digits) };
}

/**
 * The Prisma where (Payout) of a payout filter. `opts.sensitive: false` (a viewer who sees recipient
 * accounts masked) leaves the recipient account out of `search`, so a search cannot confirm a guessed
 * account number; such a viewer's `recipientAccount` filter is refused before this is called
 * (`assertMaskedFilterAllowed` in modules/auth/masking.ts).
 */
export function payoutWhere(filter: PayoutFilter, opts: { sensitive?: boolean } = {}): Where {
  const sensitive = opts.sensitive ?? true;
  return and(
    ...transactionWhere(filter),
    equals('payoutNo', filter.payoutNo),
    inList('status', filter.status),
    equals('recipientAccount', filter.recipientAccount),
    dateRange('finishedAt', filter.finishedAt),
    searchExact(sensitive ? ['payoutNo', 'outTradeNo', 'userLabel', 'recipientAccount'] : ['payoutNo', 'outTradeNo', 'userLabel'], filter.search),
  );
}
