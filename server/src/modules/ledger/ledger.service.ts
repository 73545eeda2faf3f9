import { Prisma } from '../../generated/prisma/client.ts';
import type { LedgerAccountKind, LedgerOwnerType, ActorType } from '../../generated/prisma/enums.ts';
import type { Db } from '../../db/prisma.ts';
import { DomainError } from '../../lib/errors.ts';

/**
 * The double-entry ledger: the only code that moves money.
 *
 * Sign convention: an entry's `amount` is positive for a credit and negative for a debit, and an
 * account's `balance` is the plain sum of its entries. Liability accounts (what we owe merchants, fee
 * revenue) are credit-normal, so their balances are positive. Asset accounts (money held at an upstream
 * channel, money in clearing) are debit-normal: their stored balance is negative while we hold money
 * there, and `displayBalance` shows it positive. Every transaction's entries sum to zero per currency.
 */

export const PLATFORM_OWNER = 'platform';

export interface AccountRef {
  ownerType: LedgerOwnerType;
  ownerId: string;
  currency: string;
  kind: LedgerAccountKind;
}

export interface PostingLine {
  account: AccountRef;
  /** Signed minor units: positive credits the account, negative debits it. */
  amount: bigint;
}

export interface PostingInput {
  kind: string;
  /**
   * The book: `true` posts to the test accounts, `false` to the live ones. Required, so that no caller
   * can forget it: test orders, payouts and fund movements never touch a live balance.
   */
  test: boolean;
  /** Posting twice with the same key does nothing the second time. */
  idempotencyKey: string;
  referenceType?: string;
  referenceId?: string;
  description?: string;
  actorType?: ActorType;
  actorId?: string;
  /** When the movement happened; defaults to now. Only imports and demo data set it. */
  occurredAt?: Date;
  lines: PostingLine[];
}

export interface PostingResult {
  transactionId: string;
  /** True when this key was posted before: nothing was written now. */
  replayed: boolean;
  /** New balances (stored orientation) of the touched accounts, by account key. */
  balances: Map<string, bigint>;
}

const DEBIT_NORMAL = new Set<LedgerAccountKind>(['BALANCE', 'CLEARING', 'ADJUSTMENT']);

/** Accounts whose shown balance may never fall below zero. */
const NON_NEGATIVE = new Set<LedgerAccountKind>(['AVAILABLE', 'PENDING', 'FROZEN', 'BALANCE']);

export function isDebitNormal(kind: LedgerAccountKind): boolean {
  return DEBIT_NORMAL.has(kind);
}

/** The balance as people read it: positive when the account holds money, whatever its side. */
export function displayBalance(kind: LedgerAccountKind, stored: bigint): bigint {
  return isDebitNormal(kind) ? -stored : stored;
}

export function accountKey(ref: AccountRef): string {
  return `${ref.ownerType}:${ref.ownerId}:${ref.currency}:${ref.kind}`;
}

export const merchantAccount = (merchantId: string, currency: string, kind: 'AVAILABLE' | 'PENDING' | 'FROZEN'): AccountRef => ({
  ownerType: 'MERCHANT',
  ownerId: merchantId,
  currency,
  kind,
});

export const channelAccount = (channelId: string, currency: string): AccountRef => ({
  ownerType: 'CHANNEL',
  ownerId: channelId,
  currency,
  kind: 'BALANCE',
});

export const platformAccount = (currency: string, kind: 'FEES' | 'CLEARING' | 'ADJUSTMENT'): AccountRef => ({
  ownerType: 'PLATFORM',
  ownerId: PLATFORM_OWNER,
  currency,
  kind,
});

/**
 * Posts a balanced transaction inside the caller's database transaction: creates missing accounts,
 * locks the touched accounts in id order (so concurrent postings never deadlock), writes the entries
 * with balance-after and updates the balances. Throws LEDGER_UNBALANCED or INSUFFICIENT_BALANCE and
 * writes nothing then (the caller's transaction must roll back).
 */
export async function postTransaction(tx: Db, input: PostingInput): Promise<PostingResult> {
  const lines = normaliseLines(input.lines);
  assertBalanced(lines);

  if (typeof input.test !== 'boolean') throw new TypeError('a posting must name its book (test: boolean)');
  const book = input.test;

  const at = input.occurredAt ?? new Date();
  const refs = lines.map((l) => l.account);

  // Create missing accounts, then lock the touched ones in id order. The insert stays first on purpose:
  // locking first (and inserting only when an account was missing) deadlocked in the 1,000-payout race
  // test (payouts-race.test.ts), where each transaction posts to merchant and then channel accounts;
  // the insert waits on an account another transaction has just updated before any row lock is taken.
  await ensureAccounts(tx, refs, book);
  const locked = await lockAccounts(tx, refs, book);
  const balances = new Map<string, bigint>();
  const entryRows: Prisma.Sql[] = [];
  for (const line of lines) {
    const key = accountKey(line.account);
    const account = locked.get(key);
    if (!account) throw new Error(`ledger account ${key} vanished while locking`);
    const after = (balances.get(key) ?? account.balance) + line.amount;
    balances.set(key, after);
    entryRows.push(Prisma.sql`(${account.id}::uuid, ${line.account.currency}, ${line.amount}::bigint, ${after}::bigint)`);
  }

  for (const [key, after] of balances) {
    const kind = key.split(':')[3] as LedgerAccountKind;
    if (NON_NEGATIVE.has(kind) && displayBalance(kind, after) < 0n) {
      // A replay of a posting made while the balance still covered it is a replay, not a refusal.
      const replayed = await findPosting(tx, input.idempotencyKey);
      if (replayed) return { transactionId: replayed, replayed: true, balances: new Map() };
      const account = locked.get(key)!;
      throw new DomainError('INSUFFICIENT_BALANCE', 'insufficient balance', {
        account: key,
        balance: displayBalance(kind, account.balance).toString(),
      });
    }
  }

  // The transaction, its entries and the new balances in one statement; nothing but the transaction
  // row's conflict is written when the idempotency key was posted before.
  const updates = [...balances].map(([key, after]) => Prisma.sql`(${locked.get(key)!.id}::uuid, ${after}::bigint)`);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    WITH t AS (
      INSERT INTO ledger_transactions (id, kind, "referenceType", "referenceId", "idempotencyKey", test, description, "actorType", "actorId", "createdAt")
      VALUES (gen_random_uuid(), ${input.kind}, ${input.referenceType ?? null}, ${input.referenceId ?? null}, ${input.idempotencyKey}, ${book},
              ${input.description ?? null}, ${input.actorType ?? 'SYSTEM'}::"ActorType", ${input.actorId ?? null}, ${at})
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id
    ), e AS (
      INSERT INTO ledger_entries ("transactionId", "accountId", "currencyCode", amount, "balanceAfter", "createdAt")
      SELECT t.id, v."accountId", v.currency, v.amount, v."balanceAfter", ${at}
      FROM t CROSS JOIN (VALUES ${Prisma.join(entryRows)}) AS v("accountId", currency, amount, "balanceAfter")
    ), u AS (
      UPDATE ledger_accounts AS a SET balance = v.balance, "updatedAt" = now()
      FROM (VALUES ${Prisma.join(updates)}) AS v(id, balance)
      WHERE a.id = v.id AND EXISTS (SELECT 1 FROM t)
    )
    SELECT id FROM t`;
  if (inserted.length === 0) {
    return { transactionId: (await findPosting(tx, input.idempotencyKey))!, replayed: true, balances: new Map() };
  }
  return { transactionId: inserted[0]!.id, replayed: false, balances };
}

/** The id of the transaction posted under an idempotency key, if any. */
async function findPosting(tx: Db, idempotencyKey: string): Promise<string | null> {
  const existing = await tx.ledgerTransaction.findUnique({ where: { idempotencyKey }, select: { id: true } });
  return existing?.id ?? null;
}

/** Merges lines on the same account so each account gets one entry per transaction. */
function normaliseLines(lines: PostingLine[]): PostingLine[] {
  const merged = new Map<string, PostingLine>();
  for (const line of lines) {
    if (typeof line.amount !== 'bigint') throw new TypeError('ledger amounts must be bigint');
    const key = accountKey(line.account);
    const prev = merged.get(key);
    merged.set(key, { account: line.account, amount: (prev?.amount ?? 0n) + line.amount });
  }
  const result = [...merged.values()].filter((l) => l.amount !== 0n);
  if (result.length < 2) throw new DomainError('LEDGER_UNBALANCED', 'a ledger transaction needs at least two non-zero entries');
  return result;
}

function assertBalanced(lines: PostingLine[]): void {
  const sums = new Map<string, bigint>();
  for (const line of lines) sums.set(line.account.currency, (sums.get(line.account.currency) ?? 0n) + line.amount);
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new DomainError('LEDGER_UNBALANCED', `entries in ${currency} sum to ${sum}, not zero`, { currency, sum: sum.toString() });
  }
}

async function ensureAccounts(tx: Db, refs: AccountRef[], test: boolean): Promise<void> {
  const rows = refs.map(
    (r) => Prisma.sql`(gen_random_uuid(), ${r.ownerType}::"LedgerOwnerType", ${r.ownerId}, ${r.ownerType === 'MERCHANT' ? r.ownerId : null}::uuid,
      ${r.ownerType === 'CHANNEL' ? r.ownerId : null}::uuid, ${r.currency}, ${r.kind}::"LedgerAccountKind", 0, ${test}, now(), now())`,
  );
  await tx.$executeRaw`
    INSERT INTO ledger_accounts (id, "ownerType", "ownerId", "merchantId", "channelId", "currencyCode", kind, balance, test, "createdAt", "updatedAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("ownerType", "ownerId", "currencyCode", kind, test) DO NOTHING`;
}

interface LockedAccount {
  id: string;
  balance: bigint;
}

async function lockAccounts(tx: Db, refs: AccountRef[], test: boolean): Promise<Map<string, LockedAccount>> {
  const keys = refs.map((r) => Prisma.sql`(${r.ownerType}::"LedgerOwnerType", ${r.ownerId}, ${r.currency}, ${r.kind}::"LedgerAccountKind")`);
  const rows = await tx.$queryRaw<{ id: string; ownerType: string; ownerId: string; currencyCode: string; kind: string; balance: bigint }[]>`
    SELECT id, "ownerType", "ownerId", "currencyCode", kind, balance
    FROM ledger_accounts
    WHERE ("ownerType", "ownerId", "currencyCode", kind) IN (${Prisma.join(keys)}) AND test = ${test}
    ORDER BY id
    FOR UPDATE`;
  const result = new Map<string, LockedAccount>();
  for (const row of rows) {
    const key = `${row.ownerType}:${row.ownerId}:${row.currencyCode}:${row.kind}`;
    result.set(key, { id: row.id, balance: BigInt(row.balance) });
  }
  return result;
}

export interface BalanceView {
  currency: string;
  available: bigint;
  pending: bigint;
  frozen: bigint;
  total: bigint;
}

/** A merchant's balances per currency in one book (live or test): available, pending (T+N), frozen (in flight). */
export async function merchantBalances(db: Db, merchantId: string, test: boolean, currency?: string): Promise<BalanceView[]> {
  const accounts = await db.ledgerAccount.findMany({
    where: { ownerType: 'MERCHANT', ownerId: merchantId, test, ...(currency ? { currencyCode: currency } : {}) },
    select: { currencyCode: true, kind: true, balance: true },
    orderBy: { currencyCode: 'asc' },
  });
  const byCurrency = new Map<string, BalanceView>();
  for (const a of accounts) {
    const view = byCurrency.get(a.currencyCode) ?? { currency: a.currencyCode, available: 0n, pending: 0n, frozen: 0n, total: 0n };
    if (a.kind === 'AVAILABLE') view.available = a.balance;
    if (a.kind === 'PENDING') view.pending = a.balance;
    if (a.kind === 'FROZEN') view.frozen = a.balance;
    view.total = view.available + view.pending + view.frozen;
    byCurrency.set(a.currencyCode, view);
  }
  return [...byCurrency.values()];
}
