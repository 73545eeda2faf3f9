import type { ModelName } from '../auth/ability.ts';
import { requireViewer, type RequestContext } from '../auth/authorize.ts';

/**
 * The viewer's read scope of a model as a set of merchants, for raw-SQL aggregations (the dashboard)
 * that cannot take a Prisma where. The ability's read rules must have the shapes `ability.ts` builds:
 * unconditional (staff: every merchant) or `{ merchantId: <uuid> }` (a merchant member or token). Any
 * other rule shape fails closed with FORBIDDEN rather than guessing, so an aggregation can never count
 * rows a list would hide.
 */

export type MerchantScope = { all: true } | { all: false; merchantIds: string[] };

export class UnsupportedScopeError extends Error {}

export function merchantScope(ctx: Pick<RequestContext, 'viewer' | 'ability'>, model: ModelName): MerchantScope {
  requireViewer(ctx);
  const rules = ctx.ability.rulesFor('read', model);
  const merchantIds = new Set<string>();
  for (const rule of rules) {
    if (rule.inverted || rule.fields) throw new UnsupportedScopeError(`cannot aggregate ${model}: inverted or field rules`);
    const conditions = rule.conditions as Record<string, unknown> | undefined;
    if (!conditions || Object.keys(conditions).length === 0) return { all: true };
    const keys = Object.keys(conditions);
    const merchantId = conditions.merchantId;
    if (keys.length !== 1 || typeof merchantId !== 'string') {
      throw new UnsupportedScopeError(`cannot aggregate ${model}: rule conditions ${JSON.stringify(conditions)}`);
    }
    merchantIds.add(merchantId);
  }
  return { all: false, merchantIds: [...merchantIds] };
}
