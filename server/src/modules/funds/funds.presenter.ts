import type { LoadedFundRequest } from './funds.transition.ts';
import { formatAmount } from '../../lib/money.ts';

/**
 * A fund request as the edges show it: amounts as decimal strings in the currency's digits, times as
 * ISO strings. `total` is what the request takes from the merchant's AVAILABLE balance (amount + fee
 * for withdrawals and transfers) or, for a recharge, what it adds (amount − fee).
 */
export interface FundRequestObject {
  id: string;
  requestNo: string;
  kind: 'RECHARGE' | 'WITHDRAWAL' | 'TRANSFER';
  status: 'NEW' | 'APPROVED' | 'REJECTED' | 'CANCELLED';
  merchantId: string;
  mchId: string;
  merchantName: string;
  currency: string;
  amount: string;
  fee: string;
  total: string;
  targetMchId: string | null;
  targetMerchantName: string | null;
  destination: {
    id: string;
    kind: 'BANK' | 'CRYPTO';
    label: string;
    bankName: string | null;
    accountName: string | null;
    accountNumber: string | null;
    chain: string | null;
    address: string | null;
  } | null;
  reference: string | null;
  note: string | null;
  reviewNote: string | null;
  createdById: string | null;
  reviewedById: string | null;
  reviewedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toFundRequestObject(r: LoadedFundRequest, digits: number): FundRequestObject {
  const total = r.kind === 'RECHARGE' ? r.amount - r.fee : r.amount + r.fee;
  return {
    id: r.id,
    requestNo: r.requestNo,
    kind: r.kind,
    status: r.status,
    merchantId: r.merchantId,
    mchId: r.merchant.mchId,
    merchantName: r.merchant.name,
    currency: r.currencyCode,
    amount: formatAmount(r.amount, digits),
    fee: formatAmount(r.fee, digits),
    total: formatAmount(total, digits),
    targetMchId: r.targetMerchant?.mchId ?? null,
    targetMerchantName: r.targetMerchant?.name ?? null,
    destination: r.destination
      ? {
          id: r.destination.id,
          kind: r.destination.kind,
          label: r.destination.label,
          bankName: r.destination.bankName,
          accountName: r.destination.accountName,
          accountNumber: r.destination.accountNumber,
          chain: r.destination.chain,
          address: r.destination.address,
        }
      : null,
    reference: r.reference,
    note: r.note,
    reviewNote: r.reviewNote,
    createdById: r.createdById,
    reviewedById: r.reviewedById,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
