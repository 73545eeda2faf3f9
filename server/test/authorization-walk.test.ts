import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  printSchema,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../src/generated/prisma/client.ts';
import { MASKED_FIELDS, MASKED_FILTER_FIELDS } from '../src/modules/auth/masking.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { modelOfType, typeOfModel } from '../src/graphql/lists/relation-guard.ts';
import { createApp } from '../src/modules/apps/apps.service.ts';
import { MODEL_NAMES, PLATFORM_ONLY_CODES } from '../src/modules/auth/ability.ts';
import { PERMISSIONS } from '../src/modules/auth/permissions.ts';
import { generateRsaKeyPairAsync } from '../src/lib/crypto.ts';
import { createUserFixture, graphqlHttp } from './support/auth-fixtures.ts';
import { buildWorld, type GraphqlWorld } from './support/graphql-data.ts';
import { createTestEnvironment, type TestEnvironment } from './support/test-environment.ts';

/**
 * Authorization proven by a walk of the schema itself (issue: cross-tenant reads through relations).
 *
 * The queries are not written by hand: they are generated from the schema object (the one
 * `schema.graphql` is printed from), reaching every object type through every root field (relations
 * to depth 3), `nodes(ids)` (every id of both merchants, relations to depth 1) and `node(id)`, selecting
 * every scalar field on the way. They run as every built-in role, a custom merchant role holding every
 * merchant code, shop A's API token, shop B's owner and anonymously, against two merchants linked by
 * transfers in both directions. For every merchant principal, no answer may contain a value that
 * identifies the other merchant (ids, numbers, e-mails, names …, collected from the database), except
 * the public name and number of a transfer's counterparty; channel internals are never shown to
 * merchants; and counts equal what the principal can list.
 *
 * Coverage: every object type and every field of the schema is either reached by the walk (seen in an
 * answer) or listed below with the reason it is not; a new type or field that is neither fails the test.
 */

// ───────────────────────────── what the walk does not reach, and why ─────────────────────────────

/** Object types reached only through mutations or subscriptions (the permission matrix covers those operations). */
const NOT_WALKED_TYPES: Record<string, string> = {
  Mutation: 'operations that change state: test/permission-matrix.test.ts',
  Subscription: 'live events: test/permission-matrix.test.ts (subscriptions)',
  BalanceAdjustment: 'adjustBalance result',
  ChangePasswordPayload: 'changePassword result',
  CreateApiTokenPayload: 'createApiToken result',
  CreateTestPayinPayload: 'createTestPayin result',
  DeleteFxRatePayload: 'deleteFxRate result',
  DeleteRiskRulePayload: 'deleteRiskRule result',
  DeleteRolePayload: 'deleteRole result',
  LogoutEverywherePayload: 'logoutEverywhere result',
  TotpEnrolment: 'startTotpEnrolment result',
  UnbindChannelServicePayload: 'unbindChannelService result',
  UserWithPasswordPayload: 'createUser / resetUserPassword result',
};

/** Fields not reached, with the reason. */
const NOT_WALKED_FIELDS: Record<string, string> = {};

/** Root query fields with required arguments: the arguments the walk gives them. */
type Principal = { name: string; merchant: 'A' | 'B' | null; cookie?: string; bearer?: string };
const ROOT_ARGS: Record<string, (p: Principal) => Record<string, unknown>> = {
  availableRange: (p) => ({ serviceCode: world.services.thb.code, ...(p.merchant ? {} : { merchantId: gid('Merchant', world.a.id) }) }),
  dashboard: () => ({ filter: { from: new Date(Date.UTC(2026, 8, 1)).toISOString(), to: new Date(Date.UTC(2026, 11, 1)).toISOString(), displayCurrency: 'THB' } }),
};

/** Root fields the walk runs separately (node/nodes take the fixture's ids). */
const SPECIAL_ROOTS = new Set(['node', 'nodes']);

/** Relation hops below a root list that the walk follows. */
const MAX_RELATION_DEPTH = 3;
/** … and below `nodes(ids)` (every id of both merchants: the rows the root lists reach get their full depth there). */
const NODE_RELATION_DEPTH = 1;
const PAGE = 25;

// ───────────────────────────── fixture ─────────────────────────────

let env: TestEnvironment;
let world: GraphqlWorld;
const principals: Principal[] = [];
/** Node ids (global) of rows of both merchants and of the platform, for node()/nodes(). */
const nodeIds: string[] = [];
/** Values that identify each merchant (see identifying()). */
const identity: Record<'A' | 'B', Identity> = {} as never;

interface Identity {
  /** Exact string values (numbers, names, e-mails, keys …). */
  exact: Set<string>;
  /** `Type:id` of rows that belong to the merchant alone. */
  rows: Set<string>;
  /** Raw ids (uuids) of those rows. */
  rawIds: Set<string>;
}

const gid = (type: string, id: string | bigint) => encodeGlobalID(type, String(id));

async function ok<T = Record<string, any>>(p: Principal, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await send(p, query, variables);
  if (res.errors?.length) throw new Error(`${p.name}: ${JSON.stringify(res.errors)}\n${query}`);
  return res.data as T;
}

function send(p: Principal, query: string, variables: Record<string, unknown> = {}) {
  return graphqlHttp(env.url, query, variables, { ...(p.cookie ? { cookie: p.cookie } : {}), ...(p.bearer ? { bearer: p.bearer } : {}) });
}

async function buildFixture(): Promise<void> {
  const db = env.prisma;
  world = await buildWorld(db, { ordersA: 8, ordersB: 8 });
  const { a, b } = world;
  // Distinctive merchant records: these are what leaked through FundRequest.merchant.
  await db.merchant.update({ where: { id: a.id }, data: { name: 'Alpha Commerce Co', contactEmail: 'ops@alpha-commerce.example', country: 'TH', timezone: 'Asia/Bangkok' } });
  await db.merchant.update({ where: { id: b.id }, data: { name: 'Bravo Traders Ltd', contactEmail: 'finance@bravo-traders.example', country: 'VN', timezone: 'Asia/Ho_Chi_Minh' } });

  const staff = { totp: true, secrets: env.services.secrets } as const;
  const user = async (name: string, roleKey: Parameters<typeof createUserFixture>[1]['roleKey'], merchant: 'A' | 'B' | null, permissions?: number[]) => {
    const f = await createUserFixture(db, { roleKey, permissions, ...(merchant ? { merchantId: merchant === 'A' ? a.id : b.id } : staff) });
    return { name, merchant, cookie: f.cookie, user: f.user };
  };
  const admin = await user('admin', 'ADMINISTRATOR', null);
  const finance = await user('finance', 'FINANCE', null);
  const support = await user('support', 'SUPPORT_AGENT', null);
  const ownerA = await user('owner A', 'MERCHANT_OWNER', 'A');
  const operatorA = await user('operator A', 'MERCHANT_OPERATOR', 'A');
  const viewerA = await user('viewer A', 'MERCHANT_VIEWER', 'A');
  const ownerB = await user('owner B', 'MERCHANT_OWNER', 'B');
  // A custom merchant role with every code a merchant role can hold (the audit log too).
  const everythingA = await user('custom A', 'MERCHANT_OWNER', 'A', (Object.values(PERMISSIONS) as number[]).filter((c) => !PLATFORM_ONLY_CODES.has(c)));
  // B's team grows in the shared built-in roles: A must not see it (Role.userCount).
  for (const roleKey of ['MERCHANT_OPERATOR', 'MERCHANT_VIEWER', 'MERCHANT_VIEWER'] as const) await user('B member', roleKey, 'B');

  // Custom roles, risk rules, destinations, app keys and exports on both sides.
  const P = PERMISSIONS;
  for (const m of [a, b]) {
    await db.role.create({ data: { name: `Cashiers of ${m.id.slice(-12)}`, scope: 'MERCHANT', builtIn: false, merchantId: m.id, permissions: [P.PAYIN_READ] } });
    await db.riskRule.create({ data: { name: `Big payouts ${m.id.slice(-12)}`, merchantId: m.id, direction: 'PAYOUT', kind: 'AMOUNT_ABOVE', currencyCode: 'THB', threshold: 9_000_000n, action: 'REVIEW' } });
    await createApp(db, env.services.secrets, { merchantId: m.id, name: `Keyed app ${m.id.slice(-12)}`, publicKeyPem: (await generateRsaKeyPairAsync()).publicKeyPem });
  }
  await db.merchantDestination.create({ data: { merchantId: b.id, kind: 'BANK', label: 'Bravo payroll', currencyCode: 'THB', bankName: 'VCB', accountName: 'Bravo', accountNumber: '556677889900' } });
  await db.fxRate.create({ data: { base: 'USD', quote: 'THB', rate: '35.5' } });
  await db.riskRule.create({ data: { name: 'Platform-wide block', direction: 'PAYIN', kind: 'BLOCKED_ACCOUNT', value: '000111222333', action: 'REJECT' } });

  // Transfers both ways (buildWorld's A → B stays waiting), approved by finance: ledger transactions with entries on both merchants.
  const transfer = async (from: Principal, source: Merchant, target: Merchant, note: string) =>
    (await ok(from, `mutation($input: CreateTransferInput!) { createTransfer(input: $input) { id } }`, {
      input: { merchantId: gid('Merchant', source.id), currency: 'THB', amount: '10.00', targetMchId: (await db.merchant.findUniqueOrThrow({ where: { id: target.id } })).mchId, note },
    })).createTransfer.id as string;
  for (const id of [await transfer(ownerB, b, a, 'invoice 42'), await transfer(ownerA, a, b, 'refund 7')]) {
    await ok(finance, `mutation($id: ID!) { approveFundRequest(id: $id) { id status } }`, { id });
  }

  // Timelines, callback attempts and exports of both merchants.
  for (const order of world.orders) {
    await db.orderEvent.create({ data: { orderId: order.id, type: 'created', toStatus: 'PENDING', actorType: 'SYSTEM', message: `order ${order.orderNo}` } });
  }
  for (const payout of world.payouts) {
    await db.payoutEvent.create({ data: { payoutId: payout.id, type: 'created', toStatus: 'PENDING', actorType: 'SYSTEM' } });
  }
  for (const delivery of await db.delivery.findMany()) {
    await db.deliveryAttempt.create({ data: { deliveryId: delivery.id, attemptNo: 1, requestedAt: new Date(), statusCode: 500, latencyMs: 12, responseExcerpt: 'oops' } });
  }
  await ok(ownerA, `mutation { createExport(kind: PAYINS) { id } }`);
  await ok(ownerB, `mutation { createExport(kind: PAYOUTS) { id } }`);

  // API tokens of both merchants; A's is a principal.
  const tokenCodes = [P.PAYIN_READ, P.PAYOUT_READ, P.BALANCE_READ, P.STATEMENT_READ, P.LEDGER_READ, P.APP_READ, P.MERCHANT_INFO_READ, P.TEAM_READ, P.EXPORT_READ, P.OPERATION_PAYMENT_WRITE];
  const mint = async (owner: Principal) =>
    (await ok(owner, `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ... on CreateApiTokenPayload { token } } }`, {
      input: { name: `walk token of ${owner.name}`, permissions: tokenCodes },
    })).createApiToken as { token?: string; message?: string };
  const tokenA = await mint(ownerA);
  if (!tokenA.token) throw new Error(`token: ${tokenA.message}`);
  await mint(ownerB);

  principals.push(admin, finance, support, ownerA, operatorA, viewerA, everythingA, { name: 'token A', merchant: 'A', bearer: tokenA.token }, ownerB, { name: 'anonymous', merchant: null });

  identity.A = await identifying(a, b);
  identity.B = await identifying(b, a);
  await collectNodeIds();
}

/**
 * The values that identify merchant `m` to anyone else: its record, its members, and every row that
 * belongs to it alone, with their numbers and names. Rows shared with `other` (a transfer between
 * them, its ledger transaction) are left out: both may read those.
 */
async function identifying(m: Merchant, other: Merchant): Promise<Identity> {
  const db = env.prisma;
  const merchant = await db.merchant.findUniqueOrThrow({ where: { id: m.id } });
  const exact = new Set<string>([merchant.mchId, merchant.name, merchant.contactEmail!, merchant.timezone, merchant.country!]);
  const rows = new Set<string>();
  const add = (type: string, id: string | bigint, ...values: Array<string | null | undefined>) => {
    rows.add(`${type}:${id}`);
    for (const v of values) if (v) exact.add(v);
  };
  add('Merchant', m.id);
  const own = { merchantId: m.id };
  for (const u of await db.user.findMany({ where: own })) add('User', u.id, u.email, u.name);
  for (const r of await db.role.findMany({ where: own })) add('Role', r.id, r.name);
  for (const x of await db.app.findMany({ where: own, include: { merchantKeys: true, platformKeys: true } })) {
    add('App', x.id, x.appId, x.name);
    for (const k of [...x.merchantKeys, ...x.platformKeys]) exact.add(k.serial);
  }
  for (const t of await db.apiToken.findMany({ where: own })) add('ApiToken', t.id, t.name, t.prefix);
  for (const o of await db.order.findMany({ where: own })) add('Payin', o.id, o.orderNo, o.prepayId, o.outTradeNo, o.payerAccount, o.upstreamRef);
  for (const p of await db.payment.findMany({ where: { order: own } })) add('Payment', p.id, p.txnId);
  for (const e of await db.orderEvent.findMany({ where: { order: own } })) add('PayinEvent', e.id);
  for (const p of await db.payout.findMany({ where: own })) add('Payout', p.id, p.payoutNo, p.outTradeNo, p.recipientAccount);
  for (const e of await db.payoutEvent.findMany({ where: { payout: own } })) add('PayoutEvent', e.id);
  for (const d of await db.delivery.findMany({ where: own })) add('Delivery', d.id, d.eventId);
  for (const d of await db.deliveryAttempt.findMany({ where: { delivery: own } })) add('DeliveryAttempt', d.id);
  for (const x of await db.ledgerAccount.findMany({ where: own })) add('LedgerAccount', x.id);
  for (const x of await db.ledgerEntry.findMany({ where: { account: own } })) add('LedgerEntry', x.id);
  const shared = { OR: [{ merchantId: m.id, targetMerchantId: other.id }, { merchantId: other.id, targetMerchantId: m.id }] };
  const sharedRequests = (await db.fundRequest.findMany({ where: shared })).map((r) => r.id);
  for (const x of await db.ledgerTransaction.findMany({ where: { entries: { some: { account: own } }, NOT: { entries: { some: { account: { merchantId: other.id } } } } } })) add('LedgerTransaction', x.id);
  for (const x of await db.dailyStatement.findMany({ where: own })) add('DailyStatement', x.id);
  for (const x of await db.fundRequest.findMany({ where: { ...own, id: { notIn: sharedRequests } } })) add('FundRequest', x.id, x.requestNo);
  for (const x of await db.merchantDestination.findMany({ where: own })) add('MerchantDestination', x.id, x.label, x.accountNumber);
  for (const x of await db.merchantService.findMany({ where: own })) add('MerchantService', x.id);
  for (const x of await db.export.findMany({ where: own })) add('Export', x.id);
  for (const x of await db.auditLog.findMany({ where: own })) add('AuditLog', x.id);
  for (const x of await db.riskRule.findMany({ where: own })) add('RiskRule', x.id, x.name);
  // The sender of a transfer the other merchant receives is the sender's: who created it, the fee it paid.
  for (const x of await db.fundRequest.findMany({ where: { merchantId: m.id, targetMerchantId: other.id } })) if (x.createdById) exact.add(x.createdById);
  const rawIds = new Set([...rows].map((r) => r.slice(r.indexOf(':') + 1)).filter((id) => /^[0-9a-f-]{36}$/.test(id)));
  return { exact, rows, rawIds };
}

async function collectNodeIds(): Promise<void> {
  const db = env.prisma;
  const push = (type: string, rows: Array<{ id: string | bigint }>) => nodeIds.push(...rows.map((r) => gid(type, r.id)));
  push('Merchant', await db.merchant.findMany());
  push('Payin', await db.order.findMany({ take: 6 }));
  push('Payin', await db.order.findMany({ where: { merchantId: world.b.id }, take: 3 }));
  push('Payout', await db.payout.findMany());
  push('Payment', await db.payment.findMany());
  push('PayinEvent', await db.orderEvent.findMany({ take: 20 }));
  push('PayoutEvent', await db.payoutEvent.findMany());
  push('Delivery', await db.delivery.findMany());
  push('DeliveryAttempt', await db.deliveryAttempt.findMany());
  push('LedgerAccount', await db.ledgerAccount.findMany());
  push('LedgerEntry', await db.ledgerEntry.findMany());
  push('LedgerTransaction', await db.ledgerTransaction.findMany());
  push('DailyStatement', await db.dailyStatement.findMany());
  push('FundRequest', await db.fundRequest.findMany());
  push('MerchantDestination', await db.merchantDestination.findMany());
  push('MerchantService', await db.merchantService.findMany());
  push('Export', await db.export.findMany());
  push('AuditLog', await db.auditLog.findMany());
  push('App', await db.app.findMany());
  push('User', await db.user.findMany());
  push('Role', await db.role.findMany());
  push('RiskRule', await db.riskRule.findMany());
  push('ApiToken', await db.apiToken.findMany());
  push('Channel', await db.channel.findMany());
  push('ChannelService', await db.channelService.findMany());
  push('Service', await db.service.findMany());
  push('FxRate', await db.fxRate.findMany());
  nodeIds.push(...(await db.currency.findMany()).map((c) => gid('Currency', c.code)));
}

// ───────────────────────────── query generation from the schema ─────────────────────────────

/** The GraphQL types that present a model (`Payin` for the model `Order` …). */
const MODELS = new Set<string>(MODEL_NAMES.map(typeOfModel));
/** `Type.field` pairs with required arguments the walk cannot fill (listed in NOT_WALKED_FIELDS or failing coverage). */
const unfillable = new Set<string>();

/** The selection set of `type`: every leaf field, and object fields while relation hops remain. */
function selectionOf(type: GraphQLNamedType, hops: number, nesting = 0, alias = false): string {
  if (nesting > 12) return '__typename';
  if (isAbstractType(type)) {
    // Fields of the members are aliased `<Type>__<field>` (the same name may have different types in two members).
    const fragments = schema.getPossibleTypes(type).map((t) => `... on ${t.name} { ${selectionOf(t, hops, nesting, true)} }`);
    return `__typename ${fragments.join(' ')}`;
  }
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  const as = (name: string) => (alias ? `${type.name}__${name}: ${name}` : name);
  for (const field of Object.values(type.getFields())) {
    const args = argumentsOf(type, field);
    if (args === null) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(`${as(field.name)}${args}`);
      continue;
    }
    // A hop into a model costs one; wrappers (connections, edges, money …) are free.
    const cost = MODELS.has(named.name) ? 1 : 0;
    if (hops - cost < 0) continue;
    if (type.name.endsWith('Edge') && field.name === 'node') {
      parts.push(`node { __typename id }`);
      continue;
    }
    const inner = selectionOf(named, hops - cost, nesting + 1);
    if (inner) parts.push(`${as(field.name)}${args} { ${inner} }`);
  }
  return parts.join(' ');
}

/** Literal arguments for a nested field: `first` for connections; null when a required argument has no value. */
function argumentsOf(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string | null {
  const given: string[] = [];
  for (const arg of field.args) {
    if (arg.name === 'first') given.push(`first: ${PAGE}`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) {
      unfillable.add(`${type.name}.${field.name}`);
      return null;
    }
  }
  return given.length ? `(${given.join(', ')})` : '';
}

interface WalkQuery {
  label: string;
  query: string;
  variables: (p: Principal) => Record<string, unknown>;
}

/** One query per root field (all of its relations to MAX_RELATION_DEPTH), plus nodes(ids) and node(id). */
function walkQueries(): WalkQuery[] {
  const queries: WalkQuery[] = [];
  const root = schema.getQueryType()!;
  for (const field of Object.values(root.getFields())) {
    if (SPECIAL_ROOTS.has(field.name)) continue;
    const named = getNamedType(field.type);
    const declared: string[] = [];
    const passed: string[] = [];
    for (const arg of field.args) {
      if (arg.name === 'first') {
        passed.push(`first: ${PAGE}`);
      } else if (ROOT_ARGS[field.name]) {
        declared.push(`$${arg.name}: ${String(arg.type)}`);
        passed.push(`${arg.name}: $${arg.name}`);
      } else if (isNonNullType(arg.type) && arg.defaultValue === undefined) {
        unfillable.add(`Query.${field.name}`);
      }
    }
    if (unfillable.has(`Query.${field.name}`)) continue;
    const selection = isLeafType(named) ? '' : ` { ${selectionOf(named, MAX_RELATION_DEPTH)} }`;
    queries.push({
      label: field.name,
      query: `query Walk${declared.length ? `(${declared.join(', ')})` : ''} { ${field.name}${passed.length ? `(${passed.join(', ')})` : ''}${selection} }`,
      variables: (p) => {
        const all = ROOT_ARGS[field.name]?.(p) ?? {};
        return Object.fromEntries(Object.entries(all).filter(([k]) => declared.some((d) => d.startsWith(`$${k}:`))));
      },
    });
  }
  const node = schema.getType('Node')!;
  // nodes(ids) with their relations, node(id) with the scalars: every id, in chunks (one request loads a chunk).
  const full = selectionOf(node, NODE_RELATION_DEPTH);
  for (let i = 0; i < nodeIds.length; i += 40) {
    const ids = nodeIds.slice(i, i + 40);
    queries.push({ label: `nodes ${i / 40}`, query: `query Walk($ids: [ID!]!) { nodes(ids: $ids) { ${full} } }`, variables: () => ({ ids }) });
  }
  const shallow = selectionOf(node, 0);
  const perType = new Map<string, number>();
  // node(id): the first ids of every type, so one per type of each merchant at least.
  const sample = nodeIds.filter((id) => {
    const type = decodeGlobalID(id).typename;
    perType.set(type, (perType.get(type) ?? 0) + 1);
    return perType.get(type)! <= 4;
  });
  queries.push({
    label: 'node',
    query: `query Walk { ${sample.map((id, i) => `n${i}: node(id: ${JSON.stringify(id)}) { ${shallow} }`).join(' ')} }`,
    variables: () => ({}),
  });
  return queries;
}

// ───────────────────────────── checking answers ─────────────────────────────

/** The answer with `<Type>__<field>` aliases (see selectionOf) back under their field names. */
function unalias(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unalias);
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const prefix = typeof obj.__typename === 'string' ? `${obj.__typename}__` : null;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [prefix && k.startsWith(prefix) ? k.slice(prefix.length) : k, unalias(v)]));
}

/** Where a value may name the other merchant on purpose: a transfer's counterparty (name and number only). */
const DELIBERATE: Record<string, ReadonlySet<string>> = {
  FundRequest: new Set(['counterparty', 'targetMchId']),
  // The audit snapshot of one's own transfer names its receiver's number, as FundRequest.targetMchId does.
  AuditLog: new Set(['targetMchId']),
};

interface Finding {
  path: string;
  value: string;
}

/** Every place in `answer` that carries a value identifying `foreign`. */
function foreignValues(answer: unknown, foreign: Identity): Finding[] {
  const found: Finding[] = [];
  const visit = (value: unknown, path: string, parentType: string | undefined) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`, parentType));
      return;
    }
    if (typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const typename = typeof obj.__typename === 'string' ? obj.__typename : parentType;
      for (const [key, v] of Object.entries(obj)) {
        if (key === '__typename') continue;
        if (typename && DELIBERATE[typename]?.has(key)) continue;
        visit(v, `${path}.${key}`, typename);
      }
      return;
    }
    const text = String(value);
    if (foreign.exact.has(text)) found.push({ path, value: text });
    for (const id of text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? []) {
      if (foreign.rawIds.has(id.toLowerCase())) found.push({ path, value: text });
    }
    const decoded = decodeId(text);
    if (decoded && foreign.rows.has(decoded)) found.push({ path, value: `${text} (${decoded})` });
    // Inside longer text (a callback body, a description): whole tokens only ("OUT-1" is not in "OUT-15").
    for (const token of foreign.exact) {
      if (token.length < 8 || text === token || !text.includes(token)) continue;
      if (new RegExp(`(?<![A-Za-z0-9])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`).test(text)) found.push({ path, value: text });
    }
  };
  visit(answer, '', undefined);
  return found;
}

function decodeId(text: string): string | null {
  if (!/^[A-Za-z0-9+/=]{8,}$/.test(text)) return null;
  try {
    const { typename, id } = decodeGlobalID(text);
    return MODELS.has(typename) ? `${typename}:${id}` : null;
  } catch {
    return null;
  }
}

/** Channel routing and connector internals shown in an answer. */
const CHANNEL_INTERNALS: Record<string, readonly string[]> = {
  Channel: ['settings', 'priority', 'weight', 'connector', 'hasCredentials', 'balance', 'credentialKeys'],
  ChannelService: ['priority', 'weight'],
};

function channelInternals(answer: unknown): Finding[] {
  const found: Finding[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    for (const key of CHANNEL_INTERNALS[obj.__typename as string] ?? []) {
      if (obj[key] !== null && obj[key] !== undefined) found.push({ path: `${path}.${key}`, value: JSON.stringify(obj[key]) });
    }
    for (const [key, v] of Object.entries(obj)) visit(v, `${path}.${key}`);
  };
  visit(answer, '');
  return found;
}

/** Connections whose totalCount differs from the rows listed (a whole first page with no next page). */
function countMismatches(answer: unknown): Finding[] {
  const found: Finding[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return;
    const obj = value as Record<string, any>;
    if (typeof obj.totalCount === 'number' && Array.isArray(obj.nodes) && obj.pageInfo && obj.pageInfo.hasNextPage === false && obj.totalCount !== obj.nodes.length) {
      found.push({ path, value: `totalCount ${obj.totalCount}, listed ${obj.nodes.length}` });
    }
    for (const [key, v] of Object.entries(obj)) visit(v, `${path}.${key}`);
  };
  visit(answer, '');
  return found;
}

/** Role.userCount against the holders of that role among the users the principal lists. */
function userCountMismatches(answers: Map<string, any>): Finding[] {
  const users: Array<{ roles: Array<{ id: string }> }> = answers.get('users')?.users?.nodes ?? [];
  const holders = new Map<string, number>();
  for (const u of users) for (const r of u.roles ?? []) holders.set(r.id, (holders.get(r.id) ?? 0) + 1);
  const found: Finding[] = [];
  const visit = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${i}]`));
    if (!value || typeof value !== 'object') return;
    const obj = value as Record<string, any>;
    if (obj.__typename === 'Role' && typeof obj.userCount === 'number' && obj.userCount !== (holders.get(obj.id) ?? 0)) {
      found.push({ path, value: `${obj.name}: userCount ${obj.userCount}, listed holders ${holders.get(obj.id) ?? 0}` });
    }
    for (const [key, v] of Object.entries(obj)) visit(v, `${path}.${key}`);
  };
  for (const answer of answers.values()) visit(answer, '');
  return found;
}

/** `Type.field` of every field present in an answer, and the object types seen. */
function reached(answer: unknown, into: Set<string>): void {
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    const typename = obj.__typename;
    if (typeof typename === 'string') {
      into.add(typename);
      for (const key of Object.keys(obj)) if (key !== '__typename') into.add(`${typename}.${key}`);
    }
    Object.values(obj).forEach(visit);
  };
  visit(answer);
}

// ───────────────────────────── the walk ─────────────────────────────

const answersOf = new Map<string, Map<string, any>>();
const errorsOf = new Map<string, Array<{ label: string; code: unknown; message: string; path: unknown }>>();

beforeAll(async () => {
  env = await createTestEnvironment({
    env: { GRAPHQL_MAX_DEPTH: '60', GRAPHQL_MAX_COST: '100000000', GRAPHQL_MAX_TOKENS: '10000000', RATE_LIMIT_PER_SECOND: '0' },
  });
  await buildFixture();
  const queries = walkQueries();
  const walk = async (p: Principal) => {
    const answers = new Map<string, any>();
    const errors: Array<{ label: string; code: unknown; message: string; path: unknown }> = [];
    for (const q of queries) {
      const started = Date.now();
      const res = await send(p, q.query, q.variables(p));
      if (process.env.WALK_TIMINGS) console.log(`${Date.now() - started} ms ${p.name} ${q.label} ${q.query.length} chars ${JSON.stringify(res).length} bytes`);
      if (res.data) answers.set(q.label, unalias(res.data));
      for (const e of res.errors ?? []) errors.push({ label: q.label, code: e.extensions?.code, message: e.message, path: (e as { path?: unknown }).path });
    }
    answersOf.set(p.name, answers);
    errorsOf.set(p.name, errors);
  };
  // Three principals at a time: the server and the database overlap their work.
  const queue = [...principals];
  await Promise.all([0, 1, 2].map(async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await walk(p);
  }));
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

const MERCHANT_PRINCIPALS = ['owner A', 'operator A', 'viewer A', 'custom A', 'token A', 'owner B'];
const other = (p: Principal): 'A' | 'B' => (p.merchant === 'A' ? 'B' : 'A');

describe('authorization walk over the schema', () => {
  it('the printed schema is the schema the walk generates its queries from', () => {
    expect(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8').trim()).toBe(printSchema(schema).trim());
  });

  it('reaches every object type and field of the schema, or lists why not', () => {
    const seen = new Set<string>();
    for (const answers of answersOf.values()) for (const answer of answers.values()) reached(answer, seen);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name === 'Query' || NOT_WALKED_TYPES[type.name]) continue;
      if (!seen.has(type.name)) {
        missing.push(type.name);
        continue;
      }
      for (const field of Object.keys(type.getFields())) {
        const key = `${type.name}.${field}`;
        if (!seen.has(key) && !NOT_WALKED_FIELDS[key]) missing.push(key);
      }
    }
    for (const field of Object.keys(schema.getQueryType()!.getFields())) {
      if (!SPECIAL_ROOTS.has(field) && !answersOf.get('admin')!.has(field) && !NOT_WALKED_FIELDS[`Query.${field}`]) missing.push(`Query.${field}`);
    }
    expect(missing, 'reach these in the walk (fixture data, ROOT_ARGS) or list them in NOT_WALKED_TYPES / NOT_WALKED_FIELDS with a reason').toEqual([]);
    // Listed exceptions must still exist (a stale list hides nothing).
    for (const name of Object.keys(NOT_WALKED_TYPES)) expect(schema.getType(name), `NOT_WALKED_TYPES.${name}`).toBeDefined();
    expect([...unfillable].filter((f) => !NOT_WALKED_FIELDS[f]), 'fields with required arguments: give them ROOT_ARGS').toEqual([]);
  });

  it('every interface member implementing Node is reachable by id', () => {
    const node = schema.getType('Node');
    expect(node && isInterfaceType(node)).toBe(true);
    const types = new Set(nodeIds.map((id) => decodeGlobalID(id).typename));
    expect(schema.getPossibleTypes(node as never).map((t) => t.name).filter((t) => !types.has(t))).toEqual([]);
  });

  it('staff read everything the walk asks; the administrator without a single error', () => {
    expect(errorsOf.get('admin')).toEqual([]);
    for (const name of ['finance', 'support']) {
      expect(errorsOf.get(name)!.filter((e) => e.code !== 'FORBIDDEN' || (Array.isArray(e.path) && e.path.length > 1)).slice(0, 10), name).toEqual([]);
    }
  });

  it('answers nothing but public data to anonymous callers', () => {
    const answers = answersOf.get('anonymous')!;
    const seen = new Set<string>();
    for (const answer of answers.values()) reached(answer, seen);
    const models = [...seen].filter((k) => !k.includes('.') && MODELS.has(k) && k !== 'Currency');
    expect(models).toEqual([]);
    for (const e of errorsOf.get('anonymous')!) expect(['UNAUTHENTICATED'], `${e.label}: ${e.message}`).toContain(e.code);
  });

  for (const name of MERCHANT_PRINCIPALS) {
    describe(name, () => {
      const principal = () => principals.find((p) => p.name === name)!;

      it("finds no value of the other merchant anywhere (but a transfer's counterparty name and number)", () => {
        const foreign = identity[other(principal())];
        const findings: Array<Finding & { query: string }> = [];
        for (const [label, answer] of answersOf.get(name)!) for (const f of foreignValues(answer, foreign)) findings.push({ query: label, ...f });
        expect(findings.slice(0, 25)).toEqual([]);
      });

      it('sees no channel internals (settings, priority, weight …)', () => {
        const findings: Array<Finding & { query: string }> = [];
        for (const [label, answer] of answersOf.get(name)!) for (const f of channelInternals(answer)) findings.push({ query: label, ...f });
        expect(findings.slice(0, 25)).toEqual([]);
      });

      it('counts only what it can list (totalCount, Role.userCount)', () => {
        const answers = answersOf.get(name)!;
        const findings: Finding[] = [...userCountMismatches(answers)];
        for (const answer of answers.values()) findings.push(...countMismatches(answer));
        expect(findings.slice(0, 25)).toEqual([]);
      });

      it('sees dashboard sums and attention counts over exactly the rows it lists', () => {
        const answers = answersOf.get(name)!;
        const sum = (series: { totals: Array<{ count: number }> } | undefined) => (series?.totals ?? []).reduce((n, t) => n + t.count, 0);
        const dashboard = answers.get('dashboard')?.dashboard;
        const health = answers.get('operationsHealth')?.operationsHealth;
        const payins = answers.get('payins')?.payins;
        const payouts = answers.get('payouts')?.payouts;
        const requests = answers.get('fundRequests')?.fundRequests;
        expect(dashboard && health && payins && payouts && requests, 'the walk answered these').toBeTruthy();
        // The fixture's transactions all fall inside the dashboard's range (ROOT_ARGS).
        expect({
          payins: sum(dashboard.payins),
          payouts: sum(dashboard.payouts),
          payoutsInReview: health.payoutsInReview,
          fundRequestsWaiting: health.fundRequestsWaiting,
        }).toEqual({
          payins: payins.totalCount,
          payouts: payouts.totalCount,
          payoutsInReview: payouts.nodes.filter((p: { status: string }) => p.status === 'REVIEW').length,
          fundRequestsWaiting: requests.nodes.filter((r: { status: string }) => r.status === 'NEW').length,
        });
      });

      it('gets no errors but refusals of whole operations it may not run', () => {
        // A FORBIDDEN below the root is a non-null relation to a row it may not read: declare it nullable.
        const unexpected = errorsOf.get(name)!.filter((e) => e.code !== 'FORBIDDEN' || (Array.isArray(e.path) && e.path.length > 1));
        expect(unexpected.slice(0, 10)).toEqual([]);
      });
    });
  }

  it("sees an incoming transfer's sender only as its counterparty", async () => {
    const ownerA = principals.find((p) => p.name === 'owner A')!;
    const data = await ok(ownerA, `{ fundRequests(filter: { kinds: [TRANSFER] }) { nodes { merchant { id } counterparty { name mchId } fee { amount } createdById targetMchId } } }`);
    const b = await env.prisma.merchant.findUniqueOrThrow({ where: { id: world.b.id } });
    const incoming = data.fundRequests.nodes.filter((n: any) => n.merchant === null);
    expect(incoming).toEqual([{ merchant: null, counterparty: { name: b.name, mchId: b.mchId }, fee: null, createdById: null, targetMchId: expect.any(String) }]);
    const outgoing = data.fundRequests.nodes.filter((n: any) => n.merchant !== null);
    expect(outgoing.length).toBeGreaterThan(0);
    expect(outgoing.map((n: any) => n.counterparty)).toEqual(outgoing.map(() => ({ name: b.name, mchId: b.mchId })));
  });
});

describe('masked fields cannot be tested by filters', () => {
  it('every filter or sort on a masked field of a list is one the server refuses to those who see it masked', () => {
    const unguarded: string[] = [];
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const nodes = isObjectType(getNamedType(field.type)) ? (getNamedType(field.type) as GraphQLObjectType).getFields().nodes : undefined;
      if (!nodes) continue;
      const model = modelOfType(getNamedType(nodes.type).name) as keyof typeof MASKED_FIELDS;
      const masked = MASKED_FIELDS[model] ?? [];
      const filter = field.args.find((a) => a.name === 'filter');
      const filterType = filter && getNamedType(filter.type);
      if (filterType && isInputObjectType(filterType)) {
        for (const name of Object.keys(filterType.getFields())) {
          if (masked.includes(name) && !MASKED_FILTER_FIELDS[model]?.includes(name)) unguarded.push(`${field.name}(filter: { ${name} })`);
        }
      }
      const sortField = field.args.find((a) => a.name === 'sort');
      const sortType = sortField && getNamedType(sortField.type);
      const sortEnum = sortType && isInputObjectType(sortType) ? getNamedType(sortType.getFields().field?.type ?? sortType) : undefined;
      if (sortEnum && isEnumType(sortEnum)) {
        for (const value of sortEnum.getValues()) {
          if (masked.some((m) => m.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase() === value.name)) unguarded.push(`${field.name}(sort: ${value.name})`);
        }
      }
    }
    expect(unguarded).toEqual([]);
  });

  it('a viewer without readSensitive gets every masked field masked, wherever the walk met it', () => {
    const shown: Finding[] = [];
    const visit = (value: unknown, path: string) => {
      if (Array.isArray(value)) return value.forEach((v, i) => visit(v, `${path}[${i}]`));
      if (!value || typeof value !== 'object') return;
      const obj = value as Record<string, unknown>;
      for (const key of MASKED_FIELDS[modelOfType(String(obj.__typename)) as keyof typeof MASKED_FIELDS] ?? []) {
        const v = obj[key];
        if (typeof v === 'string' && !v.startsWith('••••')) shown.push({ path: `${path}.${key}`, value: v });
      }
      for (const [key, v] of Object.entries(obj)) visit(v, `${path}.${key}`);
    };
    let met = 0;
    for (const [label, answer] of answersOf.get('viewer A')!) {
      visit(answer, label);
      met += JSON.stringify(answer).split('••••').length - 1;
    }
    expect(met).toBeGreaterThan(0);
    expect(shown.slice(0, 10)).toEqual([]);
  });

  const account = () => world.payouts.find((p) => p.merchantId === world.a.id)!.recipientAccount!;

  it('a viewer who sees recipient accounts masked is refused a recipientAccount filter (MASKED_FIELD_FILTER), and its search ignores them', async () => {
    const viewer = principals.find((p) => p.name === 'viewer A')!;
    const masked = await ok(viewer, `{ payouts(first: 50) { nodes { recipientAccount } } }`);
    expect(masked.payouts.nodes.every((n: any) => n.recipientAccount.startsWith('••••'))).toBe(true);

    const filtered = await send(viewer, `query($a: String) { payouts(filter: { recipientAccount: $a }) { totalCount } }`, { a: account() });
    expect(filtered.errors?.[0]?.extensions).toMatchObject({ code: 'MASKED_FIELD_FILTER', field: 'recipientAccount' });
    const wrong = await send(viewer, `query($a: String) { payouts(filter: { recipientAccount: $a }) { totalCount } }`, { a: '000000000000' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('MASKED_FIELD_FILTER');

    const searched = await ok(viewer, `query($a: String) { payouts(filter: { search: $a }) { totalCount } }`, { a: account() });
    expect(searched.payouts.totalCount).toBe(0);
  });

  it('exports with such a filter are refused to those who see the field masked', async () => {
    const support = principals.find((p) => p.name === 'support')!;
    for (const filter of [{ recipientAccount: account() }, { search: account() }]) {
      const res = await send(support, `mutation($f: PayoutFilter) { createExport(kind: PAYOUTS, payoutFilter: $f) { id } }`, { f: filter });
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(filter)).toBe('MASKED_FIELD_FILTER');
    }
  });

  it('whoever sees them unmasked may filter and search by them', async () => {
    for (const name of ['owner A', 'operator A', 'finance']) {
      const p = principals.find((x) => x.name === name)!;
      const data = await ok(p, `query($a: String) { byFilter: payouts(filter: { recipientAccount: $a }) { totalCount } bySearch: payouts(filter: { search: $a }) { totalCount } }`, { a: account() });
      expect(data, name).toEqual({ byFilter: { totalCount: 1 }, bySearch: { totalCount: 1 } });
    }
  });

  it('merchants cannot sort channels by routing priority', async () => {
    const owner = principals.find((p) => p.name === 'owner A')!;
    const res = await send(owner, `{ channels(sort: { field: PRIORITY, direction: ASC }) { totalCount } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CHANNEL_INTERNALS' });
    const admin = principals.find((p) => p.name === 'admin')!;
    expect((await send(admin, `{ channels(sort: { field: PRIORITY, direction: ASC }) { totalCount } }`)).errors).toBeUndefined();
  });
});
