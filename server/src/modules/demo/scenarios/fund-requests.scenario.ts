/**
 * Fund management of the demo, all through the funds module (request, finance's decision, ledger,
 * audit): the opening recharges before the month, and recent requests in every state after it. The
 * only place the seed calls the funds operations.
 */
import type { Tx } from '../../../db/prisma.ts';
import { formatAmount } from '../../../lib/money.ts';
import { createDestinationInTx } from '../../funds/destinations.service.ts';
import { writeFundFeeSchedule } from '../../funds/funds.fees.ts';
import { approveFundRequestInTx } from '../../funds/operations/approve-fund-request.ts';
import { createRechargeInTx, createTransferInTx, createWithdrawalInTx } from '../../funds/operations/create-fund-request.ts';
import { cancelFundRequestInTx, rejectFundRequestInTx } from '../../funds/operations/reject-fund-request.ts';
import { merchantBalances } from '../../ledger/ledger.service.ts';
import type { SeedContext } from '../demo-context.ts';
import { HOUR } from '../demo-time.ts';
import { USDT, type CurrencySpec } from '../fixtures/catalog.fixture.ts';
import { financeActor, ownerActor, type MerchantRow } from '../fixtures/merchants.fixture.ts';
import type { PlannedRecharge } from './funding.scenario.ts';
import { Outbox } from '../../shared/process.ts';

/** The opening recharges, through the funds module: the merchant's request, finance's approval 3 hours later. */
export async function seedOpeningRecharges(tx: Tx, ctx: SeedContext, recharges: PlannedRecharge[]): Promise<void> {
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
    await approveFundRequestInTx(tx, new Outbox(), { request: { id: created.request.id }, actor: financeActor(ctx.staff), note: 'Funds received', at: new Date(r.at) });
  }
}

/** A share of a merchant's AVAILABLE balance, rounded down to `step` minor units (0 when too little). */
async function shareOf(tx: Tx, m: MerchantRow, currency: CurrencySpec, percent: bigint, step: bigint): Promise<bigint> {
  const [balance] = await merchantBalances(tx, m.id, false, currency.code);
  return (((balance?.available ?? 0n) * percent) / 100n / step) * step;
}

/**
 * Recent fund management, through the funds module, so the financial center has something in every
 * state: stored destinations, an approved and a waiting withdrawal, a rejected one, an approved and a
 * waiting transfer, a waiting and a cancelled recharge. All after the month's postings, from `from` on.
 */
export async function seedRecentFundRequests(tx: Tx, ctx: SeedContext, from: number): Promise<void> {
  const [golden, siam, rio] = ctx.merchants;
  if (!golden || !siam || !rio) return;
  const cny = ctx.currencies.get('CNY')!;
  const thb = ctx.currencies.get('THB')!;
  const brl = ctx.currencies.get('BRL')!;
  const usdt = ctx.currencies.get('USDT')!;
  const finance = financeActor(ctx.staff);
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

  const withdraw = async (m: MerchantRow, currency: CurrencySpec, destinationId: string, amount: bigint, note?: string) =>
    amount > 0n
      ? (await createWithdrawalInTx(tx, new Outbox(), { merchantId: m.id, currency: currency.code, amount: formatAmount(amount, currency.digits), destinationId, note, actor: ownerActor(m), at: next() })).request.id
      : null;
  const transfer = async (m: MerchantRow, to: MerchantRow, currency: CurrencySpec, amount: bigint, note: string) =>
    amount > 0n
      ? (await createTransferInTx(tx, new Outbox(), { merchantId: m.id, currency: currency.code, amount: formatAmount(amount, currency.digits), targetMchId: to.mchId, note, actor: ownerActor(m), at: next() })).request.id
      : null;
  const recharge = async (m: MerchantRow, currency: CurrencySpec, amount: bigint, note: string) =>
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
