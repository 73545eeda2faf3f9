import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import './deliveries.schema.ts';
import { resendDeliveryById } from '../../modules/deliveries/deliveries.back-office.ts';

/** Callbacks to merchants: resend one (seed 002), through modules/deliveries/deliveries.back-office.ts. */

builder.mutationField('resendDelivery', (t) =>
  t.prismaField({
    type: 'Delivery',
    description: 'Send a callback again now (seed 002 "resend"): a delivered or failed one is queued again, one waiting for a retry is sent now (after the earlier callbacks of its payin or payout). Audited.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = parseIds('Delivery', 'id', [String(args.id)])![0]!;
      await resendDeliveryById(ctx, { id });
      return ctx.prisma.delivery.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
