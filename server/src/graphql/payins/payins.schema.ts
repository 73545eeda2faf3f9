import { cachedCurrencyDigits } from '../../modules/catalog/catalog.service.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { guard, readWhere } from '../lists/access.ts';
import { readsColumns } from '../lists/columns.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { amountRange, and, column, dateRange, equals, inList, parseIds } from '../lists/filters.ts';
import { AmountRangeInput, DateRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { sensitive } from '../lists/masking.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { payinFilterWhere } from '../lists/transactions.filter.ts';
import { money, MoneyRef, requestDigitsMap } from '../money.ts';
import { ServiceKindEnum } from '../config/catalog.schema.ts';
import { AppRef } from '../merchants/merchants.schema.ts';
import { ChannelRef } from '../config/channels.schema.ts';
import {
  AccumulationStatusEnum,
  ActorTypeEnum,
  CreationTypeEnum,
  OriginalityEnum,
  PaymentStatusEnum,
  PayinStatusEnum,
  PayinTypeEnum,
  PostbackStatusEnum,
} from '../schema/enums.schema.ts';

/**
 * Payins (seed 002 "Transactions", seed 000 "Payin order"): the payin with its sub-payments, its
 * timeline and its callbacks. The `payins` list has every filter of seed 002. The Prisma model (and
 * the CASL subject) is still `Order`; the GraphQL type, and so its global ids, say `Payin`.
 */

export const PayinRef = builder.prismaNode('Order', {
  name: 'Payin',
  id: { field: 'id' },
  ...nodeAccess('Order'),
  description: 'A payin: money a payer pays to a merchant.',
  fields: (t) => ({
    orderNo: t.exposeString('orderNo', { description: 'Platform order number.' }),
    prepayId: t.exposeString('prepayId'),
    outTradeNo: t.exposeString('outTradeNo', { description: "The merchant's order id (seed 002 Order ID)." }),
    merchant: t.relation('merchant'),
    app: t.field({
      type: AppRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ app: nested(true) }),
      extensions: readsColumns([], { relation: 'app' }),
      resolve: (o, _a, ctx) => guard(ctx, 'App', o.app),
    }),
    service: t.relation('service'),
    channel: t.field({
      type: ChannelRef,
      nullable: true,
      description: 'The upstream channel; null until routed, or when the viewer may not read channels.',
      select: (_args, _ctx, nested) => ({ channel: nested(true) }),
      extensions: readsColumns([], { relation: 'channel' }),
      resolve: (o, _a, ctx) => guard(ctx, 'Channel', o.channel),
    }),
    status: t.expose('status', { type: PayinStatusEnum }),
    sequence: t.exposeInt('sequence', { description: 'Increases with every status change; callbacks carry it.' }),
    currencyCode: t.exposeString('currencyCode'),
    chain: t.exposeString('chain', { nullable: true }),
    amount: t.field({ type: MoneyRef, extensions: readsColumns(['amount', 'currencyCode']), resolve: (o, _a, ctx) => money(ctx, o.amount, o.currencyCode) }),
    paidAmount: t.field({
      type: MoneyRef,
      description: 'Sum of received payments (above amount: overpaid; below: underpaid).',
      extensions: readsColumns(['paidAmount', 'currencyCode']),
      resolve: (o, _a, ctx) => money(ctx, o.paidAmount, o.currencyCode),
    }),
    fee: t.field({ type: MoneyRef, extensions: readsColumns(['fee', 'currencyCode']), resolve: (o, _a, ctx) => money(ctx, o.fee, o.currencyCode) }),
    orderType: t.expose('orderType', { type: PayinTypeEnum }),
    description: t.exposeString('description', { nullable: true }),
    attach: t.exposeString('attach', { nullable: true }),
    locale: t.exposeString('locale'),
    notifyUrl: t.exposeString('notifyUrl', { nullable: true }),
    returnUrl: t.exposeString('returnUrl', { nullable: true }),
    toAddress: t.exposeString('toAddress', { nullable: true }),
    userLabel: t.exposeString('userLabel', { nullable: true, description: "Seed 002 label: the payer's id in the merchant's system." }),
    payerName: t.exposeString('payerName', { nullable: true }),
    payerAccount: t.string({
      nullable: true,
      description: 'Card / account number, masked (••••1234) unless the viewer may read sensitive data.',
      extensions: readsColumns(['payerAccount']),
      resolve: (o, _a, ctx) => sensitive(ctx, 'Order', o, o.payerAccount),
    }),
    bankCode: t.exposeString('bankCode', { nullable: true }),
    payerPhone: t.exposeString('payerPhone', { nullable: true }),
    payerIdNumber: t.string({
      nullable: true,
      description: 'ID number, masked unless the viewer may read sensitive data.',
      extensions: readsColumns(['payerIdNumber']),
      resolve: (o, _a, ctx) => sensitive(ctx, 'Order', o, o.payerIdNumber),
    }),
    remarkCode: t.exposeString('remarkCode', { nullable: true }),
    instructions: t.expose('instructions', { type: 'JSON', nullable: true, description: 'What the cashier shows the payer.' }),
    upstreamRef: t.exposeString('upstreamRef', { nullable: true }),
    test: t.exposeBoolean('test'),
    creationType: t.expose('creationType', { type: CreationTypeEnum }),
    originality: t.expose('originality', { type: OriginalityEnum }),
    postbackStatus: t.expose('postbackStatus', { type: PostbackStatusEnum }),
    accumulationStatus: t.expose('accumulationStatus', { type: AccumulationStatusEnum }),
    expireAt: t.expose('expireAt', { type: 'DateTime' }),
    paidAt: t.expose('paidAt', { type: 'DateTime', nullable: true, description: 'Activation date (seed 002).' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    payments: t.relation('payments', {
      description: 'Sub-orders: payments received for this payin, oldest first.',
      query: { orderBy: [{ paidAt: 'asc' }, { id: 'asc' }] },
    }),
    events: t.relation('events', {
      description: 'Timeline (payment-flow tracking), oldest first.',
      query: { orderBy: { id: 'asc' } },
    }),
    deliveries: t.relation('deliveries', {
      description: 'Callbacks to the merchant, in sequence order.',
      query: { orderBy: [{ sequence: 'asc' }, { createdAt: 'asc' }] },
    }),
  }),
});

export const PaymentRef = builder.prismaNode('Payment', {
  id: { field: 'id' },
  ...nodeAccess('Payment'),
  description: 'A payment received for a payin (sub-order); several may accumulate to the payin amount.',
  fields: (t) => ({
    payin: t.relation('order'),
    channel: t.field({
      type: ChannelRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ channel: nested(true) }),
      extensions: readsColumns([], { relation: 'channel' }),
      resolve: (p, _a, ctx) => guard(ctx, 'Channel', p.channel),
    }),
    txnId: t.exposeString('txnId', { description: "The upstream's transaction id." }),
    amount: t.field({ type: MoneyRef, extensions: readsColumns(['amount', 'currencyCode']), resolve: (p, _a, ctx) => money(ctx, p.amount, p.currencyCode) }),
    currencyCode: t.exposeString('currencyCode'),
    status: t.expose('status', { type: PaymentStatusEnum }),
    paidAt: t.expose('paidAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const PayinEventRef = builder.prismaNode('OrderEvent', {
  name: 'PayinEvent',
  id: { field: 'id' },
  ...nodeAccess('OrderEvent', 'bigint'),
  description: 'One step of a payin\'s timeline, with why.',
  fields: (t) => ({
    type: t.exposeString('type'),
    fromStatus: t.expose('fromStatus', { type: PayinStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: PayinStatusEnum, nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    data: t.expose('data', { type: 'JSON', nullable: true }),
    actorType: t.expose('actorType', { type: ActorTypeEnum }),
    actorId: t.exposeString('actorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// ─────────────────────────── filters shared by transaction lists ───────────────────────────

/** Digits of an amount filter's currency, or undefined for an unknown currency (the filter reports it). */
export async function filterDigits(ctx: GraphQLContext, amount: { currency: string } | null | undefined): Promise<number | undefined> {
  if (!amount) return undefined;
  return cachedCurrencyDigits(amount.currency) ?? (await requestDigitsMap(ctx)).get(amount.currency);
}

export const payinSort = sortInput(
  'Payin',
  {
    CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
    PAID_AT: column('PAID_AT', 'paidAt', 'date', true),
    UPDATED_AT: column('UPDATED_AT', 'updatedAt', 'date'),
    AMOUNT: column('AMOUNT', 'amount', 'bigint'),
  },
  'Sort order (ties broken by id). PAID_AT: payins not activated yet count as later than any date (last ascending, first descending); filter on paidAt or status to leave them out.',
);

export const PayinFilterInput = builder.inputType('PayinFilter', {
  description: 'Seed 002 transaction filters. Lists are "any of"; fields combine with AND; text fields match exactly.',
  fields: (t) => ({
    ids: t.idList({ required: false, description: 'Payin ids (node ids or raw UUIDs).' }),
    orderNo: t.string({ required: false, description: 'Platform order number (transaction number).' }),
    outTradeNo: t.string({ required: false, description: "The merchant's order id." }),
    userLabel: t.string({ required: false, description: "Label: the payer's id in the merchant's system." }),
    creationType: t.field({ type: CreationTypeEnum, required: false, description: 'Transaction type: MANUAL or AUTO.' }),
    originality: t.field({ type: OriginalityEnum, required: false }),
    postbackStatus: t.field({ type: [PostbackStatusEnum], required: false }),
    accumulationStatus: t.field({ type: [AccumulationStatusEnum], required: false, description: 'Stockpiling status.' }),
    status: t.field({ type: [PayinStatusEnum], required: false }),
    serviceCodes: t.stringList({ required: false, description: 'Wallet type: service codes.' }),
    serviceKinds: t.field({ type: [ServiceKindEnum], required: false }),
    channelIds: t.idList({ required: false }),
    merchantIds: t.idList({ required: false, description: 'Only useful to platform staff: merchant users see their own merchant anyway.' }),
    appIds: t.idList({ required: false }),
    currencies: t.stringList({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    paidAt: t.field({ type: DateRangeInput, required: false, description: 'Activation date range.' }),
    amount: t.field({ type: AmountRangeInput, required: false }),
    test: t.boolean({ required: false }),
    search: t.string({ required: false, description: 'Exact order no, out_trade_no, label or prepay id.' }),
  }),
});

builder.queryField('payins', (t) =>
  t.connection(
    {
      type: PayinRef,
      description: 'Payins the viewer may read, newest first unless `sort` says otherwise.',
      args: {
        filter: t.arg({ type: PayinFilterInput, required: false }),
        sort: t.arg({ type: payinSort.input, required: false }),
      },
      resolve: async (_root, args, ctx, info) => {
        const access = readWhere(ctx, 'Order');
        const filter = args.filter ?? {};
        const where = and(access, payinFilterWhere(filter, await filterDigits(ctx, filter.amount)));
        return keysetConnection({
          ctx, info, args, typeName: 'Payin', where,
          sort: resolveSort(payinSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.order.findMany(q as never),
          count: (q) => ctx.prisma.order.count(q as never),
        });
      },
    },
    listConnection('Payin', PayinRef),
  ),
);

const paymentSort = sortInput('Payment', {
  PAID_AT: column('PAID_AT', 'paidAt', 'date'),
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  AMOUNT: column('AMOUNT', 'amount', 'bigint'),
});

const PaymentFilter = builder.inputType('PaymentFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    payinIds: t.idList({ required: false }),
    orderNo: t.string({ required: false }),
    merchantIds: t.idList({ required: false }),
    channelIds: t.idList({ required: false }),
    txnId: t.string({ required: false }),
    status: t.field({ type: [PaymentStatusEnum], required: false }),
    currencies: t.stringList({ required: false }),
    paidAt: t.field({ type: DateRangeInput, required: false }),
    amount: t.field({ type: AmountRangeInput, required: false }),
    test: t.boolean({ required: false }),
  }),
});

builder.queryField('payments', (t) =>
  t.connection(
    {
      type: PaymentRef,
      description: 'Payments (sub-orders) of the payins the viewer may read, newest first.',
      args: {
        filter: t.arg({ type: PaymentFilter, required: false }),
        sort: t.arg({ type: paymentSort.input, required: false }),
      },
      resolve: async (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const merchantIds = parseIds('Merchant', 'merchantIds', f.merchantIds);
        const order = and(
          equals('orderNo', f.orderNo),
          inList('merchantId', merchantIds),
          f.test !== null && f.test !== undefined ? { test: f.test } : undefined,
        );
        const where = and(
          readWhere(ctx, 'Payment'),
          inList('id', parseIds('Payment', 'ids', f.ids)),
          inList('orderId', parseIds('Payin', 'payinIds', f.payinIds)),
          Object.keys(order).length ? { order } : undefined,
          inList('channelId', parseIds('Channel', 'channelIds', f.channelIds)),
          equals('txnId', f.txnId),
          inList('status', f.status),
          inList('currencyCode', f.currencies),
          dateRange('paidAt', f.paidAt),
          amountRange('amount', 'currencyCode', f.amount, await filterDigits(ctx, f.amount)),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'Payment', where,
          sort: resolveSort(paymentSort.fields, args.sort, 'PAID_AT'),
          findMany: (q) => ctx.prisma.payment.findMany(q as never),
          count: (q) => ctx.prisma.payment.count(q as never),
        });
      },
    },
    listConnection('Payment', PaymentRef),
  ),
);
