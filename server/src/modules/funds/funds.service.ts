import type { Db } from '../../db/prisma.ts';
import { currencyDigits } from '../catalog/catalog.service.ts';
import { FundRequestNotFoundError } from './funds.errors.ts';
import { toFundRequestObject, type FundRequestObject } from './funds.presenter.ts';
import { findFundRequest, keyDetails, type FundRequestKey, type LoadedFundRequest } from './funds.transition.ts';

/**
 * Reads of fund requests. Lists are left to the API layer's keyset lists over `fund_requests`
 * (indexes: (merchantId, createdAt desc), (status, createdAt), (targetMerchantId)); a merchant's view
 * is `fundRequestVisibleTo(merchantId)`: its own requests and the transfers it receives.
 */

/** Prisma `where` for what a merchant may see: requests it made and transfers addressed to it. */
export function fundRequestVisibleTo(merchantId: string) {
  return { OR: [{ merchantId }, { targetMerchantId: merchantId }] };
}

/**
 * One request by id or request number. With `merchantId` (merchant users) it must be the requester's or
 * a transfer to that merchant, else FUND_REQUEST_NOT_FOUND.
 */
export async function getFundRequest(db: Db, key: FundRequestKey, scope: { merchantId?: string | null } = {}): Promise<LoadedFundRequest> {
  const request = await findFundRequest(db, key);
  if (!request) throw new FundRequestNotFoundError(keyDetails(key));
  if (scope.merchantId && request.merchantId !== scope.merchantId && request.targetMerchantId !== scope.merchantId) {
    throw new FundRequestNotFoundError(keyDetails(key));
  }
  return request;
}

export async function presentFundRequest(db: Db, request: LoadedFundRequest): Promise<FundRequestObject> {
  return toFundRequestObject(request, await currencyDigits(db, request.currencyCode));
}
