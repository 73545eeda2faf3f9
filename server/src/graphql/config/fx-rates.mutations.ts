import { encodeGlobalID } from '@pothos/plugin-relay';
import { deleteFxRate, setFxRate } from '../../modules/config/fx-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { FxRateRef } from './fx-rates.schema.ts';

/** Display-only FX rates (FX_MANAGE). Parse → modules/config/fx-admin.service.ts → re-read. */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

const SetFxRateInput = builder.inputType('SetFxRateInput', {
  fields: (t) => ({
    base: t.string({ required: true, description: 'Currency code, e.g. THB.' }),
    quote: t.string({ required: true, description: 'Currency code, e.g. USD.' }),
    rate: t.field({ type: 'Decimal', required: true, description: 'Units of quote for one unit of base, > 0, at most 12 decimals, e.g. "0.0282".' }),
  }),
});

const DeleteFxRateInput = builder.inputType('DeleteFxRateInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const DeleteFxRatePayload = builder.objectRef<{ deletedFxRateId: string }>('DeleteFxRatePayload').implement({
  fields: (t) => ({ deletedFxRateId: t.exposeID('deletedFxRateId', { description: 'Node id of the rate that was deleted.' }) }),
});

builder.mutationField('setFxRate', (t) =>
  t.prismaField({
    type: FxRateRef,
    description: 'Creates the base/quote rate or replaces it (display only). Errors: INVALID_PARAMETER (field), CURRENCY_NOT_SUPPORTED, FORBIDDEN.',
    args: { input: t.arg({ type: SetFxRateInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const rate = await setFxRate(ctx, input);
      return ctx.prisma.fxRate.findUniqueOrThrow({ ...query, where: { id: rate.id } });
    },
  }),
);

builder.mutationField('deleteFxRate', (t) =>
  t.field({
    type: DeleteFxRatePayload,
    description: 'Deletes an FX rate. Errors: FX_RATE_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: DeleteFxRateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = idOf('FxRate', 'id', input.id);
      const removed = await deleteFxRate(ctx, id);
      return { deletedFxRateId: encodeGlobalID('FxRate', removed.id) };
    },
  }),
);
