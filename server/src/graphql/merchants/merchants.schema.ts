import { builder } from '../builder.ts';
import { readWhere } from '../lists/access.ts';
import { keysetConnection, listConnection } from '../lists/connection.ts';
import { and, column, equals, inList, isValue, parseIds, searchContains } from '../lists/filters.ts';
import { resolveSort, sortInput } from '../lists/inputs.ts';
import { sensitive } from '../lists/masking.ts';
import { nodeAccess } from '../lists/nodes.ts';
import { boundMoney, money, MoneyRef, ratePercent } from '../money.ts';
import { DirectionEnum, EnableStatusEnum, ServiceKindEnum } from '../config/catalog.schema.ts';
import { DestinationKindEnum, KeyStatusEnum, MerchantStatusEnum } from '../schema/enums.schema.ts';

/**
 * Merchants and what belongs to them: applications (notify URLs, IP whitelist, public keys — never the
 * platform private key), activated services with limits and fees, withdrawal destinations.
 */

export const MerchantRef = builder.prismaNode('Merchant', {
  id: { field: 'id' },
  ...nodeAccess('Merchant'),
  description: 'A merchant of the platform.',
  fields: (t) => ({
    mchId: t.exposeString('mchId', { description: '10-digit merchant number, also the account number for transfers.' }),
    name: t.exposeString('name'),
    status: t.expose('status', { type: MerchantStatusEnum }),
    country: t.exposeString('country', { nullable: true }),
    timezone: t.exposeString('timezone', { description: 'IANA zone; daily statements are cut at its midnight.' }),
    contactEmail: t.exposeString('contactEmail', { nullable: true }),
    apps: t.relation('apps', {
      description: 'Applications the viewer may read.',
      query: (_args, ctx) => ({ where: readWhere(ctx, 'App'), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    }),
    services: t.relation('services', {
      description: 'Activated services (seed 000 merchant information: methods and fees).',
      query: (_args, ctx) => ({ where: readWhere(ctx, 'MerchantService'), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    }),
    destinations: t.relation('destinations', {
      description: 'Stored withdrawal destinations.',
      query: (_args, ctx) => ({ where: readWhere(ctx, 'MerchantDestination'), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const MerchantKeyRef = builder.prismaObject('MerchantKey', {
  description: "A merchant's RSA public key registered on an app (several may be active during rotation).",
  fields: (t) => ({
    id: t.exposeID('id'),
    serial: t.exposeString('serial'),
    publicKeyPem: t.exposeString('publicKeyPem'),
    status: t.expose('status', { type: KeyStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const PlatformKeyRef = builder.prismaObject('PlatformKey', {
  description: 'The platform key pair issued to an app: only its serial and public key are readable.',
  // The sealed private key is never even loaded.
  select: { id: true, serial: true, publicKeyPem: true, status: true, effectiveAt: true, expiresAt: true, createdAt: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    serial: t.exposeString('serial'),
    publicKeyPem: t.exposeString('publicKeyPem'),
    status: t.expose('status', { type: KeyStatusEnum }),
    effectiveAt: t.expose('effectiveAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const AppRef = builder.prismaNode('App', {
  id: { field: 'id' },
  ...nodeAccess('App'),
  description: 'An application (seed 000): notify URLs, IP whitelist and keys of one integration.',
  fields: (t) => ({
    appId: t.exposeString('appId', { description: 'Public application id sent as `app_id`.' }),
    merchant: t.relation('merchant'),
    name: t.exposeString('name'),
    status: t.expose('status', { type: EnableStatusEnum }),
    test: t.exposeBoolean('test', { description: 'Test applications create test payins.' }),
    payinNotifyUrl: t.exposeString('payinNotifyUrl', { nullable: true }),
    payoutNotifyUrl: t.exposeString('payoutNotifyUrl', { nullable: true }),
    ipWhitelist: t.exposeStringList('ipWhitelist', { description: 'CIDRs; empty = any address.' }),
    merchantKeys: t.relation('merchantKeys', { query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
    platformKeys: t.relation('platformKeys', { query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const MerchantServiceRef = builder.prismaNode('MerchantService', {
  id: { field: 'id' },
  ...nodeAccess('MerchantService'),
  description: 'A service activated for a merchant: single-transaction limits, fee and settlement period.',
  fields: (t) => ({
    merchant: t.relation('merchant'),
    service: t.relation('service'),
    status: t.expose('status', { type: EnableStatusEnum }),
    singleLimitLower: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'single_limit_lower_bound of seed 001; null = no limit.',
      select: { service: { select: { currencyCode: true } } },
      resolve: (ms, _a, ctx) => boundMoney(ctx, ms.singleLimitLower, ms.service.currencyCode),
    }),
    singleLimitUpper: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'single_limit_upper_bound of seed 001; null = no limit.',
      select: { service: { select: { currencyCode: true } } },
      resolve: (ms, _a, ctx) => boundMoney(ctx, ms.singleLimitUpper, ms.service.currencyCode),
    }),
    feeRate: t.field({
      type: 'Decimal',
      description: 'Percentage fee, e.g. "2.5" for 2.5 %.',
      resolve: (ms) => ratePercent(ms.feeRatePpm),
    }),
    feeRatePpm: t.string({ description: 'The same rate in parts per million (2.5 % = "25000").', resolve: (ms) => ms.feeRatePpm.toString() }),
    feeFixed: t.field({
      type: MoneyRef,
      description: 'Fixed fee per transaction.',
      select: { service: { select: { currencyCode: true } } },
      resolve: (ms, _a, ctx) => money(ctx, ms.feeFixed, ms.service.currencyCode),
    }),
    settlementDays: t.exposeInt('settlementDays', { description: 'T+N: days a payin stays pending before it becomes available.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const MerchantDestinationRef = builder.prismaNode('MerchantDestination', {
  id: { field: 'id' },
  ...nodeAccess('MerchantDestination'),
  description: "A merchant's stored withdrawal destination: a bank account or a crypto address.",
  fields: (t) => ({
    merchant: t.relation('merchant'),
    kind: t.expose('kind', { type: DestinationKindEnum }),
    label: t.exposeString('label'),
    currencyCode: t.exposeString('currencyCode'),
    bankName: t.exposeString('bankName', { nullable: true }),
    accountName: t.exposeString('accountName', { nullable: true }),
    accountNumber: t.string({
      nullable: true,
      description: 'Masked (••••1234) unless the viewer may read sensitive data of this merchant.',
      resolve: (d, _a, ctx) => sensitive(ctx, 'MerchantDestination', d, d.accountNumber),
    }),
    chain: t.exposeString('chain', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// ─────────────────────────── lists ───────────────────────────

const merchantSort = sortInput('Merchant', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  MCH_ID: column('MCH_ID', 'mchId', 'string'),
  NAME: column('NAME', 'name', 'string'),
});

const MerchantFilter = builder.inputType('MerchantFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    mchId: t.string({ required: false }),
    status: t.field({ type: [MerchantStatusEnum], required: false }),
    country: t.string({ required: false }),
    search: t.string({ required: false, description: 'Substring of the name or mch_id, case-insensitive.' }),
  }),
});

builder.queryField('merchants', (t) =>
  t.connection(
    {
      type: MerchantRef,
      description: 'Merchants the viewer may read (a merchant user: only their own).',
      args: {
        filter: t.arg({ type: MerchantFilter, required: false }),
        sort: t.arg({ type: merchantSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'Merchant'),
          inList('id', parseIds('Merchant', 'ids', f.ids)),
          equals('mchId', f.mchId),
          inList('status', f.status),
          equals('country', f.country),
          searchContains(['name', 'mchId'], f.search),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'Merchant', where,
          sort: resolveSort(merchantSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.merchant.findMany(q as never),
          count: (q) => ctx.prisma.merchant.count(q as never),
        });
      },
    },
    listConnection('Merchant', MerchantRef),
  ),
);

const appSort = sortInput('App', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
  NAME: column('NAME', 'name', 'string'),
});

const AppFilter = builder.inputType('AppFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    merchantIds: t.idList({ required: false }),
    appId: t.string({ required: false }),
    status: t.field({ type: EnableStatusEnum, required: false }),
    test: t.boolean({ required: false }),
    search: t.string({ required: false, description: 'Substring of the name or app_id, case-insensitive.' }),
  }),
});

builder.queryField('apps', (t) =>
  t.connection(
    {
      type: AppRef,
      description: 'Applications (seed 000 merchant center).',
      args: {
        filter: t.arg({ type: AppFilter, required: false }),
        sort: t.arg({ type: appSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const where = and(
          readWhere(ctx, 'App'),
          inList('id', parseIds('App', 'ids', f.ids)),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          equals('appId', f.appId),
          isValue('status', f.status),
          isValue('test', f.test),
          searchContains(['name', 'appId'], f.search),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'App', where,
          sort: resolveSort(appSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.app.findMany(q as never),
          count: (q) => ctx.prisma.app.count(q as never),
        });
      },
    },
    listConnection('App', AppRef),
  ),
);

const merchantServiceSort = sortInput('MerchantService', {
  CREATED_AT: column('CREATED_AT', 'createdAt', 'date'),
});

const MerchantServiceFilter = builder.inputType('MerchantServiceFilter', {
  fields: (t) => ({
    ids: t.idList({ required: false }),
    merchantIds: t.idList({ required: false }),
    serviceIds: t.idList({ required: false }),
    serviceCodes: t.stringList({ required: false }),
    direction: t.field({ type: DirectionEnum, required: false }),
    kinds: t.field({ type: [ServiceKindEnum], required: false }),
    currencies: t.stringList({ required: false }),
    status: t.field({ type: EnableStatusEnum, required: false }),
  }),
});

builder.queryField('merchantServices', (t) =>
  t.connection(
    {
      type: MerchantServiceRef,
      description: 'Services activated for merchants, with limits and fees.',
      args: {
        filter: t.arg({ type: MerchantServiceFilter, required: false }),
        sort: t.arg({ type: merchantServiceSort.input, required: false }),
      },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        const service = and(
          inList('code', f.serviceCodes),
          isValue('direction', f.direction),
          inList('kind', f.kinds),
          inList('currencyCode', f.currencies),
        );
        const where = and(
          readWhere(ctx, 'MerchantService'),
          inList('id', parseIds('MerchantService', 'ids', f.ids)),
          inList('merchantId', parseIds('Merchant', 'merchantIds', f.merchantIds)),
          inList('serviceId', parseIds('Service', 'serviceIds', f.serviceIds)),
          Object.keys(service).length ? { service } : undefined,
          isValue('status', f.status),
        );
        return keysetConnection({
          ctx, info, args, typeName: 'MerchantService', where,
          sort: resolveSort(merchantServiceSort.fields, args.sort, 'CREATED_AT'),
          findMany: (q) => ctx.prisma.merchantService.findMany(q as never),
          count: (q) => ctx.prisma.merchantService.count(q as never),
        });
      },
    },
    listConnection('MerchantService', MerchantServiceRef),
  ),
);
