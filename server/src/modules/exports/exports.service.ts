import { Readable } from 'node:stream';
import { subject } from '@casl/ability';
import type { Db, PrismaClient } from '../../db/prisma.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { DomainError } from '../../lib/errors.ts';
import { and, type Where } from '../../lib/where.ts';
import { accessibleWhere, defineAbilityFor, type AppAbility } from '../auth/ability.ts';
import { assertMaskedFilterAllowed } from '../auth/masking.ts';
import { viewerFromSession } from '../auth/principal.ts';
import type { UserViewer } from '../auth/viewer.ts';
import { parsePayinFilter, payinWhere, type PayinFilterInput } from '../payins/payins.query.ts';
import { parsePayoutFilter, payoutWhere, type PayoutFilterInput } from '../payouts/payouts.query.ts';

/**
 * Download center (seed 000): asynchronous CSV exports of a list with the filters it had on screen.
 *
 * `createExport` stores the kind and the filter (JSON) and schedules `exports:run` in the same
 * transaction. The job rebuilds the requesting user's ability (their roles as they are now: a user
 * who lost access gets nothing more; a filter on a column they now see masked fails the export), counts
 * the rows, then reads their ids in keyset batches of 5,000 (by id; ids are time-ordered uuid v7) and
 * has the database write each batch's CSV as a part of the file (`export_parts`), two parts at once
 * while the next ids are read, publishing progress, so the SPA's progress bar moves and memory stays flat whatever the size. The
 * file is kept in the database (any replica can serve it, streaming it part by part) for 7 days. Amounts are
 * decimal strings with the currency's digits; sensitive numbers (accounts, ID numbers) are not
 * exported at all. A UTF-8 BOM lets spreadsheet programs read Chinese text.
 */

export const EXPORT_KINDS = ['PAYINS', 'PAYOUTS'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_TASK = 'exports:run';
/** Rows per batch (and per part of the file: about a megabyte of CSV). */
const BATCH = 5000;
/** Parts being built by the database at once. */
const PARTS_IN_FLIGHT = 2;
const KEEP_DAYS = 7;
/** Refuse exports larger than this (a database dump is not a report). */
export const MAX_EXPORT_ROWS = 1_000_000;

export interface CreateExportInput {
  userId: string;
  /** The viewer's merchant (merchant members); null for staff. */
  merchantId: string | null;
  kind: ExportKind;
  /** The list's filter as the client gave it (`PayinFilterInput` / `PayoutFilterInput`; dates as ISO strings once stored). */
  filters: Record<string, unknown>;
}

export async function createExport(db: PrismaClient, input: CreateExportInput) {
  if (!EXPORT_KINDS.includes(input.kind)) throw new DomainError('INVALID_PARAMETER', `kind: one of ${EXPORT_KINDS.join(', ')}`, { field: 'kind' });
  return db.$transaction(async (tx) => {
    const row = await tx.export.create({
      data: {
        userId: input.userId,
        merchantId: input.merchantId,
        kind: input.kind,
        format: 'csv',
        filters: JSON.parse(JSON.stringify(input.filters ?? {})) as Prisma.InputJsonValue,
      },
    });
    await enqueueJob(tx, EXPORT_TASK, { exportId: row.id }, { maxAttempts: 3, jobKey: `export:${row.id}` });
    return row;
  });
}

/** Dates inside stored filters come back as ISO strings; the query specs want Date objects. */
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveDates);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = (k === 'from' || k === 'to') && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : reviveDates(v);
    }
    return out;
  }
  return value;
}

async function viewerOf(db: Db, userId: string): Promise<UserViewer | null> {
  const user = await db.user.findUnique({ where: { id: userId }, include: { roles: { include: { role: true } } } });
  if (!user || user.status !== 'ACTIVE') return null;
  return viewerFromSession(
    {
      sessionId: 'export',
      mfaVerified: true,
      createdAt: new Date(),
      lastSeenAt: new Date(),
      expiresAt: new Date(),
      user: { id: user.id, email: user.email, name: user.name, status: user.status, merchantId: user.merchantId, totpEnabled: user.totpEnabled, mustChangePassword: user.mustChangePassword },
      roles: user.roles.map(({ role }) => ({ id: role.id, key: role.key, scope: role.scope, merchantId: role.merchantId, permissions: role.permissions })),
    },
    false,
  );
}

/** A header cell: the JS twin of `cell` below, for the one line written here. */
function csvCell(value: string): string {
  // Neutralise spreadsheet formulas (CSV injection) and quote when needed.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: string[]) => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * The CSV cell of a SQL text expression, built by the database as `csvCell` builds it: '' for null, a
 * leading `'` before a formula character (CSV injection), quoted with doubled quotes when it holds `"`,
 * `,`, CR or LF. One regular expression tells whether anything is to be done, which it rarely is.
 */
const text = (sql: string) => {
  const safe = `(CASE WHEN left(${sql}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${sql} ELSE ${sql} END)`;
  return `coalesce(CASE WHEN ${sql} ~ '^[-=+@\\t\\r]|[",\\r\\n]' THEN (CASE WHEN ${safe} ~ '[",\\r\\n]' THEN '"' || replace(${safe}, '"', '""') || '"' ELSE ${safe} END) ELSE ${sql} END, '')`;
};
/** The cell of a value that cannot hold a CSV or formula character (enum labels, booleans, instants): '' for null. */
const plain = (sql: string) => `coalesce(${sql}, '')`;
/** Minor units as a decimal string with the currency's digits (`d.digits`, `d.unit` = 10^digits), as `formatAmount` writes them; negative ones start with `'-` as `csvCell` makes them. */
const amount = (minor: string) =>
  `(CASE WHEN ${minor} < 0 THEN '''-' ELSE '' END || CASE WHEN d.digits = 0 THEN abs(${minor})::text ELSE (abs(${minor}) / d.unit)::text || '.' || lpad((abs(${minor}) % d.unit)::text, d.digits, '0') END)`;
/** An instant as `Date.toISOString()` writes it (the columns hold milliseconds). */
const instant = (column: string) => plain(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const digitsCache = new Map<string, number>();
/** The digits of a currency (for an amount filter's decimal strings). */
async function digitsFor(db: Db, code: string): Promise<number> {
  let d = digitsCache.get(code);
  if (d === undefined) {
    d = (await db.currency.findUnique({ where: { code }, select: { digits: true } }))?.digits ?? 2;
    digitsCache.set(code, d);
  }
  return d;
}

interface KindSpec {
  model: 'Order' | 'Payout';
  table: string;
  /** The CSV header and, per column, its cell as SQL over `t` (the row), `m`, `s`, `ch` and `d` (the currency's digits). */
  columns: Array<[header: string, sql: string]>;
  /** The where of a stored filter for a viewer with this ability (the masking rules applied as the lists apply them). */
  where(filters: Record<string, unknown>, digits: number | undefined, ability: AppAbility): Where;
  /** The ids of the next batch after id `after` (ids ascending) that `where` lets through. */
  ids(db: Db, where: Where, after: string | null): Promise<string[]>;
  count(db: Db, where: Where): Promise<number>;
}

const KINDS: Record<ExportKind, KindSpec> = {
  PAYINS: {
    model: 'Order',
    table: 'orders',
    columns: [
      ['order_no', text('t."orderNo"')],
      ['out_trade_no', text('t."outTradeNo"')],
      ['mch_id', text('m."mchId"')],
      ['merchant', text('m.name')],
      ['service', text('s.code')],
      ['channel', text('ch.code')],
      ['status', plain('t.status::text')],
      ['amount', amount('t.amount')],
      ['paid_amount', amount('t."paidAmount"')],
      ['fee', amount('t.fee')],
      ['currency', text('t."currencyCode"')],
      ['created_at', instant('t."createdAt"')],
      ['paid_at', instant('t."paidAt"')],
      ['user_id', text('t."userLabel"')],
      ['type', plain('t."creationType"::text')],
      ['originality', plain('t.originality::text')],
      ['postback_status', plain('t."postbackStatus"::text')],
      ['test', plain('t.test::text')],
    ],
    where: (f, digits, ability) => {
      assertMaskedFilterAllowed({ ability }, 'Order', f, { refuseSearch: true });
      return payinWhere(parsePayinFilter(f as PayinFilterInput, digits));
    },
    count: (db, where) => db.order.count({ where: where as Prisma.OrderWhereInput }),
    async ids(db, where, after) {
      const rows = await db.order.findMany({
        where: and(where, after ? { id: { gt: after } } : {}) as Prisma.OrderWhereInput,
        orderBy: { id: 'asc' },
        take: BATCH,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },
  },
  PAYOUTS: {
    model: 'Payout',
    table: 'payouts',
    columns: [
      ['payout_no', text('t."payoutNo"')],
      ['out_trade_no', text('t."outTradeNo"')],
      ['mch_id', text('m."mchId"')],
      ['merchant', text('m.name')],
      ['service', text('s.code')],
      ['channel', text('ch.code')],
      ['status', plain('t.status::text')],
      ['amount', amount('t.amount')],
      ['fee', amount('t.fee')],
      ['currency', text('t."currencyCode"')],
      ['recipient_name', text('t."recipientName"')],
      ['bank_code', text('t."bankCode"')],
      ['created_at', instant('t."createdAt"')],
      ['finished_at', instant('t."finishedAt"')],
      ['user_id', text('t."userLabel"')],
      ['type', plain('t."creationType"::text')],
      ['originality', plain('t.originality::text')],
      ['postback_status', plain('t."postbackStatus"::text')],
      ['test', plain('t.test::text')],
      ['failure_reason', text('t."failureReason"')],
    ],
    where: (f, digits, ability) => {
      assertMaskedFilterAllowed({ ability }, 'Payout', f, { refuseSearch: true });
      return payoutWhere(parsePayoutFilter(f as PayoutFilterInput, digits));
    },
    count: (db, where) => db.payout.count({ where: where as Prisma.PayoutWhereInput }),
    async ids(db, where, after) {
      const rows = await db.payout.findMany({
        where: and(where, after ? { id: { gt: after } } : {}) as Prisma.PayoutWhereInput,
        orderBy: { id: 'asc' },
        take: BATCH,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },
  },
};

/**
 * The statement that writes one part of the file: the CSV lines of the rows with these ids (in id
 * order) after `$3` (the BOM and header in the first part), built by the database from the rows and
 * their merchant, service, channel and currency, and stored without passing through this process.
 * Returns the part's size in bytes.
 */
function partSql(spec: KindSpec): string {
  const line = `${spec.columns.map(([, sql]) => sql).join(` || ',' || `)} || E'\\r\\n'`;
  return `
    INSERT INTO export_parts ("exportId", seq, content)
    SELECT $1::uuid, $2::int, convert_to($3::text || coalesce(string_agg(line, '' ORDER BY id), ''), 'UTF8')
    FROM (
      SELECT t.id, ${line} AS line
      FROM unnest($4::uuid[]) AS batch (id)
      JOIN ${spec.table} t ON t.id = batch.id
      JOIN merchants m ON m.id = t."merchantId"
      JOIN services s ON s.id = t."serviceId"
      LEFT JOIN channels ch ON ch.id = t."channelId"
      LEFT JOIN currencies cur ON cur.code = t."currencyCode"
      CROSS JOIN LATERAL (SELECT coalesce(cur.digits, 2) AS digits, (10::numeric ^ coalesce(cur.digits, 2))::bigint AS unit) d
    ) lines
    RETURNING octet_length(content) AS bytes`;
}

export interface ExportRunServices {
  prisma: PrismaClient;
  events: EventBus;
}

/** Job `exports:run`. */
export async function runExport(services: ExportRunServices, exportId: string): Promise<void> {
  const { prisma, events } = services;
  const job = await prisma.export.findUnique({ where: { id: exportId } });
  if (!job || job.status === 'DONE') return;
  const publish = (status: string, processedRows: number, totalRows: number | null) =>
    events.publish('export:progress', { id: job.id, userId: job.userId, merchantId: job.merchantId, status, processedRows, totalRows });
  const fail = async (message: string) => {
    await prisma.export.update({ where: { id: job.id }, data: { status: 'FAILED', error: message.slice(0, 1000), finishedAt: new Date() } });
    publish('FAILED', job.processedRows, job.totalRows);
  };

  const spec = KINDS[job.kind as ExportKind];
  if (!spec) return fail(`unknown export kind ${job.kind}`);
  const viewer = await viewerOf(prisma, job.userId);
  if (!viewer) return fail('the user who asked for this export is disabled or gone');
  const ability = defineAbilityFor(viewer);
  const filters = reviveDates(job.filters ?? {}) as Record<string, unknown>;
  let where: Where;
  try {
    const amount = filters.amount as { currency?: string } | undefined;
    const digits = amount?.currency ? await digitsFor(prisma, amount.currency) : undefined;
    where = and(accessibleWhere(ability, 'read', spec.model) as Where, spec.where(filters, digits, ability));
  } catch (error) {
    return fail(`invalid filters: ${error instanceof Error ? error.message : String(error)}`);
  }

  const total = await spec.count(prisma, where);
  if (total > MAX_EXPORT_ROWS) return fail(`${total} rows is more than the ${MAX_EXPORT_ROWS} an export may hold; narrow the filters`);
  await prisma.export.update({ where: { id: job.id }, data: { status: 'RUNNING', totalRows: total, processedRows: 0 } });
  publish('RUNNING', 0, total);

  // A retried job starts its file over.
  await prisma.exportPart.deleteMany({ where: { exportId: job.id } });
  const sql = partSql(spec);
  let prefix = `\uFEFF${csvLine(spec.columns.map(([header]) => header))}`;
  let seq = 0;
  let fileSize = 0;
  let processed = 0;
  // Progress is written in turn, so the count only ever grows.
  let progress: Promise<unknown> = Promise.resolve();
  const writePart = async (part: number, head: string, ids: string[]) => {
    const [written] = await prisma.$queryRawUnsafe<Array<{ bytes: number }>>(sql, job.id, part, head, ids);
    fileSize += Number(written?.bytes ?? 0);
    processed += ids.length;
    const count = processed;
    progress = progress.then(async () => {
      await prisma.export.update({ where: { id: job.id }, data: { processedRows: count } });
      publish('RUNNING', count, total);
    });
    await progress;
  };
  // Up to PARTS_IN_FLIGHT parts are built at once (each by its own database backend) while the ids of
  // the next batch are read: building the CSV is the database's work, and it has more than one core.
  const inFlight: Array<Promise<void>> = [];
  let after: string | null = null;
  for (;;) {
    const ids = await spec.ids(prisma, where, after);
    if (ids.length === 0 && seq > 0) break;
    const part = writePart(seq++, prefix, ids);
    part.catch(() => undefined); // awaited below; this only keeps a failure from being unhandled meanwhile
    inFlight.push(part);
    prefix = '';
    if (inFlight.length >= PARTS_IN_FLIGHT) await inFlight.shift();
    if (ids.length < BATCH) break;
    after = ids[ids.length - 1]!;
  }
  await Promise.all(inFlight);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  await prisma.export.update({
    where: { id: job.id },
    data: {
      status: 'DONE',
      processedRows: processed,
      totalRows: Math.max(total, processed),
      fileSize,
      fileName: `${job.kind.toLowerCase()}-${stamp}.csv`,
      finishedAt: new Date(),
      expiresAt: new Date(Date.now() + KEEP_DAYS * 86_400_000),
    },
  });
  publish('DONE', processed, Math.max(total, processed));
}

/** Cron: drops the files of expired exports (the rows stay, marked by `expiresAt`). */
export async function purgeExpiredExports(db: PrismaClient, now = new Date()): Promise<number> {
  const expired = await db.export.findMany({
    where: { expiresAt: { lt: now }, OR: [{ content: { not: null } }, { parts: { some: {} } }] },
    select: { id: true },
  });
  if (expired.length === 0) return 0;
  const ids = expired.map((e) => e.id);
  await db.$transaction([
    db.exportPart.deleteMany({ where: { exportId: { in: ids } } }),
    db.export.updateMany({ where: { id: { in: ids } }, data: { content: null } }),
  ]);
  return ids.length;
}

export type ExportFile =
  | { kind: 'NOT_FOUND' }
  | { kind: 'NOT_READY' | 'EXPIRED'; status: string }
  | { kind: 'FILE'; fileName: string; content: Readable };

/** The parts of a file in order, one read at a time. */
async function* partsOf(db: Db, exportId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const part = await db.exportPart.findUnique({ where: { exportId_seq: { exportId, seq } }, select: { content: true } });
    if (!part) return;
    yield Buffer.from(part.content);
  }
}

/**
 * The finished file of an export for a viewer with this ability, as a stream read a part at a time.
 * An export the viewer may not read is NOT_FOUND like a missing one (ids of other users' exports
 * reveal nothing); one still running is NOT_READY, one whose file was purged EXPIRED.
 */
export async function exportFile(ctx: { prisma: Db; ability: AppAbility }, id: string): Promise<ExportFile> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return { kind: 'NOT_FOUND' };
  const row = await ctx.prisma.export.findUnique({ where: { id }, omit: { content: true } });
  if (!row || !ctx.ability.can('read', subject('Export', { ...row }) as never)) return { kind: 'NOT_FOUND' };
  if (row.status !== 'DONE') return { kind: 'NOT_READY', status: row.status };
  const fileName = row.fileName ?? `export-${row.id}.csv`;
  const hasParts = (await ctx.prisma.exportPart.count({ where: { exportId: id, seq: 0 } })) > 0;
  if (hasParts) return { kind: 'FILE', fileName, content: Readable.from(partsOf(ctx.prisma, id)) };
  // Exports finished before files were kept in parts hold theirs in the row.
  const legacy = await ctx.prisma.export.findUnique({ where: { id }, select: { content: true } });
  if (!legacy?.content) return { kind: 'EXPIRED', status: row.status };
  return { kind: 'FILE', fileName, content: Readable.from([Buffer.from(legacy.content)]) };
}
