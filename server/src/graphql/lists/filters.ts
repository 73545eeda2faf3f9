import { amountWhere, parseAmountRange, type AmountRangeText, type Where } from '../../lib/where.ts';
import type { ScalarKind, SortColumn } from './keyset.ts';

/**
 * The list-argument builders of the GraphQL lists. The pure where builders are lib/where.ts (the
 * vocabulary the modules' query specs share) and the client-id parsers lib/global-id.ts; they are
 * re-exported here so a list imports its plumbing from one place.
 */

export {
  and,
  dateRange,
  dayRange,
  equals,
  inList,
  isValue,
  parseDay,
  searchContains,
  searchExact,
  type Where,
} from '../../lib/where.ts';
export { parseBigIds, parseIds } from '../../lib/global-id.ts';

/**
 * `min <= amount <= max` in one currency, parsed exactly with that currency's digits (an amount with
 * more digits than the currency has is refused, not rounded). Also narrows to the currency.
 */
export function amountRange(
  amountField: string,
  currencyField: string,
  range: AmountRangeText | null | undefined,
  digits: number | undefined,
): Where | undefined {
  return amountWhere(amountField, currencyField, parseAmountRange(range, digits));
}

/** A sort column definition (`name` is the GraphQL enum value, also written into cursors). */
export function column(name: string, field: string, kind: ScalarKind, nullable = false): SortColumn {
  return { name, field, kind, nullable };
}
