import { subject } from '@casl/ability';
import type { GraphQLContext } from '../context.ts';
import type { ReadModel } from './access.ts';

/**
 * Sensitive numbers (payer / recipient card and account numbers, ID numbers, a destination's account
 * number) are masked unless the viewer's ability grants the dedicated action `readSensitive` on that
 * row: `ability.can('readSensitive', subject('Order', order))`. A dedicated action (rather than a field
 * list on `read`) keeps the default safe: a role that can read an order sees `••••1234` until someone
 * grants it `readSensitive` on purpose.
 *
 * Masking keeps the last 4 characters of values longer than 6 (enough to recognise a card or account)
 * and hides shorter values entirely; the length is not revealed.
 */

export const READ_SENSITIVE = 'readSensitive';

const MASK = '••••';

export function maskValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v.length === 0) return v;
  if (v.length <= 6) return MASK;
  return `${MASK}${v.slice(-4)}`;
}

export function canReadSensitive(ctx: GraphQLContext, model: ReadModel, row: object): boolean {
  return ctx.ability.can(READ_SENSITIVE as never, subject(model, { ...row }) as never);
}

/** The value itself when the viewer may read it unmasked, else its mask. */
export function sensitive(ctx: GraphQLContext, model: ReadModel, row: object, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return canReadSensitive(ctx, model, row) ? value : maskValue(value);
}
