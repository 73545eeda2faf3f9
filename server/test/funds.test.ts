import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant, MerchantDestination } from '../src/generated/prisma/client.ts';
import { createEventBus } from '../src/events/create.ts';
import type { FundRequestChanged } from '../src/events/topics.ts';
import { DomainError } from '../src/lib/errors.ts';
import { newMchId } from '../src/lib/ids.ts';
import type { AuditActor } from '../src/modules/audit/audit.service.ts';
import { createDestination, deleteDestination, listDestinations } from '../src/modules/funds/destinations.service.ts';
import { quoteFundFee, readFundFeeSchedule, writeFundFeeSchedule } from '../src/modules/funds/funds.fees.ts';
import { getFundRequest } from '../src/modules/funds/funds.service.ts';
import { approveFundRequest } from '../src/modules/funds/operations/approve-fund-request.ts';
import { createRecharge, createTransfer, createWithdrawal } from '../src/modules/funds/operations/create-fund-request.ts';
import { cancelFundRequest, rejectFundRequest } from '../src/modules/funds/operations/reject-fund-request.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { merchantBalances } from '../src/modules/ledger/ledger.service.ts';
import { ensureCurrency } from './support/payin-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/**
 * Fund management end to end on a real PostgreSQL: recharge, withdrawal and merchant-to-merchant
 * transfer through create → approve / reject / cancel, with the ledger, the audit log and the published
 * events checked after every step, every refusal leaving nothing behind, and concurrent decisions moving
 * money exactly once.
 */

let db: TestDatabase;
const events = createEventBus();
const published: FundRequestChanged[] = [];
let services: { prisma: TestDatabase['prisma']; events: typeof events };
let alpha: Merchant;
let beta: Merchant;
let suspended: Merchant;
let bank: MerchantDestination;
let wallet: MerchantDestination;

const finance: AuditActor = { type: 'USER', id: '0195f0a0-0000-7000-8000-00000000f1a5', label: 'finance@payrail.test' };
let owner: AuditActor;

beforeAll(async () => {
  db = await createTestDatabase();
  services = { prisma: db.prisma, events };
  void (async () => {
    for await (const change of events.subscribe('fund_request:changed')) published.push(change);
  })();
  await ensureCurrency(db.prisma, 'THB', 2);
  await ensureCurrency(db.prisma, 'USD', 2);
  await ensureCurrency(db.prisma, 'USDT', 6, true);
  alpha = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'Alpha' } });
  beta = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'Beta' } });
  suspended = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'Gamma', status: 'SUSPENDED' } });
  owner = { type: 'USER', id: '0195f0a0-0000-7000-8000-0000000000a1', label: 'owner@alpha.test' };
  await writeFundFeeSchedule(
    db.prisma,
    { WITHDRAWAL: { THB: { ratePpm: 10_000, fixed: '500' } }, TRANSFER: { THB: { ratePpm: '0', fixed: 200 } }, RECHARGE: { USDT: { ratePpm: 1000 } } },
    { type: 'USER', id: finance.id ?? null },
  );
});

afterAll(async () => {
  await events.close();
  await db?.drop();
});

async function available(merchantId: string, currency = 'THB'): Promise<{ available: bigint; frozen: bigint }> {
  const [b] = await merchantBalances(db.prisma, merchantId, false, currency);
  return { available: b?.available ?? 0n, frozen: b?.frozen ?? 0n };
}

async function platform(kind: 'FEES' | 'CLEARING', currency = 'THB'): Promise<bigint> {
  const a = await db.prisma.ledgerAccount.findUnique({
    where: { ownerType_ownerId_currencyCode_kind_test: { ownerType: 'PLATFORM', ownerId: 'platform', currencyCode: currency, kind, test: false } },
  });
  return a?.balance ?? 0n;
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

async function counts() {
  return {
    requests: await db.prisma.fundRequest.count(),
    transactions: await db.prisma.ledgerTransaction.count(),
    audits: await db.prisma.auditLog.count(),
  };
}

/** Recharges and approves, so a merchant has money to move. */
async function fund(merchant: Merchant, amount: string, currency = 'THB') {
  const r = await createRecharge(services, { merchantId: merchant.id, currency, amount, reference: `REF-${amount}`, actor: owner });
  return approveFundRequest(services, { request: { id: r.request.id }, actor: finance });
}

describe('fee schedule', () => {
  it('is read from the fund_fees setting and validated on write', async () => {
    const schedule = await readFundFeeSchedule(db.prisma);
    expect(schedule.WITHDRAWAL?.THB).toEqual({ ratePpm: 10_000n, fixed: 500n });
    expect(await quoteFundFee(db.prisma, 'WITHDRAWAL', 'THB', 100_00n)).toBe(1_00n + 5_00n);
    expect(await quoteFundFee(db.prisma, 'WITHDRAWAL', 'USD', 100_00n)).toBe(0n);
    const bad = await failure(writeFundFeeSchedule(db.prisma, { WITHDRAWAL: { THB: { ratePpm: 1.5 } } }, finance));
    expect(bad).toMatchObject({ code: 'INVALID_PARAMETER', details: { field: 'fund_fees.WITHDRAWAL.THB.ratePpm' } });
    expect(await failure(writeFundFeeSchedule(db.prisma, { REFUND: {} }, finance))).toMatchObject({ details: { field: 'fund_fees.REFUND' } });
    expect(await db.prisma.auditLog.count({ where: { action: 'settings.fund_fees' } })).toBe(1);
  });
});

describe('recharge', () => {
  it('moves nothing until approved, then credits AVAILABLE against platform CLEARING', async () => {
    published.length = 0;
    const created = await createRecharge(services, { merchantId: alpha.id, currency: 'THB', amount: '1000.00', reference: ' TRX-1 ', note: 'March float', actor: owner });
    expect(created.request).toMatchObject({ kind: 'RECHARGE', status: 'NEW', amount: 1000_00n, fee: 0n, reference: 'TRX-1', createdById: owner.id });
    expect(created.request.requestNo).toMatch(/^F\d{20}$/);
    expect(created.transactionId).toBeNull();
    expect(await available(alpha.id)).toEqual({ available: 0n, frozen: 0n });

    const approved = await approveFundRequest(services, { request: { requestNo: created.request.requestNo }, actor: finance, note: 'received' });
    expect(approved.request).toMatchObject({ status: 'APPROVED', reviewNote: 'received', reviewedById: finance.id });
    expect(approved.object).toMatchObject({ amount: '1000.00', fee: '0.00', total: '1000.00', status: 'APPROVED', mchId: alpha.mchId });
    expect(await available(alpha.id)).toEqual({ available: 1000_00n, frozen: 0n });
    expect(await platform('CLEARING')).toBe(-1000_00n);
    const tx = await db.prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: approved.transactionId! } });
    expect(tx).toMatchObject({ kind: 'RECHARGE', idempotencyKey: `fund:${created.request.id}:approve`, referenceType: 'FUND_REQUEST', actorId: finance.id });

    const audits = await db.prisma.auditLog.findMany({ where: { entityId: created.request.id }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, a.actorId])).toEqual([
      ['fund_request.create', owner.id],
      ['fund_request.approve', finance.id],
    ]);
    expect(audits[1]!.before).toEqual({ status: 'NEW' });
    expect(audits[1]!.after).toMatchObject({ status: 'APPROVED', amount: '1000.00', reviewNote: 'received', ledgerTransactionId: approved.transactionId });
    await new Promise((r) => setImmediate(r));
    expect(published.filter((p) => p.id === created.request.id).map((p) => p.status)).toEqual(['NEW', 'APPROVED']);
  });

  it('takes its fee out of the credited amount', async () => {
    const r = await createRecharge(services, { merchantId: alpha.id, currency: 'USDT', amount: '100', reference: 'tx-hash', actor: owner });
    expect(r.request.fee).toBe(100_000n); // 0.1 % of 100 USDT
    await approveFundRequest(services, { request: { id: r.request.id }, actor: finance });
    expect((await available(alpha.id, 'USDT')).available).toBe(99_900_000n);
    expect(await platform('FEES', 'USDT')).toBe(100_000n);
  });

  it('refuses bad input with a stable code and the field, writing nothing', async () => {
    const before = await counts();
    const base = { merchantId: alpha.id, currency: 'THB', amount: '10.00', reference: 'R', actor: owner };
    expect(await failure(createRecharge(services, { ...base, amount: '10.001' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'amount', reason: 'TOO_MANY_DIGITS' } });
    expect(await failure(createRecharge(services, { ...base, amount: '0.00' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'amount', reason: 'NOT_POSITIVE' } });
    expect(await failure(createRecharge(services, { ...base, amount: '-5' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'amount' } });
    expect(await failure(createRecharge(services, { ...base, amount: '1e3' }))).toMatchObject({ code: 'INVALID_AMOUNT' });
    expect(await failure(createRecharge(services, { ...base, reference: '  ' }))).toMatchObject({ code: 'INVALID_PARAMETER', details: { field: 'reference' } });
    expect(await failure(createRecharge(services, { ...base, currency: 'XYZ' }))).toMatchObject({ code: 'CURRENCY_NOT_SUPPORTED', details: { field: 'currency' } });
    expect(await failure(createRecharge(services, { ...base, merchantId: suspended.id }))).toMatchObject({ code: 'MERCHANT_SUSPENDED' });
    expect(await failure(createRecharge(services, { ...base, merchantId: 'not-a-uuid' }))).toMatchObject({ code: 'MERCHANT_NOT_FOUND' });
    expect(await counts()).toEqual(before);
  });
});

describe('destinations', () => {
  it('are validated by kind and listed per merchant', async () => {
    bank = await createDestination(db.prisma, { merchantId: alpha.id, kind: 'BANK', currency: 'THB', bankName: 'Kasikorn', accountName: 'Alpha Co', accountNumber: '123-4-56789-0' }, owner);
    expect(bank).toMatchObject({ accountNumber: '1234567890', label: 'Kasikorn ••7890', currencyCode: 'THB' });
    wallet = await createDestination(db.prisma, { merchantId: alpha.id, kind: 'CRYPTO', currency: 'USDT', chain: 'tron', address: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE' }, owner);
    expect(wallet).toMatchObject({ chain: 'TRON', kind: 'CRYPTO' });
    const bad = (input: Parameters<typeof createDestination>[1]) => failure(createDestination(db.prisma, input, owner));
    expect(await bad({ merchantId: alpha.id, kind: 'CRYPTO', currency: 'USDT', chain: 'TRON', address: '0x52908400098527886E0F7030069857D2E4169EE7' })).toMatchObject({ details: { field: 'address' } });
    expect(await bad({ merchantId: alpha.id, kind: 'CRYPTO', currency: 'USDT', chain: 'DOGE', address: 'D' })).toMatchObject({ details: { field: 'chain' } });
    expect(await bad({ merchantId: alpha.id, kind: 'CRYPTO', currency: 'THB', chain: 'TRON', address: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE' })).toMatchObject({ details: { field: 'currency' } });
    expect(await bad({ merchantId: alpha.id, kind: 'BANK', currency: 'THB', bankName: 'K', accountName: '', accountNumber: '1234' })).toMatchObject({ details: { field: 'accountName' } });
    expect(await bad({ merchantId: alpha.id, kind: 'BANK', currency: 'THB', bankName: 'K', accountName: 'A', accountNumber: '12' })).toMatchObject({ details: { field: 'accountNumber' } });
    expect(await bad({ merchantId: alpha.id, kind: 'BANK', currency: 'THB', bankName: 'K', accountName: 'A', accountNumber: '1234567890' })).toMatchObject({ code: 'DESTINATION_DUPLICATE' });
    expect((await listDestinations(db.prisma, alpha.id)).map((d) => d.id).sort()).toEqual([bank.id, wallet.id].sort());
    expect(await listDestinations(db.prisma, alpha.id, { currency: 'USDT' })).toHaveLength(1);
    expect(await listDestinations(db.prisma, beta.id)).toEqual([]);
    expect(await db.prisma.auditLog.count({ where: { action: 'destination.create' } })).toBe(2);
  });
});

describe('withdrawal', () => {
  it('freezes amount + fee at creation and pays it out on approval', async () => {
    const start = await available(alpha.id);
    const fees0 = await platform('FEES');
    const clearing0 = await platform('CLEARING');
    const w = await createWithdrawal(services, { merchantId: alpha.id, currency: 'THB', amount: '200.00', destinationId: bank.id, actor: owner });
    expect(w.request).toMatchObject({ kind: 'WITHDRAWAL', amount: 200_00n, fee: 2_00n + 5_00n, destinationId: bank.id });
    expect(w.object).toMatchObject({ total: '207.00', destination: { accountNumber: '1234567890' } });
    expect(await available(alpha.id)).toEqual({ available: start.available - 207_00n, frozen: 207_00n });

    const a = await approveFundRequest(services, { request: { id: w.request.id }, actor: finance });
    expect(a.request.status).toBe('APPROVED');
    expect(await available(alpha.id)).toEqual({ available: start.available - 207_00n, frozen: 0n });
    expect(await platform('FEES')).toBe(fees0 + 7_00n);
    expect(await platform('CLEARING')).toBe(clearing0 + 200_00n);
    expect(await failure(cancelFundRequest(services, { request: { id: w.request.id }, merchantId: alpha.id, actor: owner }))).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { from: 'APPROVED', to: 'CANCELLED' },
    });
    expect(await failure(approveFundRequest(services, { request: { id: w.request.id }, actor: finance }))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await available(alpha.id)).toEqual({ available: start.available - 207_00n, frozen: 0n });
  });

  it('releases the frozen money when rejected (a note is required) or cancelled', async () => {
    const start = await available(alpha.id);
    const w1 = await createWithdrawal(services, { merchantId: alpha.id, currency: 'THB', amount: '100.00', destinationId: bank.id, actor: owner });
    expect(await failure(rejectFundRequest(services, { request: { id: w1.request.id }, actor: finance, note: ' ' }))).toMatchObject({
      code: 'INVALID_PARAMETER',
      details: { field: 'note' },
    });
    const rejected = await rejectFundRequest(services, { request: { id: w1.request.id }, actor: finance, note: 'account name mismatch' });
    expect(rejected.request).toMatchObject({ status: 'REJECTED', reviewNote: 'account name mismatch' });
    expect(await db.prisma.ledgerTransaction.findUnique({ where: { idempotencyKey: `fund:${w1.request.id}:release` } })).toMatchObject({ kind: 'WITHDRAWAL_RELEASE' });
    expect(await available(alpha.id)).toEqual(start);

    const w2 = await createWithdrawal(services, { merchantId: alpha.id, currency: 'THB', amount: '100.00', destinationId: bank.id, actor: owner });
    // Another merchant cannot see, let alone cancel, it.
    expect(await failure(cancelFundRequest(services, { request: { id: w2.request.id }, merchantId: beta.id, actor: owner }))).toMatchObject({ code: 'FUND_REQUEST_NOT_FOUND' });
    expect(await failure(getFundRequest(db.prisma, { id: w2.request.id }, { merchantId: beta.id }))).toMatchObject({ code: 'FUND_REQUEST_NOT_FOUND' });
    // The destination is in use while the withdrawal waits.
    expect(await failure(deleteDestination(db.prisma, { merchantId: alpha.id, destinationId: bank.id }, owner))).toMatchObject({ code: 'DESTINATION_IN_USE' });
    const cancelled = await cancelFundRequest(services, { request: { id: w2.request.id }, merchantId: alpha.id, actor: owner, note: 'wrong amount' });
    expect(cancelled.request).toMatchObject({ status: 'CANCELLED', reviewNote: null });
    expect(await failure(rejectFundRequest(services, { request: { id: w2.request.id }, actor: finance, note: 'x' }))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await available(alpha.id)).toEqual(start);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { entityId: w2.request.id, action: 'fund_request.cancel' } });
    expect(audit.after).toMatchObject({ status: 'CANCELLED', cancelReason: 'wrong amount' });
  });

  it('refuses a wrong currency, a foreign destination and more than the available balance, writing nothing', async () => {
    const otherBank = await createDestination(db.prisma, { merchantId: beta.id, kind: 'BANK', currency: 'THB', bankName: 'SCB', accountName: 'Beta', accountNumber: '99990000' }, owner);
    const before = await counts();
    const balances = await available(alpha.id);
    const base = { merchantId: alpha.id, currency: 'THB', amount: '10.00', actor: owner };
    expect(await failure(createWithdrawal(services, { ...base, destinationId: wallet.id }))).toMatchObject({ code: 'CURRENCY_MISMATCH', details: { expected: 'USDT', got: 'THB' } });
    expect(await failure(createWithdrawal(services, { ...base, destinationId: otherBank.id }))).toMatchObject({ code: 'DESTINATION_NOT_FOUND' });
    expect(await failure(createWithdrawal(services, { ...base, destinationId: 'x' }))).toMatchObject({ code: 'DESTINATION_NOT_FOUND' });
    // amount + fee must be available: 1 % + 5.00 on top.
    const all = balances.available;
    const tooMuch = await failure(createWithdrawal(services, { ...base, amount: `${all / 100n}.${String(all % 100n).padStart(2, '0')}`, destinationId: bank.id }));
    expect(tooMuch.code).toBe('INSUFFICIENT_BALANCE');
    expect(await counts()).toEqual(before);
    expect(await available(alpha.id)).toEqual(balances);
  });

  it('can delete a destination once no withdrawal waits for it; the audit log keeps its details', async () => {
    const temp = await createDestination(db.prisma, { merchantId: alpha.id, kind: 'BANK', currency: 'THB', bankName: 'BBL', accountName: 'Alpha', accountNumber: '55556666' }, owner);
    const w = await createWithdrawal(services, { merchantId: alpha.id, currency: 'THB', amount: '1.00', destinationId: temp.id, actor: owner });
    await approveFundRequest(services, { request: { id: w.request.id }, actor: finance });
    await deleteDestination(db.prisma, { merchantId: alpha.id, destinationId: temp.id }, owner);
    expect((await getFundRequest(db.prisma, { id: w.request.id })).destinationId).toBeNull();
    const created = await db.prisma.auditLog.findFirstOrThrow({ where: { entityId: w.request.id, action: 'fund_request.create' } });
    expect(created.after).toMatchObject({ destination: { accountNumber: '55556666', bankName: 'BBL' } });
    expect(await failure(deleteDestination(db.prisma, { merchantId: alpha.id, destinationId: temp.id }, owner))).toMatchObject({ code: 'DESTINATION_NOT_FOUND' });
  });
});

describe('merchant transfer', () => {
  it('moves the amount to the target by account number; the sender pays the fee', async () => {
    const a0 = await available(alpha.id);
    const b0 = await available(beta.id);
    const fees0 = await platform('FEES');
    const t = await createTransfer(services, { merchantId: alpha.id, currency: 'THB', amount: '50.00', targetMchId: beta.mchId, actor: owner });
    expect(t.request).toMatchObject({ kind: 'TRANSFER', fee: 2_00n, targetMerchantId: beta.id });
    expect(t.object).toMatchObject({ targetMchId: beta.mchId, total: '52.00' });
    expect(await available(alpha.id)).toEqual({ available: a0.available - 52_00n, frozen: 52_00n });
    // The target sees the incoming transfer.
    expect((await getFundRequest(db.prisma, { id: t.request.id }, { merchantId: beta.id })).id).toBe(t.request.id);
    await approveFundRequest(services, { request: { id: t.request.id }, actor: finance });
    expect(await available(alpha.id)).toEqual({ available: a0.available - 52_00n, frozen: 0n });
    expect(await available(beta.id)).toEqual({ available: b0.available + 50_00n, frozen: b0.frozen });
    expect(await platform('FEES')).toBe(fees0 + 2_00n);
  });

  it('refuses itself, unknown or inactive targets and bad account numbers', async () => {
    const before = await counts();
    const base = { merchantId: alpha.id, currency: 'THB', amount: '1.00', actor: owner };
    expect(await failure(createTransfer(services, { ...base, targetMchId: alpha.mchId }))).toMatchObject({ code: 'SELF_TRANSFER' });
    expect(await failure(createTransfer(services, { ...base, targetMchId: suspended.mchId }))).toMatchObject({ code: 'TARGET_MERCHANT_NOT_ACTIVE' });
    const unknown = alpha.mchId === '1999999999' ? '1999999998' : '1999999999';
    expect(await failure(createTransfer(services, { ...base, targetMchId: unknown }))).toMatchObject({ code: 'TARGET_MERCHANT_NOT_FOUND' });
    expect(await failure(createTransfer(services, { ...base, targetMchId: '12345' }))).toMatchObject({ code: 'INVALID_PARAMETER', details: { field: 'targetMchId' } });
    expect(await counts()).toEqual(before);
  });

  it('cannot be approved once the target is suspended; rejecting releases the money', async () => {
    const a0 = await available(alpha.id);
    const t = await createTransfer(services, { merchantId: alpha.id, currency: 'THB', amount: '5.00', targetMchId: beta.mchId, actor: owner });
    await db.prisma.merchant.update({ where: { id: beta.id }, data: { status: 'SUSPENDED' } });
    try {
      expect(await failure(approveFundRequest(services, { request: { id: t.request.id }, actor: finance }))).toMatchObject({ code: 'TARGET_MERCHANT_NOT_ACTIVE' });
      expect((await getFundRequest(db.prisma, { id: t.request.id })).status).toBe('NEW');
      await rejectFundRequest(services, { request: { id: t.request.id }, actor: finance, note: 'target suspended' });
      expect(await available(alpha.id)).toEqual(a0);
    } finally {
      await db.prisma.merchant.update({ where: { id: beta.id }, data: { status: 'ACTIVE' } });
    }
  });
});

describe('concurrency', () => {
  it('approving the same request from many connections moves the money once', async () => {
    const w = await createWithdrawal(services, { merchantId: alpha.id, currency: 'THB', amount: '10.00', destinationId: bank.id, actor: owner });
    const a0 = await available(alpha.id);
    const clearing0 = await platform('CLEARING');
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => approveFundRequest(services, { request: { id: w.request.id }, actor: finance })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await available(alpha.id)).toEqual({ available: a0.available, frozen: a0.frozen - w.request.amount - w.request.fee });
    expect(await platform('CLEARING')).toBe(clearing0 + 10_00n);
    expect(await db.prisma.auditLog.count({ where: { entityId: w.request.id, action: 'fund_request.approve' } })).toBe(1);
  });

  it('an approval racing a cancel: exactly one wins, and the money follows the winner', async () => {
    const w = await createWithdrawal(services, { merchantId: alpha.id, currency: 'THB', amount: '20.00', destinationId: bank.id, actor: owner });
    const a0 = await available(alpha.id);
    const [approve, cancel] = await Promise.allSettled([
      approveFundRequest(services, { request: { id: w.request.id }, actor: finance }),
      cancelFundRequest(services, { request: { id: w.request.id }, merchantId: alpha.id, actor: owner }),
    ]);
    expect([approve.status, cancel.status].sort()).toEqual(['fulfilled', 'rejected']);
    const final = await getFundRequest(db.prisma, { id: w.request.id });
    const total = w.request.amount + w.request.fee;
    if (final.status === 'APPROVED') expect(await available(alpha.id)).toEqual({ available: a0.available, frozen: a0.frozen - total });
    else expect(await available(alpha.id)).toEqual({ available: a0.available + total, frozen: a0.frozen - total });
  });

  it('withdrawals racing for one balance never overspend it', async () => {
    await fund(beta, '100.00', 'USD');
    const usdBank = await createDestination(db.prisma, { merchantId: beta.id, kind: 'BANK', currency: 'USD', bankName: 'Chase', accountName: 'Beta', accountNumber: '000111222' }, owner);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => createWithdrawal(services, { merchantId: beta.id, currency: 'USD', amount: '30.00', destinationId: usdBank.id, actor: owner })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(await available(beta.id, 'USD')).toEqual({ available: 10_00n, frozen: 90_00n });
    expect(await db.prisma.fundRequest.count({ where: { merchantId: beta.id, kind: 'WITHDRAWAL', currencyCode: 'USD' } })).toBe(3);
  });
});

it('leaves the ledger consistent after all of it', async () => {
  expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
  // Every frozen unit belongs to a NEW withdrawal or transfer.
  const pending = await db.prisma.fundRequest.findMany({ where: { status: 'NEW', kind: { in: ['WITHDRAWAL', 'TRANSFER'] } } });
  const frozen = await db.prisma.ledgerAccount.findMany({ where: { kind: 'FROZEN' } });
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  expect(sum(frozen.map((f) => f.balance))).toBe(sum(pending.map((p) => p.amount + p.fee)));
});
