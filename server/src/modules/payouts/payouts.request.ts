import type { Db } from '../../db/prisma.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import type { PayoutRequest } from '../routing/connectors/connector.ts';
import type { LoadedPayout } from './payouts.transition.ts';

/** The payout as connectors see it. */
export async function toPayoutRequest(db: Db, payout: LoadedPayout): Promise<PayoutRequest & { upstreamRef: string | null; submittedAt: Date | null }> {
  return {
    payoutNo: payout.payoutNo,
    amount: payout.amount,
    currency: payout.currencyCode,
    digits: await currencyDigits(db, payout.currencyCode),
    chain: payout.chain,
    serviceCode: payout.service.code,
    serviceKind: payout.service.kind,
    test: payout.test,
    description: payout.description,
    recipient: {
      name: payout.recipientName,
      account: payout.recipientAccount,
      bankCode: payout.bankCode,
      phone: payout.recipientPhone,
      idNumber: payout.recipientIdNumber,
    },
    upstreamRef: payout.upstreamRef,
    submittedAt: payout.submittedAt,
  };
}
