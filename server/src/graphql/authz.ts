import { subject as asSubject } from '@casl/ability';
import { GraphQLError } from 'graphql';
import type { Action, ModelName } from '../modules/auth/ability.ts';
import type { TokenViewer, UserViewer, Viewer } from '../modules/auth/viewer.ts';
import type { GraphQLContext } from './context.ts';

/**
 * Authorization helpers for resolvers. Errors carry a stable `extensions.code`:
 * - UNAUTHENTICATED: no session or token (or an expired one).
 * - MFA_REQUIRED: a session that still owes its second factor (staff without verified TOTP).
 * - PASSWORD_CHANGE_REQUIRED: an administrator set the user's password; they must choose their own
 *   (changePassword) before anything else.
 * - FORBIDDEN: the ability denies the action.
 *
 * ```ts
 * resolve: async (_root, args, ctx) => {
 *   const payout = await loadPayout(ctx, args.id);
 *   assertCan(ctx, 'review', 'Payout', payout);      // checks the conditions against the loaded row
 *   …
 * }
 * ```
 * Lists do not call assertCan: they AND `accessibleWhere(ctx.ability, 'read', 'Order')` into the where
 * (see graphql/lists/access.ts), so forbidden rows are simply absent.
 */

export type SignedInViewer = UserViewer | TokenViewer;

export function unauthenticated(message = 'sign in first'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbidden(message = 'not allowed', details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...details } });
}

export function mfaRequired(): GraphQLError {
  return new GraphQLError('two-factor verification required', { extensions: { code: 'MFA_REQUIRED' } });
}

export function passwordChangeRequired(): GraphQLError {
  return new GraphQLError('choose a new password first', { extensions: { code: 'PASSWORD_CHANGE_REQUIRED' } });
}

/** The signed-in viewer (a user whose session passed MFA and who owes no password change, or an API token); throws otherwise. */
export function requireViewer(ctx: Pick<GraphQLContext, 'viewer'>): SignedInViewer {
  const viewer = ctx.viewer;
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (viewer.kind === 'user' && !viewer.mfaVerified) throw mfaRequired();
  if (viewer.kind === 'user' && viewer.passwordChangeRequired) throw passwordChangeRequired();
  return viewer;
}

/**
 * A signed-in person (not an API token). `allowPendingMfa` admits a session that still owes TOTP;
 * `allowPasswordChange` one whose user must change the password first.
 */
export function requireUser(ctx: Pick<GraphQLContext, 'viewer'>, opts: { allowPendingMfa?: boolean; allowPasswordChange?: boolean } = {}): UserViewer {
  const viewer = ctx.viewer;
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (viewer.kind !== 'user') throw forbidden('only a signed-in user can do this (not an API token)');
  if (!viewer.mfaVerified && !opts.allowPendingMfa) throw mfaRequired();
  if (viewer.passwordChangeRequired && !opts.allowPasswordChange && !opts.allowPendingMfa) throw passwordChangeRequired();
  return viewer;
}

/** Whether the ability allows `action` on `model` (on this row, when given). */
export function can(ctx: Pick<GraphQLContext, 'ability'>, action: Action, model: ModelName, object?: object | null): boolean {
  if (object) return ctx.ability.can(action, asSubject(model, { ...object }) as never);
  return ctx.ability.can(action, model);
}

/**
 * Throws unless the viewer is signed in and the ability allows `action` on `model` (on this row when
 * `object` is given: its conditions, e.g. `merchantId`, are checked against the row's fields). Without
 * a row it asks "is this allowed on some row", which is the right check before a create whose
 * merchant is not known yet; check again with the row once it is.
 */
export function assertCan(ctx: Pick<GraphQLContext, 'viewer' | 'ability'>, action: Action, model: ModelName, object?: object | null): SignedInViewer {
  const viewer = requireViewer(ctx);
  if (!can(ctx, action, model, object)) throw forbidden(`not allowed to ${action} ${model}`, { action, subject: model });
  return viewer;
}
