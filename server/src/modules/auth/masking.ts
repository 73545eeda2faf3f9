import { subject } from '@casl/ability';
import { DomainError } from '../../lib/errors.ts';
import type { ModelName } from './ability.ts';
import type { RequestContext } from './authorize.ts';

/**
 * Sensitive numbers (payer / recipient card and account numbers, ID numbers, a destination's account
 * number) are masked unless the viewer's ability grants the dedicated action `readSensitive` on that
 * row: `ability.can('readSensitive', subject('Order', order))`. A dedicated action (rather than a field
 * list on `read`) keeps the default safe: a role that can read an order sees `••••1234` until someone
 * grants it `readSensitive` on purpose.
 *
 * Masking keeps the last 4 characters of values longer than 6 (enough to recognise a card or account)
 * and hides shorter values entirely; the length is not revealed. Every reader applies the same rules:
 * the GraphQL fields and lists, and exports (which run later, with the requester's ability rebuilt).
 */

export const READ_SENSITIVE = 'readSensitive';

const MASK = '••••';

type AbilityContext = Pick<RequestContext, 'ability'>;

export function maskValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v.length === 0) return v;
  if (v.length <= 6) return MASK;
  return `${MASK}${v.slice(-4)}`;
}

export function canReadSensitive(ctx: AbilityContext, model: ModelName, row: object): boolean {
  return ctx.ability.can(READ_SENSITIVE as never, subject(model, { ...row }) as never);
}

/** The value itself when the viewer may read it unmasked, else its mask. */
export function sensitive(ctx: AbilityContext, model: ModelName, row: object, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return canReadSensitive(ctx, model, row) ? value : maskValue(value);
}

/**
 * Whether the viewer may unmask every row of `model` it may read: each of its read rules is matched
 * by an unconditional `readSensitive` rule or one with the very same conditions. Only such a viewer may
 * filter or search on a masked column: for anyone else, a filter on a guessed full account number would
 * confirm it (rows come back or not) although the answer shows it masked.
 */
export function canUnmaskAll(ctx: AbilityContext, model: ModelName): boolean {
  const sensitiveRules = ctx.ability.rulesFor(READ_SENSITIVE as never, model as never).filter((r) => !r.inverted);
  if (sensitiveRules.length === 0) return false;
  if (sensitiveRules.some((r) => !r.conditions)) return true;
  const unmaskable = new Set(sensitiveRules.map((r) => JSON.stringify(r.conditions)));
  const readRules = ctx.ability.rulesFor('read', model as never);
  return readRules.every((r) => !r.inverted && !!r.conditions && unmaskable.has(JSON.stringify(r.conditions)));
}

/** A filter, sort or search on a masked column by a viewer who sees it masked: refused, code MASKED_FIELD_FILTER. */
export function maskedFieldFilter(model: ModelName, field: string): DomainError {
  return new DomainError('MASKED_FIELD_FILTER', `${field} is masked for you: ${model} rows cannot be filtered or searched by it`, { model, field });
}

/** Fields shown through `sensitive()` (masked unless `readSensitive`), per GraphQL type = model. */
export const MASKED_FIELDS: Partial<Record<ModelName, readonly string[]>> = {
  Order: ['payerAccount', 'payerIdNumber'],
  Payout: ['recipientAccount', 'recipientIdNumber'],
  MerchantDestination: ['accountNumber'],
};

/** Masked columns a list's filter offers (refused to viewers who cannot unmask); test/authorization-walk.test.ts holds the filter inputs to it. */
export const MASKED_FILTER_FIELDS: Partial<Record<ModelName, readonly string[]>> = {
  Payout: ['recipientAccount'],
};

/** Throws MASKED_FIELD_FILTER when the filter names a masked column (or, with `refuseSearch`, has a search that may match one) and the viewer cannot unmask. */
export function assertMaskedFilterAllowed(
  ctx: AbilityContext,
  model: ModelName,
  filter: Record<string, unknown> | null | undefined,
  opts: { refuseSearch?: boolean } = {},
): void {
  if (!filter || canUnmaskAll(ctx, model)) return;
  for (const field of MASKED_FILTER_FIELDS[model] ?? []) {
    const value = filter[field];
    if (value !== null && value !== undefined && value !== '') throw maskedFieldFilter(model, field);
  }
  if (opts.refuseSearch && typeof filter.search === 'string' && filter.search.trim() !== '' && (MASKED_FILTER_FIELDS[model]?.length ?? 0) > 0) {
    throw maskedFieldFilter(model, 'search');
  }
}
