import { updateMerchantService, upsertMerchantService } from '../../modules/config/merchant-services-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { EnableStatusEnum } from '../config/catalog.schema.ts';
import { MerchantServiceRef } from './merchants.schema.ts';

/**
 * A merchant's services: activation with single-transaction limits, fees and T+N (MERCHANT_MANAGE or
 * CATALOG_MANAGE). Parse → modules/config/merchant-services-admin.service.ts → re-read.
 */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

const UpsertMerchantServiceInput = builder.inputType('UpsertMerchantServiceInput', {
  description: 'Activates a service for a merchant or changes the activation. Fields left out keep their value (on activation: no limits, no fee, T+0, ENABLED).',
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    serviceId: t.id({ required: true }),
    status: t.field({ type: EnableStatusEnum }),
    singleLimitLower: t.field({ type: 'Decimal', description: 'single_limit_lower_bound of seed 001 in the service currency; null or 0 = no limit.' }),
    singleLimitUpper: t.field({ type: 'Decimal', description: 'single_limit_upper_bound; null or 0 = no limit.' }),
    feeRate: t.field({ type: 'Decimal', description: 'Percentage fee, 0 to 100 with at most 4 decimals, e.g. "2.5".' }),
    feeFixed: t.field({ type: 'Decimal', description: 'Fixed fee per transaction in the service currency.' }),
    settlementDays: t.int({ description: 'T+N: 0 to 30 days before a payin’s net amount becomes available.' }),
  }),
});

const UpdateMerchantServiceInput = builder.inputType('UpdateMerchantServiceInput', {
  description: 'Fields left out are unchanged; a limit given as null means no limit.',
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: EnableStatusEnum }),
    singleLimitLower: t.field({ type: 'Decimal', description: 'single_limit_lower_bound of seed 001 in the service currency; null or 0 = no limit.' }),
    singleLimitUpper: t.field({ type: 'Decimal', description: 'single_limit_upper_bound; null or 0 = no limit.' }),
    feeRate: t.field({ type: 'Decimal', description: 'Percentage fee, 0 to 100 with at most 4 decimals, e.g. "2.5".' }),
    feeFixed: t.field({ type: 'Decimal', description: 'Fixed fee per transaction in the service currency.' }),
    settlementDays: t.int({ description: 'T+N: 0 to 30 days before a payin’s net amount becomes available.' }),
  }),
});

builder.mutationField('upsertMerchantService', (t) =>
  t.prismaField({
    type: MerchantServiceRef,
    description:
      'Activates a service for a merchant, or changes its limits, fees, settlement period or status. Errors: MERCHANT_NOT_FOUND, SERVICE_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, FORBIDDEN.',
    args: { input: t.arg({ type: UpsertMerchantServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const merchantId = idOf('Merchant', 'merchantId', input.merchantId);
      const serviceId = idOf('Service', 'serviceId', input.serviceId);
      const row = await upsertMerchantService(ctx, { ...input, merchantId, serviceId });
      return ctx.prisma.merchantService.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
);

builder.mutationField('updateMerchantService', (t) =>
  t.prismaField({
    type: MerchantServiceRef,
    description: 'Changes a merchant’s service activation by id. Errors: MERCHANT_SERVICE_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateMerchantServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = idOf('MerchantService', 'id', input.id);
      await updateMerchantService(ctx, { ...input, id });
      return ctx.prisma.merchantService.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
