import type { Tx } from '../../db/prisma.ts';
import type { MerchantService } from '../../generated/prisma/client.ts';
import type { EnableStatus } from '../../generated/prisma/enums.ts';
import { formatRatePercent } from '../../lib/money.ts';
import { actorOf, assertCan, can, type RequestContext } from '../auth/authorize.ts';
import { ConfigNotFoundError, DuplicateError } from './config.errors.ts';
import { assertMayConfigure, writable } from './config.access.ts';
import { amountOf, assertBounds, auditedTransaction, boundOf, jsonSafe, optionalInt, ratePpmOf, unique } from './config.input.ts';

/**
 * A service activated for a merchant (DESIGN "MerchantService", seed 000 "methods and fees"): the
 * single-transaction limits of seed 001 (single_limit_lower_bound / upper_bound, 0 = no limit), the
 * fee (a percentage with up to 4 decimals, 0–100 %, plus a fixed amount; computed half-up in minor
 * units and never above the amount, lib/money.ts computeFee), the settlement period T+N in days, and
 * whether it is enabled. Amounts are in the service's currency.
 *
 * `upsert` activates the service for the merchant or changes an existing activation (fields left out
 * keep their value, or the defaults on creation: no limits, no fee, T+0, ENABLED); `update` changes an
 * activation by id.
 */

export interface MerchantServiceChanges {
  status?: EnableStatus | null;
  /** Decimal strings in the service currency; null or "0" = no limit. */
  singleLimitLower?: string | null;
  singleLimitUpper?: string | null;
  /** Percent, e.g. "2.5". */
  feeRate?: string | null;
  /** Decimal string in the service currency. */
  feeFixed?: string | null;
  settlementDays?: number | null;
}

export interface UpsertMerchantServiceInput extends MerchantServiceChanges {
  merchantId: string;
  serviceId: string;
}

export interface UpdateMerchantServiceInput extends MerchantServiceChanges {
  id: string;
}

export const MAX_SETTLEMENT_DAYS = 30;

type WithCodes = MerchantService & { merchant: { mchId: string }; service: { code: string; currencyCode: string } };
const withCodes = { merchant: { select: { mchId: true } }, service: { select: { code: true, currencyCode: true } } } as const;

export function merchantServiceAuditView(ms: WithCodes) {
  return jsonSafe({
    mchId: ms.merchant.mchId,
    service: ms.service.code,
    currency: ms.service.currencyCode,
    status: ms.status,
    singleLimitLower: ms.singleLimitLower,
    singleLimitUpper: ms.singleLimitUpper,
    feeRate: formatRatePercent(ms.feeRatePpm),
    feeFixed: ms.feeFixed,
    settlementDays: ms.settlementDays,
  });
}

interface Values {
  status: EnableStatus;
  singleLimitLower: bigint;
  singleLimitUpper: bigint;
  feeRatePpm: bigint;
  feeFixed: bigint;
  settlementDays: number;
}

const DEFAULTS: Values = { status: 'ENABLED', singleLimitLower: 0n, singleLimitUpper: 0n, feeRatePpm: 0n, feeFixed: 0n, settlementDays: 0 };

/** The changes applied over `base`, checked (money in the service currency's digits). */
function merge(base: Values, changes: MerchantServiceChanges, digits: number): Values {
  const next: Values = {
    status: changes.status ?? base.status,
    singleLimitLower: boundOf(changes.singleLimitLower, digits, 'singleLimitLower') ?? base.singleLimitLower,
    singleLimitUpper: boundOf(changes.singleLimitUpper, digits, 'singleLimitUpper') ?? base.singleLimitUpper,
    feeRatePpm: changes.feeRate == null ? base.feeRatePpm : ratePpmOf(changes.feeRate, 'feeRate'),
    feeFixed: changes.feeFixed == null ? base.feeFixed : amountOf(changes.feeFixed.trim(), digits, 'feeFixed'),
    settlementDays: optionalInt(changes.settlementDays, 'settlementDays', 0, MAX_SETTLEMENT_DAYS) ?? base.settlementDays,
  };
  assertBounds(next.singleLimitLower, next.singleLimitUpper, 'singleLimitUpper');
  return next;
}

async function digitsOfService(tx: Tx, serviceId: string) {
  const service = await tx.service.findUnique({ where: { id: serviceId }, select: { id: true, code: true, currency: { select: { digits: true } } } });
  if (!service) throw new ConfigNotFoundError('Service', 'serviceId');
  return service;
}

export async function upsertMerchantService(ctx: RequestContext, input: UpsertMerchantServiceInput): Promise<MerchantService> {
  assertMayConfigure(ctx, 'create', 'MerchantService');
  assertMayConfigure(ctx, 'update', 'MerchantService');
  // Validate the shape of every field before touching the database (digits need the service first).
  optionalInt(input.settlementDays, 'settlementDays', 0, MAX_SETTLEMENT_DAYS);
  if (input.feeRate != null) ratePpmOf(input.feeRate, 'feeRate');

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    const merchant = await tx.merchant.findUnique({ where: { id: input.merchantId }, select: { id: true } });
    if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw new ConfigNotFoundError('Merchant', null);
    assertCan(ctx, 'create', 'MerchantService', { merchantId: merchant.id });
    assertCan(ctx, 'update', 'MerchantService', { merchantId: merchant.id });
    const service = await digitsOfService(tx, input.serviceId);
    // Serialise activations of this pair (the unique key settles a race, the lock keeps `before` honest).
    const existing = await tx.merchantService.findUnique({ where: { merchantId_serviceId: { merchantId: merchant.id, serviceId: service.id } } });
    if (existing) await tx.$queryRaw`SELECT id FROM merchant_services WHERE id = ${existing.id}::uuid FOR UPDATE`;
    const before = existing ? await tx.merchantService.findUniqueOrThrow({ where: { id: existing.id }, include: withCodes }) : null;
    const values = merge(before ?? DEFAULTS, input, service.currency.digits);
    const after = before
      ? await tx.merchantService.update({ where: { id: before.id }, data: values, include: withCodes })
      : await unique(
          () => tx.merchantService.create({ data: { merchantId: merchant.id, serviceId: service.id, ...values }, include: withCodes }),
          () => new DuplicateError('MerchantService', 'serviceId', `service ${service.code} is already activated for this merchant`),
        );
    return {
      result: after,
      audit: {
        action: before ? 'merchant_service.update' : 'merchant_service.activate',
        merchantId: after.merchantId,
        entityType: 'MerchantService',
        entityId: after.id,
        ...(before ? { before: merchantServiceAuditView(before) } : {}),
        after: merchantServiceAuditView(after),
      },
    };
  });
}

export async function updateMerchantService(ctx: RequestContext, input: UpdateMerchantServiceInput): Promise<MerchantService> {
  assertMayConfigure(ctx, 'update', 'MerchantService');
  optionalInt(input.settlementDays, 'settlementDays', 0, MAX_SETTLEMENT_DAYS);
  if (input.feeRate != null) ratePpmOf(input.feeRate, 'feeRate');

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM merchant_services WHERE id = ${input.id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'update', 'MerchantService', await tx.merchantService.findUnique({ where: { id: input.id }, include: withCodes }));
    const service = await digitsOfService(tx, before.serviceId);
    const values = merge(before, input, service.currency.digits);
    const after = await tx.merchantService.update({ where: { id: before.id }, data: values, include: withCodes });
    return {
      result: after,
      audit: {
        action: 'merchant_service.update',
        merchantId: after.merchantId,
        entityType: 'MerchantService',
        entityId: after.id,
        before: merchantServiceAuditView(before),
        after: merchantServiceAuditView(after),
      },
    };
  });
}
