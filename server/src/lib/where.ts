import { DomainError } from './errors.ts';
import { MoneyParseError, parseAmount } from './money.ts';

/**
 * Pure builders of Prisma `where` fragments, the vocabulary of the query specs in `modules/` (payin and
 * payout filters, exports) and of the GraphQL lists. Each returns `undefined` when its argument is
 * absent, and `and()` drops those, so a list's where is `and(access, f1, f2, …)`.
 *
 * A client mistake in a filter (unparsable amount or day, a range whose end is before its start) is a
 * DomainError `BAD_USER_INPUT` with a stable `reason` (INVALID_RANGE, INVALID_AMOUNT …) in its details.
 */

export type Where = Record<string, unknown>;

type Maybe<T> = T | null | undefined;

/** A client mistake in a filter or list argument: code BAD_USER_INPUT, `reason` and the offending `field` beside it. */
export function badInput(reason: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('BAD_USER_INPUT', message, { reason, ...details });
}

/** AND of the given fragments, leaving out absent ones. */
export function and(...parts: Array<Where | undefined | null | false>): Where {
  const present = parts.filter((p): p is Where => !!p && Object.keys(p).length > 0);
  if (present.length === 0) return {};
  if (present.length === 1) return present[0]!;
  return { AND: present };
}

/** `field IN (values)` when a non-empty list is given. An empty list means "no filter" (the SPA's cleared select). */
export function inList<T>(field: string, values: Maybe<readonly T[]>): Where | undefined {
  if (!values || values.length === 0) return undefined;
  return values.length === 1 ? { [field]: values[0] } : { [field]: { in: [...values] } };
}

/** Exact match on a trimmed string; empty means "no filter". */
export function equals(field: string, value: Maybe<string>): Where | undefined {
  const v = value?.trim();
  return v ? { [field]: v } : undefined;
}

export function isValue<T>(field: string, value: Maybe<T>): Where | undefined {
  return value === null || value === undefined ? undefined : { [field]: value };
}

/** A time range: `from` inclusive, `to` exclusive; either side may be left out. */
export interface DateRange {
  from?: Date | null;
  to?: Date | null;
}

/** `from <= field < to`. */
export function dateRange(field: string, range: Maybe<DateRange>): Where | undefined {
  if (!range || (!range.from && !range.to)) return undefined;
  if (range.from && range.to && range.to <= range.from) {
    throw badInput('INVALID_RANGE', `${field}: "to" must be after "from"`, { field });
  }
  return { [field]: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } };
}

/** A range of calendar days as YYYY-MM-DD, both ends inclusive. */
export interface DayRange {
  from?: string | null;
  to?: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses YYYY-MM-DD into the UTC midnight Prisma uses for `@db.Date` columns. */
export function parseDay(field: string, text: string): Date {
  const date = new Date(`${text}T00:00:00.000Z`);
  if (!DAY.test(text) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw badInput('INVALID_DATE', `${field}: "${text}" is not a YYYY-MM-DD date`, { field });
  }
  return date;
}

/** Inclusive day range on a `@db.Date` column. */
export function dayRange(field: string, range: Maybe<DayRange>): Where | undefined {
  if (!range || (!range.from && !range.to)) return undefined;
  const from = range.from ? parseDay(field, range.from) : undefined;
  const to = range.to ? parseDay(field, range.to) : undefined;
  if (from && to && to < from) throw badInput('INVALID_RANGE', `${field}: "to" is before "from"`, { field });
  return { [field]: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } };
}

/** Amounts between `min` and `max` (both inclusive, minor units) in one currency. */
export interface AmountFilter {
  currency: string;
  min?: bigint;
  max?: bigint;
}

/** An amount range as a client gives it: decimal strings with at most the currency's digits. */
export interface AmountRangeText {
  currency: string;
  min?: string | null;
  max?: string | null;
}

/**
 * Parses an amount range exactly with the currency's digits (an amount with more digits than the
 * currency has is refused, not rounded). `digits` undefined: the currency is unknown.
 */
export function parseAmountRange(range: Maybe<AmountRangeText>, digits: number | undefined): AmountFilter | undefined {
  if (!range) return undefined;
  if (digits === undefined) throw badInput('UNKNOWN_CURRENCY', `unknown currency ${range.currency}`, { field: 'amount.currency' });
  const min = range.min ? parseBound('amount.min', range.min, digits) : undefined;
  const max = range.max ? parseBound('amount.max', range.max, digits) : undefined;
  if (min !== undefined && max !== undefined && max < min) throw badInput('INVALID_RANGE', 'amount: max is below min', { field: 'amount' });
  return { currency: range.currency, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

function parseBound(field: string, text: string, digits: number): bigint {
  try {
    return parseAmount(text, digits);
  } catch (error) {
    if (error instanceof MoneyParseError) throw badInput('INVALID_AMOUNT', `${field}: ${error.message}`, { field, why: error.reason });
    throw error;
  }
}

/** `min <= amount <= max` in one currency; also narrows to the currency. */
export function amountWhere(amountField: string, currencyField: string, filter: Maybe<AmountFilter>): Where | undefined {
  if (!filter) return undefined;
  const bounds = { ...(filter.min !== undefined ? { gte: filter.min } : {}), ...(filter.max !== undefined ? { lte: filter.max } : {}) };
  return { [currencyField]: filter.currency, ...(Object.keys(bounds).length ? { [amountField]: bounds } : {}) };
}

/** Exact match of a search term on any of the given identifier columns (indexed; no scans). */
export function searchExact(fields: readonly string[], term: Maybe<string>): Where | undefined {
  const v = term?.trim();
  if (!v) return undefined;
  return { OR: fields.map((f) => ({ [f]: v })) };
}

/** Case-insensitive substring search on names (for small tables: merchants, users, channels …). */
export function searchContains(fields: readonly string[], term: Maybe<string>): Where | undefined {
  const v = term?.trim();
  if (!v) return undefined;
  return { OR: fields.map((f) => ({ [f]: { contains: v, mode: 'insensitive' } })) };
}
