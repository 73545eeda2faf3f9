import type { Tx } from '../../db/prisma.ts';
import type { Channel, ChannelService, Prisma } from '../../generated/prisma/client.ts';
import type { EnableStatus } from '../../generated/prisma/enums.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { actorOf, type RequestContext } from '../auth/authorize.ts';
import { assertMayConfigure, writable } from './config.access.ts';
import { supportsPayouts } from '../routing/connectors/connector.ts';
import { getConnector, hasConnector } from '../routing/connectors/registry.ts';
import { openCredentials } from '../routing/connectors/credentials.ts';
import {
  ConfigNotFoundError,
  CurrencyMismatchError,
  CurrencyNotSupportedError,
  DuplicateError,
  InUseError,
  InvalidParameterError,
  isRecordMissing,
} from './config.errors.ts';
import {
  assertBounds,
  auditedTransaction,
  boundOf,
  codeOf,
  credentialsOf,
  currencyCodeOf,
  jsonSafe,
  optionalInt,
  requiredText,
  settingsOf,
  unique,
} from './config.input.ts';

/**
 * Upstream channels and their bindings to services (DESIGN "Channel", "ChannelService").
 *
 * Credentials are write-only: the input's JSON object is sealed with the platform SecretBox exactly as
 * the connectors open it (`openCredentials`), stored in `credentialsEnc`, and never read back through
 * the API, the audit log (key names at most) or an error message. An update without `credentials`
 * keeps the stored ones; `credentials` replaces them as a whole; `clearCredentials` removes them.
 *
 * The code is fixed once created (it is the upstream callback path `/v1/upstream/<code>/callback`
 * configured at the provider). The currency can change only while nothing uses the channel; the
 * connector only while no transaction through the channel is in flight. Bounds are the
 * payment_lower_bound / payment_upper_bound of seed 001 in the channel's currency, 0 (or null) = no limit.
 *
 * A binding carries the service_bounds of seed 001 and the routing priority (lower first) and weight
 * (share of traffic among equal priorities; 0 takes no traffic). Channel and service must have the same
 * currency; a payout service needs a connector that sends payouts.
 */

export interface CreateChannelInput {
  code: string;
  name: string;
  connector: string;
  currency: string;
  credentials?: unknown;
  settings?: unknown;
  paymentLowerBound?: string | null;
  paymentUpperBound?: string | null;
  priority?: number | null;
  weight?: number | null;
  status?: EnableStatus | null;
}

export interface UpdateChannelInput {
  id: string;
  name?: string | null;
  connector?: string | null;
  currency?: string | null;
  credentials?: unknown;
  clearCredentials?: boolean | null;
  settings?: unknown;
  paymentLowerBound?: string | null;
  paymentUpperBound?: string | null;
  priority?: number | null;
  weight?: number | null;
  status?: EnableStatus | null;
}

export interface BindChannelServiceInput {
  channelId: string;
  serviceId: string;
  lowerBound?: string | null;
  upperBound?: string | null;
  priority?: number | null;
  weight?: number | null;
  status?: EnableStatus | null;
}

export interface UpdateChannelServiceInput {
  id: string;
  lowerBound?: string | null;
  upperBound?: string | null;
  priority?: number | null;
  weight?: number | null;
  status?: EnableStatus | null;
}

export const MAX_PRIORITY = 10_000;
export const MAX_WEIGHT = 10_000;

/** What the audit log keeps of a channel: no credentials, only whether some are stored. */
export function channelAuditView(c: Channel) {
  return jsonSafe({
    code: c.code,
    name: c.name,
    connector: c.connector,
    currency: c.currencyCode,
    settings: c.settings,
    paymentLowerBound: c.paymentLowerBound,
    paymentUpperBound: c.paymentUpperBound,
    priority: c.priority,
    weight: c.weight,
    status: c.status,
    hasCredentials: c.credentialsEnc !== null,
  });
}

export function bindingAuditView(b: ChannelService & { channel: { code: string }; service: { code: string; currencyCode: string } }) {
  return jsonSafe({
    channel: b.channel.code,
    service: b.service.code,
    currency: b.service.currencyCode,
    lowerBound: b.lowerBound,
    upperBound: b.upperBound,
    priority: b.priority,
    weight: b.weight,
    status: b.status,
  });
}

/** The names of the stored credential keys (never their values); null when none or they do not open. */
export function credentialKeysOf(secrets: SecretBox, channel: Pick<Channel, 'credentialsEnc'>): string[] | null {
  try {
    const credentials = openCredentials(secrets, channel);
    return credentials ? Object.keys(credentials).sort() : null;
  } catch {
    return null;
  }
}

function connectorOf(value: string, field = 'connector'): string {
  const kind = value.trim();
  if (!hasConnector(kind)) throw new InvalidParameterError(field, `connector "${kind.slice(0, 32)}" is not installed`);
  return kind;
}

async function currencyFor(tx: Tx, code: string, field: string) {
  const currency = await tx.currency.findUnique({ where: { code }, select: { code: true, digits: true, status: true } });
  if (!currency || currency.status !== 'ENABLED') throw new CurrencyNotSupportedError(field, code);
  return currency;
}

function seal(secrets: SecretBox, credentials: Record<string, unknown>): string {
  // No associated data: the connectors open it with `openCredentials(secrets, channel)`.
  return secrets.seal(JSON.stringify(credentials));
}

export async function createChannel(ctx: RequestContext, input: CreateChannelInput): Promise<Channel> {
  assertMayConfigure(ctx, 'create', 'Channel');
  const code = codeOf(input.code, 'code');
  const name = requiredText(input.name, 'name', 100);
  const connector = connectorOf(input.connector);
  const currencyCode = currencyCodeOf(input.currency, 'currency');
  const credentials = input.credentials == null ? null : credentialsOf(input.credentials);
  const settings = input.settings == null ? {} : settingsOf(input.settings);
  const priority = optionalInt(input.priority, 'priority', 0, MAX_PRIORITY) ?? 0;
  const weight = optionalInt(input.weight, 'weight', 0, MAX_WEIGHT) ?? 100;

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    const currency = await currencyFor(tx, currencyCode, 'currency');
    const paymentLowerBound = boundOf(input.paymentLowerBound, currency.digits, 'paymentLowerBound') ?? 0n;
    const paymentUpperBound = boundOf(input.paymentUpperBound, currency.digits, 'paymentUpperBound') ?? 0n;
    assertBounds(paymentLowerBound, paymentUpperBound, 'paymentUpperBound');
    const channel = await unique(
      () =>
        tx.channel.create({
          data: {
            code,
            name,
            connector,
            currencyCode: currency.code,
            credentialsEnc: credentials ? seal(ctx.secrets, credentials) : null,
            settings: settings as Prisma.InputJsonObject,
            paymentLowerBound,
            paymentUpperBound,
            priority,
            weight,
            status: input.status ?? 'ENABLED',
          },
        }),
      () => new DuplicateError('Channel', 'code', `a channel with code ${code} exists`),
    );
    const after = { ...channelAuditView(channel), ...(credentials ? { credentialKeys: Object.keys(credentials).sort() } : {}) };
    return { result: channel, audit: { action: 'channel.create', entityType: 'Channel', entityId: channel.id, after } };
  });
}

export async function updateChannel(ctx: RequestContext, input: UpdateChannelInput): Promise<Channel> {
  assertMayConfigure(ctx, 'update', 'Channel');
  const name = input.name == null ? undefined : requiredText(input.name, 'name', 100);
  const connector = input.connector == null ? undefined : connectorOf(input.connector);
  const currencyCode = input.currency == null ? undefined : currencyCodeOf(input.currency, 'currency');
  if (input.credentials != null && input.clearCredentials) {
    throw new InvalidParameterError('clearCredentials', 'give new credentials or clear them, not both');
  }
  const credentials = input.credentials == null ? undefined : credentialsOf(input.credentials);
  const settings = input.settings == null ? undefined : settingsOf(input.settings);
  const priority = optionalInt(input.priority, 'priority', 0, MAX_PRIORITY);
  const weight = optionalInt(input.weight, 'weight', 0, MAX_WEIGHT);

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM channels WHERE id = ${input.id}::uuid FOR UPDATE`;
    const before = writable(ctx, 'update', 'Channel', await tx.channel.findUnique({ where: { id: input.id } }));

    const currency = await currencyFor(tx, currencyCode ?? before.currencyCode, 'currency');
    if (currency.code !== before.currencyCode && (await channelHasMoney(tx, before.id))) {
      throw new InUseError('Channel', 'currency', `the currency of channel ${before.code} cannot change: it has bindings, transactions or a balance`);
    }
    if (connector !== undefined && connector !== before.connector && (await channelHasInFlight(tx, before.id))) {
      throw new InUseError('Channel', 'connector', `the connector of channel ${before.code} cannot change while transactions through it are in flight`);
    }
    // Bounds are minor units of the (possibly new) currency: a currency change needs them given again.
    const sameDigits = currency.code === before.currencyCode;
    const paymentLowerBound = boundOf(input.paymentLowerBound, currency.digits, 'paymentLowerBound') ?? (sameDigits ? before.paymentLowerBound : 0n);
    const paymentUpperBound = boundOf(input.paymentUpperBound, currency.digits, 'paymentUpperBound') ?? (sameDigits ? before.paymentUpperBound : 0n);
    assertBounds(paymentLowerBound, paymentUpperBound, 'paymentUpperBound');

    const after = await tx.channel.update({
      where: { id: before.id },
      data: {
        ...(name !== undefined ? { name } : {}),
        ...(connector !== undefined ? { connector } : {}),
        ...(settings !== undefined ? { settings: settings as Prisma.InputJsonObject } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(weight !== undefined ? { weight } : {}),
        ...(input.status != null ? { status: input.status } : {}),
        ...(credentials !== undefined ? { credentialsEnc: seal(ctx.secrets, credentials) } : {}),
        ...(input.clearCredentials ? { credentialsEnc: null } : {}),
        currencyCode: currency.code,
        paymentLowerBound,
        paymentUpperBound,
      },
    });
    const credentialChange =
      credentials !== undefined ? { credentialsReplaced: true, credentialKeys: Object.keys(credentials).sort() } : input.clearCredentials ? { credentialsCleared: true } : {};
    return {
      result: after,
      audit: {
        action: before.status !== after.status ? 'channel.set_status' : 'channel.update',
        entityType: 'Channel',
        entityId: after.id,
        before: channelAuditView(before),
        after: { ...channelAuditView(after), ...credentialChange },
      },
    };
  });
}

/** Bindings, transactions, payments or ledger accounts: amounts in the channel's currency exist. */
async function channelHasMoney(tx: Tx, channelId: string): Promise<boolean> {
  const found = await tx.channel.findUnique({
    where: { id: channelId },
    select: {
      services: { select: { id: true }, take: 1 },
      orders: { select: { id: true }, take: 1 },
      payouts: { select: { id: true }, take: 1 },
      ledgerAccounts: { select: { id: true }, take: 1 },
    },
  });
  return !!found && (found.services.length > 0 || found.orders.length > 0 || found.payouts.length > 0 || found.ledgerAccounts.length > 0);
}

async function channelHasInFlight(tx: Tx, channelId: string): Promise<boolean> {
  if (await tx.order.findFirst({ where: { channelId, status: { in: ['PENDING', 'PROCESSING'] } }, select: { id: true } })) return true;
  return !!(await tx.payout.findFirst({ where: { channelId, status: { in: ['PENDING', 'REVIEW', 'PROCESSING'] } }, select: { id: true } }));
}

const withCodes = { channel: { select: { code: true } }, service: { select: { code: true, currencyCode: true } } } as const;

export async function bindChannelService(ctx: RequestContext, input: BindChannelServiceInput): Promise<ChannelService> {
  assertMayConfigure(ctx, 'create', 'ChannelService');
  const priority = optionalInt(input.priority, 'priority', 0, MAX_PRIORITY) ?? 0;
  const weight = optionalInt(input.weight, 'weight', 0, MAX_WEIGHT) ?? 100;

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    const channel = await tx.channel.findUnique({ where: { id: input.channelId }, include: { currency: { select: { digits: true } } } });
    if (!channel) throw new ConfigNotFoundError('Channel', 'channelId');
    const service = await tx.service.findUnique({ where: { id: input.serviceId } });
    if (!service) throw new ConfigNotFoundError('Service', 'serviceId');
    if (channel.currencyCode !== service.currencyCode) throw new CurrencyMismatchError('serviceId', channel.currencyCode, service.currencyCode);
    if (service.direction === 'PAYOUT' && !supportsPayouts(getConnector(channel.connector))) {
      throw new InvalidParameterError('serviceId', `connector ${channel.connector} cannot send payouts`);
    }
    const lowerBound = boundOf(input.lowerBound, channel.currency.digits, 'lowerBound') ?? 0n;
    const upperBound = boundOf(input.upperBound, channel.currency.digits, 'upperBound') ?? 0n;
    assertBounds(lowerBound, upperBound, 'upperBound');
    const binding = await unique(
      () =>
        tx.channelService.create({
          data: { channelId: channel.id, serviceId: service.id, lowerBound, upperBound, priority, weight, status: input.status ?? 'ENABLED' },
          include: withCodes,
        }),
      () => new DuplicateError('ChannelService', 'serviceId', `channel ${channel.code} is already bound to service ${service.code}`),
    );
    return {
      result: binding,
      audit: { action: 'channel_service.bind', entityType: 'ChannelService', entityId: binding.id, after: bindingAuditView(binding) },
    };
  });
}

export async function updateChannelService(ctx: RequestContext, input: UpdateChannelServiceInput): Promise<ChannelService> {
  assertMayConfigure(ctx, 'update', 'ChannelService');
  const priority = optionalInt(input.priority, 'priority', 0, MAX_PRIORITY);
  const weight = optionalInt(input.weight, 'weight', 0, MAX_WEIGHT);

  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    await tx.$queryRaw`SELECT id FROM channel_services WHERE id = ${input.id}::uuid FOR UPDATE`;
    const before = writable(
      ctx,
      'update',
      'ChannelService',
      await tx.channelService.findUnique({
        where: { id: input.id },
        include: { channel: { select: { code: true, currency: { select: { digits: true } } } }, service: { select: { code: true, currencyCode: true } } },
      }),
    );
    const digits = before.channel.currency.digits;
    const lowerBound = boundOf(input.lowerBound, digits, 'lowerBound') ?? before.lowerBound;
    const upperBound = boundOf(input.upperBound, digits, 'upperBound') ?? before.upperBound;
    assertBounds(lowerBound, upperBound, 'upperBound');
    const after = await tx.channelService.update({
      where: { id: before.id },
      data: {
        lowerBound,
        upperBound,
        ...(priority !== undefined ? { priority } : {}),
        ...(weight !== undefined ? { weight } : {}),
        ...(input.status != null ? { status: input.status } : {}),
      },
      include: withCodes,
    });
    return {
      result: after,
      audit: { action: 'channel_service.update', entityType: 'ChannelService', entityId: after.id, before: bindingAuditView(before), after: bindingAuditView(after) },
    };
  });
}

/**
 * Removes a binding: the channel no longer serves the service. Orders keep their channel and service
 * (they do not reference the binding), so history is untouched.
 */
export async function unbindChannelService(ctx: RequestContext, id: string): Promise<ChannelService> {
  assertMayConfigure(ctx, 'delete', 'ChannelService');
  return auditedTransaction(ctx.prisma, actorOf(ctx), async (tx) => {
    const before = writable(ctx, 'delete', 'ChannelService', await tx.channelService.findUnique({ where: { id }, include: withCodes }));
    try {
      await tx.channelService.delete({ where: { id } });
    } catch (error) {
      if (isRecordMissing(error)) throw new ConfigNotFoundError('ChannelService');
      throw error;
    }
    return {
      result: before,
      audit: { action: 'channel_service.unbind', entityType: 'ChannelService', entityId: before.id, before: bindingAuditView(before) },
    };
  });
}
