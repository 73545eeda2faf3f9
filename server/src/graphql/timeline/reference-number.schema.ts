import { accessibleWhere } from '../../modules/auth/ability.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { LedgerTransactionRef } from '../ledger/ledger.schema.ts';
import { batchedName } from './name-batch.ts';

/**
 * The number people know a ledger transaction's reference by (issue 15 defect 5: "ORDER <uuid>"):
 * the payin's order number, the payout's number, the fund request's number, so the statement can
 * link to it. Given only when the viewer may read that payin, payout or request (its CASL read
 * filter in the query); null otherwise and for references without a number (adjustments).
 * Batched per reference type (name-batch.ts).
 */

const LOADERS: Record<string, (ctx: GraphQLContext, ids: string[]) => Promise<Map<string, string>>> = {
  async ORDER(ctx, ids) {
    const rows = await ctx.prisma.order.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'Order')] } as never, select: { id: true, orderNo: true } });
    return new Map(rows.map((r) => [r.id, r.orderNo]));
  },
  async PAYOUT(ctx, ids) {
    const rows = await ctx.prisma.payout.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'Payout')] } as never, select: { id: true, payoutNo: true } });
    return new Map(rows.map((r) => [r.id, r.payoutNo]));
  },
  async FUND_REQUEST(ctx, ids) {
    const rows = await ctx.prisma.fundRequest.findMany({ where: { AND: [{ id: { in: ids } }, accessibleWhere(ctx.ability, 'read', 'FundRequest')] } as never, select: { id: true, requestNo: true } });
    return new Map(rows.map((r) => [r.id, r.requestNo]));
  },
};

builder.prismaObjectField(LedgerTransactionRef, 'referenceNumber', (t) =>
  t.string({
    nullable: true,
    description: "The referenced payin's, payout's or fund request's number, when the viewer may read it; null otherwise.",
    select: { referenceType: true, referenceId: true },
    resolve: (row, _args, ctx) => {
      const load = row.referenceType ? LOADERS[row.referenceType] : undefined;
      return load ? batchedName(ctx, `reference:${row.referenceType}`, row.referenceId, load) : null;
    },
  }),
);
