/**
 * Demo data: a realistic month of a small payment gateway, so a newcomer who runs `npm start` (embedded
 * database) or `npm run db:seed` sees a working back office: currencies, services, sandbox channels,
 * three merchants with applications and keys, staff and merchant users for every built-in role, FX rates,
 * risk rules, and a few thousand payins and payouts over the last 30 days with their payments, timelines,
 * settlements and ledger postings.
 *
 * Rules it keeps:
 * - It only ever seeds an empty platform: when any merchant exists it does nothing. The whole seed is one
 *   database transaction guarded by an advisory lock, so two processes starting at once seed once, and a
 *   failure leaves nothing half-seeded behind.
 * - Money moves only through `postTransaction`, in chronological order (every posting carries the time it
 *   happened), so each balance-after in the ledger is what the account held at that moment and no
 *   merchant or channel balance is ever negative. Payout floats are funded by merchant recharges and
 *   channel floats by platform adjustments — both sized by replaying the postings in memory first. The
 *   recharges, the recent fund requests and the destinations go through the funds module (request,
 *   finance's decision, ledger, audit), and the daily statements are built by the statements module.
 * - Amounts are bigint minor units and respect the amount-limit rule of seed 001 (merchant service ∩
 *   channel ∩ channel-service bounds); fees come from `computeFee`.
 * - Random choices come from a fixed-seed generator, so the mix is the same on every run (identifiers,
 *   keys and order numbers still come from the CSPRNG).
 *
 * Assumptions worth knowing (see the report of the change that added this file):
 * - A T+N payin is credited to PENDING at `paidAt` and released to AVAILABLE at `paidAt + N × 24 h`.
 * - An overpaid order credits what was actually received (`paidAmount`), with the fee on that amount.
 *   Underpaid orders are PROCESSING orders whose accumulation is IN_PROGRESS: nothing is posted until
 *   they are activated.
 * - A payout freezes amount + fee when it is created (also while it waits in REVIEW), settles to the
 *   channel and the fee account on success, and releases amount + fee on failure or rejection.
 * - The fee of an unpaid order is the quote on its amount; on success it is recomputed on the paid amount.
 * - No Delivery rows are written: postback statuses and CALLBACK_* timeline events describe history only.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type {
  AccumulationStatus,
  ActorType,
  CreationType,
  Direction,
  OrderStatus,
  OrderType,
  Originality,
  PayoutStatus,
  PostbackStatus,
  ServiceKind,
} from '../../generated/prisma/enums.ts';
import type { Tx } from '../../db/prisma.ts';
import {
  accountKey,
  channelAccount,
  displayBalance,
  merchantAccount,
  merchantBalances,
  platformAccount,
  postTransaction,
  type PostingInput,
} from '../ledger/ledger.service.ts';
import { checkAmountInRange, computeFee, formatAmount, intersectLimits, parseRatePercent, type AmountRange } from '../../lib/money.ts';
import { newAppId, newMchId, newOrderNo, newPrepayId } from '../../lib/ids.ts';
import { generateRsaKeyPairAsync, keySerial, type RsaKeyPair, type SecretBox } from '../../lib/crypto.ts';
import { hashPassword } from '../../lib/password.ts';
import { sealPlatformPrivateKey } from '../apps/platform-keys.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import { createDestinationInTx } from '../funds/destinations.service.ts';
import { writeFundFeeSchedule } from '../funds/funds.fees.ts';
import { approveFundRequestInTx } from '../funds/operations/approve-fund-request.ts';
import { createRechargeInTx, createTransferInTx, createWithdrawalInTx } from '../funds/operations/create-fund-request.ts';
import { cancelFundRequestInTx, rejectFundRequestInTx } from '../funds/operations/reject-fund-request.ts';
import type { PayinInstructions } from '../routing/connectors/connector.ts';
import { catchUpDailyStatements } from '../statements/statements.service.ts';
import { BUILT_IN_ROLES, type BuiltInRole } from '../auth/permissions.ts';
import { Outbox } from '../shared/process.ts';

/**
 * The password of every demo user. FOR THE DEMO ONLY: it is public (it is printed at start and in the
 * README); a platform holding real money must never be seeded with demo data.
 */
export const DEMO_PASSWORD = 'payrail-demo';

type RoleKey = BuiltInRole['key'];

// ───────────────────────────── catalog ─────────────────────────────

interface CurrencySpec {
  code: string;
  name: string;
  digits: number;
  crypto: boolean;
  /** Display rate: one unit of this currency in USD. */
  usd: string;
}

const CURRENCIES: readonly CurrencySpec[] = [
  { code: 'CNY', name: 'Chinese Yuan', digits: 2, crypto: false, usd: '0.138' },
  { code: 'THB', name: 'Thai Baht', digits: 2, crypto: false, usd: '0.0282' },
  { code: 'VND', name: 'Vietnamese Dong', digits: 0, crypto: false, usd: '0.0000393' },
  { code: 'IDR', name: 'Indonesian Rupiah', digits: 0, crypto: false, usd: '0.0000612' },
  { code: 'BRL', name: 'Brazilian Real', digits: 2, crypto: false, usd: '0.178' },
  { code: 'USDT', name: 'Tether USD', digits: 6, crypto: true, usd: '1.0' },
  { code: 'USD', name: 'US Dollar', digits: 2, crypto: false, usd: '1' },
];

interface ServiceSpec {
  code: string;
  name: string;
  direction: Direction;
  kind: ServiceKind;
  currency: string;
  chain?: string;
  country?: string;
  /** REST field names (seed 001 table). */
  requiredFields: string[];
  /** Payins: how long the cashier stays open. */
  expireSeconds: number;
}

const SERVICES: readonly ServiceSpec[] = [
  { code: 'CNY_BANK_CARD', name: 'CNY bank card', direction: 'PAYIN', kind: 'BANK_CARD', currency: 'CNY', country: 'CN', requiredFields: ['payer_name', 'payer_account', 'remark_code'], expireSeconds: 1800 },
  { code: 'CNY_ALIPAY', name: 'CNY Alipay', direction: 'PAYIN', kind: 'E_WALLET', currency: 'CNY', country: 'CN', requiredFields: ['payer_name'], expireSeconds: 900 },
  { code: 'THB_BANK', name: 'THB bank transfer', direction: 'PAYIN', kind: 'BANK_TRANSFER', currency: 'THB', country: 'TH', requiredFields: ['payer_name', 'payer_account', 'bank_code'], expireSeconds: 1800 },
  { code: 'VND_BANK', name: 'VND bank transfer', direction: 'PAYIN', kind: 'BANK_TRANSFER', currency: 'VND', country: 'VN', requiredFields: ['payer_name', 'bank_code'], expireSeconds: 1800 },
  { code: 'IDR_BANK', name: 'IDR bank transfer', direction: 'PAYIN', kind: 'BANK_TRANSFER', currency: 'IDR', country: 'ID', requiredFields: ['payer_name', 'bank_code'], expireSeconds: 1800 },
  { code: 'BRL_PIX', name: 'BRL PIX', direction: 'PAYIN', kind: 'PIX', currency: 'BRL', country: 'BR', requiredFields: ['payer_name', 'payer_account', 'payer_phone', 'payer_id_number'], expireSeconds: 1800 },
  { code: 'USDT_TRC20', name: 'USDT (TRC20)', direction: 'PAYIN', kind: 'CRYPTO', currency: 'USDT', chain: 'TRON', requiredFields: [], expireSeconds: 3600 },
  { code: 'CNY_BANK_PAYOUT', name: 'CNY bank payout', direction: 'PAYOUT', kind: 'BANK_CARD', currency: 'CNY', country: 'CN', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'], expireSeconds: 0 },
  { code: 'THB_BANK_PAYOUT', name: 'THB bank payout', direction: 'PAYOUT', kind: 'BANK_TRANSFER', currency: 'THB', country: 'TH', requiredFields: ['recipient_name', 'recipient_account', 'bank_code'], expireSeconds: 0 },
  { code: 'BRL_PIX_PAYOUT', name: 'BRL PIX payout', direction: 'PAYOUT', kind: 'PIX', currency: 'BRL', country: 'BR', requiredFields: ['recipient_name', 'recipient_account', 'recipient_phone', 'recipient_id_number'], expireSeconds: 0 },
  { code: 'USDT_TRC20_PAYOUT', name: 'USDT (TRC20) payout', direction: 'PAYOUT', kind: 'CRYPTO', currency: 'USDT', chain: 'TRON', requiredFields: ['recipient_account'], expireSeconds: 0 },
];

interface BindingSpec {
  service: string;
  /** service_bounds of seed 001, minor units, 0 = no limit. */
  lower: bigint;
  upper: bigint;
}

interface ChannelSpec {
  code: string;
  name: string;
  currency: string;
  lower: bigint;
  upper: bigint;
  priority: number;
  weight: number;
  delayMs: number;
  successRate: number;
  /** Prefix of this upstream's transaction ids and references. */
  ref: string;
  bindings: BindingSpec[];
}

const USDT = 1_000000n; // one USDT in minor units (6 digits)

const CHANNELS: readonly ChannelSpec[] = [
  {
    code: 'SBX_CNY_ALPHA', name: 'AlphaPay CNY (sandbox)', currency: 'CNY', lower: 50_00n, upper: 50_000_00n, priority: 0, weight: 70,
    delayMs: 3000, successRate: 0.9, ref: 'ALP',
    bindings: [
      { service: 'CNY_BANK_CARD', lower: 0n, upper: 0n },
      { service: 'CNY_ALIPAY', lower: 0n, upper: 5_000_00n },
      { service: 'CNY_BANK_PAYOUT', lower: 0n, upper: 50_000_00n },
    ],
  },
  {
    code: 'SBX_CNY_UNION', name: 'UnionBridge CNY (sandbox)', currency: 'CNY', lower: 100_00n, upper: 200_000_00n, priority: 0, weight: 30,
    delayMs: 5000, successRate: 0.85, ref: 'UBR',
    bindings: [
      { service: 'CNY_BANK_CARD', lower: 500_00n, upper: 0n },
      { service: 'CNY_BANK_PAYOUT', lower: 0n, upper: 0n },
    ],
  },
  {
    code: 'SBX_THB_KRUNG', name: 'KrungPay THB (sandbox)', currency: 'THB', lower: 100_00n, upper: 300_000_00n, priority: 0, weight: 60,
    delayMs: 3000, successRate: 0.92, ref: 'KRP',
    bindings: [
      { service: 'THB_BANK', lower: 0n, upper: 0n },
      { service: 'THB_BANK_PAYOUT', lower: 0n, upper: 200_000_00n },
    ],
  },
  {
    code: 'SBX_THB_SIAM', name: 'SiamGate THB (sandbox)', currency: 'THB', lower: 0n, upper: 0n, priority: 0, weight: 40,
    delayMs: 4000, successRate: 0.88, ref: 'SGT',
    bindings: [
      { service: 'THB_BANK', lower: 200_00n, upper: 100_000_00n },
      { service: 'THB_BANK_PAYOUT', lower: 0n, upper: 0n },
    ],
  },
  {
    code: 'SBX_VND_SAIGON', name: 'SaigonPay VND (sandbox)', currency: 'VND', lower: 50_000n, upper: 50_000_000n, priority: 0, weight: 50,
    delayMs: 3000, successRate: 0.9, ref: 'SGP',
    bindings: [{ service: 'VND_BANK', lower: 0n, upper: 0n }],
  },
  {
    code: 'SBX_VND_HANOI', name: 'HanoiLink VND (sandbox)', currency: 'VND', lower: 100_000n, upper: 200_000_000n, priority: 0, weight: 50,
    delayMs: 6000, successRate: 0.85, ref: 'HNL',
    bindings: [{ service: 'VND_BANK', lower: 200_000n, upper: 0n }],
  },
  {
    code: 'SBX_IDR_JAVA', name: 'JavaPay IDR (sandbox)', currency: 'IDR', lower: 10_000n, upper: 2_000_000n, priority: 0, weight: 100,
    delayMs: 3000, successRate: 0.9, ref: 'JVP',
    bindings: [{ service: 'IDR_BANK', lower: 0n, upper: 0n }],
  },
  {
    code: 'SBX_IDR_BALI', name: 'BaliTransfer IDR (sandbox, failover)', currency: 'IDR', lower: 0n, upper: 0n, priority: 1, weight: 100,
    delayMs: 8000, successRate: 0.8, ref: 'BLT',
    bindings: [{ service: 'IDR_BANK', lower: 0n, upper: 0n }],
  },
  {
    code: 'SBX_BRL_PIXA', name: 'PixAgora BRL (sandbox)', currency: 'BRL', lower: 1_00n, upper: 100_000_00n, priority: 0, weight: 60,
    delayMs: 2000, successRate: 0.95, ref: 'PXA',
    bindings: [
      { service: 'BRL_PIX', lower: 0n, upper: 0n },
      { service: 'BRL_PIX_PAYOUT', lower: 0n, upper: 0n },
    ],
  },
  {
    code: 'SBX_BRL_RAPIDO', name: 'RapidoPix BRL (sandbox)', currency: 'BRL', lower: 0n, upper: 20_000_00n, priority: 0, weight: 40,
    delayMs: 3000, successRate: 0.9, ref: 'RPX',
    bindings: [
      { service: 'BRL_PIX', lower: 0n, upper: 0n },
      { service: 'BRL_PIX_PAYOUT', lower: 0n, upper: 10_000_00n },
    ],
  },
  {
    code: 'SBX_USDT_HOT', name: 'TRON hot wallet (sandbox)', currency: 'USDT', lower: 1n * USDT, upper: 20_000n * USDT, priority: 0, weight: 100,
    delayMs: 3000, successRate: 0.97, ref: 'TRH',
    bindings: [
      { service: 'USDT_TRC20', lower: 0n, upper: 0n },
      { service: 'USDT_TRC20_PAYOUT', lower: 0n, upper: 10_000n * USDT },
    ],
  },
  {
    code: 'SBX_USDT_RESERVE', name: 'TRON reserve wallet (sandbox)', currency: 'USDT', lower: 0n, upper: 0n, priority: 1, weight: 100,
    delayMs: 5000, successRate: 0.97, ref: 'TRR',
    bindings: [
      { service: 'USDT_TRC20', lower: 0n, upper: 0n },
      { service: 'USDT_TRC20_PAYOUT', lower: 0n, upper: 0n },
    ],
  },
];

// ───────────────────────────── merchants and people ─────────────────────────────

interface MerchantServiceSpec {
  service: string;
  lower: bigint;
  upper: bigint;
  /** Percent, e.g. "2.5". */
  feeRate: string;
  feeFixed: bigint;
  settlementDays?: number;
  /** Share of the merchant's traffic in this direction. */
  share: number;
  /** Typical amount (the median of the generated amounts). */
  median: bigint;
}

interface TeamMember {
  role: RoleKey;
  local: string;
  name: string;
}

interface MerchantSpec {
  slug: string;
  name: string;
  country: string;
  timezone: string;
  /** Offset used to weight traffic to local business hours (these zones have no daylight saving time). */
  utcOffsetHours: number;
  locales: string[];
  site: string;
  tradePrefix: string;
  descriptions: string[];
  payinShare: number;
  payoutShare: number;
  createdDaysAgo: number;
  services: MerchantServiceSpec[];
  team: TeamMember[];
}

const MERCHANTS: readonly MerchantSpec[] = [
  {
    slug: 'golden-lotus',
    name: 'Golden Lotus Games',
    country: 'CN',
    timezone: 'Asia/Shanghai',
    utcOffsetHours: 8,
    locales: ['zh_cn', 'zh_cn', 'en'],
    site: 'https://www.goldenlotus.example',
    tradePrefix: 'GL',
    descriptions: ['Game credits', 'VIP membership', 'Wallet top-up'],
    payinShare: 45,
    payoutShare: 45,
    createdDaysAgo: 120,
    services: [
      { service: 'CNY_BANK_CARD', lower: 100_00n, upper: 50_000_00n, feeRate: '2.5', feeFixed: 0n, share: 50, median: 1_000_00n },
      { service: 'CNY_ALIPAY', lower: 10_00n, upper: 5_000_00n, feeRate: '3', feeFixed: 1_00n, share: 35, median: 300_00n },
      { service: 'USDT_TRC20', lower: 10n * USDT, upper: 0n, feeRate: '1', feeFixed: 0n, share: 15, median: 200n * USDT },
      { service: 'CNY_BANK_PAYOUT', lower: 100_00n, upper: 100_000_00n, feeRate: '0.8', feeFixed: 3_00n, share: 80, median: 2_000_00n },
      { service: 'USDT_TRC20_PAYOUT', lower: 20n * USDT, upper: 50_000n * USDT, feeRate: '0', feeFixed: 1n * USDT, share: 20, median: 500n * USDT },
    ],
    team: [
      { role: 'MERCHANT_OWNER', local: 'owner', name: 'Li Wei' },
      { role: 'MERCHANT_OPERATOR', local: 'operator', name: 'Zhang Min' },
      { role: 'MERCHANT_VIEWER', local: 'viewer', name: 'Chen Jing' },
    ],
  },
  {
    slug: 'siam-digital',
    name: 'Siam Digital Market',
    country: 'TH',
    timezone: 'Asia/Bangkok',
    utcOffsetHours: 7,
    locales: ['en', 'en', 'th'],
    site: 'https://shop.siamdigital.example',
    tradePrefix: 'SDM',
    descriptions: ['Marketplace order', 'Gift card', 'Mobile top-up'],
    payinShare: 35,
    payoutShare: 35,
    createdDaysAgo: 95,
    services: [
      { service: 'THB_BANK', lower: 100_00n, upper: 200_000_00n, feeRate: '2.2', feeFixed: 0n, share: 45, median: 1_500_00n },
      { service: 'VND_BANK', lower: 50_000n, upper: 100_000_000n, feeRate: '2.8', feeFixed: 0n, share: 25, median: 500_000n },
      { service: 'IDR_BANK', lower: 10_000n, upper: 50_000_000n, feeRate: '2.8', feeFixed: 1_000n, share: 20, median: 300_000n },
      { service: 'USDT_TRC20', lower: 10n * USDT, upper: 0n, feeRate: '0.8', feeFixed: 0n, share: 10, median: 150n * USDT },
      { service: 'THB_BANK_PAYOUT', lower: 100_00n, upper: 500_000_00n, feeRate: '1', feeFixed: 10_00n, share: 80, median: 5_000_00n },
      { service: 'USDT_TRC20_PAYOUT', lower: 20n * USDT, upper: 0n, feeRate: '0', feeFixed: 1n * USDT, share: 20, median: 400n * USDT },
    ],
    team: [{ role: 'MERCHANT_OWNER', local: 'owner', name: 'Somchai Phongsakorn' }],
  },
  {
    slug: 'rio-commerce',
    name: 'Rio Commerce Ltda',
    country: 'BR',
    timezone: 'America/Sao_Paulo',
    utcOffsetHours: -3,
    locales: ['pt_br', 'pt_br', 'en'],
    site: 'https://loja.riocommerce.example',
    tradePrefix: 'RC',
    descriptions: ['Pedido online', 'Assinatura', 'Recarga de carteira'],
    payinShare: 20,
    payoutShare: 20,
    createdDaysAgo: 60,
    services: [
      { service: 'BRL_PIX', lower: 5_00n, upper: 50_000_00n, feeRate: '1.9', feeFixed: 50n, settlementDays: 1, share: 85, median: 150_00n },
      { service: 'USDT_TRC20', lower: 10n * USDT, upper: 100_000n * USDT, feeRate: '1', feeFixed: 0n, share: 15, median: 250n * USDT },
      { service: 'BRL_PIX_PAYOUT', lower: 10_00n, upper: 100_000_00n, feeRate: '0.5', feeFixed: 2_00n, share: 100, median: 800_00n },
    ],
    team: [{ role: 'MERCHANT_OWNER', local: 'owner', name: 'Ana Costa' }],
  },
];

const STAFF: readonly { email: string; name: string; role: RoleKey }[] = [
  { email: 'admin@payrail.local', name: 'Alex Admin', role: 'ADMINISTRATOR' },
  { email: 'finance@payrail.local', name: 'Fiona Finance', role: 'FINANCE' },
  { email: 'support@payrail.local', name: 'Sam Support', role: 'SUPPORT_AGENT' },
];

const merchantUserEmail = (m: MerchantSpec, member: TeamMember): string => `${member.local}@${m.slug}.demo`;

/** Every demo user (all with DEMO_PASSWORD) and its built-in role; `merchant` is the merchant's name. */
export const DEMO_LOGINS: { email: string; role: string; merchant?: string }[] = [
  ...STAFF.map((s) => ({ email: s.email, role: s.role })),
  ...MERCHANTS.flatMap((m) => m.team.map((member) => ({ email: merchantUserEmail(m, member), role: member.role, merchant: m.name }))),
];

/** Payout risk rules: above the threshold a payout waits in REVIEW for finance. */
const PAYOUT_REVIEW_THRESHOLDS: ReadonlyMap<string, bigint> = new Map([
  ['CNY', 50_000_00n],
  ['THB', 200_000_00n],
  ['BRL', 20_000_00n],
  ['USDT', 10_000n * USDT],
]);

// ───────────────────────────── public entry ─────────────────────────────

export interface SeedDemoOptions {
  secrets: SecretBox;
  log?: (msg: string) => void;
  /** Number of payins (default 3000); about a third as many payouts are created. */
  orders?: number;
  /** The seed's "now": data spreads over the 30 days before it. */
  now?: Date;
}

/** Arbitrary constant: the advisory lock that makes concurrent seeders take turns. */
const SEED_LOCK_KEY = 7_240_155_001n;

/**
 * Seeds the demo platform into an empty database (no merchant yet) and returns `{ seeded: true }`;
 * returns `{ seeded: false }` and changes nothing when any merchant exists.
 */
export async function seedDemoData(prisma: PrismaClient, opts: SeedDemoOptions): Promise<{ seeded: boolean }> {
  const log = opts.log ?? (() => {});
  if ((await prisma.merchant.count()) > 0) {
    log('demo seed skipped: the database already has merchants');
    return { seeded: false };
  }
  const now = opts.now ?? new Date();
  const orders = Math.max(0, Math.floor(opts.orders ?? 3000));
  const started = performance.now();

  // The slow, CPU-bound parts happen before the transaction opens.
  const [passwordHash, keys] = await Promise.all([
    hashPassword(DEMO_PASSWORD),
    Promise.all(MERCHANTS.map(async () => ({ merchant: await generateRsaKeyPairAsync(), platform: await generateRsaKeyPairAsync() }))),
  ]);
  log(`demo seed: password hash and ${keys.length * 2} RSA keys in ${elapsed(started)}`);

  const seeded = await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if ((await tx.merchant.count()) > 0) return false;
      await seedAll(tx, { secrets: opts.secrets, log, now, orders, passwordHash, keys });
      return true;
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
  if (!seeded) log('demo seed skipped: another process seeded the database meanwhile');
  else log(`demo seed: done in ${elapsed(started)}`);
  return { seeded };
}

// ───────────────────────────── seeding ─────────────────────────────

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WINDOW_DAYS = 30;

interface SeedInput {
  secrets: SecretBox;
  log: (msg: string) => void;
  now: Date;
  orders: number;
  passwordHash: string;
  keys: { merchant: RsaKeyPair; platform: RsaKeyPair }[];
}

type CurrencyRow = CurrencySpec;

interface ServiceRow {
  id: string;
  spec: ServiceSpec;
}

interface ChannelRow {
  id: string;
  spec: ChannelSpec;
  /** Deposit accounts or addresses this channel shows payers. */
  depositAccounts: { bankName: string; accountName: string; accountNumber: string }[];
}

interface Binding {
  channel: ChannelRow;
  priority: number;
  weight: number;
  /** Channel bounds ∩ service bounds. */
  range: AmountRange;
}

interface MerchantServiceRow {
  spec: MerchantServiceSpec;
  service: ServiceRow;
  ratePpm: bigint;
}

interface Party {
  label: string;
  name: string;
  account: string;
  bankCode: string | null;
  phone: string;
  idNumber: string;
}

interface MerchantRow {
  id: string;
  mchId: string;
  spec: MerchantSpec;
  app: { id: string; appId: string; payinNotifyUrl: string; payoutNotifyUrl: string };
  payins: MerchantServiceRow[];
  payouts: MerchantServiceRow[];
  /** User ids of the merchant's team, by role. */
  team: Map<RoleKey, string>;
  parties: Map<string, Party[]>;
  outTradeSeq: number;
}

interface Context {
  rng: Rng;
  now: number;
  start: number;
  currencies: Map<string, CurrencyRow>;
  services: Map<string, ServiceRow>;
  bindings: Map<string, Binding[]>;
  merchants: MerchantRow[];
  staff: Map<RoleKey, string>;
  orderNos: Set<string>;
  txnSeq: number;
  postingSeq: number;
}

interface PlannedPosting {
  at: number;
  seq: number;
  input: Omit<PostingInput, 'occurredAt'>;
}

async function seedAll(tx: Tx, input: SeedInput): Promise<void> {
  const { log, secrets } = input;
  const now = input.now.getTime();
  const t = performance.now();
  const rng = new Rng(0x5eed_2024);

  // Currencies, services, channels and their bindings.
  await tx.currency.createMany({
    data: CURRENCIES.map((c) => ({ code: c.code, name: c.name, digits: c.digits, crypto: c.crypto, createdAt: new Date(now - 200 * DAY) })),
    skipDuplicates: true,
  });
  const currencies = new Map(CURRENCIES.map((c) => [c.code, c]));

  const services = new Map<string, ServiceRow>();
  for (const s of SERVICES) {
    const row = await tx.service.upsert({
      where: { code: s.code },
      update: {},
      create: {
        code: s.code,
        name: s.name,
        direction: s.direction,
        kind: s.kind,
        currencyCode: s.currency,
        chain: s.chain ?? null,
        country: s.country ?? null,
        requiredFields: s.requiredFields,
        createdAt: new Date(now - 180 * DAY),
      },
      select: { id: true },
    });
    services.set(s.code, { id: row.id, spec: s });
  }

  const bindings = new Map<string, Binding[]>();
  for (const c of CHANNELS) {
    const credentials = { merchantNo: `SBX${rng.digits(8)}`, apiKey: randomBytes(16).toString('hex'), apiSecret: randomBytes(24).toString('base64') };
    const row = await tx.channel.upsert({
      where: { code: c.code },
      update: {},
      create: {
        code: c.code,
        name: c.name,
        connector: 'sandbox',
        currencyCode: c.currency,
        credentialsEnc: secrets.seal(JSON.stringify(credentials)),
        settings: { delayMs: c.delayMs, successRate: c.successRate },
        paymentLowerBound: c.lower,
        paymentUpperBound: c.upper,
        priority: c.priority,
        weight: c.weight,
        createdAt: new Date(now - 150 * DAY),
      },
      select: { id: true },
    });
    const channel: ChannelRow = { id: row.id, spec: c, depositAccounts: depositAccountsFor(rng, c) };
    await tx.channelService.createMany({
      data: c.bindings.map((b) => ({
        channelId: row.id,
        serviceId: services.get(b.service)!.id,
        lowerBound: b.lower,
        upperBound: b.upper,
        priority: c.priority,
        weight: c.weight,
        createdAt: new Date(now - 150 * DAY),
      })),
      skipDuplicates: true,
    });
    for (const b of c.bindings) {
      const range = intersectLimits([
        { lower: c.lower, upper: c.upper },
        { lower: b.lower, upper: b.upper },
      ]);
      const list = bindings.get(b.service) ?? [];
      list.push({ channel, priority: c.priority, weight: c.weight, range });
      bindings.set(b.service, list);
    }
  }

  // Roles and staff.
  const roles = new Map<RoleKey, string>();
  for (const r of BUILT_IN_ROLES) {
    const row = await tx.role.upsert({
      where: { key: r.key },
      update: {},
      create: { key: r.key, name: r.name, description: r.description, scope: r.scope, permissions: [...r.permissions], builtIn: true },
      select: { id: true },
    });
    roles.set(r.key, row.id);
  }
  const createUser = async (email: string, name: string, role: RoleKey, createdAt: Date, merchantId?: string, timezone = 'UTC') => {
    const user = await tx.user.upsert({
      where: { email },
      update: {},
      create: { email, name, passwordHash: input.passwordHash, merchantId: merchantId ?? null, timezone, createdAt, passwordChangedAt: createdAt },
      select: { id: true },
    });
    await tx.userRole.createMany({ data: [{ userId: user.id, roleId: roles.get(role)! }], skipDuplicates: true });
    return user.id;
  };
  const staff = new Map<RoleKey, string>();
  for (const s of STAFF) staff.set(s.role, await createUser(s.email, s.name, s.role, new Date(now - 200 * DAY)));

  // Merchants with their services, application, keys and team.
  const merchants: MerchantRow[] = [];
  const mchIds = new Set<string>();
  for (const [index, spec] of MERCHANTS.entries()) {
    let mchId = newMchId();
    while (mchIds.has(mchId)) mchId = newMchId();
    mchIds.add(mchId);
    const createdAt = new Date(now - spec.createdDaysAgo * DAY);
    const merchant = await tx.merchant.create({
      data: { mchId, name: spec.name, country: spec.country, timezone: spec.timezone, contactEmail: `finance@${spec.slug}.demo`, createdAt },
      select: { id: true },
    });
    const msRows: MerchantServiceRow[] = spec.services.map((s) => ({ spec: s, service: services.get(s.service)!, ratePpm: parseRatePercent(s.feeRate) }));
    await tx.merchantService.createMany({
      data: msRows.map((s) => ({
        merchantId: merchant.id,
        serviceId: s.service.id,
        singleLimitLower: s.spec.lower,
        singleLimitUpper: s.spec.upper,
        feeRatePpm: s.ratePpm,
        feeFixed: s.spec.feeFixed,
        settlementDays: s.spec.settlementDays ?? 0,
        createdAt,
      })),
    });

    const appCreatedAt = new Date(createdAt.getTime() + DAY);
    const app = await tx.app.create({
      data: {
        appId: newAppId(),
        merchantId: merchant.id,
        name: `${spec.name} production`,
        payinNotifyUrl: 'http://127.0.0.1:9/callback/payin',
        payoutNotifyUrl: 'http://127.0.0.1:9/callback/payout',
        ipWhitelist: [],
        createdAt: appCreatedAt,
      },
      select: { id: true, appId: true },
    });
    const keyPair = input.keys[index]!;
    await tx.merchantKey.create({
      data: { appId: app.id, serial: keySerial(keyPair.merchant.publicKeyPem), publicKeyPem: keyPair.merchant.publicKeyPem, createdAt: appCreatedAt },
    });
    const platformSerial = keySerial(keyPair.platform.publicKeyPem);
    await tx.platformKey.create({
      data: {
        appId: app.id,
        serial: platformSerial,
        publicKeyPem: keyPair.platform.publicKeyPem,
        privateKeyEnc: sealPlatformPrivateKey(secrets, platformSerial, keyPair.platform.privateKeyPem),
        effectiveAt: appCreatedAt,
        createdAt: appCreatedAt,
      },
    });

    const team = new Map<RoleKey, string>();
    for (const member of spec.team) {
      team.set(member.role, await createUser(merchantUserEmail(spec, member), member.name, member.role, createdAt, merchant.id, spec.timezone));
    }
    merchants.push({
      id: merchant.id,
      mchId,
      spec,
      app: { id: app.id, appId: app.appId, payinNotifyUrl: 'http://127.0.0.1:9/callback/payin', payoutNotifyUrl: 'http://127.0.0.1:9/callback/payout' },
      payins: msRows.filter((s) => s.service.spec.direction === 'PAYIN'),
      payouts: msRows.filter((s) => s.service.spec.direction === 'PAYOUT'),
      team,
      parties: new Map(),
      outTradeSeq: 0,
    });
  }

  // FX rates (display only) and risk rules.
  for (const c of CURRENCIES) {
    if (c.code === 'USD') continue;
    await tx.fxRate.upsert({ where: { base_quote: { base: c.code, quote: 'USD' } }, update: {}, create: { base: c.code, quote: 'USD', rate: c.usd } });
  }
  await tx.riskRule.createMany({
    data: [
      ...[...PAYOUT_REVIEW_THRESHOLDS].map(([currency, threshold]) => ({
        name: `Large ${currency} payout`,
        direction: 'PAYOUT' as const,
        kind: 'AMOUNT_ABOVE',
        currencyCode: currency,
        threshold,
        action: 'REVIEW' as const,
      })),
      { name: 'Blocked recipient account', direction: 'PAYOUT', kind: 'BLOCKED_ACCOUNT', value: '6222020200000000000', action: 'REJECT' },
      { name: 'Payin burst (Siam Digital)', merchantId: merchants[1]!.id, direction: 'PAYIN', kind: 'DAILY_COUNT_ABOVE', threshold: 5_000n, action: 'REVIEW' },
      { name: 'Daily BRL payin volume', direction: 'PAYIN', kind: 'DAILY_VOLUME_ABOVE', currencyCode: 'BRL', threshold: 5_000_000_00n, action: 'REJECT', status: 'DISABLED' },
    ],
  });
  log(`demo seed: catalog, merchants, apps and users in ${elapsed(t)}`);

  // Plan the month of traffic in memory, then write it in bulk.
  const t2 = performance.now();
  const ctx: Context = {
    rng,
    now,
    start: now - WINDOW_DAYS * DAY,
    currencies,
    services,
    bindings,
    merchants,
    staff,
    orderNos: new Set(),
    txnSeq: 0,
    postingSeq: 0,
  };
  const payins = Array.from({ length: input.orders }, () => planPayin(ctx));
  const payouts = Array.from({ length: Math.round(input.orders / 3) }, () => planPayout(ctx));
  const postings = [...payins.flatMap((p) => p.postings), ...payouts.flatMap((p) => p.postings)].sort(byTime);
  const funding = planFunding(ctx, postings);
  postings.push(...funding.postings);
  postings.sort(byTime);
  assertNeverNegative([...funding.replay, ...postings].sort(byTime));
  log(`demo seed: planned ${payins.length} payins, ${payouts.length} payouts, ${postings.length} postings in ${elapsed(t2)}`);

  const t3 = performance.now();
  await bulkInsert(tx, ORDER_TABLE, payins.map((p) => p.order));
  await bulkInsert(tx, PAYMENT_TABLE, payins.flatMap((p) => p.payments));
  await bulkInsert(tx, ORDER_EVENT_TABLE, payins.flatMap((p) => p.events));
  await bulkInsert(tx, PENDING_SETTLEMENT_TABLE, payins.flatMap((p) => (p.settlement ? [p.settlement] : [])));
  await bulkInsert(tx, PAYOUT_TABLE, payouts.map((p) => p.payout));
  await bulkInsert(tx, PAYOUT_EVENT_TABLE, payouts.flatMap((p) => p.events));
  log(`demo seed: wrote orders, payments, payouts and timelines in ${elapsed(t3)}`);

  // The opening recharges are the month's first merchant movements: made before the other postings.
  const t4 = performance.now();
  await seedRecharges(tx, ctx, funding.recharges);
  // In time order, so every balance-after is what the account held at that moment.
  for (const [i, p] of postings.entries()) {
    await postTransaction(tx, { ...p.input, occurredAt: new Date(p.at) });
    if ((i + 1) % 1000 === 0) log(`demo seed: posted ${i + 1}/${postings.length} ledger transactions`);
  }
  log(`demo seed: posted ${postings.length} ledger transactions in ${elapsed(t4)}`);

  const t5 = performance.now();
  const lastAt = postings.length > 0 ? postings[postings.length - 1]!.at : now;
  await seedRecentFundRequests(tx, ctx, Math.max(lastAt + SEC, now - 90 * MIN));
  const statements = await catchUpDailyStatements(tx, { now: input.now });
  log(`demo seed: fund requests and ${statements.rows} daily statements in ${elapsed(t5)}`);
}

// ───────────────────────────── payins ─────────────────────────────

const PAYIN_STATUS_MIX: readonly [OrderStatus, number][] = [
  ['SUCCEEDED', 70],
  ['PENDING', 4],
  ['PROCESSING', 6],
  ['EXPIRED', 12],
  ['FAILED', 5],
  ['CLOSED', 2],
  ['REVERSED', 1],
];

const PAYIN_FAILURES = [
  'Payer cancelled the payment at the bank',
  'Upstream declined: risk control',
  'Upstream reported a payment timeout',
  'Card type not supported by the upstream',
];

interface PlannedPayin {
  order: Prisma.OrderCreateManyInput;
  payments: Prisma.PaymentCreateManyInput[];
  events: Prisma.OrderEventCreateManyInput[];
  settlement: Prisma.PendingSettlementCreateManyInput | null;
  postings: PlannedPosting[];
}

interface TimelineEvent<S> {
  type: string;
  from: S | null;
  to: S | null;
  at: number;
  actorType: ActorType;
  actorId?: string | undefined;
  message?: string;
  data?: Prisma.InputJsonValue;
}

function planPayin(ctx: Context): PlannedPayin {
  const { rng, now } = ctx;
  const m = rng.weighted(ctx.merchants, (x) => x.spec.payinShare);
  const ms = rng.weighted(m.payins, (x) => x.spec.share);
  const service = ms.service.spec;
  const currency = ctx.currencies.get(service.currency)!;
  const status = rng.weighted(PAYIN_STATUS_MIX, (x) => x[1])[0];
  const settlementDays = ms.spec.settlementDays ?? 0;
  const expireMs = service.expireSeconds * SEC;

  // When it was created: live statuses only in the last hour, finished ones early enough to have finished.
  let from = ctx.start;
  let to = now - 2 * MIN;
  if (status === 'PENDING' || status === 'PROCESSING') {
    from = now - Math.min(50 * MIN, expireMs - 5 * MIN);
    to = now - 5 * SEC;
  } else if (status === 'EXPIRED') {
    to = now - expireMs - 2 * MIN;
  } else if (status === 'REVERSED') {
    to = now - (settlementDays + 3) * DAY;
  }
  const t0 = sampleTime(rng, from, to, m.spec.utcOffsetHours, ctx.start, now);
  const { amount, binding } = pickAmountAndChannel(ctx, ms, { lower: ms.spec.lower, upper: ms.spec.upper }, ms.spec.median);
  const channel = binding.channel;
  const id = uuidv7(t0);
  const expireAt = t0 + expireMs;

  const manual = rng.chance(0.03);
  const test = manual && rng.chance(0.6);
  const creatorId = manual ? rng.pick([...writers(m), ctx.staff.get('SUPPORT_AGENT')!]) : undefined;
  const creator: { actorType: ActorType; actorId: string } = manual
    ? { actorType: 'USER', actorId: creatorId! }
    : { actorType: 'APP', actorId: m.app.appId };

  // Offsets (ms after creation) of each step, compressed when they would pass the deadline.
  const steps: Record<string, number> = {};
  const paymentOffsets: number[] = [];
  const reachesProcessing = status !== 'PENDING' && status !== 'CLOSED' && !(status === 'EXPIRED' && rng.chance(0.6));
  if (reachesProcessing) steps.processing = rng.int(5 * SEC, 3 * MIN);
  let parts: bigint[] = [];
  let accumulation: AccumulationStatus = 'NOT_FOUND';
  if (status === 'SUCCEEDED' || status === 'REVERSED') {
    parts = splitPayment(rng, amount, currency);
    accumulation = 'COMPLETED';
  } else if (status === 'PROCESSING' && rng.chance(0.25)) {
    parts = [roundDown((amount * BigInt(rng.int(30, 80))) / 100n, minorStep(currency)) || 1n];
    accumulation = 'IN_PROGRESS';
  }
  let offset = steps.processing ?? 0;
  for (const [i] of parts.entries()) {
    offset += i === 0 ? rng.int(20 * SEC, 10 * MIN) : rng.int(1 * MIN, 15 * MIN);
    paymentOffsets.push(offset);
  }
  if (status === 'SUCCEEDED' || status === 'REVERSED') steps.succeeded = offset + rng.int(100, 1500);
  if (status === 'FAILED') steps.failed = (steps.processing ?? 0) + rng.int(1 * MIN, 25 * MIN);
  if (status === 'CLOSED') steps.closed = rng.int(1 * MIN, 12 * MIN);
  const budget = Math.min(status === 'PENDING' || status === 'PROCESSING' ? Infinity : expireMs - SEC, now - t0 - SEC);
  compress(steps, paymentOffsets, budget);

  const events: TimelineEvent<OrderStatus>[] = [];
  const postings: PlannedPosting[] = [];
  const fmt = (v: bigint) => formatAmount(v, currency.digits);
  events.push({ type: 'CREATED', from: null, to: 'PENDING', at: t0, ...creator, message: manual ? 'order created in the back office' : 'order created through the API', data: { amount: fmt(amount), currency: currency.code, service: service.code } });
  events.push({ type: 'ROUTED', from: null, to: null, at: t0 + rng.int(20, 400), actorType: 'SYSTEM', message: `routed to ${channel.spec.code}`, data: { channel: channel.spec.code } });

  const upstreamRef = reachesProcessing ? `${channel.spec.ref}${rng.digits(12)}` : null;
  if (steps.processing !== undefined) {
    events.push({ type: 'PROCESSING', from: 'PENDING', to: 'PROCESSING', at: t0 + steps.processing, actorType: 'UPSTREAM', message: 'upstream accepted the order', data: { upstreamRef } });
  }

  const payments: Prisma.PaymentCreateManyInput[] = [];
  let paid = 0n;
  for (const [i, part] of parts.entries()) {
    const at = t0 + paymentOffsets[i]!;
    paid += part;
    const txnId = `${channel.spec.ref}T${rng.digits(10)}${String(++ctx.txnSeq).padStart(6, '0')}`;
    payments.push({ id: uuidv7(at), orderId: id, channelId: channel.id, txnId, amount: part, currencyCode: currency.code, status: status === 'REVERSED' ? 'REVERSED' : 'SUCCEEDED', paidAt: new Date(at), createdAt: new Date(at) });
    events.push({
      type: 'PAYMENT_RECEIVED', from: null, to: null, at, actorType: 'UPSTREAM',
      message: paid < amount ? `payment ${i + 1} received; waiting for the rest` : `payment ${i + 1} received`,
      data: { txnId, amount: fmt(part), paidAmount: fmt(paid) },
    });
  }

  const feeQuote = computeFee(amount, ms.ratePpm, ms.spec.feeFixed);
  let fee = feeQuote;
  let paidAt: number | null = null;
  let finishedAt: number | null = null;
  let originality: Originality = 'NORMAL';
  let settlement: Prisma.PendingSettlementCreateManyInput | null = null;

  if (steps.succeeded !== undefined) {
    paidAt = t0 + steps.succeeded;
    finishedAt = paidAt;
    fee = computeFee(paid, ms.ratePpm, ms.spec.feeFixed);
    const net = paid - fee;
    events.push({
      type: 'SUCCEEDED', from: 'PROCESSING', to: 'SUCCEEDED', at: paidAt, actorType: 'SYSTEM',
      message: paid > amount ? `paid ${fmt(paid)}, more than the order amount` : 'order paid',
      data: { paidAmount: fmt(paid), fee: fmt(fee), net: fmt(net) },
    });
    const target = settlementDays > 0 ? 'PENDING' : 'AVAILABLE';
    postings.push(posting(ctx, paidAt, {
      kind: 'PAYIN_SUCCESS', idempotencyKey: `payin:${id}:success`, test, referenceType: 'ORDER', referenceId: id,
      lines: [
        { account: channelAccount(channel.id, currency.code), amount: -paid },
        { account: merchantAccount(m.id, currency.code, target), amount: net },
        { account: platformAccount(currency.code, 'FEES'), amount: fee },
      ],
    }));
    if (settlementDays > 0) {
      const releaseAt = paidAt + settlementDays * DAY;
      const released = releaseAt <= now;
      settlement = { id: uuidv7(paidAt), merchantId: m.id, orderId: id, currencyCode: currency.code, amount: net, releaseAt: new Date(releaseAt), releasedAt: released ? new Date(releaseAt) : null, test, createdAt: new Date(paidAt) };
      if (released) {
        postings.push(posting(ctx, releaseAt, {
          kind: 'SETTLEMENT_RELEASE', idempotencyKey: `settlement:${id}:release`, test, referenceType: 'ORDER', referenceId: id,
          lines: [
            { account: merchantAccount(m.id, currency.code, 'PENDING'), amount: -net },
            { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: net },
          ],
        }));
      }
    }
    // A reversed order told the merchant about its success first.
    if (status === 'REVERSED') callbackEvent(ctx, events, paidAt, 'SENT', m.app.payinNotifyUrl, 3);

    if (status === 'REVERSED') {
      const reversedAt = paidAt + settlementDays * DAY + rng.int(2 * HOUR, 48 * HOUR);
      finishedAt = reversedAt;
      events.push({ type: 'REVERSED', from: 'SUCCEEDED', to: 'REVERSED', at: reversedAt, actorType: 'UPSTREAM', message: 'status reversal: the upstream reported the payment as failed (chargeback)' });
      postings.push(posting(ctx, reversedAt, {
        kind: 'PAYIN_REVERSAL', idempotencyKey: `payin:${id}:reversal`, test, referenceType: 'ORDER', referenceId: id,
        lines: [
          { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: -net },
          { account: platformAccount(currency.code, 'FEES'), amount: -fee },
          { account: channelAccount(channel.id, currency.code), amount: paid },
        ],
      }));
      if (rng.chance(0.5)) originality = 'FRAUD';
    } else if (rng.chance(0.015)) {
      originality = 'FRAUD';
    }
    if (originality === 'FRAUD') {
      const at = Math.min((finishedAt ?? paidAt) + rng.int(10 * MIN, 24 * HOUR), now - MIN);
      events.push({ type: 'MARKED_FRAUD', from: null, to: null, at: Math.max(at, (finishedAt ?? paidAt) + 1), actorType: 'USER', actorId: ctx.staff.get('SUPPORT_AGENT')!, message: 'flagged as fraud by support' });
    }
  } else if (status === 'FAILED') {
    finishedAt = t0 + steps.failed!;
    events.push({ type: 'FAILED', from: 'PROCESSING', to: 'FAILED', at: finishedAt, actorType: 'UPSTREAM', message: rng.pick(PAYIN_FAILURES) });
  } else if (status === 'CLOSED') {
    finishedAt = t0 + steps.closed!;
    events.push({ type: 'CLOSED', from: 'PENDING', to: 'CLOSED', at: finishedAt, actorType: creator.actorType, actorId: creator.actorId, message: 'closed by the merchant before payment' });
  } else if (status === 'EXPIRED') {
    finishedAt = expireAt;
    events.push({ type: 'EXPIRED', from: reachesProcessing ? 'PROCESSING' : 'PENDING', to: 'EXPIRED', at: expireAt, actorType: 'SYSTEM', message: 'expired unpaid' });
  }

  let postback: PostbackStatus = 'NOT_SENT';
  if (finishedAt !== null) {
    postback = rng.chance(0.05) ? 'ERROR' : 'SENT';
    const sequence = events.filter((e) => e.to !== null).length;
    const lastStatusAt = Math.max(...events.filter((e) => e.to !== null).map((e) => e.at));
    callbackEvent(ctx, events, lastStatusAt, postback, m.app.payinNotifyUrl, sequence);
  }

  // Payer: a returning customer of this merchant and service.
  const party = pickParty(ctx, m, service);
  const required = new Set(service.requiredFields);
  const orderType: OrderType = service.kind === 'CRYPTO' && rng.chance(0.25) ? 'MERCHANT_ORDER' : 'PLATFORM_ORDER';
  const toAddress = service.kind === 'CRYPTO' ? tronAddress(rng) : null;
  const remarkCode = required.has('remark_code') ? rng.code(6) : null;
  const outTradeNo = nextOutTradeNo(m, t0, rng);
  const description = rng.pick(m.spec.descriptions);
  const params = {
    mch_id: m.mchId, out_trade_no: outTradeNo, service: service.code, amount: fmt(amount), currency: currency.code, chain: service.chain ?? null,
    order_type: orderType.toLowerCase(), expire_second: service.expireSeconds, description,
    payer_name: required.has('payer_name') ? party.name : null, payer_account: required.has('payer_account') ? party.account : null,
    bank_code: required.has('bank_code') ? party.bankCode : null, payer_phone: required.has('payer_phone') ? party.phone : null,
    payer_id_number: required.has('payer_id_number') ? party.idNumber : null, remark_code: remarkCode, to_address: orderType === 'MERCHANT_ORDER' ? toAddress : null,
  };

  const orderedEvents = events.sort((a, b) => a.at - b.at);
  const lastAt = orderedEvents[orderedEvents.length - 1]!.at;
  const order: Prisma.OrderCreateManyInput = {
    id,
    orderNo: uniqueOrderNo(ctx, 'P', t0),
    prepayId: newPrepayId(),
    merchantId: m.id,
    appId: m.app.id,
    serviceId: ms.service.id,
    channelId: channel.id,
    outTradeNo,
    status,
    sequence: orderedEvents.filter((e) => e.to !== null).length,
    currencyCode: currency.code,
    chain: service.chain ?? null,
    amount,
    paidAmount: paid,
    fee,
    orderType,
    description,
    attach: rng.chance(0.4) ? JSON.stringify({ uid: party.label, src: rng.pick(['web', 'ios', 'android']) }) : null,
    locale: rng.pick(m.spec.locales),
    notifyUrl: m.app.payinNotifyUrl,
    returnUrl: `${m.spec.site}/deposit/return`,
    toAddress,
    userLabel: party.label,
    payerName: required.has('payer_name') ? party.name : null,
    payerAccount: required.has('payer_account') ? party.account : null,
    bankCode: required.has('bank_code') ? party.bankCode : null,
    payerPhone: required.has('payer_phone') ? party.phone : null,
    payerIdNumber: required.has('payer_id_number') ? party.idNumber : null,
    remarkCode,
    instructions: instructionsFor(rng, service, channel, amount, currency, toAddress, remarkCode),
    upstreamRef,
    test,
    creationType: (manual ? 'MANUAL' : 'AUTO') satisfies CreationType,
    originality,
    postbackStatus: postback,
    accumulationStatus: accumulation,
    requestHash: sha256(JSON.stringify(params)),
    createdById: creatorId ?? null,
    expireAt: new Date(expireAt),
    paidAt: paidAt === null ? null : new Date(paidAt),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
    createdAt: new Date(t0),
    updatedAt: new Date(lastAt),
  };
  return {
    order,
    payments,
    events: orderedEvents.map((e) => ({
      orderId: id, type: e.type, fromStatus: e.from, toStatus: e.to, message: e.message ?? null, data: e.data, actorType: e.actorType, actorId: e.actorId ?? null, createdAt: new Date(e.at),
    })),
    settlement,
    postings,
  };
}

/** One payment (88%), 2–3 payments accumulating to the amount (9%), or an overpayment (3%). */
function splitPayment(rng: Rng, amount: bigint, currency: CurrencyRow): bigint[] {
  const step = minorStep(currency);
  const r = rng.next();
  let total = amount;
  if (r >= 0.97) total = amount + (roundDown((amount * BigInt(rng.int(1, 5))) / 100n, step) || step);
  const splits = r >= 0.88 ? (r >= 0.97 ? rng.int(1, 2) : rng.int(2, 3)) : 1;
  const parts: bigint[] = [];
  let remaining = total;
  for (let i = 1; i < splits; i++) {
    const part = roundDown((remaining * BigInt(rng.int(30, 70))) / 100n, step);
    if (part <= 0n || part >= remaining) break;
    parts.push(part);
    remaining -= part;
  }
  parts.push(remaining);
  return parts;
}

// ───────────────────────────── payouts ─────────────────────────────

const PAYOUT_STATUS_MIX: readonly [PayoutStatus, number][] = [
  ['SUCCEEDED', 80],
  ['FAILED', 8],
  ['REJECTED', 3],
  ['REVIEW', 3],
  ['PROCESSING', 6],
];

const PAYOUT_FAILURES = [
  'Recipient account does not exist',
  'Recipient name does not match the account',
  'Upstream rejected: daily limit of the recipient bank reached',
  'Recipient bank under maintenance',
];

interface PlannedPayout {
  payout: Prisma.PayoutCreateManyInput;
  events: Prisma.PayoutEventCreateManyInput[];
  postings: PlannedPosting[];
}

function planPayout(ctx: Context): PlannedPayout {
  const { rng, now } = ctx;
  const m = rng.weighted(ctx.merchants, (x) => x.spec.payoutShare);
  const ms = rng.weighted(m.payouts, (x) => x.spec.share);
  const service = ms.service.spec;
  const currency = ctx.currencies.get(service.currency)!;
  const status = rng.weighted(PAYOUT_STATUS_MIX, (x) => x[1])[0];
  const threshold = PAYOUT_REVIEW_THRESHOLDS.get(currency.code) ?? null;

  let from = ctx.start;
  let to = now - 5 * MIN;
  if (status === 'PROCESSING') {
    from = now - 50 * MIN;
    to = now - 10 * SEC;
  } else if (status === 'REVIEW') {
    from = now - 12 * HOUR;
    to = now - MIN;
  }
  const t0 = sampleTime(rng, from, to, m.spec.utcOffsetHours, ctx.start, now);

  const mustReview = (status === 'REVIEW' || status === 'REJECTED') && threshold !== null;
  const range = mustReview
    ? intersectLimits([{ lower: ms.spec.lower, upper: ms.spec.upper }, { lower: threshold + minorStep(currency), upper: threshold * 3n }])
    : { lower: ms.spec.lower, upper: ms.spec.upper === 0n ? null : ms.spec.upper, empty: false };
  const { amount, binding } = pickAmountAndChannel(ctx, ms, { lower: range.lower, upper: range.upper ?? 0n }, mustReview ? threshold + threshold / 2n : ms.spec.median);
  const channel = binding.channel;
  const reviewed = threshold !== null && amount > threshold;
  const finalStatus: PayoutStatus = !reviewed && (status === 'REVIEW' || status === 'REJECTED') ? 'SUCCEEDED' : status;
  const fee = computeFee(amount, ms.ratePpm, ms.spec.feeFixed);
  const hold = amount + fee;
  const id = uuidv7(t0);
  const fmt = (v: bigint) => formatAmount(v, currency.digits);

  const manual = rng.chance(0.03);
  const creatorId = manual ? rng.pick(writers(m)) : undefined;
  const creator: { actorType: ActorType; actorId: string } = manual ? { actorType: 'USER', actorId: creatorId! } : { actorType: 'APP', actorId: m.app.appId };

  const steps: Record<string, number> = { frozen: rng.int(5, 50) };
  steps.routed = steps.frozen! + rng.int(10, 200);
  if (reviewed) {
    steps.review = steps.routed + rng.int(100, 500);
    if (finalStatus !== 'REVIEW') steps.decision = steps.review + rng.int(10 * MIN, 4 * HOUR);
  }
  if (finalStatus === 'SUCCEEDED' || finalStatus === 'FAILED' || finalStatus === 'PROCESSING') {
    steps.submitted = (steps.decision ?? steps.routed) + rng.int(2 * SEC, 30 * SEC);
  }
  if (finalStatus === 'SUCCEEDED') steps.final = steps.submitted! + rng.int(1 * MIN, 40 * MIN);
  if (finalStatus === 'FAILED') steps.final = steps.submitted! + rng.int(1 * MIN, 60 * MIN);
  compress(steps, [], now - t0 - SEC);

  const events: TimelineEvent<PayoutStatus>[] = [];
  const postings: PlannedPosting[] = [];
  events.push({ type: 'CREATED', from: null, to: 'PENDING', at: t0, ...creator, message: manual ? 'payout created in the back office' : 'payout created through the API', data: { amount: fmt(amount), fee: fmt(fee), currency: currency.code, service: service.code } });
  events.push({ type: 'FUNDS_FROZEN', from: null, to: null, at: t0 + steps.frozen!, actorType: 'SYSTEM', message: `froze ${fmt(hold)} ${currency.code} (amount + fee)`, data: { amount: fmt(hold) } });
  postings.push(posting(ctx, t0 + steps.frozen!, {
    kind: 'PAYOUT_FREEZE', idempotencyKey: `payout:${id}:freeze`, test: false, referenceType: 'PAYOUT', referenceId: id,
    lines: [
      { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: -hold },
      { account: merchantAccount(m.id, currency.code, 'FROZEN'), amount: hold },
    ],
  }));
  events.push({ type: 'ROUTED', from: null, to: null, at: t0 + steps.routed!, actorType: 'SYSTEM', message: `routed to ${channel.spec.code}`, data: { channel: channel.spec.code } });

  let reviewedById: string | null = null;
  let reviewedAt: number | null = null;
  let reviewNote: string | null = null;
  let current: PayoutStatus = 'PENDING';
  if (steps.review !== undefined) {
    events.push({ type: 'REVIEW', from: 'PENDING', to: 'REVIEW', at: t0 + steps.review, actorType: 'SYSTEM', message: `risk rule "Large ${currency.code} payout": amount above ${fmt(threshold!)}`, data: { rule: `Large ${currency.code} payout` } });
    current = 'REVIEW';
  }
  if (steps.decision !== undefined) {
    reviewedById = ctx.staff.get('FINANCE')!;
    reviewedAt = t0 + steps.decision;
    if (finalStatus === 'REJECTED') {
      reviewNote = rng.pick(['Recipient could not be verified', 'Amount unusual for this user', 'Merchant asked to cancel']);
      events.push({ type: 'REJECTED', from: 'REVIEW', to: 'REJECTED', at: reviewedAt, actorType: 'USER', actorId: reviewedById, message: reviewNote });
    } else {
      reviewNote = rng.pick(['Verified with the merchant', 'Known recipient', 'Approved']);
      events.push({ type: 'APPROVED', from: null, to: null, at: reviewedAt, actorType: 'USER', actorId: reviewedById, message: reviewNote });
    }
  }
  let upstreamRef: string | null = null;
  if (steps.submitted !== undefined) {
    upstreamRef = `${channel.spec.ref}P${rng.digits(12)}`;
    events.push({ type: 'PROCESSING', from: current, to: 'PROCESSING', at: t0 + steps.submitted, actorType: 'SYSTEM', message: 'submitted to the upstream', data: { upstreamRef } });
  }
  let failureReason: string | null = null;
  let finishedAt: number | null = null;
  if (finalStatus === 'SUCCEEDED') {
    finishedAt = t0 + steps.final!;
    events.push({ type: 'SUCCEEDED', from: 'PROCESSING', to: 'SUCCEEDED', at: finishedAt, actorType: 'UPSTREAM', message: 'paid out by the upstream' });
    postings.push(posting(ctx, finishedAt, {
      kind: 'PAYOUT_SETTLE', idempotencyKey: `payout:${id}:settle`, test: false, referenceType: 'PAYOUT', referenceId: id,
      lines: [
        { account: merchantAccount(m.id, currency.code, 'FROZEN'), amount: -hold },
        { account: channelAccount(channel.id, currency.code), amount },
        { account: platformAccount(currency.code, 'FEES'), amount: fee },
      ],
    }));
  } else if (finalStatus === 'FAILED' || finalStatus === 'REJECTED') {
    finishedAt = finalStatus === 'FAILED' ? t0 + steps.final! : reviewedAt!;
    if (finalStatus === 'FAILED') {
      failureReason = rng.pick(PAYOUT_FAILURES);
      events.push({ type: 'FAILED', from: 'PROCESSING', to: 'FAILED', at: finishedAt, actorType: 'UPSTREAM', message: failureReason });
    }
    events.push({ type: 'FUNDS_RELEASED', from: null, to: null, at: finishedAt + rng.int(1, 20), actorType: 'SYSTEM', message: `released ${fmt(hold)} ${currency.code}`, data: { amount: fmt(hold) } });
    postings.push(posting(ctx, finishedAt, {
      kind: 'PAYOUT_RELEASE', idempotencyKey: `payout:${id}:release`, test: false, referenceType: 'PAYOUT', referenceId: id,
      lines: [
        { account: merchantAccount(m.id, currency.code, 'FROZEN'), amount: -hold },
        { account: merchantAccount(m.id, currency.code, 'AVAILABLE'), amount: hold },
      ],
    }));
  }
  let postback: PostbackStatus = 'NOT_SENT';
  const sequence = events.filter((e) => e.to !== null).length;
  if (finishedAt !== null) {
    postback = rng.chance(0.05) ? 'ERROR' : 'SENT';
    callbackEvent(ctx, events, finishedAt + 25, postback, m.app.payoutNotifyUrl, sequence);
  }

  const party = pickParty(ctx, m, service);
  const required = new Set(service.requiredFields);
  const outTradeNo = nextOutTradeNo(m, t0, rng, 'W');
  const recipientAccount = party.account;
  const params = {
    mch_id: m.mchId, out_trade_no: outTradeNo, service: service.code, amount: fmt(amount), currency: currency.code,
    recipient_name: required.has('recipient_name') ? party.name : null, recipient_account: recipientAccount,
    bank_code: required.has('bank_code') ? party.bankCode : null, recipient_phone: required.has('recipient_phone') ? party.phone : null,
    recipient_id_number: required.has('recipient_id_number') ? party.idNumber : null,
  };
  const orderedEvents = events.sort((a, b) => a.at - b.at);
  const payout: Prisma.PayoutCreateManyInput = {
    id,
    payoutNo: uniqueOrderNo(ctx, 'W', t0),
    merchantId: m.id,
    appId: m.app.id,
    serviceId: ms.service.id,
    channelId: channel.id,
    outTradeNo,
    status: finalStatus,
    sequence,
    currencyCode: currency.code,
    chain: service.chain ?? null,
    amount,
    fee,
    recipientName: required.has('recipient_name') ? party.name : null,
    recipientAccount,
    bankCode: required.has('bank_code') ? party.bankCode : null,
    recipientPhone: required.has('recipient_phone') ? party.phone : null,
    recipientIdNumber: required.has('recipient_id_number') ? party.idNumber : null,
    description: rng.pick(['Withdrawal', 'Player withdrawal', 'Refund', 'Supplier payment']),
    notifyUrl: m.app.payoutNotifyUrl,
    userLabel: party.label,
    upstreamRef,
    failureReason,
    reviewNote,
    reviewedById,
    reviewedAt: reviewedAt === null ? null : new Date(reviewedAt),
    // Demo payouts are live: a test payout would need test balance, which the month's test payins
    // (a share of the manual orders) do not reliably leave at the right time.
    test: false,
    creationType: manual ? 'MANUAL' : 'AUTO',
    originality: rng.chance(0.005) ? 'FRAUD' : 'NORMAL',
    postbackStatus: postback,
    requestHash: sha256(JSON.stringify(params)),
    createdById: creatorId ?? null,
    submittedAt: steps.submitted === undefined ? null : new Date(t0 + steps.submitted),
    finishedAt: finishedAt === null ? null : new Date(finishedAt),
    createdAt: new Date(t0),
    updatedAt: new Date(orderedEvents[orderedEvents.length - 1]!.at),
  };
  return {
    payout,
    events: orderedEvents.map((e) => ({
      payoutId: id, type: e.type, fromStatus: e.from, toStatus: e.to, message: e.message ?? null, data: e.data, actorType: e.actorType, actorId: e.actorId ?? null, createdAt: new Date(e.at),
    })),
    postings,
  };
}

// ───────────────────────────── funding ─────────────────────────────

/** Opening float a merchant recharges for payouts, at least (minor units). */
const RECHARGE_BASELINE: ReadonlyMap<string, bigint> = new Map([
  ['CNY', 200_000_00n],
  ['THB', 500_000_00n],
  ['BRL', 50_000_00n],
  ['USDT', 20_000n * USDT],
]);

/** An opening recharge, made through the funds module (request, then finance's approval) before the month's postings. */
interface PlannedRecharge {
  merchant: MerchantRow;
  currency: CurrencyRow;
  amount: bigint;
  reference: string;
  note: string;
  /** When finance approved it; the merchant asked 3 hours earlier. */
  at: number;
}

/**
 * Replays the postings in memory to find how far each merchant AVAILABLE and channel BALANCE account would
 * dip below zero, then funds them before the month starts: a recharge per merchant and payout currency
 * (merchant AVAILABLE credited against platform CLEARING, as approving a recharge does), and a platform
 * adjustment for any channel short of float. `replay` holds the recharges' ledger effect for the
 * in-memory checks; the recharges themselves go through the funds module (seedFundRequests).
 */
function planFunding(ctx: Context, postings: PlannedPosting[]): { postings: PlannedPosting[]; recharges: PlannedRecharge[]; replay: PlannedPosting[] } {
  const { rng } = ctx;
  const low = lowestBalances(postings);
  const result: PlannedPosting[] = [];
  const recharges: PlannedRecharge[] = [];
  const replay: PlannedPosting[] = [];
  const rechargeAt = ctx.start - 2 * HOUR;

  for (const [index, m] of ctx.merchants.entries()) {
    const currencies = [...new Set(m.payouts.map((s) => s.service.spec.currency))];
    for (const code of currencies) {
      const currency = ctx.currencies.get(code)!;
      const deficit = -(low.get(accountKey(merchantAccount(m.id, code, 'AVAILABLE'))) ?? 0n);
      const wanted = (deficit * 115n) / 100n;
      const baseline = RECHARGE_BASELINE.get(code) ?? 0n;
      const step = 10_000n * 10n ** BigInt(currency.digits);
      const amount = roundUp(wanted > baseline ? wanted : baseline, step);
      const channels = m.payouts.filter((s) => s.service.spec.currency === code).flatMap((s) => ctx.bindings.get(s.service.spec.code) ?? []);
      const channel = channels.reduce((a, b) => ((low.get(accountKey(channelAccount(b.channel.id, code))) ?? 0n) < (low.get(accountKey(channelAccount(a.channel.id, code))) ?? 0n) ? b : a)).channel;
      const at = rechargeAt + index * 10 * MIN + recharges.length * MIN;
      recharges.push({ merchant: m, currency, amount, reference: `TRX${rng.digits(12)}`, note: `Opening payout float for ${channel.spec.code} payouts`, at });
      replay.push(posting(ctx, at, {
        kind: 'RECHARGE', idempotencyKey: `plan:recharge:${m.id}:${code}`, test: false,
        lines: [
          { account: platformAccount(code, 'CLEARING'), amount: -amount },
          { account: merchantAccount(m.id, code, 'AVAILABLE'), amount },
        ],
      }));
    }
  }

  // Channels short of float get it from the platform.
  const lowAfter = lowestBalances([...replay, ...postings].sort(byTime));
  const channels = [...new Map([...ctx.bindings.values()].flat().map((b) => [b.channel.id, b.channel])).values()];
  for (const channel of channels) {
    const code = channel.spec.currency;
    const deficit = -(lowAfter.get(accountKey(channelAccount(channel.id, code))) ?? 0n);
    if (deficit <= 0n) continue;
    const digits = ctx.currencies.get(code)!.digits;
    const amount = roundUp((deficit * 110n) / 100n, 10_000n * 10n ** BigInt(digits));
    result.push(posting(ctx, ctx.start - 3 * HOUR, {
      kind: 'ADJUSTMENT', idempotencyKey: `adjustment:channel-float:${channel.id}`, test: false, referenceType: 'CHANNEL', referenceId: channel.id,
      description: `Platform float for ${channel.spec.code}`,
      lines: [
        { account: channelAccount(channel.id, code), amount: -amount },
        { account: platformAccount(code, 'ADJUSTMENT'), amount },
      ],
    }));
  }
  return { postings: result, recharges, replay };
}

const byTime = (a: PlannedPosting, b: PlannedPosting): number => a.at - b.at || a.seq - b.seq;

function ownerActor(m: MerchantRow): AuditActor {
  const member = m.spec.team.find((t) => t.role === 'MERCHANT_OWNER');
  const id = m.team.get('MERCHANT_OWNER');
  return id && member ? { type: 'USER', id, label: merchantUserEmail(m.spec, member) } : { type: 'SYSTEM' };
}

function financeActor(ctx: Context): AuditActor {
  return { type: 'USER', id: ctx.staff.get('FINANCE') ?? null, label: STAFF.find((s) => s.role === 'FINANCE')?.email ?? null };
}

/** The opening recharges, through the funds module: the merchant's request, finance's approval 3 hours later. */
async function seedRecharges(tx: Tx, ctx: Context, recharges: PlannedRecharge[]): Promise<void> {
  for (const r of recharges) {
    const created = await createRechargeInTx(tx, new Outbox(), {
      merchantId: r.merchant.id,
      currency: r.currency.code,
      amount: formatAmount(r.amount, r.currency.digits),
      reference: r.reference,
      note: r.note,
      actor: ownerActor(r.merchant),
      at: new Date(r.at - 3 * HOUR),
    });
    await approveFundRequestInTx(tx, new Outbox(), { request: { id: created.request.id }, actor: financeActor(ctx), note: 'Funds received', at: new Date(r.at) });
  }
}

/** A share of a merchant's AVAILABLE balance, rounded down to `step` minor units (0 when too little). */
async function shareOf(tx: Tx, m: MerchantRow, currency: CurrencyRow, percent: bigint, step: bigint): Promise<bigint> {
  const [balance] = await merchantBalances(tx, m.id, false, currency.code);
  return (((balance?.available ?? 0n) * percent) / 100n / step) * step;
}

/**
 * Recent fund management, through the funds module, so the financial center has something in every
 * state: stored destinations, an approved and a waiting withdrawal, a rejected one, an approved and a
 * waiting transfer, a waiting and a cancelled recharge. All after the month's postings, from `from` on.
 */
async function seedRecentFundRequests(tx: Tx, ctx: Context, from: number): Promise<void> {
  const [golden, siam, rio] = ctx.merchants;
  if (!golden || !siam || !rio) return;
  const cny = ctx.currencies.get('CNY')!;
  const thb = ctx.currencies.get('THB')!;
  const brl = ctx.currencies.get('BRL')!;
  const usdt = ctx.currencies.get('USDT')!;
  const finance = financeActor(ctx);
  await writeFundFeeSchedule(
    tx,
    {
      WITHDRAWAL: { CNY: { ratePpm: 0, fixed: '500' }, THB: { ratePpm: 0, fixed: '2500' }, BRL: { ratePpm: 0, fixed: '500' }, USDT: { ratePpm: 0, fixed: String(USDT) } },
      TRANSFER: { USDT: { ratePpm: 1000, fixed: '0' } },
    },
    { type: 'SYSTEM', label: 'demo seed' },
  );
  const steps = 10;
  const gap = Math.max(1, Math.floor((ctx.now - from) / (steps + 1)));
  let step = 0;
  const next = () => new Date(from + gap * ++step);

  const dest = async (m: MerchantRow, input: Parameters<typeof createDestinationInTx>[1]) =>
    (await createDestinationInTx(tx, input, ownerActor(m))).id;
  const goldenBank = await dest(golden, { merchantId: golden.id, kind: 'BANK', currency: 'CNY', bankName: 'ICBC Shenzhen Branch', accountName: 'Golden Lotus Games Ltd', accountNumber: '6222020200012345678' });
  const goldenWallet = await dest(golden, { merchantId: golden.id, kind: 'CRYPTO', currency: 'USDT', chain: 'TRON', address: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE', label: 'Treasury wallet' });
  const siamBank = await dest(siam, { merchantId: siam.id, kind: 'BANK', currency: 'THB', bankName: 'Kasikorn Bank', accountName: 'Siam Digital Market Co., Ltd.', accountNumber: '123-4-56789-0' });
  await dest(rio, { merchantId: rio.id, kind: 'BANK', currency: 'BRL', bankName: 'Itaú Unibanco', accountName: 'Rio Commerce Ltda', accountNumber: '0341-12345-6' });

  const withdraw = async (m: MerchantRow, currency: CurrencyRow, destinationId: string, amount: bigint, note?: string) =>
    amount > 0n
      ? (await createWithdrawalInTx(tx, new Outbox(), { merchantId: m.id, currency: currency.code, amount: formatAmount(amount, currency.digits), destinationId, note, actor: ownerActor(m), at: next() })).request.id
      : null;
  const transfer = async (m: MerchantRow, to: MerchantRow, currency: CurrencyRow, amount: bigint, note: string) =>
    amount > 0n
      ? (await createTransferInTx(tx, new Outbox(), { merchantId: m.id, currency: currency.code, amount: formatAmount(amount, currency.digits), targetMchId: to.mchId, note, actor: ownerActor(m), at: next() })).request.id
      : null;
  const recharge = async (m: MerchantRow, currency: CurrencyRow, amount: bigint, note: string) =>
    (await createRechargeInTx(tx, new Outbox(), { merchantId: m.id, currency: currency.code, amount: formatAmount(amount, currency.digits), reference: `TRX${ctx.rng.digits(12)}`, note, actor: ownerActor(m), at: next() })).request.id;
  const approve = (id: string | null, note?: string) =>
    id ? approveFundRequestInTx(tx, new Outbox(), { request: { id }, actor: finance, note, at: next() }) : null;

  await approve(await withdraw(golden, cny, goldenBank, await shareOf(tx, golden, cny, 3n, 100_00n), 'Monthly profit withdrawal'), `Paid, bank ref ICBC${ctx.rng.digits(10)}`);
  const rejected = await withdraw(siam, thb, siamBank, await shareOf(tx, siam, thb, 2n, 100_00n));
  if (rejected) await rejectFundRequestInTx(tx, new Outbox(), { request: { id: rejected }, actor: finance, note: "The account name does not match the merchant's registered name", at: next() });
  await approve(await transfer(siam, golden, usdt, await shareOf(tx, siam, usdt, 5n, 10n * USDT), 'Settlement of invoice INV-2031'));
  await withdraw(golden, usdt, goldenWallet, await shareOf(tx, golden, usdt, 2n, 10n * USDT), 'USDT to treasury');
  await transfer(golden, rio, usdt, await shareOf(tx, golden, usdt, 1n, 10n * USDT), 'Affiliate commission');
  const cancelled = await recharge(rio, brl, 5_000_00n, 'Top-up for payouts');
  await cancelFundRequestInTx(tx, new Outbox(), { request: { id: cancelled }, merchantId: rio.id, actor: ownerActor(rio), note: 'Sent from the wrong account', at: next() });
  await recharge(rio, brl, 8_000_00n, 'Top-up for payouts (resent)');
}

/** The lowest displayed balance each account reaches when `postings` (in time order) are applied (0 if never lower). */
function lowestBalances(postings: PlannedPosting[]): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  const low = new Map<string, bigint>();
  for (const p of postings) {
    for (const line of p.input.lines) {
      // The books are apart: a test account is another account than its live namesake.
      const key = accountKey(line.account) + (p.input.test ? ':test' : '');
      const after = (balances.get(key) ?? 0n) + line.amount;
      balances.set(key, after);
      const shown = displayBalance(line.account.kind, after);
      if (shown < (low.get(key) ?? 0n)) low.set(key, shown);
    }
  }
  return low;
}

function assertNeverNegative(postings: PlannedPosting[]): void {
  for (const [key, value] of lowestBalances(postings)) {
    const kind = key.split(':')[3];
    if (kind !== 'FEES' && kind !== 'ADJUSTMENT' && kind !== 'CLEARING' && value < 0n) {
      throw new Error(`demo seed bug: ${key} would reach ${value}`);
    }
  }
}

// ───────────────────────────── helpers ─────────────────────────────

/** Team members allowed to create orders and payouts (not viewers). */
function writers(m: MerchantRow): string[] {
  return [...m.team].filter(([role]) => role === 'MERCHANT_OWNER' || role === 'MERCHANT_OPERATOR').map(([, id]) => id);
}

function posting(ctx: Context, at: number, input: Omit<PostingInput, 'occurredAt'>): PlannedPosting {
  return { at, seq: ctx.postingSeq++, input };
}

function callbackEvent<S>(ctx: Context, events: TimelineEvent<S>[], after: number, status: PostbackStatus | null, url: string, sequence: number): void {
  const at = Math.min(after + ctx.rng.int(200, 3000), ctx.now);
  if (status === 'ERROR') {
    events.push({ type: 'CALLBACK_FAILED', from: null, to: null, at, actorType: 'SYSTEM', message: 'callback failed: connect ECONNREFUSED', data: { url, sequence, attempts: ctx.rng.int(3, 8) } });
  } else {
    events.push({ type: 'CALLBACK_SENT', from: null, to: null, at, actorType: 'SYSTEM', message: 'callback acknowledged', data: { url, sequence, statusCode: 200 } });
  }
}

/** Draws an amount within `range` around `median` and routes it like the router would (seed 001 limits). */
function pickAmountAndChannel(ctx: Context, ms: MerchantServiceRow, bounds: { lower: bigint; upper: bigint }, median: bigint): { amount: bigint; binding: Binding } {
  const { rng } = ctx;
  const currency = ctx.currencies.get(ms.service.spec.currency)!;
  const candidates = ctx.bindings.get(ms.service.spec.code) ?? [];
  const range = intersectLimits([bounds, { lower: ms.spec.lower, upper: ms.spec.upper }]);
  for (let attempt = 0; attempt < 40; attempt++) {
    const amount = sampleAmount(rng, median, range, currency);
    const binding = route(rng, candidates, amount);
    if (binding) return { amount, binding };
  }
  for (const binding of candidates) {
    const r = intersectLimits([
      { lower: range.lower, upper: range.upper ?? 0n },
      { lower: binding.range.lower, upper: binding.range.upper ?? 0n },
    ]);
    const amount = r.lower > 0n ? r.lower : minorStep(currency);
    if (!r.empty && checkAmountInRange(amount, r).ok) return { amount, binding };
  }
  throw new Error(`demo seed bug: no channel can carry ${ms.service.spec.code} within its limits`);
}

function route(rng: Rng, candidates: Binding[], amount: bigint): Binding | null {
  const fits = candidates.filter((b) => checkAmountInRange(amount, b.range).ok);
  if (fits.length === 0) return null;
  const top = Math.min(...fits.map((b) => b.priority));
  return rng.weighted(
    fits.filter((b) => b.priority === top),
    (b) => b.weight,
  );
}

/** Log-normal around the median, rounded like people pay (whole or round amounts mostly), clamped to the range. */
function sampleAmount(rng: Rng, median: bigint, range: AmountRange, currency: CurrencyRow): bigint {
  // money-lint-allow: a random draw for demo data, rounded back to an exact bigint step below
  const raw = Number(median) * Math.exp(0.85 * rng.normal());
  const step = amountStep(rng, currency);
  let amount = BigInt(Math.max(1, Math.round(raw / Number(step)))) * step; // money-lint-allow: see above
  if (amount < range.lower) amount = roundUp(range.lower, step);
  if (range.upper !== null && amount > range.upper) amount = roundDown(range.upper, step);
  if (amount < range.lower || (range.upper !== null && amount > range.upper) || amount <= 0n) amount = range.lower > 0n ? range.lower : 1n;
  return amount;
}

function amountStep(rng: Rng, currency: CurrencyRow): bigint {
  const unit = 10n ** BigInt(currency.digits);
  if (currency.digits === 0) return rng.chance(0.6) ? 10_000n : 1_000n;
  if (currency.crypto) return rng.chance(0.5) ? unit : unit / 100n;
  const r = rng.next();
  return r < 0.55 ? 10n * unit : r < 0.85 ? unit : 1n;
}

/** The smallest amount people use for the currency (0.01 of a fiat unit, 1 of a 0-digit currency, 0.01 USDT). */
function minorStep(currency: CurrencyRow): bigint {
  return currency.digits === 0 ? 1n : 10n ** BigInt(Math.max(0, currency.digits - 2));
}

const roundDown = (v: bigint, step: bigint): bigint => (v / step) * step;
const roundUp = (v: bigint, step: bigint): bigint => ((v + step - 1n) / step) * step;

/** Scales step offsets down proportionally so the last one fits into `budget` ms. */
function compress(steps: Record<string, number>, offsets: number[], budget: number): void {
  const last = Math.max(0, ...Object.values(steps), ...offsets);
  if (last <= budget || budget <= 0) return;
  const f = budget / last;
  for (const key of Object.keys(steps)) steps[key] = Math.floor(steps[key]! * f);
  for (const [i, v] of offsets.entries()) offsets[i] = Math.floor(v * f);
}

/** Relative traffic by local hour: quiet nights, busy afternoons and evenings. */
const HOUR_WEIGHTS = [0.35, 0.25, 0.15, 0.1, 0.08, 0.1, 0.2, 0.35, 0.55, 0.75, 0.9, 1, 0.95, 0.9, 0.95, 1, 1, 0.95, 0.9, 0.95, 1, 1, 0.85, 0.6];

/** A time in [from, to], weighted to local business hours and a slowly growing business. */
function sampleTime(rng: Rng, from: number, to: number, utcOffsetHours: number, windowStart: number, windowEnd: number): number {
  if (to <= from) return Math.floor(to);
  for (let i = 0; i < 200; i++) {
    const t = from + rng.next() * (to - from);
    const hour = new Date(t + utcOffsetHours * HOUR).getUTCHours();
    const trend = 0.8 + 0.2 * Math.min(1, Math.max(0, (t - windowStart) / (windowEnd - windowStart)));
    if (rng.next() < HOUR_WEIGHTS[hour]! * trend) return Math.floor(t);
  }
  return Math.floor(from + rng.next() * (to - from));
}

function uniqueOrderNo(ctx: Context, prefix: 'P' | 'W' | 'F', at: number): string {
  for (;;) {
    const no = newOrderNo(prefix, new Date(at));
    if (!ctx.orderNos.has(no)) {
      ctx.orderNos.add(no);
      return no;
    }
  }
}

function nextOutTradeNo(m: MerchantRow, at: number, rng: Rng, kind: 'P' | 'W' = 'P'): string {
  m.outTradeSeq += 1;
  const day = new Date(at + m.spec.utcOffsetHours * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
  const prefix = kind === 'W' ? `${m.spec.tradePrefix}W` : m.spec.tradePrefix;
  return `${prefix}${day}${String(m.outTradeSeq).padStart(6, '0')}${rng.digits(2)}`;
}

/** Returning customers: each merchant and service has a pool of payers (or recipients) reused with a skew. */
function pickParty(ctx: Context, m: MerchantRow, service: ServiceSpec): Party {
  const { rng } = ctx;
  let pool = m.parties.get(service.code);
  if (!pool) {
    pool = Array.from({ length: 120 }, () => newParty(rng, service));
    m.parties.set(service.code, pool);
  }
  return pool[Math.floor(pool.length * rng.next() ** 2)]!;
}

const NAMES: Record<string, string[]> = {
  CN: ['张伟', '王芳', '李娜', '刘洋', '陈杰', '杨敏', '赵磊', '黄静', '周强', '吴婷', '徐明', '孙丽', '马超', '朱琳', '胡军', '郭颖'],
  TH: ['Somchai Phongsakorn', 'Suda Srisuk', 'Anan Chaiyaporn', 'Malee Thongdee', 'Niran Wongsawat', 'Pim Rattanakorn', 'Kittisak Boonmee', 'Ratana Saelim'],
  VN: ['Nguyen Van An', 'Tran Thi Bich', 'Le Hoang Nam', 'Pham Minh Chau', 'Hoang Duc Huy', 'Vu Thi Lan', 'Dang Quoc Bao'],
  ID: ['Budi Santoso', 'Siti Rahayu', 'Agus Wijaya', 'Dewi Lestari', 'Rizky Pratama', 'Putri Handayani', 'Andi Saputra'],
  BR: ['João Silva', 'Maria Oliveira', 'Pedro Santos', 'Ana Souza', 'Lucas Pereira', 'Juliana Costa', 'Rafael Almeida', 'Camila Rodrigues'],
  XX: ['Alex Morgan', 'Chris Lee', 'Sam Taylor', 'Jordan Kim', 'Robin Chen'],
};

const BANK_CODES: Record<string, string[]> = {
  CN: ['ICBC', 'CCB', 'ABC', 'BOC', 'CMB', 'BOCOM'],
  TH: ['KBANK', 'SCB', 'BBL', 'KTB', 'BAY', 'TTB'],
  VN: ['VCB', 'TCB', 'ACB', 'BIDV', 'MB', 'VPB'],
  ID: ['BCA', 'BRI', 'BNI', 'MANDIRI', 'CIMB', 'PERMATA'],
};

const PHONE_PREFIX: Record<string, string> = { CN: '+86138', TH: '+668', VN: '+8490', ID: '+62812', BR: '+55119' };

function newParty(rng: Rng, service: ServiceSpec): Party {
  const country = service.country ?? 'XX';
  const banks = BANK_CODES[country];
  const account =
    service.kind === 'CRYPTO' ? tronAddress(rng)
    : country === 'CN' ? `62${rng.pick(['22', '17', '28', '15'])}${rng.digits(14)}`
    : country === 'BR' ? rng.digits(11)
    : rng.digits(country === 'TH' ? 10 : 12);
  return {
    label: `u${rng.digits(7)}`,
    name: rng.pick(NAMES[country] ?? NAMES.XX!),
    account,
    bankCode: banks ? rng.pick(banks) : null,
    phone: `${PHONE_PREFIX[country] ?? '+1555'}${rng.digits(7)}`,
    idNumber: country === 'BR' ? rng.digits(11) : country === 'CN' ? `${rng.digits(17)}${rng.pick(['X', String(rng.int(0, 9))])}` : rng.digits(13),
  };
}

function depositAccountsFor(rng: Rng, c: ChannelSpec): ChannelRow['depositAccounts'] {
  const country = { CNY: 'CN', THB: 'TH', VND: 'VN', IDR: 'ID', BRL: 'BR' }[c.currency];
  const banks = (country && BANK_CODES[country]) || ['PIX'];
  return Array.from({ length: 3 }, () => ({
    bankName: rng.pick(banks),
    accountName: `${c.name.split(' ')[0]} Collections`,
    accountNumber: c.currency === 'USDT' ? tronAddress(rng) : rng.digits(c.currency === 'CNY' ? 19 : 12),
  }));
}

function instructionsFor(rng: Rng, service: ServiceSpec, channel: ChannelRow, amount: bigint, currency: CurrencyRow, toAddress: string | null, remarkCode: string | null): PayinInstructions {
  const value = formatAmount(amount, currency.digits);
  if (service.kind === 'CRYPTO') return { type: 'crypto', chain: service.chain ?? 'TRON', address: toAddress ?? tronAddress(rng), amount: value, currency: currency.code };
  if (service.kind === 'PIX') return { type: 'pix', pixKey: `${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`, qrCode: `00020126580014br.gov.bcb.pix0136${rng.hex(32)}5204000053039865405${value}`, amount: value, currency: currency.code };
  if (service.kind === 'E_WALLET') return { type: 'qr', qrCode: `https://qr.alipay.com/${rng.code(20).toLowerCase()}`, amount: value, currency: currency.code };
  const account = rng.pick(channel.depositAccounts);
  return { type: 'bank', bankName: account.bankName, accountName: account.accountName, accountNumber: account.accountNumber, amount: value, currency: currency.code, ...(remarkCode ? { reference: remarkCode } : {}) };
}

function tronAddress(rng: Rng): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let out = 'T';
  for (let i = 0; i < 33; i++) out += alphabet[Math.floor(rng.next() * alphabet.length)];
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A UUID v7 whose timestamp is `ms`, so ids sort like the (back-dated) creation times. */
function uuidv7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(Math.floor(ms), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ───────────────────────────── bulk insert ─────────────────────────────

/**
 * Bulk inserts go through `INSERT … SELECT FROM unnest($1::type[], …)`: one array parameter per column,
 * about ten times faster than createMany for tens of thousands of rows. The rows are still typed as
 * Prisma's CreateManyInput; each table lists the columns written and their SQL types.
 */
interface Table<Row> {
  name: string;
  columns: readonly (readonly [keyof Row & string, string])[];
}

const table = <Row>(name: string, columns: readonly (readonly [keyof Row & string, string])[]): Table<Row> => ({ name, columns });

const ORDER_TABLE = table<Prisma.OrderCreateManyInput>('orders', [
  ['id', 'uuid'], ['orderNo', 'varchar'], ['prepayId', 'varchar'], ['merchantId', 'uuid'], ['appId', 'uuid'], ['serviceId', 'uuid'],
  ['channelId', 'uuid'], ['outTradeNo', 'varchar'], ['status', '"OrderStatus"'], ['sequence', 'int4'], ['currencyCode', 'varchar'],
  ['chain', 'varchar'], ['amount', 'int8'], ['paidAmount', 'int8'], ['fee', 'int8'], ['orderType', '"OrderType"'], ['description', 'varchar'],
  ['attach', 'varchar'], ['locale', 'varchar'], ['notifyUrl', 'varchar'], ['returnUrl', 'varchar'], ['toAddress', 'varchar'],
  ['userLabel', 'varchar'], ['payerName', 'varchar'], ['payerAccount', 'varchar'], ['bankCode', 'varchar'], ['payerPhone', 'varchar'],
  ['payerIdNumber', 'varchar'], ['remarkCode', 'varchar'], ['instructions', 'jsonb'], ['upstreamRef', 'varchar'], ['test', 'bool'],
  ['creationType', '"CreationType"'], ['originality', '"Originality"'], ['postbackStatus', '"PostbackStatus"'],
  ['accumulationStatus', '"AccumulationStatus"'], ['requestHash', 'varchar'], ['createdById', 'uuid'], ['expireAt', 'timestamptz'],
  ['paidAt', 'timestamptz'], ['finishedAt', 'timestamptz'], ['createdAt', 'timestamptz'], ['updatedAt', 'timestamptz'],
]);

const PAYMENT_TABLE = table<Prisma.PaymentCreateManyInput>('payments', [
  ['id', 'uuid'], ['orderId', 'uuid'], ['channelId', 'uuid'], ['txnId', 'varchar'], ['amount', 'int8'], ['currencyCode', 'varchar'],
  ['status', '"PaymentStatus"'], ['paidAt', 'timestamptz'], ['createdAt', 'timestamptz'],
]);

const ORDER_EVENT_TABLE = table<Prisma.OrderEventCreateManyInput>('order_events', [
  ['orderId', 'uuid'], ['type', 'varchar'], ['fromStatus', '"OrderStatus"'], ['toStatus', '"OrderStatus"'], ['message', 'text'],
  ['data', 'jsonb'], ['actorType', '"ActorType"'], ['actorId', 'varchar'], ['createdAt', 'timestamptz'],
]);

const PENDING_SETTLEMENT_TABLE = table<Prisma.PendingSettlementCreateManyInput>('pending_settlements', [
  ['id', 'uuid'], ['merchantId', 'uuid'], ['orderId', 'uuid'], ['currencyCode', 'varchar'], ['amount', 'int8'], ['releaseAt', 'timestamptz'],
  ['releasedAt', 'timestamptz'], ['test', 'bool'], ['createdAt', 'timestamptz'],
]);

const PAYOUT_TABLE = table<Prisma.PayoutCreateManyInput>('payouts', [
  ['id', 'uuid'], ['payoutNo', 'varchar'], ['merchantId', 'uuid'], ['appId', 'uuid'], ['serviceId', 'uuid'], ['channelId', 'uuid'],
  ['outTradeNo', 'varchar'], ['status', '"PayoutStatus"'], ['sequence', 'int4'], ['currencyCode', 'varchar'], ['chain', 'varchar'],
  ['amount', 'int8'], ['fee', 'int8'], ['recipientName', 'varchar'], ['recipientAccount', 'varchar'], ['bankCode', 'varchar'],
  ['recipientPhone', 'varchar'], ['recipientIdNumber', 'varchar'], ['description', 'varchar'], ['notifyUrl', 'varchar'],
  ['userLabel', 'varchar'], ['upstreamRef', 'varchar'], ['failureReason', 'text'], ['reviewNote', 'text'], ['reviewedById', 'uuid'],
  ['reviewedAt', 'timestamptz'], ['test', 'bool'], ['creationType', '"CreationType"'], ['originality', '"Originality"'],
  ['postbackStatus', '"PostbackStatus"'], ['requestHash', 'varchar'], ['createdById', 'uuid'], ['submittedAt', 'timestamptz'],
  ['finishedAt', 'timestamptz'], ['createdAt', 'timestamptz'], ['updatedAt', 'timestamptz'],
]);

const PAYOUT_EVENT_TABLE = table<Prisma.PayoutEventCreateManyInput>('payout_events', [
  ['payoutId', 'uuid'], ['type', 'varchar'], ['fromStatus', '"PayoutStatus"'], ['toStatus', '"PayoutStatus"'], ['message', 'text'],
  ['data', 'jsonb'], ['actorType', '"ActorType"'], ['actorId', 'varchar'], ['createdAt', 'timestamptz'],
]);

const BULK_ROWS = 5000;

async function bulkInsert<Row>(tx: Tx, t: Table<Row>, rows: readonly Row[]): Promise<void> {
  const columnList = t.columns.map(([name]) => `"${name}"`).join(', ');
  const arrays = t.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const sql = `INSERT INTO "${t.name}" (${columnList}) SELECT * FROM unnest(${arrays})`;
  for (let start = 0; start < rows.length; start += BULK_ROWS) {
    const chunk = rows.slice(start, start + BULK_ROWS);
    const params = t.columns.map(([name]) => chunk.map((row) => sqlValue(row[name])));
    await tx.$executeRawUnsafe(sql, ...params);
  }
}

/** A value as the text PostgreSQL parses for the column's type (JSON as its text, bigints exactly). */
function sqlValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TypeError(`demo seed: cannot insert ${typeof value}`);
}

function elapsed(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}

/** Small deterministic generator (mulberry32), so the demo mix is the same on every run. */
class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  digits(n: number): string {
    let out = String(this.int(1, 9));
    while (out.length < n) out += String(this.int(0, 9));
    return out.slice(0, n);
  }

  hex(n: number): string {
    let out = '';
    while (out.length < n) out += this.int(0, 15).toString(16);
    return out;
  }

  code(n: number): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let out = '';
    while (out.length < n) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}
