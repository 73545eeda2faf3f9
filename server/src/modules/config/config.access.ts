import type { Action } from '../auth/ability.ts';
import { assertCan, can, type RequestContext } from '../auth/authorize.ts';
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
