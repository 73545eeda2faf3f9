import { subject } from '@casl/ability';
import type { Db, PrismaClient } from '../../db/prisma.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import { DomainError } from '../../lib/errors.ts';
import { formatAmount } from '../../lib/money.ts';
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
 * who lost access gets nothing more; a filter on a column they now see masked fails the export), counts the rows, then reads them in keyset batches (by id; ids
 * are time-ordered uuid v7), writing CSV and publishing progress after each batch, so the SPA's
 * progress bar moves. The file is kept in the row (any replica can serve it) for 7 days. Amounts are
 * decimal strings with the currency's digits; sensitive numbers (accounts, ID numbers) are not
 * exported at all. A UTF-8 BOM lets spreadsheet programs read Chinese text.
 */

export const EXPORT_KINDS = ['PAYINS', 'PAYOUTS'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_TASK = 'exports:run';
const BATCH = 1000;
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

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Neutralise spreadsheet formulas (CSV injection) and quote when needed.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

interface KindSpec {
  model: 'Order' | 'Payout';
  header: string[];
  /** The where of a stored filter for a viewer with this ability (the masking rules applied as the lists apply them). */
  where(filters: Record<string, unknown>, digits: number | undefined, ability: AppAbility): Where;
  page(db: Db, where: Where, after: string | null): Promise<Array<{ id: string; cells: unknown[] }>>;
  count(db: Db, where: Where): Promise<number>;
}

const digitsCache = new Map<string, number>();
async function digitsFor(db: Db, code: string): Promise<number> {
  let d = digitsCache.get(code);
  if (d === undefined) {
    d = (await db.currency.findUnique({ where: { code }, select: { digits: true } }))?.digits ?? 2;
    digitsCache.set(code, d);
  }
  return d;
}

const KINDS: Record<ExportKind, KindSpec> = {
  PAYINS: {
    model: 'Order',
    header: ['order_no', 'out_trade_no', 'mch_id', 'merchant', 'service', 'channel', 'status', 'amount', 'paid_amount', 'fee', 'currency', 'created_at', 'paid_at', 'user_id', 'type', 'originality', 'postback_status', 'test'],
    where: (f, digits, ability) => {
      assertMaskedFilterAllowed({ ability }, 'Order', f, { refuseSearch: true });
      return payinWhere(parsePayinFilter(f as PayinFilterInput, digits));
    },
    count: (db, where) => db.order.count({ where: where as Prisma.OrderWhereInput }),
    async page(db, where, after) {
      const rows = await db.order.findMany({
        where: and(where, after ? { id: { gt: after } } : {}) as Prisma.OrderWhereInput,
        orderBy: { id: 'asc' },
        take: BATCH,
        include: { merchant: { select: { mchId: true, name: true } }, service: { select: { code: true } }, channel: { select: { code: true } } },
      });
      return Promise.all(
        rows.map(async (o) => {
          const d = await digitsFor(db, o.currencyCode);
          return {
            id: o.id,
            cells: [o.orderNo, o.outTradeNo, o.merchant.mchId, o.merchant.name, o.service.code, o.channel?.code ?? '', o.status, formatAmount(o.amount, d), formatAmount(o.paidAmount, d), formatAmount(o.fee, d), o.currencyCode, o.createdAt, o.paidAt, o.userLabel, o.creationType, o.originality, o.postbackStatus, o.test],
          };
        }),
      );
    },
  },
  PAYOUTS: {
    model: 'Payout',
    header: ['payout_no', 'out_trade_no', 'mch_id', 'merchant', 'service', 'channel', 'status', 'amount', 'fee', 'currency', 'recipient_name', 'bank_code', 'created_at', 'finished_at', 'user_id', 'type', 'originality', 'postback_status', 'test', 'failure_reason'],
    where: (f, digits, ability) => {
      assertMaskedFilterAllowed({ ability }, 'Payout', f, { refuseSearch: true });
      return payoutWhere(parsePayoutFilter(f as PayoutFilterInput, digits));
    },
    count: (db, where) => db.payout.count({ where: where as Prisma.PayoutWhereInput }),
    async page(db, where, after) {
      const rows = await db.payout.findMany({
        where: and(where, after ? { id: { gt: after } } : {}) as Prisma.PayoutWhereInput,
        orderBy: { id: 'asc' },
        take: BATCH,
        include: { merchant: { select: { mchId: true, name: true } }, service: { select: { code: true } }, channel: { select: { code: true } } },
      });
      return Promise.all(
        rows.map(async (p) => {
          const d = await digitsFor(db, p.currencyCode);
          return {
            id: p.id,
            cells: [p.payoutNo, p.outTradeNo, p.merchant.mchId, p.merchant.name, p.service.code, p.channel?.code ?? '', p.status, formatAmount(p.amount, d), formatAmount(p.fee, d), p.currencyCode, p.recipientName, p.bankCode, p.createdAt, p.finishedAt, p.userLabel, p.creationType, p.originality, p.postbackStatus, p.test, p.failureReason],
          };
        }),
      );
    },
  },
};

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

  const parts: string[] = ['\uFEFF', csvLine(spec.header)];
  let processed = 0;
  let after: string | null = null;
  for (;;) {
    const rows = await spec.page(prisma, where, after);
    if (rows.length === 0) break;
    for (const row of rows) parts.push(csvLine(row.cells));
    processed += rows.length;
    after = rows[rows.length - 1]!.id;
    await prisma.export.update({ where: { id: job.id }, data: { processedRows: processed } });
    publish('RUNNING', processed, total);
    if (rows.length < BATCH) break;
  }
  const content = Buffer.from(parts.join(''), 'utf8');
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  await prisma.export.update({
    where: { id: job.id },
    data: {
      status: 'DONE',
      processedRows: processed,
      totalRows: Math.max(total, processed),
      content,
      fileSize: content.length,
      fileName: `${job.kind.toLowerCase()}-${stamp}.csv`,
      finishedAt: new Date(),
      expiresAt: new Date(Date.now() + KEEP_DAYS * 86_400_000),
    },
  });
  publish('DONE', processed, Math.max(total, processed));
}

/** Cron: drops the files of expired exports (the rows stay, marked by `expiresAt`). */
export async function purgeExpiredExports(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.export.updateMany({ where: { expiresAt: { lt: now }, content: { not: null } }, data: { content: null } });
  return count;
}

export type ExportFile =
  | { kind: 'NOT_FOUND' }
  | { kind: 'NOT_READY' | 'EXPIRED'; status: string }
  | { kind: 'FILE'; fileName: string; content: Buffer };

/**
 * The finished file of an export for a viewer with this ability. An export the viewer may not read is
 * NOT_FOUND like a missing one (ids of other users' exports reveal nothing); one still running is
 * NOT_READY, one whose file was purged EXPIRED.
 */
export async function exportFile(ctx: { prisma: Db; ability: AppAbility }, id: string): Promise<ExportFile> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return { kind: 'NOT_FOUND' };
  const row = await ctx.prisma.export.findUnique({ where: { id } });
  if (!row || !ctx.ability.can('read', subject('Export', { ...row }) as never)) return { kind: 'NOT_FOUND' };
  if (row.status !== 'DONE' || !row.content) return { kind: row.content ? 'NOT_READY' : 'EXPIRED', status: row.status };
  return { kind: 'FILE', fileName: row.fileName ?? `export-${row.id}.csv`, content: Buffer.from(row.content) };
}
