import { filter, pipe } from 'graphql-yoga';
import { builder } from '../builder.ts';
import { can, requireViewer } from '../../modules/auth/authorize.ts';
import type { GraphQLContext } from '../context.ts';
import { parseIds } from '../lists/filters.ts';
import type { DeliveryChanged, ExportProgressed, StatusChanged } from '../../events/topics.ts';
import { DeliveryRef } from '../deliveries/deliveries.schema.ts';
import { ExportRef } from '../exports/exports.schema.ts';
import { PayinRef } from '../payins/payins.schema.ts';
import { PayoutRef } from '../payouts/payouts.schema.ts';
import { sharedRead } from './shared-rows.ts';

/**
 * Live updates over graphql-ws (same port and path as HTTP GraphQL, same session cookie):
 *   payinChanged    every payin status change, new payins included (their first "change" is PENDING)
 *   payoutChanged   every payout status change
 *   deliveryChanged callback results
 *   exportProgress  the viewer's own exports while they run
 * Events come from the platform pub/sub (in process, or Redis so that every replica sees every event)
 * and are filtered by the subscriber's ability before anything is loaded: a merchant user never sees
 * another merchant's events. A payin or payout event then loads the current row once for every
 * subscriber of this process that selects the same fields (shared-rows.ts), and the read rule is
 * checked against that row again, in memory, before it is sent. Sockets whose answers would be equal
 * (same document, variables and rules) share one execution per event (shared-subscriptions.ts).
 */

builder.subscriptionType({});

function merchantIds(args: { merchantIds?: readonly (string | number)[] | null }): Set<string> | null {
  const ids = parseIds('Merchant', 'merchantIds', args.merchantIds?.map(String));
  return ids ? new Set(ids) : null;
}

/** The event carries the columns the read rules look at (merchant; for deliveries also their subject). */
const allowed = (ctx: GraphQLContext, model: 'Order' | 'Payout' | 'Delivery', event: { merchantId: string }, only: Set<string> | null) =>
  (only === null || only.has(event.merchantId)) && can(ctx, 'read', model, event as never);

builder.subscriptionField('payinChanged', (t) =>
  t.prismaField({
    type: PayinRef,
    nullable: true,
    description: 'Payin created or changed status. Optionally only these merchants.',
    args: { merchantIds: t.arg.idList({ required: false }) },
    subscribe: (_root, args, ctx) => {
      requireViewer(ctx);
      const only = merchantIds(args);
      return pipe(
        ctx.events.subscribe('payin:changed'),
        filter((change: StatusChanged) => allowed(ctx, 'Order', change, only)),
      );
    },
    resolve: async (query, change: StatusChanged, _args, ctx) => {
      const row = await sharedRead(change, query, () => ctx.prisma.order.findUnique({ ...query, where: { id: change.id } }));
      return row && can(ctx, 'read', 'Order', row) ? row : null;
    },
  }),
);

builder.subscriptionField('payoutChanged', (t) =>
  t.prismaField({
    type: PayoutRef,
    nullable: true,
    description: 'Payout created or changed status. Optionally only these merchants.',
    args: { merchantIds: t.arg.idList({ required: false }) },
    subscribe: (_root, args, ctx) => {
      requireViewer(ctx);
      const only = merchantIds(args);
      return pipe(
        ctx.events.subscribe('payout:changed'),
        filter((change: StatusChanged) => allowed(ctx, 'Payout', change, only)),
      );
    },
    resolve: async (query, change: StatusChanged, _args, ctx) => {
      const row = await sharedRead(change, query, () => ctx.prisma.payout.findUnique({ ...query, where: { id: change.id } }));
      return row && can(ctx, 'read', 'Payout', row) ? row : null;
    },
  }),
);

builder.subscriptionField('deliveryChanged', (t) =>
  t.field({
    type: DeliveryRef,
    nullable: true,
    description: 'A callback to a merchant was attempted (sent, failed, retry scheduled).',
    subscribe: (_root, _args, ctx) => {
      requireViewer(ctx);
      return pipe(
        ctx.events.subscribe('delivery:changed'),
        filter((d: DeliveryChanged) => allowed(ctx, 'Delivery', d, null)),
      );
    },
    resolve: async (d: { id: string }, _args, ctx) => {
      const row = await ctx.prisma.delivery.findUnique({ where: { id: d.id } });
      return row && can(ctx, 'read', 'Delivery', row) ? row : null;
    },
  }),
);

builder.subscriptionField('exportProgress', (t) =>
  t.field({
    type: ExportRef,
    nullable: true,
    description: "Progress of the viewer's own exports.",
    subscribe: (_root, _args, ctx) => {
      const viewer = requireViewer(ctx);
      const userId = viewer.kind === 'user' ? viewer.userId : null;
      return pipe(
        ctx.events.subscribe('export:progress'),
        filter((e: ExportProgressed) => userId !== null && e.userId === userId),
      );
    },
    resolve: (e: { id: string }, _args, ctx) => ctx.prisma.export.findUnique({ where: { id: e.id } }),
  }),
);
