import type { Db } from '../../db/prisma.ts';
import { formatAmount, type AmountBounds } from '../../lib/money.ts';

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
