import { DomainError } from '../lib/errors.ts';

/** Parses a reason or note argument: trimmed; a required one must not be blank (INVALID_PARAMETER). */
export function reasonArg(value: string | null | undefined, required: boolean, field = 'reason'): string | null {
  const trimmed = (value ?? '').trim();
  if (required && trimmed === '') throw new DomainError('INVALID_PARAMETER', `${field}: a reason is required`, { field });
  if (trimmed.length > 1000) throw new DomainError('INVALID_PARAMETER', `${field}: at most 1000 characters`, { field });
  return trimmed === '' ? null : trimmed;
}
