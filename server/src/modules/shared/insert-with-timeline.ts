import type { Db } from '../../db/prisma.ts';

/**
 * Writes a new row (an order, a payout) and its first timeline rows in ONE statement — the hot path of
 * every create. The row and the timeline travel as two JSON parameters and PostgreSQL converts each
 * field to its column's type (`jsonb_populate_record`), so bigints go exactly (as decimal strings) and
 * enums, uuids and timestamps need no casts. The timeline is inserted only when the row was: when the
 * insert conflicts (a duplicate `out_trade_no`, a number collision) nothing is written and null comes
 * back. Columns the row leaves out take their database defaults; the row is returned as stored.
 *
 * `table`, `timelineTable` and `foreignKey` are identifiers from code, never from input.
 */
export async function insertWithTimeline<Row>(
  db: Db,
  target: { table: string; timelineTable: string; foreignKey: string },
  row: Record<string, unknown>,
  timeline: Array<Record<string, unknown>>,
): Promise<Row | null> {
  const columns = present(row);
  const list = columns.map(quote).join(', ');
  const timelineColumns = [...new Set(timeline.flatMap(present))].filter((c) => c !== target.foreignKey);
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH o AS (
       INSERT INTO ${quote(target.table)} (${list}) SELECT ${list} FROM jsonb_populate_record(NULL::${quote(target.table)}, $1::jsonb)
       ON CONFLICT DO NOTHING
       RETURNING *
     ), e AS (
       INSERT INTO ${quote(target.timelineTable)} (${quote(target.foreignKey)}, ${timelineColumns.map(quote).join(', ')})
       SELECT o.id, ${timelineColumns.map((c) => `x.${quote(c)}`).join(', ')}
       FROM o CROSS JOIN jsonb_populate_recordset(NULL::${quote(target.timelineTable)}, $2::jsonb) WITH ORDINALITY AS x
       ORDER BY x.ordinality
     )
     SELECT * FROM o`,
    jsonText(row),
    jsonText(timeline),
  );
  return rows[0] ?? null;
}

function present(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

function quote(identifier: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(identifier)) throw new Error(`not an identifier: ${identifier}`);
  return `"${identifier}"`;
}

/** JSON with bigints as decimal strings (PostgreSQL reads them into bigint columns exactly). */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
