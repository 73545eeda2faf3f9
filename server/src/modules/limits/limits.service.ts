import type { Db } from '../../db/prisma.ts';
import type { Channel, Merchant, Prisma, Service } from '../../generated/prisma/client.ts';
import { formatAmount, type AmountBounds } from '../../lib/money.ts';
import { accessibleWhere } from '../auth/ability.ts';
import { requireViewer, type RequestContext } from '../auth/authorize.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { ChannelNotBoundError, MerchantRequiredError, ServiceNotActivatedError } from './limits.errors.ts';

/**
 * Amount limits, seed 001 exactly. Three sources bound a payin's amount on one channel:
 *   - channel:  Channel.paymentLowerBound / paymentUpperBound     (payment_lower_bound / payment_upper_bound)
 *   - service:  MerchantService.singleLimitLower / singleLimitUpper (single_limit_lower_bound / …upper_bound)
 *   - binding:  ChannelService.lowerBound / upperBound              (service_bounds)
 * lower = max(the lowers), upper = min(the uppers), 0 = no limit on that side, upper < lower = no range.
 */

export type LimitSource = 'channel' | 'service' | 'binding';

export interface LimitSources {
  channel: AmountBounds;
  service: AmountBounds;
  binding: AmountBounds;
}

export interface LimitRange {
  lower: bigint;
  /** null = no upper limit. */
  upper: bigint | null;
  /** upper < lower: nothing can be paid through this combination. */
  empty: boolean;
  /** Which source decided each side (null = no source limits that side). */
  decidedBy: { lower: LimitSource | null; upper: LimitSource | null };
}

/** On ties the most specific source is named: the binding (seed 001 "highest priority"), then the service. */
const SPECIFICITY: readonly LimitSource[] = ['binding', 'service', 'channel'];

/** The seed-001 intersection of the three sources, with the source that decided each side. */
export function intersectSources(sources: LimitSources): LimitRange {
  let lower = 0n;
  let lowerBy: LimitSource | null = null;
  let upper: bigint | null = null;
  let upperBy: LimitSource | null = null;
  for (const source of SPECIFICITY) {
    const b = sources[source];
    if (b.lower < 0n || b.upper < 0n) throw new RangeError('amount bounds must not be negative');
    if (b.lower > lower) {
      lower = b.lower;
      lowerBy = source;
    }
    if (b.upper !== 0n && (upper === null || b.upper < upper)) {
      upper = b.upper;
      upperBy = source;
    }
  }
  return { lower, upper, empty: upper !== null && upper < lower, decidedBy: { lower: lowerBy, upper: upperBy } };
}

/** The available range of one (merchant service, channel) pair; null when the channel is not bound to the service. */
export async function rangeForChannel(db: Db, merchantServiceId: string, channelId: string): Promise<LimitRange | null> {
  const ms = await db.merchantService.findUniqueOrThrow({
    where: { id: merchantServiceId },
    select: { serviceId: true, singleLimitLower: true, singleLimitUpper: true },
  });
  const binding = await db.channelService.findUnique({
    where: { channelId_serviceId: { channelId, serviceId: ms.serviceId } },
    include: { channel: { select: { paymentLowerBound: true, paymentUpperBound: true } } },
  });
  if (!binding) return null;
  return intersectSources({
    channel: { lower: binding.channel.paymentLowerBound, upper: binding.channel.paymentUpperBound },
    service: { lower: ms.singleLimitLower, upper: ms.singleLimitUpper },
    binding: { lower: binding.lowerBound, upper: binding.upperBound },
  });
}

export interface ChannelRange {
  channelId: string;
  channelCode: string;
  range: LimitRange;
}

export interface AvailableRange {
  /** Smallest lower bound over the usable channels. */
  lower: bigint;
  /** Largest upper bound; null when some usable channel has no upper limit. */
  upper: bigint | null;
  /** No enabled channel with a non-empty range: nothing can be paid. */
  empty: boolean;
  /** Per enabled channel (including ones whose own range is empty). */
  channels: ChannelRange[];
}

/**
 * What the cashier, the admin create-order form and the 40003 message state: the union over the
 * ENABLED channels with ENABLED bindings to the service (same currency) of each channel's seed-001
 * range. Channels with an empty range do not contribute. The union may have gaps when channel ranges
 * do not touch; routing still checks each channel.
 */
export async function availableRangeForService(db: Db, merchantServiceId: string): Promise<AvailableRange> {
  const ms = await db.merchantService.findUniqueOrThrow({
    where: { id: merchantServiceId },
    select: { singleLimitLower: true, singleLimitUpper: true, service: { select: { id: true, currencyCode: true } } },
  });
  const bindings = await db.channelService.findMany({
    where: { serviceId: ms.service.id, status: 'ENABLED', channel: { status: 'ENABLED', currencyCode: ms.service.currencyCode } },
    include: { channel: { select: { id: true, code: true, paymentLowerBound: true, paymentUpperBound: true } } },
    orderBy: [{ priority: 'asc' }, { channel: { code: 'asc' } }],
  });
  const channels = bindings.map((b) => ({
    channelId: b.channel.id,
    channelCode: b.channel.code,
    range: intersectSources({
      channel: { lower: b.channel.paymentLowerBound, upper: b.channel.paymentUpperBound },
      service: { lower: ms.singleLimitLower, upper: ms.singleLimitUpper },
      binding: { lower: b.lowerBound, upper: b.upperBound },
    }),
  }));
  return { ...unionOfRanges(channels.map((c) => c.range)), channels };
}

/** Union of ranges, ignoring empty ones: min of lowers, max of uppers (null = unlimited wins). */
export function unionOfRanges(ranges: readonly LimitRange[]): { lower: bigint; upper: bigint | null; empty: boolean } {
  const usable = ranges.filter((r) => !r.empty);
  if (usable.length === 0) return { lower: 0n, upper: null, empty: true };
  let lower = usable[0]!.lower;
  let upper: bigint | null = usable[0]!.upper;
  for (const r of usable.slice(1)) {
    if (r.lower < lower) lower = r.lower;
    if (upper !== null) upper = r.upper === null ? null : r.upper > upper ? r.upper : upper;
  }
  return { lower, upper, empty: false };
}

/** A range as decimal strings for messages, error details and the GraphQL hint (null = no limit). */
export function formatRange(range: { lower: bigint; upper: bigint | null }, digits: number): { min: string | null; max: string | null } {
  return {
    min: range.lower === 0n ? null : formatAmount(range.lower, digits),
    max: range.upper === null ? null : formatAmount(range.upper, digits),
  };
}

/** "500.00 – 20000.00", "from 100.00", "up to 5000.00", "any amount". */
export function describeRange(range: { lower: bigint; upper: bigint | null }, digits: number, currency?: string): string {
  const { min, max } = formatRange(range, digits);
  const unit = currency ? ` ${currency}` : '';
  if (min !== null && max !== null) return `${min} – ${max}${unit}`;
  if (min !== null) return `from ${min}${unit}`;
  if (max !== null) return `up to ${max}${unit}`;
  return 'any amount';
}

// ─────────────────────────── the available range, for people ───────────────────────────

/** A range with the source that decided each side. */
export interface DecidedRange {
  lower: bigint;
  upper: bigint | null;
  empty: boolean;
  lowerBy: LimitSource | null;
  upperBy: LimitSource | null;
}

export interface ChannelRangeView extends DecidedRange {
  channelId: string;
  channelCode: string;
}

export interface MerchantServiceRange extends DecidedRange {
  merchant: Merchant;
  service: Service;
  currency: string;
  /** Digits of `currency`. */
  digits: number;
  /** The service and its activation for the merchant are both ENABLED. */
  enabled: boolean;
  /** Per enabled channel bound to the service (or the one asked for). */
  channels: ChannelRangeView[];
}

export interface AvailableRangeQuery {
  /** The merchant (parsed UUID); a merchant's own viewer may leave it out. */
  merchantId?: string | null;
  serviceCode: string;
  /** Only through this channel (parsed UUID). */
  channelId?: string | null;
}

const decided = (r: LimitRange): DecidedRange => ({ lower: r.lower, upper: r.upper, empty: r.empty, lowerBy: r.decidedBy.lower, upperBy: r.decidedBy.upper });

/** The side decided in a union of channel ranges: the source of the channel that supplied it. */
function unionDecidedBy(ranges: readonly LimitRange[], union: { lower: bigint; upper: bigint | null }): Pick<DecidedRange, 'lowerBy' | 'upperBy'> {
  const usable = ranges.filter((r) => !r.empty);
  const lowerFrom = usable.find((r) => r.lower === union.lower);
  const upperFrom = union.upper === null ? undefined : usable.find((r) => r.upper === union.upper);
  return { lowerBy: lowerFrom?.decidedBy.lower ?? null, upperBy: upperFrom?.decidedBy.upper ?? null };
}

/**
 * The seed-001 available range of a merchant's service for the viewer (the SPA's limit hints: create
 * test order, cashier), over its enabled channels or through `channelId`. The activation and the channel
 * must be readable by the viewer: otherwise NOT_FOUND (reason SERVICE_NOT_ACTIVATED / CHANNEL_NOT_BOUND),
 * as when they do not exist.
 */
export async function availableRange(ctx: RequestContext, query: AvailableRangeQuery): Promise<MerchantServiceRange> {
  const viewer = requireViewer(ctx);
  const merchantId = query.merchantId ?? viewer.merchantId;
  if (!merchantId) throw new MerchantRequiredError();
  const ms = await ctx.prisma.merchantService.findFirst({
    where: { AND: [accessibleWhere(ctx.ability, 'read', 'MerchantService'), { merchantId, service: { code: query.serviceCode } }] },
    include: { service: true, merchant: true },
  });
  if (!ms) throw new ServiceNotActivatedError(query.serviceCode);
  const currency = ms.service.currencyCode;
  const digits = await currencyDigits(ctx.prisma, currency);
  const about = { merchant: ms.merchant, service: ms.service, currency, digits, enabled: ms.status === 'ENABLED' && ms.service.status === 'ENABLED' };

  if (query.channelId) {
    const channelId = query.channelId;
    const [range, channel] = await Promise.all([
      rangeForChannel(ctx.prisma, ms.id, channelId),
      ctx.prisma.channel.findFirst({
        where: { AND: [accessibleWhere(ctx.ability, 'read', 'Channel') as Prisma.ChannelWhereInput, { id: channelId }] },
        select: { code: true },
      }),
    ]);
    if (!range || !channel) throw new ChannelNotBoundError();
    return { ...decided(range), ...about, channels: [{ ...decided(range), channelId, channelCode: channel.code }] };
  }

  const available = await availableRangeForService(ctx.prisma, ms.id);
  const ranges = available.channels.map((c) => c.range);
  const union = unionOfRanges(ranges);
  return {
    lower: union.lower,
    upper: union.upper,
    empty: union.empty,
    ...unionDecidedBy(ranges, union),
    ...about,
    channels: available.channels.map((c) => ({ ...decided(c.range), channelId: c.channelId, channelCode: c.channelCode })),
  };
}

/** A channel of a range, loaded for presentation (the adapter hides it unless the viewer may read it). */
export function channelById(db: Db, channelId: string): Promise<Channel | null> {
  return db.channel.findUnique({ where: { id: channelId } });
}
