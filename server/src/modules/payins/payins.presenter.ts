import type { Order, Payment } from '../../generated/prisma/client.ts';
import { formatAmount } from '../../lib/money.ts';

/** The order object of REST-CONTRACT.md (query/close responses and callback `data`): decimal strings, ISO times. */
export interface PayinObject {
  mch_id: string;
  out_trade_no: string;
  order_no: string;
  prepay_id: string;
  status: string;
  amount: string;
  paid_amount: string;
  fee: string;
  currency: string;
  chain: string | null;
  service: string;
  attach: string | null;
  test: boolean;
  created_at: string;
  paid_at: string | null;
  expire_at: string;
  payments: Array<{ amount: string; txn_id: string; paid_at: string }>;
  sequence: number;
}

/** The `data` of a successful `/v1/transaction/prepayment`. */
export interface PrepaymentObject {
  prepay_id: string;
  payment_url: string;
  order_no: string;
  status: string;
  amount: string;
  currency: string;
  expire_at: string;
}

type PayinWithPayments = Order & { payments: Payment[] };

export function toPayinObject(order: PayinWithPayments, serviceCode: string, mchId: string, digits: number): PayinObject {
  const payments = [...order.payments].sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime() || a.id.localeCompare(b.id));
  return {
    mch_id: mchId,
    out_trade_no: order.outTradeNo,
    order_no: order.orderNo,
    prepay_id: order.prepayId,
    status: order.status,
    amount: formatAmount(order.amount, digits),
    paid_amount: formatAmount(order.paidAmount, digits),
    fee: formatAmount(order.fee, digits),
    currency: order.currencyCode,
    chain: order.chain,
    service: serviceCode,
    attach: order.attach,
    test: order.test,
    created_at: order.createdAt.toISOString(),
    paid_at: order.paidAt ? order.paidAt.toISOString() : null,
    expire_at: order.expireAt.toISOString(),
    payments: payments.map((p) => ({ amount: formatAmount(p.amount, digits), txn_id: p.txnId, paid_at: p.paidAt.toISOString() })),
    sequence: order.sequence,
  };
}

/** The hosted cashier page of an order (seed 003 shape: `/pay/order?prepay_id=…`, absolute). */
export function paymentUrl(publicUrl: string, prepayId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/pay/order?prepay_id=${prepayId}`;
}

export function toPrepaymentObject(order: Order, digits: number, publicUrl: string): PrepaymentObject {
  return {
    prepay_id: order.prepayId,
    payment_url: paymentUrl(publicUrl, order.prepayId),
    order_no: order.orderNo,
    status: order.status,
    amount: formatAmount(order.amount, digits),
    currency: order.currencyCode,
    expire_at: order.expireAt.toISOString(),
  };
}
