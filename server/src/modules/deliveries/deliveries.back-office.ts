import { actorOf, assertCan, requireViewer, type RequestContext } from '../auth/authorize.ts';
import { readableOrNotFound } from '../auth/readable.ts';
import { resendDelivery } from './deliveries.service.ts';

/**
 * Sends a callback again now (seed 002 "resend"), on behalf of the viewer: DELIVERY_NOT_FOUND unless
 * readable, the `resend` ability on the row, then one audited requeue.
 */
export async function resendDeliveryById(ctx: RequestContext, input: { id: string }) {
  requireViewer(ctx);
  const delivery = readableOrNotFound(ctx, 'Delivery', 'delivery', await ctx.prisma.delivery.findUnique({ where: { id: input.id } }));
  assertCan(ctx, 'resend', 'Delivery', delivery);
  return resendDelivery(ctx.prisma, delivery.id, actorOf(ctx));
}
