import { GraphQLError } from 'graphql';
import type { Channel, Merchant, Service } from '../../generated/prisma/client.ts';
import {
  availableRangeForService,
  describeRange,
  rangeForChannel,
  unionOfRanges,
  type LimitRange,
  type LimitSource,
} from '../../modules/limits/limits.service.ts';
import { requireViewer } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { guard, readWhere } from '../lists/access.ts';
import { badInput } from '../lists/errors.ts';
import { and, parseIds } from '../lists/filters.ts';
import { boundMoney, digitsOf, MoneyRef } from '../money.ts';
import { ChannelRef } from './channels.schema.ts';
import { MerchantRef } from './merchants.schema.ts';
import { ServiceRef } from './catalog.schema.ts';

/**
 * The available amount range of seed 001 for the SPA's limit hints (create test order, cashier):
 * lower = max(channel, service, binding lowers), upper = min of the uppers, 0 = no limit, upper < lower
 * = no range; with the source that decided each side. The rule itself lives in limits.service.
 */

const LimitSourceEnum = builder.enumType('LimitSource', {
  description: 'Which bound decided a side: CHANNEL (payment bounds), SERVICE (merchant single limits), BINDING (service_bounds).',
  values: ['CHANNEL', 'SERVICE', 'BINDING'] as const,
});

type SourceName = 'CHANNEL' | 'SERVICE' | 'BINDING';
const sourceName = (s: LimitSource | null): SourceName | null => (s ? (s.toUpperCase() as SourceName) : null);

interface RangeShape {
  lower: bigint;
  upper: bigint | null;
  empty: boolean;
  lowerBy: SourceName | null;
  upperBy: SourceName | null;
  currency: string;
  digits: number;
}

interface ChannelRangeShape extends RangeShape {
  channelId: string;
  channelCode: string;
}

interface AvailableRangeShape extends RangeShape {
  merchant: Merchant;
  service: Service;
  enabled: boolean;
  channels: ChannelRangeShape[];
}

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
    minDecidedBy: t.field({ type: LimitSourceEnum, nullable: true, resolve: (r: T) => r.lowerBy }),
    maxDecidedBy: t.field({ type: LimitSourceEnum, nullable: true, resolve: (r: T) => r.upperBy }),
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
      resolve: async (r, _a, ctx) => guard(ctx, 'Channel', await ctx.prisma.channel.findUnique({ where: { id: r.channelId } })) as Promise<Channel | null>,
    }),
    ...rangeFields(t as never),
  }),
});

const AvailableRangeRef = builder.objectRef<AvailableRangeShape>('AvailableRange').implement({
  description:
    'Seed 001 available amount range of a merchant service (over its enabled channels, or through one channel), with the bound that decided each side.',
  fields: (t) => ({
    merchant: t.field({ type: MerchantRef, resolve: (r) => r.merchant }),
    service: t.field({ type: ServiceRef, resolve: (r) => r.service }),
    currency: t.string({ resolve: (r) => r.currency }),
    enabled: t.boolean({ description: 'The service and its activation for the merchant are both ENABLED.', resolve: (r) => r.enabled }),
    channels: t.field({ type: [ChannelRangeRef], description: 'Per enabled channel bound to the service.', resolve: (r) => r.channels }),
    ...rangeFields(t as never),
  }),
});

/** The side decided in a union of channel ranges: the source of the channel that supplied it. */
function unionDecidedBy(ranges: LimitRange[], union: { lower: bigint; upper: bigint | null }) {
  const usable = ranges.filter((r) => !r.empty);
  const lowerFrom = usable.find((r) => r.lower === union.lower);
  const upperFrom = union.upper === null ? undefined : usable.find((r) => r.upper === union.upper);
  return { lowerBy: sourceName(lowerFrom?.decidedBy.lower ?? null), upperBy: sourceName(upperFrom?.decidedBy.upper ?? null) };
}

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
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const merchantId = args.merchantId ? parseIds('Merchant', 'merchantId', [String(args.merchantId)])![0]! : viewer.merchantId;
      if (!merchantId) throw badInput('MERCHANT_REQUIRED', 'choose a merchant (merchantId)', { field: 'merchantId' });
      const ms = await ctx.prisma.merchantService.findFirst({
        where: and(readWhere(ctx, 'MerchantService'), { merchantId, service: { code: args.serviceCode } }) as never,
        include: { service: true, merchant: true },
      });
      if (!ms) {
        throw new GraphQLError(`service ${args.serviceCode} is not activated for this merchant`, {
          extensions: { code: 'NOT_FOUND', reason: 'SERVICE_NOT_ACTIVATED' },
        });
      }
      const currency = ms.service.currencyCode;
      const digits = await digitsOf(ctx, currency);
      const enabled = ms.status === 'ENABLED' && ms.service.status === 'ENABLED';
      const shape = (r: LimitRange): RangeShape => ({
        lower: r.lower,
        upper: r.upper,
        empty: r.empty,
        lowerBy: sourceName(r.decidedBy.lower),
        upperBy: sourceName(r.decidedBy.upper),
        currency,
        digits,
      });

      if (args.channelId) {
        const channelId = parseIds('Channel', 'channelId', [String(args.channelId)])![0]!;
        const [range, channel] = await Promise.all([
          rangeForChannel(ctx.prisma, ms.id, channelId),
          ctx.prisma.channel.findFirst({ where: and(readWhere(ctx, 'Channel'), { id: channelId }) as never, select: { code: true } }),
        ]);
        if (!range || !channel) {
          throw new GraphQLError('this channel is not bound to the service', { extensions: { code: 'NOT_FOUND', reason: 'CHANNEL_NOT_BOUND' } });
        }
        const one = { ...shape(range), channelId, channelCode: channel.code };
        return { ...shape(range), merchant: ms.merchant, service: ms.service, enabled, channels: [one] };
      }

      const available = await availableRangeForService(ctx.prisma, ms.id);
      const ranges = available.channels.map((c) => c.range);
      const union = unionOfRanges(ranges);
      return {
        lower: union.lower,
        upper: union.upper,
        empty: union.empty,
        ...unionDecidedBy(ranges, union),
        currency,
        digits,
        merchant: ms.merchant,
        service: ms.service,
        enabled,
        channels: available.channels.map((c) => ({ ...shape(c.range), channelId: c.channelId, channelCode: c.channelCode })),
      };
    },
  }),
);
