import type { FundRequestFieldsFragment } from '@/gql/graphql';
import type { MoneyValue } from '@/utils/money';
import { maskAccount, moneyOf, shifted, unitsOf } from '@/views/transactions/modules/action-summary';

/**
 * What a fund-request decision moves on the requesting merchant's balance (funds.ledger.ts on the
 * server): a recharge credits AVAILABLE with amount − fee on approval and moves nothing on rejection;
 * a withdrawal or transfer had frozen amount + fee when it was made, which approval pays out and
 * rejection returns to AVAILABLE. Computed in minor units from the balance the review dialog loaded.
 */

export interface BalancePair {
  available: MoneyValue;
  frozen: MoneyValue;
}

/** The merchant's balances after approving or rejecting `request`, from `now`. */
export function balancesAfter(request: FundRequestFieldsFragment, now: BalancePair, decision: 'APPROVED' | 'REJECTED'): BalancePair {
  const amount = unitsOf(request.amount);
  const fee = request.fee ? unitsOf(request.fee) : 0n;
  if (request.kind === 'RECHARGE') {
    return decision === 'APPROVED' ? { available: shifted(now.available, amount - fee), frozen: now.frozen } : now;
  }
  const total = amount + fee;
  return decision === 'APPROVED'
    ? { available: now.available, frozen: shifted(now.frozen, -total) }
    : { available: shifted(now.available, total), frozen: shifted(now.frozen, -total) };
}

/** Amount + fee of a request. */
export function totalOf(request: FundRequestFieldsFragment): MoneyValue {
  return moneyOf(unitsOf(request.amount) + (request.fee ? unitsOf(request.fee) : 0n), request.amount);
}

/** Where the money goes, for people: a bank account masked, a wallet shortened, or the target merchant. */
export function destinationText(request: FundRequestFieldsFragment): string {
  if (request.kind === 'TRANSFER') return request.targetMerchant ? `${request.targetMerchant.name} · ${request.targetMerchant.mchId}` : (request.targetMchId ?? '—');
  if (request.kind === 'RECHARGE') return request.merchant ? `${request.merchant.name} · ${request.merchant.mchId}` : '—';
  const d = request.destination;
  if (!d) return '—';
  if (d.kind === 'CRYPTO') return [d.label, d.chain, d.address ? `${d.address.slice(0, 6)}…${d.address.slice(-4)}` : null].filter(Boolean).join(' · ');
  return [d.label, d.bankName, d.accountName, d.accountNumber ? maskAccount(d.accountNumber) : null].filter(Boolean).join(' · ');
}
