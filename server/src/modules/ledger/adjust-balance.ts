import { actorOf, assertCan, type RequestContext } from '../auth/authorize.ts';
import { loadReadableMerchant } from '../auth/readable.ts';
import { adjustMerchantBalance, type AdjustmentInput } from './adjustments.ts';

/**
 * An administrator's credit or debit of a merchant's balance, on behalf of the viewer of `ctx`:
 * MERCHANT_NOT_FOUND unless readable, the `adjust` ability on the merchant's ledger accounts, then
 * one audited ledger transaction (modules/ledger/adjustments.ts).
 */
export async function adjustBalance(ctx: RequestContext, input: Omit<AdjustmentInput, 'actor'>) {
  const merchant = await loadReadableMerchant(ctx, input.merchantId);
  assertCan(ctx, 'adjust', 'LedgerAccount', { merchantId: merchant.id });
  return adjustMerchantBalance(ctx.prisma, { ...input, actor: actorOf(ctx) });
}
