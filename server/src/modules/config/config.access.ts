import type { Action } from '../auth/ability.ts';
import { assertCan, can, forbidden, type RequestContext } from '../auth/authorize.ts';
import { ConfigNotFoundError, type ConfigEntity } from './config.errors.ts';

/**
 * Authorization of the configuration back office. Every entity here is platform-managed
 * (MERCHANT_MANAGE, CATALOG_MANAGE, RISK_MANAGE, FX_MANAGE), so an operation first asks whether the
 * viewer may `action` the model at all: Finance, Support and every merchant role get FORBIDDEN before
 * any input is looked at. Then the loaded row is checked with `writable`.
 */
export function assertMayConfigure(ctx: RequestContext, action: Action, model: ConfigEntity): void {
  assertCan(ctx, action, model);
}

/**
 * The row, when the viewer may read it (else <ENTITY>_NOT_FOUND: missing and unreadable look alike)
 * and `action` it (else FORBIDDEN).
 */
export function writable<T extends object>(ctx: RequestContext, action: Action, model: ConfigEntity, row: T | null): T {
  if (!row || !can(ctx, 'read', model, row)) throw new ConfigNotFoundError(model, null);
  assertCan(ctx, action, model, row);
  return row;
}

/**
 * Whether the viewer reads channels as platform staff (an unconditional read rule), so sees their
 * internals: connector, settings, credentials present, routing priority and weight, balance. Merchant
 * members read the channels serving their services without them.
 */
export function canReadChannelInternals(ctx: Pick<RequestContext, 'ability'>): boolean {
  return ctx.ability.rulesFor('read', 'Channel').some((r) => !r.inverted && !r.conditions);
}

/** FORBIDDEN (reason CHANNEL_INTERNALS) unless the viewer sees channel internals: ordering by priority would reveal routing. */
export function assertMaySortChannelsByPriority(ctx: Pick<RequestContext, 'ability'>): void {
  if (!canReadChannelInternals(ctx)) {
    throw forbidden('sorting channels by priority needs platform channel access', { reason: 'CHANNEL_INTERNALS', field: 'priority' });
  }
}
