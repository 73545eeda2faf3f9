import { randomBytes } from 'node:crypto';
import { subject } from '@casl/ability';
import { unpackRules } from '@casl/ability/extra';
import { createPrismaAbility } from '@casl/prisma/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../src/lib/crypto.ts';
import { accessibleWhere, defineAbilityFor, packAbility, type Action, type AppAbility, type ModelName } from '../src/modules/auth/ability.ts';
import { BUILT_IN_ROLES, PERMISSIONS, type BuiltInRole } from '../src/modules/auth/permissions.ts';
import type { Viewer } from '../src/modules/auth/viewer.ts';
import { recordAudit } from '../src/modules/audit/audit.service.ts';
import { seedDemoData } from '../src/modules/demo/demo-seed.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

const A = '0190a5e0-0000-7000-8000-00000000000a';
const B = '0190a5e0-0000-7000-8000-00000000000b';
const P = PERMISSIONS;

function role(key: BuiltInRole['key']): BuiltInRole {
  return BUILT_IN_ROLES.find((r) => r.key === key)!;
}

function userViewer(permissions: Iterable<number>, opts: { global: boolean; merchantId?: string | null; mfaVerified?: boolean; passwordChangeRequired?: boolean; userId?: string }): Viewer {
  return {
    kind: 'user',
    userId: opts.userId ?? '0190a5e0-0000-7000-8000-0000000000ff',
    email: 'someone@test.payrail.local',
    name: 'Someone',
    merchantId: opts.merchantId ?? null,
    global: opts.global,
    permissions: new Set(permissions),
    mfaVerified: opts.mfaVerified ?? true,
    passwordChangeRequired: opts.passwordChangeRequired ?? false,
    sessionId: 's',
  };
}

/** The viewer of a built-in role; merchant roles belong to merchant A. */
function viewerOf(key: BuiltInRole['key'], merchantId: string = A): Viewer {
  const r = role(key);
  return userViewer(r.permissions, { global: r.scope === 'GLOBAL', merchantId: r.scope === 'MERCHANT' ? merchantId : null });
}

const can = (ability: AppAbility, action: Action, model: ModelName, row: Record<string, unknown>) => ability.can(action, subject(model, { ...row }) as never);

describe('defineAbilityFor: what each built-in role can and cannot do', () => {
  const ownOrder = { merchantId: A, status: 'PENDING' };
  const otherOrder = { merchantId: B, status: 'PENDING' };

  it('Administrator manages everything', () => {
    const ability = defineAbilityFor(viewerOf('ADMINISTRATOR'));
    for (const [action, model] of [
      ['adjust', 'LedgerAccount'], ['delete', 'User'], ['review', 'Payout'], ['manage', 'Setting'], ['read', 'AuditLog'], ['readSensitive', 'Order'],
    ] as const) {
      expect(can(ability, action, model, { merchantId: B }), `${action} ${model}`).toBe(true);
    }
    expect(accessibleWhere(ability, 'read', 'Order')).toEqual({});
  });

  it('Finance reviews payouts and fund requests, adjusts the ledger, reads audit; creates no orders, marks no fraud', () => {
    const ability = defineAbilityFor(viewerOf('FINANCE'));
    expect(can(ability, 'review', 'Payout', otherOrder)).toBe(true);
    expect(can(ability, 'readSensitive', 'Payout', otherOrder)).toBe(true);
    expect(can(ability, 'review', 'FundRequest', { merchantId: B })).toBe(true);
    expect(can(ability, 'readSensitive', 'MerchantDestination', { merchantId: B })).toBe(true);
    expect(can(ability, 'adjust', 'LedgerAccount', { merchantId: B })).toBe(true);
    expect(can(ability, 'read', 'AuditLog', { merchantId: B })).toBe(true);
    expect(can(ability, 'read', 'Order', otherOrder)).toBe(true);
    expect(can(ability, 'create', 'Order', otherOrder)).toBe(false);
    expect(can(ability, 'markFraud', 'Order', otherOrder)).toBe(false);
    expect(can(ability, 'resend', 'Delivery', { merchantId: B })).toBe(false);
    expect(can(ability, 'readSensitive', 'Order', otherOrder)).toBe(false);
    expect(can(ability, 'update', 'Merchant', { id: B })).toBe(false);
    expect(can(ability, 'read', 'User', { id: 'someone-else', merchantId: B })).toBe(false);
  });

  it('Support Agent works transactions of every merchant but reviews nothing and reads no audit log', () => {
    const ability = defineAbilityFor(viewerOf('SUPPORT_AGENT'));
    expect(can(ability, 'create', 'Order', otherOrder)).toBe(true); // 1021
    expect(can(ability, 'create', 'Payout', otherOrder)).toBe(true);
    expect(can(ability, 'update', 'Order', otherOrder)).toBe(true);
    expect(can(ability, 'resend', 'Delivery', { merchantId: B })).toBe(true);
    expect(can(ability, 'markFraud', 'Order', otherOrder)).toBe(true);
    expect(can(ability, 'readSensitive', 'Order', otherOrder)).toBe(true);
    expect(can(ability, 'review', 'Payout', otherOrder)).toBe(false);
    expect(can(ability, 'update', 'Payout', otherOrder)).toBe(false);
    expect(can(ability, 'adjust', 'LedgerAccount', { merchantId: B })).toBe(false);
    expect(can(ability, 'read', 'AuditLog', { merchantId: B })).toBe(false);
    expect(can(ability, 'override', 'Order', otherOrder)).toBe(false);
  });

  it('Merchant Owner does everything on its own merchant and nothing on another', () => {
    const ability = defineAbilityFor(viewerOf('MERCHANT_OWNER'));
    for (const [action, model] of [
      ['read', 'Order'], ['create', 'Order'], ['create', 'Payout'], ['update', 'Order'], ['simulate', 'Order'], ['resend', 'Delivery'],
      ['create', 'ApiToken'], ['delete', 'ApiToken'], ['create', 'App'], ['update', 'App'], ['create', 'User'], ['create', 'FundRequest'],
      ['readSensitive', 'MerchantDestination'], ['read', 'LedgerAccount'], ['create', 'Export'], ['export', 'Order'],
    ] as const) {
      expect(can(ability, action, model, { merchantId: A }), `${action} own ${model}`).toBe(true);
      expect(can(ability, action, model, { merchantId: B }), `${action} other ${model}`).toBe(false);
    }
    expect(can(ability, 'read', 'Merchant', { id: A })).toBe(true);
    expect(can(ability, 'read', 'Merchant', { id: B })).toBe(false);
    expect(can(ability, 'read', 'Payment', { order: { merchantId: A } })).toBe(true);
    expect(can(ability, 'read', 'Payment', { order: { merchantId: B } })).toBe(false);
    // Platform-only actions, even on its own rows.
    for (const [action, model] of [['review', 'Payout'], ['override', 'Order'], ['markFraud', 'Order'], ['adjust', 'LedgerAccount'], ['review', 'FundRequest'], ['update', 'Merchant']] as const) {
      expect(can(ability, action, model, { merchantId: A, id: A }), `${action} ${model}`).toBe(false);
    }
    expect(can(ability, 'read', 'AuditLog', { merchantId: A })).toBe(false);
    expect(can(ability, 'read', 'RiskRule', { merchantId: A })).toBe(false);
    expect(accessibleWhere(ability, 'read', 'Order')).toEqual({ OR: [{ merchantId: A }] });
    expect(accessibleWhere(ability, 'read', 'LedgerEntry')).toEqual({ OR: [{ account: { is: { merchantId: A } } }] });
  });

  it('Merchant Operator works transactions but manages neither team, keys nor funds', () => {
    const ability = defineAbilityFor(viewerOf('MERCHANT_OPERATOR'));
    expect(can(ability, 'create', 'Order', { merchantId: A })).toBe(true);
    expect(can(ability, 'update', 'Payout', { merchantId: A })).toBe(true);
    expect(can(ability, 'resend', 'Order', { merchantId: A })).toBe(true);
    expect(can(ability, 'read', 'User', { merchantId: A })).toBe(true);
    expect(can(ability, 'create', 'Order', { merchantId: B })).toBe(false);
    expect(can(ability, 'create', 'ApiToken', { merchantId: A })).toBe(false);
    expect(can(ability, 'create', 'App', { merchantId: A })).toBe(false);
    expect(can(ability, 'create', 'User', { merchantId: A })).toBe(false);
    expect(can(ability, 'create', 'FundRequest', { merchantId: A })).toBe(false);
    expect(can(ability, 'read', 'MerchantDestination', { merchantId: A })).toBe(false);
  });

  it('Merchant Viewer only reads its own merchant', () => {
    const ability = defineAbilityFor(viewerOf('MERCHANT_VIEWER'));
    for (const model of ['Order', 'Payout', 'LedgerAccount', 'DailyStatement', 'FundRequest', 'App', 'MerchantService', 'Export'] as const) {
      expect(can(ability, 'read', model, { merchantId: A }), model).toBe(true);
      expect(can(ability, 'read', model, { merchantId: B }), model).toBe(false);
    }
    for (const action of ['create', 'update', 'delete', 'resend', 'simulate', 'readSensitive', 'export'] as const) {
      expect(can(ability, action, 'Order', { merchantId: A }), action).toBe(false);
    }
    expect(can(ability, 'read', 'User', { id: 'other-user', merchantId: A })).toBe(false);
    expect(can(ability, 'read', 'ApiToken', { merchantId: A })).toBe(false);
  });

  it('1014 creates for the own merchant only, 1021 for any merchant when held by staff', () => {
    const merchant1014 = defineAbilityFor(userViewer([P.OPERATION_PAYMENT_WRITE], { global: false, merchantId: A }));
    expect(can(merchant1014, 'create', 'Order', { merchantId: A })).toBe(true);
    expect(can(merchant1014, 'create', 'Payout', { merchantId: A })).toBe(true);
    expect(can(merchant1014, 'create', 'Order', { merchantId: B })).toBe(false);
    expect(can(merchant1014, 'read', 'Order', { merchantId: A })).toBe(false); // creating is not reading

    const merchant1021 = defineAbilityFor(userViewer([P.OPERATION_PAYMENT_GLOBAL_WRITE], { global: false, merchantId: A }));
    expect(can(merchant1021, 'create', 'Order', { merchantId: A })).toBe(true);
    expect(can(merchant1021, 'create', 'Order', { merchantId: B })).toBe(false);

    const staff1021 = defineAbilityFor(userViewer([P.OPERATION_PAYMENT_GLOBAL_WRITE], { global: true }));
    expect(can(staff1021, 'create', 'Order', { merchantId: A })).toBe(true);
    expect(can(staff1021, 'create', 'Order', { merchantId: B })).toBe(true);
    expect(can(staff1021, 'read', 'Merchant', { id: B })).toBe(true);

    const staff1014 = defineAbilityFor(userViewer([P.OPERATION_PAYMENT_WRITE], { global: true }));
    expect(can(staff1014, 'create', 'Order', { merchantId: A })).toBe(false);
  });

  it('ignores platform-only codes in a merchant role', () => {
    const ability = defineAbilityFor(userViewer([P.PAYOUT_REVIEW, P.LEDGER_ADJUST, P.MERCHANT_MANAGE, P.USER_MANAGE], { global: false, merchantId: A }));
    expect(can(ability, 'review', 'Payout', { merchantId: A })).toBe(false);
    expect(can(ability, 'adjust', 'LedgerAccount', { merchantId: A })).toBe(false);
    expect(can(ability, 'update', 'Merchant', { id: A })).toBe(false);
    expect(can(ability, 'update', 'User', { merchantId: A })).toBe(false);
  });

  it('gives nothing to anonymous callers, to sessions that still owe the second factor and to users who must change their password', () => {
    expect(defineAbilityFor({ kind: 'anonymous' }).rules).toEqual([]);
    const pending = userViewer(role('ADMINISTRATOR').permissions, { global: true, mfaVerified: false });
    const ability = defineAbilityFor(pending);
    expect(ability.rules).toEqual([]);
    expect(accessibleWhere(ability, 'read', 'Order')).toEqual({ id: { in: [] } });
    expect(accessibleWhere(ability, 'read', 'Currency')).toEqual({ code: { in: [] } });
    // Nor to a user who must first replace a password an administrator set.
    const mustChange = userViewer(role('ADMINISTRATOR').permissions, { global: true, passwordChangeRequired: true });
    expect(defineAbilityFor(mustChange).rules).toEqual([]);
  });

  it('scopes an API token to its merchant and its codes', () => {
    const ability = defineAbilityFor({ kind: 'token', tokenId: 't', merchantId: A, permissions: new Set([P.PAYIN_READ, P.LEDGER_ADJUST]) });
    expect(can(ability, 'read', 'Order', { merchantId: A })).toBe(true);
    expect(can(ability, 'read', 'Order', { merchantId: B })).toBe(false);
    expect(can(ability, 'read', 'Payout', { merchantId: A })).toBe(false);
    expect(can(ability, 'adjust', 'LedgerAccount', { merchantId: A })).toBe(false);
  });

  it('ships rules the SPA can unpack into the same ability', () => {
    const ability = defineAbilityFor(viewerOf('MERCHANT_OPERATOR'));
    const packed = JSON.parse(JSON.stringify(packAbility(ability))) as never[];
    const client = createPrismaAbility(unpackRules(packed) as never) as AppAbility;
    for (const merchantId of [A, B]) {
      for (const action of ['read', 'create', 'update', 'resend'] as const) {
        expect(can(client, action, 'Order', { merchantId })).toBe(can(ability, action, 'Order', { merchantId }));
      }
    }
  });
});

/** Rows of `model` belonging to merchant m, written out independently of ability.ts. */
const OWNED_BY: Record<string, (m: string) => Record<string, unknown>> = {
  Order: (m) => ({ merchantId: m }),
  Payment: (m) => ({ order: { merchantId: m } }),
  OrderEvent: (m) => ({ order: { merchantId: m } }),
  Payout: (m) => ({ merchantId: m }),
  PayoutEvent: (m) => ({ payout: { merchantId: m } }),
  Delivery: (m) => ({ merchantId: m }),
  LedgerAccount: (m) => ({ merchantId: m }),
  LedgerEntry: (m) => ({ account: { merchantId: m } }),
  LedgerTransaction: (m) => ({ entries: { some: { account: { merchantId: m } } } }),
  FundRequest: (m) => ({ OR: [{ merchantId: m }, { targetMerchantId: m }] }),
  App: (m) => ({ merchantId: m }),
  MerchantService: (m) => ({ merchantId: m }),
  Merchant: (m) => ({ id: m }),
  ApiToken: (m) => ({ merchantId: m }),
  AuditLog: (m) => ({ merchantId: m }),
  User: (m) => ({ merchantId: m }),
};

const MERCHANT_READS: Record<'MERCHANT_OWNER' | 'MERCHANT_OPERATOR' | 'MERCHANT_VIEWER', string[]> = {
  MERCHANT_VIEWER: ['Order', 'Payment', 'OrderEvent', 'Payout', 'PayoutEvent', 'Delivery', 'LedgerAccount', 'LedgerEntry', 'LedgerTransaction', 'FundRequest', 'App', 'MerchantService', 'Merchant'],
  MERCHANT_OPERATOR: ['Order', 'Payment', 'OrderEvent', 'Payout', 'PayoutEvent', 'Delivery', 'LedgerAccount', 'LedgerEntry', 'LedgerTransaction', 'FundRequest', 'App', 'MerchantService', 'Merchant', 'User'],
  MERCHANT_OWNER: ['Order', 'Payment', 'OrderEvent', 'Payout', 'PayoutEvent', 'Delivery', 'LedgerAccount', 'LedgerEntry', 'LedgerTransaction', 'FundRequest', 'App', 'MerchantService', 'Merchant', 'User', 'ApiToken'],
};

describe('accessibleWhere against real rows (demo data, two merchants and more)', () => {
  let db: TestDatabase;
  let merchants: Array<{ id: string }>;
  const secrets = createSecretBox(randomBytes(32));

  // Prisma delegates by model name, for counting any model.
  const delegate = (model: string) => (db.prisma as unknown as Record<string, { count(args: unknown): Promise<number> }>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
  const count = (model: string, where: unknown) => delegate(model).count({ where });

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.prisma, { secrets, orders: 60 });
    merchants = await db.prisma.merchant.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    // Rows the demo seed does not make: deliveries, API tokens and audit rows for every merchant.
    for (const [i, m] of merchants.entries()) {
      const order = await db.prisma.order.findFirstOrThrow({ where: { merchantId: m.id } });
      const payout = await db.prisma.payout.findFirst({ where: { merchantId: m.id } });
      await db.prisma.delivery.create({ data: { eventId: `evt-o-${i}`, eventType: 'payin.status', merchantId: m.id, orderId: order.id, url: 'https://example.com/cb', body: '{}', sequence: 1 } });
      if (payout) await db.prisma.delivery.create({ data: { eventId: `evt-p-${i}`, eventType: 'payout.status', merchantId: m.id, payoutId: payout.id, url: 'https://example.com/cb', body: '{}', sequence: 1 } });
      await db.prisma.apiToken.create({ data: { merchantId: m.id, name: 't', tokenHash: randomBytes(32).toString('hex'), prefix: 'prt_x', permissions: [P.PAYIN_READ] } });
      await recordAudit(db.prisma, { type: 'SYSTEM' }, { action: 'test.row', merchantId: m.id });
    }
    await recordAudit(db.prisma, { type: 'SYSTEM' }, { action: 'test.platform_row' });
  }, 180_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('has data for at least two merchants in every model checked', async () => {
    expect(merchants.length).toBeGreaterThanOrEqual(2);
    for (const model of Object.keys(OWNED_BY)) {
      if (model === 'User') continue;
      for (const m of merchants.slice(0, 2)) expect(await count(model, OWNED_BY[model]!(m.id)), `${model} of ${m.id}`).toBeGreaterThan(0);
    }
  });

  for (const key of ['MERCHANT_OWNER', 'MERCHANT_OPERATOR', 'MERCHANT_VIEWER'] as const) {
    it(`${key} sees exactly its own merchant's rows, and nothing of models it may not read`, async () => {
      for (const m of merchants) {
        const ability = defineAbilityFor(viewerOf(key, m.id));
        for (const [model, owned] of Object.entries(OWNED_BY)) {
          const where = accessibleWhere(ability, 'read', model as ModelName);
          const visible = await count(model, where);
          const leaked = await count(model, { AND: [where, { NOT: owned(m.id) }] });
          expect(leaked, `${key} sees another merchant's ${model}`).toBe(0);
          if (model === 'User') continue; // checked below
          if (MERCHANT_READS[key].includes(model)) expect(visible, `${key} ${model}`).toBe(await count(model, owned(m.id)));
          else expect(visible, `${key} ${model}`).toBe(0);
        }
      }
    });
  }

  it('no rule means no rows, also nested in AND, OR and relation filters (unlike a bare { OR: [] })', async () => {
    const none = defineAbilityFor({ kind: 'anonymous' });
    expect(await count('Order', { OR: [] })).toBe(0);
    expect(await count('Order', { AND: [{ OR: [] }] })).toBeGreaterThan(0); // why accessibleWhere does not return it
    expect(await count('Order', accessibleWhere(none, 'read', 'Order'))).toBe(0);
    expect(await count('Order', { AND: [accessibleWhere(none, 'read', 'Order'), { status: { not: 'CLOSED' } }] })).toBe(0);
    expect(await count('Merchant', { orders: { some: accessibleWhere(none, 'read', 'Order') } })).toBe(0);
    expect(await count('Currency', { AND: [accessibleWhere(none, 'read', 'Currency')] })).toBe(0);
  });

  it('a merchant member sees its team only with TEAM_READ, else only itself', async () => {
    const m = merchants[0]!;
    const team = await db.prisma.user.findMany({ where: { merchantId: m.id }, select: { id: true } });
    expect(team.length).toBeGreaterThan(0);
    const operator = defineAbilityFor({ ...viewerOf('MERCHANT_OPERATOR', m.id), userId: team[0]!.id } as Viewer);
    expect(await count('User', accessibleWhere(operator, 'read', 'User'))).toBe(team.length);
    const viewer = defineAbilityFor({ ...viewerOf('MERCHANT_VIEWER', m.id), userId: team[0]!.id } as Viewer);
    expect(await count('User', accessibleWhere(viewer, 'read', 'User'))).toBe(1);
  });

  it('a merchant member with 1014 sees only enabled channels bound to its services', async () => {
    const m = merchants[0]!;
    const ability = defineAbilityFor(userViewer([P.OPERATION_PAYMENT_WRITE], { global: false, merchantId: m.id }));
    const visible = await db.prisma.channel.findMany({ where: accessibleWhere(ability, 'read', 'Channel'), select: { id: true }, orderBy: { id: 'asc' } });
    const expected = await db.prisma.channel.findMany({
      where: { status: 'ENABLED', services: { some: { service: { merchantServices: { some: { merchantId: m.id } } } } } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(await db.prisma.channel.count());
    expect(visible).toEqual(expected);
  });

  it('staff see every merchant, each within its permissions', async () => {
    const everything = ['Order', 'Payment', 'OrderEvent', 'Payout', 'PayoutEvent', 'Delivery', 'LedgerAccount', 'LedgerEntry', 'LedgerTransaction', 'FundRequest', 'App', 'MerchantService', 'Merchant'];
    const expectations: Record<'ADMINISTRATOR' | 'FINANCE' | 'SUPPORT_AGENT', { all: string[]; none: string[] }> = {
      ADMINISTRATOR: { all: [...everything, 'ApiToken', 'AuditLog', 'User', 'RiskRule', 'Channel'], none: [] },
      FINANCE: { all: [...everything, 'AuditLog', 'Channel'], none: ['ApiToken'] },
      SUPPORT_AGENT: { all: [...everything, 'Channel'], none: ['ApiToken', 'AuditLog', 'RiskRule'] },
    };
    for (const [key, expected] of Object.entries(expectations)) {
      const ability = defineAbilityFor(viewerOf(key as BuiltInRole['key']));
      for (const model of expected.all) {
        expect(await count(model, accessibleWhere(ability, 'read', model as ModelName)), `${key} ${model}`).toBe(await count(model, {}));
      }
      for (const model of expected.none) {
        expect(await count(model, accessibleWhere(ability, 'read', model as ModelName)), `${key} ${model}`).toBe(0);
      }
    }
  });

  it('an API token sees its merchant through its codes only', async () => {
    const m = merchants[1]!;
    const ability = defineAbilityFor({ kind: 'token', tokenId: 't', merchantId: m.id, permissions: new Set([P.PAYIN_READ]) });
    expect(await count('Order', accessibleWhere(ability, 'read', 'Order'))).toBe(await count('Order', { merchantId: m.id }));
    expect(await count('Payout', accessibleWhere(ability, 'read', 'Payout'))).toBe(0);
    expect(await count('Delivery', accessibleWhere(ability, 'read', 'Delivery'))).toBe(await count('Delivery', { merchantId: m.id, orderId: { not: null } }));
  });
});
