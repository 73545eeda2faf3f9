import { builder } from '../builder.ts';
import { guard, readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, dateRange, equals, inList, parseBigIds, parseIds } from '../lists/filters.ts';
import { DateRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { ActorTypeEnum } from '../schema/enums.schema.ts';
import { MerchantRef } from '../merchants/merchants.schema.ts';

/** The audit log (seed 004): who did what to which entity, with before/after. */

export const AuditLogRef = builder.prismaNode('AuditLog', {
  id: { field: 'id' },
  ...nodeAccess('AuditLog', 'bigint'),
  description: 'One audited action: actor, IP, action, entity, before/after.',
  fields: (t) => ({
    actorType: t.expose('actorType', { type: ActorTypeEnum }),
    actorId: t.exposeString('actorId', { nullable: true }),
    actorLabel: t.exposeString('actorLabel', { nullable: true, description: 'E.g. the user\'s email at the time.' }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (a, _args, ctx) => guard(ctx, 'Merchant', a.merchant),
    }),
    ip: t.exposeString('ip', { nullable: true }),
    action: t.exposeString('action'),
    entityType: t.exposeString('entityType', { nullable: true }),
    entityId: t.exposeString('entityId', { nullable: true }),
    before: t.expose('before', { type: 'JSON', nullable: true }),
    after: t.expose('after', { type: 'JSON', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const auditSort = sortInput('AuditLog', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
});

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    actorTypes: t.field({ type: [ActorTypeEnum], required: false }),
    actorId: t.string({ required: false }),
    actions: t.stringList({ required: false }),
    entityType: t.string({ required: false }),
    entityId: t.string({ required: false }),
    merchantIds: t.idList({ required: false }),
    ip: t.string({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
  }),
});

builder.queryField('auditLogs', (t) =>
  t.connection(
    {
      type: AuditLogRef,
      description: 'Audit log entries the viewer may read, newest first.',
      args: {
        filter: t.arg({ type: AuditLogFilter, required: false }),
        sort: t.arg({ type: auditSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'AuditLog'),
          inList('id', parseBigIds('AuditLog', 'ids', f.ids)),
          inList('actorType', f.actorTypes),
          equals('actorId', f.actorId),
          inList('action', f.actions),
          equals('entityType', f.entityType),
          equals('entityId', f.entityId),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          equals('ip', f.ip),
          dateRange('createdAt', f.createdAt),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'AuditLog', where,
          sort: resolveSort(auditSort.fields, args.sort, 'CREATED_AT', { field: 'id', kind: 'bigint' }),
          findMany: (q) => ctx.prisma.auditLog.findMany(q as never),
          count: (q) => ctx.prisma.auditLog.count(q as never),
        });
      },
    },
    listConnection('AuditLog', AuditLogRef),
  ),
);
