import { decodeGlobalID } from '@pothos/plugin-relay';
import { MoneyParseError, parseAmount } from '../../lib/money.ts';
import { badInput } from './errors.ts';
import type { AmountRange, DateRange, DayRange } from './inputs.ts';
import type { ScalarKind, SortColumn } from './keyset.ts';

/**
 * Pure builders from list arguments to Prisma `where` fragments. Each returns `undefined` when the
 * argument is absent, and `and()` drops those, so a list's where is `and(access, f1, f2, …)`.
 */

export type Where = Record<string, unknown>;

/** AND of the given fragments, leaving out absent ones. */
export function and(...parts: Array<Where | undefined | null | false>): Where {
  const present = parts.filter((p): p is Where => !!p && Object.keys(p).length > 0);
  if (present.length === 0) return {};
  if (present.length === 1) return present[0]!;
  return { AND: present };
}

/** `field IN (values)` when a non-empty list is given. An empty list means "no filter" (the SPA's cleared select). */
export function inList<T>(field: string, values: readonly T[] | null | undefined): Where | undefined {
  if (!values || values.length === 0) return undefined;
  return values.length === 1 ? { [field]: values[0] } : { [field]: { in: [...values] } };
}

/** Exact match on a trimmed string; empty means "no filter". */
export function equals(field: string, value: string | null | undefined): Where | undefined {
  const v = value?.trim();
  return v ? { [field]: v } : undefined;
}

export function isValue<T>(field: string, value: T | null | undefined): Where | undefined {
  return value === null || value === undefined ? undefined : { [field]: value };
}

/** `from <= field < to`. */
export function dateRange(field: string, range: DateRange | null | undefined): Where | undefined {
  if (!range || (!range.from && !range.to)) return undefined;
  if (range.from && range.to && range.to <= range.from) {
    throw badInput('INVALID_RANGE', `${field}: "to" must be after "from"`, { field });
  }
  return { [field]: { ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } };
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
export function dayRange(field: string, range: DayRange | null | undefined): Where | undefined {
  if (!range || (!range.from && !range.to)) return undefined;
  const from = range.from ? parseDay(field, range.from) : undefined;
  const to = range.to ? parseDay(field, range.to) : undefined;
  if (from && to && to < from) throw badInput('INVALID_RANGE', `${field}: "to" is before "from"`, { field });
  return { [field]: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } };
}

/**
 * `min <= amount <= max` in one currency, parsed exactly with that currency's digits (an amount with
 * more digits than the currency has is refused, not rounded). Also narrows to the currency.
 */
export function amountRange(
  amountField: string,
  currencyField: string,
  range: AmountRange | null | undefined,
  digits: number | undefined,
): Where | undefined {
  if (!range) return undefined;
  if (digits === undefined) throw badInput('UNKNOWN_CURRENCY', `unknown currency ${range.currency}`, { field: 'amount.currency' });
  const min = range.min ? parseBound('amount.min', range.min, digits) : undefined;
  const max = range.max ? parseBound('amount.max', range.max, digits) : undefined;
  if (min !== undefined && max !== undefined && max < min) throw badInput('INVALID_RANGE', 'amount: max is below min', { field: 'amount' });
  const bounds = { ...(min !== undefined ? { gte: min } : {}), ...(max !== undefined ? { lte: max } : {}) };
  return { [currencyField]: range.currency, ...(Object.keys(bounds).length ? { [amountField]: bounds } : {}) };
}

function parseBound(field: string, text: string, digits: number): bigint {
  try {
    return parseAmount(text, digits);
  } catch (error) {
    if (error instanceof MoneyParseError) throw badInput('INVALID_AMOUNT', `${field}: ${error.message}`, { field, why: error.reason });
    throw error;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids given to a filter: the Relay global ids the API hands out (`node.id`) or raw UUIDs. A global id
 * of another type, or anything that is not a UUID, is a BAD_USER_INPUT error (never a database error).
 */
export function parseIds(typename: string, field: string, ids: readonly string[] | null | undefined): string[] | undefined {
  if (!ids || ids.length === 0) return undefined;
  return ids.map((raw) => {
    const id = raw.trim();
    if (UUID.test(id)) return id.toLowerCase();
    let decoded: { typename: string; id: string } | undefined;
    try {
      decoded = decodeGlobalID(id);
    } catch {
      decoded = undefined;
    }
    if (!decoded || decoded.typename !== typename || !UUID.test(decoded.id)) {
      throw badInput('INVALID_ID', `${field}: "${id}" is not a ${typename} id`, { field });
    }
    return decoded.id.toLowerCase();
  });
}

/** Same for models with bigint ids (audit log, ledger entries). */
export function parseBigIds(typename: string, field: string, ids: readonly string[] | null | undefined): bigint[] | undefined {
  if (!ids || ids.length === 0) return undefined;
  return ids.map((raw) => {
    let id = raw.trim();
    if (!/^\d{1,19}$/.test(id)) {
      try {
        const decoded = decodeGlobalID(id);
        if (decoded.typename !== typename) throw new Error('other type');
        id = decoded.id;
      } catch {
        throw badInput('INVALID_ID', `${field}: "${raw}" is not a ${typename} id`, { field });
      }
      if (!/^\d{1,19}$/.test(id)) throw badInput('INVALID_ID', `${field}: "${raw}" is not a ${typename} id`, { field });
    }
    return BigInt(id);
  });
}

/** Exact match of a search term on any of the given identifier columns (indexed; no scans). */
export function searchExact(fields: readonly string[], term: string | null | undefined): Where | undefined {
  const v = term?.trim();
  if (!v) return undefined;
  return { OR: fields.map((f) => ({ [f]: v })) };
}

/** Case-insensitive substring search on names (for small tables: merchants, users, channels …). */
export function searchContains(fields: readonly string[], term: string | null | undefined): Where | undefined {
  const v = term?.trim();
  if (!v) return undefined;
  return { OR: fields.map((f) => ({ [f]: { contains: v, mode: 'insensitive' } })) };
}

/** A sort column definition (`name` is the GraphQL enum value, also written into cursors). */
export function column(name: string, field: string, kind: ScalarKind, nullable = false): SortColumn {
  return { name, field, kind, nullable };
}
