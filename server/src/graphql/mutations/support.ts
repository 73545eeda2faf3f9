import { GraphQLError } from 'graphql';
import { isDomainError } from '../../lib/errors.ts';
import { recordAudit, type AuditActor, type AuditHook } from '../../modules/audit/audit.service.ts';
import { actorOf } from '../../modules/auth/authorize.ts';

export { actorOf, notFound } from '../../modules/auth/authorize.ts';
import type { GraphQLContext } from '../context.ts';

/**
 * Shared plumbing of the back-office mutations.
 *
 * `domain(fn)`: runs a service call and turns its DomainError into a GraphQL error whose
 * `extensions.code` is the same stable code the service threw (INSUFFICIENT_BALANCE,
 * INVALID_TRANSITION, AMOUNT_OUT_OF_RANGE …) with the error's details (field, min, max …), so the SPA
 * shows the same reasons the REST API gives. Anything else propagates (and is masked in production).
 */
export async function domain<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isDomainError(error)) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, ...(error.details ?? {}) } });
    }
    throw error;
  }
}

/** The audit row of a back-office call into an operation the merchant API shares (written in its transaction). */
export function auditHook(ctx: GraphQLContext, action: string, entityType: string, details?: Record<string, string | number | boolean | null>): AuditHook {
  const actor = actorOf(ctx);
  return (tx, entity) => recordAudit(tx, actor, { action, merchantId: entity.merchantId, entityType, entityId: entity.id, after: details ?? null });
}

/** Trims an optional reason; required ones must not be blank. */
export function reasonArg(value: string | null | undefined, required: boolean, field = 'reason'): string | null {
  const trimmed = (value ?? '').trim();
  if (required && trimmed === '') throw new GraphQLError(`${field}: a reason is required`, { extensions: { code: 'INVALID_PARAMETER', field } });
  if (trimmed.length > 1000) throw new GraphQLError(`${field}: at most 1000 characters`, { extensions: { code: 'INVALID_PARAMETER', field } });
  return trimmed === '' ? null : trimmed;
}
