import type { Db } from '../db/prisma.ts';
import { formatAmount } from '../lib/money.ts';
import { currencyDigits } from '../modules/catalog/catalog.service.ts';
import { PayinNotFoundError } from '../modules/payins/payins.errors.ts';
import { isOpenPayin } from '../modules/payins/payins.state.ts';
import { payinStatus } from './cashier.model.ts';

/**
 * The cashier's live status: what `GET /pay/api/order/:prepayId` answers and the page polls every 2 s.
 * Only what the payer may see: no merchant ids, notify URL, attach, fee or payer data.
 */
export interface CashierStatus {
  status: string;
  amount: string;
  paid_amount: string;
  currency: string;
  expire_at: string;
  /** Seconds until expiry while the order is open (PENDING/PROCESSING); 0 once past or finished. */
  seconds_left: number;
  /** Increases with every status change: the page ignores an answer older than one it has shown. */
  sequence: number;
}

/** What the order object / order row has that the status needs; amounts already formatted. */
export interface CashierStatusSource {
  status: string;
  amount: string;
  paid_amount: string;
  currency: string;
  expire_at: string;
  sequence: number;
}

export function toCashierStatus(source: CashierStatusSource, now: number = Date.now()): CashierStatus {
  const left = Math.floor((Date.parse(source.expire_at) - now) / 1000);
  return {
    status: source.status,
    amount: source.amount,
    paid_amount: source.paid_amount,
    currency: source.currency,
    expire_at: source.expire_at,
    seconds_left: isOpenPayin(payinStatus(source.status)) ? Math.max(0, left) : 0,
    sequence: source.sequence,
  };
}

/** One small indexed read by prepay id (it is polled); ORDER_NOT_FOUND when there is no such order. */
export async function getCashierStatus(db: Db, prepayId: string): Promise<CashierStatus> {
  const order = await db.order.findUnique({
    where: { prepayId },
    select: { status: true, amount: true, paidAmount: true, currencyCode: true, expireAt: true, sequence: true },
  });
  if (!order) throw new PayinNotFoundError();
  const digits = await currencyDigits(db, order.currencyCode);
  return toCashierStatus({
    status: order.status,
    amount: formatAmount(order.amount, digits),
    paid_amount: formatAmount(order.paidAmount, digits),
    currency: order.currencyCode,
    expire_at: order.expireAt.toISOString(),
    sequence: order.sequence,
  });
}
