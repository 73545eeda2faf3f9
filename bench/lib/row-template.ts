import type pg from 'pg';
import { quoteIdent } from '../../server/src/db/database.ts';

/**
 * The raw side's INSERTs write rows shaped exactly like rows Payrail wrote in the same run: every column
 * of a template row (read once, before timing), with only the per-row columns (ids, numbers, times)
 * replaced. So the raw side stores the same bytes in the same indexes, whatever Payrail's schema and
 * timeline look like today.
 */
export interface RowTemplate {
  /** Number of template rows: one VALUES tuple each. */
  rows: number;
  /** `INSERT INTO <table> (<columns>) VALUES (…), (…)` with one parameter per value. */
  sql: string;
  /** The template values with `override(row)` applied to each row, flattened for `sql`. */
  params(override: (row: number) => Record<string, unknown>): unknown[];
}

const JSON_TYPES = new Set([114, 3802]); // json, jsonb

/**
 * Reads the template row(s) with `query` (SELECT * …); columns in `omit` are left to their database
 * defaults (serial ids, `DEFAULT now()`).
 */
export async function rowTemplate(db: pg.Pool, table: string, query: { text: string; values: unknown[] }, omit: string[] = []): Promise<RowTemplate> {
  const result = await db.query<Record<string, unknown>>(query.text, query.values);
  if (result.rows.length === 0) throw new Error(`no template row in ${table} for ${query.text}`);
  const fields = result.fields.filter((f) => !omit.includes(f.name));
  const columns = fields.map((f) => f.name);
  // pg hands json back parsed and takes a string for it: stringify once here.
  const values = result.rows.map((row) => fields.map((f) => (JSON_TYPES.has(f.dataTypeID) && row[f.name] !== null ? JSON.stringify(row[f.name]) : row[f.name])));
  let n = 0;
  const tuples = values.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`);
  return {
    rows: values.length,
    sql: `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) VALUES ${tuples.join(', ')}`,
    params(override) {
      return values.flatMap((row, r) => {
        const changes = override(r);
        const out = [...row];
        for (const [column, value] of Object.entries(changes)) {
          const at = columns.indexOf(column);
          if (at < 0) throw new Error(`${table} has no column ${column} in the template`);
          out[at] = value;
        }
        return out;
      });
    },
  };
}
