import type { Channel } from '../../generated/prisma/client.ts';
import { parseIds } from '../../lib/global-id.ts';
import {
  availableRange,
  channelById,
  describeRange,
  type ChannelRangeView,
  type DecidedRange,
  type LimitSource,
  type MerchantServiceRange,
} from '../../modules/limits/limits.service.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { guard } from '../lists/access.ts';
import { boundMoney, MoneyRef } from '../money.ts';
import { ChannelRef } from '../config/channels.schema.ts';
import { MerchantRef } from '../merchants/merchants.schema.ts';
import { ServiceRef } from '../config/catalog.schema.ts';

/**
 * The available amount range of seed 001 for the SPA's limit hints (create test order, cashier):
 * lower = max(channel, service, binding lowers), upper = min of the uppers, 0 = no limit, upper < lower
 * = no range; with the source that decided each side. The rule and the lookup live in
 * modules/limits/limits.service.ts; this file parses the arguments and presents the range.
 */

const LimitSourceEnum = builder.enumType('LimitSource', {
  description: 'Which bound decided a side: CHANNEL (payment bounds), SERVICE (merchant single limits), BINDING (service_bounds).',
  values: ['CHANNEL', 'SERVICE', 'BINDING'] as const,
});

type SourceName = 'CHANNEL' | 'SERVICE' | 'BINDING';
const sourceName = (s: LimitSource | null): SourceName | null => (s ? (s.toUpperCase() as SourceName) : null);

/** A range as presented: the domain range with the currency it is in. */
interface RangeShape extends DecidedRange {
  currency: string;
  digits: number;
}

type ChannelRangeShape = ChannelRangeView & RangeShape;

function rangeFields<T extends RangeShape>(t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<any>, T>) {
  return {
    min: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'Lowest amount allowed; null = no lower limit.',
      resolve: (r: T, _a: unknown, ctx: GraphQLContext) => boundMoney(ctx, r.lower, r.currency),
    }),
    max: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'Highest amount allowed; null = no upper limit.',
      resolve: (r: T, _a: unknown, ctx: GraphQLContext) => (r.upper === null ? null : boundMoney(ctx, r.upper, r.currency)),
    }),
    empty: t.boolean({ description: 'upper < lower: no amount is possible.', resolve: (r: T) => r.empty }),
    minDecidedBy: t.field({ type: LimitSourceEnum, nullable: true, resolve: (r: T) => sourceName(r.lowerBy) }),
    maxDecidedBy: t.field({ type: LimitSourceEnum, nullable: true, resolve: (r: T) => sourceName(r.upperBy) }),
    text: t.string({
      description: 'The range for people: "500.00 – 20000.00 THB", "from 100.00 THB", "any amount", "no available range".',
      resolve: (r: T) => (r.empty ? 'no available range' : describeRange(r, r.digits, r.currency)),
    }),
  };
}

const ChannelRangeRef = builder.objectRef<ChannelRangeShape>('ChannelRange').implement({
  description: 'The seed-001 range through one channel.',
  fields: (t) => ({
    channelId: t.id({ resolve: (r) => r.channelId }),
    channelCode: t.string({ resolve: (r) => r.channelCode }),
    channel: t.field({
      type: ChannelRef,
      nullable: true,
      resolve: async (r, _a, ctx) => guard(ctx, 'Channel', await channelById(ctx.prisma, r.channelId)) as Promise<Channel | null>,
    }),
    ...rangeFields(t as never),
  }),
});

const AvailableRangeRef = builder.objectRef<MerchantServiceRange>('AvailableRange').implement({
  description:
    'Seed 001 available amount range of a merchant service (over its enabled channels, or through one channel), with the bound that decided each side.',
  fields: (t) => ({
    merchant: t.field({ type: MerchantRef, resolve: (r) => r.merchant }),
    service: t.field({ type: ServiceRef, resolve: (r) => r.service }),
    currency: t.string({ resolve: (r) => r.currency }),
    enabled: t.boolean({ description: 'The service and its activation for the merchant are both ENABLED.', resolve: (r) => r.enabled }),
    channels: t.field({
      type: [ChannelRangeRef],
      description: 'Per enabled channel bound to the service.',
      resolve: (r) => r.channels.map((c) => ({ ...c, currency: r.currency, digits: r.digits })),
    }),
    ...rangeFields(t as never),
  }),
});

builder.queryField('availableRange', (t) =>
  t.field({
    type: AvailableRangeRef,
    description:
      'The amount range a merchant may use for a service (seed 001 rule), over its enabled channels or through `channelId`. A merchant user may leave `merchantId` out (their own merchant).',
    args: {
      merchantId: t.arg.id({ required: false }),
      serviceCode: t.arg.string({ required: true }),
      channelId: t.arg.id({ required: false }),
    },
    resolve: (_root, args, ctx) =>
      availableRange(ctx, {
        merchantId: args.merchantId ? parseIds('Merchant', 'merchantId', [String(args.merchantId)])![0]! : null,
        serviceCode: args.serviceCode,
        channelId: args.channelId ? parseIds('Channel', 'channelId', [String(args.channelId)])![0]! : null,
      }),
  }),
);
