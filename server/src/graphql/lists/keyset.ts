import { badInput } from './errors.ts';

/**
 * Keyset (seek) pagination over one sort column plus the primary key as tie-breaker.
 *
 * A cursor is the sort value and id of a row: base64url of `[sortName, value, id]`. The next page is
 * "rows after (value, id) in this order", a WHERE on indexed columns, never an OFFSET, so page 1000
 * costs what page 1 costs and rows inserted meanwhile neither repeat nor vanish. A cursor made for
 * another sort order is refused (BAD_USER_INPUT, reason INVALID_CURSOR).
 *
 * Nullable sort columns (e.g. an order's activation date) sort as PostgreSQL does by default: NULL is
 * greater than every value, so NULLs come last ascending and first descending. That is the order a
 * plain b-tree index (`paidAt DESC`) already holds in both scan directions, so no extra sort is needed;
 * the conditions below follow it exactly, so every row is returned once.
 */

export type ScalarKind = 'date' | 'bigint' | 'string' | 'int';
export type SortDirection = 'asc' | 'desc';

export interface SortColumn {
  /** Name written into cursors (e.g. CREATED_AT). */
  name: string;
  /** Prisma scalar field. */
  field: string;
  kind: ScalarKind;
  nullable?: boolean;
}

export interface KeysetSort {
  column: SortColumn;
  direction: SortDirection;
  /** Primary key field and kind (uuid strings, or bigint for append-only logs). */
  id: { field: string; kind: 'string' | 'bigint' };
}

export interface CursorValue {
  value: unknown;
  id: unknown;
}

type Row = Record<string, unknown>;
type Where = Record<string, unknown>;

const flip = (d: SortDirection): SortDirection => (d === 'asc' ? 'desc' : 'asc');

export function encodeCursor(sort: KeysetSort, row: Row): string {
  const value = sortValueOf(sort, row);
  const id = row[sort.id.field];
  if (id === undefined || id === null) throw new Error(`row has no ${sort.id.field} for its cursor`);
  return Buffer.from(JSON.stringify([sort.column.name, serialise(value), String(id)])).toString('base64url');
}

export function decodeCursor(sort: KeysetSort, cursor: string): CursorValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('INVALID_CURSOR', 'invalid cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[2] !== 'string') {
    throw badInput('INVALID_CURSOR', 'invalid cursor');
  }
  const [name, raw, rawId] = parsed as [unknown, unknown, string];
  if (name !== sort.column.name) {
    throw badInput('INVALID_CURSOR', `this cursor belongs to another sort order (${String(name)}), not ${sort.column.name}`);
  }
  return { value: deserialise(sort.column, raw), id: deserialiseId(sort.id.kind, rawId) };
}

/** ORDER BY for a page: forward, or reversed when paging backwards (`last`/`before`). */
export function keysetOrderBy(sort: KeysetSort, inverted: boolean): Array<Record<string, unknown>> {
  const direction = inverted ? flip(sort.direction) : sort.direction;
  const idOrder = { [sort.id.field]: direction };
  if (sort.column.field === sort.id.field) return [idOrder];
  const column = sort.column.nullable
    ? { [sort.column.field]: { sort: direction, nulls: direction === 'asc' ? 'last' : 'first' } }
    : { [sort.column.field]: direction };
  return [column, idOrder];
}

/**
 * WHERE for the rows strictly after (`after`) and/or strictly before (`before`) the cursors, in the
 * forward order of `sort`. Empty object when there is no cursor.
 */
export function keysetWhere(sort: KeysetSort, bounds: { after?: CursorValue; before?: CursorValue }): Where {
  const parts: Where[] = [];
  if (bounds.after) parts.push(seek(sort, bounds.after, sort.direction === 'desc' ? 'lt' : 'gt', 'after'));
  if (bounds.before) parts.push(seek(sort, bounds.before, sort.direction === 'desc' ? 'gt' : 'lt', 'before'));
  if (parts.length === 0) return {};
  return parts.length === 1 ? parts[0]! : { AND: parts };
}

function seek(sort: KeysetSort, cursor: CursorValue, op: 'lt' | 'gt', side: 'after' | 'before'): Where {
  const idField = sort.id.field;
  const f = sort.column.field;
  if (f === idField) return { [idField]: { [op]: cursor.id } };
  const tie = { [f]: cursor.value, [idField]: { [op]: cursor.id } };
  // `f <= v` (or >=) is implied by the OR below, but PostgreSQL only turns a plain comparison into an
  // index range: without it a deep page scans (and filters) every row before the cursor.
  const seekRange = { [f]: { [op === 'lt' ? 'lte' : 'gte']: cursor.value }, OR: [{ [f]: { [op]: cursor.value } }, tie] };
  if (!sort.column.nullable) return seekRange;
  // NULL is the greatest value: after every value ascending, before every value descending.
  const nullsAfterValues = sort.direction === 'asc';
  if (cursor.value === null) {
    const nullTie = { [f]: null, [idField]: { [op]: cursor.id } };
    const valuesOnThisSide = (side === 'before') === nullsAfterValues;
    return valuesOnThisSide ? { OR: [{ [f]: { not: null } }, nullTie] } : nullTie;
  }
  const nullsOnThisSide = (side === 'after') === nullsAfterValues;
  return nullsOnThisSide ? { OR: [seekRange, { [f]: null }] } : seekRange;
}

function sortValueOf(sort: KeysetSort, row: Row): unknown {
  const value = row[sort.column.field];
  if (value === undefined) throw new Error(`row has no ${sort.column.field} for its cursor`);
  return value;
}

function serialise(value: unknown): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function deserialise(column: SortColumn, raw: unknown): unknown {
  if (raw === null) {
    if (!column.nullable) throw badInput('INVALID_CURSOR', 'invalid cursor');
    return null;
  }
  if (typeof raw !== 'string') throw badInput('INVALID_CURSOR', 'invalid cursor');
  switch (column.kind) {
    case 'date': {
      const date = new Date(raw);
      if (Number.isNaN(date.getTime())) throw badInput('INVALID_CURSOR', 'invalid cursor');
      return date;
    }
    case 'bigint':
      if (!/^-?\d{1,20}$/.test(raw)) throw badInput('INVALID_CURSOR', 'invalid cursor');
      return BigInt(raw);
    case 'int':
      if (!/^-?\d{1,9}$/.test(raw)) throw badInput('INVALID_CURSOR', 'invalid cursor');
      return Number(raw);
    case 'string':
      return raw;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function deserialiseId(kind: 'string' | 'bigint', raw: string): unknown {
  if (kind === 'bigint') {
    if (!/^\d{1,20}$/.test(raw)) throw badInput('INVALID_CURSOR', 'invalid cursor');
    return BigInt(raw);
  }
  if (!UUID.test(raw) && !/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) throw badInput('INVALID_CURSOR', 'invalid cursor');
  return raw;
}
