import { subject as asSubject } from '@casl/ability';
import { DomainError } from '../../lib/errors.ts';
import type { AppServices } from '../../services.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import type { Action, AppAbility, ModelName } from './ability.ts';
import type { TokenViewer, UserViewer, Viewer } from './viewer.ts';

/**
 * What an operation called on behalf of someone gets: the process services, who is calling and what
 * they may do. Adapters build it (GraphQL per request or WebSocket operation; tests directly); the
 * operation loads what it needs and authorizes itself with the helpers below, so an adapter is
 * parse → call → present and nothing else.
 *
 * Refusals are DomainErrors with stable codes, shown by every adapter alike:
 * - UNAUTHENTICATED: no session or token (or an expired one);
 * - MFA_REQUIRED: a session that still owes its second factor (staff without verified TOTP);
 * - PASSWORD_CHANGE_REQUIRED: an administrator set the user's password; they must choose their own first;
 * - FORBIDDEN: the ability denies the action (`details.action`, `details.subject`).
 *
 * ```ts
 * const payout = await loadPayout(ctx, id);         // NOT_FOUND unless the ability may read it
 * assertCan(ctx, 'review', 'Payout', payout);       // checks the conditions against the loaded row
 * ```
 * Lists do not call assertCan: they AND `accessibleWhere(ctx.ability, 'read', model)` into the where.
 */
export interface RequestContext extends AppServices {
  requestId: string;
  ip: string | undefined;
  userAgent: string | undefined;
  /** Who is calling (session cookie, API token or nobody). */
  viewer: Viewer;
  /** The CASL ability of `viewer`. */
  ability: AppAbility;
}

export type SignedInViewer = UserViewer | TokenViewer;

export function unauthenticated(message = 'sign in first'): DomainError {
  return new DomainError('UNAUTHENTICATED', message);
}

export function forbidden(message = 'not allowed', details: Record<string, unknown> = {}): DomainError {
  return new DomainError('FORBIDDEN', message, details);
}

export function mfaRequired(): DomainError {
  return new DomainError('MFA_REQUIRED', 'two-factor verification required');
}

export function passwordChangeRequired(): DomainError {
  return new DomainError('PASSWORD_CHANGE_REQUIRED', 'choose a new password first');
}

/** The signed-in viewer (a user whose session passed MFA and who owes no password change, or an API token); throws otherwise. */
export function requireViewer(ctx: Pick<RequestContext, 'viewer'>): SignedInViewer {
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
export function requireUser(ctx: Pick<RequestContext, 'viewer'>, opts: { allowPendingMfa?: boolean; allowPasswordChange?: boolean } = {}): UserViewer {
  const viewer = ctx.viewer;
  if (viewer.kind === 'anonymous') throw unauthenticated();
  if (viewer.kind !== 'user') throw forbidden('only a signed-in user can do this (not an API token)');
  if (!viewer.mfaVerified && !opts.allowPendingMfa) throw mfaRequired();
  if (viewer.passwordChangeRequired && !opts.allowPasswordChange && !opts.allowPendingMfa) throw passwordChangeRequired();
  return viewer;
}

/** Whether the ability allows `action` on `model` (on this row, when given). */
export function can(ctx: Pick<RequestContext, 'ability'>, action: Action, model: ModelName, object?: object | null): boolean {
  if (object) return ctx.ability.can(action, asSubject(model, { ...object }) as never);
  return ctx.ability.can(action, model);
}

/**
 * Throws unless the viewer is signed in and the ability allows `action` on `model` (on this row when
 * `object` is given: its conditions, e.g. `merchantId`, are checked against the row's fields). Without
 * a row it asks "is this allowed on some row", which is the right check before a create whose
 * merchant is not known yet; check again with the row once it is.
 */
export function assertCan(ctx: Pick<RequestContext, 'viewer' | 'ability'>, action: Action, model: ModelName, object?: object | null): SignedInViewer {
  const viewer = requireViewer(ctx);
  if (!can(ctx, action, model, object)) throw forbidden(`not allowed to ${action} ${model}`, { action, subject: model });
  return viewer;
}

/** Who is acting, for timelines and the audit log. */
export function actorOf(ctx: Pick<RequestContext, 'viewer' | 'ip'>, viewer: SignedInViewer = requireViewer(ctx)): AuditActor {
  if (viewer.kind === 'user') return { type: 'USER', id: viewer.userId, label: viewer.email, ip: ctx.ip ?? null };
  return { type: 'API_TOKEN', id: viewer.tokenId, label: null, ip: ctx.ip ?? null };
}

/** `<WHAT>_NOT_FOUND` for something the caller may not see or that does not exist (the two look alike). */
export function notFound(what: string): DomainError {
  return new DomainError(`${what.toUpperCase().replace(/ /g, '_')}_NOT_FOUND`, `${what} not found`);
}
