import type { Ability, RawRuleOf } from '@casl/ability';
import { packRules } from '@casl/ability/extra';
import {
  accessibleBy,
  createPrismaAbility,
  type PrismaQueryOf,
  type Subjects,
  type WhereInputOf,
} from '@casl/prisma/runtime';
import type {
  ApiToken,
  App,
  AuditLog,
  Channel,
  ChannelService,
  Currency,
  DailyStatement,
  Delivery,
  DeliveryAttempt,
  Export,
  FundRequest,
  FxRate,
  LedgerAccount,
  LedgerEntry,
  LedgerTransaction,
  Merchant,
  MerchantDestination,
  MerchantService,
  Order,
  OrderEvent,
  Payment,
  Payout,
  PayoutEvent,
  Prisma,
  RiskRule,
  Role,
  Service,
  Setting,
  User,
} from '../../generated/prisma/client.ts';
import { PERMISSIONS, type PermissionCode } from './permissions.ts';
import type { Viewer } from './viewer.ts';

/**
 * The CASL ability: one per request, built from the viewer. It decides every resolver
 * (`ability.can('review', subject('Payout', payout))`), every list's row filter in SQL
 * (`accessibleWhere(ability, 'read', 'Order')`), the subscription filter, and what the SPA shows (the
 * same rules, packed, go to the client through `me { abilityRules }`).
 *
 * Conditions are Prisma `WhereInput`s (@casl/prisma). The client is generated to
 * `src/generated/prisma`, so everything comes from `@casl/prisma/runtime` typed against our
 * `Prisma.TypeMap` (the `@casl/prisma` main entry imports `@prisma/client`, which is not our client).
 *
 * ## Scope
 * - A user holding a GLOBAL-scope role (platform staff, `viewer.global`) gets each permission without a
 *   merchant condition: it applies to every merchant.
 * - A merchant member (MERCHANT-scope roles) and an API token get each permission with the condition
 *   "row belongs to my merchant": `{ merchantId }` on models that carry it, through the relation on
 *   the others (Payment `{ order: { is: { merchantId } } }`, LedgerEntry `{ account: { is: { merchantId } } }`,
 *   LedgerTransaction `{ entries: { some: { account: { is: { merchantId } } } } }`, Merchant `{ id }`).
 * - PLATFORM-ONLY codes (marked P below: approving payouts, overriding statuses, marking fraud,
 *   reviewing fund requests, adjusting the ledger, platform configuration) grant nothing in a
 *   MERCHANT-scope role: a merchant can never approve its own payout or credit its own balance.
 * - 1014 OPERATION_PAYMENT_WRITE always means "the merchant I am signed in for" (seed 001), even in a
 *   GLOBAL role (staff without a merchant get nothing from it). 1021 OPERATION_PAYMENT_GLOBAL_WRITE is
 *   "any merchant" only for staff; in a MERCHANT-scope role it is the same as 1014 (own merchant).
 * - A session that still owes its second factor (`mfaVerified = false`) has no rules at all.
 * - Administrator: a GLOBAL viewer holding every permission code gets `manage all`.
 *
 * ## Baseline (every signed-in, verified viewer)
 * read Currency, Service, FxRate (public reference data); users: read their own User row and their own
 * Export rows; merchant members and tokens: read their own Merchant; staff: read every Merchant,
 * Channel, ChannelService and MerchantService (they pick merchants and channels everywhere).
 *
 * ## Permission table ("own" = the merchant condition above when merchant-scoped)
 * | code | name                            | rules                                                              |
 * |------|---------------------------------|--------------------------------------------------------------------|
 * | 1001 | PAYIN_READ                      | read Order, Payment, OrderEvent; read Delivery/DeliveryAttempt of orders (orderId not null) |
 * | 1002 | PAYOUT_READ                     | read Payout, PayoutEvent; read Delivery/DeliveryAttempt of payouts (payoutId not null) |
 * | 1003 | PAYIN_WRITE                     | update (close …), simulate Order; readSensitive Order, Payment       |
 * | 1004 | PAYOUT_WRITE                    | update (cancel …), simulate Payout; readSensitive Payout             |
 * | 1005 | PAYOUT_REVIEW (P)               | review Payout; readSensitive Payout                                  |
 * | 1006 | ORDER_STATUS_OVERRIDE (P)       | override Order, Payout                                               |
 * | 1007 | ORDER_MARK_FRAUD (P)            | markFraud Order, Payout                                              |
 * | 1008 | CALLBACK_RESEND                 | resend Delivery, Order, Payout                                       |
 * | 1014 | OPERATION_PAYMENT_WRITE         | create Order, Payout for own merchant; read own MerchantService; read Channel, ChannelService (merchant-scoped: enabled channels bound to a service the merchant has, and their enabled bindings) |
 * | 1021 | OPERATION_PAYMENT_GLOBAL_WRITE  | create Order, Payout for any merchant (staff); read Merchant, MerchantService, Channel, ChannelService; merchant-scoped = 1014 |
 * | 2001 | BALANCE_READ                    | read LedgerAccount; read FundRequest (own and incoming transfers); read Delivery of fund requests |
 * | 2002 | FUND_REQUEST_CREATE             | create, update (cancel), read FundRequest; create/read/update/delete/readSensitive MerchantDestination |
 * | 2003 | FUND_REQUEST_REVIEW (P)         | review, read FundRequest; read, readSensitive MerchantDestination; read LedgerAccount |
 * | 2004 | STATEMENT_READ                  | read DailyStatement                                                  |
 * | 2005 | LEDGER_READ                     | read LedgerAccount, LedgerEntry, LedgerTransaction                   |
 * | 2006 | LEDGER_ADJUST (P)               | adjust LedgerAccount                                                 |
 * | 3001 | EXPORT_CREATE                   | create Export; export Order, Payout, LedgerEntry, DailyStatement, FundRequest |
 * | 3002 | EXPORT_READ                     | read Export                                                          |
 * | 4001 | APP_READ                        | read App                                                             |
 * | 4002 | APP_WRITE                       | create, update, delete App                                           |
 * | 4003 | MERCHANT_INFO_READ              | read Merchant, MerchantService                                       |
 * | 4004 | TEAM_READ                       | read User; read Role (merchant-scoped: built-in MERCHANT roles and the merchant's own roles) |
 * | 4005 | TEAM_WRITE                      | create, update, delete User; create, update, delete Role (merchant-scoped: own custom roles) |
 * | 4006 | API_TOKEN_WRITE                 | read, create, update, delete ApiToken                                |
 * | 5001 | MERCHANT_MANAGE (P)             | manage Merchant, App, MerchantService; read, delete ApiToken         |
 * | 5002 | CATALOG_MANAGE (P)              | manage Service, Channel, ChannelService, Currency, MerchantService   |
 * | 5003 | RISK_MANAGE (P)                 | manage RiskRule                                                      |
 * | 5004 | FX_MANAGE (P)                   | manage FxRate                                                        |
 * | 5005 | USER_MANAGE (P)                 | manage User; read Role                                               |
 * | 5006 | ROLE_MANAGE (P)                 | manage Role                                                          |
 * | 5007 | AUDIT_READ                      | read AuditLog                                                        |
 * | 5008 | SETTINGS_MANAGE (P)             | manage Setting                                                       |
 *
 * `readSensitive` is the action that unmasks card, account and ID numbers (see graphql/lists/masking.ts).
 */

export type Action =
  | 'manage'
  | 'read'
  | 'readSensitive'
  | 'create'
  | 'update'
  | 'delete'
  | 'review'
  | 'resend'
  | 'simulate'
  | 'override'
  | 'markFraud'
  | 'adjust'
  | 'export';

export const ACTIONS: readonly Action[] = [
  'manage', 'read', 'readSensitive', 'create', 'update', 'delete', 'review', 'resend', 'simulate', 'override', 'markFraud', 'adjust', 'export',
];

/** The Prisma models the ability speaks about. */
export type AppModels = {
  Order: Order;
  Payment: Payment;
  OrderEvent: OrderEvent;
  Payout: Payout;
  PayoutEvent: PayoutEvent;
  Delivery: Delivery;
  DeliveryAttempt: DeliveryAttempt;
  LedgerAccount: LedgerAccount;
  LedgerEntry: LedgerEntry;
  LedgerTransaction: LedgerTransaction;
  DailyStatement: DailyStatement;
  FundRequest: FundRequest;
  MerchantDestination: MerchantDestination;
  Export: Export;
  AuditLog: AuditLog;
  Merchant: Merchant;
  App: App;
  MerchantService: MerchantService;
  Service: Service;
  Channel: Channel;
  ChannelService: ChannelService;
  User: User;
  Role: Role;
  RiskRule: RiskRule;
  FxRate: FxRate;
  ApiToken: ApiToken;
  Setting: Setting;
  Currency: Currency;
};

export type ModelName = keyof AppModels;

export const MODEL_NAMES: readonly ModelName[] = [
  'Order', 'Payment', 'OrderEvent', 'Payout', 'PayoutEvent', 'Delivery', 'DeliveryAttempt', 'LedgerAccount', 'LedgerEntry',
  'LedgerTransaction', 'DailyStatement', 'FundRequest', 'MerchantDestination', 'Export', 'AuditLog', 'Merchant', 'App',
  'MerchantService', 'Service', 'Channel', 'ChannelService', 'User', 'Role', 'RiskRule', 'FxRate', 'ApiToken', 'Setting', 'Currency',
];

export type AppSubjects = Subjects<AppModels> | 'all';
export type PrismaQuery = PrismaQueryOf<Prisma.TypeMap>;
export type WhereInput<M extends ModelName> = WhereInputOf<Prisma.TypeMap, M>;

/** A @casl/prisma ability over our generated Prisma client's models. */
export type AppAbility = Ability<[Action, AppSubjects], PrismaQuery>;
export type AppRawRule = RawRuleOf<AppAbility>;

type Condition = Record<string, unknown>;
/** Builds a rule's condition: `merchantId` is the viewer's merchant, or null for a global (staff) grant. */
type ConditionOf = (merchantId: string | null) => Condition | undefined;

interface Grant {
  action: Action | Action[];
  subject: ModelName | ModelName[];
  /** Defaults to the model's "belongs to my merchant" condition (OWN), nothing for staff. */
  when?: ConditionOf;
}

/** "Row belongs to merchant m" per model; models a merchant never owns have none (staff only). */
const OWN: Record<ModelName, ConditionOf> = {
  Order: (m) => (m ? { merchantId: m } : undefined),
  Payout: (m) => (m ? { merchantId: m } : undefined),
  Delivery: (m) => (m ? { merchantId: m } : undefined),
  DailyStatement: (m) => (m ? { merchantId: m } : undefined),
  FundRequest: (m) => (m ? { merchantId: m } : undefined),
  MerchantDestination: (m) => (m ? { merchantId: m } : undefined),
  Export: (m) => (m ? { merchantId: m } : undefined),
  AuditLog: (m) => (m ? { merchantId: m } : undefined),
  App: (m) => (m ? { merchantId: m } : undefined),
  MerchantService: (m) => (m ? { merchantId: m } : undefined),
  ApiToken: (m) => (m ? { merchantId: m } : undefined),
  RiskRule: (m) => (m ? { merchantId: m } : undefined),
  User: (m) => (m ? { merchantId: m } : undefined),
  Role: (m) => (m ? { merchantId: m } : undefined),
  LedgerAccount: (m) => (m ? { merchantId: m } : undefined),
  Merchant: (m) => (m ? { id: m } : undefined),
  Payment: (m) => (m ? { order: { is: { merchantId: m } } } : undefined),
  OrderEvent: (m) => (m ? { order: { is: { merchantId: m } } } : undefined),
  PayoutEvent: (m) => (m ? { payout: { is: { merchantId: m } } } : undefined),
  DeliveryAttempt: (m) => (m ? { delivery: { is: { merchantId: m } } } : undefined),
  LedgerEntry: (m) => (m ? { account: { is: { merchantId: m } } } : undefined),
  LedgerTransaction: (m) => (m ? { entries: { some: { account: { is: { merchantId: m } } } } } : undefined),
  // Platform-owned: a merchant-scoped grant on these needs an explicit `when`.
  Service: () => undefined,
  Channel: () => undefined,
  ChannelService: () => undefined,
  FxRate: () => undefined,
  Setting: () => undefined,
  Currency: () => undefined,
};

const MERCHANT_OWNED_ONLY: ReadonlySet<ModelName> = new Set(['Service', 'Channel', 'ChannelService', 'FxRate', 'Setting', 'Currency']);

const own = (m: string | null): Condition => (m ? { merchantId: m } : {});

/** Channels a merchant may pick when creating a test order: enabled and bound to one of its services (a binding only with its channel). */
const merchantChannel: ConditionOf = (m) =>
  m ? { status: 'ENABLED', services: { some: { service: { is: { merchantServices: { some: { merchantId: m } } } } } } } : undefined;
const merchantChannelService: ConditionOf = (m) =>
  m ? { status: 'ENABLED', channel: { is: { status: 'ENABLED' } }, service: { is: { merchantServices: { some: { merchantId: m } } } } } : undefined;

const P = PERMISSIONS;

/** Codes that mean nothing for a merchant's own members (see the table). */
export const PLATFORM_ONLY_CODES: ReadonlySet<number> = new Set<number>([
  P.PAYOUT_REVIEW, P.ORDER_STATUS_OVERRIDE, P.ORDER_MARK_FRAUD, P.FUND_REQUEST_REVIEW, P.LEDGER_ADJUST, P.MERCHANT_MANAGE,
  P.CATALOG_MANAGE, P.RISK_MANAGE, P.FX_MANAGE, P.USER_MANAGE, P.ROLE_MANAGE, P.SETTINGS_MANAGE,
]);

const OPERATION_PAYMENT: Grant[] = [
  { action: 'create', subject: ['Order', 'Payout'] },
  { action: 'read', subject: 'MerchantService' },
  { action: 'read', subject: 'Channel', when: merchantChannel },
  { action: 'read', subject: 'ChannelService', when: merchantChannelService },
];

/** Permission code → grants. Keep in step with the table above. */
export const PERMISSION_GRANTS: Readonly<Record<PermissionCode, readonly Grant[]>> = {
  [P.PAYIN_READ]: [
    { action: 'read', subject: ['Order', 'Payment', 'OrderEvent'] },
    { action: 'read', subject: 'Delivery', when: (m) => ({ ...own(m), orderId: { not: null } }) },
    { action: 'read', subject: 'DeliveryAttempt', when: (m) => ({ delivery: { is: { ...own(m), orderId: { not: null } } } }) },
  ],
  [P.PAYOUT_READ]: [
    { action: 'read', subject: ['Payout', 'PayoutEvent'] },
    { action: 'read', subject: 'Delivery', when: (m) => ({ ...own(m), payoutId: { not: null } }) },
    { action: 'read', subject: 'DeliveryAttempt', when: (m) => ({ delivery: { is: { ...own(m), payoutId: { not: null } } } }) },
  ],
  [P.PAYIN_WRITE]: [
    { action: ['update', 'simulate'], subject: 'Order' },
    { action: 'readSensitive', subject: ['Order', 'Payment'] },
  ],
  [P.PAYOUT_WRITE]: [
    { action: ['update', 'simulate'], subject: 'Payout' },
    { action: 'readSensitive', subject: 'Payout' },
  ],
  [P.PAYOUT_REVIEW]: [{ action: ['review', 'readSensitive'], subject: 'Payout' }],
  [P.ORDER_STATUS_OVERRIDE]: [{ action: 'override', subject: ['Order', 'Payout'] }],
  [P.ORDER_MARK_FRAUD]: [{ action: 'markFraud', subject: ['Order', 'Payout'] }],
  [P.CALLBACK_RESEND]: [{ action: 'resend', subject: ['Delivery', 'Order', 'Payout'] }],
  [P.OPERATION_PAYMENT_WRITE]: OPERATION_PAYMENT,
  [P.OPERATION_PAYMENT_GLOBAL_WRITE]: [...OPERATION_PAYMENT, { action: 'read', subject: 'Merchant' }],
  [P.BALANCE_READ]: [
    { action: 'read', subject: 'LedgerAccount' },
    { action: 'read', subject: 'FundRequest' },
    { action: 'read', subject: 'FundRequest', when: (m) => (m ? { targetMerchantId: m } : undefined) },
    { action: 'read', subject: 'Delivery', when: (m) => ({ ...own(m), fundRequestId: { not: null } }) },
    { action: 'read', subject: 'DeliveryAttempt', when: (m) => ({ delivery: { is: { ...own(m), fundRequestId: { not: null } } } }) },
  ],
  [P.FUND_REQUEST_CREATE]: [
    { action: ['create', 'update', 'read'], subject: 'FundRequest' },
    { action: ['create', 'read', 'update', 'delete', 'readSensitive'], subject: 'MerchantDestination' },
  ],
  [P.FUND_REQUEST_REVIEW]: [
    { action: ['review', 'read'], subject: 'FundRequest' },
    { action: ['read', 'readSensitive'], subject: 'MerchantDestination' },
    { action: 'read', subject: 'LedgerAccount' },
  ],
  [P.STATEMENT_READ]: [{ action: 'read', subject: 'DailyStatement' }],
  [P.LEDGER_READ]: [{ action: 'read', subject: ['LedgerAccount', 'LedgerEntry', 'LedgerTransaction'] }],
  [P.LEDGER_ADJUST]: [{ action: 'adjust', subject: 'LedgerAccount' }],
  [P.EXPORT_CREATE]: [
    { action: 'create', subject: 'Export' },
    { action: 'export', subject: ['Order', 'Payout', 'LedgerEntry', 'DailyStatement', 'FundRequest'] },
  ],
  [P.EXPORT_READ]: [{ action: 'read', subject: 'Export' }],
  [P.APP_READ]: [{ action: 'read', subject: 'App' }],
  [P.APP_WRITE]: [{ action: ['create', 'update', 'delete'], subject: 'App' }],
  [P.MERCHANT_INFO_READ]: [{ action: 'read', subject: ['Merchant', 'MerchantService'] }],
  [P.TEAM_READ]: [
    { action: 'read', subject: 'User' },
    { action: 'read', subject: 'Role', when: (m) => (m ? { OR: [{ builtIn: true, scope: 'MERCHANT' }, { merchantId: m }] } : undefined) },
  ],
  [P.TEAM_WRITE]: [
    { action: ['create', 'update', 'delete'], subject: 'User' },
    { action: ['create', 'update', 'delete'], subject: 'Role', when: (m) => (m ? { merchantId: m, builtIn: false } : undefined) },
  ],
  [P.API_TOKEN_WRITE]: [{ action: ['read', 'create', 'update', 'delete'], subject: 'ApiToken' }],
  [P.MERCHANT_MANAGE]: [
    { action: 'manage', subject: ['Merchant', 'App', 'MerchantService'] },
    { action: ['read', 'delete'], subject: 'ApiToken' },
  ],
  [P.CATALOG_MANAGE]: [{ action: 'manage', subject: ['Service', 'Channel', 'ChannelService', 'Currency', 'MerchantService'] }],
  [P.RISK_MANAGE]: [{ action: 'manage', subject: 'RiskRule' }],
  [P.FX_MANAGE]: [{ action: 'manage', subject: 'FxRate' }],
  [P.USER_MANAGE]: [
    { action: 'manage', subject: 'User' },
    { action: 'read', subject: 'Role' },
  ],
  [P.ROLE_MANAGE]: [{ action: 'manage', subject: 'Role' }],
  [P.AUDIT_READ]: [{ action: 'read', subject: 'AuditLog' }],
  [P.SETTINGS_MANAGE]: [{ action: 'manage', subject: 'Setting' }],
};

const ALL_CODES = Object.values(PERMISSIONS) as number[];

/** The raw CASL rules of a viewer (what `defineAbilityFor` builds and `packAbility` ships). */
export function rulesFor(viewer: Viewer): AppRawRule[] {
  if (viewer.kind === 'anonymous') return [];
  if (viewer.kind === 'user' && (!viewer.mfaVerified || viewer.passwordChangeRequired)) return [];

  const rules: AppRawRule[] = [];
  const add = (action: Action | Action[], subject: ModelName | ModelName[] | 'all', conditions?: Condition) => {
    rules.push({ action, subject, ...(conditions ? { conditions } : {}) } as AppRawRule);
  };

  const staff = viewer.kind === 'user' && viewer.global;
  if (staff && ALL_CODES.every((code) => viewer.permissions.has(code))) {
    add('manage', 'all');
    return rules;
  }
  // Staff grants carry no merchant condition; merchant members and tokens always carry theirs.
  const scopeMerchant = staff ? null : viewer.merchantId;
  if (!staff && !scopeMerchant) {
    // A merchant-scope role on a user without a merchant: nothing to scope to, so nothing at all.
    add('read', ['Currency', 'Service', 'FxRate']);
    if (viewer.kind === 'user') add('read', 'User', { id: viewer.userId });
    return rules;
  }

  // Baseline.
  add('read', ['Currency', 'Service', 'FxRate']);
  if (viewer.kind === 'user') {
    add('read', 'User', { id: viewer.userId });
    add('read', 'Export', { userId: viewer.userId });
  }
  if (staff) add('read', ['Merchant', 'Channel', 'ChannelService', 'MerchantService']);
  else add('read', 'Merchant', { id: scopeMerchant });

  for (const code of viewer.permissions) {
    if (!staff && PLATFORM_ONLY_CODES.has(code)) continue;
    const grants = PERMISSION_GRANTS[code as PermissionCode];
    if (!grants) continue;
    // 1014 is "the merchant I am signed in for" even in a GLOBAL role (seed 001); staff without a merchant get nothing from it.
    const merchant = code === P.OPERATION_PAYMENT_WRITE ? viewer.merchantId : scopeMerchant;
    if (code === P.OPERATION_PAYMENT_WRITE && !merchant) continue;
    for (const grant of grants) {
      const subjects = Array.isArray(grant.subject) ? grant.subject : [grant.subject];
      for (const subject of subjects) {
        const conditions = grant.when ? grant.when(merchant) : OWN[subject](merchant);
        // A merchant-scoped grant must be narrowed to the merchant: never let it through unconditioned.
        if (merchant && !conditions) {
          if (MERCHANT_OWNED_ONLY.has(subject)) continue;
          throw new Error(`permission ${code} on ${subject} has no merchant condition`);
        }
        add(grant.action, subject, conditions);
      }
    }
  }
  return rules;
}

/** The ability of one request. */
export function defineAbilityFor(viewer: Viewer): AppAbility {
  return createPrismaAbility<AppAbility>(rulesFor(viewer));
}

/** The ability's rules packed for the SPA (`@casl/ability/extra` unpackRules + `createPrismaAbility` there). */
export function packAbility(ability: AppAbility): unknown[] {
  return packRules(ability.rules as AppRawRule[]);
}

/** Primary key of each model, for the "no rows" condition. */
const PRIMARY_KEY: Partial<Record<ModelName, string>> = { Currency: 'code', Setting: 'key' };

/**
 * The Prisma `where` of the rows of `model` the ability allows `action` on; AND it with the list's own
 * filters (`{ AND: [accessibleWhere(…), filters] }`), use it in a relation filter, in `node()` lookups.
 *
 * No matching rule gives `{ <primary key>: { in: [] } }`: zero rows wherever it is nested. Not
 * @casl/prisma's own `{ OR: [] }`, which Prisma 7 treats as "no rows" only at the top level and
 * silently drops inside `AND: [...]` (matching every row): measured, see test/ability.test.ts.
 */
export function accessibleWhere<M extends ModelName>(ability: AppAbility, action: Action, model: M): WhereInput<M> {
  const where = accessibleBy(ability, action).ofType(model as never) as Record<string, unknown>;
  if (isEmptyOr(where)) return { [PRIMARY_KEY[model] ?? 'id']: { in: [] } } as WhereInput<M>;
  return where as WhereInput<M>;
}

function isEmptyOr(where: Record<string, unknown>): boolean {
  const keys = Object.keys(where);
  return keys.length === 1 && Array.isArray(where.OR) && where.OR.length === 0;
}
