import { actorOf, assertCan, requireViewer, type RequestContext } from '../auth/authorize.ts';
import { loadReadableMerchant, readableOrNotFound } from '../auth/readable.ts';
import { createDestination, deleteDestination, type CreateDestinationInput } from './destinations.service.ts';
import { approveFundRequest } from './operations/approve-fund-request.ts';
import {
  createRecharge,
  createTransfer,
  createWithdrawal,
  type CreateRechargeInput,
  type CreateTransferInput,
  type CreateWithdrawalInput,
} from './operations/create-fund-request.ts';
import { cancelFundRequest, rejectFundRequest } from './operations/reject-fund-request.ts';

/**
 * Financial center (seed 000) on behalf of the viewer of `ctx`: a merchant's recharges, withdrawals to
 * its stored destinations and transfers; finance's approvals and rejections. Each function loads what
 * it acts on (NOT_FOUND unless readable), checks the ability on it, and runs ONE operation (one
 * transaction with its ledger posting and audit row). Ids are database ids; notes arrive trimmed.
 */

type Requested<T> = Omit<T, 'actor'>;

/** The fund request `id` when the viewer may read it, else FUND_REQUEST_NOT_FOUND. */
export async function loadReadableFundRequest(ctx: RequestContext, id: string) {
  requireViewer(ctx);
  return readableOrNotFound(ctx, 'FundRequest', 'fund request', await ctx.prisma.fundRequest.findUnique({ where: { id } }));
}

async function assertMayRequestFunds(ctx: RequestContext, merchantId: string) {
  const merchant = await loadReadableMerchant(ctx, merchantId);
  assertCan(ctx, 'create', 'FundRequest', { merchantId: merchant.id });
}

export async function requestRecharge(ctx: RequestContext, input: Requested<CreateRechargeInput>) {
  await assertMayRequestFunds(ctx, input.merchantId);
  return createRecharge(ctx, { ...input, actor: actorOf(ctx) });
}

/** Amount + fee are frozen at once; released if finance rejects or the merchant cancels. */
export async function requestWithdrawal(ctx: RequestContext, input: Requested<CreateWithdrawalInput>) {
  await assertMayRequestFunds(ctx, input.merchantId);
  return createWithdrawal(ctx, { ...input, actor: actorOf(ctx) });
}

/** Merchant-to-merchant transfer by account number; frozen at once, moved when finance approves. */
export async function requestTransfer(ctx: RequestContext, input: Requested<CreateTransferInput>) {
  await assertMayRequestFunds(ctx, input.merchantId);
  return createTransfer(ctx, { ...input, actor: actorOf(ctx) });
}

/** The merchant withdraws its own NEW request; frozen money is released. */
export async function cancelFundRequestById(ctx: RequestContext, input: { id: string; note: string | null }) {
  const row = await loadReadableFundRequest(ctx, input.id);
  assertCan(ctx, 'update', 'FundRequest', row);
  return cancelFundRequest(ctx, { request: { id: row.id }, merchantId: row.merchantId, actor: actorOf(ctx), note: input.note });
}

/** Finance approves (note optional) or rejects (note required by the adapter) a request. */
export async function reviewFundRequest(ctx: RequestContext, decision: 'approve' | 'reject', input: { id: string; note: string | null }) {
  const row = await loadReadableFundRequest(ctx, input.id);
  assertCan(ctx, 'review', 'FundRequest', row);
  const run = decision === 'approve' ? approveFundRequest : rejectFundRequest;
  return run(ctx, { request: { id: row.id }, actor: actorOf(ctx), note: input.note });
}

/** Stores a bank account or crypto address for withdrawals. */
export async function addDestination(ctx: RequestContext, input: CreateDestinationInput) {
  const merchant = await loadReadableMerchant(ctx, input.merchantId);
  assertCan(ctx, 'create', 'MerchantDestination', { merchantId: merchant.id });
  return createDestination(ctx.prisma, input, actorOf(ctx));
}

export async function removeDestination(ctx: RequestContext, input: { id: string }) {
  requireViewer(ctx);
  const row = readableOrNotFound(ctx, 'MerchantDestination', 'destination', await ctx.prisma.merchantDestination.findUnique({ where: { id: input.id } }));
  assertCan(ctx, 'delete', 'MerchantDestination', row);
  await deleteDestination(ctx.prisma, { merchantId: row.merchantId, destinationId: row.id }, actorOf(ctx));
}
