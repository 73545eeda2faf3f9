import { createService, updateService } from '../../modules/config/catalog-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { DirectionEnum, EnableStatusEnum, ServiceKindEnum, ServiceRef } from './catalog.schema.ts';

/** The service catalogue (CATALOG_MANAGE). Parse → modules/config/catalog-admin.service.ts → re-read. */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

const CreateServiceInput = builder.inputType('CreateServiceInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'Stable code payment clients send, e.g. THB_BANK (A-Z, 0-9, _). Fixed once created.' }),
    name: t.string({ required: true }),
    direction: t.field({ type: DirectionEnum, required: true }),
    kind: t.field({ type: ServiceKindEnum, required: true }),
    currency: t.string({ required: true }),
    chain: t.string({ description: 'Crypto services only, e.g. TRON.' }),
    country: t.string({ description: 'ISO 3166-1 alpha-2.' }),
    requiredFields: t.stringList({ description: 'Payer fields (payins: payer_name, payer_account, bank_code, payer_phone, payer_id_number, remark_code) or recipient fields (payouts).' }),
    status: t.field({ type: EnableStatusEnum, description: 'Default ENABLED.' }),
  }),
});

const UpdateServiceInput = builder.inputType('UpdateServiceInput', {
  description: 'Fields left out are unchanged. Direction, currency and chain change only while no merchant, channel or payin uses the service.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    kind: t.field({ type: ServiceKindEnum }),
    direction: t.field({ type: DirectionEnum }),
    currency: t.string(),
    chain: t.string({ description: 'null clears.' }),
    country: t.string({ description: 'null clears.' }),
    requiredFields: t.stringList(),
    status: t.field({ type: EnableStatusEnum }),
  }),
});

builder.mutationField('createService', (t) =>
  t.prismaField({
    type: ServiceRef,
    description: 'Adds a service to the catalogue. Errors: INVALID_PARAMETER (field), CURRENCY_NOT_SUPPORTED, DUPLICATE (code), FORBIDDEN.',
    args: { input: t.arg({ type: CreateServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const service = await createService(ctx, input);
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id: service.id } });
    },
  }),
);

builder.mutationField('updateService', (t) =>
  t.prismaField({
    type: ServiceRef,
    description: 'Changes a service (disable it with status DISABLED). Errors: SERVICE_NOT_FOUND, INVALID_PARAMETER, CURRENCY_NOT_SUPPORTED, IN_USE, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = idOf('Service', 'id', input.id);
      await updateService(ctx, { ...input, id });
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
