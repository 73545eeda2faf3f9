import { builder } from '../builder.ts';
import { guard, readWhere } from '../lists/access.ts';
import { readsColumns } from '../lists/columns.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column } from '../lists/filters.ts';
import { AmountRangeInput, DateRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { assertMaskedFilterAllowed, canUnmaskAll, sensitive } from '../lists/masking.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { payoutFilterWhere } from '../lists/transactions.filter.ts';
import { money, MoneyRef } from '../money.ts';
import { ServiceKindEnum } from '../config/catalog.schema.ts';
import { ChannelRef } from '../config/channels.schema.ts';
import { ActorTypeEnum, CreationTypeEnum, OriginalityEnum, PayoutStatusEnum, PostbackStatusEnum } from '../schema/enums.schema.ts';
import { AppRef } from '../merchants/merchants.schema.ts';
import { filterDigits } from '../payins/payins.schema.ts';

/** Payouts (seed 002 "Withdrawals", seed 000 "Payout order") with timeline and callbacks. */

export const PayoutRef = builder.prismaNode('Payout', {
  id: { field: 'id' },
  ...nodeAccess('Payout'),
  description: 'A payout order.',
  fields: (t) => ({
    payoutNo: t.exposeString('payoutNo', { description: 'Platform payout number (withdrawal ID).' }),
    outTradeNo: t.exposeString('outTradeNo', { description: "The merchant's order id." }),
    merchant: t.relation('merchant'),
    app: t.field({
      type: AppRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ app: nested(true) }),
      extensions: readsColumns([], { relation: 'app' }),
      resolve: (p, _a, ctx) => guard(ctx, 'App', p.app),
    }),
    service: t.relation('service'),
    channel: t.field({
      type: ChannelRef,
      nullable: true,
      description: 'The upstream channel; null until routed, or when the viewer may not read channels.',
      select: (_args, _ctx, nested) => ({ channel: nested(true) }),
      extensions: readsColumns([], { relation: 'channel' }),
      resolve: (p, _a, ctx) => guard(ctx, 'Channel', p.channel),
    }),
    status: t.expose('status', { type: PayoutStatusEnum }),
    sequence: t.exposeInt('sequence'),
    currencyCode: t.exposeString('currencyCode'),
    chain: t.exposeString('chain', { nullable: true }),
    amount: t.field({ type: MoneyRef, extensions: readsColumns(['amount', 'currencyCode']), resolve: (p, _a, ctx) => money(ctx, p.amount, p.currencyCode) }),
    fee: t.field({ type: MoneyRef, extensions: readsColumns(['fee', 'currencyCode']), resolve: (p, _a, ctx) => money(ctx, p.fee, p.currencyCode) }),
    recipientName: t.exposeString('recipientName', { nullable: true }),
    recipientAccount: t.string({
      nullable: true,
      description: 'Recipient card / account / wallet number, masked (••••1234) unless the viewer may read sensitive data.',
      extensions: readsColumns(['recipientAccount']),
      resolve: (p, _a, ctx) => sensitive(ctx, 'Payout', p, p.recipientAccount),
    }),
    bankCode: t.exposeString('bankCode', { nullable: true }),
    recipientPhone: t.exposeString('recipientPhone', { nullable: true }),
    recipientIdNumber: t.string({
      nullable: true,
      description: 'ID number, masked unless the viewer may read sensitive data.',
      extensions: readsColumns(['recipientIdNumber']),
      resolve: (p, _a, ctx) => sensitive(ctx, 'Payout', p, p.recipientIdNumber),
    }),
    description: t.exposeString('description', { nullable: true }),
    attach: t.exposeString('attach', { nullable: true }),
    notifyUrl: t.exposeString('notifyUrl', { nullable: true }),
    userLabel: t.exposeString('userLabel', { nullable: true, description: "Seed 002 label: the user's id in the merchant's system." }),
    upstreamRef: t.exposeString('upstreamRef', { nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    reviewNote: t.exposeString('reviewNote', { nullable: true }),
    reviewedById: t.exposeString('reviewedById', { nullable: true }),
    reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true }),
    test: t.exposeBoolean('test'),
    creationType: t.expose('creationType', { type: CreationTypeEnum }),
    originality: t.expose('originality', { type: OriginalityEnum }),
    postbackStatus: t.expose('postbackStatus', { type: PostbackStatusEnum }),
    submittedAt: t.expose('submittedAt', { type: 'DateTime', nullable: true, description: 'Sent upstream (funds frozen).' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    events: t.relation('events', { description: 'Timeline, oldest first.', query: { orderBy: { id: 'asc' } } }),
    deliveries: t.relation('deliveries', {
      description: 'Callbacks to the merchant, in sequence order.',
      query: { orderBy: [{ sequence: 'asc' }, { createdAt: 'asc' }] },
    }),
  }),
});

export const PayoutEventRef = builder.prismaNode('PayoutEvent', {
  id: { field: 'id' },
  ...nodeAccess('PayoutEvent', 'bigint'),
  description: "One step of a payout's timeline.",
  fields: (t) => ({
    type: t.exposeString('type'),
    fromStatus: t.expose('fromStatus', { type: PayoutStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: PayoutStatusEnum, nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    data: t.expose('data', { type: 'JSON', nullable: true }),
    actorType: t.expose('actorType', { type: ActorTypeEnum }),
    actorId: t.exposeString('actorId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const payoutSort = sortInput(
  'Payout',
  {
    CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
    FINISHED_AT: column('FINISHED_AT', 'finishedAt', 'date', true),
    UPDATED_AT: column('UPDATED_AT', 'updatedAt', 'date'),
    AMOUNT: column('AMOUNT', 'amount', 'bigint'),
  },
  'Sort order (ties broken by id). FINISHED_AT: unfinished payouts count as later than any date (last ascending, first descending).',
);

export const PayoutFilterInput = builder.inputType('PayoutFilter', {
  description: 'Seed 002 withdrawal filters. Lists are "any of"; fields combine with AND; text fields match exactly.',
  fields: (t) => ({
    ids: t.idList({ required: false }),
    payoutNo: t.string({ required: false, description: 'Withdrawal ID.' }),
    outTradeNo: t.string({ required: false }),
    userLabel: t.string({ required: false }),
    recipientAccount: t.string({
      required: false,
      description: "Recipient's wallet / account number, exact. Refused (MASKED_FIELD_FILTER) to a viewer who sees it masked.",
    }),
    creationType: t.field({ type: CreationTypeEnum, required: false }),
    originality: t.field({ type: OriginalityEnum, required: false }),
    postbackStatus: t.field({ type: [PostbackStatusEnum], required: false }),
    status: t.field({ type: [PayoutStatusEnum], required: false }),
    serviceCodes: t.stringList({ required: false }),
    serviceKinds: t.field({ type: [ServiceKindEnum], required: false }),
    channelIds: t.idList({ required: false }),
    merchantIds: t.idList({ required: false }),
    appIds: t.idList({ required: false }),
    currencies: t.stringList({ required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    finishedAt: t.field({ type: DateRangeInput, required: false }),
    amount: t.field({ type: AmountRangeInput, required: false }),
    test: t.boolean({ required: false }),
    search: t.string({
      required: false,
      description: 'Exact payout no, out_trade_no, label or recipient account (the recipient account only for a viewer who sees it unmasked).',
    }),
  }),
});

builder.queryField('payouts', (t) =>
  t.connection(
    {
      type: PayoutRef,
      description: 'Payouts the viewer may read, newest first unless `sort` says otherwise.',
      args: {
        filter: t.arg({ type: PayoutFilterInput, required: false }),
        sort: t.arg({ type: payoutSort.input, required: false }),
      },
      resolve: async (_root, args, ctx, info) => {
        const access = readWhere(ctx, 'Payout');
        const filter = args.filter ?? {};
        assertMaskedFilterAllowed(ctx, 'Payout', filter);
        const sensitive = canUnmaskAll(ctx, 'Payout');
        const where = and(access, payoutFilterWhere(filter, await filterDigits(ctx, filter.amount), { sensitive }));
        return keysetConnection({
          ctx, info, args, typeName: 'Payout', where,
          sort: resolveSort(payoutSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.payout.findMany(q as never),
          count: (q) => ctx.prisma.payout.count(q as never),
        });
      },
    },
    listConnection('Payout', PayoutRef),
  ),
);
