import type { ModelName } from './ability.ts';
import { can, notFound, requireViewer, type RequestContext } from './authorize.ts';

/**
 * `row` when the viewer may read it; `<WHAT>_NOT_FOUND` when it is missing or unreadable (the two look
 * alike: never a hint that another merchant's row exists). The first step of every operation on a row.
 */
export function readableOrNotFound<T extends object>(ctx: Pick<RequestContext, 'viewer' | 'ability'>, model: ModelName, what: string, row: T | null | undefined): T {
  requireViewer(ctx);
  if (!row || !can(ctx, 'read', model, row)) throw notFound(what);
  return row;
}

/** The merchant `id` (database id) when the viewer may read it, else MERCHANT_NOT_FOUND. */
export async function loadReadableMerchant(ctx: RequestContext, id: string) {
  requireViewer(ctx);
  return readableOrNotFound(ctx, 'Merchant', 'merchant', await ctx.prisma.merchant.findUnique({ where: { id } }));
}
