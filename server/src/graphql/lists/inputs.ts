import { builder } from '../builder.ts';
import { SortDirectionEnum } from '../schema/enums.schema.ts';
import type { AmountRangeText, DateRange, DayRange } from '../../lib/where.ts';
import type { KeysetSort, SortColumn } from './keyset.ts';

/** Input types shared by the list fields: date ranges, amount ranges, sort orders. */

export type { DateRange, DayRange };

export const DateRangeInput = builder.inputType('DateRangeInput', {
  description: 'A time range: `from` inclusive, `to` exclusive (send the next midnight in your time zone for "up to this day"). Either side may be left out.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false }),
    to: t.field({ type: 'DateTime', required: false }),
  }),
});

export const DayRangeInput = builder.inputType('DayRangeInput', {
  description: 'A range of calendar days as YYYY-MM-DD, both ends inclusive.',
  fields: (t) => ({
    from: t.string({ required: false }),
    to: t.string({ required: false }),
  }),
});

export type AmountRange = AmountRangeText;

export const AmountRangeInput = builder.inputType('AmountRangeInput', {
  description:
    'Amounts between `min` and `max` (both inclusive, decimal strings with at most the currency\'s digits) in one currency; also narrows the list to that currency.',
  fields: (t) => ({
    currency: t.string({ required: true }),
    min: t.field({ type: 'Decimal', required: false }),
    max: t.field({ type: 'Decimal', required: false }),
  }),
});

export type SortArg<F extends string> = { field: F; direction?: 'ASC' | 'DESC' | null } | null | undefined;

/**
 * A sort order for one list: `<Name>SortField` enum and `<Name>Sort` input
 * `{ field, direction = DESC }`. Every order is tie-broken by id in the same direction.
 */
export function sortInput<const F extends string>(name: string, fields: Record<F, SortColumn>, description?: string) {
  const fieldEnum = builder.enumType(`${name}SortField`, { values: Object.keys(fields) as F[] });
  const input = builder.inputType(`${name}Sort`, {
    ...(description ? { description } : {}),
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true }),
      direction: t.field({ type: SortDirectionEnum, required: true, defaultValue: 'DESC' }),
    }),
  });
  return { input, fields };
}

/** The keyset sort for an argument (default: `defaultField` descending). */
export function resolveSort<F extends string>(
  fields: Record<F, SortColumn>,
  arg: SortArg<F>,
  defaultField: F,
  id: KeysetSort['id'] = { field: 'id', kind: 'string' },
): KeysetSort {
  const column = fields[arg?.field ?? defaultField];
  return { column, direction: arg?.direction === 'ASC' ? 'asc' : 'desc', id };
}
