import { builder } from '../builder.ts';
import { readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, inList, isValue, parseIds, searchContains } from '../lists/filters.ts';
import { resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';

export const DirectionEnum = builder.enumType('Direction', { values: ['PAYIN', 'PAYOUT'] as const });
export const EnableStatusEnum = builder.enumType('EnableStatus', { values: ['ENABLED', 'DISABLED'] as const });
export const ServiceKindEnum = builder.enumType('ServiceKind', {
  values: ['BANK_CARD', 'BANK_TRANSFER', 'E_WALLET', 'QR', 'PIX', 'CRYPTO'] as const,
});

export const CurrencyRef = builder.prismaNode('Currency', {
  id: { field: 'code' },
  description: 'A currency and the number of fractional digits of its minor unit. Public reference data.',
  nullable: true,
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    digits: t.exposeInt('digits'),
    crypto: t.exposeBoolean('crypto'),
    status: t.expose('status', { type: EnableStatusEnum }),
  }),
});

export const ServiceRef = builder.prismaNode('Service', {
  id: { field: 'id' },
  ...nodeAccess('Service'),
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


const serviceSort = sortInput('Service', {
  CODE: column('CODE', 'code', 'string'),
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
});

const ServiceFilter = builder.inputType('ServiceFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    codes: t.stringList({ required: false }),
    direction: t.field({ type: DirectionEnum, required: false }),
    kinds: t.field({ type: [ServiceKindEnum], required: false }),
    currencies: t.stringList({ required: false }),
    status: t.field({ type: EnableStatusEnum, required: false }),
    search: t.string({ required: false, description: 'Substring of the code or name, case-insensitive.' }),
  }),
});

builder.queryField('services', (t) =>
  t.connection(
    {
      type: ServiceRef,
      description: 'The service catalogue (sorted by code ascending unless `sort` says otherwise).',
      args: {
        filter: t.arg({ type: ServiceFilter, required: false }),
        sort: t.arg({ type: serviceSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'Service'),
          inList('id', parseIds('Service', 'ids', f.ids)),
          inList('code', f.codes),
          isValue('direction', f.direction),
          inList('kind', f.kinds),
          inList('currencyCode', f.currencies),
          isValue('status', f.status),
          searchContains(['code', 'name'], f.search),
        );
        const sort = resolveSort(serviceSort.fields, args.sort ?? { field: 'CODE', direction: 'ASC' }, 'CODE');
        return keysetConnection({
          ctx, info, args, typeName: 'Service', sort, where,
          findMany: (q) => ctx.prisma.service.findMany(q as never),
          count: (q) => ctx.prisma.service.count(q as never),
        });
      },
    },
    listConnection('Service', ServiceRef),
  ),
);
