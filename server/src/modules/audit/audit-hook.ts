import { actorOf, type RequestContext } from '../auth/authorize.ts';
import { recordAudit, type AuditHook } from './audit.service.ts';

/**
 * The audit row of a back-office call into an operation the merchant API shares: the operation writes
 * it in its own transaction, once it knows the entity (`merchantId`, `id`).
 */
export function auditHook(ctx: Pick<RequestContext, 'viewer' | 'ip'>, action: string, entityType: string, details?: Record<string, string | number | boolean | null>): AuditHook {
  const actor = actorOf(ctx);
  return (tx, entity) => recordAudit(tx, actor, { action, merchantId: entity.merchantId, entityType, entityId: entity.id, after: details ?? null });
}
