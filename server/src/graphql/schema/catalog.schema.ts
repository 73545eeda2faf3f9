import { builder } from '../builder.ts';

export const DirectionEnum = builder.enumType('Direction', { values: ['PAYIN', 'PAYOUT'] as const });
export const EnableStatusEnum = builder.enumType('EnableStatus', { values: ['ENABLED', 'DISABLED'] as const });
export const ServiceKindEnum = builder.enumType('ServiceKind', {
  values: ['BANK_CARD', 'BANK_TRANSFER', 'E_WALLET', 'QR', 'PIX', 'CRYPTO'] as const,
});

builder.prismaObject('Currency', {
  description: 'A currency and the number of fractional digits of its minor unit.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    digits: t.exposeInt('digits'),
    crypto: t.exposeBoolean('crypto'),
    status: t.expose('status', { type: EnableStatusEnum }),
  }),
});

builder.prismaNode('Service', {
  id: { field: 'id' },
  description: 'A product merchants can use, e.g. THB bank transfer payin.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    direction: t.expose('direction', { type: DirectionEnum }),
    kind: t.expose('kind', { type: ServiceKindEnum }),
    currency: t.relation('currency'),
    chain: t.exposeString('chain', { nullable: true }),
    country: t.exposeString('country', { nullable: true }),
    requiredFields: t.exposeStringList('requiredFields'),
    status: t.expose('status', { type: EnableStatusEnum }),
  }),
});

builder.queryField('currencies', (t) =>
  t.prismaField({
    type: ['Currency'],
    description: 'Currencies the platform knows.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.currency.findMany({ ...query, orderBy: { code: 'asc' } }),
  }),
);

builder.queryField('services', (t) =>
  t.prismaField({
    type: ['Service'],
    description: 'The service catalogue.',
    args: { direction: t.arg({ type: DirectionEnum, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.service.findMany({
        ...query,
        where: args.direction ? { direction: args.direction } : {},
        orderBy: { code: 'asc' },
      }),
  }),
);
