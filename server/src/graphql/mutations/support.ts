import { GraphQLError } from 'graphql';
import { DomainError, isDomainError } from '../../lib/errors.ts';

export { actorOf, notFound } from '../../modules/auth/authorize.ts';
export { auditHook } from '../../modules/audit/audit-hook.ts';

/**
 * Shared plumbing of the back-office mutations.
 *
 * @deprecated `domain(fn)` is redundant: graphql/errors.ts presents every thrown DomainError with its
 * `extensions.code`. Call the service directly; this goes once no mutation file uses it.
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

/** Parses a reason or note argument: trimmed; a required one must not be blank (INVALID_PARAMETER). */
export function reasonArg(value: string | null | undefined, required: boolean, field = 'reason'): string | null {
  const trimmed = (value ?? '').trim();
  if (required && trimmed === '') throw new DomainError('INVALID_PARAMETER', `${field}: a reason is required`, { field });
  if (trimmed.length > 1000) throw new DomainError('INVALID_PARAMETER', `${field}: at most 1000 characters`, { field });
  return trimmed === '' ? null : trimmed;
}
