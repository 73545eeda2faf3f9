import type { Payout } from '../../generated/prisma/client.ts';
import { formatAmount } from '../../lib/money.ts';

/** The payout object of REST-CONTRACT.md (create/query responses and callback `data`). */
export interface PayoutObject {
  mch_id: string;
  out_trade_no: string;
  payout_no: string;
  status: string;
  amount: string;
  fee: string;
  currency: string;
  chain: string | null;
  service: string;
  attach: string | null;
  test: boolean;
  created_at: string;
  finished_at: string | null;
  sequence: number;
}

export function toPayoutObject(payout: Payout, serviceCode: string, mchId: string, digits: number): PayoutObject {
  return {
    mch_id: mchId,
    out_trade_no: payout.outTradeNo,
    payout_no: payout.payoutNo,
    status: payout.status,
    amount: formatAmount(payout.amount, digits),
    fee: formatAmount(payout.fee, digits),
    currency: payout.currencyCode,
    chain: payout.chain,
    service: serviceCode,
    attach: payout.attach,
    test: payout.test,
    created_at: payout.createdAt.toISOString(),
    finished_at: payout.finishedAt ? payout.finishedAt.toISOString() : null,
    sequence: payout.sequence,
  };
}
