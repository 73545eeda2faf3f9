import { createMerchant, updateMerchant } from '../../modules/config/merchants-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { MerchantStatusEnum } from '../schema/enums.schema.ts';
import { MerchantRef } from './merchants.schema.ts';

/**
 * Merchants in the back office (seed 004 "Create Merchant", "Merchant Settings"); MERCHANT_MANAGE only.
 * Each field parses its input, calls one operation of modules/config/merchants-admin.service.ts (which
 * authorizes, validates, writes and audits in one transaction) and re-reads the merchant with the
 * client's selection.
 */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

const CreateMerchantInput = builder.inputType('CreateMerchantInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 200 characters.' }),
    mchId: t.string({ description: '10 digits, not starting with 0; generated when left out.' }),
    status: t.field({ type: MerchantStatusEnum, description: 'ACTIVE (default) or SUSPENDED.' }),
    country: t.string({ description: 'ISO 3166-1 alpha-2, e.g. TH.' }),
    timezone: t.string({ description: 'IANA time zone for daily statements; default UTC.' }),
    contactEmail: t.string(),
  }),
});

const UpdateMerchantInput = builder.inputType('UpdateMerchantInput', {
  description: 'Fields left out are unchanged; country and contactEmail are cleared with null.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    status: t.field({ type: MerchantStatusEnum, description: 'ACTIVE ⇄ SUSPENDED, either → CLOSED (final).' }),
    country: t.string(),
    timezone: t.string(),
    contactEmail: t.string(),
  }),
});

builder.mutationField('createMerchant', (t) =>
  t.prismaField({
    type: MerchantRef,
    description: 'Creates a merchant. Errors: INVALID_PARAMETER (field), DUPLICATE (mchId), FORBIDDEN.',
    args: { input: t.arg({ type: CreateMerchantInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const merchant = await createMerchant(ctx, input);
      return ctx.prisma.merchant.findUniqueOrThrow({ ...query, where: { id: merchant.id } });
    },
  }),
);

builder.mutationField('updateMerchant', (t) =>
  t.prismaField({
    type: MerchantRef,
    description:
      'Changes a merchant’s name, status, country, time zone or contact email. A merchant that is not ACTIVE is refused by the REST API at once. Errors: MERCHANT_NOT_FOUND, INVALID_PARAMETER, INVALID_TRANSITION, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateMerchantInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = idOf('Merchant', 'id', input.id);
      await updateMerchant(ctx, { ...input, id });
      return ctx.prisma.merchant.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
