import { displayBalance } from '../../modules/ledger/ledger.service.ts';
import { assertMaySortChannelsByPriority, canReadChannelInternals } from '../../modules/config/config.access.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, equals, inList, isValue, parseIds, searchContains } from '../lists/filters.ts';
import { resolveSort, sortInput } from '../lists/inputs.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { boundMoney, money, MoneyRef } from '../money.ts';
import { EnableStatusEnum } from './catalog.schema.ts';

/**
 * Upstream channels and their bindings to services. Credentials are never readable: only
 * `hasCredentials` says whether some are stored.
 *
 * Routing and connector internals (connector, settings, priority, weight, credentials flag, balance at
 * the upstream) are for platform staff, who read every channel: a merchant member or token that may
 * read a channel (to pick one for a test order, or as an order's channel) gets null for them.
 */

/** Bindings in routing order for staff; merchants get them in a fixed order that says nothing about routing. */
const bindingOrder = (ctx: GraphQLContext) => (canReadChannelInternals(ctx) ? [{ priority: 'asc' as const }, { id: 'asc' as const }] : [{ id: 'asc' as const }]);

const internal = <T>(ctx: GraphQLContext, value: () => T): T | null => (canReadChannelInternals(ctx) ? value() : null);
const INTERNAL = ' Platform staff only: null for merchant members and tokens.';

export const ChannelRef = builder.prismaNode('Channel', {
  id: { field: 'id' },
  ...nodeAccess('Channel'),
  description: 'An account at an upstream provider, reached through a connector.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    connector: t.string({
      nullable: true,
      description: `Connector implementation, e.g. sandbox.${INTERNAL}`,
      resolve: (c, _a, ctx) => internal(ctx, () => c.connector),
    }),
    currency: t.relation('currency'),
    currencyCode: t.exposeString('currencyCode'),
    hasCredentials: t.boolean({
      nullable: true,
      description: `Whether connector credentials are stored (they are write-only).${INTERNAL}`,
      resolve: (c, _a, ctx) => internal(ctx, () => !!c.credentialsEnc),
    }),
    settings: t.field({
      type: 'JSON',
      nullable: true,
      description: `Non-secret connector settings.${INTERNAL}`,
      resolve: (c, _a, ctx) => internal(ctx, () => c.settings),
    }),
    paymentLowerBound: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'payment_lower_bound of seed 001; null = no limit.',
      resolve: (c, _a, ctx) => boundMoney(ctx, c.paymentLowerBound, c.currencyCode),
    }),
    paymentUpperBound: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'payment_upper_bound of seed 001; null = no limit.',
      resolve: (c, _a, ctx) => boundMoney(ctx, c.paymentUpperBound, c.currencyCode),
    }),
    priority: t.int({ nullable: true, description: `Routing priority.${INTERNAL}`, resolve: (c, _a, ctx) => internal(ctx, () => c.priority) }),
    weight: t.int({ nullable: true, description: `Routing weight.${INTERNAL}`, resolve: (c, _a, ctx) => internal(ctx, () => c.weight) }),
    status: t.expose('status', { type: EnableStatusEnum }),
    balance: t.field({
      type: MoneyRef,
      nullable: true,
      description: `Funds held at the upstream (the channel BALANCE ledger account, as displayed).${INTERNAL}`,
      select: (_args, ctx) => ({
        ledgerAccounts: { where: and(readWhere(ctx, 'LedgerAccount'), { kind: 'BALANCE' }), select: { kind: true, balance: true, currencyCode: true } },
      }),
      resolve: (c, _a, ctx) => {
        if (!canReadChannelInternals(ctx)) return null;
        const account = c.ledgerAccounts.find((a) => a.currencyCode === c.currencyCode);
        return money(ctx, account ? displayBalance(account.kind, account.balance) : 0n, c.currencyCode);
      },
    }),
    services: t.relation('services', {
      description: 'Services this channel is bound to.',
      query: (_args, ctx) => ({ where: readWhere(ctx, 'ChannelService'), orderBy: bindingOrder(ctx) }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ChannelServiceRef = builder.prismaNode('ChannelService', {
  id: { field: 'id' },
  ...nodeAccess('ChannelService'),
  description: 'A channel bound to a service, with the service_bounds of seed 001 and its routing priority and weight.',
  fields: (t) => ({
    channel: t.relation('channel'),
    service: t.relation('service'),
    lowerBound: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'service_bounds lower; null = no limit.',
      select: { channel: { select: { currencyCode: true } } },
      resolve: (b, _a, ctx) => boundMoney(ctx, b.lowerBound, b.channel.currencyCode),
    }),
    upperBound: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'service_bounds upper; null = no limit.',
      select: { channel: { select: { currencyCode: true } } },
      resolve: (b, _a, ctx) => boundMoney(ctx, b.upperBound, b.channel.currencyCode),
    }),
    priority: t.int({
      nullable: true,
      description: `Lower first; equal priorities share traffic by weight.${INTERNAL}`,
      resolve: (b, _a, ctx) => internal(ctx, () => b.priority),
    }),
    weight: t.int({ nullable: true, description: `Routing weight.${INTERNAL}`, resolve: (b, _a, ctx) => internal(ctx, () => b.weight) }),
    status: t.expose('status', { type: EnableStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('Service', 'channels', (t) =>
  t.relation('channelServices', {
    description: 'Channels bound to this service (bindings the viewer may read).',
    query: (_args, ctx) => ({ where: readWhere(ctx, 'ChannelService'), orderBy: bindingOrder(ctx) }),
  }),
);

const channelSort = sortInput('Channel', {
  CODE: column('CODE', 'code', 'string'),
  PRIORITY: column('PRIORITY', 'priority', 'int'),
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
});

const ChannelFilter = builder.inputType('ChannelFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    currencies: t.stringList({ required: false }),
    connector: t.string({ required: false }),
    status: t.field({ type: EnableStatusEnum, required: false }),
    serviceCodes: t.stringList({ required: false, description: 'Channels bound to any of these services.' }),
    search: t.string({ required: false, description: 'Substring of the code or name, case-insensitive.' }),
  }),
});

builder.queryField('channels', (t) =>
  t.connection(
    {
      type: ChannelRef,
      description: 'Upstream channels (sorted by code ascending unless `sort` says otherwise).',
      args: {
        filter: t.arg({ type: ChannelFilter, required: false }),
        sort: t.arg({ type: channelSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        if (args.sort?.field === 'PRIORITY') assertMaySortChannelsByPriority(ctx);
        const where = and(
          readWhere(ctx, 'Channel'),
          inList('id', parseIds('Channel', 'ids', f.ids)),
          inList('currencyCode', f.currencies),
          equals('connector', f.connector),
          isValue('status', f.status),
          f.serviceCodes?.length ? { services: { some: { service: { code: { in: f.serviceCodes } } } } } : undefined,
          searchContains(['code', 'name'], f.search),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'Channel', where,
          sort: resolveSort(channelSort.fields, args.sort ?? { field: 'CODE', direction: 'ASC' }, 'CODE'),
          findMany: (q) => ctx.prisma.channel.findMany(q as never),
          count: (q) => ctx.prisma.channel.count(q as never),
        });
      },
    },
    listConnection('Channel', ChannelRef),
  ),
);
