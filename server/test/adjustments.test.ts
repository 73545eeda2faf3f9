import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../src/generated/prisma/client.ts';
import { DomainError } from '../src/lib/errors.ts';
import { newMchId } from '../src/lib/ids.ts';
import type { AuditActor } from '../src/modules/audit/audit.service.ts';
import { adjustMerchantBalance, parseSignedAmount } from '../src/modules/ledger/adjustments.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { merchantBalances } from '../src/modules/ledger/ledger.service.ts';
import { ensureCurrency } from './support/payin-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/** Manual adjustments by an administrator: balanced postings against platform ADJUSTMENT, audited, never overdrawing. */

let db: TestDatabase;
let merchant: Merchant;
const admin: AuditActor = { type: 'USER', id: '0195f0a0-0000-7000-8000-0000000000ad', label: 'admin@payrail.test', ip: '10.0.0.1' };

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureCurrency(db.prisma, 'IDR', 0);
  await ensureCurrency(db.prisma, 'THB', 2);
  merchant = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'Adjusted' } });
});

afterAll(async () => {
  await db?.drop();
});

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const available = async (currency: string) => (await merchantBalances(db.prisma, merchant.id, false, currency))[0]?.available ?? 0n;
const adjustmentAccount = async (currency: string) =>
  (await db.prisma.ledgerAccount.findUnique({
    where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'PLATFORM', ownerId: 'platform', currencyCode: currency, kind: 'ADJUSTMENT', test: false } },
  }))?.balance ?? 0n;

describe('manual adjustment', () => {
  it('credits and debits AVAILABLE against platform ADJUSTMENT, with an audit row', async () => {
    const credit = await adjustMerchantBalance(db.prisma, { merchantId: merchant.id, currency: 'THB', amount: '150.25', reason: ' goodwill credit ', actor: admin });
    expect(credit).toMatchObject({ currency: 'THB', amount: 150_25n, balance: 150_25n, replayed: false });
    const debit = await adjustMerchantBalance(db.prisma, { merchantId: merchant.id, currency: 'THB', amount: '-50.25', reason: 'chargeback', actor: admin });
    expect(debit).toMatchObject({ amount: -50_25n, balance: 100_00n });
    expect(await available('THB')).toBe(100_00n);
    expect(await adjustmentAccount('THB')).toBe(-100_00n); // debit-normal: the platform paid 100.00

    const tx = await db.prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: credit.transactionId }, include: { entries: true } });
    expect(tx).toMatchObject({ kind: 'ADJUSTMENT', description: 'Manual adjustment: goodwill credit', actorType: 'USER', actorId: admin.id });
    expect(tx.entries.map((e) => e.amount).sort()).toEqual([-150_25n, 150_25n]);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { entityId: debit.transactionId } });
    expect(audit).toMatchObject({ action: 'ledger.adjust', merchantId: merchant.id, actorId: admin.id, ip: '10.0.0.1', entityType: 'LedgerTransaction' });
    expect(audit.before).toEqual({ currency: 'THB', available: '150.25' });
    expect(audit.after).toEqual({ currency: 'THB', available: '100.00', amount: '-50.25', reason: 'chargeback' });
  });

  it('never debits below zero and writes nothing then', async () => {
    const before = { tx: await db.prisma.ledgerTransaction.count(), audit: await db.prisma.auditLog.count() };
    const e = await failure(adjustMerchantBalance(db.prisma, { merchantId: merchant.id, currency: 'THB', amount: '-100.01', reason: 'too much', actor: admin }));
    expect(e.code).toBe('INSUFFICIENT_BALANCE');
    // Nothing in IDR at all: any debit is too much.
    expect((await failure(adjustMerchantBalance(db.prisma, { merchantId: merchant.id, currency: 'IDR', amount: '-1', reason: 'x', actor: admin }))).code).toBe('INSUFFICIENT_BALANCE');
    expect({ tx: await db.prisma.ledgerTransaction.count(), audit: await db.prisma.auditLog.count() }).toEqual(before);
    // Exactly to zero is fine.
    expect((await adjustMerchantBalance(db.prisma, { merchantId: merchant.id, currency: 'THB', amount: '-100.00', reason: 'close out', actor: admin })).balance).toBe(0n);
  });

  it('requires a reason, a non-zero amount in the currency digits, a known merchant and currency', async () => {
    const base = { merchantId: merchant.id, currency: 'IDR', amount: '1000', reason: 'r', actor: admin };
    expect(await failure(adjustMerchantBalance(db.prisma, { ...base, reason: '   ' }))).toMatchObject({ code: 'INVALID_PARAMETER', details: { field: 'reason' } });
    expect(await failure(adjustMerchantBalance(db.prisma, { ...base, amount: '0' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'amount', reason: 'ZERO' } });
    expect(await failure(adjustMerchantBalance(db.prisma, { ...base, amount: '10.5' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'amount', reason: 'TOO_MANY_DIGITS' } });
    expect(await failure(adjustMerchantBalance(db.prisma, { ...base, amount: '--5' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'amount' } });
    expect(await failure(adjustMerchantBalance(db.prisma, { ...base, currency: 'XXX' }))).toMatchObject({ code: 'CURRENCY_NOT_SUPPORTED' });
    expect(await failure(adjustMerchantBalance(db.prisma, { ...base, merchantId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ code: 'MERCHANT_NOT_FOUND' });
    expect(parseSignedAmount('-0.5', 2)).toBe(-50n);
    expect(parseSignedAmount(' 7 ', 0)).toBe(7n);
  });

  it('applies a client idempotency key once, and refuses it for a different adjustment', async () => {
    const input = { merchantId: merchant.id, currency: 'IDR', amount: '5000', reason: 'promo', actor: admin, idempotencyKey: 'form-42' };
    const first = await adjustMerchantBalance(db.prisma, input);
    const again = await adjustMerchantBalance(db.prisma, input);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await available('IDR')).toBe(5000n);
    expect(await db.prisma.auditLog.count({ where: { entityId: first.transactionId } })).toBe(1);
    expect(await failure(adjustMerchantBalance(db.prisma, { ...input, amount: '6000' }))).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('keeps the ledger invariants', async () => {
    expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
  });
});
