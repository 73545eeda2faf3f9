import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Action, ModelName } from '../../modules/auth/ability.ts';
import { createService, updateService } from '../../modules/config/catalog-admin.service.ts';
import {
  bindChannelService,
  createChannel,
  credentialKeysOf,
  unbindChannelService,
  updateChannel,
  updateChannelService,
} from '../../modules/config/channels-admin.service.ts';
import { deleteFxRate, setFxRate } from '../../modules/config/fx-admin.service.ts';
import { updateMerchantService, upsertMerchantService } from '../../modules/config/merchant-services-admin.service.ts';
import { createMerchant, updateMerchant } from '../../modules/config/merchants-admin.service.ts';
import { createRiskRule, deleteRiskRule, RISK_RULE_KINDS, updateRiskRule } from '../../modules/config/risk-admin.service.ts';
import { assertCan, can } from '../../modules/auth/authorize.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { parseIds } from '../lists/filters.ts';
import { DirectionEnum, EnableStatusEnum, ServiceKindEnum, ServiceRef } from '../schema/catalog.schema.ts';
import { ChannelRef, ChannelServiceRef } from '../schema/channels.schema.ts';
import { MerchantStatusEnum, RiskActionEnum } from '../schema/enums.schema.ts';
import { MerchantRef, MerchantServiceRef } from '../schema/merchants.schema.ts';
import { FxRateRef, RiskRuleRef } from '../schema/risk.schema.ts';
import { actorOf, domain, notFound } from './support.ts';

/**
 * Configuration CRUD for administrators (issue #5; DESIGN "Admin SPA areas: Configuration"): merchants,
 * services, channels (write-only credentials), channel ↔ service bindings with their service_bounds,
 * merchant services (limits, fees, T+N), risk rules and FX rates.
 *
 * Thin adapters: authorise with the request's CASL ability, decode ids, call one service in
 * modules/config (which validates, writes and audits in one transaction), re-read the entity with the
 * client's selection. Who may: MERCHANT_MANAGE (Merchant, MerchantService), CATALOG_MANAGE (Service,
 * Channel, ChannelService, MerchantService), RISK_MANAGE (RiskRule), FX_MANAGE (FxRate); all
 * platform-only, so Finance, Support and every merchant role get FORBIDDEN before any input is looked
 * at. An id that does not exist (or the viewer may not read) is <ENTITY>_NOT_FOUND. Input errors:
 * INVALID_PARAMETER / INVALID_AMOUNT with `field`, CURRENCY_NOT_SUPPORTED, CURRENCY_MISMATCH,
 * DUPLICATE (unique keys), IN_USE, INVALID_TRANSITION (see modules/config/config.errors.ts).
 */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

/** FORBIDDEN unless the viewer may do `action` on some row of `model` (checked before loading anything). */
function mayAtAll(ctx: GraphQLContext, action: Action, model: ModelName) {
  assertCan(ctx, action, model);
}

/** A row the viewer may change: <ENTITY>_NOT_FOUND when it is missing or unreadable, FORBIDDEN when only readable. */
function writable<T extends object>(ctx: GraphQLContext, action: Action, model: ModelName, what: string, row: T | null): T {
  if (!row || !can(ctx, 'read', model, row)) throw notFound(what);
  assertCan(ctx, action, model, row);
  return row;
}

// ─────────────────────────────── merchants ───────────────────────────────

const CreateMerchantInput = builder.inputType('CreateMerchantInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '1 to 200 characters.' }),
    mchId: t.string({ description: '10 digits, not starting with 0; generated when left out.' }),
    status: t.field({ type: MerchantStatusEnum, description: 'ACTIVE (default) or SUSPENDED.' }),
    country: t.string({ description: 'ISO 3166-1 alpha-2, e.g. TH.' }),
    timezone: t.string({ description: 'IANA time zone for daily statements; default UTC.' }),
    contactEmail: t.string(),
  }),
});

const UpdateMerchantInput = builder.inputType('UpdateMerchantInput', {
  description: 'Fields left out are unchanged; country and contactEmail are cleared with null.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    status: t.field({ type: MerchantStatusEnum, description: 'ACTIVE ⇄ SUSPENDED, either → CLOSED (final).' }),
    country: t.string(),
    timezone: t.string(),
    contactEmail: t.string(),
  }),
});

builder.mutationField('createMerchant', (t) =>
  t.prismaField({
    type: MerchantRef,
    description: 'Creates a merchant. Errors: INVALID_PARAMETER (field), DUPLICATE (mchId), FORBIDDEN.',
    args: { input: t.arg({ type: CreateMerchantInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'Merchant');
      const merchant = await domain(() => createMerchant(ctx.prisma, input, actorOf(ctx)));
      return ctx.prisma.merchant.findUniqueOrThrow({ ...query, where: { id: merchant.id } });
    },
  }),
);

builder.mutationField('updateMerchant', (t) =>
  t.prismaField({
    type: MerchantRef,
    description:
      'Changes a merchant’s name, status, country, time zone or contact email. A merchant that is not ACTIVE is refused by the REST API at once. Errors: MERCHANT_NOT_FOUND, INVALID_PARAMETER, INVALID_TRANSITION, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateMerchantInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'update', 'Merchant');
      const id = idOf('Merchant', 'id', input.id);
      writable(ctx, 'update', 'Merchant', 'merchant', await ctx.prisma.merchant.findUnique({ where: { id } }));
      await domain(() => updateMerchant(ctx.prisma, { ...input, id }, actorOf(ctx)));
      return ctx.prisma.merchant.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── services ───────────────────────────────

const CreateServiceInput = builder.inputType('CreateServiceInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'Stable code payment clients send, e.g. THB_BANK (A-Z, 0-9, _). Fixed once created.' }),
    name: t.string({ required: true }),
    direction: t.field({ type: DirectionEnum, required: true }),
    kind: t.field({ type: ServiceKindEnum, required: true }),
    currency: t.string({ required: true }),
    chain: t.string({ description: 'Crypto services only, e.g. TRON.' }),
    country: t.string({ description: 'ISO 3166-1 alpha-2.' }),
    requiredFields: t.stringList({ description: 'Payer fields (payins: payer_name, payer_account, bank_code, payer_phone, payer_id_number, remark_code) or recipient fields (payouts).' }),
    status: t.field({ type: EnableStatusEnum, description: 'Default ENABLED.' }),
  }),
});

const UpdateServiceInput = builder.inputType('UpdateServiceInput', {
  description: 'Fields left out are unchanged. Direction, currency and chain change only while no merchant, channel or order uses the service.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    kind: t.field({ type: ServiceKindEnum }),
    direction: t.field({ type: DirectionEnum }),
    currency: t.string(),
    chain: t.string({ description: 'null clears.' }),
    country: t.string({ description: 'null clears.' }),
    requiredFields: t.stringList(),
    status: t.field({ type: EnableStatusEnum }),
  }),
});

builder.mutationField('createService', (t) =>
  t.prismaField({
    type: ServiceRef,
    description: 'Adds a service to the catalogue. Errors: INVALID_PARAMETER (field), CURRENCY_NOT_SUPPORTED, DUPLICATE (code), FORBIDDEN.',
    args: { input: t.arg({ type: CreateServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'Service');
      const service = await domain(() => createService(ctx.prisma, input, actorOf(ctx)));
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id: service.id } });
    },
  }),
);

builder.mutationField('updateService', (t) =>
  t.prismaField({
    type: ServiceRef,
    description: 'Changes a service (disable it with status DISABLED). Errors: SERVICE_NOT_FOUND, INVALID_PARAMETER, CURRENCY_NOT_SUPPORTED, IN_USE, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'update', 'Service');
      const id = idOf('Service', 'id', input.id);
      writable(ctx, 'update', 'Service', 'service', await ctx.prisma.service.findUnique({ where: { id } }));
      await domain(() => updateService(ctx.prisma, { ...input, id }, actorOf(ctx)));
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── channels ───────────────────────────────

builder.prismaObjectField('Channel', 'credentialKeys', (t) =>
  t.stringList({
    nullable: true,
    description: 'Names of the stored credential keys (never their values), for those who may change the channel; null otherwise or when none are stored.',
    resolve: (channel, _args, ctx) => (can(ctx, 'update', 'Channel', channel) ? credentialKeysOf(ctx.secrets, channel) : null),
  }),
);

const CreateChannelInput = builder.inputType('CreateChannelInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'A-Z, 0-9, _; fixed once created (it is the upstream callback path).' }),
    name: t.string({ required: true }),
    connector: t.string({ required: true, description: 'An installed connector, e.g. sandbox.' }),
    currency: t.string({ required: true }),
    credentials: t.field({ type: 'JSON', description: 'Write-only connector credentials (a JSON object), encrypted at rest and never returned.' }),
    settings: t.field({ type: 'JSON', description: 'Non-secret connector settings (a JSON object), readable by staff.' }),
    paymentLowerBound: t.field({ type: 'Decimal', description: 'payment_lower_bound of seed 001 in the channel currency; null or 0 = no limit.' }),
    paymentUpperBound: t.field({ type: 'Decimal', description: 'payment_upper_bound; null or 0 = no limit.' }),
    priority: t.int({ description: '0 to 10000.' }),
    weight: t.int({ description: '0 to 10000; default 100.' }),
    status: t.field({ type: EnableStatusEnum, description: 'Default ENABLED.' }),
  }),
});

const UpdateChannelInput = builder.inputType('UpdateChannelInput', {
  description: 'Fields left out are unchanged; a bound given as null means no limit.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    connector: t.string({ description: 'Changes only while no transaction through the channel is in flight.' }),
    currency: t.string({ description: 'Changes only while the channel has no bindings, transactions or balance.' }),
    credentials: t.field({ type: 'JSON', description: 'Replaces the stored credentials as a whole (write-only).' }),
    clearCredentials: t.boolean({ description: 'Removes the stored credentials.' }),
    settings: t.field({ type: 'JSON', description: 'Replaces the settings.' }),
    paymentLowerBound: t.field({ type: 'Decimal' }),
    paymentUpperBound: t.field({ type: 'Decimal' }),
    priority: t.int(),
    weight: t.int(),
    status: t.field({ type: EnableStatusEnum, description: 'ENABLED or DISABLED (a disabled channel takes no new transactions).' }),
  }),
});

builder.mutationField('createChannel', (t) =>
  t.prismaField({
    type: ChannelRef,
    description: 'Adds an upstream channel. Errors: INVALID_PARAMETER (field), INVALID_AMOUNT (field), CURRENCY_NOT_SUPPORTED, DUPLICATE (code), FORBIDDEN.',
    args: { input: t.arg({ type: CreateChannelInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'Channel');
      const channel = await domain(() => createChannel(ctx, input, actorOf(ctx)));
      return ctx.prisma.channel.findUniqueOrThrow({ ...query, where: { id: channel.id } });
    },
  }),
);

builder.mutationField('updateChannel', (t) =>
  t.prismaField({
    type: ChannelRef,
    description:
      'Changes a channel: bounds, routing fields, settings, credentials (write-only), enable/disable. Errors: CHANNEL_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, IN_USE, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateChannelInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'update', 'Channel');
      const id = idOf('Channel', 'id', input.id);
      writable(ctx, 'update', 'Channel', 'channel', await ctx.prisma.channel.findUnique({ where: { id } }));
      await domain(() => updateChannel(ctx, { ...input, id }, actorOf(ctx)));
      return ctx.prisma.channel.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── channel ↔ service bindings ───────────────────────────────

const BindChannelServiceInput = builder.inputType('BindChannelServiceInput', {
  fields: (t) => ({
    channelId: t.id({ required: true }),
    serviceId: t.id({ required: true }),
    lowerBound: t.field({ type: 'Decimal', description: 'service_bounds lower of seed 001; null or 0 = no limit.' }),
    upperBound: t.field({ type: 'Decimal', description: 'service_bounds upper; null or 0 = no limit.' }),
    priority: t.int({ description: 'Lower first; 0 to 10000, default 0.' }),
    weight: t.int({ description: 'Share of traffic among equal priorities; 0 to 10000, default 100 (0 takes none).' }),
    status: t.field({ type: EnableStatusEnum, description: 'Default ENABLED.' }),
  }),
});

const UpdateChannelServiceInput = builder.inputType('UpdateChannelServiceInput', {
  description: 'Fields left out are unchanged; a bound given as null means no limit.',
  fields: (t) => ({
    id: t.id({ required: true }),
    lowerBound: t.field({ type: 'Decimal' }),
    upperBound: t.field({ type: 'Decimal' }),
    priority: t.int(),
    weight: t.int(),
    status: t.field({ type: EnableStatusEnum }),
  }),
});

const UnbindChannelServiceInput = builder.inputType('UnbindChannelServiceInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'The ChannelService node id.' }) }),
});

interface UnbindPayload {
  unboundChannelServiceId: string;
  channelId: string;
}

const UnbindChannelServicePayload = builder.objectRef<UnbindPayload>('UnbindChannelServicePayload').implement({
  fields: (t) => ({
    unboundChannelServiceId: t.exposeID('unboundChannelServiceId', { description: 'Node id of the binding that was removed.' }),
    channel: t.prismaField({
      type: 'Channel',
      description: 'The channel, without the binding.',
      resolve: (query, payload, _args, ctx) => ctx.prisma.channel.findUniqueOrThrow({ ...query, where: { id: payload.channelId } }),
    }),
  }),
});

builder.mutationField('bindChannelService', (t) =>
  t.prismaField({
    type: ChannelServiceRef,
    description:
      'Binds a channel to a service with service_bounds and routing priority/weight. Errors: CHANNEL_NOT_FOUND, SERVICE_NOT_FOUND, CURRENCY_MISMATCH, INVALID_PARAMETER, INVALID_AMOUNT, DUPLICATE, FORBIDDEN.',
    args: { input: t.arg({ type: BindChannelServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'ChannelService');
      const channelId = idOf('Channel', 'channelId', input.channelId);
      const serviceId = idOf('Service', 'serviceId', input.serviceId);
      const binding = await domain(() => bindChannelService(ctx.prisma, { ...input, channelId, serviceId }, actorOf(ctx)));
      return ctx.prisma.channelService.findUniqueOrThrow({ ...query, where: { id: binding.id } });
    },
  }),
);

builder.mutationField('updateChannelService', (t) =>
  t.prismaField({
    type: ChannelServiceRef,
    description: 'Changes a binding’s bounds, priority, weight or status. Errors: CHANNEL_SERVICE_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateChannelServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'update', 'ChannelService');
      const id = idOf('ChannelService', 'id', input.id);
      writable(ctx, 'update', 'ChannelService', 'channel service', await ctx.prisma.channelService.findUnique({ where: { id } }));
      await domain(() => updateChannelService(ctx.prisma, { ...input, id }, actorOf(ctx)));
      return ctx.prisma.channelService.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('unbindChannelService', (t) =>
  t.field({
    type: UnbindChannelServicePayload,
    description: 'Removes a binding: the channel no longer serves the service (existing orders keep their channel). Errors: CHANNEL_SERVICE_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: UnbindChannelServiceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      mayAtAll(ctx, 'delete', 'ChannelService');
      const id = idOf('ChannelService', 'id', input.id);
      writable(ctx, 'delete', 'ChannelService', 'channel service', await ctx.prisma.channelService.findUnique({ where: { id } }));
      const removed = await domain(() => unbindChannelService(ctx.prisma, id, actorOf(ctx)));
      return { unboundChannelServiceId: encodeGlobalID('ChannelService', removed.id), channelId: removed.channelId };
    },
  }),
);

// ─────────────────────────────── merchant services ───────────────────────────────

const UpsertMerchantServiceInput = builder.inputType('UpsertMerchantServiceInput', {
  description: 'Activates a service for a merchant or changes the activation. Fields left out keep their value (on activation: no limits, no fee, T+0, ENABLED).',
  fields: (t) => ({
    merchantId: t.id({ required: true }),
    serviceId: t.id({ required: true }),
    status: t.field({ type: EnableStatusEnum }),
    singleLimitLower: t.field({ type: 'Decimal', description: 'single_limit_lower_bound of seed 001 in the service currency; null or 0 = no limit.' }),
    singleLimitUpper: t.field({ type: 'Decimal', description: 'single_limit_upper_bound; null or 0 = no limit.' }),
    feeRate: t.field({ type: 'Decimal', description: 'Percentage fee, 0 to 100 with at most 4 decimals, e.g. "2.5".' }),
    feeFixed: t.field({ type: 'Decimal', description: 'Fixed fee per transaction in the service currency.' }),
    settlementDays: t.int({ description: 'T+N: 0 to 30 days before a payin’s net amount becomes available.' }),
  }),
});

const UpdateMerchantServiceInput = builder.inputType('UpdateMerchantServiceInput', {
  description: 'Fields left out are unchanged; a limit given as null means no limit.',
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: EnableStatusEnum }),
    singleLimitLower: t.field({ type: 'Decimal', description: 'single_limit_lower_bound of seed 001 in the service currency; null or 0 = no limit.' }),
    singleLimitUpper: t.field({ type: 'Decimal', description: 'single_limit_upper_bound; null or 0 = no limit.' }),
    feeRate: t.field({ type: 'Decimal', description: 'Percentage fee, 0 to 100 with at most 4 decimals, e.g. "2.5".' }),
    feeFixed: t.field({ type: 'Decimal', description: 'Fixed fee per transaction in the service currency.' }),
    settlementDays: t.int({ description: 'T+N: 0 to 30 days before a payin’s net amount becomes available.' }),
  }),
});

builder.mutationField('upsertMerchantService', (t) =>
  t.prismaField({
    type: MerchantServiceRef,
    description:
      'Activates a service for a merchant, or changes its limits, fees, settlement period or status. Errors: MERCHANT_NOT_FOUND, SERVICE_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, FORBIDDEN.',
    args: { input: t.arg({ type: UpsertMerchantServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'MerchantService');
      mayAtAll(ctx, 'update', 'MerchantService');
      const merchantId = idOf('Merchant', 'merchantId', input.merchantId);
      const serviceId = idOf('Service', 'serviceId', input.serviceId);
      const merchant = await ctx.prisma.merchant.findUnique({ where: { id: merchantId }, select: { id: true } });
      if (!merchant || !can(ctx, 'read', 'Merchant', merchant)) throw notFound('merchant');
      assertCan(ctx, 'create', 'MerchantService', { merchantId });
      assertCan(ctx, 'update', 'MerchantService', { merchantId });
      const row = await domain(() => upsertMerchantService(ctx.prisma, { ...input, merchantId, serviceId }, actorOf(ctx)));
      return ctx.prisma.merchantService.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
);

builder.mutationField('updateMerchantService', (t) =>
  t.prismaField({
    type: MerchantServiceRef,
    description: 'Changes a merchant’s service activation by id. Errors: MERCHANT_SERVICE_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateMerchantServiceInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'update', 'MerchantService');
      const id = idOf('MerchantService', 'id', input.id);
      writable(ctx, 'update', 'MerchantService', 'merchant service', await ctx.prisma.merchantService.findUnique({ where: { id } }));
      await domain(() => updateMerchantService(ctx.prisma, { ...input, id }, actorOf(ctx)));
      return ctx.prisma.merchantService.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── risk rules ───────────────────────────────

const RiskRuleKindEnum = builder.enumType('RiskRuleKind', {
  description:
    'AMOUNT_ABOVE and DAILY_VOLUME_ABOVE: threshold is an amount in the rule currency; DAILY_COUNT_ABOVE: a number of transactions; BLOCKED_ACCOUNT: `value` is the account.',
  values: RISK_RULE_KINDS,
});

const CreateRiskRuleInput = builder.inputType('CreateRiskRuleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    merchantId: t.id({ description: 'Left out: the rule applies to every merchant.' }),
    direction: t.field({ type: DirectionEnum, required: true, description: 'PAYIN rules refuse (REJECT) or flag on the timeline (REVIEW); PAYOUT rules refuse or hold in REVIEW for finance.' }),
    kind: t.field({ type: RiskRuleKindEnum, required: true }),
    currency: t.string({ description: 'Required for amount rules.' }),
    threshold: t.field({ type: 'Decimal', description: 'Amount (decimal in the currency) or count (whole number).' }),
    value: t.string({ description: 'BLOCKED_ACCOUNT: the account number or address.' }),
    action: t.field({ type: RiskActionEnum, required: true }),
    status: t.field({ type: EnableStatusEnum, description: 'Default ENABLED.' }),
  }),
});

const UpdateRiskRuleInput = builder.inputType('UpdateRiskRuleInput', {
  description: 'Fields left out are unchanged; merchantId null = every merchant. A change of kind or currency needs the threshold again.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    merchantId: t.id(),
    direction: t.field({ type: DirectionEnum }),
    kind: t.field({ type: RiskRuleKindEnum }),
    currency: t.string(),
    threshold: t.field({ type: 'Decimal' }),
    value: t.string(),
    action: t.field({ type: RiskActionEnum }),
    status: t.field({ type: EnableStatusEnum }),
  }),
});

const DeleteRiskRuleInput = builder.inputType('DeleteRiskRuleInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const DeleteRiskRulePayload = builder.objectRef<{ deletedRiskRuleId: string }>('DeleteRiskRulePayload').implement({
  fields: (t) => ({ deletedRiskRuleId: t.exposeID('deletedRiskRuleId', { description: 'Node id of the rule that was deleted.' }) }),
});

builder.mutationField('createRiskRule', (t) =>
  t.prismaField({
    type: RiskRuleRef,
    description: 'Adds a risk rule. Errors: MERCHANT_NOT_FOUND, INVALID_PARAMETER (field), INVALID_AMOUNT, CURRENCY_NOT_SUPPORTED, FORBIDDEN.',
    args: { input: t.arg({ type: CreateRiskRuleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'RiskRule');
      const merchantId = input.merchantId == null ? null : idOf('Merchant', 'merchantId', input.merchantId);
      if (merchantId) assertCan(ctx, 'create', 'RiskRule', { merchantId });
      const rule = await domain(() => createRiskRule(ctx.prisma, { ...input, merchantId }, actorOf(ctx)));
      return ctx.prisma.riskRule.findUniqueOrThrow({ ...query, where: { id: rule.id } });
    },
  }),
);

builder.mutationField('updateRiskRule', (t) =>
  t.prismaField({
    type: RiskRuleRef,
    description: 'Changes a risk rule (disable it with status DISABLED). Errors: RISK_RULE_NOT_FOUND, MERCHANT_NOT_FOUND, INVALID_PARAMETER, INVALID_AMOUNT, CURRENCY_NOT_SUPPORTED, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateRiskRuleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'update', 'RiskRule');
      const id = idOf('RiskRule', 'id', input.id);
      writable(ctx, 'update', 'RiskRule', 'risk rule', await ctx.prisma.riskRule.findUnique({ where: { id } }));
      const merchantId = input.merchantId === undefined ? undefined : input.merchantId === null ? null : idOf('Merchant', 'merchantId', input.merchantId);
      if (merchantId) assertCan(ctx, 'update', 'RiskRule', { merchantId });
      await domain(() => updateRiskRule(ctx.prisma, { ...input, id, merchantId }, actorOf(ctx)));
      return ctx.prisma.riskRule.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('deleteRiskRule', (t) =>
  t.field({
    type: DeleteRiskRulePayload,
    description: 'Deletes a risk rule. Errors: RISK_RULE_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: DeleteRiskRuleInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      mayAtAll(ctx, 'delete', 'RiskRule');
      const id = idOf('RiskRule', 'id', input.id);
      writable(ctx, 'delete', 'RiskRule', 'risk rule', await ctx.prisma.riskRule.findUnique({ where: { id } }));
      const removed = await domain(() => deleteRiskRule(ctx.prisma, id, actorOf(ctx)));
      return { deletedRiskRuleId: encodeGlobalID('RiskRule', removed.id) };
    },
  }),
);

// ─────────────────────────────── FX rates ───────────────────────────────

const SetFxRateInput = builder.inputType('SetFxRateInput', {
  fields: (t) => ({
    base: t.string({ required: true, description: 'Currency code, e.g. THB.' }),
    quote: t.string({ required: true, description: 'Currency code, e.g. USD.' }),
    rate: t.field({ type: 'Decimal', required: true, description: 'Units of quote for one unit of base, > 0, at most 12 decimals, e.g. "0.0282".' }),
  }),
});

const DeleteFxRateInput = builder.inputType('DeleteFxRateInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const DeleteFxRatePayload = builder.objectRef<{ deletedFxRateId: string }>('DeleteFxRatePayload').implement({
  fields: (t) => ({ deletedFxRateId: t.exposeID('deletedFxRateId', { description: 'Node id of the rate that was deleted.' }) }),
});

builder.mutationField('setFxRate', (t) =>
  t.prismaField({
    type: FxRateRef,
    description: 'Creates the base/quote rate or replaces it (display only). Errors: INVALID_PARAMETER (field), CURRENCY_NOT_SUPPORTED, FORBIDDEN.',
    args: { input: t.arg({ type: SetFxRateInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      mayAtAll(ctx, 'create', 'FxRate');
      mayAtAll(ctx, 'update', 'FxRate');
      const rate = await domain(() => setFxRate(ctx.prisma, input, actorOf(ctx)));
      return ctx.prisma.fxRate.findUniqueOrThrow({ ...query, where: { id: rate.id } });
    },
  }),
);

builder.mutationField('deleteFxRate', (t) =>
  t.field({
    type: DeleteFxRatePayload,
    description: 'Deletes an FX rate. Errors: FX_RATE_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: DeleteFxRateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      mayAtAll(ctx, 'delete', 'FxRate');
      const id = idOf('FxRate', 'id', input.id);
      writable(ctx, 'delete', 'FxRate', 'fx rate', await ctx.prisma.fxRate.findUnique({ where: { id } }));
      const removed = await domain(() => deleteFxRate(ctx.prisma, id, actorOf(ctx)));
      return { deletedFxRateId: encodeGlobalID('FxRate', removed.id) };
    },
  }),
);
