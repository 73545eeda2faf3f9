import { randomInt } from 'node:crypto';
import type { Db } from '../../db/prisma.ts';
import type { Channel, ChannelService, MerchantService, Service } from '../../generated/prisma/client.ts';
import { DomainError } from '../../lib/errors.ts';
import { formatAmount } from '../../lib/money.ts';
import { supportsPayouts } from './connectors/connector.ts';
import { getConnector, hasConnector, isSimulated } from './connectors/registry.ts';
import { displayBalance } from '../ledger/ledger.service.ts';
import { describeRange, formatRange, intersectSources, unionOfRanges, type LimitRange } from '../limits/limits.service.ts';
import { cachedConfig } from '../shared/config-cache.ts';

/**
 * Channel routing for a payin: among the channels bound to the service, keep the ENABLED channels with
 * ENABLED bindings in the service's currency (and an installed connector) whose seed-001 range admits the amount; take the lowest
 * binding priority; among equal priorities pick at random in proportion to the binding weight.
 * Channel.priority/weight are not used: the binding's values decide (they are per service).
 *
 * The decision is returned with a `reason` (every candidate, why each was excluded) that the order
 * timeline records. When nothing fits:
 *   - no enabled channel at all, or the ones admitting the amount all have weight 0  → NO_CHANNEL
 *   - every enabled channel's own range is empty (upper < lower)                      → NO_AVAILABLE_RANGE
 *   - the amount is outside every enabled channel's range                             → AMOUNT_OUT_OF_RANGE
 *     with details { min, max } of the available range (union), decimal strings, null = no limit.
 */

export type Exclusion =
  | 'CHANNEL_DISABLED'
  | 'BINDING_DISABLED'
  | 'CURRENCY_MISMATCH'
  | 'CONNECTOR_UNAVAILABLE'
  | 'NO_RANGE'
  | 'AMOUNT_BELOW_LOWER'
  | 'AMOUNT_ABOVE_UPPER'
  | 'ZERO_WEIGHT'
  | 'INSUFFICIENT_CHANNEL_BALANCE'
  | 'LOWER_PRIORITY';

export interface RoutingCandidate {
  channel: string;
  priority: number;
  weight: number;
  min: string | null;
  max: string | null;
  decidedBy: LimitRange['decidedBy'];
  excluded: Exclusion | null;
}

export interface RoutingReason {
  strategy: 'priority_then_weight';
  amount: string;
  currency: string;
  service: string;
  candidates: RoutingCandidate[];
  /** The chosen channel code, its priority tier and the tier's total weight. */
  chosen: string;
  tierWeight: number;
}

export interface RoutingDecision {
  channel: Channel;
  binding: ChannelService;
  range: LimitRange;
  reason: RoutingReason;
}

export interface RouteInput {
  merchantService: MerchantService;
  service: Service;
  amount: bigint;
  digits: number;
  /** Uniform integer in [0, max): injectable for tests; default the CSPRNG. */
  randomInt?: (max: number) => number;
  /**
   * Payouts: what each channel holds at its upstream (displayed balance by channel id). A channel
   * holding less than the amount is excluded (INSUFFICIENT_CHANNEL_BALANCE); absent = not checked.
   */
  channelBalances?: ReadonlyMap<string, bigint>;
  /** Payouts: only connectors that can send payouts qualify. */
  connectorOk?: (kind: string) => boolean;
  /** Only this channel (back-office test orders pick their channel, seed 001). */
  channelId?: string | null;
  /**
   * Sandbox separation (SANDBOX_FOR_TEST_ONLY): 'only' admits channels of simulated upstreams alone
   * (test orders), 'never' excludes them (live orders); absent admits both. Excluded channels are CONNECTOR_UNAVAILABLE.
   */
  sandbox?: 'only' | 'never';
}

/** The sandbox rule for an order or payout of this book, under the configured separation. */
export function sandboxRule(separate: boolean, test: boolean): Pick<RouteInput, 'sandbox'> {
  return separate ? { sandbox: test ? 'only' : 'never' } : {};
}

type Binding = ChannelService & { channel: Channel };

export async function choosePayinChannel(db: Db, input: RouteInput): Promise<RoutingDecision> {
  const bindings = await serviceBindings(db, input.service.id, input.channelId ?? null);
  return decideRoute(bindings, input);
}

/**
 * Routing for a payout: the same rule as payins, among channels whose connector sends payouts and whose
 * balance at the upstream covers the amount (checked again, exactly, by the ledger when the amount is
 * reserved).
 */
export async function choosePayoutChannel(
  db: Db,
  input: Omit<RouteInput, 'channelBalances' | 'connectorOk'> & { /** The payout's book: a test payout needs test channel balance. */ test: boolean },
): Promise<RoutingDecision> {
  const bindings = await serviceBindings(db, input.service.id, input.channelId ?? null);
  const accounts = await db.ledgerAccount.findMany({
    where: { ownerType: 'CHANNEL', kind: 'BALANCE', test: input.test, channelId: { in: bindings.map((b) => b.channelId) }, currencyCode: input.service.currencyCode },
    select: { channelId: true, balance: true },
  });
  const channelBalances = new Map(accounts.map((a) => [a.channelId!, displayBalance('BALANCE', a.balance)]));
  return decideRoute(bindings, { ...input, channelBalances, connectorOk: (kind) => supportsPayouts(getConnector(kind)) });
}

/** The channels bound to a service (or the one binding to `channelId`), through the configuration cache. */
function serviceBindings(db: Db, serviceId: string, channelId: string | null) {
  return cachedConfig(db, `bindings:${serviceId}:${channelId ?? ''}`, () =>
    db.channelService.findMany({ where: { serviceId, ...(channelId ? { channelId } : {}) }, include: { channel: true } }),
  );
}

/** The pure decision over loaded bindings (exported for tests and for previews). */
export function decideRoute(bindings: readonly Binding[], input: RouteInput): RoutingDecision {
  const { merchantService: ms, service, amount, digits } = input;
  const fmt = (v: bigint) => formatAmount(v, digits);
  const sorted = [...bindings].sort((a, b) => a.priority - b.priority || a.channel.code.localeCompare(b.channel.code));

  const candidates: RoutingCandidate[] = [];
  const admitted: Array<{ binding: Binding; range: LimitRange; candidate: RoutingCandidate }> = [];
  const enabledRanges: LimitRange[] = [];
  let enabledCount = 0;

  for (const binding of sorted) {
    const range = intersectSources({
      channel: { lower: binding.channel.paymentLowerBound, upper: binding.channel.paymentUpperBound },
      service: { lower: ms.singleLimitLower, upper: ms.singleLimitUpper },
      binding: { lower: binding.lowerBound, upper: binding.upperBound },
    });
    let excluded: Exclusion | null = null;
    if (binding.channel.status !== 'ENABLED') excluded = 'CHANNEL_DISABLED';
    else if (binding.status !== 'ENABLED') excluded = 'BINDING_DISABLED';
    else if (binding.channel.currencyCode !== service.currencyCode) excluded = 'CURRENCY_MISMATCH';
    else if (
      !hasConnector(binding.channel.connector) ||
      (input.connectorOk && !input.connectorOk(binding.channel.connector)) ||
      (input.sandbox && isSimulated(binding.channel.connector) !== (input.sandbox === 'only'))
    ) {
      excluded = 'CONNECTOR_UNAVAILABLE';
    }
    else {
      enabledCount++;
      enabledRanges.push(range);
      if (range.empty) excluded = 'NO_RANGE';
      else if (amount < range.lower) excluded = 'AMOUNT_BELOW_LOWER';
      else if (range.upper !== null && amount > range.upper) excluded = 'AMOUNT_ABOVE_UPPER';
      else if (binding.weight <= 0) excluded = 'ZERO_WEIGHT';
      else if (input.channelBalances && (input.channelBalances.get(binding.channel.id) ?? 0n) < amount) excluded = 'INSUFFICIENT_CHANNEL_BALANCE';
    }
    const candidate: RoutingCandidate = {
      channel: binding.channel.code,
      priority: binding.priority,
      weight: binding.weight,
      ...formatRange(range, digits),
      decidedBy: range.decidedBy,
      excluded,
    };
    candidates.push(candidate);
    if (excluded === null) admitted.push({ binding, range, candidate });
  }

  if (admitted.length === 0) {
    const where = `${service.code} ${fmt(amount)} ${service.currencyCode}`;
    if (enabledCount === 0) {
      throw new DomainError('NO_CHANNEL', `no channel can take this order now (${where}: no enabled channel)`, { service: service.code });
    }
    const union = unionOfRanges(enabledRanges);
    if (union.empty) {
      const first = enabledRanges[0]!;
      throw new DomainError(
        'NO_AVAILABLE_RANGE',
        `no available amount range for ${service.code}: the upper limit ${first.upper === null ? '-' : fmt(first.upper)} is below the lower limit ${fmt(first.lower)}`,
        { ...formatRange(first, digits) },
      );
    }
    if (candidates.some((c) => c.excluded === 'INSUFFICIENT_CHANNEL_BALANCE')) {
      throw new DomainError('NO_CHANNEL', `no channel can take this order now (${where}: no channel holds enough balance)`, {
        service: service.code,
        reason: 'INSUFFICIENT_CHANNEL_BALANCE',
      });
    }
    const outside = candidates.every((c) => c.excluded !== 'ZERO_WEIGHT');
    if (!outside) {
      throw new DomainError('NO_CHANNEL', `no channel can take this order now (${where}: channels admitting it have weight 0)`, {
        service: service.code,
      });
    }
    throw new DomainError(
      'AMOUNT_OUT_OF_RANGE',
      `amount ${fmt(amount)} ${service.currencyCode} is outside the available range ${describeRange(union, digits, service.currencyCode)}`,
      { ...formatRange(union, digits) },
    );
  }

  const topPriority = admitted[0]!.binding.priority;
  const tier = admitted.filter((a) => a.binding.priority === topPriority);
  for (const a of admitted) if (a.binding.priority !== topPriority) a.candidate.excluded = 'LOWER_PRIORITY';
  const tierWeight = tier.reduce((sum, a) => sum + a.binding.weight, 0);
  const draw = (input.randomInt ?? randomInt)(tierWeight);
  let acc = 0;
  let pick = tier[tier.length - 1]!;
  for (const a of tier) {
    acc += a.binding.weight;
    if (draw < acc) {
      pick = a;
      break;
    }
  }

  const { channel, ...binding } = pick.binding;
  return {
    channel,
    binding,
    range: pick.range,
    reason: {
      strategy: 'priority_then_weight',
      amount: fmt(amount),
      currency: service.currencyCode,
      service: service.code,
      candidates,
      chosen: channel.code,
      tierWeight,
    },
  };
}
