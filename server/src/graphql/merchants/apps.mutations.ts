import { addMerchantPublicKey, createApp, revokeMerchantKey, rotatePlatformKey, updateApp, type UpdateMerchantAppInput } from '../../modules/apps/apps-admin.service.ts';
import { builder } from '../builder.ts';
import { parseIds } from '../lists/filters.ts';
import { EnableStatusEnum } from '../config/catalog.schema.ts';
import { AppRef } from './merchants.schema.ts';

/**
 * Merchant center applications (seed 000): create an app, change its settings, register or revoke
 * merchant public keys, rotate the platform key. Each field parses its input, calls one operation of
 * modules/apps/apps-admin.service.ts (which loads and authorizes the app, writes and audits in one
 * transaction, and drops the REST layer's cached credentials after the commit) and re-reads the app
 * with the client's selection.
 */

const appIdOf = (raw: string | number) => parseIds('App', 'id', [String(raw)])![0]!;

// ─────────────────────────────── create / update ───────────────────────────────

const CreateAppInput = builder.inputType('CreateAppInput', {
  fields: (t) => ({
    merchantId: t.id({ required: false, description: 'Required for platform staff; a merchant member creates for their own merchant.' }),
    name: t.string({ required: true, description: '1 to 100 characters.' }),
    publicKeyPem: t.string({
      required: false,
      description:
        'The merchant’s RSA public key (PEM "PUBLIC KEY" or "RSA PUBLIC KEY", 2048 to 8192 bits) that will sign requests. Optional: without it the app has only the platform key and signed requests are refused until a key is added (addMerchantPublicKey).',
    }),
    payinNotifyUrl: t.string({ required: false, description: 'http(s) URL for payin callbacks.' }),
    payoutNotifyUrl: t.string({ required: false, description: 'http(s) URL for payout callbacks.' }),
    ipWhitelist: t.stringList({ required: false, description: 'CIDRs or addresses allowed to call the API; empty = any.' }),
    test: t.boolean({ required: false, description: 'A test application creates test payins.' }),
  }),
});

builder.mutationField('createApp', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Creates an application with the merchant’s first public key and issues its platform key pair (the platform public key is in `platformKeys`). Errors: INVALID_PARAMETER (field), INVALID_PUBLIC_KEY, MERCHANT_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: CreateAppInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const app = await createApp(ctx, {
        merchantId: input.merchantId == null || input.merchantId === '' ? null : parseIds('Merchant', 'merchantId', [String(input.merchantId)])![0]!,
        name: input.name,
        publicKeyPem: input.publicKeyPem,
        payinNotifyUrl: input.payinNotifyUrl ?? null,
        payoutNotifyUrl: input.payoutNotifyUrl ?? null,
        ipWhitelist: input.ipWhitelist ?? [],
        test: input.test ?? false,
      });
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id: app.id } });
    },
  }),
);

const UpdateAppInput = builder.inputType('UpdateAppInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The App node id.' }),
    name: t.string({ required: false }),
    payinNotifyUrl: t.string({ required: false, description: 'Absent: unchanged; null or "": cleared; else an http(s) URL.' }),
    payoutNotifyUrl: t.string({ required: false, description: 'Absent: unchanged; null or "": cleared; else an http(s) URL.' }),
    ipWhitelist: t.stringList({ required: false, description: 'The complete new list (empty = any address); absent or null: unchanged.' }),
    status: t.field({ type: EnableStatusEnum, required: false, description: 'DISABLED: every signed request of the app is refused (40105).' }),
    test: t.boolean({ required: false }),
  }),
});

builder.mutationField('updateApp', (t) =>
  t.prismaField({
    type: AppRef,
    description: 'Changes an application’s name, notify URLs, IP whitelist, status or test flag. Errors: INVALID_PARAMETER (field), APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: UpdateAppInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const changes: UpdateMerchantAppInput = { id: appIdOf(input.id) };
      if (input.name != null) changes.name = input.name;
      if (input.payinNotifyUrl !== undefined) changes.payinNotifyUrl = input.payinNotifyUrl;
      if (input.payoutNotifyUrl !== undefined) changes.payoutNotifyUrl = input.payoutNotifyUrl;
      if (input.ipWhitelist != null) changes.ipWhitelist = input.ipWhitelist;
      if (input.status != null) changes.status = input.status;
      if (input.test != null) changes.test = input.test;
      const { id } = await updateApp(ctx, changes);
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

// ─────────────────────────────── keys ───────────────────────────────

const AddMerchantPublicKeyInput = builder.inputType('AddMerchantPublicKeyInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The App node id.' }),
    publicKeyPem: t.string({
      required: true,
      description: 'RSA public key, PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1), 2048 to 8192 bits: requests are signed RSASSA-PKCS1-v1_5 SHA-256 (REST contract).',
    }),
  }),
});

builder.mutationField('addMerchantPublicKey', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Registers another merchant public key on the app (rotation: the existing keys stay active until revoked). Sign with its `serial`. Errors: INVALID_PUBLIC_KEY, MERCHANT_KEY_EXISTS, APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: AddMerchantPublicKeyInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await addMerchantPublicKey(ctx, { id: appIdOf(input.id), publicKeyPem: input.publicKeyPem });
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

const RevokeMerchantKeyInput = builder.inputType('RevokeMerchantKeyInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The App node id.' }),
    serial: t.string({ required: true, description: 'Serial of the active merchant key to revoke.' }),
    force: t.boolean({
      required: false,
      description: 'Revoke even the last active key (a leaked key): the app then accepts no request until a new key is added.',
    }),
  }),
});

builder.mutationField('revokeMerchantKey', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Revokes a merchant public key: requests signed with it fail (40102) from now on. Errors: MERCHANT_KEY_NOT_FOUND, LAST_ACTIVE_MERCHANT_KEY (add the new key first, or force), APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: RevokeMerchantKeyInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await revokeMerchantKey(ctx, { id: appIdOf(input.id), serial: input.serial, force: input.force });
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);

const RotatePlatformKeyInput = builder.inputType('RotatePlatformKeyInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'The App node id.' }) }),
});

builder.mutationField('rotatePlatformKey', (t) =>
  t.prismaField({
    type: AppRef,
    description:
      'Issues a new platform key pair: it signs responses and callbacks from now on; the keys it replaces stay published (GET /v1/platform/certificates) for 24 h. Errors: APP_NOT_FOUND, FORBIDDEN.',
    args: { input: t.arg({ type: RotatePlatformKeyInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await rotatePlatformKey(ctx, appIdOf(input.id));
      return ctx.prisma.app.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
