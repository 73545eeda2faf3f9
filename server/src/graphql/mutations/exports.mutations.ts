import { builder } from '../builder.ts';
import { assertCan, requireUser } from '../../modules/auth/authorize.ts';
import { assertMaskedFilterAllowed } from '../lists/masking.ts';
import { ExportRef } from '../schema/exports.schema.ts';
import { OrderFilterInput } from '../schema/orders.schema.ts';
import { PayoutFilterInput } from '../schema/payouts.schema.ts';
import { createExport } from '../../modules/exports/exports.service.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import { actorOf, domain } from './support.ts';

/**
 * Download center: start an export of a list with the filter it has on screen. The file is built by a
 * job (progress through `exportProgress`), then downloaded from `/api/exports/<id>/download`.
 */

const ExportKindEnum = builder.enumType('ExportKind', { values: ['PAYINS', 'PAYOUTS'] as const });

builder.mutationField('createExport', (t) =>
  t.field({
    type: ExportRef,
    args: {
      kind: t.arg({ type: ExportKindEnum, required: true }),
      payinFilter: t.arg({ type: OrderFilterInput, required: false, description: 'For PAYINS: the `orders` list filter.' }),
      payoutFilter: t.arg({ type: PayoutFilterInput, required: false, description: 'For PAYOUTS: the `payouts` list filter.' }),
    },
    resolve: async (_root, args, ctx) => {
      const user = requireUser(ctx);
      assertCan(ctx, 'create', 'Export');
      assertCan(ctx, 'export', args.kind === 'PAYINS' ? 'Order' : 'Payout');
      const filters = (args.kind === 'PAYINS' ? args.payinFilter : args.payoutFilter) ?? {};
      // The export applies the filter in full later: one on a column the viewer sees masked is refused now.
      assertMaskedFilterAllowed(ctx, args.kind === 'PAYINS' ? 'Order' : 'Payout', filters as Record<string, unknown>, { refuseSearch: true });
      const row = await domain(() => createExport(ctx.prisma, { userId: user.userId, merchantId: user.global ? null : user.merchantId, kind: args.kind, filters: filters as Record<string, unknown> }));
      await recordAudit(ctx.prisma, actorOf(ctx), { action: 'export.create', merchantId: row.merchantId, entityType: 'Export', entityId: row.id, after: { kind: row.kind, filters: row.filters as never } });
      return row;
    },
  }),
);
