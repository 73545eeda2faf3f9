import { builder } from '../builder.ts';
import { guard, readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, inList, isValue, parseIds } from '../lists/filters.ts';
import { resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { maybeMoney, MoneyRef } from '../money.ts';
import { DirectionEnum, EnableStatusEnum } from './catalog.schema.ts';
import { RiskActionEnum } from '../schema/enums.schema.ts';
import { MerchantRef } from '../merchants/merchants.schema.ts';

/** Risk rules (seed 004). */

const COUNT_KINDS = /COUNT/;

export const RiskRuleRef = builder.prismaNode('RiskRule', {
  id: { field: 'id' },
  ...nodeAccess('RiskRule'),
  description: 'An automated risk rule: REVIEW or REJECT transactions that match.',
  fields: (t) => ({
    name: t.exposeString('name'),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: 'Null = applies to every merchant.',
      select: (_args, _ctx, nested) => ({ merchant: nested(true) }),
      resolve: (r, _a, ctx) => guard(ctx, 'Merchant', r.merchant),
    }),
    direction: t.expose('direction', { type: DirectionEnum }),
    kind: t.exposeString('kind', { description: 'AMOUNT_ABOVE, DAILY_VOLUME_ABOVE, DAILY_COUNT_ABOVE, BLOCKED_ACCOUNT …' }),
    currencyCode: t.exposeString('currencyCode', { nullable: true }),
    threshold: t.string({
      nullable: true,
      description: 'The raw threshold: minor units for amount rules, a count for *_COUNT_* rules.',
      resolve: (r) => (r.threshold === null ? null : r.threshold.toString()),
    }),
    thresholdAmount: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'The threshold as money, for amount rules with a currency.',
      resolve: (r, _a, ctx) => (COUNT_KINDS.test(r.kind) ? null : maybeMoney(ctx, r.threshold, r.currencyCode)),
    }),
    value: t.exposeString('value', { nullable: true, description: 'E.g. the blocked account of BLOCKED_ACCOUNT.' }),
    action: t.expose('action', { type: RiskActionEnum }),
    status: t.expose('status', { type: EnableStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const riskSort = sortInput('RiskRule', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  NAME: column('NAME', 'name', 'string'),
});

const RiskRuleFilter = builder.inputType('RiskRuleFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    merchantIds: t.idList({ required: false }),
    global: t.boolean({ required: false, description: 'true: rules for every merchant only; false: merchant-specific only.' }),
    direction: t.field({ type: DirectionEnum, required: false }),
    kinds: t.stringList({ required: false }),
    action: t.field({ type: RiskActionEnum, required: false }),
    status: t.field({ type: EnableStatusEnum, required: false }),
  }),
});

builder.queryField('riskRules', (t) =>
  t.connection(
    {
      type: RiskRuleRef,
      args: {
        filter: t.arg({ type: RiskRuleFilter, required: false }),
        sort: t.arg({ type: riskSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'RiskRule'),
          inList('id', parseIds('RiskRule', 'ids', f.ids)),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          f.global === true ? { merchantId: null } : f.global === false ? { merchantId: { not: null } } : undefined,
          isValue('direction', f.direction),
          inList('kind', f.kinds),
          isValue('action', f.action),
          isValue('status', f.status),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'RiskRule', where,
          sort: resolveSort(riskSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.riskRule.findMany(q as never),
          count: (q) => ctx.prisma.riskRule.count(q as never),
        });
      },
    },
    listConnection('RiskRule', RiskRuleRef),
  ),
);
