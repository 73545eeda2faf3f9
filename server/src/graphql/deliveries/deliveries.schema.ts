import { builder } from '../builder.ts';
import { readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, dateRange, equals, inList, parseIds } from '../lists/filters.ts';
import { DateRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { DeliveryStatusEnum } from '../schema/enums.schema.ts';

/** Callbacks (postbacks) to merchants and every attempt to deliver them. */

export const DeliveryRef = builder.prismaNode('Delivery', {
  id: { field: 'id' },
  ...nodeAccess('Delivery'),
  description: 'A signed callback to a merchant, retried until acknowledged.',
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'event_id of the callback body.' }),
    eventType: t.exposeString('eventType'),
    merchant: t.relation('merchant'),
    payin: t.relation('order', { nullable: true }),
    payout: t.relation('payout', { nullable: true }),
    fundRequest: t.relation('fundRequest', { nullable: true }),
    url: t.exposeString('url'),
    body: t.exposeString('body', { description: 'The exact body that is signed and sent.' }),
    sequence: t.exposeInt('sequence'),
    status: t.expose('status', { type: DeliveryStatusEnum }),
    attemptCount: t.exposeInt('attemptCount'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    attempts: t.relation('attempts', { description: 'Attempts, first first.', query: { orderBy: [{ attemptNo: 'asc' }, { id: 'asc' }] } }),
  }),
});

export const DeliveryAttemptRef = builder.prismaNode('DeliveryAttempt', {
  id: { field: 'id' },
  ...nodeAccess('DeliveryAttempt', 'bigint'),
  description: 'One attempt to deliver a callback.',
  fields: (t) => ({
    attemptNo: t.exposeInt('attemptNo'),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    statusCode: t.exposeInt('statusCode', { nullable: true }),
    latencyMs: t.exposeInt('latencyMs'),
    responseExcerpt: t.exposeString('responseExcerpt', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const deliverySort = sortInput('Delivery', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  LAST_ATTEMPT_AT: column('LAST_ATTEMPT_AT', 'lastAttemptAt', 'date', true),
});

const DeliveryFilter = builder.inputType('DeliveryFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    merchantIds: t.idList({ required: false }),
    payinIds: t.idList({ required: false }),
    payoutIds: t.idList({ required: false }),
    fundRequestIds: t.idList({ required: false }),
    status: t.field({ type: [DeliveryStatusEnum], required: false }),
    eventType: t.string({ required: false }),
    eventId: t.string({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
  }),
});

builder.queryField('deliveries', (t) =>
  t.connection(
    {
      type: DeliveryRef,
      description: 'Callbacks to merchants, newest first.',
      args: {
        filter: t.arg({ type: DeliveryFilter, required: false }),
        sort: t.arg({ type: deliverySort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'Delivery'),
          inList('id', parseIds('Delivery', 'ids', f.ids)),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          inList('orderId', parseIds('Payin', 'payinIds', f.payinIds)),
          inList('payoutId', parseIds('Payout', 'payoutIds', f.payoutIds)),
          inList('fundRequestId', parseIds('FundRequest', 'fundRequestIds', f.fundRequestIds)),
          inList('status', f.status),
          equals('eventType', f.eventType),
          equals('eventId', f.eventId),
          dateRange('createdAt', f.createdAt),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'Delivery', where,
          sort: resolveSort(deliverySort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.delivery.findMany(q as never),
          count: (q) => ctx.prisma.delivery.count(q as never),
        });
      },
    },
    listConnection('Delivery', DeliveryRef),
  ),
);
