import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, keysetOrderBy, keysetWhere, type KeysetSort } from './keyset.ts';

/**
 * The keyset conditions are checked against an in-memory evaluator of the Prisma where/orderBy subset
 * they use (AND, OR, equals, lt, gt, lte, gte, not null, nulls first/last), by paging through data with ties and
 * NULLs in every direction: every row must come exactly once, in order. The SQL side is exercised by
 * test/graphql-lists.test.ts against PostgreSQL.
 */

type Row = { id: string; at: Date | null; amount: bigint };
type Where = Record<string, unknown>;

function matches(row: Row, where: Where): boolean {
  return Object.entries(where).every(([key, cond]) => {
    if (key === 'AND') return (cond as Where[]).every((w) => matches(row, w));
    if (key === 'OR') return (cond as Where[]).some((w) => matches(row, w));
    const value = row[key as keyof Row];
    if (cond === null) return value === null;
    if (cond instanceof Date || typeof cond !== 'object') return cmp(value, cond) === 0;
    const ops = cond as Record<string, unknown>;
    return Object.entries(ops).every(([op, operand]) => {
      if (op === 'not') return operand === null ? value !== null : cmp(value, operand) !== 0;
      if (value === null) return false; // SQL: comparisons with NULL are not true
      const c = cmp(value, operand);
      return op === 'lt' ? c < 0 : op === 'gt' ? c > 0 : op === 'lte' ? c <= 0 : op === 'gte' ? c >= 0 : unknownOp(op);
    });
  });
}

function unknownOp(op: string): never {
  throw new Error(`evaluator does not know ${op}`);
}

function cmp(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return (x as never) < (y as never) ? -1 : (x as never) > (y as never) ? 1 : 0;
}

function sortRows(rows: Row[], orderBy: Array<Record<string, unknown>>): Row[] {
  return [...rows].sort((a, b) => {
    for (const clause of orderBy) {
      const [field, spec] = Object.entries(clause)[0]!;
      const { sort, nulls } = typeof spec === 'string' ? { sort: spec, nulls: 'last' } : (spec as { sort: string; nulls: string });
      const va = a[field as keyof Row];
      const vb = b[field as keyof Row];
      if (va === null || vb === null) {
        if (va === vb) continue;
        return (va === null) === (nulls === 'first') ? -1 : 1;
      }
      const c = cmp(va, vb) * (sort === 'desc' ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const ids = Array.from({ length: 23 }, (_, i) => `0190${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`);
const rows: Row[] = ids.map((id, i) => ({
  id,
  // ties every 3 rows, and a few NULLs
  at: i % 5 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 3))),
  amount: BigInt((i * 7) % 4) * 100n,
}));

function page(sort: KeysetSort, args: { first?: number; last?: number; after?: string; before?: string }) {
  const inverted = args.last !== undefined;
  const limit = (args.first ?? args.last)!;
  const where = keysetWhere(sort, {
    ...(args.after ? { after: decodeCursor(sort, args.after) } : {}),
    ...(args.before ? { before: decodeCursor(sort, args.before) } : {}),
  });
  const found = sortRows(rows.filter((r) => matches(r, where)), keysetOrderBy(sort, inverted)).slice(0, limit);
  return inverted ? found.reverse() : found;
}

const sorts: KeysetSort[] = [];
for (const direction of ['asc', 'desc'] as const) {
  sorts.push({ column: { name: 'AT', field: 'at', kind: 'date', nullable: true }, direction, id: { field: 'id', kind: 'string' } });
  sorts.push({ column: { name: 'AMOUNT', field: 'amount', kind: 'bigint' }, direction, id: { field: 'id', kind: 'string' } });
  sorts.push({ column: { name: 'ID', field: 'id', kind: 'string' }, direction, id: { field: 'id', kind: 'string' } });
}

describe('keyset pagination', () => {
  for (const sort of sorts) {
    const label = `${sort.column.name} ${sort.direction}`;
    const expected = sortRows(rows, keysetOrderBy(sort, false)).map((r) => r.id);

    it(`forward pages return every row once in order (${label})`, () => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let guard = 0; guard < 50; guard++) {
        const got = page(sort, { first: 4, ...(after ? { after } : {}) });
        if (got.length === 0) break;
        seen.push(...got.map((r) => r.id));
        after = encodeCursor(sort, got[got.length - 1]!);
      }
      expect(seen).toEqual(expected);
    });

    it(`backward pages return every row once in order (${label})`, () => {
      const seen: string[] = [];
      let before: string | undefined;
      for (let guard = 0; guard < 50; guard++) {
        const got = page(sort, { last: 5, ...(before ? { before } : {}) });
        if (got.length === 0) break;
        seen.unshift(...got.map((r) => r.id));
        before = encodeCursor(sort, got[0]!);
      }
      expect(seen).toEqual(expected);
    });
  }

  it('carries a plain range on the sort column, which PostgreSQL turns into an index range (no deep scans)', () => {
    const byAmountDesc = sorts.find((s) => s.column.name === 'AMOUNT' && s.direction === 'desc')!;
    const byAtAsc = sorts.find((s) => s.column.name === 'AT' && s.direction === 'asc')!;
    const row = rows[4]!;
    expect(keysetWhere(byAmountDesc, { after: { value: row.amount, id: row.id } })).toMatchObject({ amount: { lte: row.amount } });
    expect(keysetWhere(byAmountDesc, { before: { value: row.amount, id: row.id } })).toMatchObject({ amount: { gte: row.amount } });
    expect(keysetWhere(byAtAsc, { before: { value: row.at, id: row.id } })).toMatchObject({ at: { lte: row.at } });
  });

  it('refuses a cursor of another sort order or a forged one', () => {
    const [byAt, byAmount] = sorts;
    const cursor = encodeCursor(byAt!, rows[1]!);
    expect(() => decodeCursor(byAmount!, cursor)).toThrow(/another sort order/);
    expect(() => decodeCursor(byAt!, 'not-a-cursor')).toThrow(/invalid cursor/);
    const forged = Buffer.from(JSON.stringify(['AMOUNT', '1e5', ids[0]])).toString('base64url');
    expect(() => decodeCursor(byAmount!, forged)).toThrow(/invalid cursor/);
    const badId = Buffer.from(JSON.stringify(['AMOUNT', '100', "x' OR 1=1"])).toString('base64url');
    expect(() => decodeCursor(byAmount!, badId)).toThrow(/invalid cursor/);
  });

  it('round-trips dates, bigints and NULLs through the cursor', () => {
    const [byAt, byAmount] = sorts;
    const nullRow = rows[0]!;
    expect(nullRow.at).toBeNull();
    expect(decodeCursor(byAt!, encodeCursor(byAt!, nullRow))).toEqual({ value: null, id: nullRow.id });
    expect(decodeCursor(byAt!, encodeCursor(byAt!, rows[1]!))).toEqual({ value: rows[1]!.at, id: rows[1]!.id });
    expect(decodeCursor(byAmount!, encodeCursor(byAmount!, rows[3]!))).toEqual({ value: rows[3]!.amount, id: rows[3]!.id });
  });
});
