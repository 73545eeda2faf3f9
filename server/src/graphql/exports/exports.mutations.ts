import { builder } from '../builder.ts';
import { assertMaskedFilterAllowed } from '../lists/masking.ts';
import { ExportRef } from './exports.schema.ts';
import { PayinFilterInput } from '../payins/payins.schema.ts';
import { PayoutFilterInput } from '../payouts/payouts.schema.ts';
import { startExport } from '../../modules/exports/start-export.ts';

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
      payinFilter: t.arg({ type: PayinFilterInput, required: false, description: 'For PAYINS: the `payins` list filter.' }),
      payoutFilter: t.arg({ type: PayoutFilterInput, required: false, description: 'For PAYOUTS: the `payouts` list filter.' }),
    },
    resolve: (_root, args, ctx) => {
      const filters = ((args.kind === 'PAYINS' ? args.payinFilter : args.payoutFilter) ?? {}) as Record<string, unknown>;
      // The export applies the filter in full later: one on a column the viewer sees masked is refused now.
      return startExport(ctx, { kind: args.kind, filters }, (checked) => assertMaskedFilterAllowed(ctx, args.kind === 'PAYINS' ? 'Order' : 'Payout', checked, { refuseSearch: true }));
    },
  }),
);
