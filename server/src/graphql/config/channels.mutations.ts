import { encodeGlobalID } from '@pothos/plugin-relay';
import { can } from '../../modules/auth/authorize.ts';
import {
  bindChannelService,
  createChannel,
  credentialKeysOf,
  unbindChannelService,
  updateChannel,
  updateChannelService,
} from '../../modules/config/channels-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { EnableStatusEnum } from './catalog.schema.ts';
import { ChannelRef, ChannelServiceRef } from './channels.schema.ts';

/**
 * Upstream channels (write-only credentials) and their bindings to services with service_bounds
 * (CATALOG_MANAGE). Parse → modules/config/channels-admin.service.ts → re-read.
 */

const idOf = (typename: string, field: string, raw: string | number) => parseIds(typename, field, [String(raw)])![0]!;

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
      const channel = await createChannel(ctx, input);
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
      const id = idOf('Channel', 'id', input.id);
      await updateChannel(ctx, { ...input, id });
      return ctx.prisma.channel.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

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
      const channelId = idOf('Channel', 'channelId', input.channelId);
      const serviceId = idOf('Service', 'serviceId', input.serviceId);
      const binding = await bindChannelService(ctx, { ...input, channelId, serviceId });
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
      const id = idOf('ChannelService', 'id', input.id);
      await updateChannelService(ctx, { ...input, id });
      return ctx.prisma.channelService.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

builder.mutationField('unbindChannelService', (t) =>
  t.field({
    type: UnbindChannelServicePayload,
    description: 'Removes a binding: the channel no longer serves the service (existing payins keep their channel). Errors: CHANNEL_SERVICE_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: UnbindChannelServiceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = idOf('ChannelService', 'id', input.id);
      const removed = await unbindChannelService(ctx, id);
      return { unboundChannelServiceId: encodeGlobalID('ChannelService', removed.id), channelId: removed.channelId };
    },
  }),
);
