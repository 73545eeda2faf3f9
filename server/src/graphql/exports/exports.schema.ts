import { requireViewer } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import { guard, readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, dateRange, inList, parseIds } from '../lists/filters.ts';
import { DateRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { ExportStatusEnum } from '../schema/enums.schema.ts';
import { MerchantRef } from '../merchants/merchants.schema.ts';
import { UserRef } from '../users/users.schema.ts';

/** Download center (seed 000): asynchronous exports with their progress. The file itself is not a field. */

export const ExportRef = builder.prismaNode('Export', {
  id: { field: 'id' },
  ...nodeAccess('Export'),
  description: 'An asynchronous export job and its progress.',
  // The finished file (bytes) is never loaded by GraphQL.
  select: {
    id: true,
    userId: true,
    merchantId: true,
    kind: true,
    format: true,
    filters: true,
    status: true,
    totalRows: true,
    processedRows: true,
    fileName: true,
    fileSize: true,
    error: true,
    createdAt: true,
    finishedAt: true,
    expiresAt: true,
  },
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ user: nested(true) }),
      resolve: (e, _a, ctx) => guard(ctx, 'User', e.user),
    }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (e, _a, ctx) => guard(ctx, 'Merchant', e.merchant),
    }),
    kind: t.exposeString('kind', { description: 'PAYINS, PAYOUTS, LEDGER_ENTRIES, STATEMENTS, FUND_REQUESTS …' }),
    format: t.exposeString('format'),
    filters: t.expose('filters', { type: 'JSON' }),
    status: t.expose('status', { type: ExportStatusEnum }),
    totalRows: t.exposeInt('totalRows', { nullable: true }),
    processedRows: t.exposeInt('processedRows'),
    progressPercent: t.int({
      nullable: true,
      description: '0–100 while running (null until the total is known); 100 when done.',
      resolve: (e) => {
        if (e.status === 'DONE') return 100;
        if (!e.totalRows) return null;
        return Math.min(100, Math.floor((e.processedRows * 100) / e.totalRows));
      },
    }),
    fileName: t.exposeString('fileName', { nullable: true }),
    fileSize: t.exposeInt('fileSize', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
  }),
});

/** An API token has no exports of its own. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

const exportSort = sortInput('Export', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
});

const ExportFilter = builder.inputType('ExportFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    kinds: t.stringList({ required: false }),
    status: t.field({ type: [ExportStatusEnum], required: false }),
    merchantIds: t.idList({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    onlyMine: t.boolean({
      required: true,
      defaultValue: true,
      description: "true (default): the viewer's own exports (the download center); false: every export the viewer may read.",
    }),
  }),
});

builder.queryField('exports', (t) =>
  t.connection(
    {
      type: ExportRef,
      description: "Exports the viewer may read (normally their own), newest first.",
      args: {
        filter: t.arg({ type: ExportFilter, required: false }),
        sort: t.arg({ type: exportSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? { onlyMine: true };
        const viewer = requireViewer(ctx);
        const where = and(
          readWhere(ctx, 'Export'),
          f.onlyMine !== false ? { userId: viewer.kind === 'user' ? viewer.userId : NO_USER } : undefined,
          inList('id', parseIds('Export', 'ids', f.ids)),
          inList('kind', f.kinds),
          inList('status', f.status),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          dateRange('createdAt', f.createdAt),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'Export', where,
          sort: resolveSort(exportSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.export.findMany(q as never),
          count: (q) => ctx.prisma.export.count(q as never),
        });
      },
    },
    listConnection('Export', ExportRef),
  ),
);
