import type { Db } from '../../db/prisma.ts';
import { PayoutNotFoundError } from './payouts.errors.ts';
import type { PayoutObject } from './payouts.presenter.ts';
import { findPayout, presentPayout, type LoadedPayout } from './payouts.transition.ts';

/** A merchant's payout by out_trade_no or payout_no (another merchant's payout is "not found"). */
export async function getPayout(
  db: Db,
  merchantId: string,
  lookup: { outTradeNo: string } | { payoutNo: string },
  /** The caller's book: a test application sees only test payouts, a live one only live ones. */
  test?: boolean,
): Promise<{ payout: LoadedPayout; object: PayoutObject }> {
  const payout = 'outTradeNo' in lookup ? await findPayout(db, { merchantId, outTradeNo: lookup.outTradeNo }) : await findPayout(db, { payoutNo: lookup.payoutNo });
  if (!payout || payout.merchantId !== merchantId || (test !== undefined && payout.test !== test)) throw new PayoutNotFoundError();
  return { payout, object: await presentPayout(db, payout) };
}
