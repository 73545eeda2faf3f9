import { can } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { guard, readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { amountRange, and, column, dateRange, equals, inList, isValue, parseIds } from '../lists/filters.ts';
import { AmountRangeInput, DateRangeInput, resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { money, MoneyRef } from '../money.ts';
import { FundRequestKindEnum, FundRequestStatusEnum } from '../schema/enums.schema.ts';
import { MerchantDestinationRef, MerchantRef } from '../merchants/merchants.schema.ts';
import { filterDigits } from '../payins/payins.schema.ts';

/**
 * Fund management (seed 000 financial center): recharges, withdrawals and merchant-to-merchant transfers.
 *
 * The receiving merchant of a transfer reads the request (its incoming transfers), but not the sender:
 * `merchant` is null for it, and so are the sender's own details (who created it, the fee it paid).
 * Both sides know each other only by the public name and number of `counterparty`.
 */

interface MerchantPartyShape {
  name: string;
  mchId: string;
}

export const MerchantPartyRef = builder.objectRef<MerchantPartyShape>('MerchantParty').implement({
  description: 'The other merchant of a transfer, by its public name and account number (mch_id) only.',
  fields: (t) => ({
    name: t.exposeString('name'),
    mchId: t.exposeString('mchId', { description: '10-digit merchant number, the account number for transfers.' }),
  }),
});

/** Whether the viewer may read the sending merchant of a request (staff, or its own members and tokens). */
const readsSender = (ctx: GraphQLContext, r: { merchantId: string }) => can(ctx, 'read', 'Merchant', { id: r.merchantId });

/** The viewer's merchant, or null for staff. */
const viewerMerchantId = (ctx: GraphQLContext) => (ctx.viewer.kind === 'anonymous' ? null : ctx.viewer.merchantId);

const partySelect = { select: { name: true, mchId: true } } as const;

export const FundRequestRef = builder.prismaNode('FundRequest', {
  id: { field: 'id' },
  ...nodeAccess('FundRequest'),
  description: 'A recharge, withdrawal or transfer, reviewed by finance staff.',
  fields: (t) => ({
    requestNo: t.exposeString('requestNo'),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: 'The requesting (for a transfer: sending) merchant; null for the receiving merchant of a transfer (see counterparty).',
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (r, _a, ctx) => guard(ctx, 'Merchant', r.merchant),
    }),
    counterparty: t.field({
      type: MerchantPartyRef,
      nullable: true,
      description:
        "A transfer's other merchant, name and number only: the sender for the viewer's incoming transfers, else the receiver. Null for recharges and withdrawals.",
      select: { merchantId: true, kind: true, merchant: partySelect, targetMerchant: partySelect },
      resolve: (r, _a, ctx) => {
        if (r.kind !== 'TRANSFER' || !r.targetMerchant) return null;
        const incoming = viewerMerchantId(ctx) !== null && viewerMerchantId(ctx) !== r.merchantId;
        const party = incoming ? r.merchant : r.targetMerchant;
        return { name: party.name, mchId: party.mchId };
      },
    }),
    kind: t.expose('kind', { type: FundRequestKindEnum }),
    status: t.expose('status', { type: FundRequestStatusEnum }),
    test: t.exposeBoolean('test', { description: 'A test request: it moved test balances only.' }),
    currencyCode: t.exposeString('currencyCode'),
    amount: t.field({ type: MoneyRef, resolve: (r, _a, ctx) => money(ctx, r.amount, r.currencyCode) }),
    fee: t.field({
      type: MoneyRef,
      nullable: true,
      description: "The fee the sender pays; null for the receiving merchant of another merchant's transfer.",
      resolve: (r, _a, ctx) => (readsSender(ctx, r) ? money(ctx, r.fee, r.currencyCode) : null),
    }),
    targetMerchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: 'The receiving merchant of a transfer, when the viewer may read it (else use targetMchId).',
      select: (_args, _ctx, nested) => ({ targetMerchant: nested(true) }),
      resolve: (r, _a, ctx) => guard(ctx, 'Merchant', r.targetMerchant),
    }),
    targetMchId: t.string({
      nullable: true,
      description: "The receiving merchant's account number (mch_id) of a transfer; the sender knows it.",
      select: { targetMerchant: { select: { mchId: true } } },
      resolve: (r) => r.targetMerchant?.mchId ?? null,
    }),
    destination: t.field({
      type: MerchantDestinationRef,
      nullable: true,
      select: (_args, _ctx, nested) => ({ destination: nested(true) }),
      resolve: (r, _a, ctx) => guard(ctx, 'MerchantDestination', r.destination),
    }),
    reference: t.exposeString('reference', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    reviewNote: t.exposeString('reviewNote', { nullable: true }),
    createdById: t.string({
      nullable: true,
      description: "Who created the request; null for the receiving merchant of another merchant's transfer.",
      resolve: (r, _a, ctx) => (readsSender(ctx, r) ? r.createdById : null),
    }),
    reviewedById: t.exposeString('reviewedById', { nullable: true }),
    reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const fundRequestSort = sortInput('FundRequest', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  REVIEWED_AT: column('REVIEWED_AT', 'reviewedAt', 'date', true),
  AMOUNT: column('AMOUNT', 'amount', 'bigint'),
});

const FundRequestFilter = builder.inputType('FundRequestFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    requestNo: t.string({ required: false }),
    kinds: t.field({ type: [FundRequestKindEnum], required: false }),
    status: t.field({ type: [FundRequestStatusEnum], required: false }),
    merchantIds: t.idList({ required: false, description: 'Requests of these merchants (as sender).' }),
    targetMerchantIds: t.idList({ required: false }),
    currencies: t.stringList({ required: false }),
    amount: t.field({ type: AmountRangeInput, required: false }),
    createdAt: t.field({ type: DateRangeInput, required: false }),
    reviewedAt: t.field({ type: DateRangeInput, required: false }),
    test: t.boolean({ required: false, description: 'Only test (true) or only live (false) requests; both when absent.' }),
  }),
});

builder.queryField('fundRequests', (t) =>
  t.connection(
    {
      type: FundRequestRef,
      description: 'Fund requests the viewer may read, newest first.',
      args: {
        filter: t.arg({ type: FundRequestFilter, required: false }),
        sort: t.arg({ type: fundRequestSort.input, required: false }),
      },
      resolve: async (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'FundRequest'),
          inList('id', parseIds('FundRequest', 'ids', f.ids)),
          equals('requestNo', f.requestNo),
          inList('kind', f.kinds),
          inList('status', f.status),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          inList('targetMerchantId', parseIds('Merchant', 'targetMerchantIds', f.targetMerchantIds)),
          inList('currencyCode', f.currencies),
          amountRange('amount', 'currencyCode', f.amount, await filterDigits(ctx, f.amount)),
          dateRange('createdAt', f.createdAt),
          dateRange('reviewedAt', f.reviewedAt),
          isValue('test', f.test),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'FundRequest', where,
          sort: resolveSort(fundRequestSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.fundRequest.findMany(q as never),
          count: (q) => ctx.prisma.fundRequest.count(q as never),
        });
      },
    },
    listConnection('FundRequest', FundRequestRef),
  ),
);
