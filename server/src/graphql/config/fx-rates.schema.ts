import { builder } from '../builder.ts';
import { readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, equals } from '../lists/filters.ts';
import { resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';

/** The display-only FX rates of the dashboard. */

export const FxRateRef = builder.prismaNode('FxRate', {
  id: { field: 'id' },
  ...nodeAccess('FxRate'),
  description: 'A display-only exchange rate: one unit of `base` = `rate` units of `quote`.',
  fields: (t) => ({
    base: t.exposeString('base'),
    quote: t.exposeString('quote'),
    rate: t.field({ type: 'Decimal', resolve: (r) => r.rate.toFixed() }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const fxSort = sortInput('FxRate', {
  UPDATED_AT: column('UPDATED_AT', 'updatedAt', 'date'),
  BASE: column('BASE', 'base', 'string'),
});

const FxRateFilter = builder.inputType('FxRateFilter', {
  fields: (t) => ({
    base: t.string({ required: false }),
    quote: t.string({ required: false }),
  }),
});

builder.queryField('fxRates', (t) =>
  t.connection(
    {
      type: FxRateRef,
      args: {
        filter: t.arg({ type: FxRateFilter, required: false }),
        sort: t.arg({ type: fxSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(readWhere(ctx, 'FxRate'), equals('base', f.base), equals('quote', f.quote));
        return keysetConnection({
          ctx, info, args, typeName: 'FxRate', where,
          sort: resolveSort(fxSort.fields, args.sort, 'UPDATED_AT'),
          findMany: (q) => ctx.prisma.fxRate.findMany(q as never),
          count: (q) => ctx.prisma.fxRate.count(q as never),
        });
      },
    },
    listConnection('FxRate', FxRateRef),
  ),
);
