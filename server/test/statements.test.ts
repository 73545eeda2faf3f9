import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../src/generated/prisma/client.ts';
import { DomainError } from '../src/lib/errors.ts';
import { newMchId } from '../src/lib/ids.ts';
import { checkLedgerInvariants } from '../src/modules/ledger/ledger.invariants.ts';
import { channelAccount, merchantAccount, platformAccount, postTransaction, type PostingLine } from '../src/modules/ledger/ledger.service.ts';
import {
  buildDailyStatements,
  catchUpDailyStatements,
  listDailyStatements,
  liveDailyStatement,
  SETTLE_MARGIN_MS,
  type StatementRow,
} from '../src/modules/statements/statements.service.ts';
import { createChannel, ensureCurrency } from './support/payin-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/**
 * Daily statements on a real PostgreSQL: local days in the merchant's zone (half-hour offset, DST),
 * exact roll-forward, idempotent rebuilds, the catch-up job, today's live view, and the invariant
 * checker catching tampered or stale rows. Postings carry explicit times (occurredAt) around midnights.
 */

let db: TestDatabase;
let kolkata: Merchant;
let newYork: Merchant;
let receiver: Merchant;
let channelId: string;
let seq = 0;

const LATER = new Date('2026-04-01T00:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureCurrency(db.prisma, 'THB', 2);
  kolkata = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'Mumbai Traders', timezone: 'Asia/Kolkata' } });
  newYork = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'NY Goods', timezone: 'America/New_York' } });
  receiver = await db.prisma.merchant.create({ data: { mchId: newMchId(), name: 'Receiver', timezone: 'UTC' } });
  channelId = (await createChannel(db.prisma, { currencyCode: 'THB' })).id;
});

afterAll(async () => {
  await db?.drop();
});

async function post(at: string, lines: PostingLine[], kind = 'TEST'): Promise<void> {
  await db.prisma.$transaction((tx) => postTransaction(tx, { kind, idempotencyKey: `test:${++seq}`, test: false, occurredAt: new Date(at), lines }));
}

/** A payin credit: channel −gross, merchant AVAILABLE +net, FEES +fee. */
function payin(merchantId: string, gross: bigint, fee: bigint): PostingLine[] {
  return [
    { account: channelAccount(channelId, 'THB'), amount: -gross },
    { account: merchantAccount(merchantId, 'THB', 'AVAILABLE'), amount: gross - fee },
    { account: platformAccount('THB', 'FEES'), amount: fee },
  ];
}

function freeze(merchantId: string, amount: bigint): PostingLine[] {
  return [
    { account: merchantAccount(merchantId, 'THB', 'AVAILABLE'), amount: -amount },
    { account: merchantAccount(merchantId, 'THB', 'FROZEN'), amount },
  ];
}

const pick = (rows: StatementRow[], kind: string, date: string) => rows.find((r) => r.kind === kind && r.date === date);
const money = (r: StatementRow | undefined) =>
  r && { opening: r.opening, inflow: r.inflow, outflow: r.outflow, fees: r.fees, closing: r.closing, inCount: r.inCount, outCount: r.outCount };

describe('a half-hour zone (Asia/Kolkata, UTC+05:30)', () => {
  beforeAll(async () => {
    // 23:59 IST on 1 March and 00:01 IST on 2 March are both 1 March in UTC.
    await post('2026-03-01T18:29:00Z', payin(kolkata.id, 100_00n, 2_50n));
    await post('2026-03-01T18:31:00Z', freeze(kolkata.id, 30_00n));
    await post('2026-03-02T10:00:00Z', payin(kolkata.id, 50_00n, 0n));
    // Nothing on 3 March; 4 March the frozen money settles (FROZEN −, FEES +, CLEARING +).
    await post('2026-03-04T05:00:00Z', [
      { account: merchantAccount(kolkata.id, 'THB', 'FROZEN'), amount: -30_00n },
      { account: platformAccount('THB', 'FEES'), amount: 1_00n },
      { account: platformAccount('THB', 'CLEARING'), amount: 29_00n },
    ]);
  });

  it('cuts days at local midnight and rolls forward exactly', async () => {
    const built = await buildDailyStatements(db.prisma, { date: '2026-02-28', toDate: '2026-03-05', merchantId: kolkata.id, now: LATER });
    expect(built).toEqual({ rows: 4, written: 4, removed: 0 });
    const rows = await listDailyStatements(db.prisma, { merchantId: kolkata.id });
    expect(rows.every((r) => r.timezone === 'Asia/Kolkata')).toBe(true);
    expect(money(pick(rows, 'AVAILABLE', '2026-03-01'))).toEqual({ opening: 0n, inflow: 97_50n, outflow: 0n, fees: 2_50n, closing: 97_50n, inCount: 1, outCount: 0 });
    expect(money(pick(rows, 'AVAILABLE', '2026-03-02'))).toEqual({ opening: 97_50n, inflow: 50_00n, outflow: 30_00n, fees: 0n, closing: 117_50n, inCount: 1, outCount: 1 });
    expect(money(pick(rows, 'FROZEN', '2026-03-02'))).toEqual({ opening: 0n, inflow: 30_00n, outflow: 0n, fees: 0n, closing: 30_00n, inCount: 1, outCount: 0 });
    // The settlement's fee is paid from FROZEN: it shows on that row.
    expect(money(pick(rows, 'FROZEN', '2026-03-04'))).toEqual({ opening: 30_00n, inflow: 0n, outflow: 30_00n, fees: 1_00n, closing: 0n, inCount: 0, outCount: 1 });
    // No movement on 3 March or 28 February: no row.
    expect(rows.map((r) => `${r.kind} ${r.date}`).sort()).toEqual(['AVAILABLE 2026-03-01', 'AVAILABLE 2026-03-02', 'FROZEN 2026-03-02', 'FROZEN 2026-03-04']);
    expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
  });

  it('is idempotent: building again changes nothing', async () => {
    const again = await buildDailyStatements(db.prisma, { date: '2026-03-01', toDate: '2026-03-04', merchantId: kolkata.id, now: LATER });
    expect(again).toEqual({ rows: 4, written: 0, removed: 0 });
  });

  it('does not store a day before it is over (plus the settle margin)', async () => {
    const endOfMarch5 = new Date('2026-03-05T18:30:00Z'); // 6 March 00:00 IST
    await post('2026-03-05T12:00:00Z', payin(kolkata.id, 10_00n, 0n));
    const early = await buildDailyStatements(db.prisma, { date: '2026-03-05', merchantId: kolkata.id, now: new Date(endOfMarch5.getTime() + SETTLE_MARGIN_MS - 1) });
    expect(early.rows).toBe(0);
    const onTime = await buildDailyStatements(db.prisma, { date: '2026-03-05', merchantId: kolkata.id, now: new Date(endOfMarch5.getTime() + SETTLE_MARGIN_MS) });
    expect(onTime).toEqual({ rows: 1, written: 1, removed: 0 });
    expect(money(pick(await listDailyStatements(db.prisma, { merchantId: kolkata.id, from: '2026-03-05', to: '2026-03-05' }), 'AVAILABLE', '2026-03-05'))).toMatchObject({
      opening: 117_50n,
      closing: 127_50n,
    });
  });

  it('rejects malformed dates and unknown merchants', async () => {
    await expect(buildDailyStatements(db.prisma, { date: '2026-02-30' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', details: { field: 'date' } });
    await expect(buildDailyStatements(db.prisma, { date: '2026-03-02', toDate: '2026-03-01' })).rejects.toMatchObject({ details: { field: 'toDate' } });
    await expect(buildDailyStatements(db.prisma, { date: '2026-03-02', merchantId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'MERCHANT_NOT_FOUND',
    });
    await expect(liveDailyStatement(db.prisma, 'nope')).rejects.toBeInstanceOf(DomainError);
  });
});

describe('a DST zone (America/New_York, spring forward on 8 March 2026)', () => {
  it('gives the 23-hour day its own midnight on both sides', async () => {
    // 8 March EST→EDT: the local day runs 05:00Z → 04:00Z next day.
    await post('2026-03-08T04:59:00Z', payin(newYork.id, 1_00n, 0n)); // 7 March 23:59 EST
    await post('2026-03-08T05:00:00Z', payin(newYork.id, 2_00n, 0n)); // 8 March 00:00 EST
    await post('2026-03-09T03:59:00Z', payin(newYork.id, 4_00n, 0n)); // 8 March 23:59 EDT
    await post('2026-03-09T04:00:00Z', payin(newYork.id, 8_00n, 0n)); // 9 March 00:00 EDT (a fixed UTC−5 would say 8 March 23:00)
    await buildDailyStatements(db.prisma, { date: '2026-03-07', toDate: '2026-03-09', merchantId: newYork.id, now: LATER });
    const rows = await listDailyStatements(db.prisma, { merchantId: newYork.id, kind: 'AVAILABLE' });
    expect(rows.map((r) => [r.date, r.opening, r.inflow, r.closing])).toEqual([
      ['2026-03-09', 7_00n, 8_00n, 15_00n],
      ['2026-03-08', 1_00n, 6_00n, 7_00n],
      ['2026-03-07', 0n, 1_00n, 1_00n],
    ]);
    expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
  });
});

describe('fees of a merchant-to-merchant movement', () => {
  it('are the payer’s (the most-debited merchant account), not the receiver’s', async () => {
    await post('2026-03-10T01:00:00Z', payin(receiver.id, 1_00n, 0n));
    await post('2026-03-10T02:00:00Z', [
      { account: merchantAccount(kolkata.id, 'THB', 'AVAILABLE'), amount: -10_50n },
      { account: merchantAccount(receiver.id, 'THB', 'AVAILABLE'), amount: 10_00n },
      { account: platformAccount('THB', 'FEES'), amount: 50n },
    ]);
    await buildDailyStatements(db.prisma, { date: '2026-03-10', now: LATER });
    const sender = pick(await listDailyStatements(db.prisma, { merchantId: kolkata.id }), 'AVAILABLE', '2026-03-10');
    const target = pick(await listDailyStatements(db.prisma, { merchantId: receiver.id }), 'AVAILABLE', '2026-03-10');
    expect(money(sender)).toMatchObject({ outflow: 10_50n, fees: 50n, outCount: 1 });
    expect(money(target)).toMatchObject({ inflow: 11_00n, fees: 0n, inCount: 2 });
  });
});

describe('the catch-up job and the live view', () => {
  it('builds every finished day since the last statement, then nothing', async () => {
    await post('2026-03-12T09:00:00Z', payin(kolkata.id, 5_00n, 0n));
    await post('2026-03-13T09:00:00Z', payin(newYork.id, 5_00n, 0n));
    // 14 March 12:00 UTC: yesterday is 13 March in all three zones.
    const now = new Date('2026-03-14T12:00:00Z');
    const first = await catchUpDailyStatements(db.prisma, { now });
    expect(first.merchants).toBeGreaterThanOrEqual(2);
    const kolkataRows = await listDailyStatements(db.prisma, { merchantId: kolkata.id, kind: 'AVAILABLE', from: '2026-03-11' });
    expect(kolkataRows.map((r) => r.date)).toEqual(['2026-03-12']);
    expect((await listDailyStatements(db.prisma, { merchantId: newYork.id, from: '2026-03-13' })).map((r) => r.date)).toEqual(['2026-03-13']);
    const second = await catchUpDailyStatements(db.prisma, { now });
    expect(second).toEqual({ rows: 0, written: 0, removed: 0, merchants: 0 });
    expect(await checkLedgerInvariants(db.prisma)).toEqual([]);
  });

  it('computes today live without storing it, for every account', async () => {
    const now = new Date('2026-03-14T12:00:00Z'); // 17:30 IST
    await post('2026-03-14T11:00:00Z', freeze(kolkata.id, 2_00n));
    const live = await liveDailyStatement(db.prisma, kolkata.id, { now });
    expect(live).toMatchObject({ date: '2026-03-14', timezone: 'Asia/Kolkata' });
    const balances = await db.prisma.ledgerAccount.findMany({ where: { merchantId: kolkata.id } });
    expect(live.rows.map((r) => r.kind).sort()).toEqual(balances.map((b) => b.kind).sort());
    for (const row of live.rows) {
      expect(row.closing).toBe(balances.find((b) => b.id === row.accountId)!.balance);
      expect(row.closing).toBe(row.opening + row.inflow - row.outflow);
    }
    expect(money(live.rows.find((r) => r.kind === 'AVAILABLE'))).toMatchObject({ outflow: 2_00n, outCount: 1, inCount: 0 });
    expect(await listDailyStatements(db.prisma, { merchantId: kolkata.id, from: '2026-03-14' })).toEqual([]);
  });
});

describe('the invariant checker on statements', () => {
  const rowOf = async (kind: 'AVAILABLE' | 'FROZEN', date: string) => {
    const account = await db.prisma.ledgerAccount.findFirstOrThrow({ where: { merchantId: kolkata.id, kind } });
    return db.prisma.dailyStatement.findUniqueOrThrow({ where: { accountId_date: { accountId: account.id, date: new Date(`${date}T00:00:00Z`) } } });
  };
  const rebuild = () => buildDailyStatements(db.prisma, { date: '2026-03-01', toDate: '2026-03-13', merchantId: kolkata.id, now: LATER });
  const rules = async () => (await checkLedgerInvariants(db.prisma)).map((v) => v.rule).sort();

  it('catches a tampered closing (row does not add up, next row does not chain)', async () => {
    const row = await rowOf('AVAILABLE', '2026-03-02');
    await db.prisma.dailyStatement.update({ where: { id: row.id }, data: { closing: row.closing + 1n } });
    const violations = await checkLedgerInvariants(db.prisma);
    expect(violations.map((v) => v.rule).sort()).toEqual(['STATEMENT_CHAIN_BROKEN', 'STATEMENT_NOT_BALANCED']);
    expect(violations.find((v) => v.rule === 'STATEMENT_NOT_BALANCED')).toMatchObject({
      statement: { accountId: row.accountId, date: '2026-03-02' },
      detail: expect.stringContaining(`merchant ${kolkata.mchId} THB AVAILABLE 2026-03-02 (Asia/Kolkata)`),
    });
    await rebuild();
    expect(await rules()).toEqual([]);
  });

  it('catches inflow and outflow changed by the same amount (still adds up)', async () => {
    const row = await rowOf('AVAILABLE', '2026-03-02');
    await db.prisma.dailyStatement.update({ where: { id: row.id }, data: { inflow: row.inflow + 5n, outflow: row.outflow + 5n } });
    expect(await rules()).toEqual(['STATEMENT_MOVEMENTS_MISMATCH']);
    await rebuild();
  });

  it('catches a latest row whose closing is not the balance at the end of its day', async () => {
    const row = await rowOf('FROZEN', '2026-03-04');
    await db.prisma.dailyStatement.update({ where: { id: row.id }, data: { opening: row.opening + 7n, closing: row.closing + 7n } });
    expect(await rules()).toEqual(['STATEMENT_CHAIN_BROKEN', 'STATEMENT_CLOSING_MISMATCH']);
    await rebuild();
  });

  it('catches a missing day and a stale day (an entry posted into it after it was built)', async () => {
    const row = await rowOf('AVAILABLE', '2026-03-01');
    await db.prisma.dailyStatement.delete({ where: { id: row.id } });
    expect(await rules()).toEqual(['STATEMENT_ENTRIES_UNCOVERED']);
    await rebuild();
    expect(await rules()).toEqual([]);

    await post('2026-03-01T12:00:00Z', payin(kolkata.id, 3_00n, 0n)); // late into 1 March
    expect(await rules()).toEqual(expect.arrayContaining(['STATEMENT_MOVEMENTS_MISMATCH']));
    // Rebuilding that one day fixes it, but the later rows still carry the old balance: the next one
    // does not chain and the latest is not the real balance. Rebuilding the range fixes all.
    await buildDailyStatements(db.prisma, { date: '2026-03-01', merchantId: kolkata.id, now: LATER });
    expect(await rules()).toEqual(['STATEMENT_CHAIN_BROKEN', 'STATEMENT_CLOSING_MISMATCH']);
    await rebuild();
    expect(await rules()).toEqual([]);
  });
});
