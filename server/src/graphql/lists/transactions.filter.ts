import { parsePayinFilter, payinWhere, type PayinFilterInput } from '../../modules/payins/payins.query.ts';
import { parsePayoutFilter, payoutWhere, type PayoutFilterInput } from '../../modules/payouts/payouts.query.ts';
import type { Where } from '../../lib/where.ts';

/**
 * The `payins` and `payouts` list filters (seed 002 "Transactions" and "Withdrawals") as Prisma where
 * clauses: the filter argument parsed into the domain's typed filter, then the domain's query spec
 * (modules/payins/payins.query.ts, modules/payouts/payouts.query.ts). The resolver ANDs the result
 * with the viewer's access rule.
 */

export type PayinFilter = PayinFilterInput;
export type PayoutFilter = PayoutFilterInput;

/** `digits`: the digits of `filter.amount.currency` (undefined when that currency is unknown). */
export function payinFilterWhere(filter: PayinFilter, digits?: number): Where {
  return payinWhere(parsePayinFilter(filter, digits));
}

/**
 * `opts.sensitive: false` (a viewer who sees recipient accounts masked) leaves the recipient account
 * out of `search`; such a viewer's `recipientAccount` filter is refused before this is called.
 */
export function payoutFilterWhere(filter: PayoutFilter, digits?: number, opts: { sensitive?: boolean } = {}): Where {
  return payoutWhere(parsePayoutFilter(filter, digits), opts);
}
